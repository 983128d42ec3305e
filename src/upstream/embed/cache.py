"""Caching embeddings by (model id, sha256 of the text).

Embedding is the slow step of coding, and the same evidence is coded many times
(new codebooks, new thresholds, re-runs). :class:`CachedEmbedder` wraps any
:class:`~upstream.embed.base.Embedder` and asks an :class:`EmbeddingCache` first;
only texts it has never seen under that model id reach the inner embedder. The
store provides a database-backed cache with the same two methods.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from upstream.embed.base import Embedder, Vectors

__all__ = ["CachedEmbedder", "EmbeddingCache", "InMemoryCache", "text_hash"]


def text_hash(text: str) -> str:
    """Return the cache key of a text: the hex sha256 of its UTF-8 bytes.

    Args:
        text: The text exactly as embedded (no normalisation: different text
            may embed differently).

    Returns:
        64 lowercase hex characters.
    """
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@runtime_checkable
class EmbeddingCache(Protocol):
    """Where vectors are kept between runs, keyed by model id and text hash."""

    def get_many(
        self, model_id: str, hashes: Sequence[str]
    ) -> Mapping[str, npt.NDArray[np.float32]]:
        """Return the stored vectors for those hashes that are present.

        Args:
            model_id: The embedder's ``model_id``.
            hashes: Text hashes from :func:`text_hash`.

        Returns:
            A mapping from hash to vector; missing hashes are simply absent.
        """
        ...

    def put_many(self, model_id: str, vectors: Mapping[str, npt.NDArray[np.float32]]) -> None:
        """Store vectors under a model id.

        Args:
            model_id: The embedder's ``model_id``.
            vectors: A mapping from text hash to vector.
        """
        ...


class InMemoryCache:
    """An :class:`EmbeddingCache` held in a dictionary, for one process.

    Attributes:
        hits: Number of vectors served from the cache so far.
        misses: Number of hashes asked for and not found.
    """

    def __init__(self) -> None:
        self._store: dict[tuple[str, str], npt.NDArray[np.float32]] = {}
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._store)

    def get_many(self, model_id: str, hashes: Sequence[str]) -> dict[str, npt.NDArray[np.float32]]:
        """Return the stored vectors for those hashes that are present.

        Args:
            model_id: The embedder's ``model_id``.
            hashes: Text hashes from :func:`text_hash`.

        Returns:
            A mapping from hash to vector for the hashes found.
        """
        found = {h: self._store[(model_id, h)] for h in hashes if (model_id, h) in self._store}
        self.hits += len(found)
        self.misses += len(hashes) - len(found)
        return found

    def put_many(self, model_id: str, vectors: Mapping[str, npt.NDArray[np.float32]]) -> None:
        """Store vectors under a model id.

        Args:
            model_id: The embedder's ``model_id``.
            vectors: A mapping from text hash to vector.
        """
        for key, vector in vectors.items():
            # Copy so that later changes to the caller's array cannot alter the cache.
            self._store[(model_id, key)] = np.array(vector, dtype=np.float32, copy=True)


class CachedEmbedder:
    """An embedder that looks vectors up in a cache before computing them.

    Args:
        inner: The embedder that computes missing vectors.
        cache: Where vectors are looked up and stored.

    Attributes:
        model_id: The inner embedder's ``model_id`` (read at each call, so a
            re-fitted TF-IDF embedder gets a fresh key space).
        dim: The inner embedder's ``dim``.
    """

    def __init__(self, inner: Embedder, cache: EmbeddingCache) -> None:
        self.inner = inner
        self.cache = cache

    def __getstate__(self) -> dict[str, Any]:
        # A cache belongs to its process (a store cache holds a database connection):
        # a copy sent to another process keeps its vectors in memory there.
        return {"inner": self.inner, "cache": InMemoryCache()}

    @property
    def model_id(self) -> str:
        """The inner embedder's model id."""
        return self.inner.model_id

    @property
    def dim(self) -> int:
        """The inner embedder's vector length."""
        return self.inner.dim

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Embed texts, computing only those the cache does not hold.

        Args:
            texts: The texts, in order; repeats are embedded once.

        Returns:
            A ``(len(texts), dim)`` float32 array, identical to what the inner
            embedder returns.
        """
        model_id = self.model_id
        hashes = [text_hash(text) for text in texts]
        unique = list(dict.fromkeys(hashes))
        found = dict(self.cache.get_many(model_id, unique))
        missing = [h for h in unique if h not in found]
        if missing:
            first_text = dict(zip(hashes, texts, strict=True))
            computed = self.inner.embed([first_text[h] for h in missing])
            fresh = {h: computed[i] for i, h in enumerate(missing)}
            self.cache.put_many(model_id, fresh)
            found.update(fresh)
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, key in enumerate(hashes):
            out[row] = found[key]
        return out
