"""Who wrote an item is kept to count people, and never shown beside it."""

from __future__ import annotations

from upstream.records.drafts import ItemDraft
from upstream.store import Store
from upstream.store.account_models import Scope
from upstream.store.visibility import ScopedEvidence
from upstream.workflows.describing_groups import WHO_WROTE_IT, AttributeValues


def test_a_prolific_writer_is_not_named_beside_their_replies(db_url: str) -> None:
    """Twelve replies by one handle form a group of ten or more; still not shown."""
    with Store(db_url) as store:
        with store.writer("w") as writer:
            source = writer.add_source("replies.csv", kind="consultation replies")
            drafts = [
                ItemDraft(
                    text=f"Reply number {n} about the buses",
                    line=n + 2,
                    organisation="Larkwell",
                    attributes={"respondent": "jo.marsh", "ward": "Wrenfield"},
                )
                for n in range(12)
            ]
            writer.insert_items(source, drafts)
        evidence = ScopedEvidence(store.workspace("w"), Scope(see_all=True))
        values = AttributeValues(evidence)
        item = store.workspace("w").items()[0]
        shown = values.shown(item)
        assert shown["respondent"] == WHO_WROTE_IT
        assert shown["ward"] == "Wrenfield"  # twelve items share it: shown
