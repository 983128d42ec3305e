"""Counts of the evidence a person may see, worked out by the database rather than item by item.

A dashboard over 100,000 items needs each item only as a number in a group
(its organisation, its source, its day); the few facts kept per item are for
the items that carry a code or a person's decision.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class ItemFacts:
    """What counting needs of one item: where it came from and when."""

    id: int
    source_id: int
    organisation: str | None
    item_date: date | None


@dataclass(frozen=True)
class ItemTally:
    """The items a person may see, counted in groups.

    Attributes:
        total: How many items.
        organisations: Items per organisation's name (None: no organisation recorded).
        sources: Items per source id.
        days: Dated items per day; the rest have no date.
    """

    total: int
    organisations: dict[str | None, int] = field(default_factory=dict)
    sources: dict[int, int] = field(default_factory=dict)
    days: dict[date, int] = field(default_factory=dict)

    @property
    def undated(self) -> int:
        """How many items have no date."""
        return self.total - sum(self.days.values())


__all__ = ["ItemFacts", "ItemTally"]
