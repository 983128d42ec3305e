"""Plain results of theme discovery: themes, quotes, stance and the whole run.

These are frozen dataclasses with no numpy inside (apart from what the caller
chooses to keep from the estimator), so they can be printed, compared in
tests, written to CSV and stored as JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Quote", "StanceSide", "StanceSummary", "Theme"]


@dataclass(frozen=True)
class Quote:
    """A representative quote of a theme.

    Attributes:
        index: Position of the item in the texts given to ``fit``.
        text: The item's text.
        similarity: Cosine similarity to the theme's centre (higher = more typical).
    """

    index: int
    text: str
    similarity: float


@dataclass(frozen=True)
class StanceSide:
    """One side of a theme's split by stance.

    Attributes:
        side: ``"for"`` (for / positive), ``"against"`` (against / negative) or
            ``"neutral"`` (neither, or mixed).
        count: Items on this side.
        quote: The most typical item on this side, if any.
    """

    side: str
    count: int
    quote: Quote | None = None


@dataclass(frozen=True)
class StanceSummary:
    """How a theme's members divide for and against.

    Attributes:
        sides: Every side with at least one item, largest first.
        sentence: Plain English, e.g. ``Most (9 of 14) were against: "..."; a
            minority (4) were for: "..."``.
        contested: Whether both ``for`` and ``against`` have a real share
            (each at least ``min_share`` of the theme and at least 2 items).
    """

    sides: tuple[StanceSide, ...]
    sentence: str
    contested: bool

    def count(self, side: str) -> int:
        """Number of items on ``side`` (0 when nobody took it)."""
        return next((s.count for s in self.sides if s.side == side), 0)


@dataclass(frozen=True)
class Theme:
    """One theme (or sub-theme) and the evidence behind it.

    Attributes:
        id: Theme number: 0, 1, ... in order of size (largest first). Sub-themes
            are numbered within their parent.
        label: Short human-readable label (key phrases, an LLM's label or a
            person's rename).
        keywords: Distinctive words and phrases, most distinctive first.
        size: Items in the theme.
        respondents: Distinct people (items without a respondent count as one each).
        organisations: Distinct organisations named, alphabetically.
        engagement_size: Sum over items of 1 + their engagement counts (likes,
            reposts, ...); ``None`` when no item carried engagement.
        quotes: 3-5 central, non-duplicate quotes (fewer for tiny themes).
        members: Positions of the items in the texts given to ``fit``.
        parent: The parent theme's id for a sub-theme, ``None`` for a theme.
        subthemes: The sub-themes of a top-level theme (empty when it is too
            small to divide, or for a sub-theme itself).
        stance: How the members divide for and against, when computed.
        edited: What people did to it, e.g. ``("renamed",)`` or ``("merged",)``.
    """

    id: int
    label: str
    keywords: tuple[str, ...]
    size: int
    respondents: int
    organisations: tuple[str, ...]
    engagement_size: float | None
    quotes: tuple[Quote, ...]
    members: tuple[int, ...]
    parent: int | None = None
    subthemes: tuple[Theme, ...] = field(default=())
    stance: StanceSummary | None = None
    edited: tuple[str, ...] = field(default=())
