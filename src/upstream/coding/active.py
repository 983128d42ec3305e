"""Active learning: which items should a person code next?

The items the coder is least sure about teach it most (uncertainty sampling,
Lewis & Gale 1994): smallest margin between the two most probable codes first,
then highest entropy, then the original order so the ranking is deterministic.

:func:`teaching_order` adds two things people notice when a queue is ordered by
uncertainty alone: a batch full of near-identical sentences (ten copies of one
boilerplate line teach no more than one), and codes with few examples never
being asked about. It favours items likely to belong to codes with few
decisions so far, and picks each batch greedily so that every item is unlike
the ones already picked (maximal marginal relevance, Carbonell & Goldstein 1998).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from upstream.coding.results import CodingResult

__all__ = ["review_order", "teaching_order"]

# How much a code with no decisions yet adds to an item's priority (an item
# the coder is unsure about scores up to 1), and how much being like an item
# already in the batch takes away (cosine similarity times this).
_COVERAGE_WEIGHT = 0.5
_REDUNDANCY_WEIGHT = 1.0
# Greedy picking looks at this many times the batch size of the best candidates.
_POOL_FACTOR = 20


def review_order(
    results_or_probabilities: Sequence[CodingResult] | npt.ArrayLike,
) -> list[int]:
    """Order items so that the most informative ones come first.

    Args:
        results_or_probabilities: The coder's results, or an ``(n, k)`` array of
            probabilities (for example from ``FrameworkCoder.predict_proba``).

    Returns:
        Item positions, most informative first.
    """
    items = results_or_probabilities
    if isinstance(items, Sequence) and items and isinstance(items[0], CodingResult):
        results = [r for r in items if isinstance(r, CodingResult)]
        margin = np.array([r.margin for r in results], dtype=np.float64)
        # Results carry the top confidence only; a low one means a flat
        # distribution, so it stands in for entropy as the second key.
        spread = np.array([-r.confidence for r in results], dtype=np.float64)
    else:
        probabilities = np.asarray(items, dtype=np.float64)
        if probabilities.ndim != 2:
            if probabilities.size == 0:
                return []
            raise ValueError("probabilities must be a 2-D array (items x codes)")
        if probabilities.shape[1] < 2:
            margin = np.zeros(len(probabilities))
        else:
            top_two = -np.sort(-probabilities, axis=1)[:, :2]
            margin = top_two[:, 0] - top_two[:, 1]
        clipped = np.clip(probabilities, 1e-12, 1.0)
        spread = (clipped * np.log(clipped)).sum(axis=1)  # negative entropy
    positions = np.arange(len(margin))
    return [int(i) for i in np.lexsort((positions, spread, margin))]


def teaching_order(
    probabilities: npt.ArrayLike,
    vectors: npt.ArrayLike | None = None,
    label_counts: npt.ArrayLike | None = None,
    *,
    batch: int = 10,
    coverage_weight: float = _COVERAGE_WEIGHT,
    redundancy_weight: float = _REDUNDANCY_WEIGHT,
) -> list[int]:
    """Order items so that each batch teaches the coder as much as possible.

    Each item scores ``(1 - margin) + coverage_weight * rarity``, where
    ``margin`` is the gap between its two most probable codes and ``rarity``
    is ``sum_k p_k / sqrt(1 + n_k)`` for the ``n_k`` decisions already made for
    code ``k``. The first ``batch`` items are then picked greedily: each time,
    the candidate whose score minus ``redundancy_weight`` times its greatest
    cosine similarity to an item already picked is highest. The remaining
    items follow by score.

    Args:
        probabilities: ``(n, k)`` code probabilities of the undecided items.
        vectors: ``(n, d)`` unit-length text vectors of the same items, for
            diversity; ``None`` leaves diversity out.
        label_counts: ``(k,)`` decisions made so far per code; ``None`` leaves
            coverage out.
        batch: How many items are picked for diversity (the next batch asked).
        coverage_weight: Weight of the rarity term.
        redundancy_weight: Weight of the similarity penalty.

    Returns:
        Item positions, the next batch first.

    Raises:
        ValueError: If the shapes do not agree.
    """
    p = np.asarray(probabilities, dtype=np.float64)
    if p.size == 0:
        return []
    if p.ndim != 2:
        raise ValueError("probabilities must be a 2-D array (items x codes)")
    n = len(p)
    if p.shape[1] < 2:
        margin = np.zeros(n)
    else:
        top_two = -np.sort(-p, axis=1)[:, :2]
        margin = top_two[:, 0] - top_two[:, 1]
    score = 1.0 - margin
    if label_counts is not None:
        counts = np.asarray(label_counts, dtype=np.float64)
        if counts.shape != (p.shape[1],):
            raise ValueError("label_counts needs one count per code")
        score = score + coverage_weight * (p @ (1.0 / np.sqrt(1.0 + counts)))
    positions = np.arange(n)
    by_score = [int(i) for i in np.lexsort((positions, -score))]
    if vectors is None or batch <= 1 or redundancy_weight <= 0:
        return by_score
    v = np.asarray(vectors, dtype=np.float32)
    if len(v) != n:
        raise ValueError("vectors needs one row per item")
    pool = np.array(by_score[: max(batch * _POOL_FACTOR, batch)], dtype=np.intp)
    pool_vectors = v[pool]
    closest = np.full(len(pool), -np.inf)
    available = np.ones(len(pool), dtype=bool)
    picked: list[int] = []
    for _ in range(min(batch, len(pool))):
        penalty = redundancy_weight * np.maximum(closest, 0.0)
        value = np.where(available, score[pool] - penalty, -np.inf)
        best = int(np.argmax(value))  # ties go to the better-scored candidate
        picked.append(int(pool[best]))
        available[best] = False
        closest = np.maximum(closest, pool_vectors @ pool_vectors[best])
    chosen = set(picked)
    return picked + [i for i in by_score if i not in chosen]
