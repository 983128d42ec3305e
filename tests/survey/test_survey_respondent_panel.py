"""Respondent-level answers of many organisations and years stored as an organisation panel."""

from __future__ import annotations

import csv
import importlib.util
import io
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from upstream.cli.survey import app as survey_app
from upstream.demo import data_dir
from upstream.demo.staff_survey import STAFF_SURVEY, load_demo_staff_survey
from upstream.store import Store
from upstream.survey.errors import SurveyConfigError
from upstream.survey.respondent_mapping import mapping_from_options
from upstream.survey.respondent_panel import respondent_panel
from upstream.workflows.survey.culture import organisation_series, panel_with_themes
from upstream.workflows.survey.storage import load_panel

SAY = "I have a say in decisions that affect my work"


def _two_councils(staff_answers: Callable[[str], str]) -> pd.DataFrame:
    """Northmoor's 140 answer in 2024 and 2025; Southvale's 5 Post Room staff only in 2025."""
    frame = pd.read_csv(io.StringIO(staff_answers("words")), dtype=str, keep_default_na=False)
    frame["Organisation"] = "Northmoor Council"
    frame["Year"] = "2024"
    later = frame.copy()
    later["Year"] = "2025"
    small = frame[frame["Team"] == "Post Room"].copy()
    small["Organisation"] = "Southvale Council"
    small["Year"] = "2025"
    return pd.concat([frame, later, small], ignore_index=True)


def test_organisation_years_with_themes_and_small_ones_left_out(
    staff_answers: Callable[[str], str],
) -> None:
    frame = _two_councils(staff_answers)
    mapping = mapping_from_options(
        frame, answers="words", themes={"Empowerment": [SAY]}, reverse=[]
    )
    assert (mapping.organisation, mapping.year) == ("Organisation", "Year")
    panel = respondent_panel(frame, mapping, source="staff.csv")
    assert panel.organisations == ["Northmoor Council"]  # Southvale's 5 are never stored
    assert panel.notes == [
        "Southvale Council 2025: fewer than 10 respondents, so no results are stored."
    ]
    wide = panel.wide([SAY, "CULT_EMPOWERMENT"])
    assert wide.loc[("Northmoor Council", 2024), SAY] == pytest.approx(90 / 140)
    assert wide.loc[("Northmoor Council", 2025), "CULT_EMPOWERMENT"] == pytest.approx(90 / 140)
    assert set(panel.scores["respondents"]) == {140}
    assert panel.label("CULT_EMPOWERMENT") == "Empowerment"
    frame.loc[0, "Year"] = "last year"
    with pytest.raises(SurveyConfigError, match="'last year' is not a year"):
        respondent_panel(frame, mapping)
    with pytest.raises(SurveyConfigError, match="which column holds the organisation"):
        respondent_panel(frame, mapping_from_options(frame.drop(columns=["Organisation"])))


def test_store_from_the_command_line(tmp_path: Path, staff_answers: Callable[[str], str]) -> None:
    path = tmp_path / "staff.csv"
    _two_councils(staff_answers).to_csv(path, index=False)
    root = typer.Typer()
    root.add_typer(survey_app, name="survey")
    db = str(tmp_path / "survey.db")
    result = CliRunner().invoke(
        root,
        [
            "survey",
            "respondents",
            str(path),
            "--answers",
            "words",
            "--theme",
            f"Empowerment={SAY}",
            "--store",
            "staff",
            "--db",
            db,
            "--workspace",
            "Network",
            "--output-dir",
            str(tmp_path / "out"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Stored survey 'staff' of workspace 'Network': 1 organisation," in result.output
    assert "Southvale Council 2025: fewer than 10 respondents" in result.output
    with Store(db) as store:
        panel = load_panel(store, workspace="Network", survey="staff")
    assert panel.years == [2024, 2025] and "CULT_EMPOWERMENT" in panel.measure_ids


def test_demo_staff_survey_is_generated_and_shows_culture_over_time(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location(
        "generate_staff_survey", data_dir() / "_generate_staff_survey.py"
    )
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    committed = (data_dir() / "staff_survey.csv").read_text(encoding="utf-8")
    rows = list(csv.reader(io.StringIO(committed)))
    assert [[str(v) for v in r] for r in generator.rows()] == rows[1:]  # the seeded script
    names = {row["name"] for row in csv.DictReader((data_dir() / "organisations.csv").open())}
    assert {r[1] for r in rows[1:]} == names and {r[2] for r in rows[1:]} == {
        "2024",
        "2025",
        "2026",
    }
    with Store(tmp_path / "demo.db") as store:
        summary = load_demo_staff_survey(store, "Demo")
        panel = panel_with_themes(store, workspace="Demo", survey=STAFF_SURVEY)
    assert "12 organisations over 2024, 2025, 2026" in summary
    assert "moves most with engagement" in summary
    rising = organisation_series(panel, "Kestlebury Council", "CULT_RISK_CHANGE")
    assert rising["year"].tolist() == [2024, 2025, 2026]
    assert rising["value"].is_monotonic_increasing and rising["gap"].iloc[-1] > 0
