"""Suggested workgroups: organisations whose evidence raises the same barriers or themes.

A suggestion is grounded in evidence: which organisations raise the code, how
many items, and a few quotes the viewer may see. Barriers come first, then
themes, then any other code, each needing at least two organisations.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from upstream.policy import Quote
from upstream.store.workgroup_repository import MemberRecord, WorkgroupRecord
from upstream.workflows.network.peers import CodeInfo, NetworkEvidence

__all__ = ["WorkgroupSuggestion", "related_workgroups", "suggest_workgroups", "suggestion_for"]

_KIND_ORDER = {"barrier": 0, "theme": 1, "enabler": 2, "driver": 3}


@dataclass(frozen=True)
class WorkgroupSuggestion:
    """A workgroup worth forming, and the evidence behind it.

    Attributes:
        info: The code or theme the group would work on.
        organisations: Organisations raising it, most items first.
        items: Items coded with it across those organisations.
        quotes: Up to three quotes the viewer may see, from different organisations.
        people: Workspace members of those organisations (who would be invited).
        existing: The id of a workgroup already working on it, if any.
    """

    info: CodeInfo
    organisations: tuple[str, ...]
    items: int
    quotes: tuple[Quote, ...]
    people: tuple[MemberRecord, ...]
    existing: int | None = None

    @property
    def name(self) -> str:
        """A name for the group."""
        return f"{self.info.title} workgroup"

    @property
    def purpose(self) -> str:
        """Why the group exists, in one sentence."""
        kind = self.info.kind if self.info.kind in {"barrier", "theme"} else "code"
        return (
            f"{len(self.organisations)} organisations ({', '.join(self.organisations)}) raise "
            f"the {kind} “{self.info.title}” in {self.items} items."
        )


def suggestion_for(
    evidence: NetworkEvidence,
    key: str,
    visible: Collection[int],
    people: Sequence[MemberRecord],
    existing: Sequence[WorkgroupRecord] = (),
) -> WorkgroupSuggestion | None:
    """The suggestion for one code or theme key; None when fewer than two organisations raise it."""
    counts = {
        org: n for (org, code), n in evidence.patterns.matrix.items() if code == key and n > 0
    }
    if len(counts) < 2:
        return None
    organisations = tuple(sorted(counts, key=lambda o: (-counts[o], o)))
    group = next((g.id for g in existing if key in g.focus), None)
    return WorkgroupSuggestion(
        evidence.info(key),
        organisations,
        sum(counts.values()),
        tuple(evidence.quotes(key, visible, limit=3)),
        tuple(p for p in people if p.organisation in counts),
        group,
    )


def suggest_workgroups(
    evidence: NetworkEvidence,
    visible: Collection[int],
    people: Sequence[MemberRecord],
    existing: Sequence[WorkgroupRecord] = (),
    *,
    limit: int = 8,
) -> list[WorkgroupSuggestion]:
    """Workgroups worth forming, barriers first, then themes, then other codes.

    Args:
        evidence: The workspace's coded evidence.
        visible: Ids of items the viewer may see (only their text is quoted).
        people: Workspace members with their organisations.
        existing: Workgroups already formed (a suggestion names the one covering it).
        limit: At most this many.
    """
    found: list[WorkgroupSuggestion] = []
    for reach in evidence.patterns.reach:
        info = evidence.info(reach.code)
        if len(reach.organisations) < 2 or info.code in {"barrier", "enabler", "driver"}:
            continue
        suggestion = suggestion_for(evidence, reach.code, visible, people, existing)
        if suggestion is not None:
            found.append(suggestion)
    found.sort(
        key=lambda s: (
            s.existing is not None,
            _KIND_ORDER.get(s.info.kind or "", 4),
            -len(s.organisations),
            -s.items,
            s.info.title,
        )
    )
    return found[:limit]


def related_workgroups(
    groups: Sequence[WorkgroupRecord], keys: Collection[str]
) -> list[WorkgroupRecord]:
    """Workgroups whose focus includes any of ``keys``."""
    wanted = set(keys)
    return [group for group in groups if wanted & set(group.focus)]
