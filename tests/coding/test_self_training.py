"""Zero-shot self-training: pseudo-labels per code, neighbours, and the refit."""

from __future__ import annotations

import numpy as np

from upstream.coding.calibration import softmax
from upstream.coding.self_training import nearest_neighbours, pseudo_labels, self_train


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
