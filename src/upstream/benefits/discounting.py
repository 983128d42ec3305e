"""The HM Treasury Green Book discount schedule.

The Green Book (2022) sets a social time preference rate of 3.5% a year for years
0–30 and 3.0% for years 31–75. The appraisal keeps 3.0% for every year after 30,
as its command-line contract states; the Green Book lowers the rate again (to
2.5%) from year 76, so horizons that long are outside the standard schedule.
"""

from __future__ import annotations

from typing import Final

RATE_TO_YEAR_30: Final = 0.035
"""Discount rate for years 0 to 30 (Green Book 2022, the discounting annex)."""

RATE_AFTER_YEAR_30: Final = 0.03
"""Discount rate for years after 30 (Green Book 2022: 3.0% for years 31–75)."""

SWITCH_YEAR: Final = 30
"""The last year discounted at :data:`RATE_TO_YEAR_30`."""


def discount_rate(year: int) -> float:
    """The rate that applies to the step into ``year``.

    Args:
        year: Years from the start; 0 is the first year.

    Returns:
        3.5% for years up to 30, 3.0% after that.
    """
    return RATE_TO_YEAR_30 if year <= SWITCH_YEAR else RATE_AFTER_YEAR_30


def discount_factor(
    year: int,
    *,
    rate_to_30: float = RATE_TO_YEAR_30,
    rate_after_30: float = RATE_AFTER_YEAR_30,
) -> float:
    """What £1 in ``year`` is worth today.

    ``1 / (1 + r1)^t`` for t ≤ 30 and ``1 / ((1 + r1)^30 × (1 + r2)^(t − 30))`` after that.

    Args:
        year: Years from the start; 0 is the first year (factor 1).
        rate_to_30: The rate for years 0–30 (the Green Book's 3.5% unless a test of
            sensitivity changes it).
        rate_after_30: The rate for the years after 30 (3.0%).

    Returns:
        The discount factor.

    Raises:
        ValueError: If ``year`` is negative.
    """
    if year < 0:
        raise ValueError(f"year must be 0 or more, not {year}")
    if year <= SWITCH_YEAR:
        return float(1.0 / (1.0 + rate_to_30) ** year)
    return float(
        1.0 / ((1.0 + rate_to_30) ** SWITCH_YEAR * (1.0 + rate_after_30) ** (year - SWITCH_YEAR))
    )


def discount_factors(last_year: int) -> list[float]:
    """The Green Book discount factors for years 0 to ``last_year`` inclusive.

    Args:
        last_year: The final year of the appraisal.

    Returns:
        One factor per year, starting with year 0.
    """
    return [discount_factor(year) for year in range(last_year + 1)]
