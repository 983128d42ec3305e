"""Coding explanations as one person may see them.

A coding's explanation names the labelled examples it resembles. Those
examples can be any organisation's items, so a stored explanation keeps only
their ids; the words are looked up when the explanation is shown, through the
viewer's :class:`~upstream.store.visibility.ScopedEvidence` at that moment. An
example the viewer may not see is left out. Texts an older explanation stored
beside an item's id are never shown: the id decides, the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from upstream.evidence.stopwords import meaningful_term
from upstream.policy import excerpt
from upstream.store.visibility import ScopedEvidence

__all__ = ["CODEBOOK_PREFIX", "neighbour_item_id", "stored_neighbour", "visible_explanations"]

CODEBOOK_PREFIX = "codebook:"
SNIPPET = 160


def neighbour_item_id(neighbour_id: object) -> int | None:
    """The stored item a neighbour is, or None (a codebook text, a training file's row)."""
    text = str(neighbour_id)
    return int(text) if text.isdigit() else None


def stored_neighbour(neighbour_id: str, text: str, similarity: float, code: str) -> dict[str, Any]:
    """How one neighbour is kept in a stored explanation.

    Only a codebook's own text (a code's title, definition or example, the same
    for everyone) is kept with its id; any other example keeps just its id, so
    nobody's words are copied into the explanation.
    """
    kept: dict[str, Any] = {"id": neighbour_id, "similarity": round(similarity, 4), "code": code}
    if neighbour_id.startswith(CODEBOOK_PREFIX):
        kept["text"] = text
    return kept


def visible_explanations(
    explanations: Iterable[Mapping[str, Any]], evidence: ScopedEvidence
) -> list[dict[str, Any]]:
    """Explanations with their neighbours cut down to what ``evidence`` may see.

    Args:
        explanations: Stored explanations (old ones may hold examples' texts).
        evidence: The viewer's evidence.

    Returns:
        One explanation per input, in order: the same entries, with each
        neighbour's text taken from the visible item now (or the codebook),
        neighbours the viewer may not see left out, and only words that matter
        (explanations stored before stop words and placeholders were filtered
        could hold "in the" or "EMAIL").
    """
    stored = [dict(e) for e in explanations]
    wanted = {
        found
        for e in stored
        for nb in e.get("neighbours") or []
        if isinstance(nb, Mapping) and (found := neighbour_item_id(nb.get("id"))) is not None
    }
    texts = {item.id: item.text for item in evidence.items_by_id(sorted(wanted))}
    for explanation in stored:
        if "terms" in explanation:
            explanation["terms"] = _meaningful(explanation.get("terms") or [])
        if "neighbours" in explanation:
            explanation["neighbours"] = _shown(explanation.get("neighbours") or [], texts)
    return stored


def _meaningful(terms: Iterable[Any]) -> list[Any]:
    return [
        term
        for term in terms
        if isinstance(term, list | tuple) and term and meaningful_term(str(term[0]))
    ]


def _shown(neighbours: Iterable[Any], texts: Mapping[int, str]) -> list[dict[str, Any]]:
    shown = []
    for neighbour in neighbours:
        if not isinstance(neighbour, Mapping):
            continue
        neighbour_id = str(neighbour.get("id", ""))
        item_id = neighbour_item_id(neighbour_id)
        if item_id is not None:
            if item_id not in texts:
                continue
            text = texts[item_id]
        elif neighbour_id.startswith(CODEBOOK_PREFIX):
            text = str(neighbour.get("text", ""))
        else:
            continue  # a row of a training file: not evidence anyone here can open
        shown.append(
            {
                "id": neighbour_id,
                "text": excerpt(text, SNIPPET),
                "similarity": float(neighbour.get("similarity") or 0.0),
                "code": str(neighbour.get("code", "")),
            }
        )
    return shown
