"""Benchmarks, gaps and trends on a panel with known values."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from upstream.survey.benchmarks import benchmarks, gaps, trends
from upstream.survey.errors import SurveyConfigError
from upstream.survey.panel import SurveyPanel, empty_scores


def _panel(rows: list[tuple[str, int, float, int | None, bool]]) -> SurveyPanel:
    data = [(o, y, "EES", v, r, o, "t", agg) for o, y, v, r, agg in rows]
    scores = pd.DataFrame(data, columns=list(empty_scores().columns))
    return SurveyPanel(scores=scores.astype(empty_scores().dtypes.to_dict()))


def test_median_quartile_mean_and_weighted_mean() -> None:
    panel = _panel(
        [
            ("A", 2020, 0.50, 100, False),
            ("B", 2020, 0.60, 300, False),
            ("C", 2020, 0.70, 100, False),
            ("D", 2020, 0.80, 500, False),
            ("A and B group", 2020, 0.99, 400, True),  # a group total: never counted
        ]
    )
    (row,) = benchmarks(panel).to_dict("records")
    assert row["n_orgs"] == 4
    assert row["median"] == pytest.approx(0.65)
    assert row["upper_quartile"] == pytest.approx(np.quantile([0.5, 0.6, 0.7, 0.8], 0.75))
    assert row["mean"] == pytest.approx(0.65)
    assert row["weighted_mean"] == pytest.approx((50 + 180 + 70 + 400) / 1000)
    with_groups = benchmarks(panel, include_aggregates=True)
    assert with_groups.at[0, "n_orgs"] == 5


def test_weighted_mean_needs_every_headcount() -> None:
    panel = _panel([("A", 2020, 0.5, 10, False), ("B", 2020, 0.7, None, False)])
    assert np.isnan(benchmarks(panel).at[0, "weighted_mean"])


def test_gaps_and_trends(make_panel: Callable[..., SurveyPanel]) -> None:
    panel = make_panel()
    table = gaps(panel, measures=["EES"])
    medians = table.groupby("year")["median"].first()
    for year, group in table.groupby("year"):
        assert group["gap"].to_numpy() == pytest.approx(group["value"] - medians[year])
        assert sorted(group["rank"]) == list(range(1, len(group) + 1))
    slopes = trends(panel, measures=["LD"])
    assert len(slopes) == 11 and slopes["n_years"].eq(4).all()
    one = slopes.iloc[0]
    org = panel.scores[
        (panel.scores["organisation"] == one["organisation"]) & (panel.scores["measure"] == "LD")
    ]
    expected = np.polyfit(org["year"], org["value"], 1)[0]
    assert one["slope_per_year"] == pytest.approx(expected)
    assert slopes["benchmark_slope_per_year"].nunique() == 1


def test_unknown_measure_is_named(make_panel: Callable[..., SurveyPanel]) -> None:
    with pytest.raises(SurveyConfigError, match="XYZ"):
        benchmarks(make_panel(), measures=["XYZ"])


def test_a_change_is_judged_against_chance_only_with_the_numbers_answering() -> None:
    from upstream.workflows.survey.culture import _changes

    series = pd.DataFrame(
        {
            "value": [0.60, 0.50, 0.49, 0.30],
            "respondents": [400, 400, None, 30],
        }
    )
    changes, judged = _changes(series, proportion=True)
    assert changes[0] is None and judged[0] is None
    assert changes[1] == pytest.approx(-0.10) and judged[1] is True  # 10 points, 400 each
    assert judged[2] is None and judged[3] is None  # one year's number is not known
    small = pd.DataFrame({"value": [0.60, 0.50], "respondents": [30, 30]})
    assert _changes(small, proportion=True)[1] == [None, False]  # 30 people: could be chance
    assert _changes(small, proportion=False)[1] == [None, None]  # not a share: not judged
