"""How figures are worded in a report."""

from __future__ import annotations


def percent(part: int | float, whole: int | float) -> str:
    """``part`` of ``whole`` as a whole-number percentage ("0%" when ``whole`` is 0)."""
    if not whole:
        return "0%"
    value = 100.0 * part / whole
    if 0 < value < 1:
        return "under 1%"
    return f"{value:.0f}%"


__all__ = ["percent"]
