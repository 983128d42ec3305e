"""``upstream survey respondents`` on any respondent file, and ``upstream survey template``."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from upstream.cli.survey import app as survey_app

runner = CliRunner()
SAY = "I have a say in decisions that affect my work"
TRUSTED = "I am trusted to use my own judgement"
SPEAK = "I often feel unable to speak up"


def _invoke(*args: str) -> tuple[int, str]:
    root = typer.Typer()
    root.add_typer(survey_app, name="survey")
    result = runner.invoke(root, ["survey", *args])
    return result.exit_code, result.output


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("answers", ["words", "numbers"])
def test_respondent_file_with_a_mapping_on_the_command_line(
    tmp_path: Path, staff_answers: Callable[[str], str], answers: str
) -> None:
    data = tmp_path / f"staff-{answers}.csv"
    data.write_text(staff_answers(answers), encoding="utf-8")
    out = tmp_path / "out"
    code, output = _invoke(
        "respondents",
        str(data),
        "--output-dir",
        str(out),
        "--statements",
        f"{SAY},{TRUSTED},{SPEAK}",
        "--groups",
        "Team",
        "--answers",
        answers,
        "--points",
        "5",
        "--reverse",
        SPEAK,
        "--theme",
        f"Empowerment={SAY},{TRUSTED}",
        "--theme",
        f"Voice={SPEAK}",
        "--save-mapping",
        str(tmp_path / "mapping.yaml"),
    )
    assert code == 0, output
    assert f"3 statements answered in {answers} on a 5-point scale" in output
    themes = {r["title"]: r["display"] for r in _read(out / "themes.csv")}
    assert themes == {"Empowerment": "64%", "Voice": "43%", "All statements": "57%"}
    by_team = [r for r in _read(out / "themes-by-team.csv") if r["theme"] == "empowerment"]
    assert {r["Team"]: r["display"] for r in by_team} == {
        "Housing": "100%",
        "Libraries": "not shown",
        "Parks": "0%",
        "Post Room": "fewer than 10",
    }
    # The saved mapping reads the file the same way again.
    again = tmp_path / "again"
    code, output = _invoke(
        "respondents",
        str(data),
        "--output-dir",
        str(again),
        "--mapping",
        str(tmp_path / "mapping.yaml"),
    )
    assert code == 0, output
    assert (again / "themes.csv").read_text() == (out / "themes.csv").read_text()


def test_unrecognised_answers_are_named(
    tmp_path: Path, staff_answers: Callable[[str], str]
) -> None:
    data = tmp_path / "staff.csv"
    data.write_text(staff_answers("words").replace("Disagree", "Not really", 1), encoding="utf-8")
    code, output = _invoke(
        "respondents", str(data), "--answers", "words", "--output-dir", str(tmp_path / "out")
    )
    flat = " ".join(output.split())
    assert code != 0
    assert "staff.csv" in flat and f"column '{SPEAK}'" in flat and "'Not really'" in flat
    assert "Expected words (Strongly agree" in flat


def test_template_then_analyse_it(tmp_path: Path) -> None:
    template = tmp_path / "template.csv"
    code, output = _invoke("template", str(template))
    assert code == 0, output
    rows = _read(template)
    assert len(rows) == 3 and list(rows[0])[:2] == ["Team", "Grade"]
    code, output = _invoke(
        "respondents", str(template), "--output-dir", str(tmp_path / "out"), "--groups", "Team"
    )
    assert code == 0, output
    themes = _read(tmp_path / "out" / "themes.csv")
    assert [r["title"] for r in themes] == [
        "Empowerment",
        "Outward focus",
        "Mission",
        "Risk and change",
        "All statements",
    ]
    assert {r["display"] for r in themes} == {"fewer than 10"}
