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
    # A column name such as "grade-band" is one identifier; a question such as
    # "How was it done? (0-100)" is already words, and keeps its hyphens.
    spaced = name if " " in name.strip() else name.replace("_", " ").replace("-", " ")
    words = " ".join(spaced.split())
    return words[:1].upper() + words[1:] if words else name
