"""Whole pounds: for tables whose rows must add up to their total, and for reading."""

from __future__ import annotations

import math

__all__ = ["pounds", "whole_pounds"]


def whole_pounds(amounts: list[float]) -> list[int]:
    """Round amounts to whole pounds so that they add up to their rounded total.

    Each is rounded down, and the pounds left over go to the amounts with the
    largest fractions (the largest remainder method).

    Args:
        amounts: Amounts in pounds.

    Returns:
        Whole pounds, in the same order, summing to ``round(sum(amounts))``.
    """
    floors = [math.floor(a) for a in amounts]
    left = round(sum(amounts)) - sum(floors)
    order = sorted(range(len(amounts)), key=lambda i: amounts[i] - floors[i], reverse=True)
    for i in order[: max(left, 0)]:
        floors[i] += 1
    return floors


def pounds(amount: float) -> str:
    """An amount in whole pounds as people write it: "£16,500", "−£2,000".

    Args:
        amount: Pounds.

    Returns:
        The amount rounded to the pound, with a minus sign when negative.
    """
    whole = round(amount)
    return f"−£{-whole:,}" if whole < 0 else f"£{whole:,}"
