"""The exported workbook: live formulas that, evaluated, give the same figures as the JSON."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import formulas
import pytest
from openpyxl import load_workbook

from upstream.benefits import (
    Line,
    appraisal_workbook,
    full_appraisal,
    read_spec,
    sensitivity,
    simulate,
    workbook_bytes,
)


def _evaluate(path: Path) -> dict[str, Any]:
    """Every cell's value as Excel would work it out, keyed like ``SUMMARY!B4``."""
    model = formulas.ExcelModel().loads(str(path)).finish()
    values: dict[str, Any] = {}
    for key, value in model.calculate().items():
        name = str(key).split("]", 1)[-1].replace("'", "").upper()
        cell = getattr(value, "value", value)
        values[name] = cell[0][0] if hasattr(cell, "__getitem__") else cell
    return values


def _save(tmp_path: Path, lines: list[Line], **options: Any) -> Path:
    path = tmp_path / "appraisal.xlsx"
    path.write_bytes(workbook_bytes(appraisal_workbook(lines, **options)))
    return path


@pytest.mark.parametrize("spec", ["worked_spec", "long_spec"])
def test_formulas_give_the_json_figures(
    tmp_path: Path, spec: str, request: pytest.FixtureRequest
) -> None:
    # The workbook the command writes, with its Sensitivity and Monte Carlo sheets.
    full = full_appraisal(read_spec(request.getfixturevalue(spec)), runs=200)
    document = full.to_dict()
    path = tmp_path / "full.xlsx"
    path.write_bytes(full.workbook_bytes())
    cells = _evaluate(path)
    assert cells["SUMMARY!B2"] == pytest.approx(document["pv_costs"], abs=1e-6)
    assert cells["SUMMARY!B3"] == pytest.approx(document["pv_benefits"], abs=1e-6)
    assert cells["SUMMARY!B4"] == pytest.approx(document["npv"], abs=1e-6)
    assert cells["SUMMARY!B5"] == pytest.approx(document["bcr"], abs=1e-6)
    assert cells["SUMMARY!B6"] == document["payback_year"]
    for row, category in enumerate(("fiscal", "economic", "social"), start=7):
        expected = document["pv_benefits_by_category"][category]
        assert cells[f"SUMMARY!B{row}"] == pytest.approx(expected, abs=1e-6)
    for year in document["years"]:
        r = year["year"] + 2
        assert cells[f"YEARS!A{r}"] == year["year"]
        assert cells[f"YEARS!B{r}"] == pytest.approx(year["costs"], abs=1e-6)
        assert cells[f"YEARS!C{r}"] == pytest.approx(year["benefits"], abs=1e-6)
        assert cells[f"YEARS!D{r}"] == pytest.approx(year["discount_factor"], abs=1e-6)
        assert cells[f"YEARS!E{r}"] == pytest.approx(year["pv_costs"], abs=1e-6)
        assert cells[f"YEARS!F{r}"] == pytest.approx(year["pv_benefits"], abs=1e-6)


def test_no_costs_and_no_payback_read_plainly(tmp_path: Path) -> None:
    only_benefit = [Line("Gain", "benefit", "social", 1, 100.0, deadweight=0.5)]
    cells = _evaluate(_save(tmp_path, only_benefit))
    assert cells["SUMMARY!B5"] == "not defined (no costs)"
    assert cells["SUMMARY!B3"] == pytest.approx(50 / 1.035, abs=1e-6)
    never = [Line("Cost", "cost", "fiscal", 0, 100.0), Line("Gain", "benefit", "fiscal", 1, 10.0)]
    assert _evaluate(_save(tmp_path, never))["SUMMARY!B6"] == "never"


def test_cells_are_formulas_and_text_cannot_run(tmp_path: Path) -> None:
    lines = [
        Line('=HYPERLINK("http://example.com")', "cost", "fiscal", 0, 100.0, optimism_bias=0.1),
        Line("Gain", "benefit", "fiscal", 1, 300.0),
    ]
    rows = sensitivity(lines)
    path = _save(tmp_path, lines, sensitivity_rows=rows, monte_carlo=simulate(lines, runs=50))
    book = load_workbook(path)
    assert book.sheetnames == ["Read me", "Inputs", "Rates", "Years", "Summary", "Sensitivity",
                               "Monte Carlo"]  # fmt: skip
    inputs, years, summary = book["Inputs"], book["Years"], book["Summary"]
    assert inputs["A2"].value == '\'=HYPERLINK("http://example.com")'
    assert inputs["I2"].value == '=IF(B2="cost",E2*(1+F2),E2*(1-F2)*(1-G2)*H2)'
    assert inputs["E2"].number_format.startswith('"£"')
    assert str(years["D3"].value).startswith("=IF(A3<=Rates!$B$4")
    assert summary["B4"].value == "=B3-B2"
    assert summary["A4"].value == "Net present value (£)"
    assert book["Rates"]["B2"].value == 0.035
    assert book["Rates"]["B3"].value == 0.03
    assert book["Sensitivity"].max_row == len(rows) + 1


def test_the_workbook_says_what_made_it_from_which_file_and_when(tmp_path: Path) -> None:
    from datetime import date

    from upstream import __version__
    from upstream.benefits.workbook import appraisal_workbook, workbook_bytes

    lines = [Line("Cost", "cost", "fiscal", 0, 100.0), Line("Gain", "benefit", "fiscal", 1, 300.0)]
    made = appraisal_workbook(lines, source="/data/hub/=bid.csv", made_on=date(2026, 12, 6))
    path = tmp_path / "stamped.xlsx"
    path.write_bytes(workbook_bytes(made))
    book = load_workbook(path)
    # The file's name only (not the server's folders), never as a formula.
    assert book["Read me"]["A1"].value == (
        f"Made by upstream {__version__} on 6 December 2026 from '=bid.csv."
    )
    # Spreadsheet programs work the formulas out when the file opens.
    assert book.calculation.fullCalcOnLoad is True


def test_the_summary_gives_the_fiscal_case_beside_the_whole_case(tmp_path: Path) -> None:
    from upstream.benefits import appraise

    lines = [
        Line("Staff", "cost", "fiscal", 0, 100.0, optimism_bias=0.1),
        Line("Savings", "benefit", "fiscal", 1, 80.0),
        Line("Wellbeing", "benefit", "social", 1, 90.0),
    ]
    cells = _evaluate(_save(tmp_path, lines))
    expected = appraise(lines)
    assert cells["SUMMARY!A13"] == "Net present value, fiscal benefits only (£)"
    assert cells["SUMMARY!B13"] == pytest.approx(expected.fiscal_npv)
    assert cells["SUMMARY!B14"] == pytest.approx(expected.fiscal_bcr)


def test_a_workbook_it_wrote_can_be_appraised_again_as_changed(tmp_path: Path) -> None:
    from upstream.workflows.benefits.examples import DEMO_SPEC, demo_file

    lines = read_spec(demo_file(DEMO_SPEC))
    assert any(line.organisation for line in lines)
    # A range on one line: the ranges go round too.
    ranged = replace(lines[-1], low=0.5 * lines[-1].amount, high=1.5 * lines[-1].amount)
    lines = [*lines[:-1], ranged]
    path = tmp_path / "appraisal.xlsx"
    path.write_bytes(full_appraisal(lines, runs=50).workbook_bytes())
    assert read_spec(path) == lines
    # A finance officer doubles the first cost on the Inputs sheet and appraises again.
    book = load_workbook(path)
    inputs = book["Inputs"]
    inputs["E2"] = 2 * float(inputs["E2"].value)
    book.save(path)
    again = read_spec(path)
    assert again[0].amount == 2 * lines[0].amount and again[1:] == lines[1:]
    before, after = (full_appraisal(x, runs=50).appraisal.npv for x in (lines, again))
    assert after < before
