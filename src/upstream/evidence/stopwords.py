"""Words too common to say anything: English stop words and this domain's own.

Shared by word frequencies, theme names and the coder's explanations, so a word
left out of one is left out of the others.
"""

from __future__ import annotations

from sklearn.feature_extraction.text import (  # type: ignore[import-untyped]
    ENGLISH_STOP_WORDS,
)

from upstream.evidence.redact import PLACEHOLDERS

__all__ = ["STOP_WORDS", "meaningful_term"]

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
        "anymore",
        "anyway",
        "said",
        "say",
        "says",
        "one",
        "also",
        "would",
        "could",
        "us",
        "will",
        # Contractions typed without the apostrophe, as replies often are.
        "thats",
        "theres",
        "whats",
        "lets",
        "ive",
        "youre",
        "theyre",
        "wont",
        "isnt",
        "wasnt",
        "doesnt",
        "didnt",
        "arent",
        "let",
        "half",
    }
)
STOP_WORDS: frozenset[str] = frozenset(ENGLISH_STOP_WORDS) | _DOMAIN_STOP_WORDS
"""English stop words plus words too common in this domain to name a theme."""

# Redaction placeholders as a lower-cased tokenizer sees them ("[EMAIL]" -> "email").
_PLACEHOLDERS = frozenset(placeholder.lower() for placeholder in PLACEHOLDERS)


def _junk(token: str) -> bool:
    return (
        len(token) < 2
        or token in STOP_WORDS
        or token in _PLACEHOLDERS
        or not any(character.isalpha() for character in token)
    )


def meaningful_term(term: str) -> bool:
    """Whether a word or phrase says something a reader can act on.

    A term is left out when any word is a redaction placeholder, a single letter
    or has no letters at all (a number), and when it starts or ends with a stop
    word ("in the", "leadership in"); a stop word inside a phrase ("lack of
    funding") is kept.

    Args:
        term: A word or a space-separated phrase, as the TF-IDF vocabulary has it.

    Returns:
        ``True`` if the term is worth showing.
    """
    tokens = term.lower().split()
    if not tokens:
        return False
    if any(token in _PLACEHOLDERS or not any(c.isalpha() for c in token) for token in tokens):
        return False
    if any(len(token) < 2 for token in tokens):
        return False
    return not (_junk(tokens[0]) or _junk(tokens[-1]))
