"""Small groups: groups under 10 people are never shown, directly or by subtraction.

A count of 1 to 9 people (or items standing for people) is replaced by the one
label :data:`FEWER_THAN`, as the Civil Service People Survey does. An empty
group names nobody, so 0 may be shown. Where a total is shown beside its parts,
hiding one small part is not enough: the total minus the parts shown would give
it away, so :func:`withheld` hides the next smallest part too.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Mapping
from typing import Final, TypeVar

_Name = TypeVar("_Name", bound=Hashable)

__all__ = ["FEWER_THAN", "MIN_GROUP", "covering", "shown_count", "suppressed", "withheld"]

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
