"""The report files: one offline HTML file, a PDF, a workbook; and the command line."""

from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
import typer
from pypdf import PdfReader
from typer.testing import CliRunner

from upstream.cli.report import report
from upstream.reports import (
    ReportError,
    render_html,
    render_pdf,
    report_format,
    write_report,
)
from upstream.workflows.reports import build_report_data

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("UPSTREAM_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def data(demo):
    store, workspace = demo
    return build_report_data(store, workspace)


def test_html_is_one_self_contained_file(data, tmp_path) -> None:
    html = render_html(data, tmp_path / "report.html").read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>")
    # Nothing is fetched: no external scripts, styles, images, fonts or frames.
    assert not re.search(r"<(script|img|iframe|link)[^>]+(src|href)=", html)
    assert not re.search(r"url\(\s*['\"]?https?:", html)
    assert "plotly.js v" in html and "Plotly.newPlot" in html
    payload = re.search(
        r'<script type="application/json" id="chart-data">(.*?)</script>', html, re.S
    )
    assert payload is not None
    figures = json.loads(payload.group(1))["figures"]
    assert {"chart-coverage", "chart-heatmap", "chart-barrier", "chart-trend"} <= set(figures)
    # The trend chart draws each element's share of the period's items, as the
    # dashboards' and the printed chart do; the counts are in its table.
    lines = figures["chart-trend"]["data"]
    assert [line["y"] for line in lines] == [data.trend.share_series[n] for n in data.trend.drawn]
    assert figures["chart-trend"]["layout"]["yaxis"]["ticksuffix"] == "%"
    for chart_id in figures:  # every chart is followed by a table of the same numbers
        after = html[html.index(f'id="{chart_id}"') :]
        assert "<table>" in after[: after.index("</figure>") + 3000]
    for heading in (
        "Headline findings",
        "Framework coverage",
        "Patterns across organisations",
        "In their own words",
        "Method and trust",
        "Caveats",
    ):
        assert heading in html
    assert html.index("Headline findings") < html.index("Method and trust") < html.index("Caveats")


def test_html_escapes_evidence_text(demo, tmp_path) -> None:
    from upstream.workflows.reports import gather, report_from

    store, workspace = demo
    evidence = gather(store, workspace)
    data = report_from(evidence, title="</script><script>alert(1)</script>")
    html = render_html(data, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(1)" in html


def test_html_opens_offline_in_a_browser(data, tmp_path) -> None:
    """A real Chromium draws every chart with the network cut off."""
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail(f"Chromium is missing at {CHROMIUM}")
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    path = render_html(data, tmp_path / "report.html")
    requests: list[str] = []
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context()
        context.route(
            "**/*",
            lambda route: (
                requests.append(route.request.url),
                route.continue_() if route.request.url.startswith("file:") else route.abort(),
            ),
        )
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(path.as_uri())
        page.wait_for_selector("#chart-coverage .main-svg")
        drawn = page.locator(".js-plotly-plot").count()
        browser.close()
    assert drawn >= 4
    assert [r for r in requests if not r.startswith("file:")] == []
    assert errors == []


def test_pdf_has_pages(data, tmp_path) -> None:
    path = render_pdf(data, tmp_path / "report.pdf")
    assert path.read_bytes().startswith(b"%PDF")
    reader = PdfReader(path)
    assert len(reader.pages) >= 4
    assert reader.metadata is not None and reader.metadata.title == data.title


def test_xlsx_holds_one_sheet_per_table(data, tmp_path) -> None:
    path = write_report(data, tmp_path / "report.xlsx")
    assert zipfile.is_zipfile(path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[0] == "About"
    for sheet in (
        "headlines",
        "organisations",
        "coverage",
        "organisations_by_element",
        "barriers_enablers",
        "trends",
        "quotes",
        "method",
        "caveats",
    ):
        assert sheet in book.sheetnames
    coverage = book["coverage"]
    assert coverage["A1"].value == "Code" and coverage["A2"].value == "context"
    assert isinstance(coverage["D2"].value, int) and coverage["E2"].number_format == "0%"


def test_format_comes_from_the_extension(data, tmp_path) -> None:
    assert report_format("a.HTML") == "HTML" and report_format("b.pdf") == "PDF"
    with pytest.raises(ReportError, match=r"\.html, \.pdf or \.xlsx, not '\.docx'"):
        write_report(data, tmp_path / "report.docx")
    with pytest.raises(ReportError, match="no extension"):
        report_format("report")


def _cli() -> typer.Typer:
    app = typer.Typer(add_completion=False)
    app.command("report")(report)

    @app.command("other")
    def other() -> None:  # a second command keeps "report" a subcommand
        """Nothing."""

    return app


def test_command_line(demo_db, tmp_path) -> None:
    db, workspace = demo_db
    runner = CliRunner()
    app = _cli()
    help_text = runner.invoke(app, ["report", "--help"]).output
    for option in ("--db", "--output", "--workspace", "--org"):
        assert option in help_text
    out = tmp_path / "board.html"
    done = runner.invoke(app, ["report", "--db", str(db), "--output", str(out)])
    assert done.exit_code == 0, done.output
    assert out.exists() and "Wrote" in done.output and "12 organisations" in done.output
    sheet = tmp_path / "fellstone.xlsx"
    done = runner.invoke(
        app,
        [
            "report",
            "--db",
            str(db),
            "--output",
            str(sheet),
            "--workspace",
            workspace,
            "--org",
            "Fellstone Homes",
        ],
    )
    assert done.exit_code == 0, done.output and sheet.exists()
    bad = runner.invoke(app, ["report", "--db", str(db), "--output", str(tmp_path / "r.docx")])
    assert bad.exit_code == 1 and "not '.docx'" in bad.output
    missing = runner.invoke(
        app, ["report", "--db", str(tmp_path / "none.db"), "--output", str(out)]
    )
    assert missing.exit_code == 1 and "There is no evidence store" in missing.output
    assert not (tmp_path / "none.db").exists()


def test_the_command_line_reports_on_the_framework_asked_for(demo_db, tmp_path) -> None:
    """`--codebook` chooses the framework as the web app's report form does."""
    from upstream.store import Store
    from upstream.workflows.reports import build_report_data

    db, workspace = demo_db
    runner = CliRunner()
    out = tmp_path / "fellstone.html"
    org = "Fellstone Homes"
    common = ["report", "--db", str(db), "--workspace", workspace, "--org", org]
    done = runner.invoke(_cli(), [*common, "--codebook", "nom", "--output", str(out)])
    assert done.exit_code == 0, done.output
    with Store(db, migrate=False) as store:
        data = build_report_data(store, workspace, org=org, codebook="nom")
    assert data.method is not None and data.method.framework_id == "nom"
    written = out.read_text(encoding="utf-8")
    assert "coded against <strong>New Operating Models</strong>" in written
    # With no element in 10 or more items, the elements raised are named, unranked.
    with Store(db, migrate=False) as store:
        few = [i for i in store.workspace(workspace).items() if i.organisation == org][:12]
        small = build_report_data(store, workspace, org=org, items=few, codebook="nom")
    (raised,) = [h for h in small.headlines if "is raised in 10 or more coded items" in h]
    assert "so no count is given; the coded items raise " in raised
    assert "in the framework's order, not by size" in raised
    unknown = runner.invoke(
        _cli(), [*common, "--codebook", "nowhere", "--output", str(tmp_path / "x.html")]
    )
    assert unknown.exit_code == 1
    assert "No finished coding run used the codebook 'nowhere'; the runs here used" in (
        " ".join(unknown.output.split())
    )
