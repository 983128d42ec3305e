"""Sensitivity (switching values, sign flips) and the seeded Monte Carlo."""

from __future__ import annotations

import pytest

from upstream.benefits import Line, SensitivityRow, appraise, sensitivity, simulate

# Cost 100 and benefit 150, both in year 0 (no discounting): NPV = 50.
SIMPLE = [
    Line("Staff", "cost", "fiscal", 0, 100.0),
    Line("Savings", "benefit", "fiscal", 0, 150.0),
]


def _by_name(rows: list[SensitivityRow]) -> dict[str, SensitivityRow]:
    return {row.assumption: row for row in rows}


def test_switching_values_by_hand() -> None:
    rows = _by_name(sensitivity(SIMPLE))
    # Benefits must fall to 100 (by a third) for NPV to be 0.
    assert rows["All benefits"].switching_value == pytest.approx(100.0)
    assert rows["All benefits"].switching_change == pytest.approx(-1 / 3)
    # Costs must rise to 150 (by a half).
    assert rows["All costs"].switching_value == pytest.approx(150.0)
    # 150 × (1 − d) = 100 → d = 1/3;  150 × a = 100 → a = 2/3;  100 × (1 + b) = 150 → b = 0.5.
    assert rows["Savings: deadweight"].switching_value == pytest.approx(1 / 3)
    assert rows["Savings: attribution"].switching_value == pytest.approx(2 / 3)
    assert rows["Staff: optimism bias"].switching_value == pytest.approx(0.5)
    # 150 × (1 − b) = 100 → b = 1/3 for the benefit's optimism bias.
    assert rows["Savings: optimism bias"].switching_value == pytest.approx(1 / 3)
    assert "Staff: deadweight" not in rows  # costs have no deadweight or attribution


def test_which_assumption_flips_the_sign() -> None:
    # ±20%: benefits 120–180 gives NPV 20–80, no flip. Shares ±0.4: deadweight 0.4 gives
    # 150 × 0.6 − 100 = −10, a flip; optimism bias on the cost 0.4 gives 150 − 140 = 10, none.
    rows = sensitivity(SIMPLE, amount_change=0.2, share_change=0.4)
    named = _by_name(rows)
    assert named["Savings: deadweight"].flips_sign
    assert named["Savings: deadweight"].npv_high == pytest.approx(-10.0)
    assert not named["All benefits"].flips_sign
    assert named["All benefits"].npv_low == pytest.approx(20.0)
    assert not named["Staff: optimism bias"].flips_sign
    flipping = [row.assumption for row in rows if row.flips_sign]
    assert rows[: len(flipping)] == [row for row in rows if row.flips_sign]  # flips come first
    assert set(flipping) == {
        "Savings: deadweight",
        "Savings: attribution",
        "Savings: optimism bias",
    }


def test_stated_range_is_used_when_given() -> None:
    lines = [
        Line("Staff", "cost", "fiscal", 0, 100.0, low=90.0, high=200.0),
        Line("Savings", "benefit", "fiscal", 0, 150.0),
    ]
    row = _by_name(sensitivity(lines))["Staff: amount"]
    assert (row.low, row.high) == (90.0, 200.0)
    assert row.npv_high == pytest.approx(-50.0)  # 150 − 200
    assert row.flips_sign


def test_monte_carlo_is_reproducible_with_a_seed() -> None:
    first = simulate(SIMPLE, runs=2000, seed=42)
    again = simulate(SIMPLE, runs=2000, seed=42)
    other = simulate(SIMPLE, runs=2000, seed=43)
    assert first == again
    assert first.npv_percentiles != other.npv_percentiles
    assert first.seed == 42


def test_monte_carlo_centres_on_the_appraisal() -> None:
    # Symmetric triangular ranges have their mean at the amount as written.
    summary = simulate(SIMPLE, runs=20000, seed=1)
    assert summary.npv_mean == pytest.approx(appraise(SIMPLE).npv, abs=1.0)
    p5, p50, p95 = (summary.npv_percentiles[k] for k in ("p5", "p50", "p95"))
    assert p5 < p50 < p95
    assert summary.probability_npv_below_zero == 0.0  # NPV ≥ 150×0.8 − 100×1.2 = 0


def test_monte_carlo_without_spread_is_the_appraisal() -> None:
    summary = simulate(SIMPLE, runs=10, seed=0, amount_change=0.0)
    assert summary.npv_percentiles == pytest.approx({f"p{p}": 50.0 for p in (5, 10, 50, 90, 95)})
    assert summary.bcr_percentiles == pytest.approx({f"p{p}": 1.5 for p in (5, 10, 50, 90, 95)})


def test_lines_moving_together_are_riskier_than_lines_drawn_on_their_own() -> None:
    # Ten benefit lines of 12 and ten cost lines of 10, each ±40%: drawn on their own
    # the errors cancel; one shared forecast behind them does not.
    lines = [Line(f"Benefit {n}", "benefit", "fiscal", n % 5, 12.0) for n in range(10)] + [
        Line(f"Cost {n}", "cost", "fiscal", n % 5, 10.0) for n in range(10)
    ]
    summary = simulate(lines, runs=20000, seed=3, amount_change=0.4)
    assert summary.probability_npv_below_zero < 0.05
    assert summary.probability_npv_below_zero_together > 0.2
    # Moving together keeps each line's own range and centre.
    together = simulate(lines, runs=20000, seed=3, amount_change=0.0)
    assert together.probability_npv_below_zero_together == 0.0
    # The range to quote is the wider one, and agrees with the chance of a loss.
    wide, narrow = summary.npv_percentiles_together, summary.npv_percentiles
    assert wide is not None and summary.bcr_percentiles_together is not None
    assert wide["p5"] < narrow["p5"] and wide["p95"] > narrow["p95"]
    assert wide["p5"] < 0 < wide["p50"]  # more than 5% of runs lose money
    assert summary.bcr_percentiles_together["p5"] < 1.0
    assert wide["p50"] == pytest.approx(narrow["p50"], abs=2.0)


def test_a_costs_optimism_bias_may_pass_100_percent_but_a_benefits_may_not() -> None:
    from upstream.benefits import parse_rows
    from upstream.benefits.errors import SpecError

    header = ["item", "kind", "category", "year", "amount", "optimism_bias", "deadweight",
              "attribution"]  # fmt: skip
    lines = parse_rows(
        [
            header,
            ["New case system", "cost", "fiscal", 0, 100, 1.5, "", ""],
            ["Savings", "benefit", "fiscal", 1, 350, 0.2, "", ""],
        ],
        "it.csv",
    )
    assert lines[0].optimism_bias == 1.5
    # An overrun of 200% is within reach for a cost; the switching value says so.
    row = _by_name(sensitivity(lines))["New case system: optimism bias"]
    assert row.switching_value is not None and 1.5 < row.switching_value <= 2.0
    assert row.possible
    with pytest.raises(SpecError, match="expected a share from 0 to 1 "):
        parse_rows([header, ["Savings", "benefit", "fiscal", 0, 10, 1.5, "", ""]], "b.csv")
    with pytest.raises(SpecError, match="expected a share from 0 to 2 "):
        parse_rows([header, ["Kit", "cost", "fiscal", 0, 10, 2.5, "", ""]], "c.csv")
