"""How much of the evidence a framework could code, and how much of that people coded or checked.

Every place a report counts machine codes says this first, in the same words,
from the same :class:`Check`, so no two statements in one report can disagree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from upstream.coding.thresholds import (
    BASIS_IN_WORDS,
    CHECKED,
    DECISIONS,
    HELD_OUT,
    MIN_SUPPORT,
    precision_at,
)
from upstream.policy import FEWER_THAN
from upstream.policy import suppressed as too_small
from upstream.reports.counted import Counted
from upstream.reports.evidence import CodedEvidence
from upstream.reports.figures import percent
from upstream.reports.run_scope import left_out_words


def count(n: int, noun: str) -> str:
    """``n`` and a noun that agrees with it: "1 item", "2 items", "1,200 items"."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def count_shown(n: int, noun: str) -> str:
    """Like :func:`count`, but a group of 1 to 9 is "fewer than 10 items"."""
    return f"{FEWER_THAN} {noun}s" if too_small(n) else count(n, noun)


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
        expected_precision: How often the machine's suggestions at the threshold
            are expected to be right (None when not measured).
        basis: What that estimate rests on (see :mod:`upstream.coding.thresholds`).
        guesses: Of the coded items, those counted only through the machine's
            guesses below its threshold (when a person asked to include them).
        covered: How many items are coded is withheld, though 10 or more, so
            that a smaller count cannot be worked out from it (see
            :mod:`upstream.reports.views`).
        items_covered: How many items the view holds is withheld too.
        not_coded: Which evidence the framework was not applied to, and why, in
            words ("" when it was applied to all of it).
        scope: Whose items ``items`` counts when the run left some kinds of
            evidence out by design ("from staff and partners"); "" when it
            counts every item in the report.
        support: How many judged suggestions the expected precision rests on,
            when the run recorded it.
    """

    lens: str
    items: int
    coded: int
    checked: int
    threshold: float | None
    expected_precision: float | None = None
    basis: str = ""
    guesses: int = 0
    covered: bool = False
    items_covered: bool = False
    not_coded: str = ""
    scope: str = ""
    support: int | None = None

    def sentence(self) -> str:
        """Coverage, then people's share, then how often the machine is right.

        "We could code 92 of 645 items (14%) against ...; people coded or checked 12 of
        those 92, and the other 80 are the machine's suggestions, which are
        right about 7 times in 10 at this setting (...)."
        """
        if self.covered:
            of = "the items" if self.items_covered else f"the {count(self.items, 'item')}"
            return (
                f"We could code some of {of} against {self.lens}; "
                "how many is not shown here, so that a smaller group cannot be worked out "
                "from it."
            )
        if too_small(self.coded):
            # With so few coded, how they split between people and machine would count them.
            if self.expected_precision is None:
                sure = "how often the machine's suggestions are right is not measured yet"
            else:
                where = _basis_words(self.basis, self.support)
                sure = (
                    "the machine's suggestions among them are "
                    f"{right_about(self.expected_precision)}{where}"
                )
            return (
                f"We could code {FEWER_THAN} of {count(self.items, 'item')}{self._scope()} against "
                f"{self.lens}, so how many of them people coded or checked is not shown; {sure}."
            )
        machine = self.coded - self.checked
        few = too_small(self.checked)  # a handful of people's decisions is not counted out
        who = (
            f"people coded or checked {FEWER_THAN if few else f'{self.checked:,}'} of those "
            f"{self.coded:,}"
            if self.checked
            else "no person has coded or checked any of them yet"
        )
        if not self.coded and self.not_coded:
            return self.not_coded  # "0 of 204" would say coding them was tried
        if not self.coded:
            return (
                f"We could code 0 of {count(self.items, 'item')}{self._scope()} against "
                f"{self.lens}; nothing was left to check."
            )
        sure = ""
        if machine:
            rest = (
                (", and the rest are" if few else f", and the other {machine:,} are")
                if self.checked
                else ": all are"
            )
            sure = f"{rest} the machine's suggestions, {self.how_sure()}"
            if self.guesses:
                sure += (
                    f"; {self.guesses:,} of them are guesses below that setting, "
                    "included as asked, and are right less often"
                )
        return (
            f"We could code {self.coded:,} of {count(self.items, 'item')}{self._scope()} "
            f"({percent(self.coded, self.items)}) against {self.lens}; {who}{sure}."
        )

    def _scope(self) -> str:
        return f" {self.scope}" if self.scope else ""

    def how_sure(self) -> str:
        """How often the machine's suggestions are right at this setting, in words."""
        if self.expected_precision is None:
            return "and how often they are right is not measured yet"
        where = _basis_words(self.basis, self.support)
        return f"which are {right_about(self.expected_precision)}{where}"

    def rule(self) -> str:
        """The threshold policy in words: when a machine code counts for this framework."""
        if self.threshold is None:
            return f"any confidence for {self.lens}"
        return f"at least {self.threshold:.2f} for {self.lens}"


def right_about(precision: float | None) -> str:
    """How often the machine is right, as people say it.

    "right about 7 times in 10 at this setting", or that it is not measured yet.
    """
    if precision is None:
        return "though how often they are right is not measured yet"
    return f"right about {max(1, round(10 * precision))} times in 10 at this setting"


ROUGH_SUPPORT = 50
"""Below this many judged suggestions, an expected precision is said to be a rough
figure: at 30 its 95% interval is about ±15 points."""


def _basis_words(basis: str, support: int | None = None) -> str:
    """Where an expected precision comes from, in brackets after it ("" when not said).

    How many judged suggestions it rests on is said when few: "8 times in 10"
    from a dozen kept-back decisions is a rough figure, not a measurement.
    """
    if basis not in BASIS_IN_WORDS:
        return ""
    if basis in {HELD_OUT, DECISIONS, CHECKED} and support and support < ROUGH_SUPPORT:
        return f" ({BASIS_IN_WORDS[basis]}: a rough figure, from only {support:,} of them)"
    return f" ({BASIS_IN_WORDS[basis]})"


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) else None


def check_for(
    items: Sequence[Counted],
    coded: CodedEvidence,
    lens: str,
    *,
    total: int | None = None,
    per_source: Mapping[int, int] | None = None,
) -> Check:
    """The :class:`Check` of one framework's codes over ``items``.

    ``total`` is the number of items when ``items`` holds only those with codes;
    then ``per_source`` (items per source id) lets the check count only the
    items the run set out to code, when it left some kinds of evidence out.
    """
    got = [item.id for item in items if coded.assigned.get(item.id)]
    parameters = coded.run.parameters
    threshold = _number(parameters.get("threshold"))
    below = threshold if threshold is not None else 0.0
    guesses = sum(
        1
        for item_id in got
        if all(a.origin != "human" and a.confidence < below for a in coded.assigned[item_id])
    )
    expected, basis, support = run_precision(
        parameters, coded.decisions, coded.machine_top_confidence
    )
    size = len(items) if total is None else total
    in_scope = _in_scope(items, coded, total is None, per_source)
    # Out of the items the run set out to code, unless what it left out is a small
    # group that the two counts together would give away.
    scoped = in_scope is not None and not too_small(in_scope) and not too_small(size - in_scope)
    return Check(
        lens=lens,
        items=in_scope if scoped and in_scope is not None else size,
        scope=coded.scope_words if scoped else "",
        coded=len(got),
        checked=sum(1 for item_id in got if item_id in coded.human_codes),
        threshold=threshold,
        expected_precision=expected,
        basis=basis,
        guesses=guesses,
        not_coded=left_out_words(parameters, lens),
        support=support,
    )


def _support(parameters: Mapping[str, object]) -> int | None:
    """How many judged suggestions the run's expected precision rests on (None if unknown)."""
    support = parameters.get("threshold_support")
    return int(support) if isinstance(support, int | float) else None


def run_precision(
    parameters: Mapping[str, object],
    decisions: Mapping[int, str],
    confidences: Mapping[int, float],
) -> tuple[float | None, str, int | None]:
    """How often a run's counted suggestions are right, what that rests on, and on how many.

    Every page that says how sure the machine is asks this, so the home page,
    the dashboards and the reports give one figure: the run's own estimate
    when it made one, or else people's checks of its counted suggestions.

    Args:
        parameters: The coding run's parameters.
        decisions: People's decisions per item (``accept``, ``recode``, ...).
        confidences: The machine's confidence in the suggestion decided on, per item.

    Returns:
        The expected precision (None when not measured), its basis (see
        :mod:`upstream.coding.thresholds`) and how many judged suggestions it
        rests on (None when not known).
    """
    expected = _number(parameters.get("expected_precision"))
    basis = str(parameters.get("threshold_basis", ""))
    threshold = _number(parameters.get("threshold"))
    if expected is not None or threshold is None:
        return expected, basis, _support(parameters)
    return _checked_precision(decisions, confidences, threshold, basis)


def _checked_precision(
    decisions: Mapping[int, str],
    confidences: Mapping[int, float],
    threshold: float,
    basis: str,
) -> tuple[float | None, str, int | None]:
    """How often the run's counted suggestions were right, from people's checks of them.

    A run coded before anyone decided has nothing measured; once people have
    checked enough of its counted suggestions (``MIN_SUPPORT``), their verdicts
    say how often it is right, rather than "not measured yet" beside "they kept
    26 of 62".
    """
    judged = [i for i in decisions if i in confidences]
    precision, support = precision_at(
        [confidences[i] for i in judged],
        [decisions[i] == "accept" for i in judged],
        threshold,
    )
    if precision is None or support < MIN_SUPPORT:
        return None, basis, None
    return precision, CHECKED, support


def _in_scope(
    items: Sequence[Counted],
    coded: CodedEvidence,
    complete: bool,
    per_source: Mapping[int, int] | None,
) -> int | None:
    """How many of the report's items the run set out to code (None: all of them)."""
    sources = coded.scope_sources
    if sources is None:
        return None
    # An item a person coded though the run left its kind out counts as in scope.
    outside = sum(1 for i in items if i.source_id not in sources and coded.assigned.get(i.id))
    if complete:
        return sum(1 for item in items if item.source_id in sources) + outside
    if per_source is None:
        return None
    return sum(n for source_id, n in per_source.items() if source_id in sources) + outside


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


__all__ = ["Check", "check_for", "count", "right_about", "run_precision", "thresholds"]
