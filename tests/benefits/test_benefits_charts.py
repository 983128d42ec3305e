"""The measure and savings charts: accessible SVG with a round axis and every mark drawn."""

from __future__ import annotations

from datetime import date
from xml.etree import ElementTree

from upstream.benefits.charts import savings_chart, series_chart

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def test_series_chart_draws_actuals_target_and_changes() -> None:
    svg = series_chart(
        [(date(2024, 1, 1), 0.4), (date(2024, 2, 1), 0.7), (date(2024, 3, 1), 0.9)],
        [(date(2024, 6, 1), 1.2)],
        baselines=[(date(2024, 1, 1), 0.4)],
        changes=[(date(2024, 2, 1), "New form <online>")],
        title="Share & more",
    )
    root = _parse(svg)
    assert root.get("role") == "img" and root.get("aria-label") == "Share & more"
    assert "<online>" not in svg  # the change's words are in the page's list, not the chart
    classes = [element.get("class") or "" for element in root.iter()]
    assert classes.count("chart-line series-0") == 2  # the line and its legend key
    assert classes.count("chart-target") == 2
    assert classes.count("chart-change") == 2
    ticks = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "chart-axis"]
    assert ticks[:5] == ["0", "0.5", "1", "1.5", "2"]  # round steps covering 1.2


def test_series_chart_with_nothing_to_draw_is_empty() -> None:
    assert series_chart([], [], title="Nothing") == ""


def test_savings_chart_has_one_bar_and_range_per_year() -> None:
    svg = savings_chart([0, 1, 2], [(1, 2, 3), (2, 4, 6), (3, 6, 9)], title="Savings")
    root = _parse(svg)
    bars = [r for r in root.iter(f"{SVG}rect") if r.get("class") == "chart-bar"]
    assert len(bars) == 3
    labels = [t.text for t in root.iter(f"{SVG}text") if (t.text or "").startswith("Year")]
    assert labels == ["Year 0", "Year 1", "Year 2"]  # year 0 first, as in the appraisal
