"""Method and trust: how the coding was done, how it compares with people, what to bear in mind."""

from __future__ import annotations

import math
from collections.abc import Sequence

from upstream.coding.agreement import cohen_kappa
from upstream.coding.thresholds import MIN_LABELS
from upstream.policy import FEWER_THAN
from upstream.policy import suppressed as too_small
from upstream.reports.checks import Check, count, count_shown, thresholds
from upstream.reports.counted import Counted
from upstream.reports.counts import Trend
from upstream.reports.evidence import CodedEvidence
from upstream.reports.figures import percent
from upstream.reports.model import Agreement, Method
from upstream.reports.sources import SOURCES_COUNTED

NO_CODE = "(no code)"


def agreement(coded: CodedEvidence, item_ids: set[int]) -> Agreement | None:
    """How often people kept the machine's top suggestion, with Cohen's κ.

    A rejection counts as the label "no code", so rejecting a suggestion is a
    disagreement. None when nobody has decided on any of these items yet.
    """
    decided = [i for i in coded.machine_top if i in item_ids and i in coded.decisions]
    if not decided:
        return None
    machine = [coded.machine_top[i] for i in decided]
    people = [coded.human_codes.get(i, NO_CODE) for i in decided]
    agreed = sum(1 for m, p in zip(machine, people, strict=True) if m == p)
    kappa = cohen_kappa(machine, people) if len(decided) > 1 else math.nan
    threshold = coded.run.parameters.get("threshold")
    cut = float(threshold) if isinstance(threshold, int | float) else 0.0
    counted = [i for i in decided if coded.machine_top_confidence.get(i, 0.0) >= cut]
    return Agreement(
        decisions=len(decided),
        agreed=agreed,
        kappa=None if math.isnan(kappa) else kappa,
        counted=len(counted),
        # Confirmed as the pages measure it (reports.checks.run_precision): a person
        # accepted a code the machine counted, if not always its first choice.
        counted_agreed=sum(1 for i in counted if coded.decisions.get(i) == "accept"),
    )


def method(
    items: Sequence[Counted],
    coded: CodedEvidence,
    *,
    dbe_run_id: int | None = None,
    total: int | None = None,
) -> Method:
    """The method figures for the items in a report.

    ``total`` is the number of items when ``items`` holds only those with codes
    or decisions (the rest counted by the database).
    """
    ids = {item.id for item in items}
    run = coded.run
    decisions = [d for i, d in coded.decisions.items() if i in ids]
    # An item a person coded with no suggestion of the machine's in front of them (a
    # story's writer placing it) was not a suggestion accepted.
    placed = sum(
        1
        for i, d in coded.decisions.items()
        if i in ids and d == "accept" and i not in coded.machine_top
    )
    threshold = run.parameters.get("threshold")
    return Method(
        framework=coded.codebook.title,
        framework_id=coded.codebook.id,
        framework_version=coded.codebook.version,
        run_id=run.id,
        run_started=run.started_at,
        started_by=run.started_by,
        mode=str(run.parameters.get("mode", "zero-shot")),
        labelled_examples=int(run.parameters.get("labelled_examples", 0) or 0),
        threshold=float(threshold) if isinstance(threshold, int | float) else None,
        parameters=dict(run.parameters),
        versions=dict(run.versions),
        seed=run.seed,
        items=len(items) if total is None else total,
        coded=sum(1 for i in ids if coded.assigned.get(i)),
        reviewed=len(decisions),
        accepted=decisions.count("accept") - placed,
        rejected=decisions.count("reject"),
        recoded=decisions.count("recode"),
        placed=placed,
        agreement=agreement(coded, ids),
        dbe_run_id=dbe_run_id,
    )


def describe_mode(figures: Method) -> str:
    """The coder's mode in plain words."""
    if figures.mode == "supervised":
        return (
            f"learning from {count(figures.labelled_examples, 'decision')} made by people "
            "as well as the framework's definitions and examples"
        )
    if figures.labelled_examples:
        return (
            f"from the framework's definitions and examples; items like one of the "
            f"{count(figures.labelled_examples, 'decision')} made by people take its code "
            f"(it learns from decisions on their own from {MIN_LABELS})"
        )
    if figures.reviewed:
        # People have decided, but this run learned from none of it: its codes are still
        # the framework's alone, and people's decisions count in their place.
        return (
            "from the framework's definitions and examples alone; it has not learned from "
            "people's decisions, which count in place of its codes where they were made "
            "(retraining lets it learn from them)"
        )
    return "from the framework's definitions and examples alone (no coded examples yet)"


def caveats(
    items: Sequence[Counted],
    figures: Method | None,
    trend: Trend | None,
    *,
    suppressed_groups: int,
    scoped: bool,
    checks: Sequence[Check] = (),
    without_organisation: int | None = None,
    evidence_from: str = "",
) -> list[str]:
    """What readers should bear in mind, in plain sentences.

    ``without_organisation`` is how many items have no organisation, when
    counted elsewhere (``items`` is then not read for it). ``evidence_from``
    names the one kind of evidence a report counts ("" for every kind).
    """
    notes = [
        "Counts are of items of evidence (a note, a reply, a comment), not of people: "
        "one person may have said several things, and some groups say more than others.",
        f"To protect people, an organisation or group with {FEWER_THAN} items is shown only "
        f"as \u201c{FEWER_THAN}\u201d and is not broken down"
        + (f" ({count(suppressed_groups, 'group')} in this report)." if suppressed_groups else ".")
        + f" Within a larger group, an element that {FEWER_THAN} of its items touch is "
        f"shown as \u201c{FEWER_THAN}\u201d too, so no figure rests on a handful of people's "
        "words.",
        SOURCES_COUNTED,
    ]
    if evidence_from:
        notes.append(
            f"This report counts only evidence from {evidence_from}. A figure reads "
            "\u201cnot shown\u201d where, beside the same figure in the report on all the "
            f"evidence, it would let a group of {FEWER_THAN} be worked out. The benefits "
            "register, and themes found across more than one kind of evidence, are only "
            "in the report on all the evidence."
        )
    if figures is None:
        notes.append("Nothing has been coded yet, so the report shows only what was collected.")
    else:
        uncoded = (
            f"Items with no code from {figures.framework} are not counted in its figures."
            if figures.covered
            else f"{figures.uncoded:,} of {count(figures.items, 'item')}"
            f"{' ' + figures.scope if figures.scope else ''} "
            f"({percent(figures.uncoded, figures.items)}) have no code from "
            f"{figures.framework} and are not counted in its figures."
        )
        notes.append(
            f"Codes were suggested by upstream's machine coder, {describe_mode(figures)}. "
            + uncoded
            + (f" {figures.not_coded}" if figures.not_coded else "")
        )
        if checks:
            notes.append(thresholds(checks))
        if figures.reviewed:
            share = (
                ""
                if figures.covered or too_small(figures.reviewed)
                else f" ({percent(figures.reviewed, figures.items)} of all items"
                f"{' ' + figures.scope if figures.scope else ''})"
            )
            notes.append(
                f"People have decided on {count_shown(figures.reviewed, 'item')} coded against "
                f"{figures.framework}{share}; the other codes are the machine's suggestions. "
                "Unless the items checked were picked at random, how often the machine is "
                "right on them may not hold for the rest."
            )
        else:
            notes.append(
                f"No person has checked the machine's {figures.framework} codes yet; treat "
                "those figures as a first sort, and review the least certain items before "
                "relying on them."
            )
    no_org = (
        sum(1 for item in items if not item.organisation)
        if without_organisation is None
        else without_organisation
    )
    if no_org:
        notes.append(
            f"{count(no_org, 'item')} {'has' if no_org == 1 else 'have'} no organisation "
            f"recorded; {'it is' if no_org == 1 else 'they are'} counted in totals "
            "but not in comparisons between organisations."
        )
    if trend is not None and trend.undated and trend.undated_covered:
        notes.append(
            "Some items have no date and are left out of the trends over time; how many is "
            "not shown, so that a smaller group cannot be worked out from it."
        )
    elif trend is not None and trend.undated:
        notes.append(
            f"{count_shown(trend.undated, 'item')} "
            f"{'have' if trend.undated != 1 or too_small(trend.undated) else 'has'} no date "
            f"and {'are' if trend.undated != 1 or too_small(trend.undated) else 'is'} left out "
            "of the trends over time."
        )
    if scoped:
        notes.append(
            "The report includes only the evidence you may see: other organisations' "
            "private evidence is left out."
        )
    notes.append(
        "Quotes are short extracts (at most about 300 characters), attributed to an "
        "organisation and a role, never to a named person. A post one person holds, such "
        "as a chief executive or a director, is given as \u201csenior leader\u201d, and a "
        "role is named only when at least 10 of its organisation's items share it; "
        "otherwise the quote says what kind of evidence it comes from."
    )
    return notes


__all__ = ["NO_CODE", "agreement", "caveats", "describe_mode", "method"]
