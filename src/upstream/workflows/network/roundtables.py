"""Roundtables: events where practitioners respond in writing and reflect together.

A convener sets out an agenda (each item may ask a question for written
responses) and, if wanted, a reflection board with columns such as "Leave
behind", "Keep" and "Do differently". Every response is stored as an item of
evidence, so it is browsed, coded and themed like anything else. While the
event runs, :func:`refresh_live` works out *quick* themes and codes of the
responses so far with a fast lexical text model; :class:`LiveRefresher` makes
sure at most one such run happens per roundtable at a time.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

import numpy as np

from upstream.frameworks import builtin_names, load_codebook
from upstream.frameworks.model import Codebook
from upstream.policy import FEWER_THAN, MIN_GROUP, shown_count, withheld
from upstream.records.stored import ItemRecord
from upstream.signals.people import respondent_of
from upstream.store import Workspace
from upstream.store.roundtable_repository import (
    AGENDA,
    BOARD,
    AgendaEntry,
    RoundtableRecord,
    RoundtableStore,
)

__all__ = [
    "DEFAULT_COLUMNS",
    "MAX_RESPONSE",
    "QUICK_EMBEDDER",
    "Answer",
    "LiveRefresher",
    "RoundtableDraft",
    "answers_from_form",
    "create_roundtable",
    "live_for_own_only",
    "live_summary",
    "read_roundtable_form",
    "refresh_live",
    "respond",
]

log = logging.getLogger(__name__)

DEFAULT_COLUMNS = ("Leave behind", "Keep", "Do differently")
QUICK_EMBEDDER = "hashing"
"""Live themes use the hashing model: no fitting, no downloads, fast enough for an event."""
MAX_RESPONSE = 5000
MAX_COLUMNS = 8


@dataclass
class RoundtableDraft:
    """A roundtable as the convener described it, checked and ready to save."""

    title: str
    starts_at: datetime | None = None
    place: str = ""
    link: str = ""
    description: str = ""
    framework: str = "nom"
    written: bool = True
    board: bool = True
    columns: list[str] = field(default_factory=lambda: list(DEFAULT_COLUMNS))
    agenda: list[AgendaEntry] = field(default_factory=list)


def _when(day: str, clock: str, problems: list[str]) -> datetime | None:
    if not day.strip():
        if clock.strip():
            problems.append("Give the date as well as the time.")
        return None
    try:
        when = date.fromisoformat(day.strip())
    except ValueError:
        problems.append("The date must be a date such as 2025-05-14.")
        return None
    at = time(0, 0)
    if clock.strip():
        try:
            at = time.fromisoformat(clock.strip())
        except ValueError:
            problems.append("The time must be a time such as 10:30.")
    return datetime.combine(when, at)


def read_roundtable_form(
    *,
    title: str,
    day: str = "",
    clock: str = "",
    place: str = "",
    link: str = "",
    description: str = "",
    framework: str = "nom",
    written: bool = True,
    board: bool = True,
    columns: str = "\n".join(DEFAULT_COLUMNS),
    agenda_titles: Sequence[str] = (),
    agenda_times: Sequence[str] = (),
    agenda_questions: Sequence[str] = (),
) -> tuple[RoundtableDraft | None, list[str]]:
    """Check what the convener typed into the new-roundtable form.

    Args:
        title: The event's title.
        day: Its date (``YYYY-MM-DD``), optional.
        clock: Its start time (``HH:MM``), optional.
        place: Where it is held.
        link: An online meeting link (``https://``), optional.
        description: What it is about.
        framework: Built-in framework id the responses are coded against.
        written: Take written responses per agenda item.
        board: Have a reflection board.
        columns: The board's columns, one per line.
        agenda_titles: Each agenda row's title (rows without a title are skipped).
        agenda_times: Each agenda row's time.
        agenda_questions: Each agenda row's question for responses.

    Returns:
        The draft (None when there are problems) and the problems in plain English.
    """
    problems: list[str] = []
    if not title.strip():
        problems.append("Give the roundtable a title.")
    starts_at = _when(day, clock, problems)
    link = link.strip()
    if link and not link.lower().startswith(("https://", "http://")):
        problems.append("The online link must start with https://.")
    if framework not in builtin_names():
        problems.append("Choose a framework from the list.")
    names = list(dict.fromkeys(c.strip() for c in columns.splitlines() if c.strip()))
    if board and not names:
        problems.append("Give the reflection board at least one column, one per line.")
    if len(names) > MAX_COLUMNS:
        problems.append(f"A reflection board can have at most {MAX_COLUMNS} columns.")
    if any(len(n) > 100 for n in names):
        problems.append("Keep each column name under 100 characters.")
    agenda: list[AgendaEntry] = []
    for n, item_title in enumerate(agenda_titles):
        at = agenda_times[n].strip() if n < len(agenda_times) else ""
        question = agenda_questions[n].strip() if n < len(agenda_questions) else ""
        if item_title.strip():
            agenda.append(AgendaEntry(item_title.strip(), at, question))
        elif question or at:
            problems.append(f"Agenda item {n + 1} needs a title.")
    if not written and not board:
        problems.append("Choose written responses, a reflection board, or both.")
    if written and not any(a.question for a in agenda):
        problems.append(
            "For written responses, ask a question on at least one agenda item "
            "(or untick written responses)."
        )
    if problems:
        return None, problems
    return (
        RoundtableDraft(
            title=title.strip(),
            starts_at=starts_at,
            place=place.strip(),
            link=link,
            description=description.strip(),
            framework=framework,
            written=written,
            board=board,
            columns=names if board else [],
            agenda=agenda,
        ),
        [],
    )


def create_roundtable(workspace: Workspace, draft: RoundtableDraft, *, actor: str) -> int:
    """Save a new, open roundtable (audit-logged) and return its id."""
    return RoundtableStore(workspace).create(
        title=draft.title,
        actor=actor,
        starts_at=draft.starts_at,
        place=draft.place,
        link=draft.link,
        description=draft.description,
        framework=draft.framework,
        written=draft.written,
        board=draft.board,
        columns=draft.columns,
        agenda=draft.agenda,
    )


@dataclass(frozen=True)
class Answer:
    """One thing a person wrote: to an agenda item's question or in a board column."""

    part: str
    position: int
    text: str


def answers_from_form(
    roundtable: RoundtableRecord, agenda: Sequence[str], board: Sequence[str]
) -> tuple[list[Answer], list[str]]:
    """The non-empty answers of a response form, with any problems.

    Args:
        roundtable: The event.
        agenda: One text per agenda item that asks a question, in agenda order.
        board: One text per board column, in column order.

    Returns:
        The answers and the problems in plain English.
    """
    problems: list[str] = []
    asked = [n for n, a in enumerate(roundtable.agenda) if a.question] if roundtable.written else []
    columns = list(range(len(roundtable.columns))) if roundtable.board else []
    if len(agenda) > len(asked) or len(board) > len(columns):
        problems.append("The form does not match this roundtable; reload the page and try again.")
        return [], problems
    answers = [Answer(AGENDA, asked[n], text.strip()) for n, text in enumerate(agenda)]
    answers += [Answer(BOARD, columns[n], text.strip()) for n, text in enumerate(board)]
    answers = [a for a in answers if a.text]
    if any(len(a.text) > MAX_RESPONSE for a in answers):
        problems.append(f"Keep each response under {MAX_RESPONSE:,} characters.")
    if not answers:
        problems.append("Write at least one response before sending.")
    return answers, problems


def respond(
    workspace: Workspace,
    roundtable: RoundtableRecord,
    answers: Sequence[Answer],
    *,
    responder: str,
    organisation: str | None,
) -> list[int]:
    """Store each answer as an item of evidence; return the new item ids.

    Raises:
        StoreError: If the roundtable is closed (nothing is stored).
    """
    store = RoundtableStore(workspace)
    ids: list[int] = []
    for answer in answers:
        attributes = {"roundtable": roundtable.title}
        if answer.part == AGENDA:
            entry = roundtable.agenda[answer.position]
            label = entry.title
            attributes |= {"agenda item": entry.title, "question": entry.question}
        else:
            label = roundtable.columns[answer.position]
            attributes["board column"] = label
        ids.append(
            store.add_response(
                roundtable.id,
                responder=responder,
                organisation=organisation,
                text=answer.text,
                part=answer.part,
                position=answer.position,
                label=label,
                attributes=attributes,
            )
        )
    return ids


def _codes(book: Codebook, texts: list[str], ids: list[str]) -> list[tuple[str, bool]]:
    """Each text's most likely code, and whether it is only tentative (below the threshold)."""
    from upstream.coding.coder import make_coder

    coder = make_coder(book, embedder=QUICK_EMBEDDER)
    coder.fit(texts, None, ids=ids)
    results = coder.predict(texts)
    probabilities = coder.predict_proba(texts)
    codes = coder.output_codes()
    out: list[tuple[str, bool]] = []
    for result, row in zip(results, probabilities, strict=True):
        if result.codes:
            out.append((max(result.codes, key=lambda c: c[1])[0], False))
        else:
            out.append((codes[int(np.argmax(row))], True))
    return out


def live_summary(items: Sequence[ItemRecord], framework: str) -> dict[str, Any]:
    """Quick themes and codes of a roundtable's responses (plain JSON).

    Themes are found the way a theme run finds them (the same estimator, fed the
    items' ids, respondents and organisations) but with the fast hashing text
    model, and they are not recorded as a theme run of the workspace: a full
    analysis from the Themes page stays the workspace's own.

    Args:
        items: The responses' items.
        framework: Built-in framework id to code against.

    Returns:
        ``themes`` (label, keywords, size, organisations, item ids), ``codes``
        (code, title, count, tentative), ``item_codes`` and ``model``.
    """
    from upstream.themes.discover import ThemeDiscovery

    if not items:
        return {"themes": [], "codes": [], "item_codes": {}, "model": QUICK_EMBEDDER}
    texts = [item.text for item in items]
    keys = [str(item.id) for item in items]
    discovery = ThemeDiscovery(
        embedder=QUICK_EMBEDDER, min_theme_size=2, subthemes=False, stance=False
    ).fit(
        texts,
        keys=keys,
        respondents=[respondent_of(item) for item in items],
        organisations=[item.organisation for item in items],
    )
    themes = [
        {
            "label": theme.label,
            "keywords": list(theme.keywords[:6]),
            "size": theme.size,
            "organisations": list(theme.organisations),
            "item_ids": [items[i].id for i in theme.members],
        }
        for theme in discovery.themes_
    ]
    book = load_codebook(framework)
    titles = {code.id: code.title for _, code in book.walk()}
    coded = _codes(book, texts, keys)
    firm = Counter(code for code, tentative in coded if not tentative)
    loose = Counter(code for code, tentative in coded if tentative)
    codes = [
        {
            "code": code,
            "title": titles.get(code, code),
            "count": firm[code],
            "tentative": loose[code],
        }
        for code in sorted(set(firm) | set(loose), key=lambda c: (-firm[c] - loose[c], c))
    ]
    return {
        "themes": themes,
        "unassigned": len(discovery.unassigned_),
        "codes": codes,
        "item_codes": {
            str(item.id): {"code": code, "title": titles.get(code, code), "tentative": tentative}
            for item, (code, tentative) in zip(items, coded, strict=True)
        },
        "model": discovery.model_id_,
        "framework": framework,
        "framework_title": book.title,
    }


def live_for_own_only(live: dict[str, Any], visible: set[int]) -> dict[str, Any]:
    """The live summary as someone who sees only their own responses may see it.

    Their own responses are theirs, but everyone else's words and small groups
    are not: a theme is shown only when at least :data:`MIN_GROUP` responses
    share it, without its responses; each code's count follows the small-group
    rule, with the counts that would let a hidden one be worked out from the
    total hidden too; and the tentative split and the count of responses with
    no theme are left out.

    Args:
        live: What :func:`live_summary` worked out.
        visible: Ids of the items the person may see.

    Returns:
        The same shape, with ``codes`` carrying ``shown`` (the count as text) and
        ``restricted`` set.
    """
    themes = [
        {key: value for key, value in theme.items() if key != "item_ids"}
        for theme in live.get("themes", [])
        if int(theme.get("size", 0)) >= MIN_GROUP
    ]
    counts = {
        str(c["code"]): int(c.get("count", 0)) + int(c.get("tentative", 0))
        for c in live.get("codes", [])
    }
    hidden = withheld(counts)
    codes = [
        {
            "code": c["code"],
            "title": c.get("title", c["code"]),
            "shown": FEWER_THAN
            if str(c["code"]) in hidden
            else shown_count(counts[str(c["code"])]),
        }
        for c in live.get("codes", [])
    ]
    item_codes = {
        key: value
        for key, value in live.get("item_codes", {}).items()
        if key.isdigit() and int(key) in visible
    }
    return {
        **{k: v for k, v in live.items() if k not in {"themes", "codes", "item_codes"}},
        "themes": themes,
        "codes": codes,
        "item_codes": item_codes,
        "unassigned": 0,
        "restricted": True,
    }


def refresh_live(workspace: Workspace, roundtable_id: int) -> int:
    """Work out the quick themes and codes of every response so far and keep them.

    Returns:
        How many responses they cover.

    Raises:
        StoreError: If there is no such roundtable.
    """
    store = RoundtableStore(workspace)
    roundtable = store.get(roundtable_id)
    if roundtable is None:
        from upstream.store import StoreError

        raise StoreError(f"No roundtable {roundtable_id} in this workspace.")
    responses = store.responses(roundtable_id)
    stored = {item.id: item for item in workspace.items()}
    items = [stored[i] for i in dict.fromkeys(r.item_id for r in responses) if i in stored]
    store.save_live(roundtable_id, live_summary(items, roundtable.framework), len(responses))
    return len(responses)


class LiveRefresher:
    """Runs a refresh per key at most once at a time, re-running when asked again meanwhile.

    Responses arrive in bursts during an event: the first starts a run, and any
    that arrive while it works only mark the key as needing one more run, which
    starts as soon as the current one ends. So the live themes soon cover every
    response without ever running twice at once for the same event.

    Args:
        submit: Called with a key and a function; runs the function in the background
            (for example as a job on a job runner).
    """

    def __init__(self, submit: Callable[[Hashable, Callable[[], None]], object]) -> None:
        self._submit = submit
        self._lock = threading.Lock()
        self._running: set[Hashable] = set()
        self._again: set[Hashable] = set()

    def request(self, key: Hashable, work: Callable[[], object]) -> bool:
        """Ask for ``work`` to run for ``key``; return whether a new run was started."""
        with self._lock:
            if key in self._running:
                self._again.add(key)
                return False
            self._running.add(key)
        try:
            self._submit(key, lambda: self._loop(key, work))
        except Exception:
            with self._lock:
                self._running.discard(key)
            raise
        return True

    def busy(self, key: Hashable) -> bool:
        """Whether a run for ``key`` is going or waiting to go."""
        with self._lock:
            return key in self._running

    def _loop(self, key: Hashable, work: Callable[[], object]) -> None:
        while True:
            try:
                work()
            except Exception:
                log.exception("Refreshing %r failed", key)
            with self._lock:
                if key not in self._again:
                    self._running.discard(key)
                    return
                self._again.discard(key)
