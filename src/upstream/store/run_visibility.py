"""Run summaries as one person may see them.

A run can cover items some viewers may not see. Its summary keeps, for the
record, the ids of items left unassigned or set aside and the evidence chosen
in words ("Items from visit-notes.csv"); shown to a viewer, those name only
items and sources the viewer may see.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from upstream.records.stored import RunRecord

if TYPE_CHECKING:
    from upstream.store.visibility import ScopedEvidence

__all__ = ["NOT_SHOWN_CHOICE", "run_as_seen"]

NOT_SHOWN_CHOICE = "Evidence chosen by the person who started the run"
_CHOSEN_FROM = "Items from "


_INTERNAL = frozenset({"centroids"})


def run_as_seen(run: RunRecord, evidence: ScopedEvidence) -> RunRecord:
    """``run`` with its summary cut down to what ``evidence`` may see.

    Args:
        run: The stored run.
        evidence: The viewer's evidence.

    Returns:
        The run unchanged for someone who sees everything; otherwise a copy
        whose summary lists only visible items (unassigned, set aside) and names
        the chosen evidence only when it is a source or organisation the viewer
        may see.
    """
    # Centroids are averages of items' vectors: the next run's starting point, not
    # something to show or export, so they never leave the store this way.
    summary: dict[str, Any] = {k: v for k, v in run.summary.items() if k not in _INTERNAL}
    if evidence.scope.see_all:
        return replace(run, summary=summary)
    unassigned = [int(i) for i in summary.get("unassigned_item_ids") or []]
    aside = [a for a in summary.get("set_aside") or [] if isinstance(a, dict)]
    visible = evidence.visible_ids([*unassigned, *(int(a.get("item_id", 0)) for a in aside)])
    if "unassigned_item_ids" in summary:
        summary["unassigned_item_ids"] = [i for i in unassigned if i in visible]
    if "set_aside" in summary:
        summary["set_aside"] = [a for a in aside if int(a.get("item_id", 0)) in visible]
    chosen = summary.get("evidence")
    if isinstance(chosen, str) and chosen.startswith(_CHOSEN_FROM):
        named = chosen.removeprefix(_CHOSEN_FROM)
        known = {name for _, name in evidence.sources()} | set(evidence.organisation_names())
        if named not in known:
            summary["evidence"] = NOT_SHOWN_CHOICE
    return replace(run, summary=summary)
