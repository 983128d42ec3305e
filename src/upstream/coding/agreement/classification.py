"""One set of labels against a reference: confusion matrix, per-code P/R/F1, κ.

The reference is whatever the user trusts most for the question asked: gold
labels, the majority of human coders, or the majority of the *other* coders.
Conventions follow scikit-learn so figures can be checked there: F1 is
``2·TP / (2·TP + FP + FN)``; precision is NaN for a code never predicted and
recall NaN for a code absent from the reference; macro F1 averages over codes
seen in either; micro F1 equals accuracy (one label per item).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from upstream.coding.agreement.judgements import IntArray, label_sort_key
from upstream.coding.agreement.statistics import kappa_from_marginals

__all__ = ["CodeScores", "Comparison", "compare_labels", "comparison_from_codes"]


@dataclass(frozen=True)
class CodeScores:
    """How well one code was applied, against the reference.

    Attributes:
        label: The code.
        precision: Of the items given this code, the share the reference agrees with.
        recall: Of the items the reference gives this code, the share found.
        f1: Harmonic mean of precision and recall (``2·TP / (2·TP + FP + FN)``).
        support: Items the reference gives this code.
        predicted: Items given this code.
    """

    label: Hashable
    precision: float
    recall: float
    f1: float
    support: int
    predicted: int


@dataclass(frozen=True)
class Comparison:
    """Labels compared with a reference, item by item.

    Attributes:
        name: What was compared with what, e.g. ``"machine vs gold"``.
        labels: The codes, in the order of the confusion matrix.
        confusion: Counts with reference labels as rows and compared labels as columns.
        per_code: Scores for each code seen in either the labels or the reference.
        accuracy: Share of items where both agree (also the micro-averaged F1).
        macro_f1: Unweighted mean F1 over ``per_code``.
        kappa: Cohen's κ between the labels and the reference.
        n_tied: Items left out because the reference (a majority) was a tie.
    """

    name: str
    labels: tuple[Hashable, ...]
    confusion: IntArray
    per_code: tuple[CodeScores, ...]
    accuracy: float
    macro_f1: float
    kappa: float
    n_tied: int = 0

    @property
    def n(self) -> int:
        """Items compared."""
        return int(self.confusion.sum())

    @property
    def micro_f1(self) -> float:
        """Micro-averaged F1, which equals accuracy when each item has one label."""
        return self.accuracy


def _ratio(numerator: NDArray[np.float64], denominator: NDArray[np.float64]) -> NDArray[np.float64]:
    out = np.full(len(numerator), np.nan)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


def comparison_from_codes(
    name: str,
    compared: IntArray,
    reference: IntArray,
    labels: tuple[Hashable, ...],
    *,
    n_tied: int = 0,
) -> Comparison:
    """Build a :class:`Comparison` from label positions (into ``labels``).

    Args:
        name: What was compared with what.
        compared: Label position per item, for the labels being assessed.
        reference: Label position per item, for the reference.
        labels: The label names.
        n_tied: Items the caller left out because the reference was a tie.

    Returns:
        The comparison.
    """
    k = len(labels)
    confusion = np.bincount(reference * k + compared, minlength=k * k).reshape(k, k)
    tp = np.diag(confusion).astype(np.float64)
    support = confusion.sum(axis=1).astype(np.float64)
    predicted = confusion.sum(axis=0).astype(np.float64)
    precision, recall = _ratio(tp, predicted), _ratio(tp, support)
    seen = (support + predicted) > 0
    f1 = _ratio(2 * tp, support + predicted)
    n = float(confusion.sum())
    per_code = tuple(
        CodeScores(
            label=labels[i],
            precision=float(precision[i]),
            recall=float(recall[i]),
            f1=float(f1[i]),
            support=int(support[i]),
            predicted=int(predicted[i]),
        )
        for i in np.flatnonzero(seen)
    )
    return Comparison(
        name=name,
        labels=labels,
        confusion=confusion.astype(np.int64),
        per_code=per_code,
        accuracy=float(tp.sum() / n) if n else float("nan"),
        macro_f1=float(f1[seen].mean()) if seen.any() else float("nan"),
        kappa=float(kappa_from_marginals(np.array(n), tp.sum(), predicted, support)),
        n_tied=n_tied,
    )


def compare_labels(
    compared: Sequence[Hashable],
    reference: Sequence[Hashable],
    *,
    name: str = "labels vs reference",
    labels: Sequence[Hashable] | None = None,
) -> Comparison:
    """Compare labels with reference labels for the same items, in the same order.

    Args:
        compared: The labels to assess (a coder's or the machine's).
        reference: The trusted labels (gold, or a majority).
        name: What was compared with what, for reports.
        labels: The codes to show, in order; by default every label seen, sorted.

    Returns:
        Confusion matrix, per-code precision/recall/F1, accuracy, macro F1 and κ.

    Raises:
        ValueError: The sequences differ in length, or a label is not in ``labels``.
    """
    if len(compared) != len(reference):
        lengths = f"{len(compared)}, {len(reference)}"
        raise ValueError(f"the label sequences differ in length ({lengths})")
    if labels is None:
        names = tuple(sorted({*compared, *reference}, key=label_sort_key))
    else:
        names = tuple(labels)
    index = {label: n for n, label in enumerate(names)}
    try:
        a = np.array([index[label] for label in compared], dtype=np.int64)
        b = np.array([index[label] for label in reference], dtype=np.int64)
    except KeyError as exc:
        raise ValueError(f"label {exc.args[0]!r} is not among the labels given") from None
    return comparison_from_codes(name, a, b, names)
