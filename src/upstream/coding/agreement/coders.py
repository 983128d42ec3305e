"""Each coder against a reference: the majority of the other coders, or gold labels.

Treat a machine as one more coder id: it is compared with the majority of the
human coders exactly as each human is compared with the majority of the other
humans, so its κ can be read against the spread of human κs.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from upstream.coding.agreement.classification import Comparison, comparison_from_codes
from upstream.coding.agreement.judgements import IntArray, Judgements, is_missing
from upstream.coding.agreement.majority import NO_REFERENCE, TIED, leave_one_out_majority
from upstream.coding.agreement.statistics import FloatArray, kappa_from_marginals

__all__ = [
    "CoderAgreement",
    "coder_vs_majority",
    "compare_coder",
    "gold_codes",
    "judged_comparison",
    "per_coder_agreement",
]


@dataclass(frozen=True)
class CoderAgreement:
    """One coder's agreement with the majority of the others, and with gold labels.

    Attributes:
        coder: The coder id.
        is_machine: Whether this coder is the machine.
        n_judgements: Items the coder coded.
        n_compared: Items with a clear majority among the other coders.
        n_tied: Items left out because the other coders' labels tied.
        percent_agreement: Share of compared items where the coder matched the majority.
        kappa: Cohen's κ between the coder and the majority of the others.
        kappa_ci: Bootstrap 95% interval for ``kappa`` (items resampled), if computed.
        n_gold: Items the coder coded that have a gold label.
        gold_percent_agreement: Share of those where the coder matched gold.
        gold_kappa: Cohen's κ between the coder and gold.
    """

    coder: Hashable
    is_machine: bool
    n_judgements: int
    n_compared: int
    n_tied: int
    percent_agreement: float
    kappa: float
    kappa_ci: tuple[float, float] | None = None
    n_gold: int = 0
    gold_percent_agreement: float = float("nan")
    gold_kappa: float = float("nan")


def per_coder_agreement(
    judgements: Judgements, reference: IntArray, weights: FloatArray | None = None
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Compared items, agreeing items and κ per coder against a per-judgement reference.

    Args:
        judgements: The encoded judgements.
        reference: A reference label position per judgement; negative means none.
        weights: Optional item weights, shape ``(draws, items)`` (bootstrap draws).

    Returns:
        ``(n, agreeing, kappa)``, each of shape ``(draws, coders)`` (one draw if
        no weights).
    """
    valid = reference >= 0
    coders, labels, ref = judgements.coders[valid], judgements.labels[valid], reference[valid]
    c, k = judgements.n_coders, judgements.n_labels
    # Each judgement falls in one cell of its coder's confusion matrix; every
    # figure below is a sum over those cells, weighted by how often its item was drawn.
    cells = (coders * k + labels) * k + ref
    items = judgements.items[valid]
    draws = np.ones((1, judgements.n_items)) if weights is None else np.atleast_2d(weights)
    n = np.empty((len(draws), c))
    agreeing = np.empty((len(draws), c))
    own = np.empty((len(draws), c, k))
    other = np.empty((len(draws), c, k))
    for d, item_weights in enumerate(draws):
        confusion = np.bincount(cells, weights=item_weights[items], minlength=c * k * k)
        confusion = confusion.reshape(c, k, k)
        own[d], other[d] = confusion.sum(axis=2), confusion.sum(axis=1)
        n[d] = own[d].sum(axis=1)
        agreeing[d] = np.trace(confusion, axis1=1, axis2=2)
    return n, agreeing, kappa_from_marginals(n, agreeing, own, other)


def gold_codes(judgements: Judgements, gold: Mapping[Hashable, Hashable]) -> IntArray:
    """The gold label position of each item (:data:`NO_REFERENCE` where none).

    Raises:
        ValueError: A gold label is not among ``judgements.label_names``; build
            the judgements with ``extra_labels=gold.values()``.
    """
    codes = np.full(judgements.n_items, NO_REFERENCE, dtype=np.int64)
    for item, label in gold.items():
        position = judgements.item_index.get(item)
        if position is None or is_missing(label):
            continue
        if label not in judgements.label_index:
            raise ValueError(f"gold label {label!r} of item {item!r} is not a known label")
        codes[position] = judgements.label_index[label]
    return codes


def coder_vs_majority(
    judgements: Judgements,
    *,
    machine_coder: Hashable | None = None,
    gold: Mapping[Hashable, Hashable] | None = None,
) -> list[CoderAgreement]:
    """Each coder's % agreement and κ with the majority of the *other* coders (and gold).

    Args:
        judgements: The encoded judgements.
        machine_coder: A coder id to treat as the machine: it is left out of every
            majority, and compared with the majority of all human coders.
        gold: Optional gold label per item.

    Returns:
        One entry per coder, in coder order.
    """
    humans = human_coders(judgements, machine_coder)
    reference = leave_one_out_majority(judgements, humans)
    if gold is None:
        return coder_rows(judgements, reference, humans, None)
    judgements = judgements.with_labels(gold.values())
    return coder_rows(judgements, reference, humans, gold_codes(judgements, gold))


def human_coders(judgements: Judgements, machine_coder: Hashable | None) -> NDArray[np.bool_]:
    """Mask over ``judgements.coder_names``: everyone but the machine coder."""
    humans = np.ones(judgements.n_coders, dtype=bool)
    if machine_coder is not None:
        humans[judgements.coder_position(machine_coder)] = False
    return humans


def compare_coder(
    judgements: Judgements,
    coder: Hashable,
    *,
    gold: Mapping[Hashable, Hashable] | None = None,
    machine_coder: Hashable | None = None,
) -> Comparison:
    """One coder's labels against gold, or against the majority of the other coders.

    Args:
        judgements: The encoded judgements.
        coder: The coder to assess (a human, or the machine).
        gold: Trusted labels per item; without them the reference is the
            leave-one-out majority (tied majorities are left out and counted).
        machine_coder: A coder id left out of every majority (the machine).

    Returns:
        Confusion matrix, per-code precision/recall/F1, accuracy, macro F1 and κ.

    Raises:
        ValueError: ``coder`` or ``machine_coder`` made no judgements.
    """
    if gold is not None:
        judgements = judgements.with_labels(gold.values())
        reference = gold_codes(judgements, gold)[judgements.items]
        name = f"{coder} vs gold"
    else:
        reference = leave_one_out_majority(judgements, human_coders(judgements, machine_coder))
        name = f"{coder} vs majority of the others"
    return judged_comparison(
        name, judgements, judgements.coders == judgements.coder_position(coder), reference
    )


def judged_comparison(
    name: str, judgements: Judgements, judged: NDArray[np.bool_], reference: IntArray
) -> Comparison:
    """Compare the judgements selected by ``judged`` with a reference per judgement.

    Args:
        name: What was compared with what.
        judgements: The encoded judgements.
        judged: Mask over judgements to assess.
        reference: Reference label position per judgement; :data:`TIED` ones are
            counted as ties, other negative ones are skipped.

    Returns:
        The comparison.
    """
    clear = judged & (reference >= 0)
    return comparison_from_codes(
        name,
        judgements.labels[clear],
        reference[clear],
        judgements.label_names,
        n_tied=int((judged & (reference == TIED)).sum()),
    )


def coder_rows(
    judgements: Judgements,
    reference: IntArray,
    humans: NDArray[np.bool_],
    gold: IntArray | None,
    kappa_cis: Mapping[int, tuple[float, float]] | None = None,
) -> list[CoderAgreement]:
    """Assemble :class:`CoderAgreement` rows.

    Args:
        judgements: The encoded judgements.
        reference: Leave-one-out majority label position per judgement (negative: none).
        humans: Mask over coders: ``False`` marks the machine.
        gold: Gold label position per item (negative: none), if any.
        kappa_cis: Bootstrap intervals for each coder's κ, by coder position.

    Returns:
        One row per coder, in coder order.
    """
    c = judgements.n_coders
    n, agreeing, kappa = (a[0] for a in per_coder_agreement(judgements, reference))
    judged = np.bincount(judgements.coders, minlength=c)
    tied = np.bincount(judgements.coders[reference == TIED], minlength=c)
    gold_n, gold_agreeing, gold_kappa = np.zeros(c), np.zeros(c), np.full(c, np.nan)
    if gold is not None:
        gold_n, gold_agreeing, gold_kappa = (
            a[0] for a in per_coder_agreement(judgements, gold[judgements.items])
        )
    return [
        CoderAgreement(
            coder=name,
            is_machine=not humans[i],
            n_judgements=int(judged[i]),
            n_compared=int(n[i]),
            n_tied=int(tied[i]),
            percent_agreement=float(agreeing[i] / n[i]) if n[i] else float("nan"),
            kappa=float(kappa[i]),
            kappa_ci=None if kappa_cis is None else kappa_cis.get(i),
            n_gold=int(gold_n[i]),
            gold_percent_agreement=float(gold_agreeing[i] / gold_n[i]) if gold_n[i] else np.nan,
            gold_kappa=float(gold_kappa[i]),
        )
        for i, name in enumerate(judgements.coder_names)
    ]
