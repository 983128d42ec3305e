"""Roundtables and their responses, for one workspace.

Each roundtable has one source; every response is an item of that source (so
it is evidence like any other: browsed, coded, themed, exported) plus a
:class:`~upstream.store.roundtable_models.RoundtableResponseRow` saying where
on the event it was written and by whom.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update

from upstream.records.drafts import ItemDraft
from upstream.store import models as m
from upstream.store.engine import StoreError
from upstream.store.repository import Workspace
from upstream.store.roundtable_models import RoundtableResponseRow, RoundtableRow
from upstream.store.source_names import roundtable_source_name
from upstream.store.visibility import ScopedEvidence

__all__ = [
    "AGENDA",
    "BOARD",
    "AgendaEntry",
    "ResponseRecord",
    "RoundtableRecord",
    "RoundtableStore",
]

AGENDA = "agenda"
"""The ``part`` of a response written to an agenda item's question."""
BOARD = "board"
"""The ``part`` of a response written in a reflection board column."""


@dataclass(frozen=True, slots=True)
class AgendaEntry:
    """One item of a roundtable's agenda.

    Attributes:
        title: What is discussed.
        time: When, as the convener wrote it (for example ``10:30``); may be empty.
        question: The question people respond to in writing; may be empty.
    """

    title: str
    time: str = ""
    question: str = ""


@dataclass(frozen=True, slots=True)
class RoundtableRecord:
    """A roundtable as stored.

    Attributes:
        id: Row id.
        title: Its title.
        starts_at: Date and time it starts, if set.
        place: Where it is held.
        link: Online link, if any.
        description: What it is about.
        framework: Built-in framework id responses are coded against.
        written: Whether people respond in writing per agenda item.
        board: Whether there is a reflection board.
        columns: The board's columns, in order.
        agenda: The agenda, in order.
        is_open: Whether it takes responses.
        created_by: Who created it.
        created_at: When.
        closed_at: When it was last closed, if it is closed.
        source_id: The source its responses are items of.
        live: The quick themes and codes of the responses so far (JSON).
        live_responses: How many responses ``live`` covers.
        live_at: When ``live`` was worked out.
    """

    id: int
    title: str
    starts_at: datetime | None
    place: str
    link: str
    description: str
    framework: str
    written: bool
    board: bool
    columns: tuple[str, ...]
    agenda: tuple[AgendaEntry, ...]
    is_open: bool
    created_by: str
    created_at: datetime
    closed_at: datetime | None
    source_id: int | None
    live: dict[str, Any] = field(default_factory=dict)
    live_responses: int = 0
    live_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ResponseRecord:
    """One response and the item of evidence it is.

    Attributes:
        id: Response row id.
        item_id: The item's id.
        text: What was written.
        organisation: The responder's organisation, if any.
        responder: Who wrote it (email address).
        part: ``agenda`` or ``board``.
        position: The agenda item's or board column's position (from 0).
        label: The agenda item's title or the column's name when it was written.
        created_at: When.
    """

    id: int
    item_id: int
    text: str
    organisation: str | None
    responder: str
    part: str
    position: int
    label: str
    created_at: datetime


def _record(row: RoundtableRow) -> RoundtableRecord:
    return RoundtableRecord(
        id=row.id,
        title=row.title,
        starts_at=row.starts_at,
        place=row.place,
        link=row.link,
        description=row.description,
        framework=row.framework,
        written=row.written,
        board=row.board,
        columns=tuple(str(c) for c in row.columns),
        agenda=tuple(
            AgendaEntry(str(a.get("title", "")), str(a.get("time", "")), str(a.get("question", "")))
            for a in row.agenda
        ),
        is_open=row.is_open,
        created_by=row.created_by,
        created_at=row.created_at,
        closed_at=row.closed_at,
        source_id=row.source_id,
        live=dict(row.live or {}),
        live_responses=row.live_responses,
        live_at=row.live_at,
    )


class RoundtableStore:
    """The roundtables of one workspace."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._store = workspace.store

    def create(
        self,
        *,
        title: str,
        actor: str,
        starts_at: datetime | None = None,
        place: str = "",
        link: str = "",
        description: str = "",
        framework: str = "nom",
        written: bool = True,
        board: bool = True,
        columns: Sequence[str] = (),
        agenda: Sequence[AgendaEntry] = (),
    ) -> int:
        """Record a new, open roundtable with its own source; return its id."""
        with self.workspace.writer() as writer:
            source_id = writer.add_source(
                roundtable_source_name(title), kind="roundtable", imported_by=actor
            )
            row = RoundtableRow(
                workspace_id=self.workspace.id,
                source_id=source_id,
                title=title,
                starts_at=starts_at,
                place=place,
                link=link,
                description=description,
                framework=framework,
                written=written,
                board=board,
                columns=list(columns),
                agenda=[{"title": a.title, "time": a.time, "question": a.question} for a in agenda],
                is_open=True,
                created_by=actor,
                live={},
                live_responses=0,
            )
            writer.session.add(row)
            writer.session.flush()
            writer.audit(actor, "roundtable.create", "roundtable", row.id, title=title)
            return int(row.id)

    def all(self) -> list[RoundtableRecord]:
        """Every roundtable, soonest first (undated ones last), then newest."""
        query = select(RoundtableRow).where(RoundtableRow.workspace_id == self.workspace.id)
        with self._store.session() as session:
            rows = [_record(r) for r in session.scalars(query)]
        return sorted(rows, key=lambda r: (r.starts_at is None, r.starts_at or datetime.min, -r.id))

    def get(self, roundtable_id: int) -> RoundtableRecord | None:
        """One roundtable of this workspace, or None."""
        with self._store.session() as session:
            row = session.get(RoundtableRow, roundtable_id)
            if row is None or row.workspace_id != self.workspace.id:
                return None
            return _record(row)

    def set_open(self, roundtable_id: int, is_open: bool, *, actor: str) -> None:
        """Open or close a roundtable for responses, and note it in the audit log.

        Raises:
            StoreError: If there is no such roundtable here.
        """
        with self.workspace.writer() as writer:
            row = writer.session.get(RoundtableRow, roundtable_id)
            if row is None or row.workspace_id != self.workspace.id:
                raise StoreError(f"No roundtable {roundtable_id} in this workspace.")
            row.is_open = is_open
            row.closed_at = None if is_open else m.utcnow()
            action = "roundtable.open" if is_open else "roundtable.close"
            writer.audit(actor, action, "roundtable", roundtable_id, title=row.title)

    def add_response(
        self,
        roundtable_id: int,
        *,
        responder: str,
        organisation: str | None,
        text: str,
        part: str,
        position: int,
        label: str,
        attributes: dict[str, str],
    ) -> int:
        """Store a response as an item of the roundtable's source; return the item id.

        Raises:
            StoreError: If the roundtable is missing or closed.
        """
        draft = ItemDraft(
            text=text,
            line=0,
            external_id=f"roundtable-{roundtable_id}-" + secrets.token_hex(8),
            organisation=organisation,
            # Dated the day it was written, so it sits in trends and date filters.
            item_date=m.utcnow().date(),
            attributes=attributes,
        )
        with self.workspace.writer() as writer:
            session = writer.session
            row = session.get(RoundtableRow, roundtable_id)
            if row is None or row.workspace_id != self.workspace.id:
                raise StoreError(f"No roundtable {roundtable_id} in this workspace.")
            if not row.is_open:
                raise StoreError("This roundtable is closed to responses.")
            source_id = row.source_id
            if source_id is None:  # its source was deleted: start a new one
                source_id = writer.add_source(
                    roundtable_source_name(row.title), kind="roundtable", imported_by=row.created_by
                )
                row.source_id = source_id
            if responder != row.created_by:
                source_id = self._responder_source(writer, row, responder)
            writer.insert_items(source_id, [draft], shared=True)
            item_id = session.scalar(
                select(m.Item.id).where(
                    m.Item.workspace_id == self.workspace.id,
                    m.Item.content_hash == draft.content_hash,
                )
            )
            assert item_id is not None  # the external id makes every draft new
            session.add(
                RoundtableResponseRow(
                    roundtable_id=roundtable_id,
                    item_id=item_id,
                    responder=responder,
                    part=part,
                    position=position,
                    label=label,
                )
            )
            session.execute(
                update(m.Source)
                .where(m.Source.id == source_id)
                .values(rows_read=m.Source.rows_read + 1, rows_imported=m.Source.rows_imported + 1)
            )
            writer.audit(responder, "roundtable.respond", "item", item_id, roundtable=roundtable_id)
        return int(item_id)

    def _responder_source(self, writer: Any, row: RoundtableRow, responder: str) -> int:
        """The roundtable's source for one responder's items.

        Each person's responses are their own source, imported by them, so that a
        contributor finds what they wrote among their submissions, as with any
        evidence they send.
        """
        path = f"roundtables/{row.id}"
        found = writer.session.scalar(
            select(m.Source.id).where(
                m.Source.workspace_id == self.workspace.id,
                m.Source.kind == "roundtable",
                m.Source.path == path,
                m.Source.imported_by == responder,
            )
        )
        if found is not None:
            return int(found)
        return int(
            writer.add_source(
                roundtable_source_name(row.title),
                kind="roundtable",
                path=path,
                imported_by=responder,
            )
        )

    def responses(
        self, roundtable_id: int, evidence: ScopedEvidence | None = None
    ) -> list[ResponseRecord]:
        """A roundtable's responses, oldest first.

        Args:
            roundtable_id: The roundtable.
            evidence: Only what this scope may see: contributors see the responses
                they wrote, everyone else the items their scope shows. None: all.
        """
        query = (
            select(RoundtableResponseRow, m.Item.text, m.Organisation.name)
            .join(m.Item, m.Item.id == RoundtableResponseRow.item_id)
            .join(m.Organisation, m.Item.organisation_id == m.Organisation.id, isouter=True)
            .join(RoundtableRow, RoundtableRow.id == RoundtableResponseRow.roundtable_id)
            .where(
                RoundtableResponseRow.roundtable_id == roundtable_id,
                RoundtableRow.workspace_id == self.workspace.id,
            )
            .order_by(RoundtableResponseRow.id)
        )
        if evidence is not None:
            if evidence.scope.submitted_by is not None:
                query = query.where(RoundtableResponseRow.responder == evidence.scope.submitted_by)
            else:
                query = query.where(evidence.visible())
        with self._store.session() as session:
            return [
                ResponseRecord(
                    id=r.id,
                    item_id=r.item_id,
                    text=text,
                    organisation=org,
                    responder=r.responder,
                    part=r.part,
                    position=r.position,
                    label=r.label,
                    created_at=r.created_at,
                )
                for r, text, org in session.execute(query).all()
            ]

    def response_count(self, roundtable_id: int) -> int:
        """How many responses a roundtable has (whoever may see them)."""
        query = select(func.count()).where(RoundtableResponseRow.roundtable_id == roundtable_id)
        with self._store.session() as session:
            return int(session.scalar(query) or 0)

    def save_live(self, roundtable_id: int, live: dict[str, Any], responses: int) -> None:
        """Keep the quick themes and codes worked out from the first ``responses`` responses."""
        with self._store.session() as session:
            row = session.get(RoundtableRow, roundtable_id)
            if row is None or row.workspace_id != self.workspace.id:
                raise StoreError(f"No roundtable {roundtable_id} in this workspace.")
            row.live = live
            row.live_responses = responses
            row.live_at = m.utcnow()
