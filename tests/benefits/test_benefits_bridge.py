"""From the amounts as written to the amounts appraised, and fiscal payback."""

from __future__ import annotations

import pytest

from upstream.benefits import Line, appraise
from upstream.benefits.bridge import bridge, fiscal_payback_year


def test_each_adjustment_is_taken_off_in_the_order_the_formula_reads() -> None:
    lines = [
        Line("Staff", "cost", "fiscal", 0, 100.0, optimism_bias=0.2),
        Line("Savings", "benefit", "fiscal", 0, 1000.0, optimism_bias=0.1, deadweight=0.5,
             attribution=0.8),
    ]  # fmt: skip
    steps = bridge(lines)
    assert steps.costs_as_written == 100.0 and steps.cost_optimism_bias == pytest.approx(20.0)
    assert steps.benefit_optimism_bias == pytest.approx(100.0)  # 10% of 1,000
    assert steps.deadweight == pytest.approx(450.0)  # half of the 900 left
    assert steps.attribution == pytest.approx(90.0)  # a fifth of the 450 left
    assert steps.ratio_as_written == pytest.approx(10.0)
    appraisal = appraise(lines)
    assert steps.costs == pytest.approx(appraisal.pv_costs)
    assert steps.benefits == pytest.approx(appraisal.pv_benefits)


def test_discounted_steps_add_up_to_the_appraisal_over_several_years() -> None:
    lines = [
        Line("Set-up", "cost", "fiscal", 0, 500.0, optimism_bias=0.3),
        Line("Running", "cost", "fiscal", 2, 100.0),
        Line("Savings", "benefit", "fiscal", 1, 400.0, deadweight=0.2),
        Line("Wellbeing", "benefit", "social", 3, 300.0, optimism_bias=0.1, attribution=0.5),
    ]
    steps, appraisal = bridge(lines), appraise(lines)
    assert steps.costs == pytest.approx(appraisal.pv_costs)
    assert steps.benefits == pytest.approx(appraisal.pv_benefits)


def test_fiscal_payback_counts_only_fiscal_benefits() -> None:
    lines = [
        Line("Staff", "cost", "fiscal", 0, 100.0),
        Line("Savings", "benefit", "fiscal", 1, 60.0),
        Line("Savings", "benefit", "fiscal", 2, 60.0),
        Line("Wellbeing", "benefit", "social", 0, 500.0),
    ]
    # The whole case pays back at once on its social value; the budget only in year 2.
    assert appraise(lines).payback_year == 0
    assert fiscal_payback_year(lines) == 2
    assert fiscal_payback_year(lines[:2]) is None
