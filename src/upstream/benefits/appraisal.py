"""Adjust, discount and sum a SPEC: NPV, benefit–cost ratio, payback year, by category.

Conventions (see ``docs/benefits.md``):

* an adjusted cost is ``amount × (1 + optimism_bias)``;
* an adjusted benefit is ``amount × (1 − optimism_bias) × (1 − deadweight) × attribution``;
* each year's adjusted amounts are multiplied by the Green Book discount factor;
* NPV is the present value of benefits minus that of costs; the benefit–cost ratio
  is their ratio, ``None`` when there are no costs;
* the payback year is the first year in which the running total of discounted
  benefits minus discounted costs is 0 or more, ``None`` if it never is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from upstream.benefits.discounting import (
    RATE_AFTER_YEAR_30,
    RATE_TO_YEAR_30,
    discount_factor,
)
from upstream.benefits.errors import BenefitsError
from upstream.benefits.spec import CATEGORIES, Line


def adjusted_amount(line: Line) -> float:
    """The line's amount after optimism bias, deadweight and attribution.

    Args:
        line: A cost or benefit.

    Returns:
        ``amount × (1 + optimism_bias)`` for a cost;
        ``amount × (1 − optimism_bias) × (1 − deadweight) × attribution`` for a benefit.
    """
    if line.kind == "cost":
        return line.amount * (1.0 + line.optimism_bias)
    return line.amount * (1.0 - line.optimism_bias) * (1.0 - line.deadweight) * line.attribution


@dataclass(frozen=True)
class YearRow:
    """One year of the appraisal, in adjusted £ (real prices).

    Attributes:
        year: Years from the start; 0 is the first year.
        costs: Adjusted costs in the year, undiscounted.
        benefits: Adjusted benefits in the year, undiscounted.
        discount_factor: What £1 in the year is worth today.
        pv_costs: ``costs × discount_factor``.
        pv_benefits: ``benefits × discount_factor``.
        cumulative_net_pv: Running total of ``pv_benefits − pv_costs`` up to this year.
    """

    year: int
    costs: float
    benefits: float
    discount_factor: float
    pv_costs: float
    pv_benefits: float
    cumulative_net_pv: float

    def to_dict(self) -> dict[str, Any]:
        """The row as the JSON object the command line writes."""
        return {
            "year": self.year,
            "costs": self.costs,
            "benefits": self.benefits,
            "discount_factor": self.discount_factor,
            "pv_costs": self.pv_costs,
            "pv_benefits": self.pv_benefits,
            "cumulative_net_pv": self.cumulative_net_pv,
        }


@dataclass(frozen=True)
class Appraisal:
    """The result of appraising a SPEC.

    Attributes:
        npv: Net present value: ``pv_benefits − pv_costs``.
        bcr: Benefit–cost ratio ``pv_benefits / pv_costs``; ``None`` when ``pv_costs`` is 0.
        payback_year: First year the cumulative discounted net benefit is ≥ 0, or ``None``.
        pv_costs: Present value of adjusted costs.
        pv_benefits: Present value of adjusted benefits.
        pv_benefits_by_category: Present value of adjusted benefits for each of
            fiscal, economic and social (all three keys, 0 when none).
        pv_costs_by_category: The same for costs.
        years: Every year from 0 to the last year with a line, in order.
        rate_to_30: The discount rate used for years 0–30.
        rate_after_30: The discount rate used after year 30.
    """

    npv: float
    bcr: float | None
    payback_year: int | None
    pv_costs: float
    pv_benefits: float
    pv_benefits_by_category: dict[str, float]
    pv_costs_by_category: dict[str, float]
    years: list[YearRow] = field(default_factory=list)
    rate_to_30: float = RATE_TO_YEAR_30
    rate_after_30: float = RATE_AFTER_YEAR_30

    @property
    def fiscal_npv(self) -> float:
        """Net present value of fiscal benefits (cash to public bodies) against all costs.

        A case can pay for itself in social and economic value while the bodies
        paying for it never get their money back; a finance officer needs both.
        """
        return self.pv_benefits_by_category.get("fiscal", 0.0) - self.pv_costs

    @property
    def fiscal_bcr(self) -> float | None:
        """Fiscal benefits over all costs (None when there are no costs)."""
        if not self.pv_costs:
            return None
        return self.pv_benefits_by_category.get("fiscal", 0.0) / self.pv_costs

    def to_dict(self) -> dict[str, Any]:
        """The appraisal as the JSON object the command line writes (contract keys first)."""
        return {
            "npv": self.npv,
            "bcr": self.bcr,
            "payback_year": self.payback_year,
            "pv_costs": self.pv_costs,
            "pv_benefits": self.pv_benefits,
            "pv_benefits_by_category": dict(self.pv_benefits_by_category),
            "pv_costs_by_category": dict(self.pv_costs_by_category),
            "fiscal_npv": self.fiscal_npv,
            "fiscal_bcr": self.fiscal_bcr,
            "years": [row.to_dict() for row in self.years],
            "discount_rates": {
                "years_0_to_30": self.rate_to_30,
                "after_year_30": self.rate_after_30,
            },
        }


def appraise(
    lines: Sequence[Line],
    *,
    rate_to_30: float = RATE_TO_YEAR_30,
    rate_after_30: float = RATE_AFTER_YEAR_30,
) -> Appraisal:
    """Appraise costs and benefits on the Green Book conventions.

    Args:
        lines: The SPEC lines (at least one).
        rate_to_30: Discount rate for years 0–30 (3.5% in the Green Book).
        rate_after_30: Discount rate after year 30 (3.0%).

    Returns:
        The appraisal, with every year from 0 to the last year present (years with
        no lines show zeros).

    Raises:
        BenefitsError: If there are no lines.
    """
    if not lines:
        raise BenefitsError("There is nothing to appraise: give at least one cost or benefit.")
    last = max(line.year for line in lines)
    costs = [0.0] * (last + 1)
    benefits = [0.0] * (last + 1)
    by_category: dict[str, dict[str, float]] = {
        kind: dict.fromkeys(CATEGORIES, 0.0) for kind in ("cost", "benefit")
    }
    factors = [
        discount_factor(year, rate_to_30=rate_to_30, rate_after_30=rate_after_30)
        for year in range(last + 1)
    ]
    for line in lines:
        amount = adjusted_amount(line)
        (costs if line.kind == "cost" else benefits)[line.year] += amount
        by_category[line.kind][line.category] += amount * factors[line.year]
    years: list[YearRow] = []
    cumulative = 0.0
    payback: int | None = None
    for year in range(last + 1):
        pv_cost, pv_benefit = costs[year] * factors[year], benefits[year] * factors[year]
        cumulative += pv_benefit - pv_cost
        if payback is None and cumulative >= 0.0:
            payback = year
        years.append(
            YearRow(
                year, costs[year], benefits[year], factors[year], pv_cost, pv_benefit, cumulative
            )
        )
    pv_costs = sum(row.pv_costs for row in years)
    pv_benefits = sum(row.pv_benefits for row in years)
    return Appraisal(
        npv=pv_benefits - pv_costs,
        bcr=pv_benefits / pv_costs if pv_costs != 0.0 else None,
        payback_year=payback,
        pv_costs=pv_costs,
        pv_benefits=pv_benefits,
        pv_benefits_by_category=by_category["benefit"],
        pv_costs_by_category=by_category["cost"],
        years=years,
        rate_to_30=rate_to_30,
        rate_after_30=rate_after_30,
    )
