"""Who said an item: the respondent behind it, for counting people rather than items."""

from __future__ import annotations

from upstream.records.stored import ItemRecord

__all__ = ["RESPONDENT_KEYS", "names_respondent", "respondent_of"]

RESPONDENT_KEYS = ("respondent", "respondent_id", "author", "user", "handle", "username")
"""Item attributes that name the person who said it, in order of preference."""


def respondent_of(item: ItemRecord) -> str | None:
    """Who said an item, from its attributes (``respondent``, ``author``, ...), if known.

    A column kept as it was named in the file ("Respondent ID", "Author") counts
    too: names match ignoring case, spaces and hyphens.
    """
    attributes = item.attributes
    for key in RESPONDENT_KEYS:
        value = attributes.get(key)
        if value:
            return str(value)
    for name, value in attributes.items():
        if value and names_respondent(name):
            return str(value)
    return None


def names_respondent(attribute: str) -> bool:
    """Whether an attribute says who said an item ("respondent", "Respondent ID", "author")."""
    return _key(attribute) in RESPONDENT_KEYS


def _key(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").split())
