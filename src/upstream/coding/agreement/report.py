"""One call for every agreement figure a user needs: :func:`agreement_report`.

When a machine coder is named, the overall statistics (percent agreement,
Fleiss' κ, Krippendorff's α) describe the *human* coders only, majorities are
human majorities, and the machine is compared with them exactly as each human
is compared with the others. That answers the question users ask: does the
machine agree with people as well as people agree with each other?
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from upstream.coding.agreement.bootstrap import BootstrapIntervals, bootstrap_intervals
from upstream.coding.agreement.classification import Comparison, comparison_from_codes
from upstream.coding.agreement.coders import (
    CoderAgreement,
    coder_rows,
    gold_codes,
    human_coders,
    judged_comparison,
)
from upstream.coding.agreement.judgements import IntArray, Judgements, Repeats
from upstream.coding.agreement.majority import (
    MajorityLabel,
    leave_one_out_majority,
    majority_codes,
    majority_labels,
)
from upstream.coding.agreement.statistics import (
    PairAgreement,
    item_terms,
    krippendorff_alpha,
    many_coder_statistics,
    pairwise_agreement,
)
from upstream.coding.agreement.tables import report_tables

__all__ = ["AgreementReport", "AgreementSummary", "agreement_report"]

Record = tuple[Hashable, Hashable, Hashable]


@dataclass(frozen=True)
class AgreementSummary:
    """The headline figures.

    Attributes:
        n_judgements: Judgements used (after dropping missing values and repeats).
        n_items: Items with at least one judgement.
        n_items_compared: Items coded by at least two human coders.
        n_coders: Human coders (the machine, if any, is not counted).
        n_labels: Distinct labels (codes).
        n_missing: Judgements dropped for a missing item, coder or label.
        n_repeats: Judgements dropped because a coder had already coded the item.
        percent_agreement: Mean share of agreeing human pairs per item (0–1).
        fleiss_kappa: Fleiss' κ among humans (generalised to varying coders per item).
        krippendorff_alpha: Krippendorff's nominal α among humans.
        alpha_with_machine: α with the machine counted as one more coder (NaN without one).
        n_pairs: Human coder pairs with at least ``min_items`` items in common.
        median_pair_kappa: Median Cohen's κ over those pairs.
        n_coders_ranked: Human coders with at least ``min_items`` items compared.
        median_coder_kappa: Median κ of those coders with the majority of the others.
        n_majority_tied: Items whose human majority label is a tie.
        machine_kappa: The machine's κ with the human majority (NaN without a machine).
        machine_rank: Share of ranked human coders whose κ the machine matches or beats.
        intervals: Bootstrap intervals, when requested.
    """

    n_judgements: int
    n_items: int
    n_items_compared: int
    n_coders: int
    n_labels: int
    n_missing: int
    n_repeats: int
    percent_agreement: float
    fleiss_kappa: float
    krippendorff_alpha: float
    alpha_with_machine: float
    n_pairs: int
    median_pair_kappa: float
    n_coders_ranked: int
    median_coder_kappa: float
    n_majority_tied: int
    machine_kappa: float
    machine_rank: float
    intervals: BootstrapIntervals | None = None


@dataclass(frozen=True)
class AgreementReport:
    """Every agreement figure for one set of judgements.

    Attributes:
        summary: The headline figures.
        labels: The labels (codes), in order.
        pairwise: Percent agreement and Cohen's κ for each coder pair.
        coders: Each coder against the majority of the others (and gold).
        majority: The human majority label of each item, ties reported.
        comparisons: Labels against references, with per-code P/R/F1 and a
            confusion matrix (machine vs majority, machine vs gold, majority vs
            gold, humans vs the majority of the others, humans vs gold).
        machine_coder: The coder treated as the machine, if any.
        min_items: Pairs and coders with fewer items are left out of medians and rankings.
    """

    summary: AgreementSummary
    labels: tuple[Hashable, ...]
    pairwise: tuple[PairAgreement, ...]
    coders: tuple[CoderAgreement, ...]
    majority: tuple[MajorityLabel, ...]
    comparisons: tuple[Comparison, ...]
    machine_coder: Hashable | None = None
    min_items: int = 1

    def ranked_coders(self) -> list[CoderAgreement]:
        """Human coders with at least ``min_items`` compared items, best κ first."""
        return rank_coders(self.coders, self.min_items)

    def comparison(self, name: str) -> Comparison | None:
        """The comparison called ``name``, if it was made."""
        return next((c for c in self.comparisons if c.name == name), None)

    def to_tables(self) -> dict[str, list[dict[str, object]]]:
        """Plain rows for CSV output: one list of dicts per table.

        Returns:
            Tables ``summary``, ``pairwise_kappa``, ``coder_vs_majority``,
            ``per_code``, ``confusion`` and ``majority_labels``.
        """
        return report_tables(self)


def rank_coders(coders: Iterable[CoderAgreement], min_items: int) -> list[CoderAgreement]:
    """Human coders with at least ``min_items`` compared items and a defined κ, best first."""
    ranked = [
        c for c in coders if not c.is_machine and c.n_compared >= min_items and np.isfinite(c.kappa)
    ]
    return sorted(ranked, key=lambda c: (-c.kappa, -c.n_compared))


def _machine_rank(machine: CoderAgreement | None, ranked: list[CoderAgreement]) -> float:
    if machine is None or not ranked or not np.isfinite(machine.kappa):
        return float("nan")
    return sum(c.kappa <= machine.kappa for c in ranked) / len(ranked)


def _median(values: Iterable[float]) -> float:
    finite = [v for v in values if np.isfinite(v)]
    return float(np.median(finite)) if finite else float("nan")


def _comparisons(
    judgements: Judgements,
    reference: IntArray,
    humans: NDArray[np.bool_],
    gold: IntArray | None,
) -> list[Comparison]:
    by_machine = ~humans[judgements.coders]
    gold_of = None if gold is None else gold[judgements.items]
    result = []
    if by_machine.any():
        name = "machine vs human majority"
        result.append(judged_comparison(name, judgements, by_machine, reference))
        if gold_of is not None:
            result.append(judged_comparison("machine vs gold", judgements, by_machine, gold_of))
    if gold is not None:
        majority, votes, _ = majority_codes(judgements, humans)
        keep = (votes > 0) & (gold >= 0)
        result.append(
            comparison_from_codes(
                "human majority vs gold", majority[keep], gold[keep], judgements.label_names
            )
        )
    name = "humans vs majority of other humans"
    result.append(judged_comparison(name, judgements, ~by_machine, reference))
    if gold_of is not None:
        result.append(judged_comparison("humans vs gold", judgements, ~by_machine, gold_of))
    return result


def agreement_report(
    judgements: Judgements | Iterable[Record],
    *,
    gold: Mapping[Hashable, Hashable] | None = None,
    machine_coder: Hashable | None = None,
    min_items: int = 1,
    n_bootstrap: int = 0,
    seed: int = 0,
    repeats: Repeats = "first",
) -> AgreementReport:
    """Compute every agreement statistic for long-format judgements.

    Args:
        judgements: Encoded :class:`Judgements`, or ``(item, coder, label)`` triples
            (not every coder needs to code every item).
        gold: Optional trusted label per item; items without one are simply not
            compared with gold.
        machine_coder: A coder id to treat as the machine (see module notes).
        min_items: Coder pairs and coders with fewer items in common are left out
            of the pairwise table, the medians and the best/worst ranking.
        n_bootstrap: Bootstrap draws for 95% intervals on α, Fleiss' κ, percent
            agreement and each coder's κ; 0 (the default) skips them.
        seed: Seed for the bootstrap.
        repeats: Which judgement to keep when a coder coded an item twice
            (``"first"``, ``"last"`` or ``"error"``); ignored for encoded judgements.

    Returns:
        The report.

    Raises:
        ValueError: There are no judgements, ``machine_coder`` made none, or
            ``repeats="error"`` and a coder coded an item twice.
    """
    gold_labels = list(gold.values()) if gold else []
    if isinstance(judgements, Judgements):
        encoded = judgements.with_labels(gold_labels)
    else:
        encoded = Judgements.from_records(judgements, repeats=repeats, extra_labels=gold_labels)
    if encoded.n_judgements == 0:
        dropped = f" ({encoded.n_missing} rows lack an item, coder or label)"
        raise ValueError("no judgements to compare" + (dropped if encoded.n_missing else ""))
    humans = human_coders(encoded, machine_coder)
    counts = encoded.counts(humans)
    reference = leave_one_out_majority(encoded, humans)
    gold_items = None if gold is None else gold_codes(encoded, gold)
    intervals = None
    if n_bootstrap > 0:
        intervals = bootstrap_intervals(
            encoded, counts, reference, n_bootstrap=n_bootstrap, seed=seed
        )
    coders = coder_rows(
        encoded, reference, humans, gold_items, None if intervals is None else intervals.coder_kappa
    )
    pairs = pairwise_agreement(encoded, min_items=min_items)
    human_names = {encoded.coder_names[i] for i in np.flatnonzero(humans)}
    human_pairs = [p for p in pairs if {p.coder_a, p.coder_b} <= human_names]
    majority = majority_labels(encoded, humans)
    percent, fleiss, alpha = (float(v[0]) for v in many_coder_statistics(item_terms(counts)))
    ranked = rank_coders(coders, min_items)
    machine = next((c for c in coders if c.is_machine), None)
    summary = AgreementSummary(
        n_judgements=encoded.n_judgements,
        n_items=encoded.n_items,
        n_items_compared=int((counts.sum(axis=1) >= 2).sum()),
        n_coders=int(humans.sum()),
        n_labels=encoded.n_labels,
        n_missing=encoded.n_missing,
        n_repeats=encoded.n_repeats,
        percent_agreement=percent,
        fleiss_kappa=fleiss,
        krippendorff_alpha=alpha,
        alpha_with_machine=krippendorff_alpha(encoded) if machine else float("nan"),
        n_pairs=len(human_pairs),
        median_pair_kappa=_median(p.kappa for p in human_pairs),
        n_coders_ranked=len(ranked),
        median_coder_kappa=_median(c.kappa for c in ranked),
        n_majority_tied=sum(m.tied for m in majority),
        machine_kappa=machine.kappa if machine else float("nan"),
        machine_rank=_machine_rank(machine, ranked),
        intervals=intervals,
    )
    return AgreementReport(
        summary=summary,
        labels=encoded.label_names,
        pairwise=tuple(pairs),
        coders=tuple(coders),
        majority=tuple(majority),
        comparisons=tuple(_comparisons(encoded, reference, humans, gold_items)),
        machine_coder=machine_coder,
        min_items=min_items,
    )
