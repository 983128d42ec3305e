"""Trends count in the finest period whose counts may mostly be shown, and withhold the rest."""

from __future__ import annotations

from datetime import date, datetime

from upstream.frameworks import load_codebook
from upstream.policy import FEWER_THAN
from upstream.records.stored import RunRecord
from upstream.records.tallies import ItemFacts
from upstream.reports.analysis import trend
from upstream.reports.evidence import Assigned, CodedEvidence
from upstream.reports.svg import line_chart


def _coded(dates: list[date], code: str) -> tuple[list[ItemFacts], CodedEvidence]:
    codebook = load_codebook("nom")
    run = RunRecord(1, "code", "finished", {}, {}, 0, {}, "test", datetime(2025, 1, 1), None)
    items = [ItemFacts(n, 1, "Org", when) for n, when in enumerate(dates, start=1)]
    assigned = {item.id: [Assigned(code, 0.9, "machine")] for item in items}
    return items, CodedEvidence(codebook, run, assigned=assigned)


def _root(code_book_key: str = "nom") -> str:
    return next(iter(load_codebook(code_book_key).roots())).id


def test_months_when_most_months_hold_ten_or_more() -> None:
    days = [date(2025, month, 1 + n % 28) for month in (1, 2, 3) for n in range(12)]
    items, coded = _coded(days + [date(2025, 4, 2)] * 3, _root())
    found = trend(items, coded)
    assert found is not None and found.period == "month"
    assert found.periods == ["2025-01", "2025-02", "2025-03", "2025-04"]
    assert found.series == [[12, 12, 12, 3]]
    assert found.series_shown == [[12, 12, 12, None]]
    assert found.rows_shown()[-1] == ["2025-04", FEWER_THAN, FEWER_THAN]


def test_quarters_then_years_when_months_are_mostly_small() -> None:
    spread = [date(2024, month, 5) for month in range(1, 13) for _ in range(4)]
    items, coded = _coded(spread, _root())
    found = trend(items, coded)
    assert found is not None and found.period == "quarter"
    assert found.periods == ["2024 Q1", "2024 Q2", "2024 Q3", "2024 Q4"]
    assert found.series == [[12, 12, 12, 12]]

    thin = [date(year, month, 5) for year in (2023, 2024) for month in (1, 4, 7, 10, 12)]
    items, coded = _coded(thin * 2, _root())
    found = trend(items, coded)
    assert found is not None and found.period == "year"
    assert found.periods == ["2023", "2024"] and found.series == [[10, 10]]


def test_a_series_with_nothing_to_draw_is_left_out_of_the_chart() -> None:
    items, coded = _coded([date(2025, 1, 1)] * 3, _root())
    found = trend(items, coded)
    assert found is not None and found.series == [[3]]
    assert found.drawn == [] and found.rows_shown() == [["2025", FEWER_THAN, FEWER_THAN]]


def test_line_chart_breaks_at_a_withheld_count() -> None:
    svg = line_chart(["a", "b", "c", "d", "e"], [[12, None, 15, 20, None]], ["x"], title="t")
    assert svg.count("<polyline") == 2  # one lone point, one run of two
    assert svg.count("<circle") == 1


def test_shares_of_each_period_are_given_only_beside_shown_counts() -> None:
    """A share reads the same whatever a period's volume; with a withheld count it has none."""
    coded_days = [date(2025, 1, 2)] * 12 + [date(2025, 2, 3)] * 12 + [date(2025, 3, 4)] * 3
    items, coded = _coded(coded_days, _root())
    # January holds 48 items in all, February 12 and March 3 (only the coded are counted).
    days = {date(2025, 1, 2): 48, date(2025, 2, 3): 12, date(2025, 3, 4): 3}
    found = trend(items, coded, days=days, total=63, period="month")
    assert found is not None and found.series == [[12, 12, 3]]
    assert found.shares_shown() == [[0.25], [1.0], [None]]
    assert found.rows_shown()[2] == ["2025-03", FEWER_THAN, FEWER_THAN]


def test_the_trend_chart_draws_shares_of_each_period_not_counts() -> None:
    # 2025 holds three times 2024's evidence; half of each year's items carry the code.
    days = [date(2024, 3, 1)] * 20 + [date(2025, 3, 1)] * 60
    items, coded = _coded(days, _root())
    kept = {item.id: coded.assigned[item.id] for item in items if item.id % 2 == 0}
    found = trend(items, CodedEvidence(coded.codebook, coded.run, assigned=kept))
    assert found is not None
    counts = [c for c in found.series[0] if c]
    shares = [s for s in found.share_series[0] if s is not None]
    assert counts == [10, 30]  # the count triples...
    assert shares == [50.0, 50.0]  # ...the share holds
    svg = line_chart(found.periods, found.share_series, ["Root"], title="Shares", percent=True)
    assert ">50%</text>" in svg  # the axis reads in per cent
