"""A few decisions by people, used as they are: items like a decided item lean to its code.

Fewer decisions than the coder needs to learn from on their own
(:data:`upstream.coding.thresholds.MIN_LABELS`) cannot be calibrated on, and
adding them to the codebook's examples moves every item: a decided reply is
in the evidence's own register, so it is closer to all the evidence than the
codebook's definitions are, and four decisions for "Buses and trains" took
that code from 34 to 78 of 450 replies, "Politicians are all the same" among
them. Instead, an item leans towards the code of the decided item it is most
like, and only as far as it is like it: a reply that says what a decided
reply says takes its code; one on another subject is left as the codebook
codes it.

A decision that no code fits teaches the same way, whatever else the coder
learns: its target is an even spread over the codes, so an item that says
what it says leans to no code ("Politicians are all the same" marked not
relevant leaves "they're all the same, politicians" uncoded too).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["FLOOR", "FULL", "MOST", "lean_on_decisions"]

Floats = npt.NDArray[np.float64]

FLOOR = 0.6
"""Cosine below which a decided item says nothing about another: replies that share a word
or a subject ("surgery" in a GP and a hospital reply) reach 0.5 to 0.6."""
FULL = 0.9
"""Cosine from which an item says the same as the decided one (near paraphrase)."""
MOST = 0.9
"""The most weight a decided item's code gets, so the machine's own reading still shows."""


def lean_on_decisions(
    probabilities: Floats,
    vectors: npt.NDArray[np.float32],
    decided_vectors: npt.NDArray[np.float32],
    decided_targets: Floats,
) -> Floats:
    """Each item's probabilities, moved towards the code of the decided item most like it.

    Args:
        probabilities: ``(n, classes)`` the coder's probabilities.
        vectors: ``(n, d)`` the items' unit-length vectors.
        decided_vectors: ``(m, d)`` the decided items' unit-length vectors.
        decided_targets: ``(m, classes)`` each decided item's codes, rows summing to 1
            (an even row for an item no code fits).

    Returns:
        ``(n, classes)`` probabilities, rows still summing to 1.
    """
    if not len(decided_vectors) or not len(vectors):
        return probabilities
    similarity = vectors.astype(np.float64) @ decided_vectors.T.astype(np.float64)
    nearest = np.argmax(similarity, axis=1)
    closeness = similarity[np.arange(len(vectors)), nearest]
    weight = MOST * np.clip((closeness - FLOOR) / (FULL - FLOOR), 0.0, 1.0)
    leaned = (1.0 - weight)[:, None] * probabilities + weight[:, None] * decided_targets[nearest]
    return np.asarray(leaned / leaned.sum(axis=1, keepdims=True), dtype=np.float64)
