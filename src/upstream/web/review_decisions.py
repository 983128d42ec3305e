"""People's decisions on the machine's suggestions, in the words the pages use.

The review queue and an item's own page both take decisions; both say what a
decision did in the same sentence.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from upstream.records.stored import RunRecord
from upstream.store.coding_repository import CodingRecord
from upstream.store.effective_codes import effective_codes
from upstream.web.permissions import Actor

__all__ = ["DECISIONS", "decision_message"]

DECISIONS = {
    "accept": "accepted",
    "reject": "rejected",
    "recode": "recoded",
    "not_relevant": "marked as not relevant to this framework",
    "undo": "is back in the queue: your last decision was undone",
}
"""Each decision a person can take, and what it did, as the sentence after "Item 12"."""


def decision_message(actor: Actor, run: RunRecord, done: str, item_id: int) -> str:
    """What a decision did, in words: "Item 12 recoded to “Buses and trains”.".

    Args:
        actor: Who is looking (the workspace they are in).
        run: The coding run decided on.
        done: The decision (a key of :data:`DECISIONS`, or ``nothing``).
        item_id: The item decided on.

    Returns:
        A sentence, or "" when there is nothing to say.
    """
    if done == "nothing":
        return "There is no decision of yours left to undo."
    if done not in DECISIONS or not item_id:
        return ""
    said = f"Item {item_id} {DECISIONS[done]}"
    if done in {"accept", "recode"}:
        book = str(run.parameters.get("codebook", ""))
        found = effective_codes(actor.workspace, book, run, item_ids=[item_id])
        given = [
            c
            for c in found.records
            if c.item_id == item_id and c.origin == "human" and c.status == "accepted"
        ]
        # The code accepted or chosen, then any a person added beside it ("Also about").
        main = [c for c in given if not c.explanation.get("also")]
        extra = [c for c in given if c.explanation.get("also")]
        if main:
            said += f" {'to' if done == 'recode' else 'as'} {_quoted(found.titles, main)}"
        if extra:
            said += f", and also coded {_quoted(found.titles, extra)}"
    return said + "."


def _quoted(titles: Mapping[str, str], codings: Sequence[CodingRecord]) -> str:
    """Codes by title in quotation marks: “Buses and trains”, “Roads”."""
    return ", ".join(f"\u201c{titles.get(c.code, c.code)}\u201d" for c in codings)
