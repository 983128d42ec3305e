"""Official workbooks in the accessible-spreadsheet layout (cover, contents, notes, tables)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

from upstream.store import Store
from upstream.survey.accessible import read_workbook
from upstream.workflows.survey.importing import import_survey
from upstream.workflows.survey.storage import load_panel

Sheets = dict[str, list[list[object]]]

ORGS = [
    ("HMRC0000", "HM Revenue and Customs"),
    ("CO0000", "Cabinet Office"),
    ("DWP0000", "Department for Work and Pensions"),
    ("SMALL01", "Office of the Tiny Regulator"),
]


def _official(year: int) -> Sheets:
    """A small workbook laid out like the official results published since 2021."""
    shift = year - 2021
    return {
        "Cover": [
            [f"Civil Service People Survey {year}: results"],
            ["This workbook gives the results by organisation."],
            ["Contact: people.survey@example.gov.uk"],
        ],
        "Contents": [
            ["Worksheet contents"],
            ["Sheet name", "Table title"],
            ["Table_1", "Median benchmark scores for all respondents"],
            ["Table_2", "Mean scores by organisation"],
        ],
        "Notes": [
            ["Notes"],
            ["Note number", "Note text"],
            ["[note 1]", "Scores based on fewer than 10 responses are suppressed [c]."],
        ],
        "Table_1": [
            [f"Table 1: Median benchmark scores for all respondents, 2021 to {year}"],
            ["This table contains notes, see the notes sheet [note 1]"],
            ["Source: Civil Service People Survey"],
            ["Measure code", "Measure", *[str(y) for y in range(2021, year + 1)], "Notes"],
            ["ees", "Employee engagement index", *[65 - i for i in range(shift + 1)], ""],
            ["mw_ts", "My work", *[78 for _ in range(shift + 1)], ""],
            ["B01", "I am interested in my work", *[90 for _ in range(shift + 1)], ""],
            ["hw_index", "Health and wellbeing index", *(["[z]"] * shift), 70, "[note 1]"],
        ],
        "Table_2": [
            [f"Table 2: Mean scores by organisation, {year}"],
            ["Cells marked [c] are suppressed to protect anonymity; [z] means not asked."],
            [
                "Organisation code",
                "Organisation",
                "Number of responses",
                "ees",
                "mw_ts",
                "B01",
                "wb_perma",
                "hw_index",
                "ld_new",
                "Notes",
            ],
            [*ORGS[0], 41000, 60 + shift, 75, 88, 6.8, 71, 55, ""],
            [*ORGS[1], 2100, 68, 80, 92, 7.1, 69, 58, ""],
            [*ORGS[2], 52000, 62, 76, 89, 6.9, "[z]", 52, "[note 1]"],
            [*ORGS[3], 7, "[c]", "[c]", "[c]", 7.0, "[c]", "[c]", "[note 1]"],
        ],
        "Annex_A": [
            ["Annex A: question codes and wording"],
            ["Question code", "Question wording"],
            ["ees", "Employee engagement index"],
            ["wb_perma", "PERMA wellbeing index"],
            ["hw_index", "Health and wellbeing index"],
            ["B01", "I am interested in my work"],
            ["ld_new", "Learning and development theme score"],
        ],
    }


def _write_ods(path: Path, sheets: Sheets) -> Path:
    document = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        table = Table(name=name)
        for row in rows:
            table_row = TableRow()
            for value in row:
                if isinstance(value, int | float):
                    cell = TableCell(valuetype="float", value=value)
                else:
                    cell = TableCell(valuetype="string")
                cell.addElement(P(text=str(value)))
                table_row.addElement(cell)
            table.addElement(table_row)
        document.spreadsheet.addElement(table)
    document.save(str(path))
    return path


def _write_xlsx(path: Path, sheets: Sheets) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_reads_tables_below_title_lines_and_skips_front_sheets(tmp_path: Path) -> None:
    path = _write_ods(tmp_path / "csps_2022_results.ods", _official(2022))
    read = read_workbook(path, year=2022, texts={})
    assert [t.sheet for t in read.tables] == ["Table_2"]
    table = read.tables[0]
    assert table.organisations == [name for _code, name in ORGS]
    assert table.codes[0] == "HMRC0000"
    # A score out of ten among percentages becomes a measure of its own on its own scale.
    measures = [(m.measure, m.rule) for m in table.measures]
    assert [m for m, _rule in measures] == ["EES", "MW", "B01", "WB_PERMA", "HW_INDEX", "LD"]
    assert measures[4][1] == "new measure"
    assert measures[5][1] == "annex wording"  # a new code whose wording names a known theme
    assert table.scales == {"WB_PERMA": "0-10"}
    assert table.values[0][3] == pytest.approx(6.8)
    assert table.respondents == [41000, 2100, 52000, 7]
    assert table.missing == {"c": 5, "z": 1}
    assert table.values[0][0] == pytest.approx(0.61)
    medians = {(y, m): v for y, _n, m, v in read.published}
    assert medians[(2021, "EES")] == pytest.approx(0.65)
    assert medians[(2022, "HW_INDEX")] == pytest.approx(0.70)
    assert (2021, "HW_INDEX") not in medians  # [z]: not asked that year
    assert any("Table_1" in n and "published figures" in n for n in read.notes)
    assert any("Cover" in n and "Contents" in n and "Notes" in n for n in read.notes)


@pytest.mark.shared_data
def test_official_workbooks_join_earlier_years_in_one_panel(
    tmp_path: Path, shared_data: Path
) -> None:
    csv_2019 = next((shared_data / "csps" / "2019").glob("*All-Organisation-Scores-CSV*.csv"))
    ods = _write_ods(tmp_path / "csps_2023_results.ods", _official(2023))
    xlsx = _write_xlsx(tmp_path / "csps_2022_results.xlsx", _official(2022))
    with Store(f"sqlite:///{tmp_path / 'survey.db'}") as store:
        outcome = import_survey(store, [csv_2019, xlsx, ods])
        stored = load_panel(store)
    panel = outcome.panel
    assert panel.years == [2019, 2022, 2023]
    hmrc = stored.scores[
        (stored.scores["organisation"] == "HM Revenue and Customs")
        & (stored.scores["measure"] == "EES")
    ]
    assert sorted(hmrc["year"].tolist()) == [2019, 2022, 2023]
    assert hmrc.set_index("year").loc[2023, "value"] == pytest.approx(0.62)
    assert "HW_INDEX" in stored.measure_ids
    assert stored.scale("WB_PERMA") == "0-10"
    assert set(hmrc.set_index("year").loc[[2022, 2023], "respondents"]) == {41000}
    assert stored.label("HW_INDEX") == "Health and wellbeing index"
    published = panel.published
    medians = published[published["name"] == "Civil Service benchmark (median)"]
    assert set(medians["year"]) == {2021, 2022, 2023}
    notes = " ".join(panel.notes)
    assert "csps_2023_results.ods: read sheet Table_2" in notes
    assert "5 cells [c] (suppressed to protect anonymity)" in notes
    assert "1 cell [z] (not applicable (not asked that year))" in notes


def test_official_workbook_imports_through_the_cli(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from upstream.cli import app

    ods = _write_ods(tmp_path / "csps_2023_results.ods", _official(2023))
    db = str(tmp_path / "store.db")
    result = CliRunner().invoke(app, ["survey", "import", str(ods), "--db", db])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())
    assert "Read 18 scores: 4 organisations, 6 measures, years 2023" in out
    assert "read sheet Table_2 (Table 2: Mean scores by organisation, 2023) as organisation" in out
    assert "read sheet Table_1" in out and "as published figures (10 values)" in out
    assert "5 cells [c] (suppressed to protect anonymity)" in out
