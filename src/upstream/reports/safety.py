"""Two rules every report follows: small groups are never shown, and cells never run.

* A group of fewer than :data:`SMALL_GROUP` items (an organisation, a ward, a
  grade band) is reported as "fewer than 10", never as its number, and its
  breakdown is left out, as national staff surveys do.
* Text that a spreadsheet would run as a formula (starting ``=``, ``+``, ``-``
  or ``@``, or a tab or carriage return before one of those) is prefixed with
  an apostrophe, so it shows as text.
"""

from __future__ import annotations

from typing import Final

SMALL_GROUP: Final = 10
FEWER_THAN: Final = f"fewer than {SMALL_GROUP}"
_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")


def is_small(count: int) -> bool:
    """Whether a group of ``count`` items is too small to report (1 to 9; none is not a group)."""
    return 0 < count < SMALL_GROUP


def group_size(count: int) -> str:
    """A group's size as it may be shown: the number, or "fewer than 10"."""
    return FEWER_THAN if is_small(count) else f"{count:,}"


def inert(value: str) -> str:
    """Text a spreadsheet shows rather than runs: ``=SUM(A1)`` becomes ``'=SUM(A1)``."""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def percent(part: int | float, whole: int | float) -> str:
    """``part`` of ``whole`` as a whole-number percentage ("0%" when ``whole`` is 0)."""
    if not whole:
        return "0%"
    value = 100.0 * part / whole
    if 0 < value < 1:
        return "under 1%"
    return f"{value:.0f}%"


__all__ = ["FEWER_THAN", "SMALL_GROUP", "group_size", "inert", "is_small", "percent"]
