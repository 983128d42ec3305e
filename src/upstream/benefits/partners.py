"""Who pays and who gains: present values by organisation, for a partnership's funding talk.

A case can pay for itself across a partnership while one partner bears most of
the cost and another reaps most of the savings (a council funds family workers;
the NHS sees fewer A&E visits). Each line may name its organisation; this module
adds up, for each, the present value of the costs it bears and of the fiscal
benefits that reach its budget. Economic and social benefits reach residents and
society, not a budget, so they are counted apart. Adjustments and discounting
are the appraisal's own (:func:`~upstream.benefits.appraisal.adjusted_amount`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from upstream.benefits.appraisal import adjusted_amount
from upstream.benefits.discounting import discount_factor
from upstream.benefits.spec import Line

NOT_GIVEN: Final = "Not given"
"""The row for lines that name no organisation."""

__all__ = ["NOT_GIVEN", "PartnerShare", "by_organisation"]


@dataclass(frozen=True)
class PartnerShare:
    """One organisation's part of the case, in present values (£, real prices).

    Attributes:
        organisation: The organisation, or :data:`NOT_GIVEN`.
        pv_costs: The costs it bears.
        pv_fiscal_benefits: The fiscal benefits that reach its budget.
        pv_other_benefits: Economic and social benefits named against it.
    """

    organisation: str
    pv_costs: float
    pv_fiscal_benefits: float
    pv_other_benefits: float

    @property
    def net_fiscal(self) -> float:
        """Fiscal benefits less costs: what the case does to its budget."""
        return self.pv_fiscal_benefits - self.pv_costs

    def to_dict(self) -> dict[str, Any]:
        """The share as a JSON object."""
        return dict(self.__dict__) | {"net_fiscal": self.net_fiscal}


def by_organisation(lines: Sequence[Line]) -> list[PartnerShare]:
    """Each organisation's costs and fiscal benefits, largest cost first.

    Args:
        lines: The SPEC lines.

    Returns:
        One share per organisation named, then :data:`NOT_GIVEN` when costs or
        fiscal benefits name none; empty when no line names an organisation.
    """
    if not any(line.organisation for line in lines):
        return []
    totals: dict[str, list[float]] = {}
    for line in lines:
        present = adjusted_amount(line) * discount_factor(line.year)
        row = totals.setdefault(line.organisation or NOT_GIVEN, [0.0, 0.0, 0.0])
        if line.kind == "cost":
            row[0] += present
        elif line.category == "fiscal":
            row[1] += present
        else:
            row[2] += present
    # A row with no cost and no fiscal benefit (economic and social benefits named
    # against nobody) does nothing to any budget.
    shares = [
        PartnerShare(name, *values) for name, values in totals.items() if values[0] or values[1]
    ]
    return sorted(shares, key=lambda s: (s.organisation == NOT_GIVEN, -s.pv_costs, s.organisation))
