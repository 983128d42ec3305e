"""Survey scores as people see them: rounded once, and every difference taken from the rounding.

A page, its CSV download and a report all show the same figures: "56%" against
"62%" reads "-6", never the "-5" of the unrounded scores.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

from upstream.survey.panel import DEFAULT_SCALE

__all__ = ["as_shown", "change", "difference", "number", "on_scale", "percent", "whole"]


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


def difference(value: float, gap: float, scale: str) -> dict[str, str | bool]:
    """The gap to the median as shown (``gap``), and whether it is below (``below``).

    It is worked out from the rounded score and median on the page, so "56%"
    against "62%" reads "-6", not the "-5" of the unrounded figures.
    """
    shown = as_shown(value, scale) - as_shown(value - gap, scale)
    if not shown:
        return {"gap": "0", "below": False}
    text = f"{shown:+,.2f}" if scale not in (DEFAULT_SCALE, "count") else f"{shown:+,.0f}"
    return {"gap": text, "below": shown < 0}


def change(
    before: Mapping[Hashable, Any] | None, after: Mapping[Hashable, Any], scale: str
) -> dict[str, Any]:
    """The change since the year before, as shown (from the rounded scores), and its reading."""
    if before is None:
        return {"change": "", "reading": ""}
    shown = as_shown(float(after["value"]), scale) - as_shown(float(before["value"]), scale)
    text = (
        "0"
        if not shown
        else (f"{shown:+,.2f}" if scale not in (DEFAULT_SCALE, "count") else f"{shown:+,.0f}")
    )
    beyond = after["change_beyond_chance"]
    reading = (
        ""
        if beyond is None
        else ("more than chance would explain" if beyond else "could be chance")
    )
    return {"change": text, "reading": reading}


def number(shown: str) -> float | int | str:
    """A signed difference as shown ("+8", "-0.25") as a number a spreadsheet can sum."""
    if not shown:
        return ""
    value = float(shown.replace(",", ""))
    return int(value) if value.is_integer() else value


def whole(value: Any) -> int | None:
    """A count read back from a table: None when not known (None or NaN)."""
    return None if value is None or value != value else int(value)
