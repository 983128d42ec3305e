"""A decision that no code of a framework fits teaches the coder, through the store."""

from __future__ import annotations

from pathlib import Path

from upstream.frameworks import Code, Codebook
from upstream.records.drafts import ItemDraft
from upstream.store import Store
from upstream.store.coding_repository import CodingStore
from upstream.store.no_code_fits import items_no_code_fits
from upstream.workflows.coding import code_workspace

STREETS = Codebook(
    "streets",
    "Streets and services",
    "A council's own codebook.",
    "1",
    (
        Code("waste", "Bins and rubbish", "Bin collections, litter and fly-tipping."),
        Code("buses", "Buses", "Bus services, routes and timetables."),
        Code("parks", "Parks", "Parks, playgrounds and green spaces."),
    ),
)
REPLIES = [
    "Empty the bins on Canal Road more often, they overflow every week.",
    "Fly-tipping behind the shops again, mattresses and bags of rubbish.",
    "The number 4 bus never turns up on time in the morning.",
    "Put the Sunday bus service back, we cannot get to town.",
    "The playground in the park needs new swings.",
    "More trees and benches in the green spaces please.",
    "Politicians never listen to anyone round here, what is the point.",
    "Politicians never listen to anyone round here so what is the point.",
]


def _decided_like(store: Store) -> tuple[float, str | None]:
    """Confidence and code of the last reply's newest suggestion (top one)."""
    coding = CodingStore(store.workspace("Streets"))
    item = max(i.id for i in store.workspace("Streets").items())
    newest = max(r.id for r in coding.runs(kind="coding"))
    suggestions = [c for c in coding.codings(item_ids=[item]) if c.run_id == newest]
    top = max(suggestions, key=lambda c: c.confidence or 0.0)
    return float(top.confidence or 0.0), None if top.status == "tentative" else top.code


def test_marking_a_reply_not_relevant_leaves_replies_like_it_uncoded(tmp_path: Path) -> None:
    with Store(str(tmp_path / "w.db")) as store:
        with store.writer("Streets") as writer:
            source = writer.add_source("replies.csv", kind="consultation replies")
            writer.insert_items(
                source, [ItemDraft(text=t, line=n) for n, t in enumerate(REPLIES, 2)]
            )
        workspace = store.workspace("Streets")
        coding = CodingStore(workspace)
        code_workspace(store, "Streets", STREETS, embedder="hashing", threshold=0.4)
        before = _decided_like(store)
        assert before[1] is not None  # the machine had put it under one of the codes
        first_politicians = sorted(i.id for i in workspace.items())[-2]
        book = coding.codebook_id("streets")
        assert book is not None
        coding.decide(first_politicians, book, "not_relevant", actor="analyst")
        assert items_no_code_fits(workspace, "streets") == [first_politicians]

        outcome = code_workspace(store, "Streets", STREETS, embedder="hashing", threshold=0.4)
        after = _decided_like(store)
        # The reply that says the same is left uncoded, and is far less sure.
        assert after[1] is None and after[0] < before[0]
        coded = [r.code for r in outcome.results if r.code]
        assert {"waste", "buses", "parks"} <= set(coded)

        # Given a code later, the item is no longer one that no code fits.
        coding.decide(first_politicians, book, "recode", actor="analyst", code="parks")
        assert items_no_code_fits(workspace, "streets") == []
