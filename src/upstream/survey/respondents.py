"""Respondent-level staff surveys: % positive, theme scores and an engagement index.

One row per respondent, one column per Likert item (``Strongly agree`` ... or
1-5), plus optional organisation, team and demographic columns. Results for any
group of fewer than 10 respondents is suppressed (see :mod:`upstream.policy.groups`):
the value is empty and the display says ``fewer than 10``; the number is never shown.
Broken down by a column, the overall figures are known too, so when only one
group of a question is small the next smallest is hidden as well (its display
says ``not shown``): otherwise the overall figure less the others would give it away.

* % positive: share answering agree or strongly agree (0-100).
* Theme score: % positive over every answer to the theme's items (a theme with
  four items and 50 respondents pools up to 200 answers), as the Civil Service
  People Survey scores its themes.
* Engagement index: each respondent's mean over the engagement items, with
  strongly disagree = 0, disagree = 25, neutral = 50, agree = 75, strongly agree
  = 100; the index is the mean over respondents (0-100).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Final

import numpy as np
import pandas as pd

from upstream.policy import FEWER_THAN, suppressed, withheld
from upstream.survey.answers import AnswerScale
from upstream.survey.errors import SurveyConfigError
from upstream.survey.themes import ThemeSet

POINTS: Final = {1: 0.0, 2: 25.0, 3: 50.0, 4: 75.0, 5: 100.0}
_LABELS: Final = {
    "strongly disagree": 1,
    "disagree": 2,
    "neither agree nor disagree": 3,
    "neither agree or disagree": 3,
    "neutral": 3,
    "agree": 4,
    "strongly agree": 5,
}
_NO_ANSWER: Final = re.compile(r"^(?:|don'?t know|not applicable|n/?a|prefer not to say|-)$")


def likert_levels(values: pd.Series) -> pd.Series:
    """Turn Likert answers (text labels or 1-5) into levels 1-5 (NaN when unanswered).

    Raises:
        SurveyConfigError: If an answer is neither a known label nor 1-5.
    """
    levels: list[float] = []
    unknown: set[str] = set()
    for value in values.tolist():
        level = np.nan
        if value is not None and not (isinstance(value, float) and np.isnan(value)):
            text = " ".join(str(value).strip().lower().replace("’", "'").split())
            if text in _LABELS:
                level = float(_LABELS[text])
            elif re.fullmatch(r"[1-5](?:\.0)?", text):
                level = float(text)
            elif not _NO_ANSWER.match(text):
                unknown.add(str(value))
        levels.append(level)
    if unknown:
        raise SurveyConfigError(
            f"column {values.name!r}: answers not on a 5-point agree scale: "
            + ", ".join(repr(u) for u in sorted(unknown)[:8])
        )
    return pd.Series(levels, index=values.index, dtype=float)


def _points(
    responses: pd.DataFrame, items: Sequence[str], scale: AnswerScale | None
) -> pd.DataFrame:
    """Each answer as points 0-100 (see :mod:`upstream.survey.answers`)."""
    missing = [i for i in items if i not in responses.columns]
    if missing:
        raise SurveyConfigError(
            f"item column(s) not in the survey file: {', '.join(missing)}; columns: "
            + ", ".join(str(c) for c in responses.columns[:40])
        )
    if scale is None:  # the culture-theme files: words or 1-5, as before
        levels = {item: likert_levels(responses[item]) for item in items}
        return pd.DataFrame({k: v.map(POINTS) for k, v in levels.items()}, index=responses.index)
    return pd.DataFrame(
        {item: scale.score(responses[item]) for item in items}, index=responses.index
    )


def _finish(table: pd.DataFrame, value: str, decimals: int = 0) -> pd.DataFrame:
    # A group with no answers at all has no value either: it reads the same.
    small = pd.Series([n == 0 or suppressed(int(n)) for n in table["n"]], index=table.index)
    table["suppressed"] = small
    table.loc[small, value] = np.nan
    table["display"] = [
        FEWER_THAN if s else f"{v:.{decimals}f}" + ("%" if value != "index" else "")
        for s, v in zip(small, table[value], strict=True)
    ]
    return table.reset_index(drop=True)


NOT_SHOWN: Final = "not shown"
"""What a group hidden only to protect a smaller one shows instead of its result."""


def _hide_complements(
    table: pd.DataFrame, by: Sequence[str], key: str | None, value: str
) -> pd.DataFrame:
    """Hide, per question, the group whose figures would give a lone small group away."""
    if not by:
        return table
    sizes = [int(n) for n in table["n"]]
    questions = table.groupby(key, sort=False).groups if key else {None: table.index}
    for rows in questions.values():
        parts = {str(row): sizes[int(row)] for row in rows}
        # Groups already withheld for another reason (a theme pooling a withheld
        # statement) need a companion hidden just as small groups do.
        hidden = {str(row) for row in rows if table.at[int(row), "suppressed"] and sizes[row]}
        extra = [
            int(row)
            for row in withheld(parts, already=hidden)
            if not table.at[int(row), "suppressed"]
        ]
        table.loc[extra, "suppressed"] = True
        table.loc[extra, value] = np.nan
        table.loc[extra, "display"] = NOT_SHOWN
    return table


def _groups(
    responses: pd.DataFrame, by: Sequence[str]
) -> list[tuple[tuple[object, ...], pd.Index]]:
    missing = [b for b in by if b not in responses.columns]
    if missing:
        raise SurveyConfigError(f"grouping column(s) not in the file: {', '.join(missing)}")
    if not by:
        return [((), responses.index)]
    return [
        (key if isinstance(key, tuple) else (key,), frame.index)
        for key, frame in responses.groupby(list(by), dropna=False, sort=True)
    ]


def percent_positive(
    responses: pd.DataFrame,
    items: Sequence[str],
    *,
    by: Sequence[str] = (),
    scale: AnswerScale | None = None,
) -> pd.DataFrame:
    """% positive per item (and group).

    Args:
        responses: One row per respondent.
        items: The statement columns.
        by: Group by these columns.
        scale: How answers are given (default: words or 1-5).

    Returns:
        Columns ``*by, item, n, percent_positive, suppressed, display``.
    """
    points = _points(responses, items, scale)
    rows = []
    for key, index in _groups(responses, by):
        for item in items:
            answered = points.loc[index, item].dropna()
            share = float((answered > 50).mean() * 100) if len(answered) else np.nan
            rows.append((*key, item, len(answered), share))
    table = pd.DataFrame(rows, columns=[*by, "item", "n", "percent_positive"])
    return _hide_complements(_finish(table, "percent_positive"), by, "item", "percent_positive")


def theme_scores(
    responses: pd.DataFrame,
    themes: ThemeSet,
    *,
    by: Sequence[str] = (),
    scale: AnswerScale | None = None,
) -> pd.DataFrame:
    """% positive per theme (pooled over the theme's items) and group.

    Returns:
        Columns ``*by, theme, title, n, answers, percent_positive, suppressed,
        display``; ``n`` counts respondents who answered any item of the theme.
    """
    items = list(dict.fromkeys(i for t in themes.themes for i in t.items))
    points = _points(responses, items, scale)
    rows: list[tuple[object, ...]] = []
    # A theme pools its statements' answers: beside the statements shown, its score
    # would give away one whose few answers are withheld, so it is withheld too.
    partial: list[int] = []
    for key, index in _groups(responses, by):
        for theme in themes.themes:
            block = points.loc[index, list(theme.items)]
            answers = block.to_numpy().ravel()
            answers = answers[~np.isnan(answers)]
            n = int(block.notna().any(axis=1).sum())
            share = float((answers > 50).mean() * 100) if len(answers) else np.nan
            if any(suppressed(int(k)) for k in block.notna().sum(axis=0)):
                partial.append(len(rows))
            rows.append((*key, theme.key, theme.title, n, len(answers), share))
    table = pd.DataFrame(rows, columns=[*by, "theme", "title", "n", "answers", "percent_positive"])
    table = _finish(table, "percent_positive")
    hidden = [row for row in partial if not table.at[row, "suppressed"]]
    table.loc[hidden, "suppressed"] = True
    table.loc[hidden, "percent_positive"] = np.nan
    table.loc[hidden, "display"] = NOT_SHOWN
    return _hide_complements(table, by, "theme", "percent_positive")


def engagement_index(
    responses: pd.DataFrame,
    items: Sequence[str],
    *,
    by: Sequence[str] = (),
    scale: AnswerScale | None = None,
) -> pd.DataFrame:
    """Engagement-style index 0-100 per group (mean over respondents of their item mean).

    Returns:
        Columns ``*by, n, index, suppressed, display``.
    """
    if not items:
        raise SurveyConfigError("the engagement index needs at least one item")
    points = _points(responses, items, scale)
    per_person = points.mean(axis=1, skipna=True)
    rows = []
    for key, index in _groups(responses, by):
        scores = per_person.loc[index].dropna()
        rows.append((*key, len(scores), float(scores.mean()) if len(scores) else np.nan))
    table = pd.DataFrame(rows, columns=[*by, "n", "index"])
    return _hide_complements(_finish(table, "index", decimals=1), by, None, "index")


def combine_organisations(
    results: pd.DataFrame,
    headcount: Mapping[str, float],
    *,
    value: str = "percent_positive",
    organisation: str = "organisation",
    keys: Sequence[str] = ("theme",),
) -> pd.DataFrame:
    """Combine organisations' results into one figure, weighting each by its headcount.

    Suppressed organisations are left out (their value is unknown), and the
    headcount covered is reported so a reader can see how complete the figure is.

    Args:
        results: Per-organisation results (e.g. :func:`theme_scores` by organisation).
        headcount: Organisation → number of staff.
        value: The column to combine.
        organisation: The organisation column.
        keys: Columns identifying what is combined (e.g. ``theme`` or ``item``).

    Returns:
        Columns ``*keys, organisations, headcount_covered, weighted, unweighted``.

    Raises:
        SurveyConfigError: If an organisation has no headcount.
    """
    missing = sorted(set(results[organisation]) - set(headcount))
    if missing:
        raise SurveyConfigError(f"no headcount for: {', '.join(map(str, missing))}")
    usable = results.dropna(subset=[value]).copy()
    usable["_weight"] = usable[organisation].map(headcount).astype(float)
    rows = []
    for key, group in usable.groupby(list(keys), sort=True):
        key_tuple = key if isinstance(key, tuple) else (key,)
        weights = group["_weight"].to_numpy()
        values = group[value].to_numpy(dtype=float)
        rows.append(
            (
                *key_tuple,
                len(group),
                float(weights.sum()),
                float(np.average(values, weights=weights)),
                float(values.mean()),
            )
        )
    return pd.DataFrame(
        rows, columns=[*keys, "organisations", "headcount_covered", "weighted", "unweighted"]
    )


def analyse(
    responses: pd.DataFrame,
    themes: ThemeSet,
    *,
    by: Sequence[str] = (),
    scale: AnswerScale | None = None,
    items: Sequence[str] | None = None,
) -> dict[str, pd.DataFrame]:
    """Every result of a respondent-level survey: items, themes and engagement.

    Items and engagement are analysed only when their columns are in the file.

    Args:
        responses: One row per respondent.
        themes: Themes (and engagement items) to score.
        by: Group by these columns.
        scale: How answers are given (default: words or 1-5).
        items: The statements to report one by one (default: every item of
            ``themes`` found in the file).
    """
    present = list(items) if items is not None else themes.items
    present = [i for i in present if i in responses.columns]
    out = {"items": percent_positive(responses, present, by=by, scale=scale)}
    if themes.themes and all(i in responses.columns for t in themes.themes for i in t.items):
        out["themes"] = theme_scores(responses, themes, by=by, scale=scale)
    if themes.engagement and all(i in responses.columns for i in themes.engagement):
        out["engagement"] = engagement_index(responses, themes.engagement, by=by, scale=scale)
    return out
