"""Benchmarks and trends across organisations: medians, quartiles, gaps and slopes.

The published "benchmark" of a staff survey is the median organisation; "high
performers" are the upper quartile. Rows that total other listed organisations
(departmental groups) are left out, as the publisher does, so no staff are
counted twice. Quartiles use linear interpolation between organisations
(pandas' default), which for the median is the usual middle value, or the mean
of the two middle values when the count is even.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final, cast

import numpy as np
import pandas as pd

from upstream.survey.errors import SurveyConfigError
from upstream.survey.panel import SurveyPanel

BENCHMARK_COLUMNS: Final = (
    "year",
    "measure",
    "label",
    "n_orgs",
    "median",
    "upper_quartile",
    "mean",
    "weighted_mean",
    "scale",
)


def _select(
    panel: SurveyPanel,
    measures: Sequence[str] | None,
    years: Sequence[int] | None,
    include_aggregates: bool,
) -> pd.DataFrame:
    data = panel.scores.dropna(subset=["value"])
    if not include_aggregates:
        data = data[~data["aggregate"].astype(bool)]
    if measures is not None:
        unknown = sorted(set(measures) - set(data["measure"]))
        if unknown:
            raise SurveyConfigError(
                f"no scores for measure(s) {', '.join(unknown)}; measures available: "
                + ", ".join(sorted(set(data["measure"]))[:40])
            )
        data = data[data["measure"].isin(list(measures))]
    if years is not None:
        data = data[data["year"].isin(list(years))]
    # Two raw rows merged into one organisation by a reviewed mapping count once.
    return (
        data.groupby(["organisation", "year", "measure"], as_index=False)
        .agg(value=("value", "mean"), respondents=("respondents", "max"))
        .astype({"respondents": "Float64"})
    )


def benchmarks(
    panel: SurveyPanel,
    *,
    measures: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
    include_aggregates: bool = False,
) -> pd.DataFrame:
    """Median, upper quartile, mean and headcount-weighted mean per measure and year.

    Args:
        panel: The harmonised panel.
        measures: Only these measure ids (default: all).
        years: Only these years (default: all).
        include_aggregates: Also count rows that total other organisations.

    Returns:
        Columns ``year, measure, label, n_orgs, median, upper_quartile, mean,
        weighted_mean, scale`` (values on the measure's scale: ``0-1`` unless the
        import found a score out of ten, an index or a count; ``weighted_mean`` is
        empty unless every organisation's respondents are known).

    Raises:
        SurveyConfigError: If a requested measure has no scores.
    """
    data = _select(panel, measures, years, include_aggregates)
    rows = []
    for key, group in data.groupby(["year", "measure"], sort=True):
        year, measure = cast("tuple[int, str]", key)
        values = group["value"].astype(float)
        weights = group["respondents"]
        weighted = (
            float(np.average(values, weights=weights.astype(float)))
            if weights.notna().all() and float(weights.sum()) > 0
            else np.nan
        )
        rows.append(
            (
                int(year),
                str(measure),
                panel.label(str(measure)),
                len(values),
                float(values.median()),
                float(values.quantile(0.75)),
                float(values.mean()),
                weighted,
                panel.scale(str(measure)),
            )
        )
    return pd.DataFrame(rows, columns=list(BENCHMARK_COLUMNS))


def gaps(
    panel: SurveyPanel,
    *,
    measures: Sequence[str] | None = None,
    years: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Each organisation's distance from the benchmark (median) and the upper quartile.

    Returns:
        Columns ``organisation, year, measure, value, median, gap, upper_quartile,
        gap_to_upper_quartile, rank, n_orgs`` (gap = value - median, on 0-1;
        rank 1 is the highest score that year).
    """
    data = _select(panel, measures, years, include_aggregates=False)
    marks = benchmarks(panel, measures=measures, years=years)[
        ["year", "measure", "median", "upper_quartile", "n_orgs"]
    ]
    merged = data.merge(marks, on=["year", "measure"], how="left")
    merged["gap"] = merged["value"] - merged["median"]
    merged["gap_to_upper_quartile"] = merged["value"] - merged["upper_quartile"]
    merged["rank"] = (
        merged.groupby(["year", "measure"])["value"].rank(ascending=False, method="min").astype(int)
    )
    columns = [
        "organisation",
        "year",
        "measure",
        "value",
        "median",
        "gap",
        "upper_quartile",
        "gap_to_upper_quartile",
        "rank",
        "n_orgs",
        "scale",
    ]
    merged["scale"] = [panel.scale(str(m)) for m in merged["measure"]]
    return merged[columns].sort_values(["measure", "year", "rank"]).reset_index(drop=True)


def trends(
    panel: SurveyPanel,
    *,
    measures: Sequence[str] | None = None,
    min_years: int = 3,
) -> pd.DataFrame:
    """Each organisation's trend per measure: least-squares slope per year.

    Args:
        panel: The harmonised panel.
        measures: Only these measure ids (default: all).
        min_years: Organisations with fewer years of a measure get no slope.

    Returns:
        Columns ``organisation, measure, first_year, last_year, n_years, first,
        last, change, slope_per_year, benchmark_slope_per_year, scale`` (the
        benchmark slope is that of the median over the same years, for comparison).
    """
    data = _select(panel, measures, None, include_aggregates=False)
    medians = data.groupby(["measure", "year"])["value"].median()
    rows = []
    for (organisation, measure), group in data.groupby(["organisation", "measure"]):
        group = group.sort_values("year")
        years = group["year"].to_numpy(dtype=float)
        values = group["value"].to_numpy(dtype=float)
        slope = benchmark_slope = np.nan
        if len(group) >= min_years:
            slope = float(np.polyfit(years, values, 1)[0])
            bench = medians.xs(str(measure)).reindex(group["year"]).to_numpy(dtype=float)
            benchmark_slope = float(np.polyfit(years, bench, 1)[0])
        rows.append(
            (
                organisation,
                measure,
                int(years[0]),
                int(years[-1]),
                len(group),
                float(values[0]),
                float(values[-1]),
                float(values[-1] - values[0]),
                slope,
                benchmark_slope,
                panel.scale(str(measure)),
            )
        )
    return pd.DataFrame(
        rows,
        columns=[
            "organisation",
            "measure",
            "first_year",
            "last_year",
            "n_years",
            "first",
            "last",
            "change",
            "slope_per_year",
            "benchmark_slope_per_year",
            "scale",
        ],
    )
