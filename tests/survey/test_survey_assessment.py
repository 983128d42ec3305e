"""Self-assessment against New Operating Models: questionnaire, scores, gaps, peers, charts."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from upstream.survey.assessment import (
    element_scores,
    load_questionnaire,
    peer_benchmarks,
    peer_evidence,
    perception_gaps,
    responses_from_table,
    weak_elements,
)
from upstream.survey.assessment_report import assessment_report
from upstream.survey.demo_assessment import demo_assessment, demo_organisations
from upstream.survey.errors import SurveyConfigError

ELEMENTS = [
    "context",
    "purpose",
    "values",
    "principles",
    "behaviours",
    "capabilities",
    "infrastructure",
    "external_actors",
    "outcomes",
    "mainstreaming",
]


def test_questionnaire_covers_every_element_with_five_levels() -> None:
    form = load_questionnaire()
    assert form.keys == ELEMENTS
    assert form.level_names == {
        1: "Not started",
        2: "Emerging",
        3: "Developing",
        4: "Embedded",
        5: "Leading",
    }
    for element in form.elements:
        assert sorted(element.levels) == [1, 2, 3, 4, 5]
        assert len(set(element.levels.values())) == 5 and element.question
    assert form.element("values").code == "mindset.values"


def test_demo_is_deterministic_and_realistic() -> None:
    first, second = demo_assessment(), demo_assessment()
    pd.testing.assert_frame_equal(first, second)
    assert not first.equals(demo_assessment(seed=1))
    assert first["organisation"].nunique() == len(demo_organisations()) >= 10
    assert set(first["role_group"]) == {"leader", "frontline"}
    assert first["level"].between(1, 5).all()


def test_scores_gaps_and_suppression() -> None:
    form = load_questionnaire()
    rows = []
    for person in range(12):
        rows.append(
            {
                "organisation": "A",
                "respondent": f"l{person}",
                "role_group": "Leader",
                "purpose": 4,
                "values": 5,
            }
        )
    for person in range(15):
        rows.append(
            {
                "organisation": "A",
                "respondent": f"f{person}",
                "role_group": "frontline",
                "purpose": 2,
                "values": 3,
            }
        )
    for person in range(5):
        rows.append(
            {
                "organisation": "B",
                "respondent": f"b{person}",
                "role_group": "leader",
                "purpose": 5,
                "values": 5,
            }
        )
    responses = responses_from_table(pd.DataFrame(rows), form)
    scores = element_scores(responses, form).set_index(["organisation", "element"])
    assert scores.at[("A", "purpose"), "mean"] == pytest.approx((12 * 4 + 15 * 2) / 27)
    assert scores.at[("B", "purpose"), "display"] == "fewer than 10"
    gaps = perception_gaps(responses, form).set_index(["organisation", "element"])
    assert gaps.at[("A", "purpose"), "gap"] == pytest.approx(2.0)
    assert gaps.at[("A", "values"), "n_leader"] == 12


def test_bad_ratings_are_refused() -> None:
    form = load_questionnaire()
    table = pd.DataFrame({"organisation": ["A"], "respondent": ["1"], "purpose": [7]})
    with pytest.raises(SurveyConfigError, match="not whole numbers 1-5"):
        responses_from_table(table, form)
    with pytest.raises(SurveyConfigError, match="no element columns"):
        responses_from_table(table.rename(columns={"purpose": "vision"}), form)


def test_peers_weak_elements_and_evidence_hook() -> None:
    form = load_questionnaire()
    responses = demo_assessment()
    scores = element_scores(responses, form)
    marks = peer_benchmarks(scores)
    assert list(marks["element"]) == ELEMENTS
    assert (marks["lower_quartile"] <= marks["median"]).all() and (
        marks["median"] <= marks["upper_quartile"]
    ).all()
    organisation = scores["organisation"].iloc[0]
    weak = weak_elements(scores, organisation, benchmarks=marks)
    assert len(weak) > 0 and (weak["gap"] < 0).all()
    first = weak.iloc[0]
    mine = float(first["score"])
    peer_scores = scores[scores["element"] == first["element"]].set_index("organisation")["mean"]
    assert all(peer_scores[p] > mine for p in first["peers_higher"])
    calls: list[tuple[str, str]] = []

    def evidence(code: str, peer: str) -> list[str]:
        calls.append((code, peer))
        return [f"{peer} on {code}"]

    quotes = peer_evidence(weak, form, evidence, peers_per_element=2)
    assert len(quotes) == len(calls) <= 2 * len(weak)
    assert calls[0][0] == form.element(str(first["element"])).code
    mapped = peer_evidence(weak.head(1), form, {}, peers_per_element=1)
    assert mapped["evidence"].tolist() == [""]
    top_peer = first["peers_higher"][0]
    keyed = {str(first["element"]): {top_peer: ["They pooled budgets with health."]}}
    found = peer_evidence(weak.head(1), form, keyed, peers_per_element=1)
    assert found["evidence"].tolist() == ["They pooled budgets with health."]


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_report_writes_tables_and_charts(tmp_path: Path, fmt: str) -> None:
    form = load_questionnaire()
    responses = demo_assessment()
    organisation = demo_organisations()[0][0]
    report = assessment_report(responses, form, organisation, output_dir=tmp_path, chart_format=fmt)
    names = {p.name for p in report.files}
    assert {
        "scores.csv",
        "benchmarks.csv",
        "gaps.csv",
        "weak_elements.csv",
        f"radar.{fmt}",
        f"gaps.{fmt}",
    } <= names
    for path in report.files:
        assert path.stat().st_size > 200
    head = (tmp_path / f"radar.{fmt}").read_bytes()[:8]
    assert head.startswith(b"\x89PNG") if fmt == "png" else b"<?xml" in head
    scores = pd.read_csv(tmp_path / "scores.csv")
    assert scores.loc[scores["suppressed"], "mean"].isna().all()
