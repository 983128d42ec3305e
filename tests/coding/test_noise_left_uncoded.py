"""Spam and replies that say nothing are left uncoded, with no guess in the review queue."""

from __future__ import annotations

from pathlib import Path

from upstream.frameworks import load_codebook
from upstream.records.drafts import ItemDraft
from upstream.store import Store
from upstream.store.coding_repository import CodingStore
from upstream.workflows.coding import code_workspace

REPLIES = [
    "Procurement rules slowed our pilot with the food bank by nine months.",
    "The pooled budget with health means we stop arguing about whose money it is.",
    "Our case management system is twenty years old and cannot talk to anything.",
    "Driveways, patios and block paving - FREE quotes across Larkwell. Call Dave on 07700 900123",
    "test",
]


def test_spam_and_empty_replies_get_no_code_and_no_guess(tmp_path: Path) -> None:
    with Store(str(tmp_path / "w.db")) as store:
        with store.writer("Network") as writer:
            source = writer.add_source("notes")
            writer.insert_items(
                source, [ItemDraft(text=t, line=n) for n, t in enumerate(REPLIES, start=2)]
            )
        outcome = code_workspace(
            store, "Network", load_codebook("dbe"), embedder="hashing", threshold=0.0
        )
        workspace = store.workspace("Network")
        coded_items = {c.item_id for c in CodingStore(workspace).codings()}
        run = CodingStore(workspace).runs(kind="coding", limit=1)[0]
        by_text = {item.text: item.id for item in workspace.items()}
    assert outcome.set_aside == 2
    # Forced to code everything (threshold 0), the three real replies are coded...
    assert outcome.coded == 3
    assert {by_text[t] for t in REPLIES[:3]} <= coded_items
    # ...and the advert and "test" have nothing stored, not even a best guess.
    assert not {by_text[t] for t in REPLIES[3:]} & coded_items
    # The run says how many have no suggestion, so its pages can count them out.
    assert run.summary["no_suggestion"] == 2
