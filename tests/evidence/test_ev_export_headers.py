"""Survey tools' extra header rows, read from real CSV and XLSX files."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl

from upstream.coding.input_rows import read_rows
from upstream.evidence.column_questions import header_question
from upstream.evidence.csv_reader import CsvReader
from upstream.evidence.export_headers import export_header
from upstream.evidence.sheet_reader import SheetReader
from upstream.records.drafts import RawRow
from upstream.workflows.coding_prompts import row_prompts

QUESTION = "What one change would make the park better for you?"
SERVICES = "Which services have you used?"
MONKEY = [
    ["Respondent ID", "Start Date", "IP Address", QUESTION, SERVICES, "", ""],
    ["", "", "", "Open-Ended Response", "Library", "Leisure centre", "Other (please specify)"],
    ["1148", "06/03/2025 09:12:44", "81.2.69.160", "More bins by the play area", "Library", "", ""],
    ["1149", "06/03/2025 09:20:10", "81.2.69.161", "Lights on the canal path", "", "", "Tip"],
]
MONKEY_COLUMNS = [
    "Respondent ID",
    "Start Date",
    "IP Address",
    QUESTION,
    f"{SERVICES}: Library",
    f"{SERVICES}: Leisure centre",
    f"{SERVICES}: Other (please specify)",
]


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


def _good(rows: object) -> list[RawRow]:
    return [r for r in rows if isinstance(r, RawRow)]  # type: ignore[attr-defined]


def test_surveymonkey_csv_names_columns_by_question_and_option(tmp_path: Path) -> None:
    path = tmp_path / "monkey.csv"
    _write_csv(path, MONKEY)
    reader = CsvReader(path)
    assert reader.detected["header row"] == "1 to 2 (a SurveyMonkey export)"
    assert reader.columns == MONKEY_COLUMNS
    good = _good(reader.rows())
    # The second header row is not an item; data keep their own line numbers.
    assert [r.line for r in good] == [3, 4]
    assert good[0].values[QUESTION] == "More bins by the play area"
    assert good[1].values[f"{SERVICES}: Other (please specify)"] == "Tip"


def test_surveymonkey_xlsx_keeps_the_options_the_first_row_leaves_blank(tmp_path: Path) -> None:
    path = tmp_path / "monkey.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in MONKEY:
        sheet.append([cell or None for cell in row])
    book.save(path)
    reader = SheetReader(path)
    assert reader.detected["header row"] == "1 to 2 (a SurveyMonkey export)"
    assert reader.columns == MONKEY_COLUMNS
    good = _good(reader.rows())
    assert [r.line for r in good] == [3, 4]
    assert good[1].values[f"{SERVICES}: Other (please specify)"] == "Tip"


def test_qualtrics_csv_reads_the_question_row_and_skips_import_ids(tmp_path: Path) -> None:
    path = tmp_path / "qualtrics.csv"
    _write_csv(
        path,
        [
            ["StartDate", "ResponseId", "Q1", "Q2"],
            ["Start Date", "Response ID", QUESTION, "How often do you visit?"],
            [f'{{"ImportId":"{key}"}}' for key in ("startDate", "_recordId", "QID1_TEXT", "QID2")],
            ["2025-03-06 09:12:44", "R_1a", "More bins by the play area", "Weekly"],
        ],
    )  # fmt: skip
    reader = CsvReader(path)
    assert reader.detected["header row"] == "1 to 3 (a Qualtrics export)"
    assert reader.columns == ["Start Date", "Response ID", QUESTION, "How often do you visit?"]
    good = _good(reader.rows())
    assert [(r.line, r.values[QUESTION]) for r in good] == [(4, "More bins by the play area")]


def test_an_ordinary_row_that_says_response_is_data() -> None:
    header = ["id", "type", "text", "date"]
    # Filled in every column, with a number and a date: a data row, not a header.
    assert export_header(header, [["7", "Response", "Thanks", "2025-03-06"]]) is None
    # No survey tool's words at all.
    assert export_header(header, [["", "Reply", "", ""]]) is None
    assert export_header(header, []) is None


def test_a_text_column_named_by_its_question_is_the_question() -> None:
    assert header_question(QUESTION) == QUESTION
    assert header_question("Q3. What gets in the way?") == "Q3. What gets in the way?"
    assert header_question("Please tell us anything else about the park") is not None
    # Plain names and one-word questions are not questions to code by.
    for name in ("text", "comment_text", "Why?", "Reply", None):
        assert header_question(name) is None


def test_each_row_of_a_file_answers_its_text_columns_question(tmp_path: Path) -> None:
    asked = "What gets in the way of doing your best work?"
    path = tmp_path / "staff.csv"
    _write_csv(path, [["id", asked], ["1", "The case system"], ["2", "My manager"]])
    assert row_prompts(read_rows(path)) == [asked, asked]
    # A prompt column of the file's own wins over the column's name.
    both = tmp_path / "both.csv"
    _write_csv(both, [["id", "question", asked], ["1", "What helps?", "Peer support"]])
    assert row_prompts(read_rows(both, text_column=asked)) == ["What helps?"]
    plain = tmp_path / "plain.csv"
    _write_csv(plain, [["id", "text"], ["1", "The case system"]])
    assert row_prompts(read_rows(plain)) == [None]
