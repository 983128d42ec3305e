"""The appraisal as an XLSX workbook in which every worked-out figure is a live formula.

Sheets, in order:

* **Read me** — what each sheet holds and the conventions used;
* **Inputs** — the SPEC lines as written, then the adjusted amount, discount factor
  and present value of each line (formulas);
* **Rates** — the Green Book discount rates (change them and everything follows);
* **Years** — each year's adjusted costs and benefits, discount factor, present
  values and running total (formulas);
* **Summary** — NPV, benefit–cost ratio, payback year and present values by
  category (formulas);
* **Sensitivity** and **Monte Carlo** — when given, figures worked out by upstream,
  written as values and labelled so.

User text is written so that it can never run as a formula.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date
from pathlib import PurePath
from typing import Final

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped]

from upstream import __version__
from upstream.benefits.discounting import RATE_AFTER_YEAR_30, RATE_TO_YEAR_30, SWITCH_YEAR
from upstream.benefits.montecarlo import MonteCarloSummary
from upstream.benefits.sensitivity import SensitivityRow
from upstream.benefits.spec import CATEGORIES, Line
from upstream.policy.cells import safe_text

POUNDS: Final = '"£"#,##0.00;-"£"#,##0.00'
SHARE: Final = "0.0%"
FACTOR: Final = "0.000000"

INPUT_HEADINGS: Final = (
    "Item",
    "Cost or benefit",
    "Category",
    "Year (0 is the first year)",
    "Amount (£, real prices)",
    "Optimism bias",
    "Deadweight",
    "Attribution",
    "Adjusted amount (£)",
    "Discount factor",
    "Present value (£)",
    "Organisation (who pays or gains)",
    "Low (£, for the simulation)",
    "High (£, for the simulation)",
)
YEAR_HEADINGS: Final = (
    "Year",
    "Costs, adjusted (£)",
    "Benefits, adjusted (£)",
    "Discount factor",
    "Present value of costs (£)",
    "Present value of benefits (£)",
    "Net present value in the year (£)",
    "Running total of net present value (£)",
    "Year if paid back by then",
)

READ_ME: Final = (
    "Cost–benefit appraisal worked out by upstream. Every figure in the Inputs (columns I "
    "to K), Years and Summary sheets is a formula: click a cell to see how it is worked out.",
    "Adjusted cost = amount × (1 + optimism bias).",
    "Adjusted benefit = amount × (1 − optimism bias) × (1 − deadweight) × attribution.",
    "Discount factor for year t = 1 / (1 + rate to year 30)^t up to year 30, and "
    "1 / ((1 + rate to year 30)^30 × (1 + rate after year 30)^(t − 30)) after that "
    "(HM Treasury Green Book 2022: 3.5% and 3.0%). The rates are on the Rates sheet.",
    "Net present value = present value of benefits − present value of costs. "
    "Benefit–cost ratio = present value of benefits ÷ present value of costs.",
    "Payback year = the first year in which the running total of net present value is 0 or more.",
    "Amounts are in pounds in real prices (today's prices, without inflation).",
    "The Sensitivity and Monte Carlo sheets, when present, hold values worked out by "
    "upstream, not formulas.",
    "To appraise again after changing the Inputs sheet (columns A to H and L to N), upload "
    "this workbook on upstream's appraisal page, or give it to `upstream benefits appraise`: "
    "its Inputs sheet is read as the costs and benefits.",
)


def _headings(sheet: Worksheet, headings: Sequence[str], widths: Sequence[int]) -> None:
    sheet.append(list(headings))
    for cell, width in zip(sheet[1], widths, strict=False):
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[cell.column_letter].width = width
    sheet.freeze_panes = "A2"


def _formats(sheet: Worksheet, first: int, last: int, formats: dict[str, str]) -> None:
    for column, number_format in formats.items():
        for row in range(first, last + 1):
            sheet[f"{column}{row}"].number_format = number_format


def _inputs(book: Workbook, lines: Sequence[Line], last_year_row: int) -> int:
    sheet = book.create_sheet("Inputs")
    _headings(sheet, INPUT_HEADINGS, (30, 12, 12, 12, 18, 12, 12, 12, 18, 14, 18, 30, 16, 16))
    for row, line in enumerate(lines, start=2):
        sheet.append(
            [
                safe_text(line.item),
                line.kind,
                line.category,
                line.year,
                line.amount,
                line.optimism_bias,
                line.deadweight,
                line.attribution,
                f'=IF(B{row}="cost",E{row}*(1+F{row}),E{row}*(1-F{row})*(1-G{row})*H{row})',
                f"=INDEX(Years!$D$2:$D${last_year_row},D{row}+1)",
                f"=I{row}*J{row}",
                safe_text(line.organisation),
                line.low,
                line.high,
            ]
        )
    last = len(lines) + 1
    _formats(
        sheet,
        2,
        last,
        {
            "E": POUNDS,
            "F": SHARE,
            "G": SHARE,
            "H": SHARE,
            "I": POUNDS,
            "J": FACTOR,
            "K": POUNDS,
            "M": POUNDS,
            "N": POUNDS,
        },
    )
    return last


def _organisations(book: Workbook, lines: Sequence[Line], last_input: int) -> None:
    """Who pays and who gains: each organisation's costs and fiscal benefits, as formulas."""
    sheet = book.create_sheet("By organisation")
    _headings(
        sheet,
        (
            "Organisation",
            "Costs it bears, present value (£)",
            "Fiscal benefits to its budget, present value (£)",
            "Net effect on its budget (£)",
        ),
        (36, 22, 26, 22),
    )
    kinds, categories, pvs, names = (f"Inputs!${c}$2:${c}${last_input}" for c in "BCKL")
    named = sorted({line.organisation for line in lines if line.organisation})
    for row, name in enumerate(named, start=2):
        sheet.append(
            [
                safe_text(name),
                f'=SUMIFS({pvs},{kinds},"cost",{names},A{row})',
                f'=SUMIFS({pvs},{kinds},"benefit",{categories},"fiscal",{names},A{row})',
                f"=C{row}-B{row}",
            ]
        )
    _formats(sheet, 2, len(named) + 1, {"B": POUNDS, "C": POUNDS, "D": POUNDS})


def _rates(book: Workbook, rate_to_30: float, rate_after_30: float) -> None:
    sheet = book.create_sheet("Rates")
    _headings(sheet, ("Discount rate", "Value", "Source"), (40, 10, 60))
    sheet.append(["Rate for years 0 to 30", rate_to_30, "HM Treasury Green Book 2022"])
    sheet.append(["Rate after year 30", rate_after_30, "HM Treasury Green Book 2022"])
    sheet.append(["Last year at the first rate", SWITCH_YEAR, "HM Treasury Green Book 2022"])
    _formats(sheet, 2, 3, {"B": "0.0%"})


def _years(book: Workbook, last_year: int, last_input: int) -> int:
    sheet = book.create_sheet("Years")
    _headings(sheet, YEAR_HEADINGS, (8, 18, 18, 14, 18, 18, 18, 20, 14))
    kinds, years, amounts = (f"Inputs!${c}$2:${c}${last_input}" for c in "BDI")
    for year in range(last_year + 1):
        r = year + 2
        sheet.append(
            [
                year,
                f'=SUMPRODUCT(({kinds}="cost")*({years}=A{r})*{amounts})',
                f'=SUMPRODUCT(({kinds}="benefit")*({years}=A{r})*{amounts})',
                f"=IF(A{r}<=Rates!$B$4,1/POWER(1+Rates!$B$2,A{r}),"
                f"1/(POWER(1+Rates!$B$2,Rates!$B$4)*POWER(1+Rates!$B$3,A{r}-Rates!$B$4)))",
                f"=B{r}*D{r}",
                f"=C{r}*D{r}",
                f"=F{r}-E{r}",
                f"=G{r}" if year == 0 else f"=H{r - 1}+G{r}",
                f'=IF(H{r}>=0,A{r},"")',
            ]
        )
    last = last_year + 2
    _formats(
        sheet,
        2,
        last,
        {"B": POUNDS, "C": POUNDS, "D": FACTOR, "E": POUNDS, "F": POUNDS, "G": POUNDS, "H": POUNDS},
    )
    return last


def _summary(book: Workbook, last_input: int, last_year_row: int) -> None:
    sheet = book.create_sheet("Summary")
    _headings(sheet, ("Measure", "Value", "How it is worked out"), (42, 20, 70))
    years = f"Years!$I$2:$I${last_year_row}"
    kinds, categories, pvs = (f"Inputs!${c}$2:${c}${last_input}" for c in "BCK")
    rows: list[tuple[str, str, str]] = [
        (
            "Present value of costs (£)",
            f"=SUM(Years!E2:E{last_year_row})",
            "Sum of the present values of costs on the Years sheet",
        ),
        (
            "Present value of benefits (£)",
            f"=SUM(Years!F2:F{last_year_row})",
            "Sum of the present values of benefits on the Years sheet",
        ),
        ("Net present value (£)", "=B3-B2", "Present value of benefits minus that of costs"),
        (
            "Benefit–cost ratio",
            '=IF(B2=0,"not defined (no costs)",B3/B2)',
            "Present value of benefits divided by that of costs",
        ),
        (
            "Payback year",
            f'=IF(COUNT({years})=0,"never",MIN({years}))',
            "First year in which the running total of net present value is 0 or more",
        ),
    ]
    for kind, label in (("benefit", "benefits"), ("cost", "costs")):
        for category in CATEGORIES:
            rows.append(
                (
                    f"Present value of {category} {label} (£)",
                    f'=SUMPRODUCT(({kinds}="{kind}")*({categories}="{category}")*{pvs})',
                    f"Sum of the present values of {category} {label} on the Inputs sheet",
                )
            )
    # Rows 7-9 hold fiscal, economic and social benefits (CATEGORIES' order).
    fiscal_row = 7 + CATEGORIES.index("fiscal")
    rows.append(
        (
            "Net present value, fiscal benefits only (£)",
            f"=B{fiscal_row}-B2",
            "Present value of fiscal benefits (savings to public budgets) minus that of costs",
        )
    )
    rows.append(
        (
            "Benefit–cost ratio, fiscal benefits only",
            f'=IF(B2=0,"not defined (no costs)",B{fiscal_row}/B2)',
            "Present value of fiscal benefits divided by that of costs",
        )
    )
    for measure in rows:
        sheet.append(list(measure))
    ratios = {5, len(rows) + 1}
    for row in range(2, len(rows) + 2):
        sheet[f"B{row}"].number_format = "0.00" if row in ratios else "0" if row == 6 else POUNDS


def _sensitivity(book: Workbook, rows: Sequence[SensitivityRow]) -> None:
    sheet = book.create_sheet("Sensitivity")
    _headings(
        sheet,
        (
            "Assumption (values worked out by upstream, not formulas)",
            "As written",
            "Low tested",
            "High tested",
            "NPV at low (£)",
            "NPV at high (£)",
            "Flips the sign of NPV?",
            "Switching value (NPV = 0)",
            "Could it reach the switching value?",
        ),
        (44, 14, 14, 14, 18, 18, 12, 18, 14),
    )
    for row in rows:
        sheet.append(
            [
                safe_text(row.assumption),
                row.base,
                row.low,
                row.high,
                row.npv_low,
                row.npv_high,
                "yes" if row.flips_sign else "no",
                row.switching_value,
                "yes" if row.possible else "no",
            ]
        )
    _formats(sheet, 2, len(rows) + 1, {"E": POUNDS, "F": POUNDS})


def _monte_carlo(book: Workbook, summary: MonteCarloSummary) -> None:
    sheet = book.create_sheet("Monte Carlo")
    _headings(sheet, ("Measure (values worked out by upstream, not formulas)", "Value"), (80, 20))
    formats: dict[int, str] = {}

    def add(label: str, value: float, number_format: str) -> None:
        sheet.append([label, value])
        formats[sheet.max_row] = number_format

    add("Runs", summary.runs, "#,##0")
    add("Seed (reuse it to repeat the run)", summary.seed, "0")
    add("Range for amounts without low and high (±)", summary.amount_change, "0%")
    # The figures to quote first: benefits moving together, and costs moving together.
    add(
        "Share of runs with net present value below 0, benefits moving together and costs "
        "moving together (quote this)",
        summary.probability_npv_below_zero_together,
        "0%",
    )
    for name, value in (summary.npv_percentiles_together or {}).items():
        add(f"Net present value, {name[1:]}th percentile, moving together (£)", value, POUNDS)
    for name, value in (summary.bcr_percentiles_together or {}).items():
        add(f"Benefit–cost ratio, {name[1:]}th percentile, moving together", value, "0.00")
    add(
        "Share of runs with net present value below 0, each line drawn on its own",
        summary.probability_npv_below_zero,
        "0%",
    )
    add("Average net present value, each line on its own (£)", summary.npv_mean, POUNDS)
    for name, value in summary.npv_percentiles.items():
        add(f"Net present value, {name[1:]}th percentile, each line on its own (£)", value, POUNDS)
    for row, number_format in formats.items():
        sheet[f"B{row}"].number_format = number_format


def appraisal_workbook(
    lines: Sequence[Line],
    *,
    sensitivity_rows: Sequence[SensitivityRow] | None = None,
    monte_carlo: MonteCarloSummary | None = None,
    rate_to_30: float = RATE_TO_YEAR_30,
    rate_after_30: float = RATE_AFTER_YEAR_30,
    source: str | None = None,
    made_on: date | None = None,
) -> Workbook:
    """Build the appraisal workbook.

    Args:
        lines: The SPEC lines (at least one).
        sensitivity_rows: Results of :func:`~upstream.benefits.sensitivity`, if wanted.
        monte_carlo: Result of :func:`~upstream.benefits.simulate`, if wanted.
        rate_to_30: Discount rate for years 0–30, written on the Rates sheet.
        rate_after_30: Discount rate after year 30.
        source: The file the lines came from, named on the Read me sheet.
        made_on: The date to stamp it with (today when not given).

    Returns:
        The workbook, not yet saved (see :func:`workbook_bytes`).
    """
    book = Workbook()
    notes = book.active
    assert notes is not None  # a new workbook always has one sheet
    notes.title = "Read me"
    notes.column_dimensions["A"].width = 120
    # Which file, which version and when: a board paper's figures can be traced back.
    stamp = f"Made by upstream {__version__} on {(made_on or date.today()):%-d %B %Y}"
    notes.append([stamp + (f" from {safe_text(PurePath(source).name)}." if source else ".")])
    for text in READ_ME:
        notes.append([text])
    # Spreadsheet programs work every formula out when the file opens; the file holds
    # the formulas, not their results.
    book.calculation.fullCalcOnLoad = True
    last_year = max(line.year for line in lines)
    last_year_row = last_year + 2
    last_input = _inputs(book, lines, last_year_row)
    _rates(book, rate_to_30, rate_after_30)
    _years(book, last_year, last_input)
    _summary(book, last_input, last_year_row)
    if any(line.organisation for line in lines):
        _organisations(book, lines, last_input)
    if sensitivity_rows is not None:
        _sensitivity(book, sensitivity_rows)
    if monte_carlo is not None:
        _monte_carlo(book, monte_carlo)
    return book


def workbook_bytes(book: Workbook) -> bytes:
    """The workbook as the bytes of an ``.xlsx`` file, so it can be written in one go."""
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
