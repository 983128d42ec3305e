"""Names people typed are shown as typed in charts: no TeX from "$", no links from markup."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from upstream.frameworks import load_codebook
from upstream.records.drafts import ItemDraft
from upstream.reports import render_html, render_pdf
from upstream.reports.charts import heatmap_figure
from upstream.reports.model import Matrix, MatrixRow
from upstream.reports.png import bars_png, heatmap_png
from upstream.store import Store
from upstream.workflows.coding import code_workspace
from upstream.workflows.reports import build_report_data

DOLLARS = r"Fund $x^$ Trust"
LINK = '<a href="http://evil.example/">Click</a> Council'


def _store(path: Path) -> Store:
    store = Store(path)
    with store.writer("Network") as writer:
        source = writer.add_source("notes.csv", kind="visit notes")
        drafts = [
            ItemDraft(
                text=f"Procurement rules and contracts slowed pilot {n} down; we moved to grants.",
                line=n + 2,
                organisation=DOLLARS if n % 2 else LINK,
                item_date=date(2025, 1 + n % 3, 1),
            )
            for n in range(24)
        ]
        writer.insert_items(source, drafts)
    code_workspace(store, "Network", load_codebook("nom"), embedder="hashing", threshold=0.01)
    return store


def test_dollar_signs_in_names_do_not_stop_the_pdf(tmp_path: Path) -> None:
    assert bars_png([DOLLARS], [3], colour="#000000", xlabel="Items").startswith(b"\x89PNG")
    matrix = Matrix("Organisation", ["a"], [DOLLARS], [MatrixRow(DOLLARS, 12, 12, [12])])
    assert heatmap_png(matrix).startswith(b"\x89PNG")
    with _store(tmp_path / "s.db") as store:
        data = build_report_data(store, "Network")
    assert data.matrix is not None and DOLLARS in [r.name for r in data.matrix.rows]
    pdf = render_pdf(data, tmp_path / "r.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")


def test_markup_in_names_is_not_a_live_link_in_plotly_charts(tmp_path: Path) -> None:
    matrix = Matrix("Organisation", ["a"], ["<b>Bold</b>"], [MatrixRow(LINK, 12, 12, [12])])
    figure = heatmap_figure(matrix)
    (trace,) = figure["data"]
    assert trace["y"] == ["&lt;a href=&quot;http://evil.example/&quot;&gt;Click&lt;/a&gt; Council"]
    assert trace["x"] == ["&lt;b&gt;Bold&lt;/b&gt;"]
    with _store(tmp_path / "s.db") as store:
        data = build_report_data(store, "Network")
    page = render_html(data, tmp_path / "r.html").read_text(encoding="utf-8")
    assert 'href="http://evil.example/' not in page
    assert 'href=\\"http://evil.example/' not in page
