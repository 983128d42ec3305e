"""How much of the evidence a framework could code, and how much of that people checked.

Every place a report counts machine codes says this first, in the same words,
from the same :class:`Check`, so no two statements in one report can disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from upstream.records.stored import ItemRecord
from upstream.reports.evidence import CodedEvidence
from upstream.reports.figures import percent


def count(n: int, noun: str) -> str:
    """``n`` and a noun that agrees with it: "1 item", "2 items", "1,200 items"."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class Check:
    """One framework's reach over the report's items.

    Attributes:
        lens: The framework, as named mid-sentence ("New Operating Models").
        items: Items in the report.
        coded: Of those, items with at least one code in force.
        checked: Of the coded items, those whose code a person chose or confirmed.
        threshold: The machine's confidence below which it left an item uncoded
            (None when the run did not record one).
    """

    lens: str
    items: int
    coded: int
    checked: int
    threshold: float | None

    def sentence(self) -> str:
        """Coverage, then people's share: "We could code 92 of 645 items (14%) against ..."."""
        who = (
            f"people checked {self.checked:,} of those {self.coded:,}"
            if self.checked
            else "no person has checked any of them yet"
        )
        if not self.coded:
            who = "nothing was left to check"
        return (
            f"We could code {self.coded:,} of {count(self.items, 'item')} "
            f"({percent(self.coded, self.items)}) against {self.lens}; {who}."
        )

    def rule(self) -> str:
        """The threshold policy in words: when a machine code counts for this framework."""
        if self.threshold is None:
            return f"any confidence for {self.lens}"
        return f"at least {self.threshold:.2f} for {self.lens}"


def check_for(items: Sequence[ItemRecord], coded: CodedEvidence, lens: str) -> Check:
    """The :class:`Check` of one framework's codes over ``items``."""
    got = [item.id for item in items if coded.assigned.get(item.id)]
    threshold = coded.run.parameters.get("threshold")
    return Check(
        lens=lens,
        items=len(items),
        coded=len(got),
        checked=sum(1 for item_id in got if item_id in coded.human_codes),
        threshold=float(threshold) if isinstance(threshold, int | float) else None,
    )


def thresholds(checks: Sequence[Check]) -> str:
    """One sentence stating each framework's threshold policy."""
    if not checks:
        return ""
    rules = " and ".join(check.rule() for check in checks)
    return (
        f"A machine code counts only when the machine's confidence (0 to 1) is {rules}; "
        "below that the item is left uncoded rather than guessed. A code a person chose "
        "always counts."
    )


__all__ = ["Check", "check_for", "count", "thresholds"]
