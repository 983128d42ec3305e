"""One kind of evidence's view cannot be subtracted from everyone's to find a small group.

Everyone's dashboard shows 25 items coded to a barrier: 11 from network
members, 13 from residents and 1 from staff. Each view alone is safe, but
25 - 11 - 13 = 1 gives the staff's one item away. Each one-kind view must
withhold enough that no such sum can be done, and every view must agree on
which figures are hidden.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date

import pytest

from upstream.frameworks import load_codebook
from upstream.policy import FEWER_THAN, MIN_GROUP, suppressed
from upstream.records.drafts import ItemDraft
from upstream.reports.analysis import period_of
from upstream.reports.counts import NOT_SHOWN
from upstream.reports.model import ReportData
from upstream.store import Store, Workspace
from upstream.store.accounts import Scope
from upstream.store.coding_repository import CodingStore
from upstream.store.repository import WorkspaceWriter
from upstream.workflows.coding import code_workspace
from upstream.workflows.dashboard_figures import dashboard_figures, segment_matrix

# Items per kind of evidence coded "legacy IT" (a barrier), by a person.
SPLIT = {"network": 11, "residents": 13, "staff": 1}
CODE = "barrier.legacy_it"


def _add_kind(writer: WorkspaceWriter, kind: str, drafts: list[ItemDraft]) -> tuple[int, ...]:
    """A source of one kind of evidence holding ``drafts``, shared; its id, as views take it."""
    source = writer.add_source(f"{kind}.csv", kind="notes", options={"evidence_type": kind})
    writer.insert_items(source, drafts, shared=True)
    return (source,)


def _build(db: str) -> tuple[Store, Workspace, dict[str, tuple[int, ...]]]:
    store = Store(db)
    workspace = store.workspace("Views", create=True)
    sources: dict[str, tuple[int, ...]] = {}
    with workspace.writer() as writer:
        for kind, n in SPLIT.items():
            drafts = [
                ItemDraft(
                    text=f"Old case systems cannot share records, note {kind} {k}",
                    line=k + 2,
                    organisation="Council A",
                    item_date=date(2024, 3, 1 + k % 27),
                    attributes={"ward": "Riverside"},
                )
                for k in range(n + 12)  # 12 more items each, left uncoded
            ]
            sources[kind] = _add_kind(writer, kind, drafts)
    code_workspace(store, workspace.name, load_codebook("dbe"), embedder="hashing", threshold=0.99)
    coding = CodingStore(workspace)
    book = coding.codebook_id("dbe")
    assert book is not None
    for kind, n in SPLIT.items():
        ids = sorted(item.id for item in workspace.items() if item.source_id == sources[kind][0])
        for item_id in ids[:n]:
            coding.decide(item_id, book, "recode", actor="ann@a.example", code=CODE)
    return store, workspace, sources


def _view(
    workspace: Workspace, sources: dict[str, tuple[int, ...]], kind: str | None
) -> ReportData:
    figures = dashboard_figures(
        workspace,
        Scope(see_all=True),
        codebook="dbe",
        counting="checked",
        source_ids=sources[kind] if kind else None,
        beside={k: ids for k, ids in sources.items() if k != kind} if kind else None,
        kind=kind or "",
    )
    return figures.data


def _shown(text: str) -> int | None:
    """A figure as a reader could use it: a number, or None when withheld."""
    return None if text in (FEWER_THAN, NOT_SHOWN) else int(text.replace(",", ""))


def test_no_kind_of_evidence_can_be_worked_out_from_the_others(db_url: str) -> None:
    store, workspace, sources = _build(db_url)
    try:
        everyone = _view(workspace, sources, None)
        views = {kind: _view(workspace, sources, kind) for kind in sources}

        def code_row(data: ReportData) -> str:
            return next(r.shown for r in data.coverage if r.code == CODE)

        assert code_row(everyone) == "25"
        assert code_row(views["staff"]) == FEWER_THAN
        assert code_row(views["residents"]) == "13"
        # 11 network members' items are hidden so that the staff's 1 is not 25 - 11 - 13.
        assert code_row(views["network"]) == NOT_SHOWN
        hidden = sum(n for kind, n in SPLIT.items() if _shown(code_row(views[kind])) is None)
        assert hidden >= MIN_GROUP

        # The same holds for the heatmap's cell, the barriers table and the trends.
        for data in (everyone, *views.values()):
            assert data.matrix is not None and data.trend is not None
        barrier = next(n for n, code in enumerate(everyone.matrix.codes) if code == "barrier")
        shown = {kind: _shown(data.matrix.rows[0].cell(barrier)) for kind, data in views.items()}
        assert shown == {"network": None, "residents": 13, "staff": None}
        patterns = {
            kind: next(r.shown for r in data.patterns if r.code == CODE)
            for kind, data in views.items()
        }
        assert patterns == {"network": NOT_SHOWN, "residents": "13", "staff": FEWER_THAN}
        # Every kind's view counts in the same periods (the coarsest any would choose).
        assert {data.trend.period for data in views.values() if data.trend} == {"year"}
        for kind, data in views.items():
            trend = data.trend
            assert trend is not None
            column = trend.codes.index("barrier")
            cell = trend.rows_shown()[0][2 + column]
            assert cell == {"network": NOT_SHOWN, "residents": 13, "staff": FEWER_THAN}[kind]
            # A withheld count is not drawn either.
            assert trend.series_shown[column][0] == (13 if kind == "residents" else None)

        # No headline gives a withheld count, or how many items were coded at all.
        assert "(items not shown)" in " ".join(views["network"].headlines)
        assert "(fewer than 10 items, fewer than 10 coded or checked by people)" in " ".join(
            views["staff"].headlines
        )
        for kind in ("network", "staff"):
            text = " ".join(views[kind].headlines)
            assert "11 items" not in text and "1 item" not in text, kind
            assert "We could code 11" not in text and "We could code 1 " not in text, kind
    finally:
        store.close()


def test_breakdowns_by_an_attribute_are_covered_too(db_url: str) -> None:
    store, workspace, sources = _build(db_url)
    try:
        scope = Scope(see_all=True)
        cells = {}
        for kind in sources:
            beside = {k: ids for k, ids in sources.items() if k != kind}
            found = dashboard_figures(
                workspace,
                scope,
                codebook="dbe",
                counting="checked",
                source_ids=sources[kind],
                beside=beside,
                kind=kind,
            )
            matrix = segment_matrix(
                workspace,
                scope,
                "ward",
                found.coded,
                source_ids=sources[kind],
                beside=found.beside,
                kind=kind,
            )
            assert matrix is not None
            barrier = matrix.codes.index("barrier")
            cells[kind] = {row.name: _shown(row.cell(barrier)) for row in matrix.rows}
        assert cells == {
            "network": {"Riverside": None},
            "residents": {"Riverside": 13},
            "staff": {"Riverside": None},
        }
    finally:
        store.close()


def test_a_view_with_nothing_small_beside_it_hides_nothing_more(db_url: str) -> None:
    """Covering is for subtraction only: without a small part, every count is shown."""
    store, workspace, sources = _build(db_url)
    try:
        both = {k: v for k, v in sources.items() if k != "staff"}
        # Without staff, everyone is network members and residents, 11 and 13.
        data = dashboard_figures(
            workspace,
            Scope(see_all=True),
            codebook="dbe",
            counting="checked",
            source_ids=both["network"],
            beside={"residents": both["residents"]},
            kind="network",
        ).data
        row = next(r for r in data.coverage if r.code == CODE)
        assert row.shown == "11" and not row.covered
        assert not suppressed(row.items)
    finally:
        store.close()


@pytest.fixture(autouse=True)
def _quiet_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UPSTREAM_PROGRESS", "0")


Name = tuple[str, tuple]


def _figures_shown(data: ReportData, view: str) -> tuple[dict[Name, int | None], list]:
    """What a reader sees of one view, by figure, and the sums those figures obey.

    A figure is its number when shown, None when withheld. Sums: an element's
    count is its cells across organisations and across periods (plus its
    undated items, never shown); the view's items are its organisations'.
    """
    seen: dict[Name, int | None] = {(view, ("items",)): None if data.items_covered else data.items}
    for row in data.coverage:
        seen[(view, ("code", row.code))] = None if row.hidden else row.items
    relations = []
    matrix, trend = data.matrix, data.trend
    assert matrix is not None and trend is not None
    for n, code in enumerate(matrix.codes):
        cells = []
        for row in matrix.rows:
            name = (view, ("org-cell", row.name, code))
            seen[name] = None if row.suppressed or row.withheld(n) else row.counts[n]
            cells.append(name)
        relations.append(((view, ("code", code)), cells))
    for row in matrix.rows:
        hidden = row.suppressed or row.totals_covered
        seen[(view, ("org", row.name))] = None if hidden else row.items
    relations.append(((view, ("items",)), [(view, ("org", r.name)) for r in matrix.rows]))
    shown = trend.series_shown
    for s, code in enumerate(trend.codes):
        cells = [(view, ("trend", label, code)) for label in trend.periods]
        for p, name in enumerate(cells):
            seen[name] = shown[s][p]
        seen[(view, ("undated", code))] = None
        relations.append(((view, ("code", code)), [*cells, (view, ("undated", code))]))
    return seen, relations


def _every_view_shown(
    views: dict[str, ReportData], sources: dict[str, tuple[int, ...]]
) -> tuple[dict[Name, int | None], list]:
    """What a reader sees across every view, and every sum those figures obey."""
    seen: dict[Name, int | None] = {}
    relations: list = []
    for view, data in views.items():
        found, sums = _figures_shown(data, view)
        seen.update(found)
        relations += sums
    # Everyone's figure is the sum of the kinds' wherever they count the same thing.
    for name in [name for name in seen if name[0] == "everyone"]:
        parts = [(kind, name[1]) for kind in sources if (kind, name[1]) in seen]
        if parts:
            relations.append((name, parts))
    return seen, relations


def _derivable(seen: dict[Name, int | None], relations: list) -> dict[Name, int]:
    """Every figure a reader could work out exactly, by adding and subtracting."""
    known = {name: value for name, value in seen.items() if value is not None}
    changed = True
    while changed:
        changed = False
        for total, parts in relations:
            names = [total, *parts]
            unknown = [name for name in names if name not in known]
            if len(unknown) != 1:
                continue
            missing = unknown[0]
            parts_known = sum(known.get(p, 0) for p in parts if p != missing)
            known[missing] = known[total] - parts_known if missing != total else parts_known
            changed = True
    return known


def _truth(plan: list[tuple[str, str, str, int]], periods: dict[str, str]) -> dict[Name, int]:
    """Every figure's real count in every view, from what was put in (all on 1 March)."""
    truth: Counter[Name] = Counter()
    for kind, org, code, year in plan:
        root = code.split(".")[0]
        for view in ("everyone", kind):
            label = period_of(date(year, 3, 1), periods[view])
            truth[(view, ("items",))] += 1
            truth[(view, ("org", org))] += 1
            truth[(view, ("code", code))] += 1
            truth[(view, ("code", root))] += 1
            truth[(view, ("org-cell", org, root))] += 1
            truth[(view, ("trend", label, root))] += 1
    return dict(truth)


def test_no_small_figure_can_be_worked_out_across_all_the_views(db_url: str) -> None:
    """Everything a reader sees in every view, and every sum it obeys: no small count follows."""
    store = Store(db_url)
    try:
        workspace = store.workspace("Many", create=True)
        sources: dict[str, tuple[int, ...]] = {}
        plan: list[tuple[str, str, str, int]] = []  # kind, organisation, code, year
        draw = random.Random(4)
        codes = ["barrier.legacy_it", "enabler.pooled_budgets", "driver.crisis"]
        for kind in ("network", "residents", "staff"):
            for org in ("Council A", "Council B", "Council C"):
                for code in codes:
                    for year in (2024, 2025):
                        plan += [(kind, org, code, year)] * draw.choice([0, 1, 2, 4, 7, 9, 11, 15])
        with workspace.writer() as writer:
            for kind in ("network", "residents", "staff"):
                drafts = [
                    ItemDraft(
                        text=f"Note {k} about {code}",
                        line=k + 2,
                        organisation=org,
                        item_date=date(year, 3, 1),
                    )
                    for k, (each, org, code, year) in enumerate(plan)
                    if each == kind
                ]
                sources[kind] = _add_kind(writer, kind, drafts)
        code_workspace(
            store, workspace.name, load_codebook("dbe"), embedder="hashing", threshold=0.99
        )
        coding = CodingStore(workspace)
        book = coding.codebook_id("dbe")
        assert book is not None
        for item in workspace.items():
            coding.decide(
                item.id, book, "recode", actor="ann@a.example", code=item.text.split()[-1]
            )
        views = {"everyone": _view(workspace, sources, None)}
        views.update((kind, _view(workspace, sources, kind)) for kind in sources)
        truth = _truth(
            plan, {view: data.trend.period for view, data in views.items() if data.trend}
        )
        seen, relations = _every_view_shown(views, sources)
        known = _derivable(seen, relations)
        assert all(known[name] == truth.get(name, 0) for name in known if name in truth)
        leaks = {
            name: value
            for name, value in known.items()
            if seen.get(name) is None and suppressed(truth.get(name, value))
        }
        assert not leaks, leaks
        # And the views still show most of what is safe to show.
        shown = sum(1 for name, value in seen.items() if value is not None and value >= MIN_GROUP)
        assert shown >= 20
    finally:
        store.close()


def test_a_chart_says_not_shown_for_a_count_hidden_to_cover_a_smaller_one() -> None:
    """Saying "fewer than 10" of a hidden 11 would be untrue."""
    from upstream.reports.svg import bar_chart

    svg = bar_chart(
        ["Mindset", "Outcomes", "Purpose"],
        [None, None, 14],
        title="Coded items",
        withheld=["fewer than 10", NOT_SHOWN, "14"],
    )
    values = [v for v in svg.split('class="chart-value"')[1:]]
    assert [v.split(">")[1].split("<")[0] for v in values] == ["fewer than 10", "not shown", "14"]


def test_one_organisation_s_kind_of_evidence_does_not_give_its_other_evidence_away(
    db_url: str,
) -> None:
    """Residents' replies all from Council A: their number is Council A's residents' count.

    With everyone's count for Council A beside it, that would give away Council
    A's other evidence (5 staff and 4 network items: 9, a small group), so the
    residents' view withholds both its number of items and Council A's row.
    """
    store = Store(db_url)
    try:
        workspace = store.workspace("One place", create=True)
        sources: dict[str, tuple[int, ...]] = {}
        plan = {
            "residents": {"Council A": 30},
            "staff": {"Council A": 5, "Council B": 20},
            "network": {"Council A": 4, "Council B": 25},
        }
        with workspace.writer() as writer:
            for kind, orgs in plan.items():
                drafts = [
                    ItemDraft(
                        text=f"Old systems cannot share records, {kind} {org} {k}",
                        line=k + 2,
                        organisation=org,
                        item_date=date(2024, 3, 1),
                    )
                    for org, n in orgs.items()
                    for k in range(n)
                ]
                sources[kind] = _add_kind(writer, kind, drafts)
        code_workspace(
            store, workspace.name, load_codebook("dbe"), embedder="hashing", threshold=0.99
        )
        coding = CodingStore(workspace)
        book = coding.codebook_id("dbe")
        assert book is not None
        for item in workspace.items():
            coding.decide(item.id, book, "recode", actor="ann@a.example", code=CODE)
        views = {"everyone": _view(workspace, sources, None)}
        views.update((kind, _view(workspace, sources, kind)) for kind in sources)
        known = _derivable(*_every_view_shown(views, sources))
        residents = views["residents"]
        assert residents.items_covered and ("residents", ("items",)) not in known
        assert ("residents", ("org", "Council A")) not in known
        headline = residents.headlines[0]
        assert "30" not in headline and "How many items is not shown" in headline
        assert all("30" not in c.sentence() for c in residents.checks)
        # Council A's other evidence stays unknown, kind by kind; everyone's view
        # still gives its number of items (another kind's may be withheld with the
        # residents', so that theirs is not everyone's less the rest).
        assert ("staff", ("org", "Council A")) not in known
        assert ("network", ("org", "Council A")) not in known
        assert not views["everyone"].items_covered
    finally:
        store.close()
