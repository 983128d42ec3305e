"""From the amounts as written to the amounts appraised: what each adjustment takes away.

A board reading "benefit–cost ratio 1.15" should see how much the adjustments
did to get there: the same lines before optimism bias, deadweight and
attribution may show a ratio of 4. Every step is in present values, applied in
the order the appraisal's formula reads (optimism bias, then deadweight, then
attribution), so the steps add up exactly to the appraisal's own totals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from upstream.benefits.appraisal import appraise
from upstream.benefits.discounting import discount_factor
from upstream.benefits.spec import Line

__all__ = ["Bridge", "bridge", "fiscal_payback_year"]


@dataclass(frozen=True)
class Bridge:
    """Present values before and after each adjustment (£, real prices).

    Attributes:
        costs_as_written: Costs before optimism bias.
        cost_optimism_bias: What optimism bias adds to the costs.
        benefits_as_written: Benefits before any adjustment.
        benefit_optimism_bias: What optimism bias takes off the benefits.
        deadweight: What deadweight then takes off (what would have happened anyway).
        attribution: What attribution then takes off (the part due to others).
    """

    costs_as_written: float
    cost_optimism_bias: float
    benefits_as_written: float
    benefit_optimism_bias: float
    deadweight: float
    attribution: float

    @property
    def costs(self) -> float:
        """Costs as appraised."""
        return self.costs_as_written + self.cost_optimism_bias

    @property
    def benefits(self) -> float:
        """Benefits as appraised."""
        return (
            self.benefits_as_written - self.benefit_optimism_bias - self.deadweight
            - self.attribution
        )  # fmt: skip

    @property
    def ratio_as_written(self) -> float | None:
        """The benefit–cost ratio before any adjustment (None without costs)."""
        return self.benefits_as_written / self.costs_as_written if self.costs_as_written else None

    def to_dict(self) -> dict[str, Any]:
        """The bridge as a JSON object."""
        return dict(self.__dict__) | {
            "costs": self.costs,
            "benefits": self.benefits,
            "ratio_as_written": self.ratio_as_written,
        }


def bridge(lines: Sequence[Line]) -> Bridge:
    """Each adjustment's effect on the present values of costs and benefits.

    Args:
        lines: The SPEC lines.

    Returns:
        The bridge; its ``costs`` and ``benefits`` equal the appraisal's present values.
    """
    totals = dict.fromkeys(
        ("costs", "cost_ob", "benefits", "benefit_ob", "deadweight", "attribution"), 0.0
    )
    for line in lines:
        written = line.amount * discount_factor(line.year)
        if line.kind == "cost":
            totals["costs"] += written
            totals["cost_ob"] += written * line.optimism_bias
            continue
        after_bias = written * (1.0 - line.optimism_bias)
        after_deadweight = after_bias * (1.0 - line.deadweight)
        totals["benefits"] += written
        totals["benefit_ob"] += written - after_bias
        totals["deadweight"] += after_bias - after_deadweight
        totals["attribution"] += after_deadweight * (1.0 - line.attribution)
    return Bridge(
        totals["costs"],
        totals["cost_ob"],
        totals["benefits"],
        totals["benefit_ob"],
        totals["deadweight"],
        totals["attribution"],
    )


def fiscal_payback_year(lines: Sequence[Line]) -> int | None:
    """The first year in which fiscal benefits so far cover all costs so far, if any.

    Args:
        lines: The SPEC lines.

    Returns:
        The year (0 is the first), or ``None`` when fiscal benefits never catch up
        within the years given.
    """
    # The appraisal's own payback, over the costs and the fiscal benefits only.
    kept = [line for line in lines if line.kind == "cost" or line.category == "fiscal"]
    if not kept:
        # Nothing touches a budget: nothing to pay back.
        return 0 if lines else None
    return appraise(kept).payback_year
