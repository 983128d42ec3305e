"""Words too common to say anything: English stop words and this domain's own.

Shared by word frequencies and theme names, so a word left out of one is left
out of the other.
"""

from __future__ import annotations

from sklearn.feature_extraction.text import (  # type: ignore[import-untyped]
    ENGLISH_STOP_WORDS,
)

__all__ = ["STOP_WORDS"]

# Words that are everywhere in public-service evidence and name no theme.
_DOMAIN_STOP_WORDS = frozenset(
    {
        "council",
        "councils",
        "people",
        "just",
        "really",
        "like",
        "get",
        "got",
        "make",
        "need",
        "needs",
        "want",
        "think",
        "thing",
        "things",
        "lot",
        "way",
        "ve",
        "ll",
        "don",
        "didn",
        "doesn",
        "isn",
        "wasn",
        "aren",
        "can",
        "cant",
        "dont",
        "im",
        "it",
        "its",
        "yes",
        "bit",
        "going",
        "actually",
        "said",
        "say",
        "says",
        "one",
        "also",
        "would",
        "could",
        "us",
        "will",
    }
)
STOP_WORDS: frozenset[str] = frozenset(ENGLISH_STOP_WORDS) | _DOMAIN_STOP_WORDS
"""English stop words plus words too common in this domain to name a theme."""
