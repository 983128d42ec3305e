"""Everything a self-assessment produces for one organisation: tables and charts."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from upstream.survey.assessment import (
    EvidenceSource,
    Questionnaire,
    element_scores,
    peer_benchmarks,
    peer_evidence,
    perception_gaps,
    weak_elements,
)
from upstream.survey.charts import gap_bar_chart, radar_chart
from upstream.survey.export import write_csv


@dataclass
class AssessmentReport:
    """A self-assessment seen from one organisation.

    Attributes:
        organisation: Whose report this is.
        scores: Element scores of every organisation (suppressed where n<10).
        benchmarks: Peer quartiles per element.
        gaps: Leaders' minus frontline ratings of every organisation.
        weak: The organisation's elements below the peer median, with higher peers.
        evidence: Peers' coded evidence for the weak elements (empty without a source).
        files: Files written (CSV tables and charts).
    """

    organisation: str
    scores: pd.DataFrame
    benchmarks: pd.DataFrame
    gaps: pd.DataFrame
    weak: pd.DataFrame
    evidence: pd.DataFrame
    files: list[Path] = field(default_factory=list)


def assessment_report(
    responses: pd.DataFrame,
    questionnaire: Questionnaire,
    organisation: str,
    *,
    output_dir: Path | None = None,
    evidence: EvidenceSource | None = None,
    chart_format: str = "png",
) -> AssessmentReport:
    """Score a self-assessment and, with ``output_dir``, write its tables and charts.

    Args:
        responses: Long responses (:func:`~upstream.survey.assessment.responses_from_table`).
        questionnaire: The questionnaire rated.
        organisation: Whose report to build.
        output_dir: Folder for ``scores.csv``, ``benchmarks.csv``, ``gaps.csv``,
            ``weak_elements.csv``, ``radar.<fmt>`` and ``gaps.<fmt>``.
        evidence: Source of peers' coded evidence for weak elements.
        chart_format: ``png`` or ``svg``.

    Returns:
        The report.
    """
    scores = element_scores(responses, questionnaire)
    marks = peer_benchmarks(scores)
    gaps = perception_gaps(responses, questionnaire)
    weak = weak_elements(scores, organisation, benchmarks=marks)
    quotes = (
        peer_evidence(weak, questionnaire, evidence)
        if evidence is not None
        else pd.DataFrame(columns=["element", "code", "peer", "evidence"])
    )
    report = AssessmentReport(organisation, scores, marks, gaps, weak, quotes)
    if output_dir is None:
        return report
    output_dir.mkdir(parents=True, exist_ok=True)
    weak_out = weak.assign(peers_higher=weak["peers_higher"].map("; ".join))
    for name, table in (
        ("scores", scores),
        ("benchmarks", marks),
        ("gaps", gaps),
        ("weak_elements", weak_out),
    ):
        report.files.append(write_csv(table, output_dir / f"{name}.csv", decimals=3))
    if len(quotes):
        report.files.append(write_csv(quotes, output_dir / "peer_evidence.csv"))
    radar_chart(scores, marks, organisation, output_dir / f"radar.{chart_format}")
    gap_bar_chart(gaps, organisation, output_dir / f"gaps.{chart_format}")
    report.files += [output_dir / f"radar.{chart_format}", output_dir / f"gaps.{chart_format}"]
    return report
