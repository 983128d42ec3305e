"""One call for the whole appraisal: figures, sensitivity, Monte Carlo, JSON and workbook.

The command line and any other front end use :func:`full_appraisal`, so they
report the same figures in the same shape.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from upstream.benefits.appraisal import Appraisal, adjusted_amount, appraise
from upstream.benefits.bridge import Bridge, bridge, fiscal_payback_year
from upstream.benefits.montecarlo import DEFAULT_SEED, MonteCarloSummary, simulate
from upstream.benefits.partners import PartnerShare, by_organisation
from upstream.benefits.sensitivity import SensitivityRow, sensitivity
from upstream.benefits.spec import SHARE_DEFAULTS, Line
from upstream.benefits.workbook import appraisal_workbook, workbook_bytes

if TYPE_CHECKING:
    from openpyxl import Workbook  # type: ignore[import-untyped]


@dataclass(frozen=True)
class FullAppraisal:
    """An appraisal with its sensitivity tests and Monte Carlo.

    Attributes:
        lines: The SPEC lines appraised.
        appraisal: NPV, benefit–cost ratio, payback year, present values, years.
        sensitivity: One row per assumption, those that flip the sign first.
        monte_carlo: Summary of the simulated appraisals.
        amount_change: ± share tried for amounts without a ``low``/``high`` range.
        share_change: ± change tried for shares.
        source: Where the lines came from (a file name), or ``None``.
    """

    lines: list[Line]
    appraisal: Appraisal
    sensitivity: list[SensitivityRow]
    monte_carlo: MonteCarloSummary
    amount_change: float
    share_change: float
    source: str | None = None

    @property
    def flipping(self) -> list[str]:
        """Names of the assumptions that, moved on their own, flip the sign of NPV."""
        return [row.assumption for row in self.sensitivity if row.flips_sign]

    @property
    def bridge(self) -> Bridge:
        """What optimism bias, deadweight and attribution each did to the present values."""
        return bridge(self.lines)

    @property
    def fiscal_payback_year(self) -> int | None:
        """The year fiscal benefits so far first cover costs so far (None: never)."""
        return fiscal_payback_year(self.lines)

    @property
    def partners(self) -> list[PartnerShare]:
        """Who pays and who gains, when the lines name organisations (else empty)."""
        return by_organisation(self.lines)

    @property
    def turning_points(self) -> list[str]:
        """How far all benefits could fall, or all costs rise, before NPV reaches 0.

        For a case worth doing ("all benefits fell by 12.7%"); empty when NPV is
        already below 0 or neither change could bring it there.
        """
        said = []
        for row in self.sensitivity:
            change = row.switching_change
            if change is None or not row.possible:
                continue
            if row.parameter == "all_benefits" and change < 0:
                said.append(f"all benefits fell by {abs(change):.1%}")
            elif row.parameter == "all_costs" and change > 0:
                said.append(f"all costs rose by {change:.1%}")
        return said

    def to_dict(self) -> dict[str, Any]:
        """The JSON object ``upstream benefits appraise`` writes (contract keys first)."""
        return self.appraisal.to_dict() | {
            "spec": self.source,
            "seed": self.monte_carlo.seed,
            "assumptions": {
                "empty_share_defaults": dict(SHARE_DEFAULTS),
                "sensitivity_amount_change": self.amount_change,
                "sensitivity_share_change": self.share_change,
                "monte_carlo_amount_change": self.amount_change,
            },
            "lines": [
                line.__dict__ | {"adjusted_amount": adjusted_amount(line)} for line in self.lines
            ],
            "sensitivity": [row.to_dict() for row in self.sensitivity],
            "by_organisation": [share.to_dict() for share in self.partners],
            "adjustments": self.bridge.to_dict(),
            "fiscal_payback_year": self.fiscal_payback_year,
            "monte_carlo": self.monte_carlo.to_dict(),
        }

    def workbook(self) -> Workbook:
        """The workbook of formulas, with the sensitivity and Monte Carlo sheets."""
        return appraisal_workbook(
            self.lines,
            sensitivity_rows=self.sensitivity,
            monte_carlo=self.monte_carlo,
            source=self.source,
        )

    def workbook_bytes(self) -> bytes:
        """The workbook as the bytes of an ``.xlsx`` file."""
        return workbook_bytes(self.workbook())


def full_appraisal(
    lines: Sequence[Line],
    *,
    seed: int = DEFAULT_SEED,
    runs: int = 10_000,
    amount_change: float = 0.2,
    share_change: float = 0.1,
    source: str | None = None,
) -> FullAppraisal:
    """Appraise, test the sensitivity and run the Monte Carlo.

    Args:
        lines: The SPEC lines (at least one).
        seed: Seed for the Monte Carlo.
        runs: Monte Carlo runs.
        amount_change: ± share tried for amounts without a ``low``/``high`` range.
        share_change: ± change tried for shares, in share points.
        source: Where the lines came from, for the JSON.

    Returns:
        Everything worked out; nothing is written.

    Raises:
        BenefitsError: If there are no lines or ``runs`` is below 1.
    """
    return FullAppraisal(
        lines=list(lines),
        appraisal=appraise(lines),
        sensitivity=sensitivity(lines, amount_change=amount_change, share_change=share_change),
        monte_carlo=simulate(lines, runs=runs, seed=seed, amount_change=amount_change),
        amount_change=amount_change,
        share_change=share_change,
        source=source,
    )
