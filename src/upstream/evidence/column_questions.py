"""The question a column's name asks: survey tools name each answer column by its question."""

from __future__ import annotations

import re

__all__ = ["header_question"]


_ASKING_WORDS = frozenset(
    {"what", "how", "why", "which", "who", "where", "when", "is", "are", "do", "does",
     "did", "have", "has", "can", "could", "would", "should", "please", "tell", "describe"}
)  # fmt: skip
_NUMBERING = re.compile(r"^(?:q(?:uestion)?\s*)?\d+[a-z]?\s*[.:)\-]?\s+", re.IGNORECASE)


def header_question(column: str | None) -> str | None:
    """The question a text column's name asks, or None for a plain name such as "text".

    Survey tools name each answer column by its question ("What gets in the way
    of doing your best work?"). Kept as the source's question, it tells the
    coder what a short answer is about and which way it points, as a question
    typed in by a person does.

    Args:
        column: The text column's name.

    Returns:
        The name, trimmed, when it ends with a question mark or opens with a
        question or request ("Please tell us …") and has four words or more.
    """
    name = " ".join((column or "").split())
    words = _NUMBERING.sub("", name).split()
    if len(words) < 3:
        return None
    if name.endswith("?") or (len(words) >= 4 and words[0].lower() in _ASKING_WORDS):
        return name
    return None
