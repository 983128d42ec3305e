"""Benefits, channel shift and cost–benefit appraisal (HM Treasury Green Book, GMCA).

The package reads an appraisal SPEC (costs and benefits by year), adjusts each line
for optimism bias, deadweight and attribution, discounts it on the Green Book
schedule and works out NPV, benefit–cost ratio and payback year; it tests which
assumption flips the answer, runs a seeded Monte Carlo, models channel shift and
exports the whole appraisal as a workbook of live formulas. It keeps no records:
callers pass lines in and get plain results back. See ``docs/benefits.md``.
"""

from __future__ import annotations

from upstream.benefits.appraisal import Appraisal, YearRow, adjusted_amount, appraise
from upstream.benefits.channel_shift import (
    DEFAULT_UNIT_COSTS,
    ChannelShiftResult,
    ChannelVolume,
    ScenarioResult,
    ScenarioYear,
    ShiftScenario,
    channel_name,
    linear_take_up,
    model_channel_shift,
    savings_as_lines,
    scenarios,
)
from upstream.benefits.discounting import discount_factor, discount_factors, discount_rate
from upstream.benefits.errors import BenefitsError, SpecError
from upstream.benefits.full import FullAppraisal, full_appraisal
from upstream.benefits.montecarlo import MonteCarloSummary, draw_present_values, simulate
from upstream.benefits.sensitivity import SensitivityRow, sensitivity
from upstream.benefits.spec import CATEGORIES, KINDS, SPEC_COLUMNS, Line, parse_rows, read_spec
from upstream.benefits.volumes import parse_channel_rows, read_channel_volumes
from upstream.benefits.workbook import appraisal_workbook, workbook_bytes

__all__ = [
    "CATEGORIES",
    "DEFAULT_UNIT_COSTS",
    "KINDS",
    "SPEC_COLUMNS",
    "Appraisal",
    "BenefitsError",
    "ChannelShiftResult",
    "ChannelVolume",
    "FullAppraisal",
    "Line",
    "MonteCarloSummary",
    "ScenarioResult",
    "ScenarioYear",
    "SensitivityRow",
    "ShiftScenario",
    "SpecError",
    "YearRow",
    "adjusted_amount",
    "appraisal_workbook",
    "appraise",
    "channel_name",
    "discount_factor",
    "discount_factors",
    "discount_rate",
    "draw_present_values",
    "full_appraisal",
    "linear_take_up",
    "model_channel_shift",
    "parse_channel_rows",
    "parse_rows",
    "read_channel_volumes",
    "read_spec",
    "savings_as_lines",
    "scenarios",
    "sensitivity",
    "simulate",
    "workbook_bytes",
]
