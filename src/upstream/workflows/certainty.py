"""How sure a coding run is: its threshold, chosen to meet a precision target.

A trained coder's threshold comes from cross-validation on the labels it
learned from (people's decisions, or a labelled file); without enough labels,
from people's accept and reject decisions on earlier suggestions; without
those either, the coder's default, with the precision measured at it on
held-out test manifestos (see docs/benchmarks.md). The targets are settings
(``UPSTREAM_PRECISION_TARGET``, ``UPSTREAM_ZERO_SHOT_PRECISION_TARGET``).
A threshold the codebook states is kept like one a person asks for, and only
measured (ADR 0015): it is the framework's rule for what counts.
"""

from __future__ import annotations

from collections import defaultdict

from upstream.coding.coder import FrameworkCoder
from upstream.coding.endpoint_coder import EndpointCoder
from upstream.coding.thresholds import (
    BENCHMARK,
    DECISIONS,
    HELD_OUT,
    MIN_SUPPORT,
    ThresholdChoice,
    choose_threshold,
    precision_at,
)
from upstream.settings import read_setting
from upstream.store.coding_repository import CodingRecord
from upstream.store.effective_codes import effective_codes
from upstream.store.repository import Workspace

__all__ = [
    "THRESHOLD_SOURCES",
    "Outcomes",
    "choose_for",
    "decision_outcomes",
    "precision_target",
    "threshold_source",
]

Outcomes = tuple[list[float], list[bool]]
"""Judged suggestions: the machine's confidence in each and whether it was right."""

# Precision of the coder's default threshold (0.35) on five held-out manifestos
# (3,348 human-coded sentences, no document context), as measured before release:
# used only until labels or decisions here can measure it.
_MEASURED_AT_DEFAULT = {"supervised": 0.65, "zero-shot": 0.58}
_DEFAULT_THRESHOLD = 0.35


def precision_target(mode: str) -> float:
    """The precision a coder in ``mode`` (``supervised``/``zero-shot``) must meet."""
    name = "precision_target" if mode == "supervised" else "zero_shot_precision_target"
    return float(read_setting(name))


def decision_outcomes(workspace: Workspace, codebook: str) -> Outcomes:
    """People's verdicts on the machine's suggestions, with the confidence of each.

    For every item a person accepted or rejected a suggestion on, the machine's
    top suggestion from the newest run people decided on: right when accepted.

    Args:
        workspace: The workspace.
        codebook: The codebook's key.

    Returns:
        Confidences and whether each suggestion was kept.
    """
    found = effective_codes(workspace, codebook)
    decided: dict[int, list[CodingRecord]] = defaultdict(list)
    for coding in found.records:
        if coding.origin == "machine" and coding.status in {"accepted", "rejected"}:
            decided[coding.item_id].append(coding)
    confidences: list[float] = []
    right: list[bool] = []
    for codings in decided.values():
        newest = max(c.run_id or 0 for c in codings)
        top = max(
            (c for c in codings if (c.run_id or 0) == newest),
            key=lambda c: c.confidence or 0.0,
        )
        confidences.append(float(top.confidence or 0.0))
        right.append(top.status == "accepted")
    return confidences, right


def choose_for(
    coder: FrameworkCoder | EndpointCoder,
    *,
    threshold: float | None = None,
    decisions: Outcomes | None = None,
    target: float | None = None,
) -> ThresholdChoice:
    """The threshold a fitted coder should use, and how often it will be right.

    Args:
        coder: The fitted coder (its held-out outcomes are used when it has them).
        threshold: A threshold the user asked for: kept, and its precision measured.
        decisions: People's verdicts on earlier suggestions (:func:`decision_outcomes`).
        target: The precision to meet (default: the setting for the coder's mode).

    Returns:
        The choice; set it on the coder with ``coder.set_params(threshold=...)``.
    """
    goal = target if target is not None else precision_target(coder.mode_)
    if coder.mode_ == "endpoint":
        # A model endpoint calibrates itself on people's decisions (EndpointCoder);
        # earlier decisions on the built-in coder's confidences say nothing about it.
        return _unmeasured(
            coder, float(threshold if threshold is not None else coder.threshold), goal
        )
    sources: list[tuple[str, Outcomes]] = []
    held = getattr(coder, "held_out_", None)
    if held is not None:
        sources.append((HELD_OUT, ([float(c) for c in held[0]], [bool(r) for r in held[1]])))
    if decisions is not None:
        sources.append((DECISIONS, decisions))
    usable = [(basis, found) for basis, found in sources if len(found[0]) >= MIN_SUPPORT]
    if threshold is not None:
        for basis, (confidences, right) in usable:
            precision, reached = precision_at(confidences, right, threshold)
            if precision is not None:
                n = len(confidences)
                coverage = round(reached / n, 4)
                return ThresholdChoice(threshold, goal, round(precision, 4), coverage, basis, n)
        return _unmeasured(coder, threshold, goal)
    if usable:
        basis, (confidences, right) = usable[0]
        return choose_threshold(
            confidences, right, goal, fallback=float(coder.threshold), basis=basis
        )
    return _unmeasured(coder, float(coder.threshold), goal)


THRESHOLD_SOURCES = {
    "asked": "as asked for this run",
    "codebook": "which this framework's codebook sets",
    "chosen": "chosen to meet the precision target, going by",
    "default": "upstream's usual setting, since this framework's codebook sets none",
}
"""Where a run's threshold came from, in the words the coding page uses."""


def threshold_source(
    choice: ThresholdChoice, *, asked: float | None, codebook_threshold: float | None
) -> str:
    """Where a run's threshold came from: a key of :data:`THRESHOLD_SOURCES`.

    Frameworks differ (a codebook may state its own, ADR 0015), so the coding
    page says which applied rather than leave two runs' thresholds unexplained.

    Args:
        choice: The threshold chosen (:func:`choose_for`).
        asked: The threshold the person asked for, if any.
        codebook_threshold: The threshold the codebook states, if any.

    Returns:
        ``asked``, ``codebook``, ``chosen`` or ``default``.
    """
    if asked is not None:
        return "asked"
    if codebook_threshold is not None and choice.threshold == codebook_threshold:
        return "codebook"
    if choice.basis in (HELD_OUT, DECISIONS):
        return "chosen"
    return "default"


def _unmeasured(
    coder: FrameworkCoder | EndpointCoder, threshold: float, goal: float
) -> ThresholdChoice:
    """Nothing here to measure with: the test-data figure, if it is for this threshold."""
    measured = _MEASURED_AT_DEFAULT.get(coder.mode_)
    if measured is not None and threshold == _DEFAULT_THRESHOLD:
        return ThresholdChoice(threshold, goal, measured, None, BENCHMARK, 0)
    return ThresholdChoice(threshold, goal, None, None, "not measured", 0)
