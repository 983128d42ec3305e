"""Lexical embedders: TF-IDF with LSA, and feature hashing. No model weights at all.

:class:`TfidfEmbedder` must be *fitted* before use, because TF-IDF weights and
the LSA projection are learned from a corpus. Fit it on all the text that will
be compared: for zero-shot coding, the codebook's titles, definitions and
examples *plus* the evidence being coded, so that words which occur in the
evidence but not in the codebook still shape the space, and words common to
every reply get low weight. Its ``model_id`` includes a digest of the fitted
vocabulary, so vectors from different fits never share a cache entry.

:class:`HashingEmbedder` needs no fitting: word and character n-grams are hashed
and projected to a fixed size with a seeded random projection. It is the light
fallback when nothing else is installed and no corpus is at hand.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import (  # type: ignore[import-untyped]
    HashingVectorizer,
    TfidfVectorizer,
)
from sklearn.random_projection import SparseRandomProjection  # type: ignore[import-untyped]

from upstream.embed.base import Vectors, normalise_rows

__all__ = ["HashingEmbedder", "TfidfEmbedder", "make_tfidf_vectorizer"]

_HASH_FEATURES = 2**17
_SVD_ROWS = 5000


def make_tfidf_vectorizer(max_features: int | None = 50_000) -> Any:
    """Return the TF-IDF settings shared by the embedder and the coder.

    Word unigrams and bigrams with sublinear term frequency measured best on the
    manifesto benchmark; English stop words are kept because short phrases such
    as "not enough" carry the meaning of many replies.

    Args:
        max_features: Keep at most this many n-grams (the most frequent).

    Returns:
        An unfitted :class:`sklearn.feature_extraction.text.TfidfVectorizer`.
    """
    return TfidfVectorizer(
        sublinear_tf=True,
        ngram_range=(1, 2),
        min_df=1,
        max_features=max_features,
        strip_accents=None,  # accents are rare in English evidence; stripping cost 35% of speed
        dtype=np.float32,
    )


class TfidfEmbedder:
    """TF-IDF vectors reduced by LSA (truncated SVD) to dense, normalised rows.

    Args:
        dim: Number of LSA components (fewer if the corpus is too small).
        seed: Seed of the randomised SVD, for deterministic vectors.

    Attributes:
        model_id: ``tfidf-lsa<dim>:<digest>`` once fitted.
        dim: Length of the vectors once fitted.
        vectorizer_: The fitted TF-IDF vectoriser.
    """

    def __init__(self, dim: int = 256, seed: int = 0) -> None:
        self.requested_dim = dim
        self.seed = seed
        self.dim = 0
        self.model_id = "tfidf-lsa:unfitted"
        self.vectorizer_: Any = None
        self._svd: Any = None

    def fit(self, corpus: Sequence[str]) -> TfidfEmbedder:
        """Learn vocabulary, IDF weights and the LSA projection from a corpus.

        Args:
            corpus: Every text the vectors will be compared across (for
                zero-shot coding: codebook text plus the evidence).

        Returns:
            The fitted embedder itself.

        Raises:
            ValueError: If the corpus has no words at all.
        """
        texts = list(corpus)
        self.vectorizer_ = make_tfidf_vectorizer().fit(texts)
        matrix = self.vectorizer_.transform(texts)
        # TruncatedSVD needs n_components < n_features; tiny corpora get fewer.
        components = max(1, min(self.requested_dim, matrix.shape[1] - 1, len(texts) - 1))
        if components >= 2:
            self._svd = TruncatedSVD(n_components=components, n_iter=4, random_state=self.seed)
            # The projection is learned from a seeded sample of at most
            # _SVD_ROWS texts: the basis barely changes beyond that, and the
            # SVD is the slowest step of fitting (25 s for 13,000 texts).
            rows = np.random.default_rng(self.seed).permutation(matrix.shape[0])[:_SVD_ROWS]
            self._svd.fit(matrix[np.sort(rows)])
            self.dim = components
        else:
            self._svd = None
            self.dim = matrix.shape[1]
        vocabulary = "\n".join(sorted(self.vectorizer_.vocabulary_))
        digest = hashlib.sha256(vocabulary.encode("utf-8")).hexdigest()[:12]
        self.model_id = f"tfidf-lsa{self.dim}:{digest}:{len(texts)}"
        return self

    def transform_sparse(self, texts: Sequence[str]) -> Any:
        """Return the sparse TF-IDF rows (before LSA) for texts.

        Args:
            texts: The texts to vectorise.

        Returns:
            A SciPy CSR matrix with one L2-normalised row per text.

        Raises:
            RuntimeError: If the embedder has not been fitted.
        """
        if self.vectorizer_ is None:
            raise RuntimeError("TfidfEmbedder must be fitted on a corpus before use")
        items = list(texts)
        if not items:  # scikit-learn refuses zero rows
            return sp.csr_matrix(np.zeros((0, len(self.vectorizer_.vocabulary_)), np.float32))
        return self.vectorizer_.transform(items)

    def term_weights(self, weights: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Map weights on the LSA dimensions back onto the vocabulary.

        A linear model on LSA vectors is a linear model on TF-IDF terms too, so
        its weights can be read as "how much each word pushes towards a code".

        Args:
            weights: ``(dim, k)`` weights on the LSA dimensions.

        Returns:
            ``(vocabulary size, k)`` weights on the terms.
        """
        if self._svd is None:
            return np.asarray(weights, dtype=np.float64)
        return np.asarray(self._svd.components_.T @ weights, dtype=np.float64)

    def vocabulary(self) -> npt.NDArray[np.str_]:
        """Return the term of each TF-IDF column.

        Returns:
            The fitted vocabulary in column order.
        """
        if self.vectorizer_ is None:
            raise RuntimeError("TfidfEmbedder must be fitted on a corpus before use")
        return np.asarray(self.vectorizer_.get_feature_names_out(), dtype=np.str_)

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Embed texts in the fitted LSA space.

        Args:
            texts: The texts to embed.

        Returns:
            A ``(len(texts), dim)`` float32 array of unit rows (zero rows for
            texts with no known words).
        """
        return self.project(self.transform_sparse(texts))

    def project(self, matrix: Any) -> Vectors:
        """Project sparse TF-IDF rows (from :meth:`transform_sparse`) into the LSA space.

        Args:
            matrix: Sparse TF-IDF rows.

        Returns:
            One float32 unit row per input row.
        """
        if matrix.shape[0] == 0:
            return np.zeros((0, self.dim), dtype=np.float32)
        dense = self._svd.transform(matrix) if self._svd is not None else matrix.toarray()
        return normalise_rows(dense)


class HashingEmbedder:
    """Hashed word and character n-grams, randomly projected to ``dim`` dimensions.

    Args:
        dim: Length of the vectors.
        seed: Seed of the random projection; part of ``model_id``.

    Attributes:
        model_id: ``hashing-<dim>-<seed>``.
        dim: Length of the vectors.
    """

    def __init__(self, dim: int = 512, seed: int = 0) -> None:
        self.dim = dim
        self.seed = seed
        self.model_id = f"hashing-{dim}-{seed}"
        common = {"n_features": _HASH_FEATURES, "alternate_sign": False, "strip_accents": "unicode"}
        self._words = HashingVectorizer(ngram_range=(1, 2), **common)
        self._chars = HashingVectorizer(analyzer="char_wb", ngram_range=(3, 5), **common)

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Embed texts.

        Args:
            texts: The texts to embed.

        Returns:
            A ``(len(texts), dim)`` float32 array of unit rows.
        """
        items = list(texts)
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        features = sp.hstack([self._words.transform(items), self._chars.transform(items)])
        return normalise_rows(_projection(self.dim, self.seed).transform(features.tocsr()))


@functools.cache
def _projection(dim: int, seed: int) -> Any:
    """The seeded random projection, drawn once per process (drawing takes seconds)."""
    projection = SparseRandomProjection(n_components=dim, dense_output=True, random_state=seed)
    # Fitting only draws the matrix from the seed and the input width; it does
    # not look at the data, so an empty matrix of the right width is enough.
    return projection.fit(sp.csr_matrix((1, 2 * _HASH_FEATURES), dtype=np.float64))
