"""Theme numbers that carry over from one run to the next.

People refer to themes by number ("theme 3 is the one about buses") in
notes, emails and board papers. A new run on more or slightly different
evidence finds much the same themes, but numbering them by size alone
would reshuffle them whenever two themes' sizes cross. So a new run's
themes are matched to the previous run's by the items they share (a
one-to-one assignment that maximises the shared items) and take their
numbers in the previous order; themes with no clear predecessor follow,
largest first.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence

import numpy as np
import numpy.typing as npt
from scipy.optimize import linear_sum_assignment

__all__ = ["MIN_SHARED", "follow_previous"]

# A new theme inherits a number only when at least this share of its items that
# were in the previous run sat in the theme that had the number.
MIN_SHARED = 0.4


def follow_previous(
    labels: npt.NDArray[np.int64],
    keys: Sequence[str],
    previous: Sequence[Collection[str]],
) -> list[int]:
    """The order in which to number the current themes so they follow the previous run.

    Args:
        labels: Each item's current theme (0..k-1, -1 unassigned), numbered by size.
        keys: Each item's stable identity.
        previous: The previous run's top-level themes in number order, as sets of keys.

    Returns:
        The current theme numbers in their new order: first those matched to a
        previous theme (in the previous theme's order), then the rest as they were.
    """
    present = [int(t) for t in np.unique(labels) if t >= 0]
    if not previous or not present:
        return present
    where = {key: number for number, members in enumerate(previous) for key in members}
    shared = np.zeros((len(present), len(previous)), dtype=np.int64)
    seen = np.zeros(len(present), dtype=np.int64)
    row = {t: i for i, t in enumerate(present)}
    for key, theme in zip(keys, labels.tolist(), strict=True):
        if theme < 0 or key not in where:
            continue
        shared[row[theme], where[key]] += 1
        seen[row[theme]] += 1
    rows, cols = linear_sum_assignment(shared, maximize=True)
    inherited: dict[int, int] = {}
    for i, j in zip(rows.tolist(), cols.tolist(), strict=True):
        if seen[i] and shared[i, j] >= MIN_SHARED * seen[i]:
            inherited[present[i]] = j
    matched = sorted(inherited, key=lambda t: inherited[t])
    return matched + [t for t in present if t not in inherited]
