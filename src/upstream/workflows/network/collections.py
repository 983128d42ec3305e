"""Story collections: set-up with sensible defaults, checking a story, redacting it, storing it.

A collection asks one prompt, lets the contributor choose which elements of a
framework their story is about (level 1 or 2 only, so the list stays short
enough to read on a phone), place it on two to four sliders between two poles,
and answer a few multiple-choice questions about themselves. Everything here
works on plain mappings of form values, so the web routes stay thin and the
rules can be tested without a browser.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from upstream.evidence.redact import redact
from upstream.frameworks import builtin_names, load_codebook
from upstream.frameworks.model import Codebook
from upstream.store.collection_repository import (
    CollectionRecord,
    CollectionSpec,
    CollectionStore,
    Question,
    Slider,
)
from upstream.workflows.network.story_wording import DEFAULT_RETENTION

__all__ = [
    "DEFAULT_CONSENT",
    "DEFAULT_QUESTIONS",
    "DEFAULT_SLIDERS",
    "MAX_SLIDERS",
    "MAX_STORY",
    "MIN_SLIDERS",
    "RATE_LIMIT",
    "RATE_WINDOW",
    "Element",
    "StoryForm",
    "element_choices",
    "framework_choices",
    "parse_story",
    "redact_story",
    "save_story",
    "spec_from_form",
]

MIN_SLIDERS = 2
MAX_SLIDERS = 4
MAX_QUESTIONS = 4
MAX_STORY = 5000
MIN_STORY = 20
# Five stories in ten minutes is more than one person writes by hand; a script
# sending more is refused until the window passes. Attempts are kept in the
# store, like sign-in attempts, rather than in memory: the limit then holds
# across restarts and when several server processes share one database.
RATE_LIMIT = 5
RATE_WINDOW = timedelta(minutes=10)
DEFAULT_SLIDERS: tuple[Slider, ...] = (
    Slider("with", "How was it done?", "Done to people", "Done with people"),
    Slider("power", "Who decided?", "The council decided", "People decided together"),
    Slider("lasting", "How lasting was it?", "A one-off", "The way things work now"),
)
DEFAULT_QUESTIONS: tuple[Question, ...] = (
    Question(
        "role",
        "Which best describes you?",
        (
            "Resident",
            "Council staff",
            "Voluntary or community group",
            "Other public service",
            "Business",
            "Other",
        ),
    ),
)
DEFAULT_CONSENT = (
    "I agree that my story can be read by the people running this collection and used, "
    "without my name, to learn how services work with communities. I have not named "
    "anyone who has not agreed to it."
)


@dataclass(frozen=True, slots=True)
class Element:
    """A framework element a contributor may choose."""

    id: str
    title: str
    definition: str
    depth: int


def framework_choices() -> list[tuple[str, str]]:
    """The built-in frameworks as (id, title)."""
    return [(key, load_codebook(key).title) for key in builtin_names()]


def element_choices(framework: str, level: int) -> list[Element]:
    """The elements of ``framework`` down to ``level`` (1: top level; 2: and their children).

    Raises:
        KeyError: There is no such built-in framework.
    """
    if framework not in builtin_names():
        raise KeyError(framework)
    book = load_codebook(framework)
    found: list[Element] = []
    for root in book.roots():
        found.append(Element(root.id, root.title, root.definition, 1))
        if level >= 2:
            found.extend(
                Element(child.id, child.title, child.definition, 2)
                for child in book.children(root.id)
            )
    return found


def codebook_of(collection: CollectionRecord) -> Codebook:
    """The framework a collection's contributors self-signify against."""
    return load_codebook(collection.spec.framework)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _when(text: str, label: str, problems: list[str]) -> datetime | None:
    text = text.strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        problems.append(
            f"{label} must be a date like 2026-03-31 (or a date and time); “{text}” is not."
        )
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _key(label: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")[:30] or "item"
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    taken.add(key)
    return key


def spec_from_form(
    form: Mapping[str, str | Sequence[str]], organisations: Sequence[str]
) -> tuple[CollectionSpec, list[str]]:
    """A collection's set-up from the set-up form's values, and any problems with it.

    Sliders are ``slider_label_N``, ``slider_left_N``, ``slider_right_N``
    (N = 1 to 4; a blank row is left out). Questions are ``question_label_N``
    with ``question_options_N`` (one option per line). Extra questions are one
    per line in ``extra_questions``. ``elements`` may repeat.

    Returns:
        The set-up (usable for re-showing the form even when there are problems)
        and the problems, in plain words.
    """

    def one(name: str) -> str:
        value = form.get(name, "")
        return (value if isinstance(value, str) else (value[0] if value else "")).strip()

    def many(name: str) -> list[str]:
        value = form.get(name, [])
        return [value] if isinstance(value, str) else list(value)

    problems: list[str] = []
    title, prompt = one("title")[:300], one("prompt")[:2000]
    if not title:
        problems.append("Give the collection a title.")
    if not prompt:
        problems.append("Write the prompt contributors will answer.")
    framework = one("framework") or "nom"
    level = 2 if one("level") == "2" else 1
    known: list[Element] = []
    if framework not in builtin_names():
        problems.append("Choose a framework from the list.")
        framework = "nom"
    else:
        known = element_choices(framework, level)
    known_ids = [e.id for e in known]
    chosen = [e for e in many("elements") if e in known_ids]
    elements = tuple(chosen) if chosen else tuple(known_ids)
    if one("elements_set") and not chosen:
        problems.append(
            "Choose at least one element of the framework for contributors to pick from."
        )
    taken: set[str] = set()
    sliders: list[Slider] = []
    for n in range(1, MAX_SLIDERS + 1):
        label, left, right = (
            one(f"slider_{part}_{n}")[:200] for part in ("label", "left", "right")
        )
        if not (label or left or right):
            continue
        if not (left and right):
            problems.append(f"Slider {n} needs a word or phrase for both ends.")
        sliders.append(
            Slider(
                _key(label or f"{left} {right}", taken), label or f"{left} or {right}", left, right
            )
        )
    if not MIN_SLIDERS <= len(sliders) <= MAX_SLIDERS:
        problems.append(f"Use between {MIN_SLIDERS} and {MAX_SLIDERS} sliders.")
    questions: list[Question] = []
    for n in range(1, MAX_QUESTIONS + 1):
        label = one(f"question_label_{n}")[:200]
        options = tuple(dict.fromkeys(o[:200] for o in _lines(one(f"question_options_{n}"))))
        if not label and not options:
            continue
        if not label or len(options) < 2:
            problems.append(
                f"Question {n} needs a question and at least two answers, one per line."
            )
        questions.append(Question(_key(label or f"question {n}", taken), label, options))
    extras = tuple(q[:300] for q in _lines(one("extra_questions")))[:5]
    opens = _when(one("opens_at"), "The opening date", problems)
    closes = _when(one("closes_at"), "The closing date", problems)
    if opens and closes and closes <= opens:
        problems.append("The closing date must be after the opening date.")
    organisation = one("organisation") or None
    if organisation is not None and organisation not in organisations:
        problems.append("Choose the organisation from the list.")
        organisation = None
    consent = one("consent")[:2000] or DEFAULT_CONSENT
    wording = tuple((e, one(f"question_{e}")[:300]) for e in elements if one(f"question_{e}"))
    spec = CollectionSpec(
        title=title,
        prompt=prompt,
        framework=framework,
        level=level,
        elements=elements,
        sliders=tuple(sliders),
        questions=tuple(questions),
        extra_questions=extras,
        anonymous=one("anonymous") != "no",
        consent=consent,
        opens_at=opens,
        closes_at=closes,
        organisation=organisation,
        host=one("host")[:200],
        controller=one("controller")[:300],
        retention=one("retention")[:200] or DEFAULT_RETENTION,
        element_questions=wording,
    )
    return spec, problems


def default_spec(organisation: str | None = None) -> CollectionSpec:
    """A new collection's set-up before the convener changes it."""
    elements = tuple(e.id for e in element_choices("nom", 1))
    return CollectionSpec(
        title="",
        prompt="Tell us about a time the council worked differently with your community.",
        framework="nom",
        level=1,
        elements=elements,
        sliders=DEFAULT_SLIDERS,
        questions=DEFAULT_QUESTIONS,
        consent=DEFAULT_CONSENT,
        organisation=organisation,
        host=organisation or "",
        controller=organisation or "",
        retention=DEFAULT_RETENTION,
    )


@dataclass
class StoryForm:
    """What a contributor typed, kept whole so a refused story can be shown again."""

    text: str = ""
    elements: list[str] = field(default_factory=list)
    sliders: dict[str, str] = field(default_factory=dict)
    skipped: set[str] = field(default_factory=set)
    answers: dict[str, str] = field(default_factory=dict)
    extras: dict[str, str] = field(default_factory=dict)
    consent: bool = False
    honeypot: str = ""


def read_story_form(
    collection: CollectionRecord, form: Mapping[str, str | Sequence[str]]
) -> StoryForm:
    """The public form's values as a :class:`StoryForm` (nothing is checked yet)."""

    def one(name: str) -> str:
        value = form.get(name, "")
        return value if isinstance(value, str) else (value[0] if value else "")

    raw = form.get("elements", [])
    spec = collection.spec
    return StoryForm(
        text=one("story")[: MAX_STORY * 2],
        elements=[raw] if isinstance(raw, str) else [str(e) for e in raw],
        sliders={s.key: one(f"slider_{s.key}").strip()[:10] for s in spec.sliders},
        skipped={s.key for s in spec.sliders if one(f"skip_{s.key}")},
        answers={q.key: one(f"answer_{q.key}")[:200] for q in spec.questions},
        extras={str(n): one(f"extra_{n}")[:2000] for n in range(len(spec.extra_questions))},
        consent=bool(one("consent")),
        honeypot=one("website"),
    )


@dataclass(frozen=True, slots=True)
class CheckedStory:
    """A story that passed every check, ready to redact and store."""

    text: str
    elements: tuple[str, ...]
    sliders: dict[str, int]
    answers: dict[str, str]


def parse_story(
    collection: CollectionRecord, story: StoryForm
) -> tuple[CheckedStory | None, list[str]]:
    """Check a contributor's story against the collection; say plainly what to fix.

    Returns:
        The checked story (None when there are problems) and the problems.
    """
    spec = collection.spec
    problems: list[str] = []
    text = story.text.strip()
    if len(text) < MIN_STORY:
        problems.append(
            f"Please write your story: a few sentences, at least {MIN_STORY} characters."
        )
    if len(text) > MAX_STORY:
        problems.append(
            f"Your story is {len(text):,} characters long; "
            f"please shorten it to {MAX_STORY:,} or fewer."
        )
    elements = tuple(e for e in spec.elements if e in set(story.elements))
    sliders: dict[str, int] = {}
    for slider in spec.sliders:
        value = story.sliders.get(slider.key, "")
        if slider.key in story.skipped or not value:
            continue  # a slider nobody moved says nothing, so nothing is saved
        try:
            number = round(float(value))
        except ValueError:
            problems.append(
                f"“{slider.label}” needs a number from 0 ({slider.left}) to 100 ({slider.right}), "
                "or leave it blank."
            )
            continue
        sliders[slider.key] = max(0, min(100, number))
    answers: dict[str, str] = {}
    for question in spec.questions:
        answer = story.answers.get(question.key, "")
        if answer and answer not in question.options:
            problems.append(f"Choose an answer to “{question.label}” from the list.")
        elif answer:
            answers[question.label] = answer
    for n, label in enumerate(spec.extra_questions):
        extra = story.extras.get(str(n), "").strip()
        if extra:
            answers[label] = extra
    if not story.consent:
        problems.append("Tick the consent box to send your story (or keep a copy of it and leave).")
    if problems:
        return None, problems
    return CheckedStory(text, elements, sliders, answers), []


def redact_story(text: str) -> tuple[str, dict[str, int]]:
    """Replace emails, phone numbers, postcodes and names with placeholders.

    Names are caught only where the text says they are names ("Mrs Patel",
    "my name is Sam Jones"): guessing at every capitalised word would blank out
    places and services the story is about. A story's writer promised to name
    nobody, so councillors' names and anyone "called" something go too.
    """
    return redact(text, strict=True)


def take_story_slot(store: CollectionStore, collection: CollectionRecord, address: str) -> bool:
    """Use one of ``address``'s stories for this collection; False when none are left.

    Taking the slot and checking the allowance is one database statement, so
    several stories sent at once cannot all slip under the limit. Give the slot
    back with ``store.give_back_slot`` when the story is then not accepted.
    """
    return store.take_slot(collection.id, address, limit=RATE_LIMIT, window=RATE_WINDOW)


def save_story(
    store: CollectionStore,
    collection: CollectionRecord,
    story: CheckedStory,
    *,
    submitted_by: str = "",
    organisation: str | None = None,
) -> int:
    """Redact and store a checked story with its self-signified codings; return the item id.

    Args:
        store: The collection's workspace.
        collection: Where it was sent.
        story: The checked story.
        submitted_by: The signed-in contributor's email, or "" when anonymous.
        organisation: Their organisation; the collection's when None.
    """
    text, counts = redact_story(story.text)
    answers = {label: redact_story(value)[0] for label, value in story.answers.items()}
    return store.add_story(
        collection,
        codebook_of(collection),
        text=text,
        redactions=counts,
        organisation=organisation or collection.spec.organisation,
        elements=story.elements,
        sliders=story.sliders,
        answers=answers,
        submitted_by=submitted_by,
    )
