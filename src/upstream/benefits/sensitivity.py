"""Which single assumption, moved on its own, flips the answer? Switching values.

Each assumption is moved on its own while everything else stays as written:

* the amount of each item (all its years together): across the ``low``–``high``
  range given in the SPEC, or by ± ``amount_change`` (20%) where none is given;
* each share of each item (optimism bias; for benefits also deadweight and
  attribution): up and down by ``share_change`` (0.1, i.e. 10 percentage points),
  kept within 0–1;
* all costs together and all benefits together: by ± ``amount_change``.

The switching value is the value the assumption would have to take for NPV to be
exactly 0 (HM Treasury Green Book 2022, "switching values"). NPV moves in a
straight line with each of these assumptions, so it is found exactly from two
appraisals.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

from upstream.benefits.appraisal import appraise
from upstream.benefits.spec import COST_OPTIMISM_BIAS_LIMIT, Line

SHARES: Final = ("optimism_bias", "deadweight", "attribution")
_LABELS: Final = {
    "amount": "amount",
    "optimism_bias": "optimism bias",
    "deadweight": "deadweight",
    "attribution": "attribution",
}

Change = Callable[[Line, float], Line]


@dataclass(frozen=True)
class SensitivityRow:
    """How NPV responds to one assumption.

    Attributes:
        assumption: Plain-English name, e.g. ``"Caseworkers: optimism bias"``.
        item: The SPEC item, or ``None`` for "all costs" and "all benefits".
        parameter: ``amount``, ``optimism_bias``, ``deadweight``, ``attribution``,
            ``all_costs`` or ``all_benefits``.
        base: The value as written (for amounts, the item's total over all years,
            undiscounted; for shares, the average over the item's lines).
        low: The low value tested.
        high: The high value tested.
        npv_low: NPV with the assumption at ``low``.
        npv_high: NPV with the assumption at ``high``.
        flips_sign: Whether NPV changes from 0 or more to below 0 (or back)
            anywhere in the tested range.
        switching_value: The value at which NPV would be exactly 0, or ``None``
            when the assumption does not move NPV.
        switching_change: ``switching_value − base`` as a share of ``base`` for
            amounts, or in share points for shares; ``None`` as above.
        possible: Whether the switching value is one the assumption could take
            (a share from 0 to 1; an amount of the same sign as written).
    """

    assumption: str
    item: str | None
    parameter: str
    base: float
    low: float
    high: float
    npv_low: float
    npv_high: float
    flips_sign: bool
    switching_value: float | None
    switching_change: float | None
    possible: bool

    def to_dict(self) -> dict[str, Any]:
        """The row as a JSON object."""
        return dict(self.__dict__)


def _npv(lines: Sequence[Line], picked: Callable[[Line], bool], change: Change, x: float) -> float:
    return appraise([change(line, x) if picked(line) else line for line in lines]).npv


def _scale(line: Line, factor: float) -> Line:
    return replace(line, amount=line.amount * factor)


def _to_end(line: Line, end: float) -> Line:
    """The line with its amount at its ``low`` (end −1) or ``high`` (end +1) or as written."""
    bound = line.low if end < 0 else line.high
    return replace(line, amount=bound) if bound is not None else line


def _shift(name: str, *, clip: bool, upper: float = 1.0) -> Change:
    def change(line: Line, points: float) -> Line:
        value = getattr(line, name) + points
        return replace(line, **{name: min(upper, max(0.0, value)) if clip else value})

    return change


def _amount_row(
    lines: Sequence[Line],
    label: str,
    item: str | None,
    parameter: str,
    picked: Callable[[Line], bool],
    amount_change: float,
    npv0: float,
) -> SensitivityRow:
    chosen = [line for line in lines if picked(line)]
    base = sum(line.amount for line in chosen)
    ranged = parameter == "amount" and any(
        line.low is not None or line.high is not None for line in chosen
    )
    if ranged:
        low = sum(line.low if line.low is not None else line.amount for line in chosen)
        high = sum(line.high if line.high is not None else line.amount for line in chosen)
        npv_low = _npv(lines, picked, _to_end, -1.0)
        npv_high = _npv(lines, picked, _to_end, 1.0)
    else:
        low, high = base * (1 - amount_change), base * (1 + amount_change)
        npv_low = _npv(lines, picked, _scale, 1 - amount_change)
        npv_high = _npv(lines, picked, _scale, 1 + amount_change)
    slope = _npv(lines, picked, _scale, 2.0) - npv0  # NPV change per extra 100% of the amount
    factor = 1.0 - npv0 / slope if slope != 0.0 else None
    return SensitivityRow(
        assumption=label,
        item=item,
        parameter=parameter,
        base=base,
        low=low,
        high=high,
        npv_low=npv_low,
        npv_high=npv_high,
        flips_sign=_flips(npv0, npv_low, npv_high),
        switching_value=None if factor is None else factor * base,
        switching_change=None if factor is None else factor - 1.0,
        possible=factor is not None and factor >= 0.0,
    )


def _share_row(
    lines: Sequence[Line], item: str, name: str, share_change: float, npv0: float
) -> SensitivityRow:
    def picked(line: Line) -> bool:
        return line.item == item and (name == "optimism_bias" or line.kind == "benefit")

    chosen = [line for line in lines if picked(line)]
    # A cost's optimism bias may reach 200% (the Green Book's upper bound); a share, 1.
    costs_only = name == "optimism_bias" and all(line.kind == "cost" for line in chosen)
    upper = COST_OPTIMISM_BIAS_LIMIT if costs_only else 1.0
    base = sum(getattr(line, name) for line in chosen) / len(chosen)
    low, high = max(0.0, base - share_change), min(upper, base + share_change)
    npv_low = _npv(lines, picked, _shift(name, clip=True, upper=upper), -share_change)
    npv_high = _npv(lines, picked, _shift(name, clip=True, upper=upper), share_change)
    slope = _npv(lines, picked, _shift(name, clip=False), 1.0) - npv0  # per whole share point
    points = -npv0 / slope if slope != 0.0 else None
    value = None if points is None else base + points
    return SensitivityRow(
        assumption=f"{item}: {_LABELS[name]}",
        item=item,
        parameter=name,
        base=base,
        low=low,
        high=high,
        npv_low=npv_low,
        npv_high=npv_high,
        flips_sign=_flips(npv0, npv_low, npv_high),
        switching_value=value,
        switching_change=points,
        possible=value is not None and 0.0 <= value <= upper,
    )


def _item_is(item: str) -> Callable[[Line], bool]:
    return lambda line: line.item == item


def _flips(npv0: float, *others: float) -> bool:
    return any((npv >= 0.0) != (npv0 >= 0.0) for npv in others)


def sensitivity(
    lines: Sequence[Line], *, amount_change: float = 0.2, share_change: float = 0.1
) -> list[SensitivityRow]:
    """Move each assumption on its own and report NPV at each end and the switching value.

    Args:
        lines: The SPEC lines.
        amount_change: Relative change tried for amounts without a ``low``/``high``
            range (0.2 means ±20%).
        share_change: Change tried for shares, in share points (0.1 means ±0.1).

    Returns:
        One row per assumption: those that flip the sign of NPV first, then by how
        far NPV swings across the range, largest first.
    """
    npv0 = appraise(lines).npv
    rows = [
        _amount_row(
            lines,
            "All costs",
            None,
            "all_costs",
            lambda line: line.kind == "cost",
            amount_change,
            npv0,
        ),
        _amount_row(
            lines,
            "All benefits",
            None,
            "all_benefits",
            lambda line: line.kind == "benefit",
            amount_change,
            npv0,
        ),
    ]
    rows = [row for row in rows if row.base != 0.0 or row.switching_value is not None]
    items = list(dict.fromkeys(line.item for line in lines))
    for item in items:
        rows.append(
            _amount_row(
                lines, f"{item}: amount", item, "amount", _item_is(item), amount_change, npv0
            )
        )
        has_benefit = any(line.item == item and line.kind == "benefit" for line in lines)
        for name in SHARES if has_benefit else SHARES[:1]:
            rows.append(_share_row(lines, item, name, share_change, npv0))
    return sorted(rows, key=lambda row: (not row.flips_sign, -abs(row.npv_high - row.npv_low)))
