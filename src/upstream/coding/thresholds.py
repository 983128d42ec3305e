"""Choosing a coder's threshold so that what it codes is right as often as promised.

A threshold is a trade: higher means fewer items coded and more of them right.
Rather than one fixed number for every framework, :func:`choose_threshold`
picks, from judged suggestions (held-out labels, or people's accept and reject
decisions), the lowest threshold whose suggestions meet a stated precision
target, so as much evidence as possible is coded at the promised precision.
Each choice keeps its expected precision and what that estimate rests on, so
every page that counts machine codes can say how often they are right.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

__all__ = [
    "BASIS_IN_WORDS",
    "BENCHMARK",
    "CHECKED",
    "DECISIONS",
    "DEFAULT",
    "HELD_OUT",
    "MIN_LABELS",
    "ThresholdChoice",
    "choose_threshold",
    "held_out_outcomes",
    "precision_at",
]

HELD_OUT = "held-out labels"
"""The estimate comes from cross-validation on labelled examples."""
DECISIONS = "people's decisions"
"""The estimate comes from people accepting or rejecting the machine's suggestions."""
CHECKED = "people's checks of this run"
"""A run's precision measured from people's decisions on its own suggestions."""
BENCHMARK = "test data"
"""No judged suggestions here yet: the figure was measured on held-out test data."""
DEFAULT = "not measured"
"""Nothing to estimate from: the default threshold, precision unknown."""
BASIS_IN_WORDS = {
    HELD_OUT: "tested on labelled examples kept back from training",
    DECISIONS: "going by people's decisions on earlier suggestions",
    CHECKED: "going by the suggestions people have checked",
    BENCHMARK: (
        "an estimate from coding other documents that people had coded, "
        "not yet checked on this evidence"
    ),
}
"""Where an expected precision comes from, as a reader is told it."""

MIN_LABELS = 30
"""Labelled items needed before the coder learns from them on their own (supervised,
calibrated on held-out folds). Below it, items like a decided one lean to its code
(:mod:`upstream.coding.decided`): calibrated on eight decisions, a town consultation's
codes came out 100% sure on 282 of 435 replies, "Dentist!!!!!" among them."""
MIN_SUPPORT = 30
"""Judged suggestions needed before a threshold is chosen from them."""
MIN_ABOVE = 10
"""Judged suggestions that must reach a threshold for its precision to be trusted."""
LOWEST = 0.2
"""Never code below this confidence, however good the estimate looks."""
HIGHEST = 0.95
"""Never ask more than this: a higher threshold codes almost nothing."""


@dataclass(frozen=True)
class ThresholdChoice:
    """A threshold and how sure the machine's suggestions at it are.

    Attributes:
        threshold: Suggestions below this confidence are left uncoded.
        target: The precision the threshold was chosen to meet.
        expected_precision: The share of suggestions at or above the threshold
            expected to be right (None when there was nothing to estimate it from).
        coverage: The share of judged items the threshold codes (None when unknown).
        basis: What the estimate rests on (:data:`HELD_OUT`, :data:`DECISIONS`,
            :data:`BENCHMARK` or :data:`DEFAULT`).
        support: How many judged suggestions the estimate rests on.
    """

    threshold: float
    target: float
    expected_precision: float | None
    coverage: float | None
    basis: str
    support: int

    def parameters(self) -> dict[str, Any]:
        """What a coding run records about its threshold, for every page to state."""
        return {
            "threshold": self.threshold,
            "precision_target": self.target,
            "expected_precision": self.expected_precision,
            "threshold_basis": self.basis,
            "threshold_support": self.support,
        }


def _arrays(
    confidences: Sequence[float] | npt.NDArray[np.float64], correct: Sequence[bool]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    scores = np.asarray(confidences, dtype=np.float64)
    right = np.asarray(correct, dtype=bool)
    if scores.shape != right.shape:
        raise ValueError(f"{len(scores)} confidences for {len(right)} outcomes")
    return scores, right


def precision_at(
    confidences: Sequence[float] | npt.NDArray[np.float64],
    correct: Sequence[bool],
    threshold: float,
) -> tuple[float | None, int]:
    """The share of judged suggestions at or above ``threshold`` that were right.

    Args:
        confidences: The machine's confidence in each judged suggestion.
        correct: Whether each was right.
        threshold: The threshold to measure.

    Returns:
        The precision (None when no suggestion reaches the threshold) and how
        many suggestions it rests on.
    """
    scores, right = _arrays(confidences, correct)
    above = scores >= threshold
    n = int(above.sum())
    return (float(right[above].mean()) if n else None), n


def choose_threshold(
    confidences: Sequence[float] | npt.NDArray[np.float64],
    correct: Sequence[bool],
    target: float,
    *,
    fallback: float,
    basis: str,
    min_support: int = MIN_SUPPORT,
    min_above: int = MIN_ABOVE,
) -> ThresholdChoice:
    """The lowest threshold whose judged suggestions are right at least ``target`` of the time.

    Lowest, because among thresholds that keep the promise it codes the most
    evidence. Only thresholds that at least ``min_above`` judged suggestions
    reach are considered, so a lucky handful of confident items cannot set
    it. When no threshold meets the target, the most precise one is chosen
    and its (lower) expected precision is reported as it is.

    Args:
        confidences: The machine's confidence in each judged suggestion.
        correct: Whether each suggestion was right.
        target: The precision to meet, 0 to 1.
        fallback: The threshold to use when there are too few judgements.
        basis: What the judgements are (:data:`HELD_OUT` or :data:`DECISIONS`).
        min_support: Judgements needed to choose at all.
        min_above: Judgements that must reach a threshold for it to count.

    Returns:
        The choice; with fewer than ``min_support`` judgements, ``fallback``
        with the precision measured at it (if any judgement reaches it) and
        basis :data:`DEFAULT`.

    Raises:
        ValueError: If the lengths differ or ``target`` is not between 0 and 1.
    """
    if not 0.0 < target <= 1.0:
        raise ValueError(f"a precision target is between 0 and 1, not {target}")
    scores, right = _arrays(confidences, correct)
    n = len(scores)
    if n < min_support:
        return ThresholdChoice(fallback, target, None, None, DEFAULT, n)
    order = np.argsort(-scores, kind="stable")
    ranked, hits = scores[order], np.cumsum(right[order])
    best: tuple[float, float, int] | None = None  # (precision, threshold, count)
    chosen: tuple[float, float, int] | None = None
    for position in range(min_above - 1, n):
        threshold = float(ranked[position])
        if position + 1 < n and ranked[position + 1] == threshold:
            continue  # take every suggestion tied at this confidence together
        if not LOWEST <= threshold <= HIGHEST:
            continue
        precision = float(hits[position]) / (position + 1)
        if precision >= target:
            chosen = (precision, threshold, position + 1)  # keep going: lower is better
        if best is None or precision > best[0]:
            best = (precision, threshold, position + 1)
    picked = chosen or best
    if picked is None:
        return ThresholdChoice(fallback, target, None, None, DEFAULT, n)
    precision, threshold, reached = picked
    # Round down so that a suggestion exactly at the chosen confidence still counts.
    return ThresholdChoice(
        math.floor(threshold * 1000) / 1000,
        target,
        round(precision, 4),
        round(reached / n, 4),
        basis,
        n,
    )


def held_out_outcomes(
    probabilities: npt.NDArray[np.float64], targets: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """Each held-out item's top confidence and whether its top code was right.

    Args:
        probabilities: Out-of-fold probabilities of labelled items, one row each.
        targets: Their target weights (a code with any weight counts as right).

    Returns:
        Top confidences and whether each top code is one of the item's codes.
    """
    top = np.argmax(probabilities, axis=1)
    rows = np.arange(len(top))
    return (
        np.asarray(probabilities[rows, top], dtype=np.float64),
        np.asarray(targets[rows, top] > 0, dtype=bool),
    )
