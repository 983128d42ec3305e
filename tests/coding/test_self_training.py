"""Zero-shot self-training: pseudo-labels per code, neighbours, and the refit."""

from __future__ import annotations

import numpy as np

from upstream.coding.calibration import softmax
from upstream.coding.self_training import (
    nearest_neighbours,
    neighbour_average,
    pseudo_labels,
    self_train,
    spread,
)


def test_pseudo_labels_take_each_codes_most_confident_share() -> None:
    probabilities = np.array(
        [
            [0.9, 0.1, 0.0],
            [0.6, 0.4, 0.0],
            [0.55, 0.45, 0.0],
            [0.2, 0.8, 0.0],
            [0.3, 0.2, 0.5],
        ]
    )
    targets = pseudo_labels(probabilities, 0.5, [True, True, True])
    # Code 0 has three items: the two most confident of them; codes 1 and 2 their one item.
    assert targets[:, 0].tolist() == [1.0, 1.0, 0.0, 0.0, 0.0]
    assert targets[:, 1].tolist() == [0.0, 0.0, 0.0, 1.0, 0.0]
    assert targets[:, 2].tolist() == [0.0, 0.0, 0.0, 0.0, 1.0]
    # A grouping code is never a pseudo-label: its items go to their next best code.
    grouped = pseudo_labels(probabilities, 1.0, [True, True, False])
    assert grouped[:, 2].sum() == 0 and grouped[4, 0] == 1.0


def test_nearest_neighbours_are_the_most_similar_other_items() -> None:
    vectors = np.array([[1.0, 0.0], [0.99, 0.14], [0.0, 1.0], [0.14, 0.99]], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    assert nearest_neighbours(vectors, 1, chunk=3).ravel().tolist() == [1, 0, 3, 2]
    assert nearest_neighbours(vectors[:1], 5).shape == (1, 0)


def test_self_training_learns_the_evidence_words_the_codebook_lacks() -> None:
    # Two codes. The codebook's feature (column 0 for code 0, column 1 for code 1)
    # is present in half the items; the evidence's own word for each code
    # (columns 2 and 3) is in every item, and a little noise tells items apart.
    # Learning from the confident items carries the codes over to the items the
    # codebook alone cannot tell apart.
    rng = np.random.default_rng(0)
    n = 300
    truth = np.arange(n) % 2
    design = np.zeros((n, 4), dtype=np.float32)
    knows = rng.random(n) < 1 / 2
    design[knows, truth[knows]] = 1.0
    design[np.arange(n), 2 + truth] = 1.0
    design += rng.normal(0.0, 0.02, size=design.shape).astype(np.float32)
    prototypes = np.array([[1, 0, 0, 0], [0, 1, 0, 0]], dtype=np.float32)

    def solve(rows: np.ndarray, targets: np.ndarray) -> np.ndarray:
        x = np.vstack([rows, prototypes]).astype(np.float64)
        y = np.vstack([targets, np.eye(2)])
        return np.linalg.solve(x.T @ x + 0.1 * np.eye(4), x.T @ y)

    initial = solve(np.zeros((0, 4), dtype=np.float32), np.zeros((0, 2)))
    before = (design @ initial).argmax(axis=1) == truth
    coef = self_train(
        design,
        lambda scores: softmax(scores, 0.1),
        solve,
        initial,
        [True, True],
        rounds=1,
        share=0.3,
        neighbours=nearest_neighbours(design / np.linalg.norm(design, axis=1)[:, None], 5),
    )
    after = (design @ coef).argmax(axis=1) == truth
    assert before.mean() < 0.8
    assert after.mean() > 0.95


def test_spreading_carries_agreement_along_a_chain_and_keeps_each_items_own_evidence() -> None:
    # A chain 0-1-2-3: only item 0 is sure; the others are undecided.
    probabilities = np.array([[1.0, 0.0], [0.5, 0.5], [0.5, 0.5], [0.5, 0.5]])
    neighbours = np.array([[1], [0], [1], [2]])
    spread_out = spread(probabilities, neighbours, 0.5, 5)
    np.testing.assert_allclose(spread_out.sum(axis=1), 1.0)
    # Agreement reaches the far end of the chain, fading with distance.
    assert spread_out[1, 0] > spread_out[2, 0] > spread_out[3, 0] > 0.5
    # The sure item keeps half its own evidence whatever its neighbour says.
    assert spread_out[0, 0] >= 0.75
    # With no neighbours nothing changes.
    assert spread(probabilities, neighbours[:, :0], 0.5, 5) is probabilities


def test_neighbour_average_uses_the_reference_not_the_other_items_coded() -> None:
    reference = np.array([[1.0, 0.0], [0.96, 0.28], [0.0, 1.0], [0.28, 0.96]], dtype=np.float32)
    reference_probabilities = np.array(
        [[0.9, 0.1], [0.7, 0.3], [0.2, 0.8], [0.0, 1.0]], dtype=np.float32
    )
    items = np.array([[0.9, 0.436], [0.436, 0.9], [1.0, 0.0]], dtype=np.float32)
    together = neighbour_average(items, reference, reference_probabilities, 2, chunk=2)
    alone = np.vstack(
        [
            neighbour_average(items[i : i + 1], reference, reference_probabilities, 2)
            for i in range(3)
        ]
    )
    np.testing.assert_allclose(together, alone)
    # (0.9, 0.436) is nearest reference items 1 and 0; (0.436, 0.9) items 3 and 2.
    np.testing.assert_allclose(together[0], [0.8, 0.2], atol=1e-6)
    np.testing.assert_allclose(together[1], [0.1, 0.9], atol=1e-6)
    # An item with the same text as a reference item is not its own neighbour:
    # (1, 0) is reference item 0, so its neighbours are items 1 and 3.
    np.testing.assert_allclose(together[2], [0.35, 0.65], atol=1e-6)
