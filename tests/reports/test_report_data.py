"""What a report says about the coded demo network: findings with bases, patterns, quotes, trust."""

from __future__ import annotations

import re
from datetime import date

import openpyxl
import pytest
from markupsafe import escape

from upstream.frameworks import load_codebook
from upstream.policy import MAX_QUOTE, suppressed
from upstream.policy import excerpt as trim
from upstream.records.themes import EVERYTHING_ELSE
from upstream.reports import ReportError, render_html, render_pdf, render_xlsx
from upstream.store.coding_repository import CodingStore
from upstream.themes.labels import OTHER_LABEL
from upstream.workflows.reports import NETWORK, build_report_data, gather, report_from


def _in_scope(store, workspace: str) -> int:
    """The demo's items a built-in framework is applied to (all but residents')."""
    from upstream.records.evidence_types import type_of_source

    ws = store.workspace(workspace)
    kinds = {s.id: type_of_source(s.kind, s.options) for s in ws.sources()}
    return sum(1 for item in ws.items() if kinds[item.source_id] != "residents")


def test_headlines_give_every_number_its_base(demo) -> None:
    store, workspace = demo
    data = build_report_data(store, workspace)
    assert data.items == 615 and data.organisations == 12 and data.sources == 4
    assert data.headlines[0].startswith("This report draws on 615 items of evidence from 12 ")
    assert any(
        re.search(r"\d+ of \d+ coded items \(\d+%\), from \d+ of 12 organisations", h)
        for h in data.headlines
    )
    # Coverage comes before any finding, with how much of it people coded or checked.
    # Out of the items the framework is applied to: not residents' replies.
    in_scope = _in_scope(store, workspace)
    assert 10 <= in_scope < 615
    assert re.match(
        rf"We could code \d+ of {in_scope} items from staff, partners and network members "
        r"\(\d+%\) against .+; no person has coded or checked "
        r"any of them yet: all are the machine's suggestions, and how often they are right is "
        r"not measured yet\. "
        r"The counts below include codes people gave or checked and the machine's suggestions "
        r"at its threshold, not the machine's guesses below its threshold\.",
        data.headlines[1],
    )
    barrier = [h for h in data.headlines if " as a barrier " in h]
    assert barrier and all(
        re.match(
            r"\d+ of 12 organisations? names? .+ "
            r"\(\d+ items?, none coded or checked by people yet\)\.$",
            h,
        )
        for h in barrier
    )
    assert "no person has checked them yet" in data.headlines[-1]
    # The method and the caveats count out of the same items as the coverage sentence.
    assert data.method is not None
    assert (data.method.items, data.method.scope) == (
        in_scope,
        "from staff, partners and network members",
    )
    uncoded = f"{data.method.uncoded:,} of {in_scope} items from staff, partners and network"
    assert any(uncoded in caveat for caveat in data.caveats)


def test_coverage_follows_the_framework_and_rolls_up(demo) -> None:
    store, workspace = demo
    data = build_report_data(store, workspace)
    nom = load_codebook("nom")
    assert [r.code for r in data.coverage] == [code.id for _, code in nom.walk()]
    assert data.method is not None and data.method.framework == "New Operating Models"
    by_code = {r.code: r for r in data.coverage}
    for row in data.coverage:  # a parent holds at least as many items as any child
        for child in nom.children(row.code):
            assert by_code[child.id].items <= row.items
    elements = data.top_level
    assert [r.code for r in elements] == [c.id for c in nom.roots()]
    assert max(r.items for r in elements) <= data.method.coded <= sum(r.items for r in elements)
    assert data.top_codes and all(r.depth > 0 for r in data.top_codes)


def test_patterns_across_organisations_come_from_the_dbe_run(demo) -> None:
    store, workspace = demo
    data = build_report_data(store, workspace)
    kinds = [r.kind for r in data.patterns]
    assert kinds == sorted(kinds, key=["barrier", "enabler", "driver"].index)
    assert {"barrier", "enabler"} <= set(kinds)
    assert all(r.of == 12 and 1 <= r.organisations <= 12 for r in data.patterns)
    assert data.method is not None and data.method.dbe_run_id is not None
    matrix = data.matrix
    assert matrix is not None and len(matrix.rows) == 12 and len(matrix.codes) == 8
    assert not any(r.suppressed for r in matrix.rows)  # every demo organisation has 16+ items
    for row in matrix.rows:
        assert all(count <= row.coded for count in row.counts)
    # The method section says how that run was made and how far to trust it, too.
    from upstream.reports.html import render_html_text

    said = " ".join(re.sub(r"<[^>]+>", " ", render_html_text(data)).split())
    run = data.method.dbe_run_id
    assert re.search(
        rf"come from a separate run \(run {run}\) against drivers, barriers and enablers, by "
        r"the same coder from that framework's definitions and examples, counting a code from "
        r"\d+% sure\. We could code \d+ of \d+ items",
        said,
    )


def test_trend_has_no_gaps_and_withholds_small_counts(demo) -> None:
    store, workspace = demo
    trend = build_report_data(store, workspace).trend
    assert trend is not None and trend.period in {"month", "quarter", "year"}
    first, last = trend.periods[0], trend.periods[-1]
    assert first <= last and len(trend.periods) == len(set(trend.periods))
    assert all(len(series) == len(trend.periods) for series in trend.series)
    assert sum(trend.totals) + trend.undated == 615
    shown = [cell for row in trend.rows_shown() for cell in row[1:]]
    assert not any(isinstance(cell, int) and 0 < cell < 10 for cell in shown)


def test_quotes_are_short_attributed_and_not_repeated(demo) -> None:
    store, workspace = demo
    data = build_report_data(store, workspace)
    quotes = [q for group in data.quotes for q in group.quotes]
    assert quotes and len({q.item_id for q in quotes}) == len(quotes)
    for q in quotes:
        assert len(q.text) <= MAX_QUOTE
        assert q.organisation and q.attribution.endswith(q.organisation)
    roles = {q.role for q in quotes}
    assert roles - {""}, "quotes should carry a role or kind of evidence"


def test_trim_cuts_at_a_word_with_an_ellipsis() -> None:
    long = "We tried. " + "Procurement rules slowed every pilot down to a crawl " * 10
    short = trim(long)
    assert len(short) <= MAX_QUOTE and short.endswith("…")
    assert trim("  Short   and\nsweet ") == "Short and sweet"


def test_people_s_decisions_count_and_give_agreement(demo) -> None:
    store, workspace = demo
    ws = store.workspace(workspace)
    coding = CodingStore(ws)
    run = coding.runs(kind="coding", limit=1)[0]
    codebook_id = coding.codebook_id("nom")
    queue = coding.review_queue(run.id, limit=4)
    accept, recode, reject, other = (c.item.id for c in queue)
    coding.decide(accept, codebook_id, "accept", actor="anna")
    coding.decide(recode, codebook_id, "recode", actor="anna", code="infrastructure.procurement")
    coding.decide(reject, codebook_id, "reject", actor="anna")
    coding.decide(other, codebook_id, "accept", actor="anna")
    data = build_report_data(store, workspace)
    method = data.method
    assert method is not None
    assert (method.reviewed, method.accepted, method.recoded, method.rejected) == (4, 2, 1, 1)
    assert method.placed == 0  # every decision was on a machine suggestion
    assert method.agreement is not None
    assert method.agreement.decisions == 4 and method.agreement.agreed == 2
    # Four decisions and three items checked are small groups: not counted out, nor split.
    assert "People have decided on fewer than 10 items" in data.headlines[-1]
    assert "too few to say how often the machine is right" in data.headlines[-1]
    coded = method.coded
    assert (
        f"; people coded or checked fewer than 10 of those {coded}, and the rest are the "
        "machine's suggestions, and how often they are right is not measured yet."
        in data.headlines[1]
    )
    # Counting only what people coded or checked: the three items they gave a code, nothing else,
    # which is a small group: how many, and how people decided on them, are withheld.
    checked = build_report_data(store, workspace, counting="checked")
    assert checked.headlines[1].startswith(
        f"We could code fewer than 10 of {_in_scope(store, workspace)} items from staff, "
        "partners and network members against "
    )
    assert "so how many of them people coded or checked is not shown" in checked.headlines[1]
    assert "People have decided on" not in checked.headlines[-1]
    assert "leaving" not in data.headlines[-1]
    # With 10 or more decisions, how they split is given, so that the counts reconcile.
    from dataclasses import replace

    from upstream.reports.headlines import trust_line

    more = replace(method, reviewed=12, accepted=6, recoded=3, rejected=3)
    assert (
        "(6 accepted, 3 given another code and 3 rejected, leaving 9 items with a code a "
        "person chose)"
    ) in trust_line(more)
    # How the twelve went with the suggestions that count, apart from the guesses asked about.
    agreed = replace(method.agreement, decisions=12, agreed=3, counted=2, counted_agreed=1)
    line = trust_line(replace(more, agreement=agreed))
    assert "kept the machine's suggestion for 3 of 12 (25%)" in line
    assert (
        "Most were items the machine was unsure of, asked about for that reason; fewer than 10 "
        "of them were suggestions sure enough to count, too few to say how often those are right"
    ) in line
    sure = replace(agreed, decisions=30, agreed=12, counted=20, counted_agreed=15)
    assert "of the 20 suggestions sure enough to count, people confirmed 15" in trust_line(
        replace(more, reviewed=30, agreement=sure)
    )
    # Checking one code's count, a person may confirm a code that was not the first choice.
    one_code = replace(agreed, decisions=30, agreed=12, counted=30, counted_agreed=24)
    assert (
        "kept the machine's suggestion for 12 of 30 (40%); counting any code the machine "
        "counted, not only its first choice, people confirmed 24 of 30"
    ) in trust_line(replace(more, reviewed=30, agreement=one_code))
    # A coding that learned from the decisions says they judged the suggestions before it.
    learned = trust_line(replace(more, reviewed=30, agreement=sure, labelled_examples=24))
    assert learned.endswith(
        "The coding counted in this report learned from 24 of people's decisions, so most of "
        "these figures judge suggestions the machine made before it learned from them."
    )
    assert "learned from" not in trust_line(replace(more, reviewed=30, agreement=sure))
    # The method table neither splits a withheld total nor measures agreement on four items.
    from upstream.reports.tables import TOO_FEW_DECISIONS, method_rows

    rows = dict((str(r[0]), r[1]) for r in method_rows(method))
    assert rows["Items coded or checked by people"] == "fewer than 10"
    assert {rows["Suggestions accepted"], rows["Items recoded"]} == {"fewer than 10"}
    assert rows["Machine and people agree"] == TOO_FEW_DECISIONS
    assert "Cohen's kappa, machine v people" not in rows
    from upstream.reports.html import render_html_text

    page = render_html_text(data)
    assert "Too few items have been decided (fewer than 10) to say how often people keep" in page
    assert "Cohen's κ between machine and people" not in page
    assert "include only codes people gave or checked," in checked.headlines[1]
    assert sum(r.items for r in checked.coverage if r.depth == 0) >= 3
    assert all(r.items == r.checked for r in checked.coverage)
    with pytest.raises(ReportError, match="not 'guesses'"):
        build_report_data(store, workspace, counting="guesses")
    evidence = gather(store, workspace)
    assert evidence.coded is not None
    assert evidence.coded.assigned[recode][0].code == "infrastructure.procurement"
    assert reject not in evidence.coded.assigned


def test_one_organisation_compared_with_the_network(demo) -> None:
    store, workspace = demo
    data = build_report_data(store, workspace, org="Fellstone Homes")
    assert data.items == 16 and data.organisation == "Fellstone Homes"
    assert data.matrix is not None
    assert [r.name for r in data.matrix.rows] == ["Fellstone Homes", NETWORK]
    network = {r.code: r.items for r in build_report_data(store, workspace).coverage}
    # Every code has the network's share beside it, unless the network's count is withheld.
    assert all((r.network_share is None) == (0 < network[r.code] < 10) for r in data.coverage)
    assert all(r.named_by_focus is not None for r in data.patterns)
    assert any("Fellstone Homes" in h for h in data.headlines[1:])
    # A barrier's count of items is the network's, and the organisation's report says so.
    barriers = [h for h in data.headlines if " as a barrier" in h]
    assert barriers and all(re.search(r"\(\d+ items? across the network", h) for h in barriers)
    with pytest.raises(ReportError, match="No evidence from an organisation called 'Nowhere'"):
        build_report_data(store, workspace, org="Nowhere")


def test_an_organisation_not_yet_coded_is_not_said_to_name_no_barrier(demo) -> None:
    """Evidence imported after the barriers were coded was never looked at for them."""
    from upstream.records.drafts import ItemDraft
    from upstream.reports.tables import patterns_table

    store, workspace = demo
    ws = store.workspace(workspace)
    texts = [f"Visit note {n}: eleven vacancies and no time to think" for n in range(12)]
    with ws.writer() as writer:
        source = writer.add_source("ashcombe_visits.csv", kind="staff")
        writer.insert_items(
            source,
            [ItemDraft(text=t, line=n + 2, organisation="Ashcombe District Council")
             for n, t in enumerate(texts)],
            shared=True,
        )  # fmt: skip
    data = build_report_data(store, workspace, org="Ashcombe District Council")
    assert data.patterns and all(r.focus_coded == "none" for r in data.patterns)
    barriers = [h for h in data.headlines if " as a barrier" in h]
    assert barriers and not any("does not" in h for h in barriers)
    assert (
        "Whether Ashcombe District Council names these is not known: its evidence has not "
        "been coded against this framework yet."
    ) in data.headlines
    assert {row[-1] for row in patterns_table(data).rows} == {"not coded yet"}
    # An organisation the run coded is still said not to name what it does not.
    coded = build_report_data(store, workspace, org="Fellstone Homes")
    assert {r.focus_coded for r in coded.patterns} == {"all"}


def test_codebook_choice_and_errors(demo) -> None:
    store, workspace = demo
    dbe = build_report_data(store, workspace, codebook="dbe")
    assert dbe.method is not None and dbe.method.framework_id == "dbe"
    with pytest.raises(ReportError, match="hls"):
        build_report_data(store, workspace, codebook="hls")


def test_a_reader_s_view_leaves_the_rest_out(demo) -> None:
    store, workspace = demo
    ws = store.workspace(workspace)
    items = [i for i in ws.items() if i.organisation != "London Borough of Larkwell"]
    evidence = gather(store, ws, items=items)
    data = report_from(evidence)
    assert data.items == 615 - 246 and data.organisations == 11
    assert all(
        q.organisation != "London Borough of Larkwell"
        for group in data.quotes
        for q in group.quotes
    )
    assert any("only the evidence you may see" in c for c in data.caveats)


def test_nothing_coded_yet(tmp_path) -> None:
    from upstream.records.drafts import ItemDraft
    from upstream.store import Store

    with Store(tmp_path / "s.db") as store:
        with store.writer("Fresh") as writer:
            source = writer.add_source("notes.csv", kind="visit notes")
            writer.insert_items(
                source,
                [
                    ItemDraft(
                        text="One note",
                        line=2,
                        organisation="Northmoor",
                        item_date=date(2025, 1, 2),
                    )
                ],
            )
        data = build_report_data(store, "Fresh")
    assert data.method is None and data.coverage == [] and data.matrix is None
    assert data.headlines[-1] == "The evidence has not been coded against a framework yet."
    assert data.by_organisation[0].suppressed


def test_themes_section_when_themes_have_been_found(demo, tmp_path) -> None:
    from upstream.themes import ThemeDiscovery
    from upstream.workflows.themes import run_themes

    store, workspace = demo
    ws = store.workspace(workspace)
    assert build_report_data(store, workspace).themes == []
    run_themes(ws, ThemeDiscovery(embedder="hashing", n_themes=6, seed=0), actor="test")
    data = build_report_data(store, workspace)
    assert 1 <= len(data.themes) <= 12
    # Largest first, the mixed subjects last (as the app lists them).
    sizes = [t.size for t in data.themes if t.label != OTHER_LABEL]
    assert sizes == sorted(sizes, reverse=True)
    assert sum(t.size for t in data.themes) <= 615
    assert OTHER_LABEL not in [t.label for t in data.themes[:-1]]
    assert all(t.label for t in data.themes)
    quotes = [q for t in data.themes for q in t.quotes]
    assert quotes and all(len(q.text) <= MAX_QUOTE for q in quotes)
    larkwell = [i for i in ws.items() if i.organisation != "London Borough of Larkwell"]
    scoped = report_from(gather(store, ws, items=larkwell))
    assert all(
        q.organisation != "London Borough of Larkwell" for t in scoped.themes for q in t.quotes
    )
    # Each theme says what it holds: its sub-themes, largest first (a mixed
    # leftover last), sizes adding up.
    held = [t for t in data.themes if t.subthemes]
    assert held and all(t.description for t in data.themes)
    for t in held:
        mixed = (OTHER_LABEL, EVERYTHING_ELSE)
        named = [s.size for s in t.subthemes if s.label not in mixed]
        assert named == sorted(named, reverse=True)
        assert not any(s.label in mixed for s in t.subthemes[:-1])
        assert sum(s.size for s in t.subthemes) == t.size
        assert all(s.label for s in t.subthemes)
    for t in scoped.themes:
        assert sum(s.size for s in t.subthemes) <= t.size
    html = render_html(data, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "Themes found in the evidence" in html and data.themes[0].label in html
    # Each theme is headed with the number the web app shows it by, and the run is named.
    assert sorted(int(t.code) for t in data.themes) == list(range(1, len(data.themes) + 1))
    assert f"<h3>Theme {data.themes[0].code}: {escape(data.themes[0].label)} " in html
    assert "They are the themes of run " in html
    first = held[0].subthemes[0]
    assert f"It holds: {first.label} ({first.size_shown})" in html
    # No sub-theme's size gives a small one away: those hidden hold 10 or more, or none is.
    for t in held:
        hidden = [s.size for s in t.subthemes if s.covered or suppressed(s.size)]
        assert not hidden or (sum(hidden) >= 10 and len(hidden) >= 2), t
        assert all(s.size_shown == "not shown" for s in t.subthemes if s.covered)
    assert render_pdf(data, tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    book = openpyxl.load_workbook(render_xlsx(data, tmp_path / "r.xlsx"))
    assert "themes" in book.sheetnames
    header = [cell.value for cell in next(book["themes"].iter_rows(max_row=1))]
    assert "Sub-themes" in header and "Description" in header


def test_the_machine_s_guesses_count_only_when_asked_for(demo) -> None:
    store, workspace = demo
    confident = build_report_data(store, workspace)
    everything = build_report_data(store, workspace, counting="all")
    coded = re.compile(r"We could code (\d+) of \d+ items")
    found_confident = coded.match(confident.headlines[1])
    found_all = coded.match(everything.headlines[1])
    assert found_confident and found_all
    assert int(found_all[1]) > int(found_confident[1])
    # Saying so: how many are guesses, and that they are right less often.
    assert (
        "guesses below that setting, included as asked, and are right less often"
        in (everything.headlines[1])
    )
    assert (
        "include all codes, with the machine's less likely guesses too."
        in (everything.headlines[1])
    )
    assert "guesses below that setting" not in confident.headlines[1]


def test_an_organisations_report_gives_no_share_of_a_small_network_count(demo) -> None:
    store, workspace = demo
    network = {row.code: row.items for row in build_report_data(store, workspace).coverage}
    own = build_report_data(store, workspace, org="Fellstone Homes").coverage
    small = [row for row in own if 0 < network[row.code] < 10]
    assert small and all(row.network_share is None for row in small)
    assert any(row.network_share for row in own if network[row.code] >= 10)


def test_an_organisations_report_carries_its_staff_survey_culture(demo, tmp_path) -> None:
    from upstream.demo.staff_survey import load_demo_staff_survey

    store, workspace = demo
    assert build_report_data(store, workspace, org="Fellstone Homes").culture == []
    load_demo_staff_survey(store, workspace)
    data = build_report_data(store, workspace, org="Fellstone Homes")
    themes = {line.theme for line in data.culture}
    assert {"Empowerment", "Mission", "Outward focus", "Risk and change"} <= themes
    line = next(line for line in data.culture if line.theme == "Empowerment")
    assert line.year == 2026 and line.respondents is not None and line.respondents >= 10
    assert line.score.endswith("%") and line.reading in {
        "could be chance",
        "more than chance would explain",
    }
    # The gap is the difference of the rounded figures shown beside it.
    assert int(line.gap) == int(line.score[:-1]) - int(line.median[:-1])
    assert build_report_data(store, workspace).culture == []  # the network's report: none
    html = render_html(data, tmp_path / "fellstone.html").read_text(encoding="utf-8")
    assert "Staff survey: culture" in html and line.score in html
    book = openpyxl.load_workbook(render_xlsx(data, tmp_path / "fellstone.xlsx"))
    assert any("culture" in name.lower() for name in book.sheetnames)
    # A change reads as a number with its reading, never behind an apostrophe.
    sheet = book[next(name for name in book.sheetnames if "culture" in name.lower())]
    changes = [str(c.value) for row in sheet.iter_rows() for c in row if c.value]
    assert any(line.reading in c for c in changes)
    assert not any(c.startswith("'") for c in changes)


def test_themes_found_in_one_source_say_so(demo, tmp_path) -> None:
    from upstream.store.theme_repository import ThemeStore
    from upstream.themes import ThemeDiscovery
    from upstream.workflows.themes import run_themes

    store, workspace = demo
    ws = store.workspace(workspace)
    source = next(s for s in ws.sources() if s.kind == "consultation replies")
    replies = list(ws.items(source_id=source.id))
    run_themes(ws, ThemeDiscovery(embedder="hashing", n_themes=5, seed=0), items=replies)
    data = build_report_data(store, workspace)
    assert data.themes
    # A reader of the network's report learns the themes are one consultation's.
    found = re.fullmatch(
        r"These themes were found in (\d+) items \(consultation replies\) from "
        r"London Borough of Larkwell, not in all the evidence this report covers\.",
        data.themes_from,
    )
    themed = {i for t in ThemeStore(ws).themes() if t.parent_number is None for i in t.item_ids}
    assert found and int(found.group(1)) == len(themed) <= len(replies)
    html = render_html(data, tmp_path / "r.html").read_text(encoding="utf-8")
    assert data.themes_from in html
    # Larkwell's own report does not name Larkwell again; another's has no themes.
    evidence = gather(store, ws)
    own = report_from(evidence, org="London Borough of Larkwell")
    assert own.themes_from.endswith(
        "(consultation replies), not in all the evidence this report covers."
    )
    other = report_from(evidence, org="Tullworth Borough Council")
    assert other.themes == [] and other.themes_from == ""


def test_an_organisation_s_report_names_the_peers_who_show_a_way_past(demo, tmp_path) -> None:
    from upstream.workflows.network.peers import network_evidence, peers_with_enablers

    store, workspace = demo
    org = "Brackenshire County Council"
    data = build_report_data(store, workspace, org=org)
    assert data.ways_past, "the demo's barriers have peers with a way past"
    ws = store.workspace(workspace)
    items = {i.id: i for i in ws.items()}
    network = network_evidence(ws)
    # The same suggestions as the organisation's page, quoting only shared evidence.
    shared = {i for i, item in items.items() if item.shared}
    page = [
        (network.info(m.barrier or "").title, m.peer, tuple(q.item_id for q in m.quotes))
        for m in peers_with_enablers(network, org, shared)
        if m.quotes
    ]
    assert [(w.barrier, w.peer, tuple(q.item_id for q in w.quotes)) for w in data.ways_past] == (
        page
    )
    for way in data.ways_past:
        assert way.peer != org
        for quote in way.quotes:
            item = items[quote.item_id or 0]
            assert item.shared and item.organisation == way.peer
    html = render_html(data, tmp_path / "org.html").read_text(encoding="utf-8")
    assert "Peers who show a way past its barriers" in html
    assert data.ways_past[0].quotes[0].text in html
    book = openpyxl.load_workbook(render_xlsx(data, tmp_path / "org.xlsx"))
    assert "ways_past" in book.sheetnames
    # The network's report is about no one organisation's barriers.
    assert build_report_data(store, workspace).ways_past == []


def test_the_patterns_chart_keeps_codes_named_as_often_as_the_last_one_shown() -> None:
    from upstream.reports.charts import most_named
    from upstream.reports.counts import PatternRow

    def row(title: str, organisations: int) -> PatternRow:
        return PatternRow("enabler", title, title, organisations, 12, 20)

    rows = [row(f"Code {n}", 12 - n) for n in range(9)] + [row(t, 2) for t in "ABC"]
    rows.append(row("Rare", 1))
    assert [r.title for r in most_named(rows)][-4:] == ["Code 8", "A", "B", "C"]
    assert len(most_named(rows[:5])) == 5


def test_an_expected_precision_from_few_judged_suggestions_is_called_rough() -> None:
    from upstream.coding.thresholds import BENCHMARK, HELD_OUT
    from upstream.reports.checks import Check

    def said(basis: str, support: int | None) -> str:
        check = Check(
            lens="Our codebook", items=88, coded=68, checked=40, threshold=0.53,
            expected_precision=0.8, basis=basis, support=support,
        )  # fmt: skip
        return check.sentence()

    assert (
        "right about 8 times in 10 at this setting (tested on labelled examples kept back "
        "from training: a rough figure, from only 12 of them)."
    ) in said(HELD_OUT, 12)
    assert "(tested on labelled examples kept back from training)." in said(HELD_OUT, 400)
    assert "rough" not in said(HELD_OUT, None) and "rough" not in said(BENCHMARK, 12)


def test_counting_only_checked_codes_says_nothing_of_a_further_none(demo) -> None:
    store, workspace = demo
    ws = store.workspace(workspace)
    coding = CodingStore(ws)
    book = coding.codebook_id("dbe")
    assert book is not None
    named = [
        c.item_id
        for c in coding.codings(origin="machine")
        if c.code.startswith("barrier.") and c.status == "suggested"
    ]
    for item_id in list(dict.fromkeys(named))[:12]:
        coding.decide(item_id, book, "accept", actor="analyst@example.org")
    data = build_report_data(store, workspace, codebook="dbe", counting="checked")
    assert any(" as a barrier" in h for h in data.headlines), data.headlines
    assert not any("A further 0 " in h for h in data.headlines), data.headlines
