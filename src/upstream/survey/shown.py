"""Survey scores as people see them: rounded once, and every difference taken from the rounding.

A page, its CSV download and a report all show the same figures: "56%" against
"62%" reads "-6", never the "-5" of the unrounded scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd

from upstream.survey.panel import DEFAULT_SCALE

__all__ = [
    "ShownYear",
    "as_shown",
    "difference",
    "number",
    "on_scale",
    "percent",
    "shown_years",
    "whole",
]


def percent(value: float) -> str:
    """A share (0-1) as a whole percentage: "41%"."""
    return f"{100 * value:.0f}%"


def on_scale(value: float, scale: str) -> str:
    """A score as shown: a percentage for proportions, else the number on its own scale."""
    if scale == DEFAULT_SCALE:
        return percent(value)
    return f"{value:,.0f}" if scale == "count" else f"{value:,.2f}"


def as_shown(value: float, scale: str) -> float:
    """A score rounded as :func:`on_scale` shows it (a share in whole percentage points)."""
    if scale == DEFAULT_SCALE:
        return float(f"{100 * value:.0f}")
    return float(f"{value:.0f}") if scale == "count" else float(f"{value:.2f}")


def _signed(shown: float, scale: str) -> str:
    """A difference of shown figures: "0", or signed ("+6", "-0.25")."""
    if not shown:
        return "0"
    return f"{shown:+,.2f}" if scale not in (DEFAULT_SCALE, "count") else f"{shown:+,.0f}"


def difference(value: float, gap: float, scale: str) -> dict[str, str | bool]:
    """The gap to the median as shown (``gap``), and whether it is below (``below``).

    It is worked out from the rounded score and median on the page, so "56%"
    against "62%" reads "-6", not the "-5" of the unrounded figures.
    """
    shown = as_shown(value, scale) - as_shown(value - gap, scale)
    return {"gap": _signed(shown, scale), "below": shown < 0}


@dataclass(frozen=True)
class ShownYear:
    """One year of an organisation's score on a measure, as every page and file shows it.

    Attributes:
        year: The survey year.
        value: The score as shown ("41%").
        respondents: How many answered (None when the results do not say).
        change: The change since its previous year as shown ("-3"), "" in its first.
        reading: "could be chance", "more than chance would explain" or "" (not judged).
        median: The median of comparable organisations that year, as shown.
        gap: Score minus median, as shown ("-18").
        below: Whether the score is below the median (as shown).
        rank: Its rank that year (1 is the highest).
        n_orgs: How many organisations were ranked.
    """

    year: int
    value: str
    respondents: int | None
    change: str
    reading: str
    median: str
    gap: str
    below: bool
    rank: int
    n_orgs: int


def shown_years(series: pd.DataFrame, scale: str) -> list[ShownYear]:
    """An organisation's yearly scores as shown, from ``organisation_series``'s columns.

    Args:
        series: Columns ``year, value, median, gap, rank, n_orgs, respondents,
            change_beyond_chance``, oldest first.
        scale: The measure's scale (see :data:`DEFAULT_SCALE`).

    Returns:
        One row per year, oldest first.
    """
    records = series.to_dict("records")
    years = []
    for n, row in enumerate(records):
        value = float(row["value"])
        gap = difference(value, float(row["gap"]), scale)
        moved, reading = "", ""
        if n:
            moved = _signed(
                as_shown(value, scale) - as_shown(float(records[n - 1]["value"]), scale), scale
            )
            beyond = row["change_beyond_chance"]
            if beyond is not None and beyond == beyond:  # None or NaN: not judged
                reading = "more than chance would explain" if beyond else "could be chance"
        years.append(
            ShownYear(
                year=int(row["year"]),
                value=on_scale(value, scale),
                respondents=whole(row["respondents"]),
                change=moved,
                reading=reading,
                median=on_scale(float(row["median"]), scale),
                gap=str(gap["gap"]),
                below=bool(gap["below"]),
                rank=int(row["rank"]),
                n_orgs=int(row["n_orgs"]),
            )
        )
    return years


def number(shown: str) -> float | int | str:
    """A signed difference as shown ("+8", "-0.25") as a number a spreadsheet can sum."""
    if not shown:
        return ""
    value = float(shown.replace(",", ""))
    return int(value) if value.is_integer() else value


def whole(value: Any) -> int | None:
    """A count read back from a table: None when not known (None or NaN)."""
    return None if value is None or value != value else int(value)
