"""A theme's words as one person may see them.

A theme's label and keywords are drawn from all its members. When a person
may see only some of them, a keyword is shown only if it occurs in an item
they may see, and a machine-made label (or description) only if each of its
words (each of its quoted phrases' words) does, so the words of items private
to another organisation never reach them. A label a
person chose (a rename or a named merge) is theirs, not the evidence's.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from upstream.records.themes import EVERYTHING_ELSE, IN_GENERAL, OTHER_LABEL
from upstream.store.theme_repository import StoredTheme

if TYPE_CHECKING:
    from upstream.store.visibility import ScopedEvidence

__all__ = ["UNNAMED", "seen_description", "seen_words", "theme_as_seen"]

UNNAMED = "Named from items you cannot see"
_WORD = re.compile(r"[^\W\d_]{3,}")
_MAX_TEXTS = 5000
_QUOTED = re.compile(r"“([^”]*)”")


def seen_words(
    label: str, keywords: Sequence[Any], visible_texts: Iterable[str], *, person_named: bool
) -> tuple[str, list[Any]]:
    """The label and keywords that the visible texts bear out.

    Args:
        label: The theme's label.
        keywords: Its keywords.
        visible_texts: The texts of the members the person may see.
        person_named: Whether a person chose the label.

    Returns:
        The label (or :data:`UNNAMED`) and the keywords found in the visible texts.
    """
    seen = " ".join(visible_texts).lower()
    kept = [k for k in keywords if str(k).lower() in seen]
    # "… in general" and the mixed groups' names are upstream's words, not an item's.
    words = _WORD.findall(label.removesuffix(IN_GENERAL).lower())
    # A person's name, or upstream's own name for a mixed group, is no item's words.
    kept_as_is = person_named or label in (OTHER_LABEL, EVERYTHING_ELSE)
    shown = label if kept_as_is or all(w in seen for w in words) else UNNAMED
    return shown, kept


def seen_description(description: str, visible_texts: Iterable[str]) -> str:
    """The description when every word of its quoted phrases is in the visible texts, else ""."""
    seen = " ".join(visible_texts).lower()
    words = _WORD.findall(" ".join(_QUOTED.findall(description)).lower())
    return description if all(w in seen for w in words) else ""


def theme_as_seen(theme: StoredTheme, evidence: ScopedEvidence) -> StoredTheme:
    """``theme`` with only the words ``evidence`` may see (unchanged when every member is).

    A theme with no visible member keeps its words here; callers show it as
    hidden (no label, keywords or quotes at all).
    """
    if evidence.scope.see_all or not theme.item_ids:
        return theme
    members = sorted(set(theme.item_ids))
    visible = evidence.visible_ids(members)
    if not visible or len(visible) == len(members):
        return theme
    texts = [item.text for item in evidence.items_by_id(sorted(visible)[:_MAX_TEXTS])]
    edited = theme.details.get("edited") or []
    label, keywords = seen_words(
        theme.label, theme.keywords, texts, person_named=bool({"renamed", "merged"} & set(edited))
    )
    details = dict(theme.details)
    if details.get("description"):
        details["description"] = seen_description(str(details["description"]), texts)
    return replace(theme, label=label, keywords=keywords, details=details)
