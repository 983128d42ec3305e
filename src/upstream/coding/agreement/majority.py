"""Majority labels per item, and each judgement's leave-one-out majority.

A majority label is the label most coders gave an item. When labels tie, the
tie is reported and broken deterministically: the tied label used most often
across all judgements wins, then the one that sorts first.

The *leave-one-out* majority of a judgement is the majority of the *other*
coders of the same item, so a coder is never compared with a reference they
helped to make. Leave-one-out majorities that tie are not broken: those
judgements are left out of the comparison and counted, because any tie-break
would favour one label and flatter whoever happened to use it.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from upstream.coding.agreement.judgements import IntArray, Judgements

__all__ = ["NO_REFERENCE", "TIED", "MajorityLabel", "leave_one_out_majority", "majority_labels"]

NO_REFERENCE = -1
"""Reference label code: nobody else coded the item."""
TIED = -2
"""Reference label code: the other coders' labels tie."""

_CHUNK = 65_536


@dataclass(frozen=True)
class MajorityLabel:
    """The majority label of one item.

    Attributes:
        item: The item.
        label: The majority label (after the deterministic tie-break).
        votes: How many coders gave that label.
        n_judgements: How many coders coded the item.
        tied_labels: All labels sharing the top vote when there is a tie, else empty.
    """

    item: Hashable
    label: Hashable
    votes: int
    n_judgements: int
    tied_labels: tuple[Hashable, ...] = ()

    @property
    def tied(self) -> bool:
        """Whether the top vote was shared by more than one label."""
        return bool(self.tied_labels)


def tie_break_order(judgements: Judgements) -> IntArray:
    """Label positions in order of preference when breaking ties (commonest first)."""
    frequency = judgements.label_frequency()
    return np.lexsort((np.arange(judgements.n_labels), -frequency)).astype(np.int64)


def _top(rows: IntArray, preference: IntArray) -> tuple[IntArray, IntArray, NDArray[np.bool_]]:
    """Winning label, its votes and whether it tied, for each row of label counts."""
    if rows.shape[1] == 0:  # no labels at all
        none = np.zeros(len(rows), dtype=np.int64)
        return none, none, np.zeros(len(rows), dtype=bool)
    ordered = rows[:, preference]
    winner = preference[ordered.argmax(axis=1)]
    votes = ordered.max(axis=1)
    tied = (rows == votes[:, None]).sum(axis=1) > 1
    return winner.astype(np.int64), votes.astype(np.int64), tied & (votes > 0)


def majority_codes(
    judgements: Judgements, coders: NDArray[np.bool_] | None = None
) -> tuple[IntArray, IntArray, NDArray[np.bool_]]:
    """Majority label position, votes and tie flag for every item.

    Args:
        judgements: The encoded judgements.
        coders: Optional mask over coders whose judgements count.

    Returns:
        ``(labels, votes, tied)``, one entry per item; items nobody (in the mask)
        coded have ``votes == 0``.
    """
    return _top(judgements.counts(coders), tie_break_order(judgements))


def majority_labels(
    judgements: Judgements, coders: NDArray[np.bool_] | None = None
) -> list[MajorityLabel]:
    """The majority label of every item, with ties reported.

    Args:
        judgements: The encoded judgements.
        coders: Optional mask over ``judgements.coder_names``: only these coders
            vote (for example, humans only when a machine is among the coders).

    Returns:
        One entry per item that at least one counted coder coded, in item order.
    """
    counts = judgements.counts(coders)
    labels, votes, tied = _top(counts, tie_break_order(judgements))
    names = judgements.label_names
    result = []
    for item in np.flatnonzero(votes > 0).tolist():
        tied_labels: tuple[Hashable, ...] = ()
        if tied[item]:
            tied_labels = tuple(names[k] for k in np.flatnonzero(counts[item] == votes[item]))
        result.append(
            MajorityLabel(
                item=judgements.item_names[item],
                label=names[labels[item]],
                votes=int(votes[item]),
                n_judgements=int(counts[item].sum()),
                tied_labels=tied_labels,
            )
        )
    return result


def leave_one_out_majority(
    judgements: Judgements, reference: NDArray[np.bool_] | None = None
) -> IntArray:
    """The majority label of the other reference coders, for every judgement.

    Args:
        judgements: The encoded judgements.
        reference: Mask over coders who make up the majority (default: everyone).
            A judgement by a coder outside the mask (say a machine) is compared
            with the majority of all reference coders of the item.

    Returns:
        A label position per judgement, or :data:`NO_REFERENCE` when no other
        reference coder coded the item, or :data:`TIED` when their labels tie.
    """
    if reference is None:
        reference = np.ones(judgements.n_coders, dtype=bool)
    counts = judgements.counts(reference)
    preference = tie_break_order(judgements)
    result = np.empty(judgements.n_judgements, dtype=np.int64)
    for start in range(0, judgements.n_judgements, _CHUNK):
        part = slice(start, start + _CHUNK)
        rows = counts[judgements.items[part]]
        own = reference[judgements.coders[part]]
        rows[np.flatnonzero(own), judgements.labels[part][own]] -= 1
        winner, votes, tied = _top(rows, preference)
        result[part] = np.where(votes == 0, NO_REFERENCE, np.where(tied, TIED, winner))
    return result
