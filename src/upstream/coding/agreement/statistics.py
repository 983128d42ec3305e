"""Agreement among many coders: percent agreement, Fleiss' κ, Krippendorff's α, pairwise κ.

All three many-coder statistics are computed from the items × labels count
matrix (how many coders gave label *k* to item *i*). Only items coded at least
twice carry information about agreement; items coded once are left out of all of
them. All three are functions of weighted sums over items (:func:`item_terms`), so
the bootstrap in :mod:`.bootstrap` reuses exactly the same formulas with item
weights (how many times each item was drawn).

* **Percent agreement** is the mean over items of the share of coder pairs that
  agree on the item: ``Σ_k n_ik (n_ik − 1) / (m_i (m_i − 1))``.
* **Fleiss' κ** uses the generalisation for a varying number of coders per item
  (Gwet, *Handbook of Inter-Rater Reliability*, 4th ed., ch. 2; "Fleiss'
  generalized kappa"): observed agreement is the percent agreement above, and
  chance agreement is ``Σ_k π_k²`` with ``π_k`` the mean over items of the share
  of the item's codings that are *k*. With the same number of coders on every
  item this is exactly Fleiss (1971).
* **Krippendorff's α** (nominal) uses the coincidence matrix: every ordered pair
  of values within an item counts ``1 / (m_i − 1)``; then
  ``α = 1 − (n − 1)(n − Σ_k o_kk) / (n² − Σ_k n_k²)`` (Krippendorff 2011,
  "Computing Krippendorff's alpha-reliability").

When every coding uses one label, chance agreement is total and the
chance-corrected statistics are undefined: they are returned as NaN, not 1.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from upstream.coding.agreement.judgements import IntArray, Judgements

__all__ = [
    "PairAgreement",
    "cohen_kappa",
    "fleiss_kappa",
    "kappa_from_marginals",
    "krippendorff_alpha",
    "pairwise_agreement",
    "percent_agreement",
]

FloatArray = NDArray[np.float64]


def _divide(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    """``numerator / denominator``, NaN where the denominator is zero."""
    out = np.full(np.broadcast(numerator, denominator).shape, np.nan)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


def _chance_corrected(observed: FloatArray, chance: FloatArray) -> FloatArray:
    return _divide(observed - chance, 1.0 - chance)


def item_terms(counts: IntArray) -> FloatArray:
    """What each item adds to the many-coder statistics, one row per item.

    Columns: codings *m*, α's agreeing pairable values ``Σ n(n − 1) / (m − 1)``,
    the share of agreeing pairs, 1 (the item counts), then the label counts and
    the label shares. Items coded fewer than twice get a row of zeros. Every
    statistic is then a function of (weighted) column sums, so one matrix
    product serves a whole batch of bootstrap draws.

    Args:
        counts: Items × labels counts.

    Returns:
        An items × (4 + 2 × labels) matrix.
    """
    table = counts.astype(np.float64)
    m = table.sum(axis=1)
    table[m < 2] = 0.0
    m[m < 2] = 0.0
    same = (table * (table - 1)).sum(axis=1)
    return np.column_stack(
        [
            m,
            same / np.maximum(m - 1, 1),
            same / np.maximum(m * (m - 1), 1),
            (m > 0).astype(np.float64),
            table,
            table / np.maximum(m, 1)[:, None],
        ]
    )


def many_coder_statistics(
    terms: FloatArray, weights: FloatArray | None = None
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Percent agreement, Fleiss' κ and Krippendorff's α from :func:`item_terms`.

    Args:
        terms: Output of :func:`item_terms`.
        weights: Optional (draws × items) item weights; ``None`` weighs every item once.

    Returns:
        ``(percent_agreement, fleiss_kappa, alpha)``, one value per draw each.
    """
    totals = terms.sum(axis=0, keepdims=True) if weights is None else weights @ terms
    k = (terms.shape[1] - 4) // 2
    n, alpha_same, pair_same, n_items = totals[:, 0], totals[:, 1], totals[:, 2], totals[:, 3]
    value_totals, share_totals = totals[:, 4 : 4 + k], totals[:, 4 + k :]
    percent = _divide(pair_same, n_items)
    chance = (_divide(share_totals, n_items[:, None]) ** 2).sum(axis=1)
    expected = n**2 - (value_totals**2).sum(axis=1)
    alpha = 1.0 - _divide((n - 1) * (n - alpha_same), expected)
    return percent, _chance_corrected(percent, chance), alpha


def percent_agreement(judgements: Judgements) -> float:
    """Mean share of agreeing coder pairs over items coded at least twice (0–1).

    Args:
        judgements: The encoded judgements.

    Returns:
        The percent agreement as a proportion, NaN when no item was coded twice.
    """
    return float(many_coder_statistics(item_terms(judgements.counts()))[0][0])


def fleiss_kappa(judgements: Judgements) -> float:
    """Fleiss' κ, generalised to a varying number of coders per item (see module notes).

    Args:
        judgements: The encoded judgements.

    Returns:
        κ, NaN when undefined (no item coded twice, or a single label used).
    """
    return float(many_coder_statistics(item_terms(judgements.counts()))[1][0])


def krippendorff_alpha(judgements: Judgements) -> float:
    """Krippendorff's α for nominal labels; handles missing codings.

    Args:
        judgements: The encoded judgements.

    Returns:
        α, NaN when undefined (no item coded twice, or a single label used).
    """
    return float(many_coder_statistics(item_terms(judgements.counts()))[2][0])


def kappa_from_marginals(
    n: FloatArray, agreeing: FloatArray, first: FloatArray, second: FloatArray
) -> FloatArray:
    """Cohen's κ from totals, agreement counts and the two label marginals.

    Args:
        n: Number of paired judgements, shape ``(...,)``.
        agreeing: How many pairs agree, shape ``(...,)``.
        first: Label counts of the first coder, shape ``(..., labels)``.
        second: Label counts of the second coder (or reference), same shape.

    Returns:
        κ with shape ``(...,)``; NaN where undefined.
    """
    observed = _divide(agreeing, n)
    chance = _divide((first * second).sum(axis=-1), n**2)
    return _chance_corrected(observed, chance)


def cohen_kappa(first: Sequence[Hashable], second: Sequence[Hashable]) -> float:
    """Cohen's κ between two equally long sequences of labels (one pair per item).

    Args:
        first: One coder's labels.
        second: The other coder's labels for the same items, in the same order.

    Returns:
        κ, NaN when undefined (no items, or both used one and the same label).

    Raises:
        ValueError: The sequences differ in length.
    """
    if len(first) != len(second):
        raise ValueError(f"the label sequences differ in length ({len(first)}, {len(second)})")
    index: dict[Hashable, int] = {}
    a = np.array([index.setdefault(label, len(index)) for label in first], dtype=np.int64)
    b = np.array([index.setdefault(label, len(index)) for label in second], dtype=np.int64)
    k = len(index)
    return float(
        kappa_from_marginals(
            np.array(float(len(a))),
            np.array(float((a == b).sum()), dtype=np.float64),
            np.bincount(a, minlength=k).astype(np.float64),
            np.bincount(b, minlength=k).astype(np.float64),
        )
    )


@dataclass(frozen=True)
class PairAgreement:
    """Agreement between two coders on the items both coded.

    Attributes:
        coder_a: The first coder (earlier in sort order).
        coder_b: The second coder.
        n_items: Items both coded.
        percent_agreement: Share of those items on which they gave the same label.
        kappa: Cohen's κ on those items (NaN when undefined).
    """

    coder_a: Hashable
    coder_b: Hashable
    n_items: int
    percent_agreement: float
    kappa: float


def _coder_pairs(judgements: Judgements) -> tuple[IntArray, IntArray]:
    """Positions (first, second) of every pair of judgements on the same item."""
    order = np.argsort(judgements.items, kind="stable")
    sorted_items = judgements.items[order]
    starts = np.flatnonzero(np.r_[True, sorted_items[1:] != sorted_items[:-1]])
    sizes = np.diff(np.r_[starts, len(order)])
    offset = np.arange(len(order)) - np.repeat(starts, sizes)
    partners = np.repeat(sizes, sizes) - offset - 1
    first = np.repeat(np.arange(len(order)), partners)
    run_starts = np.cumsum(partners) - partners
    second = first + 1 + np.arange(len(first)) - np.repeat(run_starts, partners)
    return order[first], order[second]


def pairwise_agreement(judgements: Judgements, *, min_items: int = 1) -> list[PairAgreement]:
    """Percent agreement and Cohen's κ for every pair of coders who coded common items.

    Args:
        judgements: The encoded judgements.
        min_items: Leave out pairs who coded fewer items in common.

    Returns:
        One entry per pair, ordered by coder.
    """
    first, second = _coder_pairs(judgements)
    ca, cb = judgements.coders[first], judgements.coders[second]
    la, lb = judgements.labels[first], judgements.labels[second]
    swap = ca > cb
    ca, cb = np.where(swap, cb, ca), np.where(swap, ca, cb)
    la, lb = np.where(swap, lb, la), np.where(swap, la, lb)
    keys, pair = np.unique(ca * judgements.n_coders + cb, return_inverse=True)
    k, p = judgements.n_labels, len(keys)
    n = np.bincount(pair, minlength=p).astype(np.float64)
    agreeing = np.bincount(pair, weights=(la == lb) * 1.0, minlength=p).astype(np.float64)
    first_counts = np.bincount(pair * k + la, minlength=p * k).reshape(p, k).astype(np.float64)
    second_counts = np.bincount(pair * k + lb, minlength=p * k).reshape(p, k).astype(np.float64)
    kappas = kappa_from_marginals(n, agreeing, first_counts, second_counts)
    names = judgements.coder_names
    return [
        PairAgreement(
            coder_a=names[int(key) // judgements.n_coders],
            coder_b=names[int(key) % judgements.n_coders],
            n_items=int(n[i]),
            percent_agreement=float(agreeing[i] / n[i]),
            kappa=float(kappas[i]),
        )
        for i, key in enumerate(keys)
        if n[i] >= min_items
    ]
