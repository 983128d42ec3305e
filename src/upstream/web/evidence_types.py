"""The evidence-type filter shared by the evidence browser and the dashboards."""

from __future__ import annotations

from upstream.records.evidence_types import EVIDENCE_TYPES
from upstream.workflows.theme_evidence import sources_by_type

__all__ = ["TYPE_PROBLEM", "sources_by_type", "type_choices"]

TYPE_PROBLEM = "The evidence type must be chosen from the list."


def type_choices(by_type: dict[str, tuple[int, ...]]) -> list[tuple[str, str]]:
    """(key, words) for each evidence type the workspace holds, for a picker."""
    return [(key, EVIDENCE_TYPES[key]) for key in by_type]
