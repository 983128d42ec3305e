"""The names and links people cite most: approaches, works, people, organisations, places.

An analyst reading 1,500 replies counts the idea everyone keeps naming ("one
approach, 34 references") as well as the themes. :func:`most_cited` does that
count: every link (``https://…``, ``www.…``) and every name (words written with
capitals mid-sentence, or acronyms: "Buurtzorg", "Human Learning Systems",
"NHS") is counted once per item and once per person, with the themes whose
items cite it and one item to quote. Names are found by how they are written,
so a town or a body counts as well as an approach; the kind column says which
are links. A street ("High Street", "Station Road") is where something is, not
something cited, and an initialism used as a common noun ("GP", "ASB") names no
source: neither is counted.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from upstream.evidence.stopwords import STOP_WORDS
from upstream.themes.phrases import strip_placeholders

__all__ = ["Citation", "cited_in", "most_cited"]

# A hyphen inside a word keeps it whole: "Co-op" is one name, not "Co".
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
# Small words that may sit inside a name ("Bank of England"); not "and", which
# more often joins two names than sits inside one.
_INSIDE = frozenset({"of", "for", "de", "van", "von", "upon", "in"})
_LINK = re.compile(r"(?i)\b(?:https?://|www\.)[^\s<>\"'()\[\]]+")
_TRAILING = ".,;:!?)]}'\""
# A UK postcode's letters ("LK7 2RW") are not a name anyone cites.
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
# Capitalised because of the calendar, not because anyone is citing them.
_CALENDAR = frozenset(
    {
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "christmas",
        "easter",
    }
)


# The last word of a street's name: where something is, not a source.
_STREETS = frozenset(
    {"street", "road", "lane", "avenue", "square", "way", "close", "drive", "crescent",
     "terrace", "walk", "row", "parade", "gardens", "grove", "mews", "hill", "place"}
)  # fmt: skip
# Initialisms written in capitals but used as common nouns: a GP is not a source.
_COMMON_INITIALISMS = frozenset(
    {"gp", "gps", "mp", "mps", "asb", "cctv", "tv", "pcso", "pcsos", "led", "ev", "evs",
     "atm", "atms", "hgv", "hgvs", "suv", "suvs", "diy", "faq", "pdf", "uk", "ok", "aka",
     "asap", "eta", "lol", "omg", "fyi", "ps", "etc"}
)  # fmt: skip

# "I", "I'm", "I've", "OK": capitalised by rule, never a name anyone cites.
_FIRST_PERSON = re.compile(r"(?i)i(?:['’](?:m|ve|d|ll|s))?|ok")


@dataclass(frozen=True)
class Citation:
    """One name or link and who cites it.

    Attributes:
        kind: ``link`` or ``name``.
        text: As most often written (a link without its scheme or ``www.``).
        items: Items that cite it.
        people: Distinct people who cite it (an item with no person counts as one),
            or ``None`` when the evidence does not say who wrote any item.
        themes: ``(theme number, items)`` of the themes whose items cite it, most first.
        example: Position of one item that cites it (the first).
    """

    kind: str
    text: str
    items: int
    people: int | None
    themes: tuple[tuple[int, int], ...]
    example: int


def _link_key(link: str) -> str:
    bare = re.sub(r"(?i)^(?:https?://)?(?:www\.)?", "", link.rstrip(_TRAILING))
    host, _, path = bare.partition("/")
    return (host.lower() + ("/" + path if path else "")).rstrip("/")


def cited_in(text: str) -> dict[tuple[str, str], str]:
    """The links and names one text cites.

    Args:
        text: One item's text.

    Returns:
        ``(kind, key)`` -> the form written, each once.
    """
    found: dict[tuple[str, str], str] = {}
    for match in _LINK.finditer(text):
        key = _link_key(match.group())
        if "." in key:
            found.setdefault(("link", key), key)
    # Redaction's placeholders ("[PHONE]") stand for what was removed: nobody cited them.
    without_links = strip_placeholders(_POSTCODE.sub(" ", _LINK.sub(" ", text)))
    for name in _names(without_links):
        found.setdefault(("name", " ".join(name.casefold().split())), name)
    return found


def _names(text: str) -> list[str]:
    """Runs of capitalised words, as people write names, without sentence-initial words."""
    names: list[str] = []
    run: list[tuple[str, bool]] = []
    last_end = 0

    def close() -> None:
        while run and (run[-1][0].casefold() in _INSIDE):
            run.pop()
        # A sentence's first word is capitalised anyway: it names nothing on its own,
        # and a stop word before a name ("The NHS", "We") is not part of it.
        while run and run[0][1] and (run[0][0].casefold() in STOP_WORDS or len(run) == 1):
            if len(run) == 1 and run[0][0].isupper() and len(run[0][0]) >= 2:
                break  # an acronym at the start of a sentence is still a name
            run.pop(0)
        words = [word for word, _ in run]
        if words and not _not_cited(words):
            names.append(" ".join(words))
        run.clear()

    for match in _WORD.finditer(text):
        word = match.group()
        gap = text[last_end : match.start()]
        starts = last_end == 0 or bool(re.search(r"[.!?:;\n]", gap))
        if run and not re.fullmatch(r"[ \t]+|-", gap):
            close()
        capital = word[:1].isupper() and len(word) >= 2
        if word.casefold() in _CALENDAR or _FIRST_PERSON.fullmatch(word):
            close()
        elif capital:
            run.append((word, starts))
        elif run and word.casefold() in _INSIDE:
            run.append((word, False))
        else:
            close()
        last_end = match.end()
    close()
    return names


def _not_cited(words: list[str]) -> bool:
    """A month, a street, a common noun in capitals, or a shouted "NO": nothing anyone cites."""
    if len(words) == 1 and words[0].casefold() in _CALENDAR | _COMMON_INITIALISMS:
        return True
    if all(word.isupper() and word.casefold() in STOP_WORDS for word in words):
        return True
    return len(words) > 1 and words[-1].casefold() in _STREETS


def most_cited(
    texts: Sequence[str],
    labels: Sequence[int] | None = None,
    respondents: Sequence[str | None] | None = None,
    *,
    top: int = 20,
    least: int = 2,
) -> list[Citation]:
    """Count what the texts cite, most-cited first.

    Args:
        texts: The items.
        labels: Each item's theme number (negative: none), to say where each is cited.
        respondents: Who wrote each item, to count people rather than items (when
            none is known, people are not counted and citations rank by items).
        top: Most citations returned.
        least: Fewest items a citation needs to be listed.

    Returns:
        Citations ranked by people, then items, then text.
    """
    items: dict[tuple[str, str], list[int]] = defaultdict(list)
    forms: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for index, text in enumerate(texts):
        for key, written in cited_in(text).items():
            items[key].append(index)
            forms[key][written] += 1
    known = respondents is not None and any(respondents)
    out: list[Citation] = []
    for key, where in items.items():
        if len(where) < least:
            continue
        people = {
            respondents[i] if respondents is not None and respondents[i] else f"#{i}" for i in where
        }
        themes = Counter(int(labels[i]) for i in where if labels is not None and labels[i] >= 0)
        written = max(sorted(forms[key]), key=lambda f: forms[key][f])
        ranked = tuple(sorted(themes.items(), key=lambda kv: (-kv[1], kv[0])))
        count = len(people) if known else None
        out.append(Citation(key[0], written, len(where), count, ranked, where[0]))
    out.sort(key=lambda c: (-(c.people or c.items), -c.items, c.text.lower()))
    return out[:top]
