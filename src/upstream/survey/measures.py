"""Stable ids for survey measures: turning a published column header into a measure.

Published organisation-level staff-survey tables name the same measure differently
from year to year: ``"Employee engagement index"``, ``"EES"`` and ``"Engagement
index"`` are one measure; question ``B07`` of 2009 is question ``B06`` of 2020.
This module decides, for one column header (and the question text when known),
which stable measure it is.

Stable ids follow the newest Civil Service People Survey numbering: question codes
such as ``B01``, ``C01_1``, ``E06_A``; ``EES`` for the engagement index; short ids
for the nine theme scores (``MW``, ``OP``, ``LM``, ``MT``, ``LD``, ``IF``, ``RW``,
``PB``, ``LMC``); ``RR`` (response rate), ``PERMA`` and ``HSE`` (wellbeing indices).
Questions that were asked once and retired get ``X_`` ids. The rules were worked
out from the published files (cross-checked against the open ``measures_lookup``
table of the csps-data project, CC-BY 4.0, which this module does not copy).

Rules, in order: (1) index and theme headers by name; (2) question text, when
known, against short phrases from each question; (3) the code, renumbered for the
year's questionnaire; (4) otherwise the published code itself, so a future year's
new question keeps its own id.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Final

INDEX: Final = "index"
THEME: Final = "theme"
QUESTION: Final = "question"
RESPONSE_RATE: Final = "response_rate"
OTHER: Final = "other"


@dataclass(frozen=True, slots=True)
class MeasureMatch:
    """The stable measure a column header was mapped to.

    Attributes:
        measure: Stable id, e.g. ``"B06"`` or ``"EES"``.
        kind: ``index``, ``theme``, ``question``, ``response_rate`` or ``other``.
        code: The code as published in the file (``"B07"``), or ``""``.
        label: The published label (question text or header), kept as published.
        rule: Which rule decided: ``name``, ``text``, ``code`` or ``published code``.
    """

    measure: str
    kind: str
    code: str
    label: str
    rule: str


# --- (1) indices, themes and other named measures -------------------------------------

_NAMED: Final[tuple[tuple[str, str, str], ...]] = (
    ("EES", INDEX, r"\bengagement (?:index|score)\b|^ees$|^eei$"),
    ("RR", RESPONSE_RATE, r"\bresponse rate\b"),
    ("PERMA", INDEX, r"\bperma\b"),
    ("HSE", INDEX, r"\bproxy stress\b|^hse(?: index)?$"),
    ("MW", THEME, r"\bmy work\b|^mw (?:ts|p)$"),
    ("OP", THEME, r"\bobjectives and purpose\b|^op (?:ts|p)$"),
    ("LM", THEME, r"\bmy (?:line )?manager\b|^lm (?:ts|p)$"),
    ("MT", THEME, r"\bmy team\b|^mt (?:ts|p)$"),
    ("LD", THEME, r"\blearning and development\b|^ld (?:ts|p)$"),
    ("IF", THEME, r"\binclusion and fair treatment\b|^if (?:ts|p)$"),
    ("RW", THEME, r"\bresources and workload\b|^rw (?:ts|p)$"),
    ("PB", THEME, r"\bpay and benefits\b|^pb (?:ts|p)$"),
    ("LMC", THEME, r"\bleadership and (?:managing )?change\b|^lc (?:ts|p)$"),
)
_NAMED_RE: Final = tuple((m, k, re.compile(p)) for m, k, p in _NAMED)
_LONGEST_NAME: Final = 90  # longer headers are question texts, never theme names

# --- (2) question text: a short phrase from each question ----------------------------
# Order matters where one phrase is contained in another question's text.

_TEXT_RULES: Final[tuple[tuple[str, str], ...]] = (
    ("B01", r"interested in my work"),
    ("B02", r"sufficiently challenged"),
    ("B03", r"sense of personal accomplishment"),
    ("B04", r"involved in the decisions that affect my work"),
    ("B05", r"choice in deciding how i do my work"),
    ("X_PURPOSE", r"clear understanding of .*purpose"),
    ("B06", r"clear understanding of .*objectives"),
    ("X_BCS_CONTRIBUTE", r"helping us become .*brilliant civil service"),
    ("B07", r"understand how my work contributes to"),
    ("B08", r"manager motivates me"),
    ("B09", r"considerate of my life outside work"),
    ("B10", r"open to my ideas"),
    ("B11", r"helps me to understand how i contribute"),
    ("B12", r"confidence in the decisions made by my manager"),
    ("B13", r"recognises when i have done my job well"),
    ("B14", r"regular feedback on my performance"),
    ("B15", r"feedback i receive helps me"),
    ("B16", r"performance is evaluated fairly"),
    ("B17", r"poor performance is dealt with"),
    ("B18", r"relied upon to help"),
    ("B19", r"work together to find ways to improve"),
    ("B20", r"come up with new and better ways"),
    ("B21", r"access the right learning and development"),
    ("B22", r"past 12 months have helped"),
    ("B23", r"opportunities for me to develop my career"),
    ("B24", r"while working for .*develop my career"),
    ("B25", r"treated fairly at work"),
    ("B26", r"treated with respect"),
    ("B27", r"valued for the work i do"),
    ("B28", r"respects individual differences"),
    ("X_EXPECTED", r"clear what is expected of me"),
    ("B29", r"information i need to do my job well"),
    ("B30", r"clear work objectives"),
    ("B31", r"skills i need to do my job"),
    ("B32", r"tools i need to do my job"),
    ("B33", r"acceptable workload"),
    ("B34", r"balance between my work life and my private life"),
    ("B35", r"pay adequately reflects my performance"),
    ("B36", r"total benefits package"),
    ("B37", r"similar job in other organisations"),
    ("X_MANAGED_WELL", r"as a whole is managed well"),
    ("B38", r"sufficiently visible"),
    ("B39", r"consistent with .*values"),
    ("B40", r"clear vision for the future"),
    ("B41", r"confidence in the decisions made by .*senior"),
    ("B42", r"change is managed well"),
    ("B43", r"usually for the better"),
    ("B44", r"keeps me informed"),
    ("B45", r"contribute my views before decisions"),
    ("B46", r"safe to challenge the way things are done"),
    ("B47", r"proud when i tell others"),
    ("B48", r"great place to work"),
    ("B49", r"strong personal attachment"),
    ("B50", r"inspires me to do the best in my job"),
    ("B51", r"motivates me to help it achieve"),
    ("X_MANAGERS_ACTION", r"managers where i work will take action"),
    ("B52", r"will take action on the results"),
    ("B53", r"effective action has been taken"),
    ("B54", r"trusted to carry out my job"),
    ("B55", r"supported if i (?:try|tried) a new idea"),
    ("X_GET_THINGS_DONE", r"whether i get things done"),
    ("X_WE_NOT_THEY", r"we rather than they"),
    ("X_FRIENDSHIPS", r"good friendships at work"),
    ("B56", r"encouraged to speak up"),
    ("B57", r"challenge inappropriate behaviour"),
    ("B58", r"diverse and inclusive workplace"),
    ("B59", r"aware of the civil service vision"),
    ("B60", r"managers in my area.*role model"),
    ("X_LS_SENIOR_ROLE_MODEL", r"senior managers.*role model"),
    ("X_LS_MANAGER_ROLE_MODEL", r"my manager actively role models"),
    ("X_LS_MANAGER_INSPIRES", r"my manager inspires my team"),
    ("X_LS_SENIOR_INSPIRE", r"senior managers.*inspire people"),
    ("X_LS_MANAGER_CONFIDENCE", r"my manager leads our team with confidence"),
    ("X_LS_SENIOR_CONFIDENCE", r"lead .*with confidence"),
    ("X_LS_MANAGER_EMPOWERS", r"my manager empowers me"),
    ("X_LS_SENIOR_EMPOWER", r"empower teams to deliver"),
    ("C01_1", r"leave .*as soon as possible"),
    ("C01_2", r"leave .*within the next 12 months"),
    ("C01_3", r"stay working for .*at least the next year"),
    ("C01_4", r"stay working for .*next three years"),
    ("X_INFO_HANDLING", r"handle personal and sensitive information"),
    ("X_INFO_TRAINING", r"training on handling data"),
    ("D02", r"how to raise a concern under the civil service code"),
    ("D03", r"confident that if you raise.* concern"),
    ("D01", r"aware of the civil service code"),
    ("E01", r"discriminat(?:ion|ed against) at work"),
    ("E05", r"did you report"),
    ("E03", r"bull(?:ying|ied) (?:or|and) harass"),
    ("X_ISSUE_RESOLVED", r"has this issue been resolved"),
    ("W01", r"satisfied are you with your life"),
    ("W02", r"things you do in your life are"),
    ("W03", r"how happy did you feel yesterday"),
    ("W04_LOW", r"how anxious did you feel yesterday.*\b0 3\b"),
    ("W04", r"how anxious did you feel yesterday"),
    ("J04B", r"overall mental health"),
    ("W05", r"overall physical health"),
    ("W07", r"how often do you feel lonely"),
    ("W08", r"genuinely care about my wellbeing"),
)
_TEXT_RE: Final = tuple((m, re.compile(p)) for m, p in _TEXT_RULES)
# Sub-items (E06_A, C01_1...) are identified by their code: their texts repeat a stem.
_CODE_OVER_TEXT: Final = re.compile(r"^[A-Z]\d{2}[A-Z]?_")

# --- (3) codes, renumbered for older questionnaires -----------------------------------

# 2009-2016 numbering: four B questions were later dropped and the rest moved up.
_LEGACY_DROPPED: Final = {6: "X_PURPOSE", 30: "X_EXPECTED", 40: "X_MANAGED_WELL"}
_LEGACY_DROPPED_TAIL: Final = {56: "X_MANAGERS_ACTION"}
_LAST_LEGACY_YEAR: Final = 2016
# Codes whose meaning was specific to a year, when no question text says otherwise.
_YEAR_CODES: Final[dict[int, dict[str, str]]] = {
    2010: {"C01": "X_INFO_HANDLING", "C02": "X_INFO_TRAINING", "E01": "D01", "E02": "D02"}
    | {"E03": "D03", "F01": "E01", "F03": "E03"},
    2012: {"X01": "B54", "X02": "B55", "X03": "X_GET_THINGS_DONE", "X04": "X_WE_NOT_THEY"}
    | {"X05": "X_FRIENDSHIPS"},
    2013: {"B60": "X_GET_THINGS_DONE", "B61": "X_WE_NOT_THEY", "B62": "X_FRIENDSHIPS"},
    2015: {"B63": "X_LS_MANAGER_INSPIRES", "B64": "X_LS_SENIOR_INSPIRE"}
    | {"B65": "X_LS_MANAGER_CONFIDENCE", "B66": "X_LS_SENIOR_CONFIDENCE"}
    | {"B67": "X_LS_MANAGER_EMPOWERS", "B68": "X_LS_SENIOR_EMPOWER"}
    | {"B69": "X_LS_SENIOR_ROLE_MODEL", "B70": "X_LS_MANAGER_ROLE_MODEL"},
    2016: {"B60": "X_WE_NOT_THEY", "B61": "X_FRIENDSHIPS", "B62": "X_LS_SENIOR_ROLE_MODEL"}
    | {"B63": "X_LS_MANAGER_ROLE_MODEL", "E06": "X_ISSUE_RESOLVED"},
    2017: {"B59": "X_LS_SENIOR_ROLE_MODEL", "B60": "X_LS_MANAGER_ROLE_MODEL", "B61": "B59"}
    | {"B62": "X_BCS_CONTRIBUTE", "E06": "X_ISSUE_RESOLVED"},
}
_YEAR_CODES[2018] = _YEAR_CODES[2017]
_YEAR_CODES[2014] = _YEAR_CODES[2013]
_YEAR_CODES[2015] |= _YEAR_CODES[2013]
# Years whose W04 column was the share rating anxiety 0-3 (low), not 6-10 (high).
_W04_LOW_YEARS: Final = range(2012, 2018)

_CODE_RE: Final = re.compile(
    r"^(?P<code>[A-Za-z]\d{2}[A-Za-z]?(?:_[A-Za-z0-9]{1,4})*)(?=$|[\s.:)\-–])[\s.:)\-–]*(?P<label>.*)$",
    re.DOTALL,
)
_FOOTNOTE: Final = re.compile(r"(?<=[a-z]{3})\d+\b")


def clean_header(text: str) -> str:
    """Tidy a published header: collapse whitespace, drop footnote digits (``purpose1``)."""
    text = " ".join(str(text).split())
    return _FOOTNOTE.sub("", text).strip()


def normalise_text(text: str) -> str:
    """Lower-case ASCII words only, for matching phrases in question texts."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = text.lower().replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def split_code(header: str) -> tuple[str, str]:
    """Split ``"B01. I am interested in my work"`` into ``("B01", "I am interested...")``.

    Returns:
        The upper-cased code (``""`` when the header has none) and the rest.
    """
    text = clean_header(header)
    found = _CODE_RE.match(text)
    if not found:
        return "", text
    return found["code"].upper(), found["label"].strip()


def canonical_code(code: str) -> str:
    """Normalise a code as published to the stable-id spelling.

    ``e06_a_yes`` becomes ``E06_A`` (the headline figure of a yes/no question is
    the share answering yes), ``HSE_index`` becomes ``HSE`` and ``mw_ts`` ``MW``.
    """
    upper = code.strip().upper()
    if upper.endswith("_YES"):
        upper = upper[: -len("_YES")]
    for measure, _kind, pattern in _NAMED_RE:
        if pattern.search(normalise_text(upper)):
            return measure
    return upper


def _by_name(header: str) -> tuple[str, str] | None:
    if len(header) > _LONGEST_NAME or re.match(r"(?i)table\s*\d", header):
        return None
    text = normalise_text(header)
    for measure, kind, pattern in _NAMED_RE:
        if pattern.search(text):
            return measure, kind
    return None


def _by_text(text: str) -> str | None:
    normal = normalise_text(text)
    if not normal:
        return None
    for measure, pattern in _TEXT_RE:
        if pattern.search(normal):
            return measure
    return None


def _by_code(code: str, year: int | None) -> str | None:
    if year is not None and code in _YEAR_CODES.get(year, {}):
        return _YEAR_CODES[year][code]
    if code == "W04" and year in _W04_LOW_YEARS:
        return "W04_LOW"
    found = re.fullmatch(r"B(\d{2})", code)
    if found and year is not None and year <= _LAST_LEGACY_YEAR:
        number = int(found[1])
        if number in _LEGACY_DROPPED or number in _LEGACY_DROPPED_TAIL:
            return {**_LEGACY_DROPPED, **_LEGACY_DROPPED_TAIL}[number]
        if number > max(_LEGACY_DROPPED_TAIL) + 3:
            return f"{code}_{year}"  # a short-lived question whose number was reused
        shift = sum(d < number for d in (*_LEGACY_DROPPED, *_LEGACY_DROPPED_TAIL))
        return f"B{number - shift:02d}"
    return None


@lru_cache(maxsize=8192)
def match_measure(header: str, *, year: int | None = None, text: str = "") -> MeasureMatch | None:
    """Decide which stable measure a published column header holds.

    Args:
        header: The column header as published, e.g. ``"B07. I have a clear
            understanding of [my organisation's] objectives (% strongly agree or
            agree)"``, ``"B07"``, ``"mw_ts"`` or ``"Employee engagement index"``.
        year: The survey year, needed to renumber codes of older questionnaires.
        text: The question text from a metadata sheet when the header is only a code.

    Returns:
        The match, or None when the header is not a survey measure at all.
    """
    cleaned = clean_header(header)
    code, rest = split_code(cleaned)
    if not code:
        by_text = _by_text(cleaned) if len(cleaned) > _LONGEST_NAME // 2 else None
        if by_text is not None:
            return MeasureMatch(by_text, _kind(by_text), "", cleaned, "text")
        named = _by_name(cleaned)
        if named is None:
            return None
        return MeasureMatch(named[0], named[1], "", cleaned, "name")
    label = rest or text
    if label and not _CODE_OVER_TEXT.match(code):
        by_text = _by_text(label)
        if by_text is not None:
            return MeasureMatch(by_text, _kind(by_text), code, label, "text")
    by_code = _by_code(code, year)
    if by_code is not None:
        return MeasureMatch(by_code, _kind(by_code), code, label or code, "code")
    return MeasureMatch(canonical_code(code), QUESTION, code, label or code, "published code")


def _kind(measure: str) -> str:
    for named, kind, _pattern in _NAMED_RE:
        if named == measure:
            return kind
    return QUESTION


THEME_LABELS: Final[dict[str, str]] = {
    "EES": "Employee engagement index",
    "MW": "My work",
    "OP": "Organisational objectives and purpose",
    "LM": "My manager",
    "MT": "My team",
    "LD": "Learning and development",
    "IF": "Inclusion and fair treatment",
    "RW": "Resources and workload",
    "PB": "Pay and benefits",
    "LMC": "Leadership and managing change",
    "RR": "Response rate",
    "PERMA": "PERMA wellbeing index",
    "HSE": "Proxy stress index",
}
"""Plain labels for the named measures, used when a file gives only a short id."""
