"""Headline sentences: plain statements, each number given with its base."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace
from datetime import date

from upstream.policy import FEWER_THAN, shown_count
from upstream.policy import suppressed as too_small
from upstream.records.themes import OTHER_LABEL
from upstream.records.wording import listed
from upstream.reports.checks import check_for, count, count_shown
from upstream.reports.counted import Counted
from upstream.reports.counts import CodeCount, PatternRow
from upstream.reports.evidence import CONFIDENT, COUNTING, EVERYTHING, CodedEvidence
from upstream.reports.figures import percent
from upstream.reports.model import PRIVATE_NAME, Agreement, CultureLine, Method, ThemeSummary

DBE_LENS = "drivers, barriers and enablers"


def lower_first(title: str) -> str:
    """A title for use mid-sentence: "Procurement rules" becomes "procurement rules"."""
    if len(title) > 1 and title[1].isupper():
        return title  # an acronym such as "NHS partners"
    return title[:1].lower() + title[1:]


def upper_first(text: str) -> str:
    """Text to start a sentence: only its first letter is raised, so names keep their case.

    ``'renamed "Park" to "Canal Side"'`` becomes ``'Renamed "Park" to "Canal Side"'``
    (a template's ``capitalize`` would lower every other letter).
    """
    return text[:1].upper() + text[1:]


def _period(dates: Sequence[date]) -> str:
    if not dates:
        return ""
    first, last = min(dates), max(dates)
    if (first.year, first.month) == (last.year, last.month):
        return f" in {first:%B %Y}"
    return f" between {first:%B %Y} and {last:%B %Y}"


def headlines(
    items: Sequence[Counted],
    org: str | None,
    organisations: int,
    sources: int,
    dates: Sequence[date],
    rows: Sequence[CodeCount],
    top: Sequence[CodeCount],
    pattern_rows: Sequence[PatternRow],
    figures: Method | None,
    coded: CodedEvidence | None,
    barriers: CodedEvidence | None = None,
    counting: str = CONFIDENT,
    *,
    total: int | None = None,
    per_source: Mapping[int, int] | None = None,
    covered: Collection[str] = (),
    size_covered: bool = False,
) -> list[str]:
    """The report's headline sentences, each number given with its base.

    How much of the evidence got a code, and how much of that people coded or checked,
    comes straight after the opening line, before any finding that counts codes.
    ``total`` is the number of items when ``items`` holds only those with codes,
    and then ``per_source`` gives items per source id (see
    :func:`~upstream.reports.checks.check_for`). ``covered`` names the frameworks
    whose count of coded items is withheld (:class:`~upstream.reports.checks.Check`);
    with ``size_covered`` the number of items is withheld too, and so is every
    framework's count.
    """
    size = len(items) if total is None else total
    # Evidence that names no organisation (one consultation's replies) is from nobody in
    # particular, not "from 0 organisations".
    whom = org if org else count(organisations, "organisation") if organisations else ""
    amount = "evidence" if size_covered else f"{count(size, 'item')} of evidence"
    lines = [
        f"This report draws on {amount}{f' from {whom}' if whom else ''}, gathered "
        f"through {count(sources, 'source')}{_period(dates)}."
        + (
            " How many items is not shown, so that a smaller group cannot be worked out."
            if size_covered
            else ""
        )
    ]
    if coded is None or figures is None:
        lines.append("The evidence has not been coded against a framework yet.")
        return lines
    lines.append(
        _coverage_line(
            items, coded, coded.codebook.title, counting, total, per_source, covered, size_covered
        )
    )
    # Only counts that may be shown are ranked: ranking withheld ones would say
    # which small count is larger, and "fewer than 10 of 14" tells a reader nothing.
    roots = sorted(
        (r for r in rows if r.depth == 0 and r.items and not r.hidden),
        key=lambda r: -r.items,
    )
    if not roots and any(r.depth == 0 and r.covered for r in rows):
        lines.append(
            f"No element of {coded.codebook.title} is named here: each count is fewer than 10, "
            "or would let a smaller group be worked out."
        )
    elif not roots and any(r.depth == 0 and r.items for r in rows):
        # Named in the framework's order, not ranked: a ranking would say which
        # small count is the larger.
        raised = [r.title for r in rows if r.depth == 0 and r.items]
        lines.append(
            f"No element of {coded.codebook.title} is raised in 10 or more coded items, so "
            f"no count is given; the coded items raise {_listed(raised)} (in the framework's "
            "order, not by size; the quotes below show each)."
        )
    if roots:
        first = roots[0]
        share = f" ({percent(first.items, figures.coded)})"
        spread = (
            f", from {first.organisations:,} of {count(organisations, 'organisation')}"
            if not org and organisations
            else ""
        )
        lines.append(
            f"Against {coded.codebook.title}, the element raised most often is {first.title}: "
            f"{first.shown} of {count(figures.coded, 'coded item')}{share}{spread}"
            f"{_checked(first.checked)}."
        )
        if len(roots) > 2:
            lines.append(
                f"{roots[1].title} ({roots[1].items:,} items) and "
                f"{lower_first(roots[2].title)} ({roots[2].shown}) come next."
            )
    if top and top[0].depth > 0 and not top[0].hidden:
        lines.append(
            f"The most common single code is \u201c{top[0].title}\u201d, "
            f"in {count(top[0].items, 'item')}."
        )
    if barriers is not None and barriers is not coded and pattern_rows:
        lines.append(
            _coverage_line(items, barriers, DBE_LENS, counting, total, per_source, covered)
        )
    broad = ""
    if pattern_rows and org is None and DBE_LENS not in covered and not size_covered:
        broad = _placed_broadly(items, barriers if barriers is not None else coded)
    lines.extend(_pattern_lines(pattern_rows, org, broad))
    if not figures.coded:
        pass  # nothing here is coded: there are no machine codes to trust or doubt
    elif figures.framework in covered or too_small(figures.coded):
        # People's decisions count items too: beside a withheld count, they would give it away.
        lines.append(
            f"How many of the machine's codes from {figures.framework} people have checked "
            "here is not shown either, for the same reason."
        )
    else:
        lines.append(trust_line(figures))
    return lines


def _placed_broadly(items: Sequence[Counted], coded: CodedEvidence) -> str:
    """How many items count as a barrier under no named one, said ("" for fewer than 10).

    The coder places an item only as "a barrier" when it is sure of the direction
    but of no one subject; without this the named barriers read as all there is.
    """
    if "barrier" not in coded.codebook:
        return ""
    named = {code.id for code in coded.codebook.descendants("barrier")}
    broad = sum(
        1
        for item in items
        if "barrier" in (codes := coded.codes_rolled_up(item.id)) and not codes & named
    )
    if not broad or too_small(broad):
        return ""
    return (
        f"A further {count(broad, 'item')} are barriers the machine could not place "
        "under a named one, so they count under none of these."
    )


def _pattern_lines(rows: Sequence[PatternRow], org: str | None, broad: str = "") -> list[str]:
    """The barriers and enablers most organisations name, then ``broad`` after the barriers."""
    lines = []
    barriers = [r for r in rows if r.kind == "barrier"][:3]
    for row in barriers:
        verb = "names" if row.organisations == 1 else "name"  # "1 of 10 organisations names"
        also = ""
        if org is not None and row.named_by_focus:
            also = f", including {org}"
        elif org is not None and row.focus_coded == "part":
            also = f"; {org} does not in the part of its evidence coded against it"
        elif org is not None and row.focus_coded == "all":
            also = f"; {org} does not"
        # In an organisation's report the count is the network's, and says so.
        across = " across the network" if org is not None else ""
        lines.append(
            f"{row.organisations:,} of {count(row.of, 'organisation')} {verb} "
            f"{lower_first(row.title)} as a barrier{also} "
            f"({_items(row)}{across}{_checked(row.checked, ', ', of=row)})."
        )
    if barriers and org is not None and barriers[0].focus_coded == "none":
        lines.append(
            f"Whether {org} names these is not known: its evidence has not been coded "
            "against this framework yet."
        )
    if barriers and broad:
        lines.append(broad)
    enablers = [r for r in rows if r.kind == "enabler"][:2]
    if enablers:
        named = " and ".join(
            f"{lower_first(r.title)} ({r.organisations:,} of {count(r.of, 'organisation')}, "
            f"{_items(r)}{_checked(r.checked, ', ', of=r)})"
            for r in enablers
        )
        lines.append(f"The enablers named most widely are {named}.")
    return lines


def _items(row: PatternRow) -> str:
    """A barrier's or enabler's items, as they may be shown: "12 items", "fewer than 10 items"."""
    if row.covered:
        return f"items {row.shown}"
    return count_shown(row.items, "item")


def _checked(n: int, joiner: str = "; ", *, of: PatternRow | None = None) -> str:
    """How many of the items counted a person checked, said plainly.

    Beside a count withheld (``of``), the checked count is withheld too:
    "3 checked" would say there are at least 3.
    """
    if of is not None and of.covered:
        return ""
    if of is not None and too_small(of.items):
        return f"{joiner}{shown_count(n)} coded or checked by people" if n else ""
    return (
        f"{joiner}{shown_count(n)} coded or checked by people"
        if n
        else f"{joiner}none coded or checked by people yet"
    )


def _coverage_line(
    items: Sequence[Counted],
    coded: CodedEvidence,
    lens: str,
    counting: str,
    total: int | None,
    per_source: Mapping[int, int] | None,
    covered: Collection[str] = (),
    size_covered: bool = False,
) -> str:
    """How many items got any code from a framework, and how many people coded or checked."""
    guesses = "" if counting == EVERYTHING else ", not the machine's guesses below its threshold"
    check = check_for(items, coded, lens, total=total, per_source=per_source)
    if lens in covered or size_covered:
        check = replace(check, covered=True, items_covered=size_covered)
    if check.not_coded and not check.coded and not check.covered:
        return check.sentence()  # only what was left out: nothing here was meant to be coded
    return f"{check.sentence()} The counts below include {COUNTING[counting]}{guesses}." + (
        f" {check.not_coded}" if check.not_coded else ""
    )


def _decisions(figures: Method) -> str:
    """How the decisions split, when some removed a code (so the counts reconcile)."""
    if not figures.rejected:
        return ""
    placed = f"{figures.placed:,} coded by people themselves, " if figures.placed else ""
    return (
        f" ({placed}{figures.accepted:,} accepted, {figures.recoded:,} given another code and "
        f"{figures.rejected:,} rejected, leaving "
        f"{count(figures.accepted + figures.recoded + figures.placed, 'item')} with a code a "
        "person chose)"
    )


def trust_line(figures: Method) -> str:
    """How far the machine's codes for the report's framework can be trusted, in one sentence.

    It names the framework, so it cannot be read as contradicting what is said
    about another framework's codes.
    """
    found = figures.agreement
    lens = figures.framework
    if found is None and figures.reviewed:
        return (
            f"People have decided on {count(figures.reviewed, 'item')} coded against {lens}, "
            "but none by accepting or rejecting one of the machine's suggestions, so their "
            "decisions do not yet show how often the machine is right on this evidence: "
            "review some of its suggestions to find out, and until then treat its codes as "
            "leads to follow up, not findings."
        )
    if found is None:
        return (
            f"The codes from {lens} are the machine's suggestions and no person has checked "
            "them yet, so treat every count as a lead to follow up rather than a finding."
        )
    if too_small(figures.reviewed):
        # How a handful of decisions split would count them out, and says little anyway.
        return (
            f"People have decided on {FEWER_THAN} items coded against {lens}: too few to say "
            "how often the machine is right, so treat its codes as leads to follow up."
        )
    # Cohen's κ is given in the appendix's method, with what it means: not in a
    # sentence written for a board.
    return (
        f"People have decided on {count(figures.reviewed, 'item')} coded against {lens}"
        f"{_decisions(figures)}; they kept the machine's suggestion for {found.agreed:,} "
        f"of {found.decisions:,} ({found.percent:.0f}%){counted_ones(found)}."
        f"{_learned_since(figures, found)}"
    )


def _learned_since(figures: Method, found: Agreement) -> str:
    """That the codes counted come from a coding that learned from these decisions.

    Without it, "they kept 14 of 51" reads as a verdict on the codes the report
    counts, beside a higher expected precision for them: the decisions judged the
    suggestions made before the machine learned from them.
    """
    learned = figures.labelled_examples
    if not learned:
        return ""
    most = "most" if 2 * min(learned, found.decisions) >= found.decisions else "some"
    return (
        f" The coding counted in this report learned from {learned:,} of people's "
        f"decisions, so {most} of these figures judge suggestions the machine made before "
        "it learned from them."
    )


def counted_ones(found: Agreement) -> str:
    """What the decisions say of the suggestions that count, as opposed to the guesses.

    The review queue asks first about the items the machine is least sure of, so
    how often people keep its suggestions there says little of how often the
    suggestions sure enough to count are right.
    """
    if found.counted == found.decisions:
        if found.counted_agreed == found.agreed:
            return ""
        return (
            f"; counting any code the machine counted, not only its first choice, people "
            f"confirmed {found.counted_agreed:,} of {found.counted:,}"
        )
    unsure = "Most" if 2 * found.counted < found.decisions else "Some"
    opening = f". {unsure} were items the machine was unsure of, asked about for that reason"
    if too_small(found.counted):
        few = "none" if not found.counted else FEWER_THAN
        return (
            f"{opening}; {few} of them were suggestions sure enough to count, too few to say "
            "how often those are right"
        )
    return (
        f"{opening}; of the {found.counted:,} suggestions sure enough to count, people "
        f"confirmed {found.counted_agreed:,}"
    )


def themes_headline(themes: Sequence[ThemeSummary], found_in: str = "") -> str | None:
    """One sentence naming the largest themes, for readers who start with the headlines.

    Args:
        themes: The report's themes, largest first.
        found_in: Which part of the report's evidence the themes were found in
            ("188 items (consultation replies) from London Borough of Larkwell"),
            or "" when they were found in all of it. A reader who starts with the
            headlines must not take one consultation's themes for the network's.

    Returns:
        For example "14 themes were found in the evidence; the largest are
        “Youth club and kids” (22 items), ...", or None when there are no
        themes. The group of mixed subjects is not named: nobody raised it.
    """
    where = found_in or "the evidence"
    named = [t for t in themes if t.label not in {OTHER_LABEL, PRIVATE_NAME}][:3]
    if not named:
        if any(t.label == PRIVATE_NAME for t in themes):
            found = f"{count(len(themes), 'theme')} {'was' if len(themes) == 1 else 'were'}"
            return (
                f"{found} found in {where}; their names come from evidence not shared "
                "with the whole network, so each organisation's own report gives them."
            )
        return None
    parts = [f"\u201c{t.label}\u201d ({count_shown(t.size, 'item')})" for t in named]
    joined = listed(parts)
    if len(themes) == 1:
        return f"One theme was found in {where}: {joined}."
    largest = "the largest are" if len(named) > 1 else "the largest is"
    return f"{len(themes)} themes were found in {where}; {largest} {joined}."


def liked_headline(themes: Sequence[ThemeSummary]) -> str | None:
    """One sentence naming the themes people liked or reacted to most, when the data says.

    Args:
        themes: The report's themes.

    Returns:
        For example "The themes with the most likes and other reactions are “Shops”
        (1,006), ...", or None when no theme's items carry reactions.
    """
    liked = sorted(
        (t for t in themes if t.reactions and t.label not in {OTHER_LABEL, PRIVATE_NAME}),
        key=lambda t: -(t.reactions or 0),
    )[:3]
    if not liked:
        return None
    parts = [f"\u201c{t.label}\u201d ({t.reactions:,})" for t in liked]
    joined = listed(parts)
    which = (
        "themes with the most likes and other reactions are"
        if len(parts) > 1
        else ("theme with the most likes and other reactions is")
    )
    return f"The {which} {joined}."


def culture_headline(lines: Sequence[CultureLine]) -> str | None:
    """One sentence on an organisation's staff survey: its themes furthest below and above.

    Args:
        lines: Its culture themes in their latest year (:class:`CultureLine`).

    Returns:
        The sentence, or None when no theme has a score and a gap to compare.
    """

    def gap(line: CultureLine) -> float | None:
        try:
            return float(line.gap.replace("\u2212", "-"))
        except ValueError:
            return None  # withheld, or no median to compare with

    scored = sorted(
        ((found, line) for line in lines if (found := gap(line)) is not None),
        key=lambda pair: (pair[0], pair[1].theme),
    )
    if not scored:
        return None
    low_gap, low = scored[0]
    people = f", with {low.respondents:,} people answering" if low.respondents else ""
    sentence = (
        f"In its {low.year} staff survey{people}, {low.organisation} scored {low.score} for "
        f"{lower_first(low.theme)}, {_points(low_gap)} the median of the organisations in "
        f"the same survey ({low.median})"
    )
    high_gap, high = scored[-1]
    if high is not low and high_gap > 0:
        sentence += (
            f"; its best against the median was {lower_first(high.theme)}, at {high.score} "
            f"({_points(high_gap)} {high.median})"
        )
    return sentence + "."


def _listed(names: Sequence[str]) -> str:
    """Names joined as a sentence lists them: "A", "A and B", "A, B and C"."""
    return listed([lower_first(name) for name in names])


def _points(gap: float) -> str:
    """A gap to a median in words: "25 points below", "3 points above", "level with"."""
    if gap == 0:
        return "level with"
    size = f"{abs(gap):g} point{'' if abs(gap) == 1 else 's'}"
    return f"{size} {'below' if gap < 0 else 'above'}"


__all__ = [
    "DBE_LENS",
    "count",
    "counted_ones",
    "culture_headline",
    "headlines",
    "liked_headline",
    "lower_first",
    "themes_headline",
    "trust_line",
    "upper_first",
]
