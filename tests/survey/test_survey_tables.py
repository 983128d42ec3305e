"""Reading score tables of any layout: header rows, orientation, scale, errors."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from upstream.survey.errors import SurveyFormatError
from upstream.survey.tables import parse_value, read_score_tables, read_table


def test_values_parse_from_every_published_form() -> None:
    assert parse_value("58%") == (58.0, True)
    assert parse_value(0.58) == (0.58, False)
    assert parse_value(" 58 ") == (58.0, False)
    for missing in ("n<10", "N < 10", ".", "-", "*", "", None, "suppressed", "[c]"):
        assert parse_value(missing) == (None, False), missing


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".ods"])
def test_title_rows_and_a_two_row_header(
    tmp_path: Path, write_table: Callable[..., Path], suffix: str
) -> None:
    rows: list[list[object]] = [
        ["People survey 2021: results by organisation", None, None, None],
        [None, None, None, None],
        ["Organisation", "Engagement index", "My work", None],
        [None, None, "B01", "B02"],
        ["Civil Service benchmark (median)", "60%", "90%", "80%"],
        ["Ministry of Examples", None, None, None],  # a group heading, no scores
        ["Office of Tests", "61%", "91%", "n<10"],
        ["Testing Agency", "55%", "88%", "79%"],
    ]
    path = write_table(tmp_path / f"scores_2021{suffix}", rows)
    read = read_score_tables(path, year=2021)
    (table,) = read.tables
    assert [m.measure for m in table.measures] == ["EES", "B01", "B02"]
    assert table.organisations == [
        "Civil Service benchmark (median)",
        "Office of Tests",
        "Testing Agency",
    ]
    assert table.groups[1] == "Ministry of Examples"
    assert table.values[1] == [0.61, 0.91, None]
    assert table.detected["scale"] == "percentages (0-100)"
    assert table.detected["header_row"] == 3


def test_organisations_in_columns_are_turned_round(
    tmp_path: Path, write_table: Callable[..., Path]
) -> None:
    rows: list[list[object]] = [
        ["Measure", "Office of Tests", "Testing Agency", "Data Office"],
        ["Employee engagement index", 0.61, 0.55, 0.7],
        ["B01", 0.91, 0.88, 0.9],
        ["B47", 0.6, 0.5, 0.65],
    ]
    path = write_table(tmp_path / "transposed_2022.xlsx", rows)
    (table,) = read_score_tables(path, year=2022).tables
    assert table.detected["orientation"] == "organisations in columns"
    assert table.detected["scale"] == "proportions (0-1)"
    assert table.organisations == ["Office of Tests", "Testing Agency", "Data Office"]
    assert [m.measure for m in table.measures] == ["EES", "B01", "B47"]
    assert table.values[2] == [0.7, 0.9, 0.65]


def test_metadata_sheet_gives_question_texts(tmp_path: Path) -> None:
    import pandas as pd

    path = tmp_path / "book_2016.xlsx"
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        scores = [["Organisation", "B07", "B60", "W04"], ["Office of Tests", 0.8, 0.5, 0.4]]
        pd.DataFrame(scores).to_excel(writer, sheet_name="Scores", index=False, header=False)
        meta = [
            ["Question number", "Question text", "Figure shown"],
            ["B07", "I have a clear understanding of [my organisation's] objectives", "% agree"],
            ["B60", 'When I talk about [my organisation] I say "we" rather than "they"', "% agree"],
            ["W04", "Overall, how anxious did you feel yesterday?", "% 0-3"],
        ]
        pd.DataFrame(meta).to_excel(writer, sheet_name="Metadata", index=False, header=False)
    read = read_score_tables(path, year=2016)
    (table,) = read.tables
    assert [m.measure for m in table.measures] == ["B06", "X_WE_NOT_THEY", "W04_LOW"]
    assert table.measures[0].label.startswith("I have a clear understanding")


def test_unknown_layout_names_what_was_not_recognised(tmp_path: Path) -> None:
    path = tmp_path / "mystery_2023.csv"
    path.write_text("Name,Colour,Size\nOffice of Tests,red,3\n", encoding="utf-8")
    with pytest.raises(SurveyFormatError) as caught:
        read_score_tables(path, year=2023)
    message = str(caught.value)
    assert "no table of survey scores recognised" in message
    assert "'Name'" in message and "'Colour'" in message


def test_measures_without_an_organisation_column_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "numbers_2023.csv"
    path.write_text("EES,B01,B02\n0.5,0.6,0.7\n0.4,0.5,0.6\n", encoding="utf-8")
    with pytest.raises(SurveyFormatError, match="no organisation column"):
        read_score_tables(path, year=2023)


def test_unsupported_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(SurveyFormatError, match="unsupported file type"):
        read_score_tables(tmp_path / "scores.pdf")
    broken = tmp_path / "broken.xlsx"
    broken.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(SurveyFormatError, match="could not be read"):
        read_score_tables(broken)


def test_plain_table_reader(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text("id,q1\n1,Agree\n2,\n", encoding="utf-8")
    table = read_table(path)
    assert list(table.columns) == ["id", "q1"]
    assert table["q1"].iloc[0] == "Agree" and pd.isna(table["q1"].iloc[1])
