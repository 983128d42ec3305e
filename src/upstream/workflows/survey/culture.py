"""Culture over time for one organisation: its yearly scores against the benchmark.

The benchmark is the median of the comparable organisations in the same survey
and year (rows totalling other organisations are left out, see
:mod:`upstream.survey.benchmarks`). Culture themes are derived from their
published questions on demand, so a panel holding those questions can be read
by theme as well as by question.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import pandas as pd

from upstream.reports.model import CultureLine
from upstream.store import Store
from upstream.store.survey_repository import SurveyRepository
from upstream.survey.benchmarks import gaps
from upstream.survey.errors import SurveyConfigError, SurveyError
from upstream.survey.panel import DEFAULT_SCALE, SurveyPanel
from upstream.survey.regression import ModelResult, fit_model
from upstream.survey.shown import shown_years
from upstream.survey.themes import ThemeSet, add_theme_measures, load_themes
from upstream.workflows.survey.storage import load_panel

THEME_PREFIX = "CULT_"


@dataclass(frozen=True)
class MeasureChoice:
    """A measure someone can pick: its stable id, label and whether it is a culture theme."""

    key: str
    label: str
    is_theme: bool


def panel_with_themes(
    store: Store, *, workspace: str, survey: str, themes: ThemeSet | None = None
) -> SurveyPanel:
    """A stored panel with culture-theme measures added where their questions are present.

    Raises:
        StoreError: If the workspace or survey is unknown.
    """
    panel = load_panel(store, workspace=workspace, survey=survey)
    if panel.scores.empty:
        return panel
    return add_theme_measures(panel, themes or load_themes())


def measure_choices(panel: SurveyPanel) -> list[MeasureChoice]:
    """Measures with scores, culture themes first, then the others by label."""
    present = sorted(set(panel.scores["measure"].astype(str)))
    choices = [
        MeasureChoice(key, panel.label(key), key.startswith(THEME_PREFIX)) for key in present
    ]
    return sorted(choices, key=lambda c: (not c.is_theme, c.label.lower(), c.key))


def organisations(panel: SurveyPanel) -> list[str]:
    """Organisations with scores of their own (not rows totalling others), by name."""
    scores = panel.scores
    own = scores[~scores["aggregate"].astype(bool)]
    return sorted(set(own["organisation"].astype(str)), key=str.lower)


def organisation_series(panel: SurveyPanel, organisation: str, measure: str) -> pd.DataFrame:
    """One organisation's score on one measure per year, with the benchmark and its gap.

    Returns:
        Columns ``year, value, median, gap, upper_quartile, rank, n_orgs`` (values
        0-1; ``gap`` is value minus median), ``respondents`` (None when not
        known), ``change`` since the organisation's previous year (None in its
        first) and ``change_beyond_chance`` (True, False, or None when it cannot
        be judged), one row per year the organisation has a score, oldest first.

    Raises:
        SurveyConfigError: If the measure has no scores or the organisation none for it.
    """
    table = gaps(panel, measures=[measure])
    mine = table[table["organisation"] == organisation]
    if mine.empty:
        raise SurveyConfigError(f"{organisation} has no scores for {panel.label(measure)}.")
    columns = ["year", "value", "median", "gap", "upper_quartile", "rank", "n_orgs"]
    series = mine.sort_values("year")[columns].reset_index(drop=True)
    counts = (
        panel.scores[
            (panel.scores["organisation"] == organisation) & (panel.scores["measure"] == measure)
        ]
        .groupby("year")["respondents"]
        .max()
    )
    series["respondents"] = [
        None if pd.isna(counts.get(year)) else int(counts[year]) for year in series["year"]
    ]
    series["change"], series["change_beyond_chance"] = _changes(
        series, proportion=panel.scale(measure) == DEFAULT_SCALE
    )
    return series


def _changes(
    series: pd.DataFrame, *, proportion: bool
) -> tuple[list[float | None], list[bool | None]]:
    """Each year's change since the year before it, and whether chance could explain it.

    For a share (% positive) with both years' respondents known, a change is
    beyond chance when it is larger than 1.96 standard errors of the difference
    of two independent proportions (95%); otherwise it is not judged (None).
    """
    changes: list[float | None] = [None]
    judged: list[bool | None] = [None]
    rows = series.to_dict("records")
    for before, after in pairwise(rows):
        change = float(after["value"]) - float(before["value"])
        changes.append(change)
        n1, n2 = before["respondents"], after["respondents"]
        if not proportion or pd.isna(n1) or pd.isna(n2) or not n1 or not n2:
            judged.append(None)
            continue
        p1, p2 = float(before["value"]), float(after["value"])
        error = np.sqrt(p1 * (1 - p1) / n1 + p2 * (1 - p2) / n2)
        judged.append(bool(abs(change) > 1.96 * error) if error > 0 else change != 0)
    return changes, judged


def peer_table(panel: SurveyPanel, measure: str, year: int) -> pd.DataFrame:
    """Every comparable organisation's score on one measure in one year, best first.

    Returns:
        Columns ``organisation, value, gap, rank, n_orgs`` (gap = value - median).
    """
    table = gaps(panel, measures=[measure], years=[year])
    columns = ["organisation", "value", "gap", "rank", "n_orgs"]
    return table.sort_values(["rank", "organisation"])[columns].reset_index(drop=True)


ENGAGEMENT_MEASURES = ("ENGAGEMENT", "EES")
"""Outcomes the culture model explains, first found first: respondent-level or published."""


def culture_model(panel: SurveyPanel) -> ModelResult | None:
    """Engagement on the culture themes within organisations over years (two-way fixed effects).

    Returns:
        The fitted model, or None when the panel has no engagement measure, fewer
        than two culture themes, or too few organisation-years to fit it.
    """
    present = set(panel.scores["measure"].astype(str))
    outcome = next((m for m in ENGAGEMENT_MEASURES if m in present), None)
    themes = sorted(m for m in present if m.startswith(THEME_PREFIX))
    if outcome is None or len(themes) < 2 or len(panel.years) < 2:
        return None
    try:
        return fit_model(panel, outcome, themes)
    except (SurveyError, ValueError, np.linalg.LinAlgError):
        return None


__all__ = [
    "ENGAGEMENT_MEASURES",
    "THEME_PREFIX",
    "MeasureChoice",
    "culture_lines",
    "culture_model",
    "measure_choices",
    "organisation_series",
    "organisations",
    "panel_with_themes",
    "peer_table",
]


def culture_lines(store: Store, workspace: str, organisation: str) -> list[CultureLine]:
    """An organisation's culture themes in each staff survey's latest year, for its report.

    Each line carries the score, how many answered, the change since the
    organisation's previous survey with whether chance could explain it, and
    the gap to the median of comparable organisations, all as the culture page
    shows them. Survey results hold no group under 10 people (they are left
    out when imported), so nothing here needs withholding.

    Args:
        store: The open store.
        workspace: The workspace's name.
        organisation: The organisation the report is about.

    Returns:
        One line per culture theme per survey; empty when the organisation has none.
    """
    lines: list[CultureLine] = []
    for info in SurveyRepository(store, workspace).surveys():
        if not info.scores:
            continue
        panel = panel_with_themes(store, workspace=workspace, survey=info.name)
        if organisation not in organisations(panel):
            continue
        for choice in measure_choices(panel):
            if not choice.is_theme:
                continue
            try:
                series = organisation_series(panel, organisation, choice.key)
            except SurveyError:
                continue
            last = shown_years(series, panel.scale(choice.key))[-1]
            lines.append(
                CultureLine(
                    organisation=organisation,
                    survey=info.name,
                    theme=choice.label,
                    year=last.year,
                    score=last.value,
                    respondents=last.respondents,
                    change=last.change,
                    reading=last.reading,
                    median=last.median,
                    gap=last.gap,
                )
            )
    return lines
