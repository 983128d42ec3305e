"""The review queue's teaching order and the head retrained on decisions."""

from __future__ import annotations

import numpy as np
import pytest

from upstream.coding.active import teaching_order
from upstream.coding.incremental import IncrementalHead, cross_validated_quality
from upstream.coding.typical import typical_batch


def _unit(rows: np.ndarray) -> np.ndarray:
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def test_uncertain_items_come_first_without_vectors_or_counts() -> None:
    probabilities = [[0.9, 0.1], [0.55, 0.45], [0.5, 0.5], [0.7, 0.3]]
    assert teaching_order(probabilities) == [2, 1, 3, 0]
    assert teaching_order(np.zeros((0, 3))) == []


def test_near_duplicates_are_not_asked_in_one_batch() -> None:
    # Items 0 and 1 are the same sentence and the most uncertain: the first is
    # asked first, and its copy never in the same batch.
    probabilities = np.array([[0.5, 0.5], [0.5, 0.5], [0.52, 0.48], [0.9, 0.1]])
    vectors = _unit(np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0, 0, 1.0]]))
    seconds = set()
    for seed in range(20):
        order = teaching_order(probabilities, vectors, batch=2, seed=seed)
        assert order[0] == 0
        seconds.add(order[1])
        assert sorted(order) == [0, 1, 2, 3]
        # After the batch, the rest by uncertainty.
        assert [i for i in order[2:]] == [i for i in [1, 2, 3] if i != order[1]]
    assert 1 not in seconds


def test_a_batch_is_uncertain_and_spread_over_distinct_items() -> None:
    # 300 items in six groups of identical sentences; the coder is sure about
    # groups 0-2 and unsure about groups 3-5.
    rng = np.random.default_rng(1)
    group = np.repeat(np.arange(6), 50)
    vectors = _unit(rng.normal(size=(6, 16)))[group]
    sure = np.array([0.96, 0.02, 0.02])
    unsure = np.array([0.4, 0.35, 0.25])
    probabilities = np.where((group < 3)[:, None], sure, unsure)
    picked = []
    for seed in range(50):
        chosen = teaching_order(probabilities, vectors, np.full(3, 50), batch=3, seed=seed)[:3]
        # Never two copies of one sentence in a batch; the most uncertain first.
        assert len(set(group[chosen])) == 3
        assert group[chosen[0]] >= 3
        picked += list(group[chosen])
    # Half the items are uncertain; well over half of those asked are.
    assert np.mean(np.array(picked) >= 3) >= 0.6


def test_the_same_seed_gives_the_same_order() -> None:
    rng = np.random.default_rng(0)
    probabilities = rng.dirichlet(np.ones(5), size=500)
    vectors = _unit(rng.normal(size=(500, 12)))
    counts = np.full(5, 40)
    first = teaching_order(probabilities, vectors, counts, batch=10, seed=7)
    assert first == teaching_order(probabilities, vectors, counts, batch=10, seed=7)
    assert sorted(first) == list(range(500))
    assert len(set(first[:10])) == 10
    others = {
        tuple(teaching_order(probabilities, vectors, batch=10, seed=s)[:10]) for s in range(5)
    }
    assert len(others) > 1  # the seed matters


def test_a_long_queue_is_sampled_with_the_seed() -> None:
    rng = np.random.default_rng(2)
    probabilities = rng.dirichlet(np.ones(4), size=3000)
    vectors = _unit(rng.normal(size=(3000, 8)))
    order = teaching_order(probabilities, vectors, batch=10, seed=3, max_candidates=200)
    assert order == teaching_order(probabilities, vectors, batch=10, seed=3, max_candidates=200)
    assert len(set(order[:10])) == 10
    assert sorted(order) == list(range(3000))


def _blobs(seed: int = 4) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Three tight groups of 40 texts, far apart."""
    rng = np.random.default_rng(seed)
    centres = np.array([[4.0, 0.0], [0.0, 4.0], [-4.0, 0.0]])
    group = np.repeat(np.arange(3), 40)
    return centres[group] + 0.3 * rng.normal(size=(120, 2)), group, centres


def test_before_any_decision_the_batch_is_typical_and_varied() -> None:
    # The coder's guesses are left out before anyone has decided: one typical
    # item from each group, near its middle rather than at its edge.
    vectors, group, centres = _blobs()
    probabilities = np.tile([0.5, 0.5], (120, 1))
    spread = np.linalg.norm(vectors - centres[group], axis=1)
    for seed in range(5):
        chosen = teaching_order(probabilities, vectors, np.zeros(2), batch=3, seed=seed)[:3]
        assert sorted(group[chosen]) == [0, 1, 2]
        assert (spread[chosen] < np.median(spread)).all()


def test_with_few_decisions_the_batch_goes_where_nobody_has_decided() -> None:
    vectors, group, _ = _blobs()
    probabilities = np.tile([0.5, 0.5], (120, 1))
    decided = vectors[group == 0][:2]
    rest = np.flatnonzero(~np.isin(np.arange(120), np.flatnonzero(group == 0)[:2]))
    counts = np.array([2.0, 0.0])
    for seed in range(5):
        chosen = teaching_order(
            probabilities[rest], vectors[rest], counts, batch=2, decided_vectors=decided, seed=seed
        )[:2]
        assert sorted(group[rest[chosen]]) == [1, 2]
    # From 100 decisions on, the coder's own uncertainty leads instead: the one
    # item it is unsure about comes first, though its group has decisions.
    sure = np.tile([0.9, 0.1], (len(rest), 1))
    sure[5] = [0.5, 0.5]
    later = np.array([60.0, 40.0])
    assert teaching_order(sure, vectors[rest], later, batch=2, decided_vectors=decided)[0] == 5
    assert group[rest[5]] == 0


def test_typical_batch_copes_with_small_and_tiny_groups() -> None:
    rng = np.random.default_rng(5)
    vectors = rng.normal(size=(8, 3))
    assert sorted(typical_batch(vectors, None, 8)) == list(range(8))
    decided = rng.normal(size=(4, 3))
    chosen = typical_batch(vectors, decided, 6, seed=1)
    assert len(set(chosen)) == 6 and all(0 <= i < 8 for i in chosen)
    assert chosen == typical_batch(vectors, decided, 6, seed=1)
    with pytest.raises(ValueError, match="as many columns"):
        typical_batch(vectors, np.ones((2, 4)), 2)


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
