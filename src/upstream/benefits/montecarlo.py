"""A simple, seeded Monte Carlo over the stated ranges of the amounts.

Each line's amount is drawn from a triangular distribution: lowest at the line's
``low`` (or ``amount × (1 − amount_change)`` when the SPEC gives none), most likely
at the amount as written, highest at ``high`` (or ``amount × (1 + amount_change)``).
Lines are drawn independently of each other, an assumption that understates the
spread when costs or benefits rise and fall together: errors in different lines
then cancel out. So every run is also made a second way, with all benefits
falling short or exceeding together and all costs overrunning or underrunning
together (each line at the same point of its own range), as when one forecast or
one assumption lies behind them. Shares and discount rates stay as written. The
same seed always gives the same figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from upstream.benefits.appraisal import adjusted_amount
from upstream.benefits.discounting import discount_factor
from upstream.benefits.errors import BenefitsError
from upstream.benefits.spec import Line

PERCENTILES: Final = (5, 10, 50, 90, 95)
DEFAULT_SEED: Final = 0
"""The seed used when none is given, so repeated runs agree."""

Draws = npt.NDArray[np.float64]


@dataclass(frozen=True)
class MonteCarloSummary:
    """What the simulated appraisals looked like.

    Attributes:
        runs: How many appraisals were simulated.
        seed: The seed of the random number generator (reuse it to repeat the run).
        amount_change: The ± share used for lines without a ``low``/``high`` range.
        npv_mean: Average NPV over the runs.
        npv_percentiles: NPV at the 5th, 10th, 50th, 90th and 95th percentiles,
            keyed ``"p5"``, ``"p10"`` and so on.
        bcr_percentiles: The same for the benefit–cost ratio, or ``None`` when
            there are no costs.
        probability_npv_below_zero: Share of runs in which NPV was below 0.
        probability_npv_below_zero_together: The same when all benefits move
            together and all costs move together.
        npv_percentiles_together: NPV percentiles when all benefits move together
            and all costs move together: the range to quote, since it does not
            count on one line's shortfall being made up by another's.
        bcr_percentiles_together: The same for the benefit–cost ratio.
    """

    runs: int
    seed: int
    amount_change: float
    npv_mean: float
    npv_percentiles: dict[str, float]
    bcr_percentiles: dict[str, float] | None
    probability_npv_below_zero: float
    probability_npv_below_zero_together: float = 0.0
    npv_percentiles_together: dict[str, float] | None = None
    bcr_percentiles_together: dict[str, float] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The summary as a JSON object."""
        return dict(self.__dict__)


def _range(line: Line, amount_change: float) -> tuple[float, float]:
    spread = abs(line.amount) * amount_change
    low = line.low if line.low is not None else line.amount - spread
    high = line.high if line.high is not None else line.amount + spread
    return low, high


def _triangular_at(points: Draws, low: float, mode: float, high: float) -> Draws:
    """The triangular distribution's values at the given quantiles (its inverse CDF)."""
    width = high - low
    split = (mode - low) / width
    below = low + np.sqrt(points * width * (mode - low))
    above = high - np.sqrt((1.0 - points) * width * (high - mode))
    return np.where(points < split, below, above)


def draw_present_values(
    lines: Sequence[Line],
    *,
    runs: int,
    seed: int,
    amount_change: float = 0.2,
    together: bool = False,
) -> tuple[Draws, Draws]:
    """Simulated present values of costs and of benefits, one pair per run.

    Args:
        lines: The SPEC lines.
        runs: Number of runs.
        seed: Seed for :func:`numpy.random.default_rng`.
        amount_change: ± share for lines without a ``low``/``high`` range.
        together: Draw one point of the range per run for all costs and one for
            all benefits, so lines of a kind rise and fall together.

    Returns:
        ``(pv_costs, pv_benefits)``, each an array of length ``runs``.

    Raises:
        BenefitsError: If ``runs`` is below 1.
    """
    if runs < 1:
        raise BenefitsError(f"The Monte Carlo needs at least 1 run, not {runs}.")
    rng = np.random.default_rng(seed)
    pv_costs = np.zeros(runs)
    pv_benefits = np.zeros(runs)
    shared = {"cost": rng.random(runs), "benefit": rng.random(runs)} if together else {}
    for line in lines:
        low, high = _range(line, amount_change)
        if high > low and together:
            points = shared["cost" if line.kind == "cost" else "benefit"]
            amounts = _triangular_at(points, low, line.amount, high)
        elif high > low:
            amounts = rng.triangular(low, line.amount, high, size=runs)
        else:
            amounts = np.full(runs, line.amount)
        # Adjustments and discounting scale the amount, so apply them as one multiplier.
        weight = adjusted_amount(replace(line, amount=1.0)) * discount_factor(line.year)
        target = pv_costs if line.kind == "cost" else pv_benefits
        target += amounts * weight
    return pv_costs, pv_benefits


def _percentiles(values: Draws) -> dict[str, float]:
    points = np.percentile(values, PERCENTILES)
    return {f"p{p}": float(v) for p, v in zip(PERCENTILES, points, strict=True)}


def simulate(
    lines: Sequence[Line],
    *,
    runs: int = 10_000,
    seed: int = DEFAULT_SEED,
    amount_change: float = 0.2,
) -> MonteCarloSummary:
    """Appraise ``runs`` times with amounts drawn across their ranges.

    Args:
        lines: The SPEC lines.
        runs: Number of runs.
        seed: Seed for the random number generator.
        amount_change: ± share for lines without a ``low``/``high`` range.

    Returns:
        The summary of NPV and benefit–cost ratio over the runs.
    """
    pv_costs, pv_benefits = draw_present_values(
        lines, runs=runs, seed=seed, amount_change=amount_change
    )
    npv = pv_benefits - pv_costs
    costs_together, benefits_together = draw_present_values(
        lines, runs=runs, seed=seed, amount_change=amount_change, together=True
    )
    has_costs = pv_costs != 0.0
    bcr = _percentiles(pv_benefits[has_costs] / pv_costs[has_costs]) if has_costs.any() else None
    npv_together = benefits_together - costs_together
    paid = costs_together != 0.0
    bcr_together = (
        _percentiles(benefits_together[paid] / costs_together[paid]) if paid.any() else None
    )
    return MonteCarloSummary(
        runs=runs,
        seed=seed,
        amount_change=amount_change,
        npv_mean=float(npv.mean()),
        npv_percentiles=_percentiles(npv),
        bcr_percentiles=bcr,
        probability_npv_below_zero=float((npv < 0.0).mean()),
        probability_npv_below_zero_together=float((npv_together < 0.0).mean()),
        npv_percentiles_together=_percentiles(npv_together),
        bcr_percentiles_together=bcr_together,
    )
