"""NPV, benefit–cost ratio, payback year and categories against hand-worked examples.

Expected figures are worked out by hand (the arithmetic is written out beside
each), not by calling the code under test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from upstream.benefits import Line, adjusted_amount, appraise, discount_factor, read_spec


def test_adjusted_amounts_follow_the_conventions() -> None:
    cost = Line("Staff", "cost", "fiscal", 0, 1000.0, optimism_bias=0.25)
    benefit = Line("Gain", "benefit", "social", 0, 1000.0, 0.1, 0.2, 0.5)
    assert adjusted_amount(cost) == pytest.approx(1250.0)  # 1000 × 1.25
    assert adjusted_amount(benefit) == pytest.approx(360.0)  # 1000 × 0.9 × 0.8 × 0.5


def test_green_book_discount_factors() -> None:
    assert discount_factor(0) == 1.0
    assert discount_factor(1) == pytest.approx(0.966183574879227)  # 1 / 1.035
    assert discount_factor(30) == pytest.approx(1 / 2.8067937047026272)  # 1 / 1.035^30
    # After year 30 the rate is 3%: 1 / (1.035^30 × 1.03^(t − 30)).
    assert discount_factor(31) == pytest.approx(1 / (2.8067937047026272 * 1.03))
    assert discount_factor(35) == pytest.approx(0.30732888667197406)  # 1/(2.80679… × 1.15927…)


def test_worked_example(worked_spec: Path) -> None:
    result = appraise(read_spec(worked_spec))
    # PV costs = 12,000 + 2,000 / 1.035 = 12,000 + 1,932.367… = 13,932.367…
    assert result.pv_costs == pytest.approx(13932.367149758455, abs=1e-6)
    # PV benefits = 3,600/1.035 + (3,600 + 6,000)/1.035² + 5,000/1.035⁴
    #             = 3,478.261 + 8,961.703 + 4,357.211 = 16,797.175
    assert result.pv_benefits == pytest.approx(16797.17473157555, abs=1e-6)
    assert result.npv == pytest.approx(2864.8075818170946, abs=1e-6)
    assert result.bcr == pytest.approx(1.2056224581956099, abs=1e-9)
    # Running total: −12,000; −10,454.1; −1,492.5; −1,492.5; +2,864.8 → paid back in year 4.
    assert result.payback_year == 4
    assert result.pv_benefits_by_category == pytest.approx(
        {
            "fiscal": 3478.2608695652175 + 3360.638521319051,  # 3,600/1.035 + 3,600/1.035²
            "social": 5601.064202198419,  # 6,000 / 1.035²
            "economic": 4357.211138492862,  # 5,000 / 1.035⁴
        },
        abs=1e-6,
    )


def test_every_year_appears_even_without_lines(worked_spec: Path) -> None:
    years = appraise(read_spec(worked_spec)).years
    assert [row.year for row in years] == [0, 1, 2, 3, 4]
    empty = years[3]
    assert (empty.costs, empty.benefits, empty.pv_costs, empty.pv_benefits) == (0, 0, 0, 0)
    assert empty.discount_factor == pytest.approx(1 / 1.108717875)  # 1.035³
    assert years[2].benefits == pytest.approx(9600.0)  # 3,600 + 6,000
    assert years[0].costs == pytest.approx(12000.0)


def test_horizon_beyond_thirty_years(long_spec: Path) -> None:
    result = appraise(read_spec(long_spec))
    assert len(result.years) == 36
    # 1,000,000 / (1.035^30 × 1.03^5) = 1,000,000 × 0.307328886… = 307,328.887
    assert result.pv_benefits == pytest.approx(307328.88667197403, abs=1e-6)
    assert result.pv_costs == pytest.approx(100000.0)
    assert result.npv == pytest.approx(207328.88667197403, abs=1e-6)
    assert result.bcr == pytest.approx(3.0732888667197403, abs=1e-9)
    assert result.payback_year == 35  # nothing comes back before year 35
    assert result.years[35].discount_factor == pytest.approx(0.30732888667197406)


def test_payback_is_none_when_never_reached() -> None:
    lines = [
        Line("Cost", "cost", "fiscal", 0, 1000.0),
        Line("Benefit", "benefit", "fiscal", 1, 500.0),  # 483.09 today: never pays back
    ]
    result = appraise(lines)
    assert result.payback_year is None
    assert result.npv == pytest.approx(500 / 1.035 - 1000)


def test_ratio_is_none_without_costs() -> None:
    result = appraise([Line("Benefit", "benefit", "economic", 2, 1071.225)])  # 1,000 today
    assert result.bcr is None
    assert result.pv_benefits == pytest.approx(1000.0)
    assert result.payback_year == 0  # the running total is 0 in year 0, so ≥ 0
    assert result.pv_benefits_by_category == {"fiscal": 0.0, "economic": 1000.0, "social": 0.0}


def test_json_has_the_contract_keys(worked_spec: Path) -> None:
    document = appraise(read_spec(worked_spec)).to_dict()
    for key in ("npv", "bcr", "payback_year", "pv_costs", "pv_benefits"):
        assert key in document
    assert set(document["pv_benefits_by_category"]) == {"fiscal", "economic", "social"}
    first = document["years"][0]
    assert {"year", "costs", "benefits", "discount_factor", "pv_costs", "pv_benefits"} <= set(first)


def test_the_fiscal_case_is_given_beside_the_whole_case() -> None:
    # £1,000 cost today; £600 cash back and £900 of social value, both today.
    result = appraise(
        [
            Line("Team", "cost", "fiscal", 0, 1000.0),
            Line("Fewer A&E visits", "benefit", "fiscal", 0, 600.0),
            Line("Wellbeing", "benefit", "social", 0, 900.0),
        ]
    )
    assert result.npv == pytest.approx(500.0)
    assert result.fiscal_npv == pytest.approx(-400.0)  # it does not pay for itself in cash
    assert result.fiscal_bcr == pytest.approx(0.6)
    document = result.to_dict()
    assert document["fiscal_npv"] == pytest.approx(-400.0)
