"""Survey panels and self-assessments in the store, on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import inspect

from upstream.store import Store, StoreError
from upstream.store.assessment_repository import AssessmentRepository
from upstream.store.survey_repository import ScoreRecord, SurveyRepository
from upstream.survey.demo_assessment import demo_assessment
from upstream.survey.orgnames import OrgMatch
from upstream.survey.panel import SurveyPanel
from upstream.workflows.survey.assessment_io import save_responses, stored_responses
from upstream.workflows.survey.importing import import_survey
from upstream.workflows.survey.storage import load_panel, remap, save_panel


def _files(tmp_path: Path, write_table: Callable[..., Path]) -> Path:
    for year, spelling in ((2021, "HM Testing & Checking"), (2022, "HM Testing and Checking")):
        rows: list[list[object]] = [
            ["Organisation", "Employee engagement index", "B01", "B02"],
            [spelling, f"{50 + year - 2021}%", "90%", "80%"],
            ["Office of Examples", "60%", "91%", "n<10"],
            ["Northmoor Agency", "55%", "85%", "75%"],
        ]
        folder = tmp_path / "survey" / str(year)
        folder.mkdir(parents=True)
        write_table(folder / f"scores_{year}.csv", rows)
    return tmp_path / "survey"


def test_tables_exist(db_url: str) -> None:
    with Store(db_url) as store:
        tables = set(inspect(store.engine).get_table_names())
    assert {"survey", "survey_organisation", "survey_org_alias", "survey_measure"} <= tables
    assert {"survey_score", "assessment", "assessment_response"} <= tables


def test_round_trip_and_reimport_adds_no_duplicates(
    db_url: str, make_panel: Callable[..., SurveyPanel]
) -> None:
    panel = make_panel()
    with Store(db_url) as store:
        first = save_panel(store, panel, workspace="Network", survey="staff")
        again = save_panel(store, panel, workspace="Network", survey="staff")
        loaded = load_panel(store, workspace="Network", survey="staff")
        (info,) = SurveyRepository(store, "Network").surveys()
    assert (first.scores_new, first.scores_updated) == (len(panel.scores), 0)
    assert (again.scores_new, again.scores_updated) == (0, len(panel.scores))
    assert again.organisations == 0
    assert info.scores == len(panel.scores) and info.years == (2017, 2018, 2019, 2020)
    key = ["organisation", "year", "measure"]
    left = panel.scores.sort_values(key).reset_index(drop=True)
    right = loaded.scores.sort_values(key).reset_index(drop=True)
    pd.testing.assert_series_equal(left["value"], right["value"])
    assert (left[key] == right[key]).all().all()
    assert loaded.label("LD") == "Learning and development"


def test_workspaces_do_not_see_each_other(
    db_url: str, make_panel: Callable[..., SurveyPanel]
) -> None:
    with Store(db_url) as store:
        save_panel(store, make_panel(), workspace="Council A", survey="staff")
        save_panel(store, make_panel(organisations=3), workspace="Council B", survey="staff")
        a = load_panel(store, workspace="Council A", survey="staff")
        b = load_panel(store, workspace="Council B", survey="staff")
        with pytest.raises(StoreError, match="No survey called 'other'"):
            load_panel(store, workspace="Council A", survey="other")
        with pytest.raises(StoreError, match="No workspace"):
            load_panel(store, workspace="Council C", survey="staff")
    assert len(a.organisations) == 11 and len(b.organisations) == 3


def test_a_failed_save_leaves_nothing_behind(db_url: str) -> None:
    with Store(db_url) as store:
        repository = SurveyRepository(store, "Fresh")
        with pytest.raises(StoreError, match="unknown organisation"):
            repository.save(
                "staff",
                measures=[],
                aliases=[],
                scores=[ScoreRecord("Nobody", 2020, "EES", 0.5)],
                source_name="broken.csv",
            )
        assert [w.name for w in store.workspaces()] == []


def test_import_remap_and_mapping_file(
    db_url: str, tmp_path: Path, write_table: Callable[..., Path]
) -> None:
    folder = _files(tmp_path, write_table)
    mapping = tmp_path / "mapping.csv"
    with Store(db_url) as store:
        outcome = import_survey(store, [folder], workspace="W", survey="ps", mapping_file=mapping)
        assert outcome.counts.scores_new == 16  # 2 years x 3 organisations x 3, less 2 suppressed
        panel = load_panel(store, workspace="W", survey="ps")
        assert len(panel.organisations) == 3
        # The reviewer decides the 2021 spelling is a different body, edits the file, re-imports.
        text = mapping.read_text(encoding="utf-8-sig")
        assert "HM Testing & Checking,2021,HM Testing and Checking" in text
        mapping.write_text(
            text.replace(
                "HM Testing & Checking,2021,HM Testing and Checking",
                "HM Testing & Checking,2021,HM Testing (old body)",
            ),
            encoding="utf-8",
        )
        again = import_survey(store, [folder], workspace="W", survey="ps", mapping_file=mapping)
        assert again.counts.scores_new == 0
        panel = load_panel(store, workspace="W", survey="ps")
        assert "HM Testing (old body)" in panel.organisations
        assert ",manual" in mapping.read_text(encoding="utf-8-sig")
        moved = remap(
            store,
            [OrgMatch("Northmoor Agency", None, "Northmoor", 100, "manual")],
            workspace="W",
            survey="ps",
        )
        assert moved == 2
        assert "Northmoor" in load_panel(store, workspace="W", survey="ps").organisations


def test_self_assessment_round_trip(db_url: str) -> None:
    responses = demo_assessment()
    with Store(db_url) as store:
        stored = save_responses(store, responses, workspace="Network", name="NOM 2025")
        again = save_responses(store, responses.head(50), workspace="Network", name="NOM 2025")
        back = stored_responses(store, workspace="Network", name="NOM 2025")
        listing = AssessmentRepository(store, "Network").assessments()
    assert stored == len(responses)
    assert again == 50 and len(back) == 50  # a second save replaces the first
    assert listing == [("NOM 2025", "nom", 50)]
    pd.testing.assert_frame_equal(
        back, responses.head(50).reset_index(drop=True), check_dtype=False
    )
