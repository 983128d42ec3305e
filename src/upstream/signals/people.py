"""Who said an item: the respondent behind it, for counting people rather than items."""

from __future__ import annotations

from upstream.records.stored import ItemRecord

__all__ = ["RESPONDENT_KEYS", "respondent_of"]

RESPONDENT_KEYS = ("respondent", "respondent_id", "author", "user", "handle", "username")
"""Item attributes that name the person who said it, in order of preference."""


def respondent_of(item: ItemRecord) -> str | None:
    """Who said an item, from its attributes (``respondent``, ``author``, ...), if known."""
    for key in RESPONDENT_KEYS:
        value = item.attributes.get(key)
        if value:
            return str(value)
    return None
