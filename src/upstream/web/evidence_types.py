"""The evidence-type filter shared by the evidence browser and the dashboards."""

from __future__ import annotations

from upstream.records.evidence_types import EVIDENCE_TYPES, type_of_source
from upstream.store import Workspace

__all__ = ["TYPE_PROBLEM", "sources_by_type", "type_choices"]

TYPE_PROBLEM = "The evidence type must be chosen from the list."


def sources_by_type(workspace: Workspace) -> dict[str, tuple[int, ...]]:
    """The workspace's source ids for each evidence type that has any."""
    found: dict[str, list[int]] = {}
    for source in workspace.sources():
        found.setdefault(type_of_source(source.kind, source.options), []).append(source.id)
    return {key: tuple(found[key]) for key in EVIDENCE_TYPES if key in found}


def type_choices(by_type: dict[str, tuple[int, ...]]) -> list[tuple[str, str]]:
    """(key, words) for each evidence type the workspace holds, for a picker."""
    return [(key, EVIDENCE_TYPES[key]) for key in by_type]
