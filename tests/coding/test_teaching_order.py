"""The review queue's teaching order and the head retrained on decisions."""

from __future__ import annotations

import numpy as np
import pytest

from upstream.coding.active import teaching_order
from upstream.coding.incremental import IncrementalHead, cross_validated_quality


def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_uncertain_items_come_first_without_vectors_or_counts() -> None:
    probabilities = [[0.9, 0.1], [0.55, 0.45], [0.5, 0.5], [0.7, 0.3]]
    assert teaching_order(probabilities) == [2, 1, 3, 0]
    assert teaching_order(np.zeros((0, 3))) == []


def test_near_duplicates_are_not_asked_in_one_batch() -> None:
    # Items 0 and 1 are the same sentence and the most uncertain; 2 is nearly as
    # uncertain and unlike them, so it is asked before the duplicate.
    probabilities = np.array([[0.5, 0.5], [0.5, 0.5], [0.52, 0.48], [0.9, 0.1]])
    vectors = _unit(np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0, 0, 1.0]]))
    order = teaching_order(probabilities, vectors, batch=2)
    assert order[:2] == [0, 2]
    assert sorted(order) == [0, 1, 2, 3]
    # Without the diversity term the duplicate comes second.
    assert teaching_order(probabilities, vectors, batch=2, redundancy_weight=0)[:2] == [0, 1]


def test_codes_with_few_decisions_are_asked_about_first() -> None:
    # Equally uncertain items; item 1 probably belongs to code 2, which has no decisions yet.
    probabilities = np.array([[0.45, 0.45, 0.10], [0.10, 0.45, 0.45]])
    counts = np.array([30.0, 30.0, 0.0])
    assert teaching_order(probabilities, label_counts=counts) == [1, 0]
    assert teaching_order(probabilities, label_counts=np.zeros(3)) == [0, 1]


def test_teaching_order_checks_shapes() -> None:
    with pytest.raises(ValueError, match="one count per code"):
        teaching_order([[0.5, 0.5]], label_counts=[1.0])
    with pytest.raises(ValueError, match="one row per item"):
        teaching_order([[0.5, 0.5], [0.6, 0.4]], np.ones((1, 2)), batch=2)


def _clusters(n_per: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Three codes whose items lie around three directions, with noise."""
    rng = np.random.default_rng(seed)
    centres = np.eye(3, 8) * 3.0
    labels = np.repeat(np.arange(3), n_per)
    vectors = centres[labels] + rng.normal(size=(len(labels), 8))
    return _unit(vectors).astype(np.float32), labels


def test_head_learns_from_decisions_and_beats_the_codebook_alone() -> None:
    vectors, labels = _clusters(40)
    # The codebook's texts point only roughly at the right directions.
    prototypes = _unit(np.eye(3, 8) + 0.8 * np.eye(3, 8, k=1)).astype(np.float32)
    owner = np.arange(3)
    codebook_only = IncrementalHead(prototypes, owner, 3)
    before = (codebook_only.predict_proba(vectors).argmax(axis=1) == labels).mean()
    taught = np.arange(0, len(labels), 4)  # 30 decisions
    head = IncrementalHead(prototypes, owner, 3).fit(vectors[taught], labels[taught])
    rest = np.setdiff1d(np.arange(len(labels)), taught)
    after = (head.predict_proba(vectors[rest]).argmax(axis=1) == labels[rest]).mean()
    assert after > before
    assert after >= 0.9
    probabilities = head.predict_proba(vectors[rest])
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0)
    assert head.n_labelled_ == 30


def test_refitting_is_fast_and_uses_every_decision_so_far() -> None:
    import time

    vectors, labels = _clusters(400)
    prototypes = _unit(np.eye(3, 8)).astype(np.float32)
    head = IncrementalHead(prototypes, np.arange(3), 3)
    started = time.perf_counter()
    for n in range(10, 1201, 10):
        head.fit(vectors[:n], labels[:n])
    assert head.n_labelled_ == 1200
    assert time.perf_counter() - started < 10  # 120 refits of a small head


def test_cross_validated_quality_checks_decisions_the_head_did_not_learn_from() -> None:
    vectors, labels = _clusters(30, seed=1)
    prototypes = _unit(np.eye(3, 8)).astype(np.float32)
    prior = 2.0 * vectors.astype(np.float64) @ prototypes.T.astype(np.float64)
    quality = cross_validated_quality(
        IncrementalHead(prototypes, np.arange(3), 3), vectors, labels, 0.5, prior
    )
    assert quality.decisions == 90
    assert quality.accuracy >= 0.85
    assert quality.precision is not None and quality.precision >= quality.accuracy - 0.05
    assert 0.0 < quality.coded <= 1.0
    # Scrambled decisions cannot be learned: held-out accuracy falls to chance.
    scrambled = np.random.default_rng(0).permutation(labels)
    noise = cross_validated_quality(
        IncrementalHead(prototypes, np.arange(3), 3), vectors, scrambled, 0.5
    )
    assert noise.accuracy < 0.5
