"""Who a piece of evidence comes from: residents, staff, partners or network members.

Every import records a *kind* ("consultation replies", "visit notes",
"roundtable", "story collection", "survey:culture", ...). Counting residents'
replies together with practitioners' notes would mix two different voices, so
the dashboards and the evidence browser filter by the evidence type a source's
kind belongs to, and say which types a count covers. An import may name its
type outright with the ``evidence_type`` option.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from upstream.records.wording import listed

__all__ = ["EVIDENCE_TYPES", "evidence_type", "type_of_source", "types_covered"]

EVIDENCE_TYPES: dict[str, str] = {
    "residents": "Residents",
    "staff": "Staff",
    "partners": "Partners",
    "network": "Network members",
}
"""Evidence types by key, with the words a page shows for each."""

# Words in a source's kind that say whose voice it is, checked in this order. A story
# collection says nothing about who writes to it (staff, partners and residents alike
# answer "Which best describes you?"), so it keeps the default unless told.
_CLUES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("residents", ("consultation", "resident", "public", "social media")),
    ("staff", ("survey", "staff", "employee")),
    ("partners", ("roundtable", "partner")),
)


def evidence_type(kind: str) -> str:
    """The evidence type of a source of this kind (``network`` when nothing says otherwise).

    Args:
        kind: The source's kind, as recorded at import.

    Returns:
        A key of :data:`EVIDENCE_TYPES`.
    """
    lowered = kind.lower()
    for key, words in _CLUES:
        if any(word in lowered for word in words):
            return key
    return "network"


def type_of_source(kind: str, options: Mapping[str, Any] | None = None) -> str:
    """A source's evidence type: its ``evidence_type`` option if valid, else from its kind."""
    chosen = str((options or {}).get("evidence_type", ""))
    return chosen if chosen in EVIDENCE_TYPES else evidence_type(kind)


def types_covered(types: Iterable[str]) -> str:
    """Plain words for the evidence types a count covers, in the usual order.

    Args:
        types: Evidence type keys (repeats are fine).

    Returns:
        For example "residents and staff", or "no evidence yet".
    """
    present = set(types)
    words = [label.lower() for key, label in EVIDENCE_TYPES.items() if key in present]
    if not words:
        return "no evidence yet"
    return listed(words)
