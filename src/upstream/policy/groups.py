"""Small groups: groups under 10 people are never shown, directly or by subtraction.

A count of 1 to 9 people (or items standing for people) is replaced by the one
label :data:`FEWER_THAN`, as the Civil Service People Survey does. An empty
group names nobody, so 0 may be shown. Where a total is shown beside its parts,
hiding one small part is not enough: the total minus the parts shown would give
it away, so :func:`withheld` hides the next smallest part too.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Iterable, Mapping, Sequence
from typing import Final, TypeVar

_Name = TypeVar("_Name", bound=Hashable)

__all__ = [
    "FEWER_THAN",
    "MIN_GROUP",
    "covering",
    "shown_count",
    "suppressed",
    "withheld",
    "withheld_in_sums",
]

MIN_GROUP: Final = 10
"""The smallest group whose figures may be shown."""

FEWER_THAN: Final = f"fewer than {MIN_GROUP}"
"""What people see in place of a small group's figure."""


def suppressed(n: int) -> bool:
    """Whether a group of ``n`` people is too small to show (1 to 9).

    Args:
        n: People in the group.

    Returns:
        True for 1 to 9; an empty group names nobody, so 0 is not suppressed.
    """
    return 0 < n < MIN_GROUP


def shown_count(n: int) -> str:
    """A group's size as it may be shown: ``"12,345"``, ``"0"`` or ``"fewer than 10"``."""
    return FEWER_THAN if suppressed(n) else f"{n:,}"


def withheld(
    parts: Mapping[str, int], *, total_shown: bool = True, already: Collection[str] = ()
) -> set[str]:
    """The parts to hide so that no small group can be seen, directly or by subtraction.

    Small parts are always hidden. When the total is shown, the hidden parts
    together equal the total minus the others: so while they hold fewer than 10
    between them, the smallest other non-empty part is hidden as well
    (secondary suppression). One hidden part of 3 beside a shown total takes a
    companion; so do two hidden parts of 1 and 2, whose 3 would otherwise be a
    group under 10 worked out by subtraction.

    Args:
        parts: People in each part, by name.
        total_shown: Whether the total of all the parts is shown alongside them.
        already: Parts hidden for another reason, which need the same protection.

    Returns:
        The names of the parts to show as :data:`FEWER_THAN` (or leave out).
    """
    hidden = {name for name, n in parts.items() if suppressed(n)} | set(already)
    if total_shown:
        others = sorted((n, name) for name, n in parts.items() if name not in hidden and n > 0)
        while hidden and others and 0 < sum(parts.get(name, 0) for name in hidden) < MIN_GROUP:
            hidden.add(others.pop(0)[1])
        if already and len(hidden) == 1 and others:
            # A part hidden for another reason, whatever its size, needs a companion.
            hidden.add(others.pop(0)[1])
    return hidden


def covering(parts: Mapping[_Name, int]) -> set[_Name]:
    """The parts of 10 or more hidden so that smaller ones cannot be worked out from the total.

    Those read "not shown", rather than "fewer than 10" (see :func:`withheld`).

    Args:
        parts: The parts of a total that is shown, by name.

    Returns:
        The names of the parts hidden only to cover smaller ones.
    """
    sizes = {str(name): n for name, n in parts.items()}
    hidden = withheld(sizes)
    return {name for name in parts if str(name) in hidden and not suppressed(parts[name])}


def withheld_in_sums(
    values: Mapping[_Name, int],
    sums: Sequence[tuple[_Name, Sequence[_Name]]],
    *,
    unshown: Collection[_Name] = (),
    fixed: Collection[_Name] = (),
) -> set[_Name]:
    """Every figure to hide so that no small one can be worked out by adding and subtracting.

    Each sum says that a figure (a total) equals the sum of others (its parts),
    as an element's count equals its cells across organisations. Figures of 1
    to 9 are hidden. Then, until nothing changes: where a total is shown, the
    parts hidden in it must be at least two and hold 10 or more between them
    (else the total less the parts shown gives them away; a figure no page
    shows may be worked out when it is 10 or more), so the smallest shown
    part is hidden too, or the total when no part is left; where a total is
    hidden, at least one of its parts must be (else they add up to it). The
    choices are made in a fixed order, so the same figures always give the same
    answer.

    Args:
        values: Each figure's count, by name.
        sums: ``(total, parts)`` pairs that hold between the figures.
        unshown: Figures no page shows: hidden whatever their size, but worth
            keeping secret only when small (one of 20 may be worked out).
        fixed: Figures shown whatever happens (unless under 10): the rule
            hides others instead.

    Returns:
        The names of every figure to hide, small ones included.
    """
    fixed_names, never = set(fixed), set(unshown)
    hide = {name for name, n in values.items() if suppressed(n)} | never

    def secret(name: _Name) -> bool:
        return suppressed(values.get(name, 0)) or name not in never

    def options(names: Iterable[_Name]) -> list[_Name]:
        free = [name for name in names if name not in hide and name not in fixed_names]
        return [name for _n, _key, name in sorted((values[x], repr(x), x) for x in free)]

    changed = True
    while changed:
        changed = False
        for total, parts in sums:
            present = [part for part in parts if values.get(part, 0) > 0]
            hid = [part for part in present if part in hide]
            if total in hide:
                if values.get(total, 0) and not hid and (free := options(present)):
                    hide.add(free[0])  # the parts shown would add up to the hidden total
                    changed = True
                continue
            if any(secret(p) for p in hid) and (
                len(hid) == 1 or sum(values[p] for p in hid) < MIN_GROUP
            ):
                if free := options(present):
                    hide.add(free[0])
                    changed = True
                elif total not in fixed_names and values.get(total, 0):
                    hide.add(total)
                    changed = True
    return hide
