"""What a benefit's own figures say about it, beside the status its owner recorded.

An owner's status ("on track") is a judgement and can go stale; the figures
can say something plainer: whether the target was reached, whether its date has
passed without it, or how far from the baseline towards the target the latest
measurement has come. Both are shown, so a reader can see when they disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from upstream.records.measures import BenefitDraft, MeasurePoint

__all__ = ["MISSED", "figures_say", "target_date"]

# Statuses that say the benefit is still to be won: after a missed date they are stale.
_STILL_OPEN = frozenset({"planned", "on track", "at risk"})


def target_date(draft: BenefitDraft, points: Sequence[MeasurePoint]) -> date | None:
    """When the target falls due: the benefit's own date, else its measure's target.

    Args:
        draft: The benefit.
        points: Its measure's points (any kind, any order).

    Returns:
        The date, or None when neither says.
    """
    if draft.due is not None:
        return draft.due
    targets = sorted((p for p in points if p.kind == "target"), key=lambda p: p.period)
    if draft.target is not None:
        matching = [p.period for p in targets if p.value == draft.target]
        if matching:
            return matching[0]
    return targets[-1].period if targets else None


MISSED = "Figures: missed"
"""How a sentence from :func:`figures_say` starts when the target date passed unmet."""


def figures_say(
    draft: BenefitDraft,
    latest: MeasurePoint | None,
    due: date | None,
    today: date,
) -> str:
    """One sentence on the benefit's progress from its figures alone.

    Args:
        draft: The benefit (baseline and target).
        latest: The latest actual measurement, if any.
        due: When the target falls due (:func:`target_date`).
        today: The date to judge "passed" against.

    Returns:
        The sentence, or "" when the figures cannot say (no baseline, target or
        measurement, or a target equal to the baseline).
    """
    baseline, target = draft.baseline, draft.target
    if latest is None or baseline is None or target is None or target == baseline:
        return ""
    progress = (latest.value - baseline) / (target - baseline)
    when = f"{latest.value:,.10g} in {latest.period.strftime('%B %Y')}"
    if progress >= 1:
        return f"Figures: target reached ({when})."
    if due is not None and due < today:
        stale = (
            f" The status recorded (\u201c{draft.status}\u201d) may be out of date."
            if draft.status in _STILL_OPEN
            else ""
        )
        way = f"{max(progress, 0.0):.0%} of the way there"
        return f"{MISSED}: due {due.strftime('%-d %b %Y')}, {way} ({when}).{stale}"
    return f"Figures: {max(progress, 0.0):.0%} of the way to the target ({when})."
