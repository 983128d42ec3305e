"""Replace personal details in free text with typed placeholders.

Replies to consultations often carry the writer's email, phone number, address
or National Insurance number, and sometimes a name. Redaction swaps each for a
placeholder such as ``[EMAIL]`` so the text stays readable and codeable, and
counts what it did. Patterns are UK-centred and deliberately conservative:
ordinary numbers, years and money amounts are left alone, and names are taken
only where the words around them say a name is there (see ``person_names``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from upstream.evidence.person_names import name_hints, redact_names

EMAIL = "EMAIL"
PHONE = "PHONE"
POSTCODE = "POSTCODE"
NI_NUMBER = "NI_NUMBER"
CARD = "CARD"
NAME = "NAME"
DOB = "DOB"
ID = "ID"
ADDRESS = "ADDRESS"
PLACEHOLDERS = (EMAIL, PHONE, POSTCODE, ADDRESS, NI_NUMBER, CARD, DOB, ID, NAME)
"""Every placeholder redaction puts in the text."""

_EMAIL = re.compile(
    r"(?<![\w.+'-])[A-Za-z0-9][\w.%+'-]*@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*\.[A-Za-z]{2,}\b"
)
# 13-19 digits, optionally grouped with single spaces or dashes; Luhn decides.
_CARD = re.compile(r"(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d])")
# Prefix letters are not restricted to issued ones: "QQ" is the standard
# example prefix and people paste examples and typos alike.
_NI = re.compile(r"\b[A-Z]{2}[ ]?\d{2}[ ]?\d{2}[ ]?\d{2}[ ]?[A-D]\b", re.IGNORECASE)
# Inward letters are not limited to the issued set: made-up postcodes such as
# "AB12 3CD" in a reply still say where someone lives.
_POSTCODE = re.compile(
    r"\b(?:GIR[ ]?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?[ ]?\d[A-Z]{2})\b", re.IGNORECASE
)
# A UK number starts +44 / 0044 (optionally "(0)") or 0, then 9-10 more
# digits separated by at most two of space, dash or bracket.
_PHONE = re.compile(
    r"(?<![\w+])(?:(?:\+|00)44[ -]?(?:\(0\)[ -]?)?|\(?0)(?:\d[ ()-]{0,2}){8,9}\d(?!\d)"
)
# A house number and a named street ("Flat 3, 22 Wrenfield Lane") says where someone
# lives; a street named without a number ("the Wrenfield Lane stop") does not, so it stays.
_STREET_TYPES = (
    "Road|Rd|Street|St|Lane|Ln|Avenue|Ave|Close|Drive|Dr|Way|Crescent|Cres|Court|Ct|Place|Pl|"
    "Gardens|Gdns|Terrace|Grove|Hill|Row|Walk|Square|Sq|Mews|Rise|View|Parade|Green|Park|Vale"
)
_ADDRESS = re.compile(
    r"(?:\b(?:Flat|Apartment|Apt|Unit|Room)\.?\s+\d+[A-Za-z]?,?\s+)?"
    r"(?<![\w£$.,/-])\d{1,3}[A-Za-z]?,?\s+(?:[A-Z][a-z'’-]+\s+){1,3}"
    rf"(?:{_STREET_TYPES})\b\.?"
)
_NOT_POSTCODE_ENDINGS = {"ST", "ND", "RD", "TH", "AM", "PM"}
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*"
_DATE = (
    rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}\s+\d{{4}}|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
)
# Only the date goes, after words that say whose birthday it is: "date of birth [DOB]".
_DOB = re.compile(
    rf"\b(?:date of birth|d\.?o\.?b\.?|born on|born)\s*[:,-]?\s*(?P<value>{_DATE})", re.IGNORECASE
)
# A number that opens someone's account: "library card 2210045", "NHS number 943 476 5919".
_ACCOUNT = re.compile(
    r"\b(?:library card|membership|member|account|customer|tenancy|tenant|nhs|patient|"
    r"council tax|card)\s+(?:number|no\.?|#|ref(?:erence)?)?\s*:?\s*(?P<value>\d(?:[ -]?\d){5,})\b",
    re.IGNORECASE,
)


_WORDS = {
    EMAIL: ("email address", "email addresses"),
    PHONE: ("phone number", "phone numbers"),
    POSTCODE: ("postcode", "postcodes"),
    ADDRESS: ("street address", "street addresses"),
    NI_NUMBER: ("National Insurance number", "National Insurance numbers"),
    CARD: ("card number", "card numbers"),
    DOB: ("date of birth", "dates of birth"),
    ID: ("account or membership number", "account or membership numbers"),
    NAME: ("name", "names"),
}


def describe_redactions(counts: dict[str, int]) -> str:
    """Say in words what redaction replaced: "2 email addresses, 1 name".

    Args:
        counts: Placeholder type -> how many, as :func:`redact` returns.

    Returns:
        The counts in placeholder order; an empty string when there are none.
    """
    parts = []
    for kind in PLACEHOLDERS:
        n = counts.get(kind, 0)
        if n:
            parts.append(f"{n:,} {_WORDS[kind][n != 1]}")
    return ", ".join(parts)


def luhn_ok(digits: str) -> bool:
    """True when a string of digits passes the Luhn check used by payment cards."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if position % 2:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _is_card(match: re.Match[str]) -> bool:
    digits = re.sub(r"\D", "", match.group())
    return 13 <= len(digits) <= 19 and luhn_ok(digits)


def _is_phone(match: re.Match[str]) -> bool:
    digits = re.sub(r"\D", "", match.group())
    if digits.startswith("00"):
        digits = digits[2:]
    if digits.startswith("440"):
        digits = digits[2:]  # "+44 (0)20 ..." carries its trunk zero already
    elif digits.startswith("44"):
        digits = "0" + digits[2:]
    return digits.startswith("0") and len(digits) in (10, 11) and digits[1] in "1235789"


def _is_postcode(match: re.Match[str]) -> bool:
    text = match.group()
    # "m1 2nd" or "a1 3pm" in lower case is an ordinal or a time, not a postcode.
    return not (text[-2:].upper() in _NOT_POSTCODE_ENDINGS and not text.isupper())


_RULES: tuple[tuple[str, re.Pattern[str], Callable[[re.Match[str]], bool] | None], ...] = (
    (EMAIL, _EMAIL, None),
    (CARD, _CARD, _is_card),
    (NI_NUMBER, _NI, None),
    (PHONE, _PHONE, _is_phone),
    (POSTCODE, _POSTCODE, _is_postcode),
    (ADDRESS, _ADDRESS, None),
)


def _replace_value(text: str, pattern: re.Pattern[str], placeholder: str) -> tuple[str, int]:
    """Replace only the ``value`` group of each match, keeping the words that led to it."""
    found = 0

    def swap(match: re.Match[str]) -> str:
        nonlocal found
        found += 1
        start, end = match.span("value")
        whole = match.group()
        offset = match.start()
        return whole[: start - offset] + placeholder + whole[end - offset :]

    return pattern.sub(swap, text), found


def _replace(
    text: str,
    pattern: re.Pattern[str],
    accept: Callable[[re.Match[str]], bool] | None,
    placeholder: str,
) -> tuple[str, int]:
    parts: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        if accept is not None and not accept(match):
            continue
        parts.append(text[last : match.start()])
        parts.append(placeholder)
        last = match.end()
    if not parts:
        return text, 0
    parts.append(text[last:])
    return "".join(parts), len(parts) // 2


def redact(text: str, *, strict: bool = False) -> tuple[str, dict[str, int]]:
    """Replace emails, phone numbers, postcodes, addresses, ID numbers, birth dates and names.

    Emails go first (they contain digits and dots), then card numbers (a card
    is longer than a phone number, and checked by Luhn), NI numbers, phone
    numbers, postcodes and street addresses (a house number and a named
    street); then a date after "date of birth" and a number after
    "library card", "account" or the like. Names go last, so "call Priya on [PHONE]" is read
    with the number already a placeholder; the words of a personal email
    address ("priya.shah@...") are noted before the address goes.

    Args:
        text: Free text.
        strict: For text whose writer promised to name nobody: also replace
            councillors' names ("Cllr Jones"), otherwise kept as people acting
            in a public role, and anyone "called" or "named" something.

    Returns:
        The redacted text and how many of each placeholder were put in, e.g.
        ``("Call me on [PHONE]", {"PHONE": 1})``. Types with no match are left out.
    """
    counts: dict[str, int] = {}
    hints = name_hints(text) if "@" in text else frozenset()
    for name, pattern, accept in _RULES:
        text, found = _replace(text, pattern, accept, f"[{name}]")
        if found:
            counts[name] = found
    for name, pattern in ((DOB, _DOB), (ID, _ACCOUNT)):
        text, found = _replace_value(text, pattern, f"[{name}]")
        if found:
            counts[name] = found
    text, found = redact_names(text, f"[{NAME}]", hints, strict=strict)
    if found:
        counts[NAME] = found
    return text, counts
