"""A year the importer has never seen: new file type, new layout, renamed columns and names."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from upstream.survey.benchmarks import benchmarks
from upstream.survey.errors import SurveyConfigError
from upstream.survey.published import import_published


def _last_year(folder: Path, write_table: Callable[..., Path]) -> None:
    rows: list[list[object]] = [
        ["Departmental grouping", "Organisation", "Employee engagement index", "B01", "B47"],
        ["Civil Service", "Civil Service benchmark (median)", "61%", "90%", "62%"],
        ["Widgets", "Department for Widgets & Gadgets", "60%", "91%", "60%"],
        ["Widgets", "Widget Standards Agency", "58%", "89%", "55%"],
        ["Examples", "Office of Examples", "66%", "92%", "70%"],
        ["Examples", "The Example Inspectorate", "70%", "95%", "72%"],
    ]
    (folder / "2024").mkdir(parents=True)
    write_table(folder / "2024" / "people_survey_2024_all_organisations.csv", rows)


def test_a_new_year_in_a_new_layout(tmp_path: Path, write_table: Callable[..., Path]) -> None:
    _last_year(tmp_path, write_table)
    # 2025: an ODS, a title block, organisations across the columns, an index renamed,
    # question codes lower-case with the text beside them, and new spellings of names.
    rows: list[list[object]] = [
        ["People Survey 2025 - results for every organisation"],
        ["Published under the Open Government Licence"],
        [
            "Measure",
            "Dept for Widgets and Gadgets",
            "Widget Standards Agency (WSA)",
            "Office Of Examples",
            "Example Inspectorate",
            "All organisations",
        ],
        ["Engagement score", 0.62, 0.57, 0.68, 0.71, 0.63],
        ["b01. I am interested in my work", 0.9, 0.88, 0.93, 0.96, 0.9],
        [
            "b47 I am proud when I tell others I am part of [my organisation]",
            0.61,
            0.5,
            0.72,
            0.7,
            0.6,
        ],
        ["b61a. I can see the difference my work makes", 0.7, 0.65, 0.8, 0.82, 0.7],
    ]
    write_table(tmp_path / "2025" / "ps25_results.ods", rows) if (
        tmp_path / "2025"
    ).mkdir() is None else None
    panel = import_published([tmp_path])
    assert panel.years == [2024, 2025]
    latest = panel.files[-1]["tables"][0]
    assert latest["orientation"] == "organisations in columns"
    assert latest["scale"] == "proportions (0-1)"
    by_year = panel.scores.groupby("year")["organisation"].apply(set)
    assert by_year[2024] == by_year[2025]  # every 2024 organisation was matched in 2025
    assert len(by_year[2025]) == 4  # "All organisations" is a summary row, not an organisation
    assert {"EES", "B01", "B47", "B61A"} <= set(panel.scores["measure"])
    methods = {m.raw_name: m.method for m in panel.mapping if m.year == 2024}
    assert methods["Department for Widgets & Gadgets"] == "normalised"
    marks = benchmarks(panel, measures=["EES"]).set_index("year")
    assert marks.at[2025, "median"] == pytest.approx((0.62 + 0.68) / 2)
    assert marks.at[2025, "n_orgs"] == 4


def test_a_file_whose_year_cannot_be_told(tmp_path: Path, write_table: Callable[..., Path]) -> None:
    path = write_table(
        tmp_path / "latest_results.csv", [["Organisation", "EES", "B01", "B02"], ["A", 1, 1, 1]]
    )
    with pytest.raises(SurveyConfigError, match="cannot tell which survey year"):
        import_published([path])
    panel = import_published([path], year=2026)
    assert panel.years == [2026]
