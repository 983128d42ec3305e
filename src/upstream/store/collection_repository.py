"""Story collections, their stories and the self-signified codings, scoped to one workspace.

A story is stored three ways at once, each for its own reader:

* an :class:`~upstream.store.models.Item` in a source per collection (per
  contributor when signed in, so the "contributors see only their own" rule
  applies), with the answers and slider positions as item attributes;
* a ``story`` row keeping exactly what the contributor chose, whatever later
  happens to the item's codings in review;
* one coding per chosen element with **human** origin, coder
  ``self-signified`` and status ``suggested``: a contributor's claim about their
  own story, never mistaken for a reviewer's accepted decision (so it does not
  train the workspace's coder) nor for the machine's suggestion.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update

from upstream.frameworks.model import Codebook as FrameworkCodebook
from upstream.records.drafts import ItemDraft
from upstream.store import models as m
from upstream.store.coding_repository import CodingStore
from upstream.store.collection_models import CollectionRow, StoryAttemptRow, StoryRow
from upstream.store.engine import StoreError
from upstream.store.rate_limits import RateLimits
from upstream.store.repository import Store, Workspace
from upstream.store.source_names import collection_source_name

SELF_SIGNIFIED = "self-signified"
SOURCE_KIND = "story collection"

__all__ = [
    "SELF_SIGNIFIED",
    "SOURCE_KIND",
    "CollectionRecord",
    "CollectionSpec",
    "CollectionStore",
    "Question",
    "Slider",
    "StoryRecord",
    "find_by_token",
]


@dataclass(frozen=True, slots=True)
class Slider:
    """A scale between two poles a contributor places their story on (stored 0 to 100)."""

    key: str
    label: str
    left: str
    right: str


@dataclass(frozen=True, slots=True)
class Question:
    """A multiple-choice question about the contributor (a role or demographic)."""

    key: str
    label: str
    options: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class CollectionSpec:
    """What the convener sets up; everything but the id, token and history."""

    title: str
    prompt: str
    framework: str
    level: int
    elements: tuple[str, ...]
    sliders: tuple[Slider, ...]
    questions: tuple[Question, ...] = ()
    extra_questions: tuple[str, ...] = ()
    anonymous: bool = True
    consent: str = ""
    opens_at: datetime | None = None
    closes_at: datetime | None = None
    organisation: str | None = None
    host: str = ""
    controller: str = ""
    retention: str = ""
    element_questions: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class CollectionRecord:
    """A stored collection."""

    id: int
    workspace_id: int
    token: str
    spec: CollectionSpec
    created_by: str
    created_at: datetime
    stories: int = 0

    def state(self, now: datetime | None = None) -> str:
        """``open``, ``not yet open`` or ``closed`` at ``now`` (the current time by default)."""
        moment = now or datetime.now(UTC)
        opens, closes = _aware(self.spec.opens_at), _aware(self.spec.closes_at)
        if opens is not None and moment < opens:
            return "not yet open"
        if closes is not None and moment >= closes:
            return "closed"
        return "open"


@dataclass(frozen=True, slots=True)
class StoryRecord:
    """A story with what its contributor said about it."""

    id: int
    item_id: int
    collection_id: int
    text: str
    organisation: str | None
    elements: tuple[str, ...]
    sliders: dict[str, int]
    answers: dict[str, str]
    submitted_by: str
    created_at: datetime
    redacted: bool = False
    extra: dict[str, Any] = field(default_factory=dict)


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _spec(row: CollectionRow, organisation: str | None) -> CollectionSpec:
    public = row.public or {}
    return CollectionSpec(
        title=row.title,
        prompt=row.prompt,
        framework=row.framework,
        level=row.level,
        elements=tuple(str(e) for e in row.elements),
        sliders=tuple(Slider(**s) for s in row.sliders),
        questions=tuple(Question(q["key"], q["label"], tuple(q["options"])) for q in row.questions),
        extra_questions=tuple(str(q) for q in row.extra_questions),
        anonymous=row.anonymous,
        consent=row.consent,
        opens_at=_aware(row.opens_at),
        closes_at=_aware(row.closes_at),
        organisation=organisation,
        host=str(public.get("host", "")),
        controller=str(public.get("controller", "")),
        retention=str(public.get("retention", "")),
        element_questions=tuple(
            (str(k), str(v)) for k, v in (public.get("element_questions") or {}).items()
        ),
    )


def _record(row: CollectionRow, organisation: str | None, stories: int = 0) -> CollectionRecord:
    return CollectionRecord(
        id=row.id,
        workspace_id=row.workspace_id,
        token=row.token,
        spec=_spec(row, organisation),
        created_by=row.created_by,
        created_at=row.created_at,
        stories=stories,
    )


def _columns(spec: CollectionSpec) -> dict[str, Any]:
    return {
        "title": spec.title,
        "prompt": spec.prompt,
        "framework": spec.framework,
        "level": spec.level,
        "elements": list(spec.elements),
        "sliders": [
            {"key": s.key, "label": s.label, "left": s.left, "right": s.right} for s in spec.sliders
        ],
        "questions": [
            {"key": q.key, "label": q.label, "options": list(q.options)} for q in spec.questions
        ],
        "extra_questions": list(spec.extra_questions),
        "anonymous": spec.anonymous,
        "consent": spec.consent,
        "opens_at": spec.opens_at,
        "closes_at": spec.closes_at,
        "public": {
            "host": spec.host,
            "controller": spec.controller,
            "retention": spec.retention,
            "element_questions": dict(spec.element_questions),
        },
    }


def find_by_token(store: Store, token: str) -> tuple[Workspace, CollectionRecord] | None:
    """The collection a shareable link names, with its workspace (None if there is none)."""
    if not token or len(token) > 64:
        return None
    with store.session() as session:
        row = session.scalar(select(CollectionRow).where(CollectionRow.token == token))
        if row is None:
            return None
        workspace = session.get(m.Workspace, row.workspace_id)
        assert workspace is not None  # the foreign key cascades
        org = session.get(m.Organisation, row.organisation_id) if row.organisation_id else None
        return Workspace(store, workspace.id, workspace.name), _record(
            row, org.name if org else None
        )


class CollectionStore:
    """Story collections of one workspace."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._store = workspace.store

    # --- collections ---------------------------------------------------------------
    def create(self, spec: CollectionSpec, *, actor: str) -> CollectionRecord:
        """Store a new collection with a fresh unguessable token; return it."""
        with self.workspace.writer() as writer:
            org_id = writer.organisation_id(spec.organisation) if spec.organisation else None
            row = CollectionRow(
                workspace_id=self.workspace.id,
                organisation_id=org_id,
                token=secrets.token_urlsafe(24),
                created_by=actor,
                created_at=datetime.now(UTC),
                **_columns(spec),
            )
            writer.session.add(row)
            writer.session.flush()
            writer.audit(actor, "create", "story_collection", row.id, title=spec.title)
            return _record(row, spec.organisation)

    def update(self, collection_id: int, spec: CollectionSpec, *, actor: str) -> CollectionRecord:
        """Change a collection's set-up (its link and stories stay).

        Raises:
            StoreError: There is no such collection in this workspace.
        """
        with self.workspace.writer() as writer:
            row = self._row(writer.session, collection_id)
            org_id = writer.organisation_id(spec.organisation) if spec.organisation else None
            for key, value in _columns(spec).items():
                setattr(row, key, value)
            row.organisation_id = org_id
            writer.audit(actor, "edit", "story_collection", row.id, title=spec.title)
            return _record(row, spec.organisation)

    def _row(self, session: Any, collection_id: int) -> CollectionRow:
        row = session.get(CollectionRow, collection_id)
        if row is None or row.workspace_id != self.workspace.id:
            raise StoreError(f"No story collection {collection_id} in this workspace.")
        return row  # type: ignore[no-any-return]

    def collections(self) -> list[CollectionRecord]:
        """Every collection of the workspace, newest first, with its number of stories."""
        counts = (
            select(StoryRow.collection_id, func.count(StoryRow.id).label("n"))
            .group_by(StoryRow.collection_id)
            .subquery()
        )
        query = (
            select(CollectionRow, m.Organisation.name, counts.c.n)
            .join(m.Organisation, m.Organisation.id == CollectionRow.organisation_id, isouter=True)
            .join(counts, counts.c.collection_id == CollectionRow.id, isouter=True)
            .where(CollectionRow.workspace_id == self.workspace.id)
            .order_by(CollectionRow.id.desc())
        )
        with self._store.session() as session:
            return [_record(row, org, int(n or 0)) for row, org, n in session.execute(query)]

    def collection(self, collection_id: int) -> CollectionRecord | None:
        """One collection by id, or None when it is not in this workspace."""
        return next((c for c in self.collections() if c.id == collection_id), None)

    # --- stories -------------------------------------------------------------------
    def add_story(
        self,
        collection: CollectionRecord,
        codebook: FrameworkCodebook,
        *,
        text: str,
        redactions: dict[str, int],
        organisation: str | None,
        elements: tuple[str, ...],
        sliders: dict[str, int],
        answers: dict[str, str],
        submitted_by: str = "",
    ) -> int:
        """Store a story, what its contributor said about it and their self-signified codings.

        Args:
            collection: The collection it was sent to.
            codebook: The collection's framework (its chosen elements become codings).
            text: The story, already redacted.
            redactions: What redaction replaced, by kind.
            organisation: The organisation the story is about or from.
            elements: The framework elements the contributor chose.
            sliders: Slider positions, 0 to 100, by slider key.
            answers: Answers to the questions and extra questions, by question label.
            submitted_by: The signed-in contributor's email ("" when anonymous).

        Returns:
            The new item's id.

        Raises:
            StoreError: An element is not a code of the framework.
        """
        codebook_id = CodingStore(self.workspace).save_codebook(codebook)
        by_key = {s.key: s.label for s in collection.spec.sliders}
        attributes = {
            "collection": collection.spec.title,
            **answers,
            **{f"{by_key.get(k, k)} (0-100)": str(v) for k, v in sliders.items()},
        }
        draft = ItemDraft(
            text=text,
            line=0,
            external_id="story-" + secrets.token_hex(8),
            organisation=organisation,
            item_date=datetime.now(UTC).date(),
            attributes=attributes,
            redactions=redactions,
        )
        with self.workspace.writer() as writer:
            session = writer.session
            source_id = self._source(writer, collection, submitted_by, sorted(attributes))
            # A network-wide collection is for the whole network; an organisation's
            # stories stay private to it until one of its admins shares them.
            shared = collection.spec.organisation is None
            writer.insert_items(source_id, [draft], shared=shared)
            item_id = session.scalar(
                select(m.Item.id).where(
                    m.Item.workspace_id == self.workspace.id,
                    m.Item.content_hash == draft.content_hash,
                )
            )
            assert item_id is not None  # the random external id makes every story new
            session.execute(
                update(m.Source)
                .where(m.Source.id == source_id)
                .values(rows_read=m.Source.rows_read + 1, rows_imported=m.Source.rows_imported + 1)
            )
            session.add(
                StoryRow(
                    collection_id=collection.id,
                    item_id=item_id,
                    elements=list(elements),
                    sliders=dict(sliders),
                    answers=dict(answers),
                    submitted_by=submitted_by,
                    created_at=datetime.now(UTC),
                )
            )
            code_ids = dict(
                session.execute(
                    select(m.Code.key, m.Code.id).where(m.Code.codebook_id == codebook_id)
                ).all()
            )
            for element in elements:
                if element not in code_ids:
                    raise StoreError(f"{element!r} is not an element of {codebook.title}.")
                session.add(
                    m.Coding(
                        workspace_id=self.workspace.id,
                        item_id=item_id,
                        code_id=code_ids[element],
                        origin=m.Origin.HUMAN,
                        status=m.CodingStatus.SUGGESTED,
                        coder=SELF_SIGNIFIED,
                        confidence=None,
                        explanation={"collection": collection.id},
                    )
                )
            writer.audit(submitted_by or "anonymous", "submit_story", "item", item_id)
            return int(item_id)

    def _source(
        self, writer: Any, collection: CollectionRecord, submitted_by: str, columns: list[str]
    ) -> int:
        """The collection's source for this contributor (one for all anonymous stories)."""
        path = f"collections/{collection.id}"
        found = writer.session.scalar(
            select(m.Source.id).where(
                m.Source.workspace_id == self.workspace.id,
                m.Source.kind == SOURCE_KIND,
                m.Source.path == path,
                m.Source.imported_by == submitted_by,
            )
        )
        if found is not None:
            return int(found)
        return int(
            writer.add_source(
                collection_source_name(collection.spec.title),
                kind=SOURCE_KIND,
                path=path,
                imported_by=submitted_by,
                options={"attribute_columns": columns, "collection_id": collection.id},
            )
        )

    def stories(self, collection_id: int) -> list[StoryRecord]:
        """Every story of a collection, oldest first (callers filter by visibility)."""
        query = (
            select(StoryRow, m.Item, m.Organisation.name)
            .join(m.Item, m.Item.id == StoryRow.item_id)
            .join(m.Organisation, m.Organisation.id == m.Item.organisation_id, isouter=True)
            .where(
                StoryRow.collection_id == collection_id, m.Item.workspace_id == self.workspace.id
            )
            .order_by(StoryRow.id)
        )
        with self._store.session() as session:
            return [
                StoryRecord(
                    id=story.id,
                    item_id=item.id,
                    collection_id=story.collection_id,
                    text=item.text,
                    organisation=org,
                    elements=tuple(str(e) for e in story.elements),
                    sliders={str(k): int(v) for k, v in story.sliders.items()},
                    answers={str(k): str(v) for k, v in story.answers.items()},
                    submitted_by=story.submitted_by,
                    created_at=story.created_at,
                    redacted=item.redacted,
                )
                for story, item, org in session.execute(query)
            ]

    # --- rate limiting -------------------------------------------------------------
    def take_slot(self, collection_id: int, address: str, *, limit: int, window: timedelta) -> bool:
        """Use one of the ``limit`` stories ``address`` may send in ``window``, atomically.

        Returns:
            Whether the story may be accepted.
        """
        key = _slot_key(collection_id, address)
        return RateLimits(self._store).take(key, limit=limit, window=window).allowed

    def give_back_slot(self, collection_id: int, address: str) -> None:
        """Return a slot taken for a story that was not accepted after all."""
        RateLimits(self._store).give_back(_slot_key(collection_id, address))

    def recent_attempts(self, collection_id: int, address: str, since: datetime) -> int:
        """Stories accepted from ``address`` for this collection since ``since``."""
        query = select(func.count(StoryAttemptRow.id)).where(
            StoryAttemptRow.collection_id == collection_id,
            StoryAttemptRow.address == address[:64],
            StoryAttemptRow.outcome == "accepted",
            StoryAttemptRow.at > since,
        )
        with self._store.session() as session:
            return int(session.scalar(query) or 0)

    def record_attempt(self, collection_id: int, address: str, outcome: str) -> None:
        """Note an attempt: ``accepted``, ``refused`` (rate limit), ``invalid`` or ``honeypot``."""
        with self._store.session() as session:
            session.add(
                StoryAttemptRow(
                    collection_id=collection_id,
                    address=address[:64],
                    outcome=outcome[:20],
                    at=datetime.now(UTC),
                )
            )


def _slot_key(collection_id: int, address: str) -> str:
    return f"story:{collection_id}|{address[:64]}"
