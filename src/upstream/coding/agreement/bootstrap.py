"""Bootstrap confidence intervals: resample items, recompute, take percentiles.

Items (not single judgements) are drawn with replacement, so each drawn item
keeps all of its codings together and the dependence between codings of one
item is respected. Only items coded at least twice are drawn: the others carry
no information about agreement. Draws are seeded, so the same data and seed
give the same interval. These are plain percentile intervals; with few items
(under about 50) treat them as rough.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from upstream.coding.agreement.coders import per_coder_agreement
from upstream.coding.agreement.judgements import IntArray, Judgements
from upstream.coding.agreement.statistics import FloatArray, item_terms, many_coder_statistics

__all__ = ["BootstrapIntervals", "bootstrap_intervals", "item_weights"]

Interval = tuple[float, float]
_DRAWS_PER_CHUNK = 64


def item_weights(n_items: int, pool: IntArray, n_bootstrap: int, seed: int) -> Iterator[FloatArray]:
    """How often each item is drawn, in chunks of draws (rows) × items (columns).

    Args:
        n_items: All items (columns of the weight matrices).
        pool: Positions of the items to draw from; the rest always weigh 0.
        n_bootstrap: Number of draws in total.
        seed: Seed for :func:`numpy.random.default_rng`.

    Yields:
        Weight matrices of at most 64 draws each.
    """
    rng = np.random.default_rng(seed)
    for start in range(0, n_bootstrap, _DRAWS_PER_CHUNK):
        draws = min(_DRAWS_PER_CHUNK, n_bootstrap - start)
        picks = rng.integers(0, len(pool), size=(draws, len(pool)), dtype=np.int32)
        weights = np.zeros((draws, n_items))
        for row, pick in zip(weights, picks, strict=True):
            row[pool] = np.bincount(pick, minlength=len(pool))
        yield weights


def _interval(values: FloatArray, level: float) -> Interval:
    finite = values[np.isfinite(values)]
    if len(finite) == 0:
        return (float("nan"), float("nan"))
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(finite, [tail, 100 - tail])
    return (float(low), float(high))


@dataclass(frozen=True)
class BootstrapIntervals:
    """Percentile intervals from an item bootstrap.

    Attributes:
        n_bootstrap: Number of draws.
        level: Coverage, e.g. 0.95.
        percent_agreement: Interval for percent agreement.
        fleiss_kappa: Interval for Fleiss' κ.
        krippendorff_alpha: Interval for Krippendorff's α.
        coder_kappa: Interval for each coder's κ with the majority of the others,
            keyed by coder position.
    """

    n_bootstrap: int
    level: float
    percent_agreement: Interval
    fleiss_kappa: Interval
    krippendorff_alpha: Interval
    coder_kappa: dict[int, Interval] = field(default_factory=dict)


def bootstrap_intervals(
    judgements: Judgements,
    counts: IntArray,
    reference: IntArray,
    *,
    n_bootstrap: int,
    seed: int = 0,
    level: float = 0.95,
) -> BootstrapIntervals:
    """Bootstrap intervals for the overall statistics and each coder's κ.

    Args:
        judgements: The encoded judgements.
        counts: The items × labels counts the overall statistics use (for example
            humans only).
        reference: Each judgement's leave-one-out majority label position
            (negative when there is none).
        n_bootstrap: Number of draws (at least 1).
        seed: Random seed.
        level: Coverage of the intervals.

    Returns:
        The intervals.
    """
    pool = np.flatnonzero(judgements.counts().sum(axis=1) >= 2).astype(np.int64)
    terms = item_terms(counts)
    percent, fleiss, alpha, coder = [], [], [], []
    for weights in item_weights(judgements.n_items, pool, n_bootstrap, seed):
        draw = many_coder_statistics(terms, weights)
        percent.append(draw[0])
        fleiss.append(draw[1])
        alpha.append(draw[2])
        coder.append(per_coder_agreement(judgements, reference, weights)[2])
    coder_kappas = np.vstack(coder)
    return BootstrapIntervals(
        n_bootstrap=n_bootstrap,
        level=level,
        percent_agreement=_interval(np.concatenate(percent), level),
        fleiss_kappa=_interval(np.concatenate(fleiss), level),
        krippendorff_alpha=_interval(np.concatenate(alpha), level),
        coder_kappa={i: _interval(coder_kappas[:, i], level) for i in range(judgements.n_coders)},
    )
