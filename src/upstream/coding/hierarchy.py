"""Rolling probabilities up a hierarchical codebook.

An item coded with a child is also, implicitly, coded with every ancestor, so a
parent's probability is its own plus all its descendants'. Coding "at level
``L``" (1 = the top-level codes) reports, for each code deeper than ``L``, its
ancestor at level ``L`` instead.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from upstream.frameworks.model import Codebook

__all__ = ["ancestor_at_level", "level_codes", "rollup_matrix"]


def rollup_matrix(codebook: Codebook, classes: Sequence[str]) -> npt.NDArray[np.float64]:
    """Matrix ``R`` with ``R[i, j] = 1`` when class ``j`` is class ``i`` or below it.

    ``probabilities @ R.T`` gives each class's rolled-up probability.

    Args:
        codebook: The codebook the classes come from.
        classes: Code ids, in the column order of the probabilities.

    Returns:
        A ``(len(classes), len(classes))`` 0/1 matrix.
    """
    position = {code: i for i, code in enumerate(classes)}
    matrix = np.eye(len(classes))
    for j, code in enumerate(classes):
        for ancestor in codebook.ancestors(code):
            if ancestor.id in position:
                matrix[position[ancestor.id], j] = 1.0
    return matrix


def ancestor_at_level(codebook: Codebook, code: str, level: int) -> str:
    """Return the code's ancestor at a 1-based level (the code itself if shallower).

    Args:
        codebook: The codebook.
        code: A code id.
        level: 1 for top-level codes, 2 for their children, and so on.

    Returns:
        The id of the code standing for ``code`` at that level.
    """
    path = [c.id for c in reversed(codebook.ancestors(code))] + [code]
    return path[min(level, len(path)) - 1]


def level_codes(codebook: Codebook, classes: Sequence[str], level: int | None) -> list[str]:
    """Return the codes reported at a level, in class order.

    Args:
        codebook: The codebook.
        classes: The classifier's code ids.
        level: 1-based level, or ``None`` for every class as it is.

    Returns:
        The distinct codes that stand for the classes at that level.
    """
    if level is None:
        return list(classes)
    return list(dict.fromkeys(ancestor_at_level(codebook, code, level) for code in classes))
