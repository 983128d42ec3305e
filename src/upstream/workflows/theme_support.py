"""The replies with most support in each theme: a view of a run, not a new run.

A consultation officer often reads only the replies that many people liked
("replies with more than 20 likes"). Theming those replies alone would find
other themes with other numbers; this view keeps the run's themes and counts,
in each, the replies with at least so many likes, reposts and other reactions,
with the most-liked first. Every adapter that offers the view calls
:func:`support_by_theme`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from upstream.policy import FEWER_THAN, suppressed, withheld
from upstream.records.stored import ItemRecord
from upstream.workflows.themes import engagement_of

__all__ = [
    "NOT_SHOWN",
    "ThemeSupport",
    "most_liked",
    "read_least",
    "support_by_theme",
    "supported_total",
]

NOT_SHOWN = "not shown"
"""A count of 10 or more hidden because the rest of the theme would be fewer than 10."""


@dataclass(frozen=True)
class ThemeSupport:
    """One theme's replies with at least ``least`` reactions, most-liked first.

    Attributes:
        least: The fewest likes and other reactions a reply needs to count.
        replies: Those replies, most-liked first (ties keep the theme's order).
        counted: The theme's replies looked at (the ones the person may see).
        reactions: The likes and other reactions on those replies, added up.
        shown: How many there are, as it may be shown: a number, "fewer than
            10", or "not shown" when the rest of the theme is fewer than 10
            (the theme's size less this count would give them away).
    """

    least: float
    replies: tuple[ItemRecord, ...]
    counted: int
    reactions: int
    shown: str


def support_by_theme(
    members: Mapping[int, Sequence[ItemRecord]], least: float
) -> dict[int, ThemeSupport]:
    """Each theme's replies with at least ``least`` likes and other reactions.

    Args:
        members: Each theme's items the person may see, by theme id.
        least: The fewest likes, reposts and other reactions to count a reply.

    Returns:
        One :class:`ThemeSupport` per theme, by theme id.
    """
    found = {}
    for theme_id, items in members.items():
        ranked = sorted(
            (item for item in items if engagement_of(item) >= least),
            key=lambda i: -engagement_of(i),
        )
        count = len(ranked)
        hidden = withheld({"supported": count, "rest": len(items) - count})
        if "supported" not in hidden:
            shown = f"{count:,}"
        else:
            shown = FEWER_THAN if suppressed(count) else NOT_SHOWN
        found[theme_id] = ThemeSupport(
            least=least,
            replies=tuple(ranked),
            counted=len(items),
            reactions=round(sum(engagement_of(item) for item in ranked)),
            shown=shown,
        )
    return found


def supported_total(support: Mapping[int, ThemeSupport]) -> str:
    """How many replies in all the themes reach the threshold, as it may be shown.

    The total less the themes' counts shown is what the hidden ones hold
    between them, so it is shown only when that is 0 or 10 or more.
    """
    total = sum(len(s.replies) for s in support.values())
    hidden = sum(len(s.replies) for s in support.values() if not s.shown[:1].isdigit())
    if suppressed(hidden):
        return NOT_SHOWN
    return FEWER_THAN if suppressed(total) else f"{total:,}"


def most_liked(support: Mapping[int, ThemeSupport], top: int = 10) -> list[tuple[int, ItemRecord]]:
    """The replies with most likes across every theme, each with its theme's id."""
    ranked = sorted(
        ((theme_id, item) for theme_id, s in support.items() for item in s.replies),
        key=lambda pair: -engagement_of(pair[1]),
    )
    return ranked[:top]


def read_least(text: str | None) -> float | None:
    """The fewest reactions asked for in a page's address, or ``None`` for every reply.

    A blank, negative or unreadable value shows every reply rather than an error:
    the value comes from a form field whose browser check may be off.
    """
    try:
        least = float(str(text or "").strip())
    except ValueError:
        return None
    return least if least > 0 and least == least and least < 1e12 else None
