"""Generic wide tables: organisations × years × measures."""

from __future__ import annotations

from pathlib import Path

import pytest

from upstream.survey.benchmarks import benchmarks
from upstream.survey.errors import SurveyConfigError, SurveyFormatError
from upstream.survey.wide import import_wide


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_wide_table_with_years_and_respondents(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "councils.csv",
        "Council,Year,Staff,Engagement index,Wellbeing score,Notes\n"
        "Northmoor Council,2022,1000,60,70,fine\n"
        "Northmoor Council,2023,1100,64,72,\n"
        "Rivermouth Council,2022,400,50,55,small\n"
        "Rivermouth Council,2023,420,54,n<10,\n"
        "Rivermouth Council,twenty,420,54,60,bad year\n",
    )
    panel = import_wide(path, org_column="Council", year_column="Year", respondents_column="Staff")
    assert panel.years == [2022, 2023]
    assert set(panel.measure_ids) == {"EES", "Wellbeing score"}  # recognised or kept as given
    assert panel.scores["value"].max() == pytest.approx(0.72)  # percentages became 0-1
    assert any("row 6" in note for note in panel.notes)  # the bad year is reported, not lost
    marks = benchmarks(panel, measures=["EES"]).set_index("year")
    assert marks.at[2022, "weighted_mean"] == pytest.approx((0.6 * 1000 + 0.5 * 400) / 1400)
    assert marks.at[2022, "mean"] == pytest.approx(0.55)


def test_wide_table_errors_name_the_problem(tmp_path: Path) -> None:
    path = _write(tmp_path / "t.csv", "Org,Year,Score\nA,2020,250\n")
    with pytest.raises(SurveyConfigError, match="'Council'"):
        import_wide(path, org_column="Council", year_column="Year")
    with pytest.raises(SurveyFormatError, match="no numeric measure columns besides Org"):
        import_wide(
            _write(tmp_path / "w.csv", "Org,Year\nA,2020\n"), org_column="Org", year_column="Year"
        )
    # A number past 100 is no reason to refuse the file: it is a count, and the summary says so.
    counted = import_wide(path, org_column="Org", year_column="Year")
    assert counted.scale("Score") == "count"
    assert "Score: count" in counted.notes[0]
    with pytest.raises(SurveyConfigError, match="--year-column"):
        import_wide(path, org_column="Org")
    panel = import_wide(
        _write(tmp_path / "u.csv", "Org,Score\nA,0.5\nB,0.7\n"), org_column="Org", year=2021
    )
    assert panel.years == [2021]
