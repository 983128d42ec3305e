"""Names people typed are shown as typed in charts: no TeX from "$", no links from markup."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from upstream.frameworks import load_codebook
from upstream.records.drafts import ItemDraft
from upstream.reports import render_html, render_pdf
from upstream.reports.charts import heatmap_figure
from upstream.reports.counts import Matrix, MatrixRow
from upstream.store import Store
from upstream.workflows.coding import code_workspace
from upstream.workflows.network.library import extract_text
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


def test_dollar_signs_and_markup_in_names_are_printed_as_typed(tmp_path: Path) -> None:
    with _store(tmp_path / "s.db") as store:
        data = build_report_data(store, "Network")
    assert data.matrix is not None and DOLLARS in [r.name for r in data.matrix.rows]
    pdf = render_pdf(data, tmp_path / "r.pdf")
    text = " ".join(extract_text("r.pdf", pdf.read_bytes()).split())
    assert DOLLARS in text and "Click</a> Council" in text


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


def test_a_title_mid_sentence_keeps_its_acronyms() -> None:
    from upstream.reports.headlines import lower_first

    assert lower_first("Legacy IT") == "legacy IT"
    assert lower_first("Procurement rules") == "procurement rules"
    assert lower_first("NHS partners") == "NHS partners"
