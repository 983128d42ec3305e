"""Plain records of measures over time and of the benefits register.

Shared by the store (which keeps them), the workflows (which import and check
them) and the adapters (which show them), so none of those need the others' types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

__all__ = [
    "BENEFIT_CATEGORIES",
    "BENEFIT_STATUSES",
    "MEASURE_KINDS",
    "BenefitDraft",
    "BenefitLinkRecord",
    "BenefitRecord",
    "MeasurePoint",
    "SaveCounts",
    "SeriesKey",
    "SeriesSummary",
]

MEASURE_KINDS = ("baseline", "target", "actual")
"""What a value of a measure is: where it started, where it should get to, or what happened."""
BENEFIT_CATEGORIES = ("cashable", "non-cashable", "social")
"""Cashable money saved, non-cashable time or capacity freed, or a social benefit."""
BENEFIT_STATUSES = ("planned", "on track", "at risk", "realised", "not realised")
"""Where a benefit stands."""


@dataclass(frozen=True, slots=True, order=True)
class SeriesKey:
    """Which series a value belongs to.

    Attributes:
        organisation: The organisation that measures it.
        service: The service it is about (may be empty).
        measure: What is measured, for example ``contacts``.
        channel: The channel, for contact measures (may be empty).
    """

    organisation: str
    service: str
    measure: str
    channel: str = ""

    @property
    def label(self) -> str:
        """The series in words, for headings and lists."""
        parts = [self.measure]
        if self.channel:
            parts.append(f"by {self.channel}")
        if self.service:
            parts.append(f"({self.service})")
        return " ".join(parts)


@dataclass(frozen=True, slots=True)
class MeasurePoint:
    """One value of a series for one period.

    Attributes:
        series: The series.
        kind: ``baseline``, ``target`` or ``actual``.
        period: The date of the period (its first day, or the day it was measured).
        value: The value.
        unit: Its unit, for example ``contacts`` or ``£`` (may be empty).
        change: A change made to the service at this date, in words (may be empty).
        source: The file it came from.
    """

    series: SeriesKey
    kind: str
    period: date
    value: float
    unit: str = ""
    change: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class SaveCounts:
    """What saving a batch of values did.

    Attributes:
        added: New values.
        updated: Values already stored for the same series, kind and date, now changed.
        unchanged: Values already stored exactly as given.
    """

    added: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(frozen=True, slots=True)
class SeriesSummary:
    """A stored series at a glance.

    Attributes:
        series: The series.
        unit: Its unit.
        points: How many values it has.
        first: The earliest date.
        last: The latest date.
        latest_actual: The latest actual value, if any.
        latest_target: The latest target value, if any.
    """

    series: SeriesKey
    unit: str
    points: int
    first: date
    last: date
    latest_actual: float | None
    latest_target: float | None


@dataclass(frozen=True, slots=True)
class BenefitDraft:
    """A benefit to add to the register.

    Attributes:
        organisation: The organisation whose benefit it is.
        title: What the benefit is, in a few words.
        category: ``cashable``, ``non-cashable`` or ``social``.
        status: One of :data:`BENEFIT_STATUSES`.
        owner: Who is responsible for it.
        series: The measure it is tracked by, if any.
        baseline: Where the measure started.
        target: Where it should get to.
        due: When the target should be met.
        description: More about it.
        value: What it is expected to be worth, in pounds a year, when the business
            case puts a value on it.
    """

    organisation: str
    title: str
    category: str
    status: str = "planned"
    owner: str = ""
    series: SeriesKey | None = None
    baseline: float | None = None
    target: float | None = None
    due: date | None = None
    description: str = ""
    value: float | None = None


@dataclass(frozen=True, slots=True)
class BenefitLinkRecord:
    """An item of evidence or a theme linked to a benefit.

    Attributes:
        id: Link id.
        item_id: The linked item, or None for a theme.
        theme_id: The linked theme, or None for an item.
        note: Why it is linked.
        created_by: Who linked it.
        created_at: When.
    """

    id: int
    item_id: int | None
    theme_id: int | None
    note: str
    created_by: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class BenefitRecord:
    """A benefit as stored.

    Attributes:
        id: Row id.
        organisation_id: Its organisation's id.
        draft: What was given when it was added.
        created_by: Who added it.
        created_at: When.
        links: Items and themes linked to it, oldest first.
    """

    id: int
    organisation_id: int
    draft: BenefitDraft
    created_by: str
    created_at: datetime
    links: tuple[BenefitLinkRecord, ...] = field(default_factory=tuple)
