"""Flag spam, abuse, off-topic replies and copy-and-paste campaigns so they can be set aside.

A public question on social media draws adverts, insults, lost cats and
organised campaigns as well as ideas. Counting them as signal distorts every
theme and every number, so each item gets flags with the reasons behind them;
callers exclude ``spam``, ``abuse`` and ``off_topic`` items (``Flags.excluded``)
and count a ``campaign`` as one voice rather than many, but never delete
anything: a person can always see what was set aside and why.

Swearing is not abuse. "The roads round here are shit" is a view about the
roads: it is flagged ``rude`` and kept, and every quote of it is masked
(:func:`upstream.policy.excerpt`). Abuse is insult aimed at people.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from upstream.embed.base import Embedder
from upstream.policy.quotes import INSULTS, swear_words

__all__ = ["Flags", "flag_items"]


@dataclass(frozen=True)
class Flags:
    """Why an item might not be signal.

    Attributes:
        spam: Advertising, money-making offers, follower selling.
        abuse: Insults aimed at people.
        off_topic: Not an answer to the question (lost pets, chit-chat, "first").
        campaign: The same wording sent by several people (kept, but one voice).
        reasons: What triggered each flag, for people to check.
        rude: Swearing (kept: quotes of it are masked).
    """

    spam: bool = False
    abuse: bool = False
    off_topic: bool = False
    campaign: bool = False
    reasons: tuple[str, ...] = ()
    rude: bool = False

    @property
    def excluded(self) -> bool:
        """Whether the item should be left out of the signal."""
        return self.spam or self.abuse or self.off_topic


def _patterns(*expressions: str) -> list[re.Pattern[str]]:
    return [re.compile(e, re.IGNORECASE) for e in expressions]


_SPAM = _patterns(
    # Money by the day or week is spam only as a promise of earnings ("Make £400 a
    # day"): "it costs me over £25 a week to park" is a reply about parking.
    r"\b(earn|earning|earned|make|making|income|profits?)\b[^.!?\n]{0,20}"
    r"£\s?\d[\d,]*k?\s*(a|per|an)\s*(day|week|hour|month)",
    r"\bdm me\b",
    r"\bmessage (me|her|him) now\b",
    r"\blink in (my )?(bio|profile)\b",
    r"\b(crypto|bitcoin|forex)\b",
    r"\b(more|grow (your)?) ?followers\b",
    r"\bfree quotes?\b",
    r"\bbest (prices?|deals on)\b",
    r"\bcheck out my (page|profile|channel|shop)\b",
    r"\bno experience (needed|required)\b",
    r"\bworking from home!",
    r"https?://|www\.",
)
# Insults aimed at people, as the rules for quotes define them.
_ABUSE = _patterns(*INSULTS)
_OFF_TOPIC = _patterns(
    r"\b(does )?any ?(one|body) know\b",
    r"\b(lost|missing|found) (cat|dog|kitten|puppy|pet)\b",
    r"\bwhat time does\b",
    r"\bis (the|this) \w+ open\b",
    r"\bis this account (run by )?a bot\b",
    r"\bcome on you\b",
    r"\bplease share\b",
    r"\bcan (any|some) ?(one|body) recommend\b",
    r"\bwrong (group|page|thread|post)\b",
    r"\bwhere was (this|that|it) taken\b",
)
# Classified adverts: a thing for sale at a price, not a view. (The price is
# looked for on its own, not after ".*", which would rescan a long reply once
# per phrase found.)
_PRICE = re.compile(r"£\s?\d")
# "Cheap" with a way to get in touch after it ("cheap tyres, call 07..."): found with
# two forward searches, so a long reply costs one pass however often it says "cheap".
_CHEAP = re.compile(r"\bcheap\b", re.IGNORECASE)
_CONTACT = re.compile(r"\b(whats ?app|call|text|ring)\b", re.IGNORECASE)
_ADVERT = _patterns(r"\bfor sale\b", r"\bselling (a|an|my)\b", r"\b(ono|or nearest offer)\b")
# A reply that only tags someone ("@Sam look at this", or "@[NAME] look at this"
# once the name is redacted) answers nothing: the
# mentions at its start, then at most a few words. (Counted in code, not with
# one pattern: a pattern of repeated word groups can take exponential time on a
# long hostile reply.)
_MENTIONS = re.compile(r"^\s*(?:@(?:\w+|\[[A-Z]+\])[\s,]*)+")
_TAG_WORDS = 4
# One-word replies that answer nothing ("Trees!" is an answer; "first" is not).
_CHATTER = frozenset(
    {"first", "lol", "same", "this", "bump", "agreed", "yes", "no", "ok", "what", "test", "testing"}
)
# Short replies made only of these words, or of keys mashed in a row ("asdfgh"),
# say nothing a theme could hold: "Good.", "No comment", "N/A", "Asdfgh test".
_NO_ANSWER = _CHATTER | frozenset(
    {"good", "fine", "okay", "nice", "great", "nothing", "none", "na", "n", "a", "comment",
     "comments", "thanks", "thank", "you", "idk", "dunno", "not", "sure", "nope", "yep"}
)  # fmt: skip
_NO_ANSWER_WORDS = 3
_KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_WORD = re.compile(r"[a-z0-9£]+")


_FILLER = frozenset({"and", "the", "a", "an", "to", "of"})


def _wording(text: str) -> frozenset[str]:
    """The words of a text, ignoring case, punctuation, order and filler ("&" = "and")."""
    return frozenset(_WORD.findall(text.lower())) - _FILLER


def flag_items(
    texts: Sequence[str],
    *,
    question: str | None = None,
    embedder: Embedder | None = None,
    min_relevance: float = 0.05,
    campaign_size: int = 3,
) -> list[Flags]:
    """Flag each text.

    Args:
        texts: The items' texts.
        question: The question people were answering; with ``embedder``,
            replies far from it in meaning are flagged off-topic too.
        embedder: Embeds the question and the texts (optional).
        min_relevance: Cosine to the question below which a reply is off-topic.
        campaign_size: Identical wording (ignoring case and punctuation, at least
            five words) from this many items makes a campaign.

    Returns:
        One :class:`Flags` per text, in order.
    """
    normal = [_wording(t) for t in texts]
    repeats = Counter(n for n in normal if len(n) >= 5)
    relevance: list[float] | None = None
    if question and embedder is not None and texts:
        vectors = embedder.embed([question, *texts])
        relevance = [float(x) for x in vectors[1:] @ vectors[0]]
    flags = []
    for position, text in enumerate(texts):
        reasons: list[str] = []
        spam = _hits(_SPAM, text, "spam", reasons)
        if (cheap := _CHEAP.search(text)) and (contact := _CONTACT.search(text, cheap.end())):
            spam = True
            reasons.append(f'spam: "{cheap.group(0)} … {contact.group(0)}"')
        abuse = _hits(_ABUSE, text, "abuse", reasons)
        swearing = swear_words(text)
        if swearing:
            reasons.append(f'rude: "{swearing[0]}"')
        off_topic = _hits(_OFF_TOPIC, text, "off-topic", reasons)
        if _PRICE.search(text):
            off_topic = _hits(_ADVERT, text, "off-topic: an advert", reasons) or off_topic
        words = _WORD.findall(text.lower())
        if not words or (len(words) == 1 and words[0] in _CHATTER) or _says_nothing(words):
            off_topic = True
            reasons.append("off-topic: no answer in it")
        elif _only_tags(text):
            off_topic = True
            reasons.append("off-topic: only tags someone")
        if relevance is not None and relevance[position] < min_relevance and not off_topic:
            off_topic = True
            reasons.append(f"off-topic: far from the question (cosine {relevance[position]:.2f})")
        campaign = repeats.get(normal[position], 0) >= campaign_size
        if campaign:
            reasons.append(f"campaign: same wording in {repeats[normal[position]]} replies")
        flags.append(Flags(spam, abuse, off_topic, campaign, tuple(reasons), bool(swearing)))
    return flags


def _says_nothing(words: Sequence[str]) -> bool:
    """A short reply of only filler words or mashed keys ("No comment", "Asdfgh test")."""
    return len(words) <= _NO_ANSWER_WORDS and all(w in _NO_ANSWER or _mashed(w) for w in words)


def _mashed(word: str) -> bool:
    """Keys run along one row of the keyboard ("asdfgh", "qwerty") or no vowel at all."""
    if len(word) < 4 or not word.isalpha():
        return False
    return any(word in row for row in _KEY_ROWS) or not any(c in "aeiouy" for c in word)


def _only_tags(text: str) -> bool:
    """Whether a reply is mentions of people and at most a few words ("@Sam look at this")."""
    mentions = _MENTIONS.match(text)
    return mentions is not None and len(_WORD.findall(text[mentions.end() :].lower())) <= _TAG_WORDS


def _hits(patterns: list[re.Pattern[str]], text: str, kind: str, reasons: list[str]) -> bool:
    found = [m.group(0) for p in patterns if (m := p.search(text))]
    reasons.extend(f'{kind}: "{hit.strip()}"' for hit in found)
    return bool(found)
