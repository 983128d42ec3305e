"""The dashboards' figures counted by the database equal the report's, item by item.

:func:`dashboard_figures` groups items in SQL and reads only the codings that
count; :func:`report_from` reads every item and coding into Python. On SQLite
and PostgreSQL, for every visibility scope, way of counting and evidence type,
both must give the same numbers, the same small groups withheld and the same
sentences.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from upstream.frameworks import load_codebook
from upstream.records.drafts import ItemDraft
from upstream.reports.evidence import COUNTING
from upstream.store import Store, Workspace
from upstream.store.accounts import EvidenceQuery, Scope
from upstream.store.coding_repository import CodingStore
from upstream.store.visibility import BrowseQuery, ScopedEvidence
from upstream.workflows.coding import code_workspace
from upstream.workflows.dashboard_figures import dashboard_figures, segment_matrix
from upstream.workflows.reports import gather, report_from

TEXTS = (
    "Procurement rules slowed every pilot; contracts took months",
    "Pooled budgets with the NHS let us fund prevention together",
    "Trusted relationships with community groups made the difference",
    "Legacy IT systems stop us sharing data across services",
    "Staff morale fell when the youth hub closed",
)
WARDS = ("Riverside", " Riverside ", "Hilltop", "", None, "Old Town")
NOT_COMPARED = {"generated_at", "quotes", "themes", "benefits"}


def _drafts(org: str | None, n: int, start: int) -> list[ItemDraft]:
    drafts = []
    for k in range(start, start + n):
        ward = WARDS[k % len(WARDS)]
        drafts.append(
            ItemDraft(
                text=f"{TEXTS[k % len(TEXTS)]} (note {k})",
                line=k + 2,
                organisation=org,
                item_date=None if k % 7 == 0 else date(2024 + k % 2, 1 + k % 12, 1 + k % 27),
                attributes={} if ward is None else {"ward": ward},
            )
        )
    return drafts


def _build(db: str) -> tuple[Store, Workspace, dict[str, int]]:
    store = Store(db)
    workspace = store.workspace("Figures", create=True)
    with workspace.writer() as writer:
        survey = writer.add_source("survey.csv", kind="survey", imported_by="ann@a.example")
        writer.insert_items(survey, _drafts("Council A", 30, 0), shared=True)
        writer.insert_items(survey, _drafts("Council A", 12, 100), shared=False)
        writer.insert_items(survey, _drafts("Council B", 25, 200), shared=True)
        writer.insert_items(survey, _drafts("Council C", 6, 300), shared=True)
        writer.insert_items(survey, _drafts(None, 5, 400), shared=True)
        table = writer.add_source("roundtable", kind="roundtable", imported_by="bob@b.example")
        writer.insert_items(table, _drafts("Council B", 14, 500), shared=True)
        orgs = {name: writer.organisation_id(name) for name in ("Council A", "Council B")}
        sources = {"survey": survey, "roundtable": table}
    for key, threshold in (("dbe", 0.01), ("nom", 0.2), ("nom", 0.05)):
        code_workspace(
            store, workspace.name, load_codebook(key), embedder="hashing", threshold=threshold
        )
    coding = CodingStore(workspace)
    ids = sorted(item.id for item in workspace.items())
    for key, decisions in (
        (
            "dbe",
            [("accept", None), ("recode", "enabler"), ("reject", None), ("not_relevant", None)],
        ),
        ("nom", [("accept", None), ("reject", None), ("recode", None)]),
    ):
        book = coding.codebook_id(key)
        assert book is not None
        codes = [c.id for c in load_codebook(key).codes]
        for n, (decision, code) in enumerate(decisions * 4):
            chosen = code or (codes[n % len(codes)] if decision == "recode" else None)
            coding.decide(ids[n * 5 + 3], book, decision, actor="ann@a.example", code=chosen)  # type: ignore[arg-type]
    return store, workspace, {**orgs, **{f"source {k}": v for k, v in sources.items()}}


def _visible(workspace: Workspace, scope: Scope, source_ids: tuple[int, ...] | None) -> list | None:
    evidence = ScopedEvidence(workspace, scope)
    if source_ids is not None:
        return list(evidence.iter_items(BrowseQuery(source_ids=source_ids)))
    return None if scope.see_all else list(evidence.iter_items(EvidenceQuery()))


def test_counted_in_sql_equals_counted_item_by_item(db_url: str) -> None:
    store, workspace, ids = _build(db_url)
    try:
        scopes = [
            Scope(see_all=True),
            Scope(organisation_id=ids["Council A"]),
            Scope(organisation_id=ids["Council B"]),
            Scope(),
            Scope(submitted_by="bob@b.example"),
        ]
        compared = 0
        for scope in scopes:
            for counting in COUNTING:
                for codebook in (None, "dbe"):
                    for source_ids in (None, (ids["source roundtable"],)):
                        items = _visible(workspace, scope, source_ids)
                        evidence = gather(
                            store, workspace, items=items, codebook=codebook, counting=counting
                        )
                        old = report_from(evidence)
                        new = dashboard_figures(
                            workspace,
                            scope,
                            codebook=codebook,
                            counting=counting,
                            source_ids=source_ids,
                        )
                        where = (scope, counting, codebook, source_ids)
                        for field in dataclasses.fields(old):
                            if field.name not in NOT_COMPARED:
                                assert getattr(new.data, field.name) == getattr(old, field.name), (
                                    field.name,
                                    where,
                                )
                        assert new.codebooks == evidence.codebooks
                        names = sorted({i.organisation for i in evidence.items if i.organisation})
                        assert new.organisations == names
                        assert segment_matrix(
                            workspace, scope, "ward", new.coded, source_ids=source_ids
                        ) == evidence.segments("ward"), where
                        compared += 1
        assert compared == len(scopes) * len(COUNTING) * 4
    finally:
        store.close()


def test_the_figures_hold_what_the_rules_require(db_url: str) -> None:
    """Not only equal to the old figures: small groups withheld, private items kept out."""
    store, workspace, ids = _build(db_url)
    try:
        owner = dashboard_figures(workspace, Scope(see_all=True)).data
        council_b = dashboard_figures(workspace, Scope(organisation_id=ids["Council B"])).data
        assert owner.items == 92 and council_b.items == 80  # Council A's 12 private items
        rows = {row.name: row for row in owner.by_organisation}
        assert rows["Council C"].suppressed and rows["No organisation recorded"].suppressed
        assert not rows["Council A"].suppressed and rows["Council A"].items == 42
        assert owner.matrix is not None
        hidden = [row.name for row in owner.matrix.rows if row.suppressed]
        assert sorted(hidden) == ["Council C", "No organisation recorded"]
        assert all(row.counts == [] for row in owner.matrix.rows if row.suppressed)
        assert owner.method is not None and owner.method.reviewed >= 12
        assert owner.method.accepted and owner.method.rejected and owner.method.recoded
        assert owner.patterns and any(row.checked for row in owner.patterns)
        assert any(row.items for row in owner.coverage)
        assert owner.trend is not None and owner.trend.undated == sum(
            1 for item in workspace.items() if item.item_date is None
        )
    finally:
        store.close()


@pytest.fixture(autouse=True)
def _quiet_progress(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("UPSTREAM_PROGRESS", "0")
