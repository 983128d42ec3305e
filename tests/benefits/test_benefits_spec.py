"""Reading a SPEC: defaults, XLSX, and a clear message for each kind of bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from upstream.benefits import SpecError, read_spec

HEADER = "item,kind,category,year,amount,optimism_bias,deadweight,attribution"


def _spec(tmp_path: Path, *lines: str, header: str = HEADER) -> Path:
    path = tmp_path / "spec.csv"
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    return path


def test_empty_shares_take_their_defaults(tmp_path: Path) -> None:
    (line,) = read_spec(_spec(tmp_path, 'Gain,benefit,social,3,"£1,250.50",,,'))
    assert (line.optimism_bias, line.deadweight, line.attribution) == (0.0, 0.0, 1.0)
    assert line.amount == 1250.5
    assert line.year == 3
    assert line.source_line == 2


def test_columns_in_any_order_and_extra_columns(tmp_path: Path) -> None:
    header = "amount,year,kind,item,category,attribution,deadweight,optimism_bias,low,high,notes"
    path = _spec(tmp_path, "100,0,Cost,Staff,FISCAL,,,0.1,90,130,from budget", header=header)
    (line,) = read_spec(path)
    assert (line.item, line.kind, line.category, line.low, line.high) == (
        "Staff", "cost", "fiscal", 90.0, 130.0,
    )  # fmt: skip


def test_reads_xlsx(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    sheet.append(["Staff", "cost", "fiscal", 0, 1000, 0.2, None, None])
    sheet.append(["Gain", "benefit", "economic", 2.0, 500, None, 0.1, 0.5])
    path = tmp_path / "spec.xlsx"
    book.save(path)
    lines = read_spec(path)
    assert [(line.item, line.year, line.amount) for line in lines] == [
        ("Staff", 0, 1000.0),
        ("Gain", 2, 500.0),
    ]
    assert lines[1].deadweight == 0.1


BAD = [
    ("Gain,benefit,social,1,100,-0.1,,", "optimism_bias", "share from 0 to 1"),
    ("Gain,benefit,social,1,100,,1.5,", "deadweight", "share from 0 to 1"),
    ("Gain,benefit,social,1,100,,,lots", "attribution", "share from 0 to 1"),
    ("Gain,saving,social,1,100,,,", "kind", "expected one of cost, benefit"),
    ("Gain,benefit,health,1,100,,,", "category", "expected one of fiscal, economic, social"),
    ("Gain,benefit,social,1.5,100,,,", "year", "whole number"),
    ("Gain,benefit,social,-1,100,,,", "year", "whole number of 0 or more"),
    ("Gain,benefit,social,,100,,,", "year", "whole number"),
    ("Gain,benefit,social,1,a lot,,,", "amount", "expected an amount in £"),
    ("Gain,benefit,social,1,,,,", "amount", "expected an amount in £"),
    (",benefit,social,1,100,,,", "item", "expected the name"),
]


@pytest.mark.parametrize(("row", "column", "expected"), BAD)
def test_bad_line_names_file_line_and_column(
    tmp_path: Path, row: str, column: str, expected: str
) -> None:
    path = _spec(tmp_path, "Staff,cost,fiscal,0,100,,,", row)
    with pytest.raises(SpecError) as caught:
        read_spec(path)
    message = str(caught.value)
    assert str(path) in message
    assert "line 3" in message
    assert f"column {column!r}" in message
    assert expected in message
    assert (caught.value.line, caught.value.column) == (3, column)


def test_missing_header_column(tmp_path: Path) -> None:
    path = _spec(tmp_path, "Staff,cost,fiscal,0,100,,", header=HEADER.replace(",attribution", ""))
    with pytest.raises(SpecError, match=r"line 1: the header has no 'attribution' column"):
        read_spec(path)


def test_low_above_amount(tmp_path: Path) -> None:
    header = HEADER + ",low,high"
    path = _spec(tmp_path, "Staff,cost,fiscal,0,100,,,,120,150", header=header)
    with pytest.raises(SpecError, match=r"line 2, column 'low': is 120, above the amount 100"):
        read_spec(path)


def test_missing_file_empty_file_and_other_types(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="no such file"):
        read_spec(tmp_path / "absent.csv")
    with pytest.raises(SpecError, match="no lines"):
        read_spec(_spec(tmp_path))
    other = tmp_path / "spec.txt"
    other.write_text(HEADER, encoding="utf-8")
    with pytest.raises(SpecError, match=r"expected \.csv or \.xlsx"):
        read_spec(other)
