"""The real Civil Service People Survey 2009-2020: import, harmonisation and published medians."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from upstream.survey.benchmarks import benchmarks
from upstream.survey.panel import SurveyPanel
from upstream.survey.published import choose_files, import_published
from upstream.survey.reference import (
    CSPS_KNOWN_DIFFERENCES,
    compare_with_published,
    match_rates,
    read_published_benchmarks,
)

pytestmark = pytest.mark.shared_data
SERIES = "2020/Civil_Service_People_Survey_2009_to_2020_Median_Benchmark_Scores.csv"


def test_one_scores_file_per_year_csv_preferred(csps_root: Path) -> None:
    chosen = dict(choose_files([csps_root]))
    assert sorted(chosen) == list(range(2009, 2021))
    assert chosen[2009].suffix == ".csv"  # a CSV and an XLSX are both published
    assert chosen[2020].suffix == ".ods"  # only an ODS
    assert all(not re.search(r"benchmark|median|mean", p.name, re.I) for p in chosen.values())


def test_every_year_imports_into_one_harmonised_panel(csps_panel: SurveyPanel) -> None:
    scores = csps_panel.scores
    assert csps_panel.years == list(range(2009, 2021))
    assert scores["value"].between(0, 1.02).all()  # a response rate can top 100%
    per_year = scores.groupby("year")["organisation"].nunique()
    assert per_year.between(90, 115).all()
    themes = {"EES", "MW", "OP", "LM", "MT", "LD", "IF", "RW", "PB", "LMC"}
    for year, group in scores.groupby("year"):
        assert themes <= set(group["measure"]), year
    assert not scores.duplicated(["raw_name", "year", "measure"]).any()
    # Summary rows (the published median, the mean of all staff) never enter the panel.
    assert not scores["raw_name"].str.contains("benchmark|mean score", case=False).any()
    assert len(csps_panel.published) > 0
    # The engagement question "I am proud..." is B47 in 2020 and was B50 in 2009.
    labels = csps_panel.measures.set_index("measure")["label"]
    assert "proud" in labels["B47"]
    assert "B47" in set(scores.loc[scores["year"] == 2009, "measure"])


def test_names_are_harmonised_across_years(csps_panel: SurveyPanel) -> None:
    mapping = {(m.raw_name, m.year): m for m in csps_panel.mapping}
    hmrc = mapping[("HM Revenue & Customs", 2009)]
    assert hmrc.canonical_name == "HM Revenue and Customs"
    assert hmrc.method == "normalised"
    typo = mapping[("Skils Funding Agency", 2011)]
    assert (typo.canonical_name, typo.method) == ("Skills Funding Agency", "fuzzy")
    # Scope matters: a department with and without its agencies stays apart.
    moj = {
        m.canonical_name
        for (raw, _y), m in mapping.items()
        if raw.startswith("Ministry of Justice")
    }
    assert len(moj) > 1
    years = csps_panel.scores.groupby("organisation")["year"].nunique()
    assert years["HM Revenue and Customs"] == 12


@pytest.mark.parametrize("year", [2009, 2014, 2019])
def test_csv_and_workbook_of_a_year_agree(csps_root: Path, year: int) -> None:
    folder = csps_root / str(year)
    csv = next(p for p in folder.iterdir() if p.suffix == ".csv" and "rganisation" in p.name)
    book = next(p for p in folder.iterdir() if p.suffix == ".xlsx")
    from_csv = import_published([csv]).scores.set_index(["raw_name", "measure"])["value"]
    from_book = import_published([book]).scores.set_index(["raw_name", "measure"])["value"]
    both = pd.concat([from_csv, from_book], axis=1, keys=["csv", "book"], join="inner")
    assert len(both) > 0.95 * min(len(from_csv), len(from_book))
    difference = (both["csv"] - both["book"]).abs()
    # The two were rounded separately by the publisher: at most one point apart, rarely.
    assert difference.max() <= 0.0101
    assert (difference > 0.0051).mean() < 0.01


def test_published_medians_match_or_have_a_known_cause(
    csps_root: Path, csps_panel: SurveyPanel
) -> None:
    published = read_published_benchmarks(csps_root / SERIES)
    comparison = compare_with_published(
        benchmarks(csps_panel), published, known=CSPS_KNOWN_DIFFERENCES
    )
    unexplained = comparison[comparison["status"] == "unexplained"]
    assert unexplained.empty, unexplained.to_string()
    rates = match_rates(comparison)
    assert rates["published"] == 1330
    assert rates["matched"] == 891
    assert rates["match_rate_computable"] > 0.97
    # Every listed cause is needed: no entry is stale.
    explained = comparison[comparison["status"] == "explained"]
    for known in CSPS_KNOWN_DIFFERENCES:
        assert any(
            known.covers(m, y) for m, y in zip(explained["measure"], explained["year"], strict=True)
        ), known
    print(f"\nCSPS published medians: {rates}")


def test_redefined_themes_are_reproduced_from_their_current_questions(
    csps_root: Path, csps_panel: SurveyPanel
) -> None:
    """The OP and RW exceptions are explained: rebuilt from today's questions they match."""
    published = read_published_benchmarks(csps_root / SERIES).set_index(["measure", "year"])
    items = {"OP": ["B06", "B07"], "RW": ["B29", "B30", "B31", "B32", "B33", "B34"]}
    scores = csps_panel.scores[~csps_panel.scores["aggregate"]]
    wide = scores.pivot_table(index=["organisation", "year"], columns="measure", values="value")
    for theme, questions in items.items():
        for year in range(2009, 2017):
            rebuilt = wide.xs(year, level="year")[questions].mean(axis=1).median()
            assert abs(rebuilt - published.at[(theme, year), "value"]) <= 0.0051, (theme, year)
