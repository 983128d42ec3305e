"""An organisation's agreed self-assessment, entered as one rating per element.

Alongside many respondents' ratings (see :mod:`upstream.survey.assessment`), an
organisation can record the ratings its team agreed together. These are stored
as the responses of one respondent called :data:`AGREED`; they are the
organisation's own statement, not any person's answers, so they are shown as
they are rather than suppressed. Where an organisation has agreed ratings they
stand for it; other organisations are scored from their respondents as usual,
with groups under 10 suppressed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

import pandas as pd

from upstream.policy import shown_count
from upstream.store import Store
from upstream.store.assessment_repository import AssessmentRepository, ResponseRecord
from upstream.survey.assessment import (
    RESPONSE_COLUMNS,
    Questionnaire,
    element_scores,
    peer_benchmarks,
    weak_elements,
)
from upstream.survey.errors import SurveyConfigError

AGREED: Final = "agreed"
WEAKEST_SHOWN: Final = 3
SCORE_COLUMNS: Final = ("organisation", "element", "title", "n", "mean", "suppressed", "display")


@dataclass(frozen=True)
class ElementResult:
    """One element of an organisation's self-assessment, against its peers.

    Attributes:
        key: Element key in the questionnaire.
        code: Framework code id (e.g. ``mindset.values``).
        title: Element name.
        score: Mean maturity level 1-5 (None when suppressed or not rated).
        display: The score as shown ("fewer than 10" style text when suppressed).
        suppressed: Whether too few people rated it to show.
        median: Median score of every organisation with a score (None if none).
        n_orgs: Organisations behind the median.
        gap: Score minus median.
        weak: Whether it is one of the organisation's weakest elements.
        raters: How many people's ratings make the score (0 when not rated).
    """

    key: str
    code: str
    title: str
    score: float | None
    display: str
    suppressed: bool
    median: float | None
    n_orgs: int
    gap: float | None
    weak: bool
    raters: int = 0

    @property
    def raters_shown(self) -> str:
        """How many rated it, as it may be shown: a group of 1 to 9 reads "fewer than 10"."""
        return shown_count(self.raters)

    @property
    def gap_shown(self) -> str:
        """The gap as shown: the difference of the two rounded figures beside it.

        3.5 against 3.2 reads +0.3; "" when either figure is not shown.
        """
        if self.suppressed or self.score is None or self.median is None:
            return ""
        gap = round(self.score, 1) - round(self.median, 1)
        return "0.0" if abs(gap) < 0.05 else f"{gap:+.1f}"


def parse_ratings(
    values: Mapping[str, str], questionnaire: Questionnaire
) -> tuple[dict[str, int], list[str]]:
    """Ratings from form values (element key → text), and a message for each problem.

    Every element needs a whole-number level from 1 to 5.
    """
    ratings: dict[str, int] = {}
    problems: list[str] = []
    for element in questionnaire.elements:
        text = str(values.get(element.key, "")).strip()
        if not text:
            problems.append(f"Choose a level from 1 to 5 for {element.title}.")
        elif text not in {"1", "2", "3", "4", "5"}:
            problems.append(f"The level for {element.title} must be a whole number from 1 to 5.")
        else:
            ratings[element.key] = int(text)
    return ratings, problems


def agreed_ratings(responses: pd.DataFrame, organisation: str) -> dict[str, int]:
    """The agreed ratings stored for ``organisation`` (element key → level)."""
    rows = responses[
        (responses["organisation"] == organisation) & (responses["respondent"] == AGREED)
    ]
    return {str(e): int(v) for e, v in zip(rows["element"], rows["level"], strict=True)}


def save_agreed_ratings(
    store: Store,
    ratings: Mapping[str, int],
    *,
    workspace: str,
    name: str,
    organisation: str,
    framework: str = "nom",
    actor: str = "upstream",
) -> int:
    """Store (or replace) an organisation's agreed ratings; other responses are kept.

    Returns:
        How many ratings were stored.
    """
    records = [
        ResponseRecord(organisation, AGREED, AGREED, key, int(level))
        for key, level in ratings.items()
    ]
    return AssessmentRepository(store, workspace).replace_organisation_responses(
        name, [organisation], records, respondent=AGREED, framework=framework, actor=actor
    )


def organisation_scores(responses: pd.DataFrame, questionnaire: Questionnaire) -> pd.DataFrame:
    """Each organisation's score per element: its agreed rating, else its respondents' mean.

    Returns:
        The columns of :func:`~upstream.survey.assessment.element_scores` at
        organisation level, plus ``agreed`` (whether the score is an agreed rating).
    """
    is_agreed = responses["respondent"] == AGREED
    agreeing = set(responses.loc[is_agreed, "organisation"])
    parts = []
    others = responses[~is_agreed & ~responses["organisation"].isin(agreeing)]
    if not others.empty:
        parts.append(element_scores(others, questionnaire).assign(agreed=False))
    if agreeing:
        # An agreed rating is the organisation's own, not any person's: never suppressed.
        agreed = element_scores(responses[is_agreed], questionnaire, suppress=False)
        parts.append(agreed.assign(agreed=True))
    if not parts:
        return pd.DataFrame(columns=[*SCORE_COLUMNS, "agreed"])
    order = {k: i for i, k in enumerate(questionnaire.keys)}
    table = pd.concat(parts, ignore_index=True)
    table = table.sort_values(
        ["organisation", "element"], key=lambda c: c.map(order) if c.name == "element" else c
    )
    return table.reset_index(drop=True)


def _weakest(scores: pd.DataFrame, organisation: str, marks: pd.DataFrame) -> list[str]:
    mine = scores[scores["organisation"] == organisation].dropna(subset=["mean"])
    if mine.empty:
        return []
    if scores["organisation"].nunique() > 1:
        try:
            below = weak_elements(scores, organisation, benchmarks=marks)
        except SurveyConfigError:
            return []
        return [str(e) for e in below["element"]][:WEAKEST_SHOWN]
    # With no peers to compare against, the lowest-rated elements are the weakest.
    lowest = mine.sort_values("mean", kind="stable")
    return [str(e) for e in lowest["element"]][:WEAKEST_SHOWN]


def organisation_results(
    scores: pd.DataFrame, questionnaire: Questionnaire, organisation: str
) -> list[ElementResult]:
    """Every element of ``organisation`` against the median of all organisations.

    Args:
        scores: Output of :func:`organisation_scores`.
        questionnaire: The questionnaire rated.
        organisation: Whose results to give.

    Returns:
        One result per questionnaire element, in questionnaire order; the (up
        to three) weakest are marked ``weak``.
    """
    marks = (
        peer_benchmarks(scores)
        if scores["mean"].notna().any()
        else pd.DataFrame(columns=["element", "median", "n_orgs"])
    )
    medians = {str(r["element"]): r for r in marks.to_dict("records")}
    mine = {
        str(r["element"]): r
        for r in scores[scores["organisation"] == organisation].to_dict("records")
    }
    weakest = set(_weakest(scores, organisation, marks))
    results = []
    for element in questionnaire.elements:
        row = mine.get(element.key)
        mark = medians.get(element.key)
        score = None if row is None or pd.isna(row["mean"]) else float(row["mean"])
        median = None if mark is None else float(mark["median"])
        results.append(
            ElementResult(
                element.key,
                element.code,
                element.title,
                score,
                "not rated" if row is None else str(row["display"]),
                bool(row["suppressed"]) if row is not None else False,
                median,
                0 if mark is None else int(mark["n_orgs"]),
                None if score is None or median is None else score - median,
                element.key in weakest,
                0 if row is None or pd.isna(row["n"]) else int(row["n"]),
            )
        )
    return results


def recommend_codes(results: list[ElementResult]) -> list[str]:
    """Framework codes of the weakest elements, weakest first."""
    weak = [r for r in results if r.weak]
    weak.sort(key=lambda r: (r.gap or 0.0, r.score or 0.0))
    return [r.code for r in weak]


def empty_responses() -> pd.DataFrame:
    """A responses table with no rows."""
    return pd.DataFrame(columns=list(RESPONSE_COLUMNS))


__all__ = [
    "AGREED",
    "ElementResult",
    "agreed_ratings",
    "empty_responses",
    "organisation_results",
    "organisation_scores",
    "parse_ratings",
    "recommend_codes",
    "save_agreed_ratings",
]
