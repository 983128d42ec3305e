"""Breakdowns of a theme or code by organisation, role, date or any attribute.

Groups of fewer than ten people are never shown: their counts and shares are
withheld and the row says "fewer than 10" (see :mod:`upstream.policy.groups`).
People are counted by the item's respondent when known, otherwise each item
counts as one person.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from upstream.policy import FEWER_THAN, suppressed
from upstream.records.stored import ItemRecord
from upstream.signals.people import respondent_of

__all__ = ["BreakdownRow", "breakdown", "group_of"]


@dataclass(frozen=True)
class BreakdownRow:
    """One group of a breakdown.

    Attributes:
        group: The group's name (``(not recorded)`` for items without a value).
        people: People in the group, or ``None`` when suppressed.
        matching: People in the group with at least one matching item, or ``None``.
        share: ``matching / people``, or ``None`` when suppressed.
        suppressed: Whether the group is too small to show.
    """

    group: str
    people: int | None
    matching: int | None
    share: float | None
    suppressed: bool

    @property
    def shown(self) -> str:
        """The figure as a person should see it."""
        if self.suppressed or self.share is None:
            return FEWER_THAN
        return f"{self.matching} of {self.people} ({self.share:.0%})"


def group_of(item: ItemRecord, by: str) -> str:
    """The group an item falls in for a breakdown.

    Args:
        item: The item.
        by: ``organisation``, ``role``, ``date`` (month), ``year``, or an attribute name.

    Returns:
        The group's name; ``(not recorded)`` when the item has no value.
    """
    value: object
    if by == "organisation":
        value = item.organisation
    elif by == "role":
        value = item.author_role
    elif by in {"date", "month"}:
        value = item.item_date.strftime("%Y-%m") if item.item_date else None
    elif by == "year":
        value = item.item_date.year if item.item_date else item.attributes.get("year")
    else:
        value = item.attributes.get(by)
    return str(value) if value not in (None, "") else "(not recorded)"


def breakdown(
    items: Sequence[ItemRecord],
    selected: Sequence[bool],
    by: str,
) -> list[BreakdownRow]:
    """Break down who raised something (a theme, a code) by a grouping.

    Args:
        items: Every item that could have raised it (the denominator).
        selected: Whether each item raised it.
        by: See :func:`group_of`.

    Returns:
        One row per group; shown groups by share (highest first), then the
        suppressed ones alphabetically, so their order reveals nothing.

    Raises:
        ValueError: If ``selected`` does not match ``items`` in length.
    """
    if len(items) != len(selected):
        raise ValueError(f"selected has {len(selected)} entries for {len(items)} items")
    people: dict[str, set[str]] = defaultdict(set)
    matching: dict[str, set[str]] = defaultdict(set)
    for item, chosen in zip(items, selected, strict=True):
        group = group_of(item, by)
        person = respondent_of(item) or f"item:{item.id}"
        people[group].add(person)
        if chosen:
            matching[group].add(person)
    rows = []
    for group, members in people.items():
        if suppressed(len(members)):
            rows.append(BreakdownRow(group, None, None, None, True))
            continue
        hits = len(matching[group])
        rows.append(BreakdownRow(group, len(members), hits, round(hits / len(members), 4), False))
    shown = sorted((r for r in rows if not r.suppressed), key=lambda r: (-(r.share or 0), r.group))
    hidden = sorted((r for r in rows if r.suppressed), key=lambda r: r.group)
    return shown + hidden
