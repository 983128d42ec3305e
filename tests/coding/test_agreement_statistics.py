"""Agreement statistics checked against established implementations and textbook examples."""

from __future__ import annotations

import math
from collections.abc import Hashable

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa as statsmodels_fleiss

from upstream.coding.agreement import (
    Judgements,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    pairwise_agreement,
    percent_agreement,
)

Record = tuple[Hashable, Hashable, Hashable]


def from_matrix(matrix: np.ndarray) -> Judgements:
    """Coders × items matrix with NaN for 'not coded' → judgements."""
    records = [
        (item, coder, matrix[coder, item])
        for coder in range(matrix.shape[0])
        for item in range(matrix.shape[1])
        if not math.isnan(matrix[coder, item])
    ]
    return Judgements.from_records(records)


def random_design(seed: int, coders: int, items: int, labels: int, missing: float) -> np.ndarray:
    """Correlated random labels: each item has a 'true' label that coders mostly follow."""
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, labels, items)
    noise = rng.integers(0, labels, (coders, items))
    follow = rng.random((coders, items)) < 0.7
    matrix = np.where(follow, truth, noise).astype(float)
    matrix[rng.random((coders, items)) < missing] = np.nan
    return matrix


# Krippendorff (2011), "Computing Krippendorff's alpha-reliability", nominal example.
KRIPPENDORFF_2011 = np.array(
    [
        [1, 2, 3, 3, 2, 1, 4, 1, 2, np.nan, np.nan, np.nan],
        [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, np.nan, 3],
        [np.nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, np.nan],
        [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, np.nan],
    ]
)

# Fleiss (1971) as reproduced on Wikipedia: 10 subjects, 14 raters, 5 categories.
FLEISS_TABLE = np.array(
    [
        [0, 0, 0, 0, 14],
        [0, 2, 6, 4, 2],
        [0, 0, 3, 5, 6],
        [0, 3, 9, 2, 0],
        [2, 2, 8, 1, 1],
        [7, 7, 0, 0, 0],
        [3, 2, 6, 3, 0],
        [2, 5, 3, 2, 2],
        [6, 5, 2, 1, 0],
        [0, 2, 2, 3, 7],
    ]
)


def from_count_table(table: np.ndarray) -> Judgements:
    """Items × categories counts → judgements with anonymous coders per item."""
    records: list[Record] = []
    for item, row in enumerate(table):
        rater = 0
        for label, count in enumerate(row):
            for _ in range(int(count)):
                records.append((item, rater, label))
                rater += 1
    return Judgements.from_records(records)


def test_krippendorff_textbook_example() -> None:
    assert krippendorff_alpha(from_matrix(KRIPPENDORFF_2011)) == pytest.approx(0.743, abs=5e-4)


def test_fleiss_textbook_example() -> None:
    assert fleiss_kappa(from_count_table(FLEISS_TABLE)) == pytest.approx(0.210, abs=5e-4)


def test_cohen_textbook_example() -> None:
    # Wikipedia: 50 proposals, yes/yes 20, yes/no 5, no/yes 10, no/no 15 → κ = 0.4.
    first = ["yes"] * 25 + ["no"] * 25
    second = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert cohen_kappa(first, second) == pytest.approx(0.4)


@pytest.mark.parametrize("seed", range(6))
def test_alpha_matches_krippendorff_package_with_missing_data(seed: int) -> None:
    matrix = random_design(
        seed, coders=2 + seed, items=40 + 10 * seed, labels=2 + seed % 4, missing=0.3
    )
    expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal")
    assert krippendorff_alpha(from_matrix(matrix)) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize("seed", range(6))
def test_fleiss_matches_statsmodels_with_equal_coders(seed: int) -> None:
    matrix = random_design(seed, coders=3 + seed, items=50, labels=2 + seed % 3, missing=0.0)
    judgements = from_matrix(matrix)
    table = judgements.counts()
    assert fleiss_kappa(judgements) == pytest.approx(statsmodels_fleiss(table), abs=1e-12)


def gwet_generalised_fleiss(matrix: np.ndarray) -> tuple[float, float]:
    """Straightforward loops over Gwet's formulas: (percent agreement, κ)."""
    labels = sorted({v for v in matrix.ravel() if not math.isnan(v)})
    rows = []
    for item in range(matrix.shape[1]):
        values = [v for v in matrix[:, item] if not math.isnan(v)]
        if len(values) >= 2:
            rows.append([values.count(label) for label in labels])
    agreement = sum(
        sum(c * (c - 1) for c in row) / (sum(row) * (sum(row) - 1)) for row in rows
    ) / len(rows)
    shares = [sum(row[k] / sum(row) for row in rows) / len(rows) for k in range(len(labels))]
    chance = sum(p * p for p in shares)
    return agreement, (agreement - chance) / (1 - chance)


@pytest.mark.parametrize("seed", range(4))
def test_fleiss_with_varying_coders_follows_gwet(seed: int) -> None:
    matrix = random_design(seed, coders=6, items=60, labels=3, missing=0.4)
    judgements = from_matrix(matrix)
    agreement, kappa = gwet_generalised_fleiss(matrix)
    assert percent_agreement(judgements) == pytest.approx(agreement, abs=1e-12)
    assert fleiss_kappa(judgements) == pytest.approx(kappa, abs=1e-12)


@pytest.mark.parametrize("seed", range(5))
def test_pairwise_kappa_matches_sklearn_on_shared_items(seed: int) -> None:
    matrix = random_design(seed, coders=5, items=80, labels=3, missing=0.35)
    pairs = {(p.coder_a, p.coder_b): p for p in pairwise_agreement(from_matrix(matrix))}
    assert len(pairs) == 10
    for (a, b), pair in pairs.items():
        shared = ~np.isnan(matrix[a]) & ~np.isnan(matrix[b])
        assert pair.n_items == shared.sum()
        expected = cohen_kappa_score(matrix[a, shared], matrix[b, shared])
        assert pair.kappa == pytest.approx(expected, abs=1e-12)
        assert pair.percent_agreement == pytest.approx(
            np.mean(matrix[a, shared] == matrix[b, shared])
        )


def test_cohen_kappa_matches_sklearn() -> None:
    rng = np.random.default_rng(3)
    first = rng.choice(["a", "b", "c"], 200).tolist()
    second = [x if rng.random() < 0.6 else "c" for x in first]
    assert cohen_kappa(first, second) == pytest.approx(cohen_kappa_score(first, second))


def test_min_items_leaves_out_sparse_pairs() -> None:
    records = [(i, "A", i % 2) for i in range(10)] + [(i, "B", i % 2) for i in range(10)]
    records += [(0, "C", 0), (1, "C", 1)]
    pairs = pairwise_agreement(Judgements.from_records(records), min_items=5)
    assert [(p.coder_a, p.coder_b) for p in pairs] == [("A", "B")]


def test_perfect_agreement_is_one() -> None:
    records = [(item, coder, item % 3) for item in range(12) for coder in "ABC"]
    judgements = Judgements.from_records(records)
    assert krippendorff_alpha(judgements) == 1.0
    assert fleiss_kappa(judgements) == 1.0
    assert percent_agreement(judgements) == 1.0
    assert {p.kappa for p in pairwise_agreement(judgements)} == {1.0}


def test_one_coder_has_nothing_to_compare() -> None:
    judgements = Judgements.from_records([(item, "A", item % 2) for item in range(5)])
    assert math.isnan(krippendorff_alpha(judgements))
    assert math.isnan(fleiss_kappa(judgements))
    assert math.isnan(percent_agreement(judgements))
    assert pairwise_agreement(judgements) == []


def test_a_single_category_is_undefined_not_perfect() -> None:
    judgements = Judgements.from_records([(i, c, "x") for i in range(5) for c in "AB"])
    assert percent_agreement(judgements) == 1.0
    assert math.isnan(krippendorff_alpha(judgements))
    assert math.isnan(fleiss_kappa(judgements))
    assert math.isnan(pairwise_agreement(judgements)[0].kappa)
    assert math.isnan(cohen_kappa(["x", "x"], ["x", "x"]))


def test_items_with_one_rating_change_nothing() -> None:
    matrix = random_design(11, coders=4, items=30, labels=3, missing=0.2)
    base = from_matrix(matrix)
    lonely = Judgements.from_records(
        [
            *zip(
                [base.item_names[i] for i in base.items],
                [base.coder_names[c] for c in base.coders],
                [base.label_names[k] for k in base.labels],
                strict=True,
            ),
            ("only-once-1", 0, 1.0),
            ("only-once-2", 2, 0.0),
        ]
    )
    assert krippendorff_alpha(lonely) == pytest.approx(krippendorff_alpha(base))
    assert fleiss_kappa(lonely) == pytest.approx(fleiss_kappa(base))
    assert percent_agreement(lonely) == pytest.approx(percent_agreement(base))


def test_cohen_kappa_rejects_unequal_lengths() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        cohen_kappa(["a"], ["a", "b"])
