"""Whose evidence a workspace coding run codes: the voices a framework is about.

The built-in frameworks (New Operating Models, Human Learning Systems, drivers,
barriers and enablers, ...) describe how organisations change the way they
work. What network members, staff and partners say speaks to that; a resident's
reply to a public question ("Stop the fly-tipping!!!") says what they want from
a service, and coding it as a barrier to change would count it as the council
naming one. So, unless told otherwise, a run against a built-in framework codes
only those three kinds of evidence, and residents' replies are left to themes.
A person's own codebook codes every kind. Either way the run records which
kinds it coded and how many items it left out, so every count can say so
(:func:`upstream.reports.run_scope.left_out_words`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from upstream.frameworks import builtin_names
from upstream.frameworks.model import Codebook
from upstream.records.evidence_types import EVIDENCE_TYPES, type_of_source
from upstream.records.stored import ItemRecord
from upstream.store import Workspace

__all__ = [
    "PRACTITIONERS",
    "CodedScope",
    "chosen_evidence",
    "coded_scope",
    "default_voices",
]

PRACTITIONERS: tuple[str, ...] = ("network", "staff", "partners")
"""The kinds of evidence a built-in framework codes by default."""


@dataclass(frozen=True)
class CodedScope:
    """The items a run codes, and what it leaves out.

    Attributes:
        voices: The evidence types coded, in the usual order.
        items: The items of those types, in stored order.
        left_out: Items of every other type, counted by type.
        by_default: Whether the framework chose the types (a person did when False).
    """

    voices: tuple[str, ...]
    items: list[ItemRecord]
    left_out: Counter[str]
    by_default: bool = True

    @property
    def parameters(self) -> dict[str, object]:
        """What the run records about its scope."""
        return {
            "evidence_types": list(self.voices),
            "left_out": dict(self.left_out),
            "evidence_types_by": "framework" if self.by_default else "person",
        }


def default_voices(codebook: Codebook) -> tuple[str, ...]:
    """The evidence types a workspace run codes against ``codebook`` unless told.

    Args:
        codebook: The framework.

    Returns:
        Evidence type keys (see :data:`upstream.records.evidence_types.EVIDENCE_TYPES`).
    """
    return PRACTITIONERS if codebook.id in builtin_names() else tuple(EVIDENCE_TYPES)


def coded_scope(
    workspace: Workspace,
    items: Sequence[ItemRecord],
    codebook: Codebook,
    voices: Collection[str] | None = None,
) -> CodedScope:
    """Keep the items whose evidence type the run codes.

    Args:
        workspace: Where the items are (for each source's type).
        items: The candidate items.
        codebook: The framework (for its default voices).
        voices: Evidence types to code instead of the framework's default.

    Raises:
        ValueError: ``voices`` names an unknown evidence type.
    """
    chosen = set(default_voices(codebook) if voices is None else voices)
    unknown = sorted(chosen - set(EVIDENCE_TYPES))
    if unknown:
        raise ValueError(
            f"Unknown evidence type {', '.join(unknown)}: choose from {', '.join(EVIDENCE_TYPES)}."
        )
    types = {
        source.id: type_of_source(source.kind, source.options) for source in workspace.sources()
    }
    kinds = [(item, types.get(item.source_id, "network")) for item in items]
    kept = [item for item, kind in kinds if kind in chosen]
    left = Counter(kind for _, kind in kinds if kind not in chosen)
    return CodedScope(tuple(k for k in EVIDENCE_TYPES if k in chosen), kept, left, voices is None)


def chosen_evidence(parameters: Mapping[str, object]) -> list[str] | None:
    """The evidence types a person chose for a run, to code again on a retrain.

    Args:
        parameters: The earlier run's parameters.

    Returns:
        The types, or None when the framework chose (it chooses afresh).
    """
    chosen = parameters.get("evidence_types")
    if parameters.get("evidence_types_by") != "person" or not isinstance(chosen, list):
        return None
    return [str(kind) for kind in chosen]
