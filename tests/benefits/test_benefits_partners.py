"""Who pays and who gains: each organisation's costs and fiscal benefits."""

from __future__ import annotations

from pathlib import Path

import formulas  # type: ignore[import-untyped]
import pytest
from openpyxl import load_workbook  # type: ignore[import-untyped]

from upstream.benefits import Line, full_appraisal, parse_rows
from upstream.benefits.partners import NOT_GIVEN, by_organisation
from upstream.benefits.spec import unused_columns

HEADER = ["item", "kind", "category", "year", "amount", "optimism_bias", "deadweight",
          "attribution", "organisation", "payer"]  # fmt: skip
ROWS = [
    HEADER,
    ["Family workers", "cost", "fiscal", 0, 100, 0.1, "", "", "Council", "x"],
    ["Nurse time", "cost", "fiscal", 1, 50, "", "", "", "NHS trust", ""],
    ["Fewer referrals", "benefit", "fiscal", 1, 200, "", 0.5, "", "Council", ""],
    ["Fewer A&E visits", "benefit", "fiscal", 1, 30, "", "", "", "NHS trust", ""],
    ["Parents into work", "benefit", "economic", 1, 80, "", "", "", "", ""],
]


def test_each_organisation_bears_its_costs_and_gets_its_fiscal_benefits() -> None:
    lines = parse_rows(ROWS, "hub.csv")
    assert [line.organisation for line in lines] == ["Council", "NHS trust", "Council",
                                                     "NHS trust", ""]  # fmt: skip
    shares = {s.organisation: s for s in by_organisation(lines)}
    # Economic benefits named against nobody touch no budget, so no row for them.
    assert set(shares) == {"Council", "NHS trust"}
    council, nhs = shares["Council"], shares["NHS trust"]
    assert council.pv_costs == pytest.approx(110.0)  # year 0: not discounted
    assert council.pv_fiscal_benefits == pytest.approx(100.0 / 1.035)
    assert nhs.net_fiscal == pytest.approx((30.0 - 50.0) / 1.035)
    # Together they are the appraisal's own figures.
    full = full_appraisal(lines, runs=10)
    fiscal = full.appraisal.pv_benefits_by_category["fiscal"]
    assert sum(s.pv_costs for s in shares.values()) == pytest.approx(full.appraisal.pv_costs)
    assert sum(s.pv_fiscal_benefits for s in shares.values()) == pytest.approx(fiscal)
    assert [row["organisation"] for row in full.to_dict()["by_organisation"]] == [
        "Council",
        "NHS trust",
    ]
    # A column the SPEC does not use is named, so nobody thinks it was read.
    assert unused_columns(ROWS) == ["payer"]


def test_lines_without_an_organisation_are_counted_apart_and_none_named_means_no_table() -> None:
    lines = [
        Line("Staff", "cost", "fiscal", 0, 100.0, organisation="Council"),
        Line("Kit", "cost", "fiscal", 0, 20.0),
        Line("Saving", "benefit", "fiscal", 0, 150.0),
    ]
    shares = by_organisation(lines)
    assert [s.organisation for s in shares] == ["Council", NOT_GIVEN]
    assert shares[1].pv_costs == 20.0 and shares[1].pv_fiscal_benefits == 150.0
    assert by_organisation([Line("Staff", "cost", "fiscal", 0, 100.0)]) == []


def test_the_workbook_works_out_each_organisation_with_formulas(tmp_path: Path) -> None:
    lines = parse_rows(ROWS, "hub.csv")
    path = tmp_path / "hub.xlsx"
    path.write_bytes(full_appraisal(lines, runs=10).workbook_bytes())
    book = load_workbook(path)
    sheet = book["By organisation"]
    assert [sheet["A2"].value, sheet["A3"].value] == ["Council", "NHS trust"]
    assert str(sheet["B2"].value).startswith("=SUMIFS(Inputs!$K$2:$K$6,Inputs!$B$2:$B$6")
    assert sheet["D3"].value == "=C3-B3"
    assert book["Inputs"]["L2"].value == "Council"
    # Worked out as a spreadsheet would, the formulas give the page's figures.
    model = formulas.ExcelModel().loads(str(path)).finish()
    cells = {
        str(key).split("]", 1)[-1].replace("'", "").upper(): getattr(value, "value", value)
        for key, value in model.calculate().items()
    }
    shares = {s.organisation: s for s in by_organisation(lines)}
    got = float(cells["BY ORGANISATION!D3"][0][0])
    assert got == pytest.approx(shares["NHS trust"].net_fiscal)
    assert float(cells["BY ORGANISATION!B2"][0][0]) == pytest.approx(shares["Council"].pv_costs)
