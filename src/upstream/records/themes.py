"""Plain results of theme discovery (themes, quotes, stance) and people's edits to them.

These are frozen dataclasses with no numpy inside (apart from what the caller
chooses to keep from the estimator), so they can be printed, compared in
tests, written to CSV and stored as JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from upstream.policy.quotes import mask_swearing

__all__ = [
    "EVERYTHING_ELSE",
    "IN_GENERAL",
    "OTHER_LABEL",
    "Action",
    "Quote",
    "StanceSide",
    "StanceSummary",
    "SummarySentence",
    "Theme",
    "ThemeEdit",
    "ThemeRef",
    "listing_order",
    "read_number",
]

OTHER_LABEL = "Other comments (mixed subjects)"
"""The name of a theme or sub-theme that mixes many subjects (the mixed theme is numbered last).

It is upstream's own wording, not drawn from any item, so it may be shown to
anyone, whatever items they may see.
"""


EVERYTHING_ELSE = "Everything else"
"""The name of the mixed leftover among the mixed theme's own sub-themes.

Under "Other comments (mixed subjects)" a sub-theme of that name too would not
tell a reader anything; like it, this is upstream's own wording.
"""


IN_GENERAL = " in general"
"""Added to the name of the sub-theme at a theme's core ("LTN in general"): upstream's words."""


def listing_order(label: str, size: int) -> tuple[bool, int]:
    """Sort key for listing sub-themes: largest first, a mixed leftover last."""
    return label in (OTHER_LABEL, EVERYTHING_ELSE), -size


Action = Literal["rename", "merge", "split"]


def read_number(number: int) -> int:
    """A theme's number as people read it, counting from 1 (-1, for no theme, stays -1).

    Every output people read (pages, the command line, its CSV files) uses it,
    so "theme 3" is the same theme everywhere.
    """
    return number + 1 if number >= 0 else -1


@dataclass(frozen=True)
class Quote:
    """A representative quote of a theme.

    Attributes:
        index: Position of the item in the texts given to ``fit``.
        text: The item's text, swear words masked ("s***"), however the quote
            was made: every theme quote may be printed.
        similarity: Cosine similarity to the theme's centre (higher = more typical).
    """

    index: int
    text: str
    similarity: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "text", mask_swearing(self.text))


@dataclass(frozen=True)
class SummarySentence:
    """One sentence of a theme's summary and the quotes it rests on.

    Attributes:
        text: The sentence.
        quotes: Positions (in the texts given to ``fit``) of the theme's quotes
            it cites; never empty, and every one is a quote of the same theme.
    """

    text: str
    quotes: tuple[int, ...]


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
    """How a theme's members divide by tone: positive, negative or neutral.

    Attributes:
        sides: Every side with at least one item, largest first.
        sentence: Plain English, e.g. ``On buses: most (9 of 14) were negative
            in tone: "..."; a minority (4) were positive in tone: "..."``.
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
        id: Its position: 0, 1, ... in order of size (largest first) in a fresh
            run, the value its items have in a discovery's ``labels_``. Sub-themes
            are numbered within their parent.
        label: Short human-readable label (key phrases, an LLM's label or a
            person's rename).
        keywords: Distinctive words and phrases, most distinctive first.
        size: Items in the theme.
        respondents: Distinct people (items without a respondent count as one each).
        unnamed: Members the evidence does not say who wrote: each counts as one
            respondent, so readers are told how many (all of them: the data have
            no respondent, and the count of people is not known).
        organisations: Distinct organisations named, alphabetically.
        engagement_size: Sum over items of 1 + their engagement counts (likes,
            reposts, ...); ``None`` when no item carried engagement.
        quotes: 3-5 central, non-duplicate quotes (fewer for tiny themes).
        members: Positions of the items in the texts given to ``fit``.
        parent: The parent theme's id for a sub-theme, ``None`` for a theme.
        subthemes: The sub-themes of a top-level theme (empty when it is too
            small to divide, or for a sub-theme itself).
        stance: How the members divide in tone (positive, negative, neutral), when computed.
        edited: What people did to it, e.g. ``("renamed",)`` or ``("merged",)``.
        description: One plain sentence on what its items mention (empty when unknown).
        summary: Sentences a model endpoint wrote about it, each citing its quotes
            (empty unless an endpoint named the themes).
        named_by: The model that wrote the label and summary, ``""`` when upstream
            named it itself (shown to readers beside the name).
        repeated: Members whose words another member repeats word for word (a
            campaign's template, or one person replying more than once); each
            still counts as an item and, unless the data say who wrote it, as a
            respondent, so readers are told.
        number: The number people know it by, 0-based (theme "3" is number 2).
            It stays with the theme across merges, splits and re-runs, so
            numbers may have gaps where themes were merged away; it is ``id``
            unless set.
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
    description: str = ""
    summary: tuple[SummarySentence, ...] = field(default=())
    named_by: str = ""
    repeated: int = 0
    unnamed: int = 0
    number: int = -1

    def __post_init__(self) -> None:
        if self.number < 0:
            # Frozen: the default number is the position, set once here.
            object.__setattr__(self, "number", self.id)

    @property
    def code(self) -> str:
        """Its number as people read it, counting from 1: ``"3"``."""
        return str(read_number(self.number))


@dataclass(frozen=True)
class ThemeRef:
    """The fingerprint of a theme as it was when someone edited it.

    Attributes:
        label: Its label at the time (for messages).
        centroid: Its unit centre in the embedder's space.
        members: Keys of its members.
    """

    label: str
    centroid: tuple[float, ...]
    members: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-ready dictionary."""
        return {
            "label": self.label,
            "centroid": [round(x, 6) for x in self.centroid],
            "members": list(self.members),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ThemeRef:
        """Rebuild from :meth:`to_json` output."""
        return cls(
            str(data.get("label", "")),
            tuple(float(x) for x in data.get("centroid", [])),
            tuple(str(x) for x in data.get("members", [])),
        )


@dataclass(frozen=True)
class ThemeEdit:
    """One edit a person made.

    Attributes:
        action: ``rename`` (one target, new ``label``), ``merge`` (two or more
            targets become one, optionally relabelled) or ``split`` (one target
            divided between ``parts`` centres, each with an optional label).
        targets: The edited themes' fingerprints.
        label: The new label (rename, merge).
        parts: Unit centres of the parts (split).
        part_labels: Labels of the parts, ``""`` to keep the automatic one (split).
        model_id: The embedder the centres belong to; centres are only compared
            under the same embedder.
        actor: Who made the edit.
        id: Its id in the store, once stored.
    """

    action: Action
    targets: tuple[ThemeRef, ...]
    label: str | None = None
    parts: tuple[tuple[float, ...], ...] = ()
    part_labels: tuple[str, ...] = ()
    model_id: str = ""
    actor: str = ""
    id: int | None = field(default=None, compare=False)

    def describe(self) -> str:
        """A one-line account of the edit, for people."""
        names = " + ".join(f'"{t.label}"' for t in self.targets)
        if self.action == "rename":
            return f'renamed {names} to "{self.label}"'
        if self.action == "merge":
            return f"merged {names}" + (f' as "{self.label}"' if self.label else "")
        return f"split {names} into {len(self.parts)}"

    def to_json(self) -> dict[str, Any]:
        """Return a JSON-ready dictionary (what the store keeps)."""
        return {
            "action": self.action,
            "targets": [t.to_json() for t in self.targets],
            "label": self.label,
            "parts": [[round(x, 6) for x in part] for part in self.parts],
            "part_labels": list(self.part_labels),
            "model_id": self.model_id,
            "actor": self.actor,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], *, id: int | None = None) -> ThemeEdit:
        """Rebuild from :meth:`to_json` output.

        Raises:
            ValueError: If the action is unknown.
        """
        action = str(data.get("action"))
        if action not in ("rename", "merge", "split"):
            raise ValueError(f"unknown theme edit {action!r}")
        return cls(
            action=action,  # type: ignore[arg-type]  # checked just above
            targets=tuple(ThemeRef.from_json(t) for t in data.get("targets", [])),
            label=data.get("label"),
            parts=tuple(tuple(float(x) for x in p) for p in data.get("parts", [])),
            part_labels=tuple(str(x) for x in data.get("part_labels", [])),
            model_id=str(data.get("model_id", "")),
            actor=str(data.get("actor", "")),
            id=id,
        )
