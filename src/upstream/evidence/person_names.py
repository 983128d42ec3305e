"""Find people's names where the words around them say a name is there.

A reply that says "contact Priya on 07700 900312" still identifies Priya once
the number is gone. There is no offline list of every name, and a capital letter
alone marks places, streets and teams as often as people, so names are found
only where the text itself says a name is there:

* an introduction: "my name is Priya Shah", "I'm called Sam";
* a request to get in touch: "contact Priya on ...", "ask for Tom at ...";
* a title: "Mrs Okafor", "Dr Lewis" (the title is kept);
* when ``strict`` (a story whose writer promised to name nobody), also an
  official's title ("Cllr Jones", "Councillor Ahmed") and anyone "called" or
  "named" something ("a volunteer called Sam");
* a sign-off that ends the reply: "Thanks, Priya", "Kind regards, J. Smith", or
  a name alone after the writer's contact details ("... on [PHONE]. Margaret Ellis");
* a name just before a date of birth: "Oliver Brown, date of birth ...";
* someone tagged in a social-media reply: "@Karen Whitby look at this", "@bex_brennan";
* a writer introducing themselves after a greeting: "Hi, I'm Amanda";
* the parts of an email address found in the same text: "priya.shah@..." makes
  "Priya" and "Shah" names wherever they appear capitalised;
* where the first word is a given name (:mod:`upstream.evidence.first_names`),
  the shapes that teams and places share with people: someone speaking ("Dev
  said", "Sarah was sceptical"), someone met or told ("met with Dev Sharma",
  "advisers told Tom", "ring Jo directly"), someone's ("Tom's team"), someone
  in brackets ("a regeneration officer (Amira)"), and a given name with a
  surname ("Gareth Olu"). A given name found this way is a name wherever else it
  appears capitalised in the same text.

Otherwise councillors named in their public role are left alone, as are
departments and teams ("contact Highways on ...").
"""

from __future__ import annotations

import re

from upstream.evidence.first_names import is_given_name

__all__ = ["name_hints", "redact_names"]

# A capitalised name word ("Priya", "O'Neill", "Smith-Jones") or an initial ("J.").
# A possessive "'s" stays outside the name: "Mrs [NAME]'s garden".
_WORD = r"(?:[A-Z](?:[a-z]+|(?=['’][A-Z]))(?:['’-](?!s\b)[A-Z]?[a-z]+)*|[A-Z]\.)"
_NAME = rf"{_WORD}(?:[ ]{_WORD}){{0,2}}"

_INTRODUCTION = re.compile(
    rf"\b(?i:my name is|my name's|i am called|i'm called|i’m called)\s+(?P<name>{_NAME})"
)
_CONTACT = re.compile(
    rf"\b(?i:contact|call|ring|phone|text|email|e-mail|message|ask for|speak to|speak with|"
    rf"talk to|write to)\s+(?P<name>{_NAME})(?=\s+(?:on|at|via)\b|\s*[(,]?\s*\[(?:PHONE|EMAIL)\])"
)
_TITLED = re.compile(rf"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame)\.?\s+(?P<name>{_NAME})")
_STRICT = (
    re.compile(rf"\b(?:Cllr|Councillor)\.?\s+(?P<name>{_NAME})"),
    re.compile(rf"\b(?i:called|named)\s+(?P<name>{_NAME})"),
)
_SIGN_OFF = re.compile(
    rf"\b(?i:thanks|thank you|many thanks|regards|kind regards|best regards|warm regards|"
    rf"best wishes|cheers|yours sincerely|yours faithfully|sincerely)\s*[,.!–-]*\s*"
    rf"(?P<name>{_NAME})\s*[.!]?\s*$"
)
# A name just before a date of birth ("Oliver Brown, date of birth ..."), or ending a
# reply after the writer's contact details ("... on [PHONE]. Margaret Ellis").
_BEFORE_BIRTH = re.compile(rf"(?P<name>{_NAME}),?\s+(?=(?i:date of birth|d\.?o\.?b\b|born)\b)")
_AFTER_CONTACT = re.compile(rf"\[(?:PHONE|EMAIL)\][.,;:!]?\s*[-–]?\s*(?P<name>{_NAME})\s*[.!]?\s*$")
# Someone tagged in a social-media reply ("@Karen Whitby look at this", "@bex_brennan"),
# and a writer who introduces themselves after a greeting ("Hi, I'm Amanda").
_MENTION = re.compile(rf"(?<![\w@.])@(?P<name>[A-Za-z0-9_]{{2,}}(?:[ ]{_WORD}){{0,2}})")
_GREETED = re.compile(
    rf"\b(?i:hi|hello|hey|hiya|good morning|good afternoon|good evening|dear all)\b[\s,!.–-]*"
    rf"(?i:i'm|i’m|i am|this is|it's|it’s)\s+(?P<name>{_NAME})"
)
_RULES = (
    _INTRODUCTION, _CONTACT, _TITLED, _SIGN_OFF, _BEFORE_BIRTH, _AFTER_CONTACT, _MENTION,
    _GREETED,
)  # fmt: skip

# Shapes a team or a place can take too ("Procurement said", "told Highways"): a name
# only when its first word is a given name.
_GIVEN = rf"(?P<name>{_WORD}(?:[ ]{_WORD})?)"
_SPEAKING = re.compile(
    rf"(?<![\w'’-]){_GIVEN}\s+(?:said|says|told|tells|thinks|thought|felt|feels|reckons|"
    rf"knows|knew|runs|ran|leads|led|manages|gave|gives|wrote|writes|sent|went|came|"
    rf"wants|asks|needs|hopes|likes|loves|worries|believes|agrees|argues|explains|"
    rf"mentions|suggests|describes|admits|recalls|remembers|"
    rf"was|is|has|had|would|will|can|could|does|did|[a-z]{{2,}}ed)\b"
)
# "Tom's team", "a regeneration officer (Amira)".
_POSSESSIVE = re.compile(rf"(?<![\w'’-])(?P<name>{_WORD})['’]s\b")
_BRACKETED = re.compile(rf"\((?P<name>{_WORD}(?:[ ]{_WORD})?)\)")
_MET = re.compile(
    rf"\b(?i:met with|meeting with|met|spoke to|spoke with|speaking to|talked to|"
    rf"talked with|told|asked|thanked|interviewed|emailed|phoned|rang|ring|with)\s+{_GIVEN}"
)
_FULL_NAME = re.compile(rf"(?<![\w'’-])(?P<name>{_WORD}[ ]{_WORD})(?![\w'’-])")
_GIVEN_RULES = (_SPEAKING, _MET, _FULL_NAME, _POSSESSIVE, _BRACKETED)
# Before a possessive name, these make it a place's name ("King George's Field").
_PLACE_TITLES = frozenset({"King", "Queen", "Prince", "Princess", "St", "St.", "Saint"})
# A given name followed by one of these is a place or a body ("Lewis House", "Grace Road").
_PLACE_WORDS = frozenset(
    {
        "House", "Court", "Hall", "Church", "College", "Academy", "Ward", "Way",
        "Close", "Gardens", "Square", "Place", "Station", "Estate", "Project",
        "Trust", "Foundation", "Fund", "Award", "Day", "Unit", "Group", "Network",
        "Primary", "Infant", "Junior", "Memorial", "Bridge", "Green", "Hill", "Row",
        "Drive", "Crescent", "Terrace", "Walk", "Grove", "Mews", "View", "Rise",
        "Centre", "Clinic", "Medical", "Practice", "Partnership", "Board", "Side",
        "Street", "Road", "Lane", "Avenue", "Park", "End", "Gate", "Yard",
    }
)  # fmt: skip

# Capitalised words that name a team, a place of work or a thing, not a person:
# "contact Highways on ...", "Thanks Council".
_NOT_NAMES = frozenset(
    {
        "The", "Us", "Me", "Our", "My", "Your", "Their", "Them", "Him", "Her", "It",
        "Council", "Team", "Teams", "Services", "Service", "Department", "Office",
        "Desk", "Line", "Helpline", "Centre", "Center", "Hub", "Reception", "Support",
        "Customer", "Customers", "Highways", "Housing", "Planning", "Police", "Library",
        "School", "Surgery", "Hospital", "Street", "Road", "Lane", "Avenue", "Park",
        "Everyone", "All", "Again", "You", "Anyone", "Someone",
    }
)  # fmt: skip
_EMAIL_LOCAL = re.compile(r"(?<![\w.+'-])([A-Za-z][\w.'-]*)(?:\+[\w.-]*)?@")
# Email local parts that are a role, not a person.
_ROLE_ADDRESSES = frozenset(
    {
        "info", "admin", "enquiries", "enquiry", "contact", "office", "hello", "team",
        "council", "mail", "service", "services", "support", "customer", "customers",
        "planning", "housing", "highways", "help", "reception", "noreply", "feedback",
        "consultation", "consultations", "general", "post", "web", "news",
    }
)  # fmt: skip


def name_hints(text: str) -> frozenset[str]:
    """Name words found in the personal email addresses of a text.

    Call it before the addresses are redacted. "priya.shah@example.org" gives
    ``{"Priya", "Shah"}``; a role address such as "info@..." gives nothing.

    Args:
        text: Free text, not yet redacted.

    Returns:
        Capitalised words, three letters or longer.
    """
    hints: set[str] = set()
    for match in _EMAIL_LOCAL.finditer(text):
        parts = [p for p in re.split(r"[._'-]+", match.group(1).lower()) if p]
        if len(parts) < 2 or any(p in _ROLE_ADDRESSES for p in parts):
            continue  # "jsmith" or "info" says nothing usable about a name in the text
        hints.update(p.capitalize() for p in parts if p.isalpha() and len(p) >= 3)
    return frozenset(hints)


def _is_name(candidate: str) -> bool:
    return not any(word in _NOT_NAMES for word in candidate.split())


def redact_names(
    text: str,
    placeholder: str,
    hints: frozenset[str] = frozenset(),
    *,
    strict: bool = False,
) -> tuple[str, int]:
    """Replace the names the words around them point to.

    Args:
        text: Free text (other personal details may already be placeholders).
        placeholder: What each name becomes, e.g. ``"[NAME]"``.
        hints: Name words known from the text's email addresses (:func:`name_hints`).
        strict: Also replace councillors' names ("Cllr Jones") and anyone
            "called" or "named" something.

    Returns:
        The text and how many names were replaced.
    """
    spans: list[tuple[int, int]] = []
    for rule in (*_RULES, *_STRICT) if strict else _RULES:
        for match in rule.finditer(text):
            candidate = match.group("name")
            words = candidate.split()
            # A sign-off or contact can run into the next sentence's first word.
            while len(words) > 1 and words[-1] in _NOT_NAMES:
                words.pop()
            candidate = " ".join(words)
            if _is_name(candidate):
                start = match.start("name")
                spans.append((start, start + len(candidate)))
    found = set(hints)
    for rule in _GIVEN_RULES:
        for match in rule.finditer(text):
            words = match.group("name").split()
            start = match.start("name")
            if len(words) == 2 and not is_given_name(words[0]) and rule is not _FULL_NAME:
                # "since January Dev has": the name is the word next to the verb.
                start += len(words[0]) + 1
                words = words[1:]
            if not is_given_name(words[0]) or words[0] in _NOT_NAMES:
                continue
            if len(words) > 1 and (words[1] in _NOT_NAMES or words[1] in _PLACE_WORDS):
                continue  # "Lewis House", "Canal Road would": a place, not a person
            if rule is _POSSESSIVE and _named_place(text, start, match.end()):
                continue  # "King George's Field", "St Mary's Church"
            spans.append((start, start + len(" ".join(words))))
            found.add(words[0])
    for hint in found:
        spans.extend(m.span() for m in re.finditer(rf"\b{re.escape(hint)}\b", text))
    if not spans:
        return text, 0
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1] + 1 and _only_space(text[merged[-1][1] : start]):
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts, last = [], 0
    for start, end in merged:
        parts += [text[last:start], placeholder]
        last = end
    parts.append(text[last:])
    return "".join(parts), len(merged)


def _named_place(text: str, start: int, end: int) -> bool:
    """Whether a possessive name is part of a place's name, not a person's ("Guy's Hospital").

    It is when a title such as "King" or "St" comes before it, or a capitalised
    word follows it ("George's Field"): people do not write "Tom's Team".
    """
    before = text[:start].split()
    after = text[end:].split(maxsplit=1)
    return bool(before and before[-1] in _PLACE_TITLES) or bool(after and after[0][:1].isupper())


def _only_space(gap: str) -> bool:
    return not gap.strip()
