"""Any respondent file: statements, groups, words or numbers, 5 or 7 points, reversed, themes."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from upstream.survey.answers import AnswerScale
from upstream.survey.errors import SurveyConfigError
from upstream.survey.respondent_mapping import (
    RespondentMapping,
    analyse_mapped,
    culture_key,
    mapping_from_options,
    parse_theme_options,
    read_mapping_file,
    suggest_mapping,
    write_mapping_file,
)
from upstream.survey.respondent_template import template_csv

S = (
    "I have a say in decisions that affect my work",
    "I am trusted to use my own judgement",
    "We put residents before internal procedures",
    "I understand what we are trying to achieve",
    "It is safe to try a new idea here",
    "Change is handled well here",
    "I often feel unable to speak up",
)
THEMES = {
    "Empowerment": [S[0], S[1]],
    "Focus": [S[2]],
    "Priorities": [S[3]],
    "Attitude to risk and change": [S[4], S[5]],
    "Voice": [S[6]],
}


def _frame(text: str) -> pd.DataFrame:
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def _mapping(frame: pd.DataFrame, answers: str) -> RespondentMapping:
    return mapping_from_options(
        frame,
        statements=list(S),
        groups=["Team", "Grade"],
        answers=answers,
        points=5,
        reverse=[S[6]],
        themes=THEMES,
    )


def _shown(table: pd.DataFrame, column: str, value: str, by: str | None = None) -> dict[str, str]:
    rows = table[table[column] == value]
    key = by or column
    return {str(k): str(d) for k, d in zip(rows[key], rows["display"], strict=True)}


def test_the_file_is_guessed_right(staff_answers: Callable[[str], str]) -> None:
    words = suggest_mapping(_frame(staff_answers("words")))
    assert words.statements == S
    assert words.groups == ("Team", "Grade")  # the respondent id is not a group
    assert (words.scale.kind, words.scale.points) == ("words", 5)
    numbers = suggest_mapping(_frame(staff_answers("numbers")))
    assert numbers.statements == S and numbers.scale.kind == "numbers"


@pytest.mark.parametrize("answers", ["words", "numbers"])
def test_percent_positive_per_statement_group_and_theme(
    staff_answers: Callable[[str], str], answers: str
) -> None:
    frame = _frame(staff_answers(answers))
    mapping = _mapping(frame, answers)
    overall = analyse_mapped(frame, mapping)
    items = dict(zip(overall["items"]["item"], overall["items"]["display"], strict=True))
    assert items[S[0]] == "64%"  # 60 + 25 + 5 of 140 agree
    assert items[S[6]] == "43%"  # reversed: Housing's 60 "disagree" are the positive answers
    themes = dict(zip(overall["themes"]["title"], overall["themes"]["display"], strict=True))
    assert themes == {
        "Empowerment": "64%",  # 180 positive of 280 answers
        "Outward focus": "64%",
        "Mission": "64%",
        "Risk and change": "64%",
        "Voice": "43%",
        "All statements": "61%",  # 600 of 980
    }
    by_team = analyse_mapped(frame, mapping, by=["Team"])
    assert _shown(by_team["items"], "item", S[0], by="Team") == {
        "Housing": "100%",
        "Libraries": "not shown",  # would give Post Room away: 140 less the others
        "Parks": "0%",
        "Post Room": "fewer than 10",
    }
    empowerment = _shown(by_team["themes"], "theme", "empowerment", by="Team")
    assert empowerment["Post Room"] == "fewer than 10" and empowerment["Parks"] == "0%"


def test_words_and_numbers_give_the_same_results(staff_answers: Callable[[str], str]) -> None:
    words = _frame(staff_answers("words"))
    numbers = _frame(staff_answers("numbers"))
    a = analyse_mapped(words, _mapping(words, "words"), by=["Grade"])
    b = analyse_mapped(numbers, _mapping(numbers, "numbers"), by=["Grade"])
    for key in ("items", "themes"):
        pd.testing.assert_frame_equal(a[key], b[key])


def test_seven_points_in_words_and_numbers() -> None:
    frame = pd.DataFrame(
        {
            "Q1": ["Somewhat agree"] * 6 + ["Neither agree nor disagree"] * 4 + ["Agree"] * 2,
            "Q2": ["5"] * 6 + ["4"] * 4 + ["7"] * 2,
        }
    )
    guess = suggest_mapping(frame)
    assert guess.scale.points == 7 and guess.scale.kind == "auto"
    result = analyse_mapped(frame, guess)["items"]
    assert result["display"].tolist() == ["67%", "67%"]  # 8 of 12 above the middle
    with pytest.raises(SurveyConfigError, match=r"'Somewhat agree'.*Expected words"):
        analyse_mapped(frame, RespondentMapping(("Q1",), scale=AnswerScale("words", 5)))


def test_errors_name_what_was_not_recognised(staff_answers: Callable[[str], str]) -> None:
    frame = _frame(staff_answers("words"))
    frame.loc[3, S[2]] = "Maybe"
    with pytest.raises(SurveyConfigError) as caught:
        analyse_mapped(frame, _mapping(frame, "words"), source="staff.csv")
    message = str(caught.value)
    assert "staff.csv" in message and repr(S[2]) in message and "'Maybe'" in message
    assert "row 5" in message and "Strongly agree, Agree, Neither agree nor disagree" in message
    numbers = _frame(staff_answers("numbers"))
    with pytest.raises(SurveyConfigError, match=r"'4'.*Expected words.*look like numbers"):
        analyse_mapped(numbers, _mapping(numbers, "words"))
    numbers.loc[0, S[0]] = "6"
    with pytest.raises(
        SurveyConfigError, match=r"'6' in row 2.*1 \(strongly disagree\) to 5.*7 points"
    ):
        analyse_mapped(numbers, _mapping(numbers, "numbers"))
    with pytest.raises(SurveyConfigError, match=r"'Directorate' is not in the file.*Team"):
        analyse_mapped(frame, mapping_from_options(frame, groups=["Directorate"]))
    text_only = pd.DataFrame({"Comment": ["Good", "Bad"], "Team": ["A", "B"]})
    with pytest.raises(SurveyConfigError, match=r"no column was chosen as a statement.*Comment"):
        analyse_mapped(text_only, suggest_mapping(text_only))
    empty = pd.DataFrame({"Q1": ["", ""], "Team": ["A", "B"]})
    with pytest.raises(SurveyConfigError, match=r"hold no answers"):
        analyse_mapped(empty, RespondentMapping(("Q1",)))


def test_culture_theme_names_and_own_themes() -> None:
    assert culture_key("Focus") == "outward_focus"
    assert culture_key("priorities") == "mission"
    assert culture_key("Attitude to risk and change") == "risk_change"
    assert culture_key("EMPOWERMENT") == "empowerment"
    assert culture_key("Voice") is None
    assert parse_theme_options(["Voice=Q1,Q2", "Voice=Q3"]) == {"Voice": ["Q1", "Q2", "Q3"]}
    with pytest.raises(SurveyConfigError, match=r"NAME=COLUMN"):
        parse_theme_options(["Voice"])


def test_mapping_file_round_trip(staff_answers: Callable[[str], str], tmp_path: Path) -> None:
    frame = _frame(staff_answers("numbers"))
    mapping = _mapping(frame, "numbers")
    path = tmp_path / "mapping.yaml"
    write_mapping_file(mapping, path)
    assert read_mapping_file(path, frame) == mapping


def test_the_template_is_read_into_the_culture_themes() -> None:
    frame = _frame(template_csv())
    mapping = suggest_mapping(frame)
    assert mapping.groups == ("Team", "Grade") and len(mapping.statements) == 16
    assert [name for name, _ in mapping.themes] == [
        "empowerment",
        "outward_focus",
        "mission",
        "risk_change",
    ]
    themes = analyse_mapped(frame, mapping)["themes"]
    assert set(themes["display"]) == {"fewer than 10"}  # three example rows are never shown
