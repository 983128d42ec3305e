"""In words: which kinds of evidence a coding run left uncoded by design.

A run against a built-in framework codes what network members, staff and
partners say (:mod:`upstream.workflows.coding_scope`); every count of its codes
says what it left out, so a reader does not take residents' replies for items
the coder could not place.
"""

from __future__ import annotations

from collections.abc import Mapping

from upstream.records.evidence_types import types_covered

__all__ = ["left_out_words"]


def left_out_words(parameters: Mapping[str, object], framework: str) -> str:
    """A sentence on the evidence a run left uncoded by design ("" when none).

    Args:
        parameters: The run's parameters (``left_out`` as
            :class:`upstream.workflows.coding_scope.CodedScope` records it).
        framework: The framework's title.
    """
    left = parameters.get("left_out")
    if not isinstance(left, dict) or not any(left.values()):
        return ""
    kinds = types_covered(k for k, n in left.items() if n)
    coded = parameters.get("evidence_types")
    voices = types_covered(str(v) for v in coded) if isinstance(coded, list) else "other evidence"
    why = (
        " The framework describes how organisations work, so by default it is applied "
        f"to what {voices} say."
        if parameters.get("evidence_types_by") == "framework"
        else f" The run was asked to code evidence from {voices} only."
    )
    return f"Evidence from {kinds} is not coded against {framework}.{why}"
