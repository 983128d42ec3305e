"""Respondent-level answers of many organisations and years as an organisation panel.

Each organisation and year with at least 10 respondents becomes one row per
measure: % positive for each statement and each theme (as a proportion 0-1,
like the published People Survey scores) and, when engagement statements are
given, an engagement index (0-100 mean of 0/25/50/75/100 points, stored as a
proportion). An organisation-year of fewer than 10 respondents is left out
altogether, and said so in the panel's notes; no total of organisations is
stored beside it, so nothing can be worked out by subtraction. The panel then
feeds the same benchmarks, culture-over-time pages and panel models as the
published surveys.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from upstream.policy import suppressed
from upstream.survey.errors import SurveyConfigError
from upstream.survey.measures import INDEX, QUESTION, THEME
from upstream.survey.panel import SurveyPanel, empty_scores, measures_table
from upstream.survey.respondent_mapping import (
    ALL_STATEMENTS,
    RespondentMapping,
    check_mapping,
    theme_set,
)
from upstream.survey.themes import Theme

ENGAGEMENT = "ENGAGEMENT"


def _statement_points(frame: pd.DataFrame, mapping: RespondentMapping, source: str) -> pd.DataFrame:
    return pd.DataFrame(
        {s: mapping.scale.score(frame[s], source=source) for s in mapping.statements},
        index=frame.index,
    )


def _share_positive(block: pd.DataFrame) -> float:
    answers = block.to_numpy(dtype=float).ravel()
    answers = answers[~np.isnan(answers)]
    return float((answers > 50).mean()) if len(answers) else np.nan


def respondent_panel(
    frame: pd.DataFrame,
    mapping: RespondentMapping,
    *,
    labels: dict[str, str] | None = None,
    engagement: Sequence[str] = (),
    source: str = "",
) -> SurveyPanel:
    """Organisation-by-year scores from respondent-level answers.

    Args:
        frame: One row per respondent.
        mapping: How the file is read; ``organisation`` and ``year`` must be set.
        labels: Statement column → wording, for the measure labels.
        engagement: Statements averaged into the engagement index.
        source: The file name, for messages and the panel's source column.

    Returns:
        A panel with a measure per statement (its column name), per theme
        (``CULT_...`` for culture themes) and ``ENGAGEMENT`` when asked for.

    Raises:
        SurveyConfigError: If the organisation or year column is missing, a year
            is not a year, or an answer is not on the mapping's scale.
    """
    if not mapping.organisation or not mapping.year:
        raise SurveyConfigError(
            f"{source + ': ' if source else ''}say which column holds the organisation and "
            "which the survey year, to store results by organisation and year."
        )
    check_mapping(frame, mapping, source=source)
    years = pd.to_numeric(frame[mapping.year], errors="coerce")
    if years.isna().any() or not years.between(1990, 2100).all():
        bad = frame.loc[years.isna() | ~years.between(1990, 2100), mapping.year].iloc[0]
        raise SurveyConfigError(
            f"{source + ': ' if source else ''}column {mapping.year!r}: {bad!r} is not a year "
            "like 2024."
        )
    points = _statement_points(frame, mapping, source)
    themes: list[Theme] = [t for t in theme_set(mapping).themes if t.key != ALL_STATEMENTS]
    labels = labels or {}
    rows: list[tuple[str, int, str, float, int]] = []
    notes: list[str] = []
    keys = frame[mapping.organisation].astype(str).str.strip()
    for key, block in points.groupby([keys, years.astype(int)]):
        organisation, year = str(key[0]), int(str(key[1]))
        n = int(block.notna().any(axis=1).sum())
        if suppressed(n):
            notes.append(
                f"{organisation} {year}: fewer than 10 respondents, so no results are stored."
            )
            continue
        for statement in mapping.statements:
            rows.append(
                (organisation, int(year), statement, _share_positive(block[[statement]]), n)
            )
        for theme in themes:
            measure = theme.measure_id
            rows.append(
                (organisation, int(year), measure, _share_positive(block[list(theme.items)]), n)
            )
        if engagement:
            per_person = block[list(engagement)].mean(axis=1, skipna=True).dropna()
            rows.append((organisation, int(year), ENGAGEMENT, float(per_person.mean()) / 100, n))
    scores = pd.DataFrame(rows, columns=["organisation", "year", "measure", "value", "respondents"])
    scores = scores.dropna(subset=["value"])
    if scores.empty:
        panel = SurveyPanel(notes=notes)
        panel.scores = empty_scores()
        return panel
    scores["raw_name"] = scores["organisation"]
    scores["source"] = source
    scores["aggregate"] = False
    scores["respondents"] = scores["respondents"].astype("Int64")
    measure_rows = [(s, labels.get(s, s), QUESTION) for s in mapping.statements]
    measure_rows += [(t.measure_id, t.title, THEME) for t in themes]
    if engagement:
        measure_rows.append((ENGAGEMENT, "Engagement index", INDEX))
    return SurveyPanel(
        scores=scores[list(empty_scores().columns)].astype(empty_scores().dtypes.to_dict()),
        measures=measures_table(measure_rows),
        notes=notes,
    )


__all__ = ["ENGAGEMENT", "respondent_panel"]
