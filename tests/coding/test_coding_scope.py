"""Whose evidence a workspace run codes: built-in frameworks leave residents' replies to themes."""

from __future__ import annotations

from pathlib import Path

import pytest

from upstream.frameworks import Code, Codebook, load_codebook
from upstream.records.drafts import ItemDraft
from upstream.records.evidence_types import EVIDENCE_TYPES
from upstream.store import Store
from upstream.store.coding_repository import CodingStore
from upstream.workflows.coding import code_workspace
from upstream.workflows.coding_scope import chosen_evidence
from upstream.workflows.reports import build_report_data

NOTES = [
    "Procurement rules slowed our pilot with the food bank by nine months.",
    "The pooled budget with health means we stop arguing about whose money it is.",
    "Our case management system is twenty years old and cannot talk to anything.",
]
REPLIES = [
    "Stop the fly-tipping on Canal Road, it has been there for weeks.",
    "Bring back the free bulky waste collection.",
]


def _workspace(path: Path) -> Store:
    store = Store(str(path))
    with store.writer("Network") as writer:
        notes = writer.add_source("notes.csv", kind="visit notes")
        writer.insert_items(
            notes,
            [ItemDraft(text=t, line=n, organisation="Tullworth") for n, t in enumerate(NOTES, 2)],
        )
        replies = writer.add_source("replies.csv", kind="consultation replies")
        writer.insert_items(
            replies,
            [ItemDraft(text=t, line=n, organisation="Larkwell") for n, t in enumerate(REPLIES, 2)],
        )
    return store


def _coded(store: Store) -> set[str]:
    workspace = store.workspace("Network")
    texts = {item.id: item.text for item in workspace.items()}
    return {texts[c.item_id] for c in CodingStore(workspace).codings()}


def test_a_built_in_framework_codes_what_practitioners_say(tmp_path: Path) -> None:
    with _workspace(tmp_path / "w.db") as store:
        outcome = code_workspace(
            store, "Network", load_codebook("dbe"), embedder="hashing", threshold=0.0
        )
        coded = _coded(store)
        run = CodingStore(store.workspace("Network")).runs(kind="coding")[0]
        report = build_report_data(store, "Network", codebook="dbe")
    assert len(outcome.results) == len(NOTES)
    assert outcome.left_out == {"residents": len(REPLIES)}
    assert coded == set(NOTES)
    assert run.parameters["evidence_types"] == ["staff", "partners", "network"]
    assert run.parameters["left_out"] == {"residents": 2}
    # Every count of the run's codes says what it left out, and why.
    said = " ".join(report.headlines)
    assert (
        "Evidence from residents is not coded against Drivers, barriers and enablers of "
        "change. The framework describes how organisations work, so by default it is applied "
        "to what staff, partners and network members say."
    ) in said


def test_a_person_can_code_every_kind_and_their_own_codebook_does(tmp_path: Path) -> None:
    own = Codebook(
        "waste",
        "Waste and streets",
        "A council's own codebook.",
        "1",
        (Code("waste", "Waste", "Rubbish, fly-tipping and bins."), Code("other", "Other", "")),
    )
    with _workspace(tmp_path / "w.db") as store:
        every = code_workspace(
            store,
            "Network",
            load_codebook("dbe"),
            embedder="hashing",
            threshold=0.0,
            evidence_types=EVIDENCE_TYPES,
        )
        assert not every.left_out and len(every.results) == len(NOTES) + len(REPLIES)
        # A retrain codes again what a person chose; a framework's default is worked out afresh.
        assert chosen_evidence(every.scope) == list(EVIDENCE_TYPES)
        mine = code_workspace(store, "Network", own, embedder="hashing", threshold=0.0)
        assert not mine.left_out and len(mine.results) == len(NOTES) + len(REPLIES)
        run = CodingStore(store.workspace("Network")).runs(kind="coding")[0]
        assert run.parameters["evidence_types_by"] == "framework"
        assert chosen_evidence(run.parameters) is None
        with pytest.raises(ValueError, match="Unknown evidence type public"):
            code_workspace(store, "Network", own, embedder="hashing", evidence_types=["public"])


def test_a_report_on_evidence_left_out_says_why_not_nought_of_n(tmp_path: Path) -> None:
    from upstream.workflows.reports import OneKind, gather, report_from

    with _workspace(tmp_path / "w.db") as store:
        code_workspace(store, "Network", load_codebook("dbe"), embedder="hashing", threshold=0.0)
        workspace = store.workspace("Network")
        replies = {i.source_id for i in workspace.items() if i.text in REPLIES}
        evidence = gather(store, workspace, codebook="dbe")
        residents = report_from(
            evidence,
            one_kind=OneKind("residents", frozenset(replies), frozenset(), None),
        )
    said = " ".join(residents.headlines)
    assert "We could code 0" not in said
    assert "Evidence from residents is not coded against" in said
    assert residents.checks[0].sentence().startswith("Evidence from residents is not coded")
    # The caveats say why those items have no code, beside how many have none.
    assert any("have no code" in c and "Evidence from residents" in c for c in residents.caveats)
