"""Candidate names for a theme: short phrases people actually wrote.

Qualitative researchers often give a theme an *in vivo* name, a phrase taken
from what people said. This module finds such phrases: word runs of one to
five words inside one clause of one item, that neither start nor end with a
stop word or a weak word ("bring", "stop", "outside"), that do not cut a name
such as "Pellow Cross" in half, and that never include a redaction
placeholder such as ``[EMAIL]``. Plural "s" is folded so "youth club" and
"youth clubs" count as one phrase.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from upstream.evidence.redact import PLACEHOLDERS
from upstream.evidence.stopwords import STOP_WORDS

__all__ = [
    "PLACEHOLDERS",
    "Phrase",
    "keyword_terms",
    "phrase_keys",
    "phrases",
    "strip_placeholders",
    "surfaces",
]

_PLACEHOLDER = re.compile(r"\[?\b(?:" + "|".join(PLACEHOLDERS) + r")\b\]?")
# A word is letters, or letters with a number that is part of what it names:
# a road or a line ("A14", "HS2"), a speed limit ("20mph"), "A&E". A bare
# number, a time, an ordinal or an amount ("14", "8am", "2nd", "10k") ends a phrase.
_WORD = re.compile(
    r"[A-Z]&[A-Z]\b"
    r"|\d+(?![^\W\d_]*\d)(?!(?:am|pm|st|nd|rd|th|s|k|m|p|x|hrs?|mins?|yrs?|ft|km|kg|ml)\b)"
    r"[^\W\d_]{2,}\b"
    r"|[^\W\d_]+\d*(?:['’][^\W\d_]+)*"
)
# Words join across spaces, or across one apostrophe or hyphen ("fly-tipping");
# a spaced dash ("paving - free quotes") ends the clause.
_JOIN = re.compile(r"^(?:\s*|['’-])$")
_SENTENCE_END = re.compile(r"[.!?\n]")
MAX_WORDS = 5

# Verbs and adverbs that make a phrase read as a fragment at either end
# ("bring community", "cars stop"); general English, not any one data set.
WEAK_EDGE = frozenset(
    [
        # A verb's "-s" form ends a subject, not a name ("toilets means", "council says");
        # not those that are also nouns people name things by ("bus stops", "special needs").
        "means",
        "makes",
        "gets",
        "says",
        "seems",
        "looks",
        "takes",
        "goes",
        "comes",
        "tells",
        "gives",
        "keeps",
        "wants",
        "feels",
        "puts",
        "lets",
        "tries",
        "ask",
        "asked",
        "bring",
        "brought",
        "stop",
        "stopped",
        "know",
        "knew",
        "help",
        "helped",
        "fix",
        "fixed",
        "open",
        "go",
        "going",
        "gone",
        "went",
        "put",
        "take",
        "taken",
        "took",
        "tell",
        "told",
        "say",
        "said",
        "see",
        "seen",
        "saw",
        "use",
        "used",
        "look",
        "looked",
        "come",
        "came",
        "let",
        "try",
        "tried",
        "give",
        "given",
        "find",
        "found",
        "feel",
        "felt",
        "seem",
        "start",
        "started",
        "stay",
        "call",
        "called",
        "pay",
        "paid",
        "spent",
        "run",
        "done",
        "did",
        "got",
        "getting",
        "made",
        "making",
        "sort",
        "sorted",
        "round",
        "outside",
        "inside",
        "around",
        "away",
        "still",
        "even",
        "ever",
        "always",
        "never",
        "often",
        "already",
        "much",
        "many",
        "lot",
        "lots",
        "very",
        "quite",
        "well",
        "sure",
        "thing",
        "things",
        "way",
        "ways",
        "something",
        "anything",
        "everything",
        "nothing",
        "yes",
        "no",
        "ok",
        "okay",
        "etc",
        "lol",
        "literally",
        "actually",
        "basically",
        "honestly",
        "probably",
        "maybe",
        # Verbs in -ing that are hardly ever a subject ("Coming", "Waiting and bus").
        "coming",
        "trying",
        "waiting",
        "looking",
        "saying",
        "taking",
        "giving",
        "asking",
        "thinking",
        "wanting",
        "needing",
        "telling",
        "seeing",
        "putting",
        "letting",
        "calling",
        "knowing",
        "talking",
        "happening",
        "moaning",
        "complaining",
        # Demands: a name that opens with one takes a side ("Scrap the LTN" over
        # a theme where others want it kept), so the subject names it ("LTN").
        "scrap",
        "restore",
        "reopen",
        "reinstate",
        "save",
        "ban",
        "build",
        "keep",
        "close",
        "axe",
        "protect",
        "introduce",
        "reduce",
        "increase",
        "remove",
        "install",
        "repair",
        "resurface",
        "extend",
        "improve",
        "sign",
        "oppose",
    ]
)
# Auxiliary and modal verbs and subject pronouns make a word run a clause
# ("the staff are brilliant and doing their best"), not a name, wherever they
# stand in it; general English, not any one data set.
CLAUSE_WORDS = frozenset(
    [
        "am",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "do",
        "does",
        "doing",
        "has",
        "have",
        "having",
        "will",
        "would",
        "shall",
        "should",
        "can",
        "could",
        "may",
        "might",
        "must",
        "i",
        "we",
        "you",
        "he",
        "she",
        "they",
        # Verbs that are never a subject's name ("every child deserves to learn").
        "deserve",
        "deserves",
        "deserved",
        "seems",
        "seemed",
        "wants",
        "wanted",
        "thinks",
        "thought",
        "reckon",
        "reckons",
    ]
)
# Adjectives and quantifiers: fine at the start ("better buses"), not at the end.
WEAK_END = frozenset(
    [
        "good",
        "great",
        "bad",
        "better",
        "best",
        "worse",
        "worst",
        "big",
        "small",
        "little",
        "new",
        "old",
        "same",
        "different",
        "other",
        "another",
        "next",
        "last",
        "first",
        "right",
        "left",
        "enough",
        "whole",
        "real",
        "proper",
        "free",
        "local",
        # Words that judge rather than name: "broken street lights" is a name, "broken" is not.
        "broken",
        "disgusting",
        "shocking",
        "appalling",
        "terrible",
        "awful",
        "horrible",
        "dangerous",
        "dirty",
        "unsafe",
        "safe",
        "empty",
        "closed",
        "nice",
        "lovely",
        "brilliant",
        "amazing",
        "rubbish",
        "ridiculous",
        "useless",
        "poor",
        "cheap",
        "expensive",
        "busy",
        "quiet",
    ]
)
# Endings of adjectives and past participles ("useless", "needed"), which do not
# name a theme on their own.
_NOT_A_NAME_ENDINGS = ("ed", "ful", "ous", "ive", "less", "able", "ible", "ish")


def strip_placeholders(text: str) -> str:
    """Replace redaction placeholders (``[EMAIL]``, ``PHONE``, ...) with a clause break."""
    return _PLACEHOLDER.sub(" . ", text)


@lru_cache(maxsize=65536)
def _fold(word: str) -> str:
    lower = word.lower().replace("’", "'")
    if len(lower) > 4 and lower.endswith(("sses", "shes", "ches", "xes", "zes", "uses")):
        return lower[:-2]  # "buses" and "bus", "churches" and "church"
    if len(lower) > 3 and lower.endswith("s") and not lower.endswith(("ss", "us", "is")):
        return lower[:-1]
    return lower


@lru_cache(maxsize=65536)
def _is_stop(word: str) -> bool:
    lower = word.lower().replace("’", "'")
    return lower in STOP_WORDS or "'" in lower or len(lower) < 2


@dataclass(frozen=True)
class Phrase:
    """One occurrence of a candidate phrase in a text.

    Attributes:
        key: The folded lower-case form, shared by all its spellings.
        surface: The words as written (sentence-initial capitals lowered).
        proper: Whether every content word is a name (capitalised mid-sentence, or in capitals).
        content: Words in it that are not stop words.
    """

    key: str
    surface: str
    proper: bool
    content: int


@dataclass(frozen=True)
class _Token:
    word: str
    start: bool  # first word of a sentence
    stop: bool
    proper: bool
    capital: bool  # written with a capital mid-sentence ("George's" in "King George's Field")


def _clauses(text: str) -> list[list[_Token]]:
    clauses: list[list[_Token]] = []
    current: list[_Token] = []
    last_end = 0
    sentence_start = True
    for match in _WORD.finditer(strip_placeholders(text)):
        gap = match.string[last_end : match.start()]
        if current and not _JOIN.match(gap):
            clauses.append(current)
            current = []
        if _SENTENCE_END.search(gap):
            sentence_start = True
        word = match.group()
        if word.upper() in PLACEHOLDERS:
            # Even written out ("email me"), such a word could be a placeholder's echo.
            if current:
                clauses.append(current)
                current = []
            last_end = match.end()
            continue
        capital = word[:1].isupper()
        upper = len(word) >= 2 and word.isupper()
        proper = upper or (capital and not sentence_start)
        stop = _is_stop(word)
        current.append(_Token(word, sentence_start, stop, proper and not stop, proper))
        sentence_start = False
        last_end = match.end()
    if current:
        clauses.append(current)
    return clauses


def phrases(text: str, max_words: int = MAX_WORDS) -> list[Phrase]:
    """Every candidate phrase in a text, in order (repeats included).

    Args:
        text: One item's text.
        max_words: Longest phrase, in words.

    Returns:
        The phrases that could name a theme.
    """
    found: list[Phrase] = []
    for clause in _clauses(text):
        for i, first in enumerate(clause):
            if first.stop or first.word.lower() in WEAK_EDGE:
                continue
            # A name is not cut in half ("ask Pellow" from "ask Pellow Cross").
            if first.proper and i > 0 and clause[i - 1].proper:
                continue
            for j in range(i, min(i + max_words, len(clause))):
                last = clause[j]
                words = clause[i : j + 1]
                if sum(t.stop for t in words) * 2 > len(words):
                    break
                if clause[j].word.lower() in CLAUSE_WORDS:
                    break
                lower = last.word.lower()
                if last.stop or lower in WEAK_EDGE or lower in WEAK_END:
                    continue
                if i == j and len(lower) > 5 and lower.endswith(_NOT_A_NAME_ENDINGS):
                    continue
                if last.proper and j + 1 < len(clause) and clause[j + 1].proper:
                    continue
                content = [t for t in words if not t.stop]
                found.append(
                    Phrase(
                        key=" ".join(_fold(t.word) for t in words),
                        surface=" ".join(
                            t.word if t.capital else t.word.lower().replace("’", "'") for t in words
                        ),
                        proper=all(t.proper for t in content),
                        content=len(content),
                    )
                )
    return found


def keyword_terms(text: str, max_words: int = 2) -> list[str]:
    """A text's keyword candidates: its content words and runs of adjacent ones, lower-cased.

    Counting word pairs after dropping stop words joins words that were never
    side by side: "Fine people properly, cameras, whatever it takes" would give
    "cameras takes". Here a run of words ends at a stop word and at a clause
    break, so the pairs are ones people wrote ("fine people").

    Args:
        text: One item's text.
        max_words: Longest run, in words.

    Returns:
        Every candidate, repeats included (the analyser for a word counter).
    """
    terms: list[str] = []
    for clause in _clauses(text):
        run: list[str] = []
        for token in [*clause, None]:
            if token is not None and not token.stop and sum(c.isalpha() for c in token.word) >= 2:
                run.append(token.word.lower().replace("’", "'"))
                continue
            for size in range(1, max_words + 1):
                terms += [" ".join(run[i : i + size]) for i in range(len(run) - size + 1)]
            run = []
    return terms


def phrase_keys(text: str) -> list[str]:
    """The distinct keys of a text's candidate phrases (the analyser for a word counter)."""
    return sorted({p.key for p in phrases(text)})


def surfaces(found: Sequence[Sequence[Phrase]]) -> dict[str, tuple[str, float]]:
    """How people most often wrote each phrase, and the share of its uses that were names.

    Args:
        found: The phrases of each text (from :func:`phrases`).

    Returns:
        For each key, its commonest spelling and the share of its occurrences
        in which it was a proper name.
    """
    forms: dict[str, Counter[str]] = {}
    proper: Counter[str] = Counter()
    for text in found:
        for phrase in text:
            forms.setdefault(phrase.key, Counter())[phrase.surface] += 1
            proper[phrase.key] += phrase.proper
    return {
        key: (max(sorted(seen), key=lambda f: seen[f]), proper[key] / sum(seen.values()))
        for key, seen in forms.items()
    }
