"""Active learning: which items should a person code next?

The items the coder is least sure about teach it most (uncertainty sampling,
Lewis & Gale 1994): smallest margin between the two most probable codes first,
then highest entropy, then the original order so the ranking is deterministic.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from upstream.coding.results import CodingResult

__all__ = ["review_order"]


def review_order(
    results_or_probabilities: Sequence[CodingResult] | npt.ArrayLike,
) -> list[int]:
    """Order items so that the most informative ones come first.

    Args:
        results_or_probabilities: The coder's results, or an ``(n, k)`` array of
            probabilities (for example from ``FrameworkCoder.predict_proba``).

    Returns:
        Item positions, most informative first.
    """
    items = results_or_probabilities
    if isinstance(items, Sequence) and items and isinstance(items[0], CodingResult):
        results = [r for r in items if isinstance(r, CodingResult)]
        margin = np.array([r.margin for r in results], dtype=np.float64)
        # Results carry the top confidence only; a low one means a flat
        # distribution, so it stands in for entropy as the second key.
        spread = np.array([-r.confidence for r in results], dtype=np.float64)
    else:
        probabilities = np.asarray(items, dtype=np.float64)
        if probabilities.ndim != 2:
            if probabilities.size == 0:
                return []
            raise ValueError("probabilities must be a 2-D array (items x codes)")
        if probabilities.shape[1] < 2:
            margin = np.zeros(len(probabilities))
        else:
            top_two = -np.sort(-probabilities, axis=1)[:, :2]
            margin = top_two[:, 0] - top_two[:, 1]
        clipped = np.clip(probabilities, 1e-12, 1.0)
        spread = (clipped * np.log(clipped)).sum(axis=1)  # negative entropy
    positions = np.arange(len(margin))
    return [int(i) for i in np.lexsort((positions, spread, margin))]
