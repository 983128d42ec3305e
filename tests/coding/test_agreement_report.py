"""Per-code scores against scikit-learn, coders against the majority, and the full report."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.metrics import (
    cohen_kappa_score,
    confusion_matrix,
    f1_score,
    precision_recall_fscore_support,
)

from upstream.coding.agreement import (
    Judgements,
    agreement_report,
    coder_vs_majority,
    compare_coder,
    compare_labels,
    krippendorff_alpha,
    majority_labels,
)
from upstream.coding.agreement.tables import TABLE_COLUMNS


def crowd(seed: int = 0, items: int = 120, coders: int = 7) -> list[tuple[str, str, str]]:
    """A crowd with a 'true' label per item, good and bad coders, and gaps."""
    rng = np.random.default_rng(seed)
    labels = np.array(["econ", "health", "housing", "none"])
    truth = rng.choice(len(labels), items, p=[0.4, 0.25, 0.15, 0.2])
    skill = np.linspace(0.95, 0.4, coders)
    records = []
    for item in range(items):
        for coder in range(coders):
            if rng.random() < 0.35:
                continue
            label = truth[item] if rng.random() < skill[coder] else rng.integers(len(labels))
            records.append((f"s{item}", f"c{coder}", str(labels[label])))
    return records


@pytest.mark.parametrize("seed", range(4))
def test_per_code_scores_match_sklearn(seed: int) -> None:
    rng = np.random.default_rng(seed)
    reference = rng.choice(["a", "b", "c", "d"], 150, p=[0.5, 0.3, 0.15, 0.05]).tolist()
    compared = [r if rng.random() < 0.7 else rng.choice(["a", "b", "c", "e"]) for r in reference]
    result = compare_labels(compared, reference)
    labels = list(result.labels)
    precision, recall, f1, support = precision_recall_fscore_support(
        reference, compared, labels=labels, zero_division=np.nan
    )
    for i, label in enumerate(labels):
        score = next(s for s in result.per_code if s.label == label)
        assert score.f1 == pytest.approx(f1[i], nan_ok=True)
        assert score.precision == pytest.approx(precision[i], nan_ok=True)
        assert score.recall == pytest.approx(recall[i], nan_ok=True)
        assert score.support == support[i]
    assert result.macro_f1 == pytest.approx(f1_score(reference, compared, average="macro"))
    assert result.micro_f1 == pytest.approx(f1_score(reference, compared, average="micro"))
    assert result.kappa == pytest.approx(cohen_kappa_score(reference, compared))
    np.testing.assert_array_equal(
        result.confusion, confusion_matrix(reference, compared, labels=labels)
    )


def test_a_code_never_predicted_has_undefined_precision_and_zero_f1() -> None:
    result = compare_labels(["a", "a", "a"], ["a", "b", "a"])
    b = next(s for s in result.per_code if s.label == "b")
    assert math.isnan(b.precision)
    assert (b.recall, b.f1, b.support, b.predicted) == (0.0, 0.0, 1, 0)


def test_compare_labels_rejects_unknown_labels() -> None:
    with pytest.raises(ValueError, match="'z' is not among the labels"):
        compare_labels(["a", "z"], ["a", "a"], labels=["a"])


def test_coder_vs_majority_of_others_matches_sklearn() -> None:
    records = crowd(1)
    rows = coder_vs_majority(Judgements.from_records(records))
    by_item: dict[str, dict[str, str]] = {}
    for item, coder, label in records:
        by_item.setdefault(item, {})[coder] = label
    for row in rows:
        mine, theirs = [], []
        tied = 0
        for labels in by_item.values():
            if row.coder not in labels:
                continue
            others = [label for coder, label in labels.items() if coder != row.coder]
            if not others:
                continue
            counts = {label: others.count(label) for label in set(others)}
            top = max(counts.values())
            winners = [label for label, n in counts.items() if n == top]
            if len(winners) > 1:
                tied += 1
                continue
            mine.append(labels[row.coder])
            theirs.append(winners[0])
        assert row.n_compared == len(mine)
        assert row.n_tied == tied
        assert row.kappa == pytest.approx(cohen_kappa_score(mine, theirs))
        assert row.percent_agreement == pytest.approx(np.mean(np.array(mine) == np.array(theirs)))


def test_compare_one_coder_with_gold_and_with_the_others() -> None:
    records = crowd(7)
    judgements = Judgements.from_records(records)
    gold = {f"s{i}": "econ" for i in range(0, 120, 2)}
    versus_gold = compare_coder(judgements, "c3", gold=gold)
    mine = {item: label for item, coder, label in records if coder == "c3"}
    pairs = [(mine[item], label) for item, label in gold.items() if item in mine]
    assert versus_gold.n == len(pairs)
    assert versus_gold.macro_f1 == pytest.approx(
        f1_score([g for _, g in pairs], [m for m, _ in pairs], average="macro")
    )
    versus_others = compare_coder(judgements, "c3")
    row = next(r for r in coder_vs_majority(judgements) if r.coder == "c3")
    assert (versus_others.n, versus_others.n_tied) == (row.n_compared, row.n_tied)
    assert versus_others.kappa == pytest.approx(row.kappa)


def test_coder_vs_gold_accepts_labels_nobody_used() -> None:
    records = [("a", "A", "x"), ("a", "B", "x"), ("b", "A", "y"), ("b", "B", "x")]
    rows = coder_vs_majority(Judgements.from_records(records), gold={"a": "x", "b": "z"})
    assert [(r.n_gold, r.gold_percent_agreement) for r in rows] == [(2, 0.5), (2, 0.5)]


def test_comparisons_count_tied_majorities() -> None:
    records = [("a", "A", "x"), ("a", "B", "y"), ("a", "C", "x"), ("b", "A", "x"), ("b", "B", "x")]
    report = agreement_report(records)
    pooled = report.comparison("humans vs majority of other humans")
    assert pooled is not None
    # On item a, A and C each see a tie (x vs y) among the others; B sees x, x.
    assert (pooled.n, pooled.n_tied) == (3, 2)


def test_better_coders_agree_more_with_the_majority() -> None:
    rows = coder_vs_majority(Judgements.from_records(crowd(2, items=400)))
    kappas = [row.kappa for row in sorted(rows, key=lambda r: str(r.coder))]
    assert kappas[0] > kappas[-1] + 0.3


def test_report_treats_the_machine_as_one_more_coder() -> None:
    records = crowd(3)
    human_only = agreement_report(records)
    machine = [(item, "bot", label) for item, coder, label in records if coder == "c0"]
    report = agreement_report([*records, *machine], machine_coder="bot", min_items=5)
    s = report.summary
    # Human figures are unchanged by the machine.
    assert s.krippendorff_alpha == pytest.approx(human_only.summary.krippendorff_alpha)
    assert s.fleiss_kappa == pytest.approx(human_only.summary.fleiss_kappa)
    assert s.n_coders == 7
    assert s.median_coder_kappa == pytest.approx(human_only.summary.median_coder_kappa)
    assert not math.isnan(s.alpha_with_machine)
    bot = next(c for c in report.coders if c.is_machine)
    assert bot.coder == "bot"
    assert s.machine_kappa == bot.kappa
    # The machine copies the best human, so it beats most humans.
    assert s.machine_rank > 0.5
    assert report.comparison("machine vs human majority") is not None
    assert report.comparison("machine vs gold") is None
    # Human pairs only in the median; the machine's pairs are still listed.
    assert any("bot" in (p.coder_a, p.coder_b) for p in report.pairwise)


def test_report_against_gold() -> None:
    records = crowd(4)
    gold = {f"s{i}": "econ" if i % 2 else "health" for i in range(0, 120, 3)}
    gold["unjudged"] = "econ"
    gold["s1"] = "brand-new-label"
    report = agreement_report(records, gold=gold, machine_coder="c0")
    assert "brand-new-label" in report.labels
    vs_gold = report.comparison("machine vs gold")
    assert vs_gold is not None
    c0 = next(c for c in report.coders if c.coder == "c0")
    assert vs_gold.n == c0.n_gold
    assert vs_gold.accuracy == pytest.approx(c0.gold_percent_agreement)
    assert vs_gold.kappa == pytest.approx(c0.gold_kappa)
    majority = report.comparison("human majority vs gold")
    assert majority is not None and majority.n == len(gold) - 1


def test_report_tables_have_the_documented_columns() -> None:
    report = agreement_report(crowd(5), gold={"s0": "econ"}, n_bootstrap=20)
    tables = report.to_tables()
    assert set(tables) == set(TABLE_COLUMNS)
    for name, rows in tables.items():
        assert rows, name
        assert tuple(rows[0]) == TABLE_COLUMNS[name]
    measures = {row["measure"]: row for row in tables["summary"]}
    alpha = measures["krippendorff_alpha"]
    assert alpha["value"] == report.summary.krippendorff_alpha
    assert alpha["ci_low"] <= alpha["value"] <= alpha["ci_high"]  # type: ignore[operator]


def test_bootstrap_is_seeded_and_optional() -> None:
    records = crowd(6)
    assert agreement_report(records).summary.intervals is None
    first = agreement_report(records, n_bootstrap=50, seed=1).summary.intervals
    again = agreement_report(records, n_bootstrap=50, seed=1).summary.intervals
    other = agreement_report(records, n_bootstrap=50, seed=2).summary.intervals
    assert first == again
    assert first != other
    assert first is not None
    low, high = first.krippendorff_alpha
    assert low < krippendorff_alpha(Judgements.from_records(records)) < high
    assert first.coder_kappa[0][0] < first.coder_kappa[0][1]


def test_report_with_one_coder_is_undefined_not_an_error() -> None:
    report = agreement_report([(i, "A", i % 2) for i in range(10)], gold={0: 0, 1: 0})
    s = report.summary
    assert math.isnan(s.krippendorff_alpha) and math.isnan(s.fleiss_kappa)
    assert s.n_pairs == 0 and s.n_coders_ranked == 0
    assert report.pairwise == ()
    assert report.coders[0].n_compared == 0
    assert report.to_tables()["pairwise_kappa"] == []


def test_report_without_judgements_says_so() -> None:
    with pytest.raises(ValueError, match=r"no judgements to compare \(2 rows lack"):
        agreement_report([("i", "A", None), ("i", None, "x")])
    assert majority_labels(Judgements.from_records([])) == []


def test_report_names_an_unknown_machine() -> None:
    with pytest.raises(ValueError, match="no judgements by coder 'robot'"):
        agreement_report([("i", "A", 1), ("i", "B", 1)], machine_coder="robot")
