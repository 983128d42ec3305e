"""The report's statements agree with the store: every number read back from the rendered text.

The full demo (files, story collection, roundtable) is rendered as HTML and as
the board PDF; the numbers in their sentences are parsed out and compared with
counts taken straight from the store, not from the report's own data.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from collections.abc import Iterator

import pytest
from tests.conftest import DemoNetwork

from upstream.records.evidence_types import type_of_source
from upstream.reports.html import render_html_text
from upstream.reports.pdf import pdf_bytes
from upstream.store import Store
from upstream.store.effective_codes import effective_codes, latest_coding_run
from upstream.workflows.network.library import extract_text
from upstream.workflows.reports import build_report_data

CHECK = re.compile(
    r"We could code ([\d,]+) of ([\d,]+) items?(?: from [a-z ,]+?)? \((\d+)%\) against (.+?); "
    r"(?:people coded or checked ([\d,]+) of those ([\d,]+)"
    r"|no person has coded or checked any of them yet)[.,:]"
)
LENSES = {"New Operating Models": "nom", "drivers, barriers and enablers": "dbe"}


def _number(text: str) -> int:
    return int(text.replace(",", ""))


def _flat(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


@pytest.fixture(scope="module")
def full_demo(
    tmp_path_factory: pytest.TempPathFactory, demo_network: DemoNetwork
) -> Iterator[tuple[Store, str]]:
    """The whole demo network, as ``upstream demo`` makes it (with the quick text model)."""
    with Store(demo_network.copy_to(tmp_path_factory.mktemp("full-demo"))) as store:
        yield store, demo_network.workspace


@pytest.fixture(scope="module")
def documents(full_demo) -> tuple[str, str]:
    """The demo report's HTML text and its board PDF's text."""
    store, workspace = full_demo
    data = build_report_data(store, workspace)
    return _flat(render_html_text(data)), " ".join(extract_text("r.pdf", pdf_bytes(data)).split())


def test_evidence_items_organisations_and_sources(full_demo, documents) -> None:
    store, workspace = full_demo
    ws = store.workspace(workspace)
    items = ws.items()
    organisations = {i.organisation for i in items if i.organisation}
    used = {i.source_id for i in items}
    sources = {(s.kind, s.name) for s in ws.sources() if s.id in used}
    assert sum(s.kind == "roundtable" for s in ws.sources()) > 1  # one per participant
    for text in documents:
        found = re.search(
            r"draws on ([\d,]+) items? of evidence from ([\d,]+) organisations?, gathered "
            r"through ([\d,]+) sources?",
            text,
        )
        assert found, text[:400]
        assert _number(found[1]) == len(items)
        assert _number(found[2]) == len(organisations)
        assert _number(found[3]) == len(sources)  # a roundtable counts once


def test_coverage_and_checked_share_match_the_codes_in_force(full_demo, documents) -> None:
    store, workspace = full_demo
    ws = store.workspace(workspace)
    ids = [i.id for i in ws.items()]
    kinds = {s.id: type_of_source(s.kind, s.options) for s in ws.sources()}
    for text in documents:
        seen = set()
        for found in CHECK.finditer(text):
            coded, of, share, lens, checked, those = found.groups()
            key = LENSES[lens]
            codes = effective_codes(ws, key, latest_coding_run(ws, key), item_ids=ids)
            got = {i for i, applied in codes.assigned.items() if applied}
            # Out of the items the run set out to code: the framework's kinds of evidence.
            chosen = latest_coding_run(ws, key).parameters["evidence_types"]
            in_scope = [i for i in ws.items() if kinds[i.source_id] in chosen]
            assert _number(coded) == len(got) and _number(of) == len(in_scope)
            assert int(share) == round(100 * len(got) / len(in_scope))
            people = len(got & set(codes.human_codes))
            assert (_number(checked) if checked else 0) == people
            assert those is None or _number(those) == len(got)
            seen.add(key)
            # One framework is never said to be both checked and unchecked.
            if people:
                assert f"{lens} are the machine's suggestions and no person has" not in text
        assert seen == {"nom", "dbe"}


def test_thresholds_and_decisions_are_stated_as_they_were(full_demo, documents) -> None:
    store, workspace = full_demo
    ws = store.workspace(workspace)
    ids = [i.id for i in ws.items()]
    for text in documents:
        for lens, key in LENSES.items():
            run = latest_coding_run(ws, key)
            assert run is not None
            found = re.search(rf"at least (\d\.\d\d) for {re.escape(lens)}", text)
            assert found and float(found[1]) == pytest.approx(run.parameters["threshold"])
        decided = effective_codes(ws, "nom", latest_coding_run(ws, "nom"), item_ids=ids).decisions
        found = re.search(
            r"People have decided on ([\d,]+) items? coded against New Operating Models", text
        )
        assert found and _number(found[1]) == len(decided)


def test_counts_agree_with_their_nouns_and_small_groups_stay_hidden(full_demo, documents) -> None:
    store, workspace = full_demo
    sizes = Counter(i.organisation for i in store.workspace(workspace).items() if i.organisation)
    nouns = r"(items|organisations|sources|months|groups|codes|people|replies|stories)"
    for text in documents:
        assert not re.search(rf"(?<![\d,.]) ?\b1 {nouns}\b", text), re.findall(
            rf".{{40}}\b1 {nouns}\b.{{20}}", text
        )
        assert not re.search(r"\b([02-9]|\d\d+) (item|organisation|source) (?!of)", text)
        for name, size in sizes.items():
            if size < 10:
                assert not re.search(rf"{re.escape(name)} {size}\b", text)
        assert "are never shown" not in text
        assert "an element that fewer than 10 of its items touch" in text


def test_stories_placed_by_their_writers_are_not_called_accepted_suggestions(
    full_demo, documents
) -> None:
    store, workspace = full_demo
    method = build_report_data(store, workspace).method
    assert method is not None
    # The demo's twenty stories were placed on the framework by their writers; nobody
    # had a machine suggestion in front of them to accept.
    assert method.placed == method.reviewed == 20 and method.accepted == 0
    html, _pdf = documents
    assert "20 coded by people themselves with no suggestion to accept" in html
    assert "20 suggestions accepted" not in html
    assert "none by accepting or rejecting one of the machine's suggestions" in html
    # Which says nothing of how often the machine is right, rather than contradict
    # the figure measured on test documents.
    assert "how often those are right is not known yet" not in html


def test_an_organisation_s_staff_survey_leads_its_report_in_one_sentence() -> None:
    from upstream.reports.headlines import culture_headline
    from upstream.reports.model import CultureLine

    def line(theme: str, score: str, median: str, gap: str) -> CultureLine:
        return CultureLine(
            "Brackenshire County Council",
            "Staff survey",
            theme,
            2026,
            score,
            91,
            "-1",
            "could be chance",
            median,
            gap,
        )

    lines = [
        line("Empowerment", "37%", "62%", "-25"),
        line("Inclusion", "70%", "65%", "5"),
        line("Pay", "not shown", "50%", "not shown"),
    ]
    assert culture_headline(lines) == (
        "In its 2026 staff survey, with 91 people answering, Brackenshire County Council "
        "scored 37% for empowerment, 25 points below the median of the organisations in the "
        "same survey (62%); its best against the median was inclusion, at 70% (5 points "
        "above 65%)."
    )
    assert culture_headline([line("Pay", "not shown", "50%", "not shown")]) is None
    assert culture_headline([]) is None


def test_the_headlines_name_the_largest_themes(full_demo) -> None:
    from upstream.records.themes import OTHER_LABEL

    store, workspace = full_demo
    data = build_report_data(store, workspace)
    assert data.themes
    line = data.headlines[2]
    # The demo's themes are one council's consultation replies: the headline says so,
    # so that nobody takes them for the whole network's.
    assert line.startswith(f"{len(data.themes)} themes were found in ")
    assert "items (consultation replies) from London Borough of Larkwell; the largest are" in line
    assert data.themes_from.startswith("These themes were found in ")
    largest = next(t for t in data.themes if t.label != OTHER_LABEL)
    assert f"\u201c{largest.label}\u201d" in line and OTHER_LABEL not in line
    # The report lists the mixed subjects last, as the app does, whatever their size.
    assert OTHER_LABEL not in [t.label for t in data.themes[:-1]]


def test_the_board_paper_names_the_run_behind_each_framework_s_figures(
    full_demo, documents
) -> None:
    store, workspace = full_demo
    ws = store.workspace(workspace)
    nom, dbe = latest_coding_run(ws, "nom"), latest_coding_run(ws, "dbe")
    assert nom is not None and dbe is not None and nom.id != dbe.id
    _, board = documents
    assert f"The figures for New Operating Models come from coding run {nom.id}" in board
    assert f"those for barriers, enablers and drivers from coding run {dbe.id}" in board
