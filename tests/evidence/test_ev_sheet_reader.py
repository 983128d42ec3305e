from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableCell, TableRow
from odf.text import P

from upstream.evidence.errors import ImportConfigError, ImportFormatError
from upstream.evidence.sheet_reader import SheetReader, cell_text, column_letter
from upstream.records.drafts import RawRow, Reject


def write_xlsx(path: Path) -> None:
    book = openpyxl.Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "Notes"  # first sheet has no data: the reader must skip it
    sheet = book.create_sheet("Replies")
    sheet["A1"] = "Consultation replies, spring 2024"
    sheet.append([])
    sheet.append(["id", "reply", "submitted", "likes", "score"])
    sheet.append([1, "Opening hours are too short", dt.datetime(2024, 3, 1), 12, 3.5])
    sheet.append([2, "The new app is great", dt.datetime(2024, 3, 2, 10, 30), 1204, None])
    sheet.append([])
    sheet.append([3, "More benches please", dt.date(2024, 3, 4), 0, True])
    sheet.append([4, "Stray value", None, None, None, "beyond the header"])
    extra = book.create_sheet("Other")
    extra.append(["text"])
    extra.append(["from the other sheet"])
    book.save(path)


def test_xlsx_title_rows_above_header(tmp_path: Path) -> None:
    path = tmp_path / "replies.xlsx"
    write_xlsx(path)
    reader = SheetReader(path)
    assert reader.sheet_name == "Replies"
    assert reader.detected["header row"] == "3"
    assert reader.detected["format"] == "XLSX"
    assert reader.columns == ["id", "reply", "submitted", "likes", "score"]
    rows = list(reader.rows())
    good = [r for r in rows if isinstance(r, RawRow)]
    bad = [r for r in rows if isinstance(r, Reject)]
    assert [r.line for r in good] == [4, 5, 7]
    assert good[0].values == {
        "id": "1",
        "reply": "Opening hours are too short",
        "submitted": "2024-03-01",
        "likes": "12",
        "score": "3.5",
    }
    assert good[1].values["submitted"] == "2024-03-02T10:30:00"
    assert good[1].values["likes"] == "1204"
    assert good[2].values["score"] == "TRUE"
    assert [(r.line, r.reason) for r in bad] == [
        (8, "too many fields: expected 5 columns, found a value in column F, which has no header")
    ]


def test_xlsx_named_sheet_case_insensitive(tmp_path: Path) -> None:
    path = tmp_path / "replies.xlsx"
    write_xlsx(path)
    reader = SheetReader(path, sheet="other")
    assert reader.sheet_name == "Other"
    assert [r.values for r in reader.rows()] == [{"text": "from the other sheet"}]  # type: ignore[union-attr]


def test_missing_sheet_lists_the_sheets(tmp_path: Path) -> None:
    path = tmp_path / "replies.xlsx"
    write_xlsx(path)
    with pytest.raises(ImportConfigError, match="available sheets: 'Notes', 'Replies', 'Other'"):
        SheetReader(path, sheet="Nope")


def test_not_really_a_spreadsheet(tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("id,text\n1,a\n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="cannot read this as a XLSX file"):
        SheetReader(path)


def _ods_cell(value: object) -> TableCell:
    if isinstance(value, float | int):
        cell = TableCell(valuetype="float", value=value)
    else:
        cell = TableCell(valuetype="string")
    if value != "":
        cell.addElement(P(text=str(value)))
    return cell


def write_ods(path: Path, rows: list[list[object]]) -> None:
    doc = OpenDocumentSpreadsheet()
    table = Table(name="Responses")
    for values in rows:
        row = TableRow()
        for value in values:
            row.addElement(_ods_cell(value))
        table.addElement(row)
    doc.spreadsheet.addElement(table)
    doc.save(str(path))


def test_ods(tmp_path: Path) -> None:
    path = tmp_path / "responses.ods"
    write_ods(
        path,
        [
            ["Survey export", "", ""],
            ["", "", ""],
            ["ref", "answer", "count"],
            ["A1", "Please fix the lift", 3],
            ["A2", "Bins are collected late", 12],
        ],
    )
    reader = SheetReader(path, kind="ODS")
    assert reader.detected["header row"] == "3"
    assert reader.columns == ["ref", "answer", "count"]
    rows = list(reader.rows())
    assert [(r.line, r.values) for r in rows if isinstance(r, RawRow)] == [
        (4, {"ref": "A1", "answer": "Please fix the lift", "count": "3"}),
        (5, {"ref": "A2", "answer": "Bins are collected late", "count": "12"}),
    ]


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (3.0, "3"),
        (2.5, "2.5"),
        (True, "TRUE"),
        (dt.date(2024, 3, 1), "2024-03-01"),
        (dt.datetime(2024, 3, 1), "2024-03-01"),
        (dt.datetime(2024, 3, 1, 9, 5), "2024-03-01T09:05:00"),
        (dt.time(9, 5), "09:05:00"),
    ],
)
def test_cell_text(value: object, text: str) -> None:
    assert cell_text(value) == text


def test_column_letter() -> None:
    assert [column_letter(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AB",
        "ZZ",
        "AAA",
    ]
