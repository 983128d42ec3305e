"""Formula-safe cells: nothing exported can run in a spreadsheet, and reading back is exact."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from upstream.policy import csv_lines, restore_cell, safe_cell, safe_text, write_csv


@pytest.mark.parametrize(
    "text",
    ["=SUM(A1)", "+44 formula", "-2+3", "@cmd", "\t=1+1", "\r=1+1", "\tplain", "\r"],
)
def test_every_formula_start_is_neutralised(text: str) -> None:
    assert safe_text(text) == "'" + text
    assert restore_cell(safe_text(text)) == text


def test_plain_text_and_numbers_are_left_alone() -> None:
    assert safe_text("plain") == "plain" and safe_text("") == ""
    assert safe_text("a=b") == "a=b"
    assert safe_text("-3") == "'-3"  # text is never trusted, even when it looks like a number
    assert (
        safe_cell("-1", numeric_text=True) == "-1" and safe_cell("-x", numeric_text=True) == "'-x"
    )
    assert safe_cell(-1) == "-1" and safe_cell(0.25) == "0.25" and safe_cell(None) == ""
    assert safe_cell(True) == "True"


def test_text_already_quoted_survives_a_round_trip() -> None:
    assert safe_text("'=already") == "''=already"
    assert restore_cell("''=already") == "'=already"
    assert restore_cell("'plain") == "'plain"


def test_csv_writer_and_lines_make_every_cell_safe(tmp_path: Path) -> None:
    rows = [["=1+1", 3, None], ["\t@x", "ok", -4]]
    assert write_csv(tmp_path / "n.csv", ["n"], [["-1"]], numeric_text=True) == 1
    assert (tmp_path / "n.csv").read_text(encoding="utf-8-sig").splitlines() == ["n", "-1"]
    count = write_csv(tmp_path / "out" / "t.csv", ["id", "+h", "n"], rows)
    assert count == 2
    with (tmp_path / "out" / "t.csv").open(encoding="utf-8-sig", newline="") as handle:
        read = list(csv.reader(handle))
    assert read == [["id", "'+h", "n"], ["'=1+1", "3", ""], ["'\t@x", "ok", "-4"]]
    lines = list(csv_lines(["id", "+h", "n"], rows))
    assert lines[0].startswith("\ufeff") and len(lines) == 3
    assert "".join(lines).encode("utf-8") == (tmp_path / "out" / "t.csv").read_bytes()
    assert next(csv_lines(["a"], [], bom=False)) == "a\r\n"
