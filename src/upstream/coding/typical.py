"""Typical items from parts of the evidence nobody has decided on yet.

While a coder has learned from only a few decisions its own uncertainty is a
poor guide, and items chosen by it (or for being unlike everything else) are
often odd ones out. With few decisions, typical items teach more: TypiClust
(Hacohen, Dekel & Weinshall 2022, "Active learning on a budget: opposite
strategies suit high and low budgets") clusters the items, decided and not, into
one more cluster per item to be asked, and asks about the most typical item of
each of the largest clusters that have the fewest decisions.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from sklearn.cluster import KMeans  # type: ignore[import-untyped]

__all__ = ["typical_batch"]

# Clusters smaller than this are left out (TypiClust's choice): a tiny cluster
# is usually a handful of odd items, not a part of the evidence.
_MIN_CLUSTER = 5
# Typicality is the inverse mean distance to this many nearest neighbours.
_NEIGHBOURS = 20
# More clusters than this cost time and no longer follow the evidence's shape.
_MAX_CLUSTERS = 500


def typical_batch(
    candidates: npt.ArrayLike,
    decided: npt.ArrayLike | None,
    batch: int,
    seed: int = 0,
) -> list[int]:
    """Choose typical candidates from the parts of the evidence with fewest decisions.

    Args:
        candidates: ``(n, d)`` vectors of the undecided items.
        decided: ``(m, d)`` vectors of the items already decided, or ``None``.
        batch: How many to choose.
        seed: Seed of the clustering; the same inputs and seed give the same choice.

    Returns:
        Positions in ``candidates`` of the chosen items, in the order chosen.

    Raises:
        ValueError: If the two sets of vectors differ in width.
    """
    pool = np.asarray(candidates, dtype=np.float64)
    n = len(pool)
    if n == 0 or batch < 1:
        return []
    known = (
        np.zeros((0, pool.shape[1])) if decided is None else np.asarray(decided, dtype=np.float64)
    )
    if known.ndim != 2 or known.shape[1] != pool.shape[1]:
        raise ValueError("decided vectors need as many columns as the candidates")
    if n <= batch:
        return list(range(n))
    points = np.vstack([known, pool])
    k = min(len(known) + batch, _MAX_CLUSTERS, len(points))
    labels = KMeans(n_clusters=k, n_init=1, random_state=seed).fit_predict(points)
    sizes = np.bincount(labels, minlength=k).astype(np.float64)
    covered = np.bincount(labels[: len(known)], minlength=k).astype(np.float64)
    covered[sizes < _MIN_CLUSTER] = np.inf
    candidate_labels = labels[len(known) :]
    taken = np.zeros(n, dtype=bool)
    chosen: list[int] = []
    while len(chosen) < batch:
        if np.isinf(covered).all():
            # Only tiny clusters are left: take them after all, largest first.
            covered = np.bincount(labels[: len(known)], minlength=k).astype(np.float64)
            covered[sizes < 1] = np.inf
        # Fewest decisions first, then the largest cluster, then the lowest number.
        c = int(np.lexsort((np.arange(k), -sizes, covered))[0])
        members = np.flatnonzero((candidate_labels == c) & ~taken)
        if len(members) == 0:
            covered[c] = np.inf
            continue
        best = int(members[np.argmax(_typicality(pool[members], points[labels == c]))])
        chosen.append(best)
        taken[best] = True
        covered[c] += 1
    return chosen


def _typicality(
    items: npt.NDArray[np.float64], cluster: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Inverse mean distance of each item to its nearest neighbours in its cluster."""
    squared = (
        np.einsum("ij,ij->i", items, items)[:, None]
        + np.einsum("ij,ij->i", cluster, cluster)[None, :]
        - 2.0 * items @ cluster.T
    )
    distances = np.sort(np.sqrt(np.clip(squared, 0.0, None)), axis=1)
    # Column 0 is the item itself.
    neighbours = distances[:, 1 : min(_NEIGHBOURS, len(cluster) - 1) + 1]
    if neighbours.shape[1] == 0:
        return np.zeros(len(items))
    return np.asarray(1.0 / (neighbours.mean(axis=1) + 1e-12), dtype=np.float64)
