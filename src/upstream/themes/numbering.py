"""Theme numbers that stay with a theme across merges, splits and re-runs.

People refer to themes by number ("theme 3 is the one about buses") in
notes, emails and board papers, so a number, once shown, keeps meaning the
same theme:

* a re-run on more or slightly different evidence matches its themes to the
  previous run's by the items they share (a one-to-one assignment that
  maximises the shared items), and matched themes keep their numbers;
* a theme that holds most of two or more earlier themes is their merge and
  takes the lowest of their numbers; the others are not reused;
* a theme with no clear predecessor (a new subject, or the new part of a
  split) takes a number no theme has had, so the numbers of themes merged
  away are never given to something else.

Numbers may therefore have gaps ("themes 1, 2, 4"): a gap is where a theme
was merged into another.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
from scipy.optimize import linear_sum_assignment

__all__ = ["MIN_SHARED", "MOSTLY_INSIDE", "Numbering", "as_numbered", "numbers_following"]

# A new theme inherits a number only when at least this share of its items that
# were in the previous run sat in the theme that had the number.
MIN_SHARED = 0.4

# An earlier theme is inside a new one when at least this share of its items
# that are still themed sit there (more than half); a new theme with two such earlier themes
# inside is their merge.
MOSTLY_INSIDE = 0.5


@dataclass(frozen=True)
class Numbering:
    """The numbers a run's themes take, and how they follow the earlier run's.

    Attributes:
        numbers: Each current theme's number, by its position.
        merged_into: Earlier numbers now merged into another theme: the number
            of the theme that holds them.
        came_from: New numbers whose items mostly sat in an earlier theme that
            carries on under its own number (a split's new part): that number.
    """

    numbers: dict[int, int]
    merged_into: dict[int, int] = field(default_factory=dict)
    came_from: dict[int, int] = field(default_factory=dict)


def as_numbered(
    previous: Mapping[int, Collection[str]] | Sequence[Collection[str]],
) -> dict[int, frozenset[str]]:
    """Earlier themes by number, from a mapping or from a list in number order."""
    pairs = previous.items() if isinstance(previous, Mapping) else enumerate(previous)
    return {int(number): frozenset(keys) for number, keys in pairs}


def numbers_following(
    labels: npt.NDArray[np.int64],
    keys: Sequence[str],
    previous: Mapping[int, Collection[str]],
    next_number: int = 0,
) -> Numbering:
    """The number of each current theme, following the numbers of an earlier run.

    Args:
        labels: Each item's current theme (0..k-1, -1 unassigned).
        keys: Each item's stable identity.
        previous: The earlier run's top-level themes by number, as sets of keys.
        next_number: The lowest number a theme with no predecessor may take
            (numbers below it were given before, perhaps to themes since merged
            away); at least one more than the highest earlier number is used.

    Returns:
        Each current theme's number (an earlier theme's, or a new one; new
        numbers go to themes in their current order), with the earlier numbers
        merged into another theme and where new themes came from.
    """
    present = [int(t) for t in np.unique(labels) if t >= 0]
    earlier = sorted(previous)
    fresh = max([next_number, *(n + 1 for n in earlier)])
    numbers: dict[int, int] = {}
    merged_into: dict[int, int] = {}
    came_from: dict[int, int] = {}
    shared = seen = np.zeros((0, 0), dtype=np.int64)
    if earlier and present:
        shared, seen, still = _shared(labels, keys, present, earlier, previous)
        numbers, merged_into = _merges(present, earlier, shared, still)
        numbers.update(_carried_on(present, earlier, shared, seen, numbers))
    for i, theme in enumerate(present):
        if theme in numbers:
            continue
        numbers[theme] = fresh
        if len(shared) and seen[i]:
            # A new theme mostly made of one earlier theme's items is a part of it.
            j = int(np.argmax(shared[i]))
            if shared[i, j] >= MIN_SHARED * seen[i] and earlier[j] in numbers.values():
                came_from[fresh] = earlier[j]
        fresh += 1
    return Numbering(numbers, merged_into, came_from)


def _shared(
    labels: npt.NDArray[np.int64],
    keys: Sequence[str],
    present: list[int],
    earlier: list[int],
    previous: Mapping[int, Collection[str]],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """How the current themes' items sat in the earlier themes.

    Returns:
        The items each current theme shares with each earlier one; each current
        theme's items that were themed before; each earlier theme's items still
        themed now.
    """
    column = {number: j for j, number in enumerate(earlier)}
    where = {key: column[number] for number, members in previous.items() for key in members}
    row = {t: i for i, t in enumerate(present)}
    shared = np.zeros((len(present), len(earlier)), dtype=np.int64)
    seen = np.zeros(len(present), dtype=np.int64)
    for key, theme in zip(keys, labels.tolist(), strict=True):
        if theme < 0 or key not in where:
            continue
        shared[row[theme], where[key]] += 1
        seen[row[theme]] += 1
    return shared, seen, shared.sum(axis=0)


def _merges(
    present: list[int],
    earlier: list[int],
    shared: npt.NDArray[np.int64],
    still: npt.NDArray[np.int64],
) -> tuple[dict[int, int], dict[int, int]]:
    """Current themes that hold most of two or more earlier themes take the lowest number.

    Returns:
        Those themes' numbers, and each other earlier number merged into them.
    """
    numbers: dict[int, int] = {}
    merged_into: dict[int, int] = {}
    for i, theme in enumerate(present):
        inside = [
            earlier[j]
            for j in range(len(earlier))
            if still[j] and shared[i, j] > MOSTLY_INSIDE * still[j]
        ]
        if len(inside) >= 2:
            numbers[theme] = min(inside)
            merged_into.update({number: min(inside) for number in inside[1:]})
    return numbers, merged_into


def _carried_on(
    present: list[int],
    earlier: list[int],
    shared: npt.NDArray[np.int64],
    seen: npt.NDArray[np.int64],
    taken: Mapping[int, int],
) -> dict[int, int]:
    """One-to-one matches between the other current and earlier themes, by shared items."""
    used = set(taken.values())
    rows = [i for i, t in enumerate(present) if t not in taken]
    cols = [j for j, number in enumerate(earlier) if number not in used]
    if not rows or not cols:
        return {}
    block = shared[np.ix_(rows, cols)]
    numbers: dict[int, int] = {}
    for r, c in zip(*linear_sum_assignment(block, maximize=True), strict=True):
        i, j = rows[int(r)], cols[int(c)]
        if seen[i] and shared[i, j] >= MIN_SHARED * seen[i]:
            numbers[present[i]] = earlier[j]
    return numbers
