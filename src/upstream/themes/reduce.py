"""The optional reduce stage: project vectors to fewer dimensions before clustering.

Sentence vectors already have a few hundred dimensions and cluster well as
they are, so the default is the identity. :class:`SVDReducer` (truncated SVD,
i.e. PCA without centring) helps with very long or lexical vectors and makes
clustering of very large sets cheaper; its randomised solver is what the
discovery's ``seed`` controls.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator, TransformerMixin  # type: ignore[import-untyped]
from sklearn.decomposition import TruncatedSVD  # type: ignore[import-untyped]

from upstream.embed.base import normalise_rows

__all__ = ["IdentityReducer", "Reducer", "SVDReducer"]

Floats = npt.NDArray[np.float32]


class Reducer(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Base of the reduce stage; on its own it is the identity."""

    def fit_transform(self, vectors: Floats) -> Floats:
        """Return the vectors unchanged.

        Args:
            vectors: ``(n, d)`` unit rows.

        Returns:
            The same rows.
        """
        return vectors

    def transform(self, vectors: Floats) -> Floats:
        """Project new rows as the fitted stage projects (the identity here).

        Args:
            vectors: ``(n, d)`` unit rows.

        Returns:
            The same rows.
        """
        return vectors


IdentityReducer = Reducer
"""The identity stage under a clearer name."""


class SVDReducer(Reducer):
    """Truncated SVD to ``n_components`` dimensions, rows re-normalised.

    Args:
        n_components: Dimensions kept (fewer when the data have fewer).
        seed: Seed of the randomised solver.

    Attributes:
        svd_: The fitted scikit-learn model.
    """

    def __init__(self, n_components: int = 64, seed: int = 0) -> None:
        self.n_components = n_components
        self.seed = seed

    def fit_transform(self, vectors: Floats) -> Floats:
        """Fit the projection and project.

        Args:
            vectors: ``(n, d)`` unit rows.

        Returns:
            ``(n, n_components)`` unit rows.
        """
        components = min(self.n_components, vectors.shape[1] - 1, len(vectors) - 1)
        if components < 2:
            return vectors
        self.svd_ = TruncatedSVD(n_components=components, random_state=self.seed)
        return normalise_rows(self.svd_.fit_transform(vectors))

    def transform(self, vectors: Floats) -> Floats:
        """Project new rows with the fitted projection (unchanged when none was fitted).

        Args:
            vectors: ``(n, d)`` unit rows.

        Returns:
            Unit rows in the reduced space.
        """
        if not hasattr(self, "svd_"):
            return vectors
        return normalise_rows(self.svd_.transform(vectors))
