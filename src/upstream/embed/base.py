"""The embedder contract shared by every implementation.

An embedder turns texts into dense vectors: one float32 row per text, each row
L2-normalised so that a dot product is a cosine similarity. ``model_id`` names
the model *and its state* exactly enough to key a cache: two embedders with the
same ``model_id`` must return the same vector for the same text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

__all__ = ["Embedder", "MissingExtraError", "Vectors", "normalise_rows"]

Vectors = npt.NDArray[np.float32]
"""A 2-D float32 array with one (L2-normalised) row per text."""


@runtime_checkable
class Embedder(Protocol):
    """Anything that turns texts into L2-normalised float32 vectors.

    Attributes:
        model_id: Identifies the model and its state; used as the cache key
            together with a hash of each text.
        dim: Length of every vector.
    """

    # Read-only properties, so wrappers such as the cache can forward them.
    @property
    def model_id(self) -> str:
        """Identifies the model and its state."""
        ...

    @property
    def dim(self) -> int:
        """Length of every vector."""
        ...

    def embed(self, texts: Sequence[str]) -> Vectors:
        """Embed texts.

        Args:
            texts: The texts, in order.

        Returns:
            A ``(len(texts), dim)`` float32 array whose rows have unit length
            (an all-zero row is allowed for a text with nothing to embed).
        """
        ...


class MissingExtraError(ImportError):
    """An optional dependency is not installed; the message names the pip command.

    Args:
        what: What needed the dependency (for example ``the MiniLM embedder``).
        extra: The ``upstream`` extra that installs it.
        packages: The packages to install by hand, in install order.
        command: The whole install command, when it is not the extra's.
    """

    def __init__(
        self, what: str, extra: str, packages: Sequence[str] = (), command: str = ""
    ) -> None:
        if command:
            super().__init__(f"{what} is not installed: {command}")
            self.extra = extra
            return
        command = f"pip install 'upstream[{extra}]'"
        if packages:
            command += f" (or: pip install {' '.join(packages)})"
        super().__init__(f"{what} needs the optional '{extra}' extra: {command}")
        self.extra = extra


def normalise_rows(matrix: npt.ArrayLike) -> Vectors:
    """Return a float32 copy of ``matrix`` whose non-zero rows have unit length.

    Args:
        matrix: A 2-D array-like of shape ``(n, dim)``.

    Returns:
        The row-normalised float32 array; all-zero rows stay zero rather than
        becoming NaN, so empty texts do not poison similarity searches.
    """
    array = np.array(matrix, dtype=np.float32, copy=True, ndmin=2)
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    np.divide(array, norms, out=array, where=norms > 0)
    return array
