"""Replies that repeat one another word for word: a campaign's wording, or one person twice.

Each copy is still an item, and a respondent unless the data say who wrote it:
this module only counts them, so pages and reports can say so.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

__all__ = ["repeated_items"]

_REPEAT_MIN_WORDS = 5
"""Shorter replies ("More buses please") are alike by chance, not copied."""


def repeated_items(texts: Sequence[str], members: Sequence[int]) -> int:
    """How many members say, word for word, what another member says.

    Case, punctuation and spacing are ignored. Replies under five words are not
    counted: people write "More buses please" independently.

    Args:
        texts: Every text.
        members: Positions of the theme's members in ``texts``.

    Returns:
        Members whose words at least one other member repeats (every copy counts).
    """
    copies = Counter(
        key
        for key in (_repeat_key(texts[i]) for i in members)
        if key.count(" ") + 1 >= _REPEAT_MIN_WORDS
    )
    return sum(n for n in copies.values() if n > 1)


def _repeat_key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))
