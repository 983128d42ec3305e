"""Respondent-level surveys: % positive, themes, engagement index, suppression, weighting."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from upstream.survey.errors import SurveyConfigError
from upstream.survey.respondents import (
    analyse,
    combine_organisations,
    engagement_index,
    likert_levels,
    percent_positive,
    theme_scores,
)
from upstream.survey.themes import load_themes


def _responses() -> pd.DataFrame:
    themes = load_themes()
    rng = np.random.default_rng(7)
    rows = []
    for org, size in (("Northmoor Council", 40), ("Rivermouth Council", 25), ("Tiny Trust", 6)):
        for person in range(size):
            row = {"organisation": org, "team": "A" if person % 2 else "B", "id": f"{org}-{person}"}
            for item in themes.items:
                row[item] = int(rng.integers(1, 6))
            rows.append(row)
    return pd.DataFrame(rows)


def test_likert_labels_and_numbers() -> None:
    answers = pd.Series(
        [
            "Strongly agree",
            "agree",
            "Neither agree nor disagree",
            "DISAGREE",
            "strongly disagree",
            4,
            "5",
            None,
            "Don't know",
        ],
        name="q1",
    )
    assert likert_levels(answers).tolist()[:7] == [5, 4, 3, 2, 1, 4, 5]
    assert likert_levels(answers).isna().sum() == 2
    with pytest.raises(SurveyConfigError, match="'Maybe'"):
        likert_levels(pd.Series(["Agree", "Maybe"], name="q2"))


def test_percent_positive_and_suppression() -> None:
    data = pd.DataFrame(
        {"org": ["A"] * 12 + ["B"] * 4, "q": ["Agree"] * 9 + ["Disagree"] * 3 + ["Agree"] * 4}
    )
    table = percent_positive(data, ["q"], by=["org"]).set_index("org")
    assert table.at["B", "suppressed"]
    assert np.isnan(table.at["B", "percent_positive"])
    assert table.at["B", "display"] == "fewer than 10"  # never the value (100%)
    # A's 75% beside the overall 81.25% would give B's 100% away, so A is hidden too.
    assert table.at["A", "suppressed"] and np.isnan(table.at["A", "percent_positive"])
    assert table.at["A", "display"] == "not shown"
    overall = percent_positive(data, ["q"])
    assert overall.at[0, "display"] == "81%"


def test_no_small_group_can_be_worked_out_from_the_others() -> None:
    """Only the next smallest group is hidden beside a small one; larger ones are shown."""
    data = pd.DataFrame(
        {
            "org": ["A"] * 12 + ["B"] * 9 + ["C"] * 20,
            "q": ["Agree"] * 9 + ["Disagree"] * 3 + ["Agree"] * 9 + ["Agree"] * 10 + [2] * 10,
        }
    )
    table = percent_positive(data, ["q"], by=["org"]).set_index("org")
    assert table.at["B", "display"] == "fewer than 10"
    assert table.at["A", "display"] == "not shown"
    assert table.at["C", "display"] == "50%" and not table.at["C", "suppressed"]
    # B's share cannot be recovered: the overall less C leaves A and B together.
    engagement = engagement_index(data.rename(columns={"q": "e1"}), ["e1"], by=["org"])
    shown = dict(zip(engagement["org"], engagement["display"], strict=True))
    assert shown["B"] == "fewer than 10" and shown["A"] == "not shown"


def test_engagement_index_points() -> None:
    data = pd.DataFrame(
        {"e1": ["Strongly agree"] * 10 + ["Strongly disagree"] * 10, "e2": [4] * 10 + [2] * 10}
    )
    (row,) = engagement_index(data, ["e1", "e2"]).to_dict("records")
    # respondents average (100+75)/2 = 87.5 and (0+25)/2 = 12.5; the index is their mean
    assert row["index"] == pytest.approx(50.0)
    assert row["n"] == 20


def test_theme_scores_pool_every_answer() -> None:
    responses = _responses()
    themes = load_themes()
    table = theme_scores(responses, themes, by=["organisation"])
    north = table[
        (table["organisation"] == "Northmoor Council") & (table["theme"] == "empowerment")
    ].iloc[0]
    items = responses.loc[
        responses["organisation"] == "Northmoor Council", list(themes.theme("empowerment").items)
    ]
    assert north["answers"] == items.size
    assert north["percent_positive"] == pytest.approx((items.to_numpy() >= 4).mean() * 100)
    tiny = table[table["organisation"] == "Tiny Trust"]
    assert tiny["suppressed"].all() and tiny["percent_positive"].isna().all()


def test_headcount_weighting_when_combining_organisations() -> None:
    results = pd.DataFrame(
        {
            "organisation": ["A", "B", "C"],
            "theme": ["mission"] * 3,
            "percent_positive": [80.0, 60.0, np.nan],
        }
    )
    combined = combine_organisations(results, {"A": 3000, "B": 1000, "C": 50})
    (row,) = combined.to_dict("records")
    assert row["weighted"] == pytest.approx(75.0)
    assert row["unweighted"] == pytest.approx(70.0)
    assert row["organisations"] == 2 and row["headcount_covered"] == 4000
    with pytest.raises(SurveyConfigError, match="no headcount for: C"):
        combine_organisations(results, {"A": 1, "B": 1})


def test_default_culture_themes_and_custom_yaml(tmp_path: Path) -> None:
    themes = load_themes()
    assert themes.keys == ["empowerment", "outward_focus", "mission", "risk_change"]
    assert all(t.items and t.published for t in themes.themes)
    assert all(themes.texts[i] for i in themes.items)
    custom = tmp_path / "themes.yaml"
    custom.write_text(
        "themes:\n  voice:\n    title: Voice\n    items: [q1, q2]\n", encoding="utf-8"
    )
    assert load_themes(custom).theme("voice").items == ("q1", "q2")
    custom.write_text("themes: [1, 2]\n", encoding="utf-8")
    with pytest.raises(SurveyConfigError, match="themes"):
        load_themes(custom)


def test_analyse_everything_by_group() -> None:
    results = analyse(_responses(), load_themes(), by=["organisation", "team"])
    assert set(results) == {"items", "themes", "engagement"}
    small = results["engagement"][results["engagement"]["organisation"] == "Tiny Trust"]
    assert small["display"].eq("fewer than 10").all()


def test_a_theme_with_a_withheld_statement_is_withheld_too() -> None:
    # Libraries: 12 people, but only 8 answered the first empowerment statement. Beside
    # the other statements' results, the theme's pooled score would give those 8 away.
    responses = _responses()
    responses = responses[responses["organisation"] != "Tiny Trust"]  # no other small group
    themes = load_themes()
    first = themes.theme("empowerment").items[0]
    libraries = responses[responses["organisation"] == "Northmoor Council"].head(12).copy()
    libraries["organisation"] = "Libraries"
    libraries.loc[libraries.index[8:], first] = None
    everyone = pd.concat([responses, libraries], ignore_index=True)
    table = theme_scores(everyone, themes, by=["organisation"])
    row = table[(table["organisation"] == "Libraries") & (table["theme"] == "empowerment")].iloc[0]
    assert row["n"] == 12 and row["suppressed"] and np.isnan(row["percent_positive"])
    assert row["display"] == "not shown"
    other = table[(table["organisation"] == "Libraries") & (table["theme"] != "empowerment")]
    assert not other["suppressed"].any()
    # With everyone's score for the theme known, one more organisation's is hidden with it.
    empowerment = table[table["theme"] == "empowerment"].set_index("organisation")
    assert empowerment.at["Rivermouth Council", "display"] == "not shown"
    assert not empowerment.at["Northmoor Council", "suppressed"]
    items = percent_positive(everyone, [first], by=["organisation"])
    assert items[items["organisation"] == "Libraries"].iloc[0]["display"] == "fewer than 10"
