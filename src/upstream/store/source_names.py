"""What to call a source when listing it: by what it is, never by who sent it.

Sources made for one person's roundtable responses or stories were once named
with that person's email address (so each person's items have a source of
their own). A source picker lists every source with a visible item, so the
address would reach everyone who may filter the evidence. Names are shown
through :func:`source_label`, which says what the source is instead.
"""

from __future__ import annotations

import re

__all__ = ["collection_source_name", "roundtable_source_name", "source_label"]

_PERSON_SUFFIX = re.compile(r"\s*\([^()]*@[^()]*\)\s*$")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_ROUNDTABLE = "Roundtable: "
_STORIES = "Stories: "


def roundtable_source_name(title: str) -> str:
    """The name of a source of responses to the roundtable ``title``."""
    return f"Roundtable ‘{title}’ responses"


def collection_source_name(title: str) -> str:
    """The name of a source of stories sent to the collection ``title``."""
    return f"Stories sent to ‘{title}’"


def source_label(name: str, kind: str | None) -> str:
    """``name`` as a source picker shows it: no email address, and saying what it is.

    Args:
        name: The stored name.
        kind: The source's kind (``roundtable``, ``story collection``, ...).
    """
    name = _PERSON_SUFFIX.sub("", name)
    if kind == "roundtable" and name.startswith(_ROUNDTABLE):
        name = roundtable_source_name(name.removeprefix(_ROUNDTABLE))
    elif kind == "story collection" and name.startswith(_STORIES):
        name = collection_source_name(name.removeprefix(_STORIES))
    return _EMAIL.sub("a person", name)
