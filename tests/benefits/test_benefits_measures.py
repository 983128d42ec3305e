"""Importing measures over time into a real store (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from upstream.evidence.errors import ImportConfigError
from upstream.records.measures import SeriesKey
from upstream.store import Store
from upstream.workflows.benefits.measures import import_measures, list_series, series_points

GOOD = """organisation,service,measure,period,value,unit,channel,kind,change
Northshire,Council tax,contacts,2024-01,1200,contacts,phone,baseline,
Northshire,Council tax,contacts,2024-04,1100,contacts,phone,actual,Online form launched
Northshire,Council tax,contacts,2024-07,900,contacts,phone,actual,
Northshire,Council tax,contacts,2025-03,600,contacts,phone,target,
Northshire,Council tax,contacts,2024-04,300,contacts,online,actual,
"""


def _write(tmp_path: Path, text: str, name: str = "measures.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_stores_series_and_reimport_adds_nothing(db_url: str, tmp_path: Path) -> None:
    path = _write(tmp_path, GOOD)
    with Store(db_url) as store:
        first = import_measures(store, path, workspace="w")
        again = import_measures(store, path, workspace="w")
        summaries = list_series(store, "w")
        phone = SeriesKey("Northshire", "Council tax", "contacts", "phone")
        points = series_points(store, "w", phone)
    assert (first.rows_read, first.counts.added, first.rejected, first.series) == (5, 5, 0, 2)
    assert (again.counts.added, again.counts.updated, again.counts.unchanged) == (0, 0, 5)
    assert [s.series.channel for s in summaries] == ["online", "phone"]
    by_channel = {s.series.channel: s for s in summaries}
    assert by_channel["phone"].latest_actual == 900
    assert by_channel["phone"].latest_target == 600
    assert by_channel["phone"].first == date(2024, 1, 1)
    assert [(p.kind, p.value) for p in points] == [
        ("baseline", 1200),
        ("actual", 1100),
        ("actual", 900),
        ("target", 600),
    ]
    assert points[1].change == "Online form launched"


def test_a_corrected_file_updates_the_values_it_changes(db_url: str, tmp_path: Path) -> None:
    with Store(db_url) as store:
        import_measures(store, _write(tmp_path, GOOD), workspace="w")
        fixed = GOOD.replace("2024-07,900", "2024-07,950")
        result = import_measures(store, _write(tmp_path, fixed), workspace="w")
        phone = SeriesKey("Northshire", "Council tax", "contacts", "phone")
        values = [p.value for p in series_points(store, "w", phone)]
    assert (result.counts.added, result.counts.updated, result.counts.unchanged) == (0, 1, 4)
    assert 950 in values and 900 not in values


def test_bad_rows_are_rejected_with_line_column_and_what_was_expected(tmp_path: Path) -> None:
    text = (
        "organisation,measure,date,value,kind\n"
        "Northshire,visits,2024-01-01,10,actual\n"
        "Northshire,visits,not a date,10,actual\n"
        "Northshire,visits,2024-02-01,lots,actual\n"
        "Northshire,visits,2024-03-01,5,forecast\n"
        ",visits,2024-03-01,5,actual\n"
    )
    path = _write(tmp_path, text)
    with Store(tmp_path / "s.db") as store:
        result = import_measures(store, path, workspace="w")
    assert (result.rows_read, result.counts.added, result.rejected) == (5, 1, 4)
    assert result.rejects_path is not None
    with result.rejects_path.open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["line"], r["column"]) for r in rows] == [
        ("3", "date"),
        ("4", "value"),
        ("5", "kind"),
        ("6", "organisation"),
    ]
    assert "expected a month such as 2024-04" in rows[0]["reason"]
    assert "'lots' is not a number" in rows[1]["reason"]
    assert "expected one of baseline, target, actual" in rows[2]["reason"]
    assert rows[0]["file"] == "measures.csv"


def test_a_file_without_a_needed_column_is_refused_and_nothing_is_stored(tmp_path: Path) -> None:
    path = _write(tmp_path, "organisation,measure,value\nNorthshire,visits,3\n")
    with Store(tmp_path / "s.db") as store:
        with pytest.raises(ImportConfigError, match="no column called 'period'"):
            import_measures(store, path, workspace="w")
        assert store.workspaces() == []


def test_spreadsheets_are_read_with_real_dates_and_numbers(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Service", "Measure", "Period", "Value"])
    sheet.append(["Waste", "missed bins", date(2024, 5, 1), 42])
    sheet.append(["Waste", "missed bins", date(2024, 6, 1), 37.5])
    path = tmp_path / "bins.xlsx"
    book.save(path)
    with Store(tmp_path / "s.db") as store:
        result = import_measures(store, path, workspace="w", organisation="Eastvale")
        points = series_points(store, "w", SeriesKey("Eastvale", "Waste", "missed bins"))
    assert result.counts.added == 2
    assert [(p.period, p.value, p.kind) for p in points] == [
        (date(2024, 5, 1), 42.0, "actual"),
        (date(2024, 6, 1), 37.5, "actual"),
    ]
