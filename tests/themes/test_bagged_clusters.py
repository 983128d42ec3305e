"""Bagged Ward starts: deterministic, independent of row order, steadier on subsamples."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from upstream.embed.base import normalise_rows
from upstream.themes.cluster import WardKMeans, content_order


def _subsample_agreement(vectors: np.ndarray, bags: int, k: int) -> float:
    """Mean ARI between clusterings of three 90% subsamples, on the items both saw."""
    n = len(vectors)
    runs = []
    for seed in (100, 101, 102):
        index = np.sort(np.random.default_rng(seed).choice(n, int(0.9 * n), replace=False))
        labels = np.full(n, -1)
        labels[index] = WardKMeans(n_clusters=k, min_size=3, bags=bags).fit(vectors[index]).labels_
        runs.append(labels)
    scores = []
    for i in range(len(runs)):
        for j in range(i + 1, len(runs)):
            both = (runs[i] >= 0) & (runs[j] >= 0)
            scores.append(adjusted_rand_score(runs[i][both], runs[j][both]))
    return float(np.mean(scores))


def test_a_salt_gives_another_order_still_independent_of_row_order(reply_vectors):
    plain = content_order(reply_vectors)
    salted = content_order(reply_vectors, salt=3)
    assert sorted(salted.tolist()) == list(range(len(reply_vectors)))
    assert not np.array_equal(plain, salted)
    order = np.random.default_rng(1).permutation(len(reply_vectors))
    shuffled = content_order(reply_vectors[order], salt=3)
    assert np.array_equal(order[shuffled], salted)


def test_bagged_clusters_are_the_same_every_time_and_whatever_the_row_order(reply_vectors):
    one = WardKMeans(n_clusters=8, bags=8).fit(reply_vectors)
    again = WardKMeans(n_clusters=8, bags=8).fit(reply_vectors)
    assert np.array_equal(one.labels_, again.labels_)
    order = np.random.default_rng(0).permutation(len(reply_vectors))
    shuffled = WardKMeans(n_clusters=8, bags=8).fit(reply_vectors[order])
    back = np.empty_like(shuffled.labels_)
    back[order] = shuffled.labels_
    assert adjusted_rand_score(one.labels_, back) == pytest.approx(1.0)


def test_bagging_makes_themes_steadier_when_some_evidence_comes_or_goes():
    # Thirty overlapping blobs cut into ten clusters: many partitions are about
    # as good as each other, as with sentence embeddings, so one tree's choice
    # depends on which items are in its sample. Bagging helps on average, not on
    # every data set, so the test averages over six.
    single, bagged = [], []
    for seed in range(6):
        rng = np.random.default_rng(seed)
        centres = rng.normal(size=(30, 32))
        points = centres[rng.integers(0, 30, 800)] + rng.normal(scale=0.8, size=(800, 32))
        vectors = normalise_rows(points.astype(np.float32))
        single.append(_subsample_agreement(vectors, bags=1, k=10))
        bagged.append(_subsample_agreement(vectors, bags=32, k=10))
    assert np.mean(bagged) >= np.mean(single) + 0.02
