"""Active learning: which items should a person code next?

The items the coder is least sure about teach it most (uncertainty sampling,
Lewis & Gale 1994): smallest margin between the two most probable codes first,
then highest entropy, then the original order so the ranking is deterministic.

:func:`teaching_order` chooses a whole batch at once, as people answer in
batches: uncertainty alone fills a batch with near-identical sentences (ten
copies of one boilerplate line teach no more than one). It follows BADGE
(Ash et al. 2020, "Deep batch active learning by diverse, uncertain gradient
lower bounds"): each item stands for the change it would make to the coder's
linear head if the coder's own guess were confirmed, and the batch is spread
over those changes by k-means++ seeding. An item the coder is sure about would
change little; items alike would change it alike; so the batch is uncertain
and diverse at once, with no weights to set. While there are few decisions the
coder's uncertainty says little, and the batch is typical items from the parts
of the evidence with fewest decisions instead (:mod:`upstream.coding.typical`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from upstream.coding.results import CodingResult
from upstream.coding.typical import typical_batch

__all__ = ["REPRESENTATIVE_UNTIL", "review_order", "teaching_order"]

REPRESENTATIVE_UNTIL = 100
"""Below this many decisions a batch is typical items rather than BADGE's choice.

TypiClust's "low budget" is a few decisions per code. On the manifesto benchmark
(56 codes, docs/benchmarks.md) BADGE alone fell behind random order at 50 and
200 decisions; asking typical items until 100 decisions put the loop level with
random or slightly ahead there.
"""

# Above this many waiting items, each batch is chosen from a seeded random
# sample of them, so a step stays fast however long the queue.
_MAX_CANDIDATES = 4000


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
    seed: int = 0,
    decided_vectors: npt.ArrayLike | None = None,
    representative_until: int = REPRESENTATIVE_UNTIL,
    max_candidates: int = _MAX_CANDIDATES,
) -> list[int]:
    """Order items so that each batch teaches the coder as much as possible.

    Each item's gradient embedding is ``g = (p - onehot(argmax p)) ⊗ [x, 1]``:
    the gradient of the cross-entropy of the coder's linear head (weights and
    bias) at the item, if its top code were right. The batch is chosen by
    k-means++ seeding over these embeddings: first the item with the largest
    gradient, then each next item with probability proportional to its squared
    distance from the nearest one already chosen. Distances come from
    ``<g_i, g_j> = <a_i, a_j> (<x_i, x_j> + 1)`` with ``a = p - onehot``, so
    ``g`` is never built.

    While the coder has learned from few people's decisions (fewer than
    ``representative_until`` in ``label_counts``) its probabilities say
    little, and the batch is the typical items of the parts of the evidence
    with fewest decisions (:func:`~upstream.coding.typical.typical_batch`).
    Without vectors there is nothing to spread over, and the order is by
    uncertainty alone (:func:`review_order`).

    Args:
        probabilities: ``(n, k)`` code probabilities of the undecided items.
        vectors: ``(n, d)`` the features the coder's linear head reads for
            the same items.
        label_counts: ``(k,)`` decisions made so far per code; ``None`` when
            unknown (the coder is taken to have learned already).
        batch: How many items to choose together (the next batch asked).
        seed: Seed of the random choices; the same inputs and seed give the
            same order.
        decided_vectors: ``(m, d)`` the same features of the items already
            decided, so that typical items are sought where there are few
            decisions; ``None`` when there are none.
        representative_until: Below this many decisions, choose typical items
            by the text vectors alone.
        max_candidates: Choose by BADGE from a seeded random sample of this
            many items when more are waiting.

    Returns:
        Item positions, the chosen batch first, then the rest by uncertainty.

    Raises:
        ValueError: If the shapes do not agree.
    """
    p = np.asarray(probabilities, dtype=np.float64)
    if p.size == 0:
        return []
    if p.ndim != 2:
        raise ValueError("probabilities must be a 2-D array (items x codes)")
    n = len(p)
    decided = None
    if label_counts is not None:
        counts = np.asarray(label_counts, dtype=np.float64)
        if counts.shape != (p.shape[1],):
            raise ValueError("label_counts needs one count per code")
        decided = float(counts.sum())
    by_uncertainty = review_order(p)
    if vectors is None or batch < 1:
        return by_uncertainty
    x = np.asarray(vectors, dtype=np.float64)
    if x.ndim != 2 or len(x) != n:
        raise ValueError("vectors needs one row per item")
    if decided is not None and decided < representative_until:
        # Typicality is density: it is measured on every waiting item, not a sample.
        picked = typical_batch(x, decided_vectors, batch, seed)
    else:
        rng = np.random.default_rng(seed)
        pool = np.arange(n)
        if n > max_candidates:
            pool = np.sort(rng.choice(n, size=max_candidates, replace=False))
        picked = [int(pool[i]) for i in _badge(p[pool], x[pool], batch, rng)]
    taken = set(picked)
    return picked + [i for i in by_uncertainty if i not in taken]


def _badge(
    p: npt.NDArray[np.float64], x: npt.NDArray[np.float64], batch: int, rng: np.random.Generator
) -> list[int]:
    """k-means++ seeding over the gradient embeddings of the linear head."""
    a = p.copy()
    a[np.arange(len(p)), p.argmax(axis=1)] -= 1.0
    x_norms = np.einsum("ij,ij->i", x, x) + 1.0  # the bias reads a constant 1
    norms = np.einsum("ij,ij->i", a, a) * x_norms
    # Ties (equal gradients) go to the earliest item, so the start is deterministic.
    first = int(np.argmax(norms))

    def distance(c: int) -> npt.NDArray[np.float64]:
        inner = (a @ a[c]) * (x @ x[c] + 1.0)
        return np.asarray(norms + norms[c] - 2.0 * inner, dtype=np.float64)

    return _seed_centres(first, distance, len(p), batch, rng)


def _seed_centres(
    first: int,
    distance: Callable[[int], npt.NDArray[np.float64]],
    n: int,
    batch: int,
    rng: np.random.Generator,
) -> list[int]:
    """k-means++ seeding (Arthur & Vassilvitskii 2007) from a given first centre.

    Each next centre is drawn with probability proportional to its squared
    distance from the nearest centre so far; when every item left coincides
    with a centre, the earliest one left is taken.
    """
    chosen = [first]
    nearest = np.clip(distance(first), 0.0, None)
    nearest[first] = 0.0
    available = np.ones(n, dtype=bool)
    available[first] = False
    while len(chosen) < min(batch, n):
        weights = np.where(available, nearest, 0.0)
        total = float(weights.sum())
        if total > 1e-12 * max(1.0, float(nearest.max())):
            # Inverse-CDF draw: one uniform number per choice keeps runs reproducible.
            cumulative = np.cumsum(weights)
            c = int(np.searchsorted(cumulative, rng.random() * cumulative[-1], side="right"))
            c = min(c, n - 1)
            if not available[c]:
                c = int(np.flatnonzero(available & (weights > 0))[0])
        else:
            c = int(np.flatnonzero(available)[0])
        chosen.append(c)
        available[c] = False
        nearest = np.minimum(nearest, np.clip(distance(c), 0.0, None))
        nearest[c] = 0.0
    return chosen
