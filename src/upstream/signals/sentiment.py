"""Sentiment and stance scores from a lexicon: offline, fast and explainable.

Each text gets a score from -1 (negative, or against) to +1 (positive, or
for). The scorer reads the words of :mod:`upstream.signals.lexicon` with a few
rules that matter in short replies:

* a negator ("not", "don't", "never", ...) up to three words before a word
  flips and softens it ("don't agree" is against);
* an intensifier strengthens the next word ("really good");
* after "but" or "however" the rest of the sentence counts more and what came
  before counts less ("I was against it at first but it's been brilliant");
* a closing "!" strengthens the whole text a little;
* in a sentence that is itself a wish ("Cleaner streets", "Make the tip
  easier to use") the good words name what is wanted, not how the writer
  feels, so they do not count (words of feeling against still do);
* "like" counts only as a verb ("we like it"), not when it compares ("the
  road is like driving on the moon").

The raw sum is squashed into -1..1 as VADER does (``x / sqrt(x^2 + 15)``), so
one strong word gives about 0.5 and piling up words approaches 1.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from upstream.signals.asks import sentence_asks
from upstream.signals.lexicon import GENERAL, INTENSIFIERS, NEGATORS, PHRASES, WORDS

__all__ = ["SentimentScore", "label_for", "sentiment", "sentiment_scores"]

_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|[!?.;:,]")
_BREAKS = frozenset("!?.;:,")
_CONTRAST = frozenset({"but", "however", "although", "though", "yet"})
_NEUTRAL_BAND = 0.05
_SENTENCE_ENDS = frozenset("!?.;")
_LIKE = frozenset({"like"})
# Words before "like" that make it the verb: "I like", "would like", "don't like".
_LIKERS = frozenset(
    {
        "i", "we", "you", "they", "people", "kids", "children", "everyone", "everybody",
        "who", "really", "also", "all", "would", "'d", "i'd", "we'd", "do", "did", "does",
        "don't", "dont", "didn't", "doesn't", "to", "still", "just",
    }
)  # fmt: skip
_MAX_PHRASE = max(len(p.split()) for p in PHRASES)
# Only words that start a phrase are worth trying phrases from (keeps scoring fast).
_PHRASE_STARTS = frozenset(p.split()[0] for p in PHRASES)


@dataclass(frozen=True)
class SentimentScore:
    """The sentiment of one text.

    Attributes:
        score: -1 (negative / against) to +1 (positive / for).
        label: ``positive``, ``negative`` or ``neutral``.
        terms: The words and phrases that counted, with their signed weight.
    """

    score: float
    label: str
    terms: tuple[tuple[str, float], ...]


def label_for(score: float, band: float = _NEUTRAL_BAND) -> str:
    """Return ``positive``, ``negative`` or ``neutral`` for a score."""
    if score > band:
        return "positive"
    if score < -band:
        return "negative"
    return "neutral"


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.lower().replace("’", "'").replace("‘", "'"))


def _match(tokens: list[str], start: int) -> tuple[str, float, int] | None:
    """Return the longest lexicon entry starting at ``start``: text, valence, length."""
    if tokens[start] not in _PHRASE_STARTS:
        value = _valence(tokens[start])
        return None if value is None else (tokens[start], value, 1)
    for length in range(min(_MAX_PHRASE, len(tokens) - start), 1, -1):
        phrase = " ".join(tokens[start : start + length])
        if phrase in PHRASES:
            return phrase, PHRASES[phrase], length
    word = tokens[start]
    value = _valence(word)
    return None if value is None else (word, value, 1)


def _valence(word: str) -> float | None:
    """A word's valence: upstream's own list first, then the general one."""
    value = WORDS.get(word)
    return GENERAL.get(word) if value is None else value


def sentiment(text: str) -> SentimentScore:
    """Score one text.

    Args:
        text: Any text; empty text scores 0 (neutral).

    Returns:
        The score, its label and the terms behind it.
    """
    tokens = _tokens(text)
    contrast = max((i for i, t in enumerate(tokens) if t in _CONTRAST), default=-1)
    asking = _asking_tokens(tokens)
    total = 0.0
    terms: list[tuple[str, float]] = []
    position = 0
    while position < len(tokens):
        found = _match(tokens, position)
        if found is None:
            position += 1
            continue
        phrase, valence, length = found
        if (valence > 0 and asking[position]) or _as_in(tokens, position, phrase):
            # What a wish asks for is not how the writer feels: "Cleaner streets".
            position += length
            continue
        window = tokens[max(0, position - 3) : position]
        # Negation and emphasis do not reach across punctuation.
        cut = max((i for i, t in enumerate(window) if t in _BREAKS), default=-1)
        window = window[cut + 1 :]
        boost = sum(INTENSIFIERS.get(word, 0.0) for word in window[-1:])
        value = valence * (1.0 + boost)
        # A phrase that itself contains a negation ("don't feel safe") is not flipped again.
        if any(word in NEGATORS for word in window) and phrase not in PHRASES:
            value *= -0.75
        if contrast >= 0:
            value *= 1.5 if position > contrast else 0.5
        total += value
        terms.append((phrase, round(value, 3)))
        position += length
    if tokens and tokens[-1] == "!" and total:
        total *= 1.15
    score = total / math.sqrt(total * total + 15.0) if total else 0.0
    return SentimentScore(round(score, 4), label_for(score), tuple(terms))


def _asking_tokens(tokens: list[str]) -> list[bool]:
    """For each token, whether its sentence asks for something (:func:`sentence_asks`)."""
    flags: list[bool] = []
    start = 0
    for end in [i for i, t in enumerate(tokens) if t in _SENTENCE_ENDS] + [len(tokens)]:
        if end < start:
            continue
        asks = sentence_asks(" ".join(tokens[start:end]))
        flags.extend([asks] * (min(end + 1, len(tokens)) - start))
        start = end + 1
    return flags


def _as_in(tokens: list[str], position: int, phrase: str) -> bool:
    """Whether "like" compares ("like driving on the moon") rather than likes ("we like it")."""
    if phrase not in _LIKE:
        return False
    return position == 0 or tokens[position - 1] not in _LIKERS


def sentiment_scores(texts: Sequence[str]) -> list[float]:
    """Score many texts.

    Args:
        texts: The texts.

    Returns:
        One score from -1 to 1 per text.
    """
    return [sentiment(text).score for text in texts]
