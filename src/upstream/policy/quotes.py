"""Quotes: short extracts of evidence, attributed without naming anyone.

Every quote shown or printed is cut by the one rule in :func:`excerpt`: white
space tidied, swear words masked ("s***"), at most :data:`MAX_QUOTE`
characters, cut at the end of a sentence when one ends in the second half, else
at a word, with "…".

Swearing is not abuse: "the roads round here are shit" is a view about the
roads, and it counts wherever views are counted. Only its quotes are masked, so
a board paper can carry them; the item itself keeps its words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Final

__all__ = [
    "INSULTS",
    "MAX_QUOTE",
    "QUOTE_MIN_WORDS",
    "SWEARING",
    "Quote",
    "excerpt",
    "insults",
    "mask_swearing",
    "quote_rank",
    "repeats",
    "says_little",
    "shows_contact_details",
    "swear_words",
    "words_of",
]

MAX_QUOTE: Final = 300
"""The longest quote, in characters (the ellipsis counts as one)."""

_SENTENCE_END: Final = re.compile(r"[.!?…](?=\s)")

SWEARING: Final = re.compile(
    r"\b(?:f+u+c+k+\w*|f[*#@]+(?:c?k\w*)?|sh[i1]te?(?:s|ty|ting|ter)?|sh[*#@]t\w*|bollocks)\b"
    r"|\bf[*#@]{2,}",
    re.IGNORECASE,
)
"""Swear words, including their part-masked spellings ("f***ing", "sh*t")."""


INSULTS: Final = (
    r"\b(idiots?|morons?|muppets?|clowns|parasites|scum|imbeciles?|cretins?)\b",
    r"\b(bastards?|wankers?|tossers?|pr[i1]cks?)\b",
    r"\bsack the lot\b",
    r"\bget a real job\b",
)
"""Insults aimed at people, as whole words ("prickly" is not "prick"): abuse, not a view."""

_INSULTS: Final = re.compile("|".join(INSULTS), re.IGNORECASE)


def insults(text: str) -> list[str]:
    """The insults in ``text``, as written (none: an empty list)."""
    return [found.group(0) for found in _INSULTS.finditer(text)]


@lru_cache(maxsize=65536)
def quote_rank(text: str) -> int:
    """How fit a text is to quote: 0 clean, 1 swears (masked when quoted), 2 insults people.

    Whoever picks quotes takes lower ranks first, so a report quotes a reply that
    insults someone only when nothing else shows the point. Remembered per text:
    a page ranks the same items for each code it quotes.
    """
    if insults(text):
        return 2
    return 1 if swear_words(text) else 0


# Where redaction took out how to reach someone: "email [EMAIL] or ring [PHONE]".
_CONTACT_PLACEHOLDER: Final = re.compile(r"\[(?:EMAIL|PHONE|ADDRESS|POSTCODE)\]")


def shows_contact_details(text: str) -> bool:
    """Whether a text carries redacted contact details, which make a poor quote.

    "Call Dave on [PHONE]" reads as an advert or a request for contact, not as a
    view; a report quotes it only when nothing else shows the point.
    """
    return bool(_CONTACT_PLACEHOLDER.search(text))


QUOTE_MIN_WORDS: Final = 4
"""A text of fewer different words says little as a quote ("FREE PARKING FREE PARKING")."""
_REPEAT_OVERLAP: Final = 0.7
_WORDS: Final = re.compile(r"[^\W_]+", re.UNICODE)


def words_of(text: str) -> frozenset[str]:
    """The different words of ``text``, lower-cased."""
    return frozenset(w.lower() for w in _WORDS.findall(text))


def says_little(text: str) -> bool:
    """Whether ``text`` has too few different words to show what its point is.

    "Keep the LTN!" may be typical, but a sentence that gives a reason says more,
    so whoever picks quotes takes such texts only when nothing longer is left.
    """
    return len(words_of(text)) < QUOTE_MIN_WORDS


def repeats(one: frozenset[str], other: frozenset[str]) -> bool:
    """Whether two texts' words (:func:`words_of`) make one a repeat of the other.

    A repeat shares most of the shorter text's words: "Reduce parking charges"
    and "Reduce parking charges please" are one quote, not two.
    """
    if not one or not other:
        return False
    return len(one & other) / min(len(one), len(other)) >= _REPEAT_OVERLAP


def swear_words(text: str) -> list[str]:
    """The swear words in ``text``, as written (none: an empty list)."""
    return [found.group(0) for found in SWEARING.finditer(text)]


def mask_swearing(text: str) -> str:
    """``text`` with each swear word's letters after the first masked ("shit" → "s***")."""
    return SWEARING.sub(lambda found: found.group(0)[0] + "*" * (len(found.group(0)) - 1), text)


def excerpt(text: str, limit: int = MAX_QUOTE) -> str:
    """Shorten ``text`` to at most ``limit`` characters, at a sentence or word end.

    Args:
        text: The evidence text.
        limit: The most characters to keep (an ellipsis counts as one).

    Returns:
        The text with its white space tidied and swear words masked, cut with
        "…" when it was longer.
    """
    clean = mask_swearing(" ".join(text.split()))
    if len(clean) <= limit:
        return clean
    head = clean[: limit - 2]
    ends = [m.end() for m in _SENTENCE_END.finditer(head + " ")]
    if ends and ends[-1] >= limit // 2:
        return head[: ends[-1]] + " …"
    cut = head.rsplit(" ", 1)[0] if " " in head else head
    return cut.rstrip(",;:—- ") + "…"


@dataclass(frozen=True)
class Quote:
    """A short extract of evidence, attributed without naming anyone.

    Attributes:
        text: The extract, already cut by :func:`excerpt`.
        organisation: The organisation it came from ("" when unknown).
        role: The speaker's role, or what kind of evidence it is ("" when unknown).
        when: The item's date, when known.
        confidence: The machine's confidence, or 1.0 for a person's coding.
        origin: ``machine`` or ``human`` when the quote illustrates a coding, else "".
        item_id: The item quoted (for tracing back, never printed on paper).
    """

    text: str
    organisation: str = ""
    role: str = ""
    when: date | None = None
    confidence: float = 1.0
    origin: str = ""
    item_id: int | None = None

    @property
    def attribution(self) -> str:
        """Who said it: "Chief Executive, Mardenholt District Council", or the parts known."""
        parts = [p for p in (self.role, self.organisation) if p]
        return ", ".join(parts) or "Unattributed"
