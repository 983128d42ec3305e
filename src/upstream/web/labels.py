"""Plain words for the names data arrives with (attribute columns such as ``grade_band``)."""

from __future__ import annotations

__all__ = ["attribute_label"]

# Names whose plain reading is not obvious from the column name alone.
_KNOWN = {
    "column": "Workshop board column",
    "grade_band": "Grade",
    "respondent": "Type of respondent",
    "visit": "Learning visit",
    "workshop": "Workshop",
    "directorate": "Directorate",
    "ward": "Ward",
    "year": "Year",
    "question": "Question asked",
    "role": "Role",
}


def attribute_label(name: str) -> str:
    """What to call an attribute on a page: ``grade_band`` becomes "Grade".

    Args:
        name: The attribute's name as imported.

    Returns:
        A known plain label, or the name with underscores as spaces and a capital.
    """
    known = _KNOWN.get(name.strip().lower())
    if known:
        return known
    words = " ".join(name.replace("_", " ").replace("-", " ").split())
    return words[:1].upper() + words[1:] if words else name
