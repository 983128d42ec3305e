"""The database-backed embedding cache on both engines."""

from __future__ import annotations

import numpy as np

from upstream.embed.cache import EmbeddingCache, text_hash
from upstream.store import Store
from upstream.store.embedding_store import StoreEmbeddingCache


def test_vectors_round_trip_per_workspace_and_model(db_url: str) -> None:
    with Store(db_url) as store:
        cache = StoreEmbeddingCache(store.workspace("A", create=True))
        other = StoreEmbeddingCache(store.workspace("B", create=True))
        assert isinstance(cache, EmbeddingCache)
        key = text_hash("Pooled budgets let us act quickly")
        vector = np.array([0.6, 0.8, 0.0], dtype=np.float32)
        cache.put_many("model-x", {key: vector})
        cache.put_many("model-x", {key: vector * 0})  # first value wins; no error
        got = cache.get_many("model-x", [key, text_hash("never stored")])
        assert list(got) == [key]
        np.testing.assert_array_equal(got[key], vector)
        assert cache.get_many("model-y", [key]) == {}
        assert other.get_many("model-x", [key]) == {}
        many = {text_hash(str(n)): np.full(3, n, dtype=np.float32) for n in range(1200)}
        cache.put_many("model-x", many)
        assert len(cache.get_many("model-x", list(many))) == 1200
