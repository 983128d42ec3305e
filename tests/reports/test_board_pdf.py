"""The board PDF: tagged (PDF/UA), two pages of summary first, no word broken across lines."""

from __future__ import annotations

import base64
import html
import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from upstream.reports import render_pdf
from upstream.reports.html import render_html_text, static_charts
from upstream.workflows.reports import build_report_data

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")


@pytest.fixture(scope="module")
def board(demo_db, tmp_path_factory):
    """The demo report's data and its board PDF (made once: it takes a few seconds)."""
    from upstream.store import Store

    source, workspace = demo_db
    with Store(source) as store:
        data = build_report_data(store, workspace)
    path = render_pdf(data, tmp_path_factory.mktemp("board") / "board.pdf")
    return data, path


@pytest.fixture
def artifacts_dir() -> Path:
    """Where the PDF's page pictures are saved (``test-artifacts/``)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def _pages(path: Path, first: int, last: int, *, layout: bool = False) -> str:
    options = ["-layout"] if layout else []
    done = subprocess.run(
        ["pdftotext", *options, "-f", str(first), "-l", str(last), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def _structure(node, found: dict[str, list[DictionaryObject]]) -> None:
    node = node.get_object()
    if isinstance(node, list):
        for child in node:
            _structure(child, found)
        return
    if not isinstance(node, DictionaryObject):
        return
    if "/S" in node:
        found.setdefault(str(node["/S"]), []).append(node)
    if "/K" in node:
        _structure(node["/K"], found)


def test_board_pdf_is_tagged_for_screen_readers(board) -> None:
    data, path = board
    reader = PdfReader(path)
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"]) is True
    assert catalog["/Lang"] == "en-GB"
    assert reader.metadata is not None and reader.metadata.title == data.title
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]
    xmp = catalog["/Metadata"].get_object().get_data().decode()
    assert "pdfuaid:part" in xmp and re.search(r"pdfuaid:part[^0-9]*1", xmp)
    found: dict[str, list[DictionaryObject]] = {}
    _structure(catalog["/StructTreeRoot"]["/K"], found)
    assert len(found["/H1"]) == 1 and len(found["/H2"]) >= 8 and found["/H3"]
    assert found["/Table"] and found["/TH"] and found["/THead"] and found["/L"]
    # Every chart is a figure with its numbers in words.
    figures = found["/Figure"]
    assert figures and all(str(f.get("/Alt", "")).strip() for f in figures)
    assert any("Mindset" in str(f["/Alt"]) for f in figures)


def test_first_two_pages_are_the_board_summary(board, artifacts_dir) -> None:
    data, path = board
    summary = _pages(path, 1, 2)
    for heading in ("Board summary", "What people coded or checked", "Headline findings"):
        assert heading in summary
    page_two = _pages(path, 2, 2)
    assert "In their own words" in page_two and "Caveats" in page_two
    assert _pages(path, 3, 3).lstrip().startswith("Appendix: the full report")
    flat = " ".join(summary.split())
    # The page the appendix starts on is read from the laid-out pages, not assumed.
    assert "The full report follows as an appendix, from page 3," in flat
    assert " ".join(data.checks[0].sentence().split()) in flat
    quoted = [q.text[:40] for g in data.quotes[:3] for q in g.quotes[:3]]
    assert len(quoted) >= 6 and all(" ".join(q.split()) in flat for q in quoted)
    # Save each page as a picture, to look at as a reader would.
    subprocess.run(
        ["pdftoppm", "-r", "70", "-png", str(path), str(artifacts_dir / "board-pdf")],
        check=True,
    )
    assert (artifacts_dir / "board-pdf-01.png").stat().st_size > 10_000


def test_no_word_is_broken_across_lines(board) -> None:
    data, path = board
    source = html.unescape(re.sub(r"<[^>]+>", " ", render_html_text(data, board=True)))
    for uri in static_charts(data).values():
        chart = base64.b64decode(uri.split(",", 1)[1]).decode()
        source += html.unescape(re.sub(r"<[^>]+>", " ", chart))
    known = {w.lower() for w in WORD.findall(source)}
    printed = _pages(path, 1, 999)
    unknown = sorted({w for w in WORD.findall(printed) if w.lower() not in known})
    assert unknown == []
    # A word split over two lines would leave both halves unknown, or end a line in "-".
    assert not re.search(r"[a-z]-\n[a-z]", printed)
    # A table that runs over a page repeats its header row on the next page.
    pages = [_pages(path, n, n) for n in range(3, len(PdfReader(path).pages) + 1)]
    carried = [p for p in pages if p.lstrip().startswith("Element or code")]
    assert carried, "the framework's code table should carry its header over the page"


def test_no_run_parameters_and_no_months_without_evidence(board) -> None:
    data, path = board
    text = _pages(path, 1, 999)
    assert "How this was made" in text
    assert "Parameter:" not in text and "Version:" not in text and "Random seed" not in text
    assert data.trend is not None
    trend = data.trend
    rows = _pages(path, 1, 999, layout=True)
    for label, total in zip(trend.periods, trend.totals, strict=True):
        kept = re.search(rf"^\s*{re.escape(label)}\s+\S", rows, re.M)
        assert bool(kept) == bool(total), label  # periods with evidence are kept, others not
    assert "fewer than 10" in rows and not re.search(
        r"\s[1-9]\s",
        " ".join(
            line for line in rows.splitlines() if line.lstrip().startswith(tuple(trend.periods))
        ),
    )
