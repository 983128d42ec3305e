"""Workgroups of one workspace: members, notes, actions and links to evidence.

Every change is written to the audit log in the same transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from upstream.store import models as m
from upstream.store.engine import StoreError
from upstream.store.repository import Workspace
from upstream.store.workgroup_models import (
    WorkgroupActionRow,
    WorkgroupLinkRow,
    WorkgroupMemberRow,
    WorkgroupNoteRow,
    WorkgroupRow,
)

__all__ = [
    "ActionRecord",
    "LinkRecord",
    "MemberRecord",
    "NoteRecord",
    "WorkgroupRecord",
    "WorkgroupStore",
    "stored_codebooks",
]

LINK_KINDS = ("item", "code", "theme")


@dataclass(frozen=True, slots=True)
class MemberRecord:
    """A person in a workgroup."""

    email: str
    organisation: str


@dataclass(frozen=True, slots=True)
class NoteRecord:
    """A workgroup's note."""

    id: int
    author: str
    text: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ActionRecord:
    """A workgroup's action."""

    id: int
    text: str
    owner: str
    due: date | None
    done: bool
    created_by: str


@dataclass(frozen=True, slots=True)
class LinkRecord:
    """Evidence a workgroup drew on: ``kind`` is item, code or theme."""

    id: int
    kind: str
    target: str


@dataclass(frozen=True, slots=True)
class WorkgroupRecord:
    """A workgroup with (when read one at a time) its members, notes, actions and links.

    Attributes:
        focus: Codes (``codebook:code``) and themes (``theme:label``) it formed around.
    """

    id: int
    name: str
    purpose: str
    focus: tuple[str, ...]
    created_by: str
    created_at: datetime
    members: tuple[MemberRecord, ...] = ()
    notes: tuple[NoteRecord, ...] = ()
    actions: tuple[ActionRecord, ...] = ()
    links: tuple[LinkRecord, ...] = field(default=())

    def has_member(self, email: str) -> bool:
        """Whether ``email`` is in the group."""
        return any(member.email == email for member in self.members)


def stored_codebooks(workspace: Workspace) -> dict[str, str]:
    """Keys and titles of the codebooks stored in a workspace."""
    query = select(m.Codebook.key, m.Codebook.title).where(m.Codebook.workspace_id == workspace.id)
    with workspace.store.session() as session:
        return {str(k): str(t) for k, t in session.execute(query.order_by(m.Codebook.id))}


class WorkgroupStore:
    """The workgroups of one workspace."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._store = workspace.store

    def _audit(
        self, session: Session, actor: str, action: str, group_id: int, **detail: object
    ) -> None:
        session.add(
            m.AuditEntry(
                workspace_id=self.workspace.id,
                actor=actor,
                action=action,
                target_type="workgroup",
                target_id=str(group_id),
                detail=detail,
            )
        )

    def _group(self, session: Session, group_id: int) -> WorkgroupRow:
        row = session.get(WorkgroupRow, group_id)
        if row is None or row.workspace_id != self.workspace.id:
            raise StoreError(f"No workgroup {group_id} in workspace {self.workspace.name!r}.")
        return row

    def create(
        self,
        name: str,
        *,
        purpose: str = "",
        focus: Sequence[str] = (),
        members: Sequence[MemberRecord] = (),
        actor: str,
    ) -> int:
        """Create a workgroup with its first members; return its id."""
        with self._store.session() as session:
            row = WorkgroupRow(
                workspace_id=self.workspace.id,
                name=name,
                purpose=purpose,
                focus=list(dict.fromkeys(focus)),
                created_by=actor,
            )
            session.add(row)
            session.flush()
            for member in {member.email: member for member in members}.values():
                session.add(
                    WorkgroupMemberRow(
                        workgroup_id=row.id,
                        email=member.email,
                        organisation=member.organisation,
                        added_by=actor,
                    )
                )
            self._audit(
                session,
                actor,
                "workgroup.create",
                row.id,
                name=name,
                focus=list(focus),
                members=[member.email for member in members],
            )
            return row.id

    def workgroups(self) -> list[WorkgroupRecord]:
        """Every workgroup with its members, newest first (notes and actions left out)."""
        with self._store.session() as session:
            rows = list(
                session.scalars(
                    select(WorkgroupRow)
                    .where(WorkgroupRow.workspace_id == self.workspace.id)
                    .order_by(WorkgroupRow.id.desc())
                )
            )
            members: dict[int, list[MemberRecord]] = {row.id: [] for row in rows}
            if rows:
                query = (
                    select(WorkgroupMemberRow)
                    .where(WorkgroupMemberRow.workgroup_id.in_(list(members)))
                    .order_by(WorkgroupMemberRow.id)
                )
                for member in session.scalars(query):
                    members[member.workgroup_id].append(
                        MemberRecord(member.email, member.organisation)
                    )
            return [_record(row, members=tuple(members[row.id])) for row in rows]

    def workgroup(self, group_id: int) -> WorkgroupRecord | None:
        """One workgroup with everything it keeps, or None when it is not in this workspace."""
        with self._store.session() as session:
            row = session.get(WorkgroupRow, group_id)
            if row is None or row.workspace_id != self.workspace.id:
                return None

            members = session.scalars(
                select(WorkgroupMemberRow)
                .where(WorkgroupMemberRow.workgroup_id == group_id)
                .order_by(WorkgroupMemberRow.id)
            )
            notes = session.scalars(
                select(WorkgroupNoteRow)
                .where(WorkgroupNoteRow.workgroup_id == group_id)
                .order_by(WorkgroupNoteRow.id.desc())
            )
            actions = session.scalars(
                select(WorkgroupActionRow)
                .where(WorkgroupActionRow.workgroup_id == group_id)
                .order_by(WorkgroupActionRow.done, WorkgroupActionRow.due, WorkgroupActionRow.id)
            )
            links = session.scalars(
                select(WorkgroupLinkRow)
                .where(WorkgroupLinkRow.workgroup_id == group_id)
                .order_by(WorkgroupLinkRow.id)
            )
            return _record(
                row,
                members=tuple(MemberRecord(r.email, r.organisation) for r in members),
                notes=tuple(NoteRecord(r.id, r.author, r.text, r.created_at) for r in notes),
                actions=tuple(
                    ActionRecord(r.id, r.text, r.owner, r.due, r.done, r.created_by)
                    for r in actions
                ),
                links=tuple(LinkRecord(r.id, r.kind, r.target) for r in links),
            )

    def add_member(self, group_id: int, member: MemberRecord, *, actor: str) -> bool:
        """Add a person; False when they were already in the group."""
        with self._store.session() as session:
            self._group(session, group_id)
            found = session.scalar(
                select(WorkgroupMemberRow.id).where(
                    WorkgroupMemberRow.workgroup_id == group_id,
                    WorkgroupMemberRow.email == member.email,
                )
            )
            if found is not None:
                return False
            session.add(
                WorkgroupMemberRow(
                    workgroup_id=group_id,
                    email=member.email,
                    organisation=member.organisation,
                    added_by=actor,
                )
            )
            self._audit(session, actor, "workgroup.invite", group_id, email=member.email)
            return True

    def remove_member(self, group_id: int, email: str, *, actor: str) -> None:
        """Take a person out of the group."""
        with self._store.session() as session:
            self._group(session, group_id)
            session.execute(
                delete(WorkgroupMemberRow).where(
                    WorkgroupMemberRow.workgroup_id == group_id, WorkgroupMemberRow.email == email
                )
            )
            self._audit(session, actor, "workgroup.remove_member", group_id, email=email)

    def add_note(self, group_id: int, text: str, *, actor: str) -> int:
        """Keep a note; return its id."""
        with self._store.session() as session:
            self._group(session, group_id)
            row = WorkgroupNoteRow(workgroup_id=group_id, author=actor, text=text)
            session.add(row)
            session.flush()
            self._audit(session, actor, "workgroup.note", group_id, note=row.id)
            return row.id

    def add_action(
        self, group_id: int, text: str, *, owner: str, due: date | None, actor: str
    ) -> int:
        """Record an action; return its id."""
        with self._store.session() as session:
            self._group(session, group_id)
            row = WorkgroupActionRow(
                workgroup_id=group_id, text=text, owner=owner, due=due, created_by=actor
            )
            session.add(row)
            session.flush()
            self._audit(
                session,
                actor,
                "workgroup.action",
                group_id,
                action_id=row.id,
                owner=owner,
                due=due.isoformat() if due else None,
            )
            return row.id

    def set_action_done(self, group_id: int, action_id: int, done: bool, *, actor: str) -> None:
        """Mark an action done (or not done again)."""
        with self._store.session() as session:
            self._group(session, group_id)
            row = session.get(WorkgroupActionRow, action_id)
            if row is None or row.workgroup_id != group_id:
                raise StoreError(f"No action {action_id} in workgroup {group_id}.")
            row.done = done
            self._audit(
                session, actor, "workgroup.action_done", group_id, action_id=action_id, done=done
            )

    def add_link(self, group_id: int, kind: str, target: str, *, actor: str) -> bool:
        """Link evidence (item id, ``codebook:code`` or theme label); False if already linked."""
        if kind not in LINK_KINDS:
            raise StoreError(f"A link is to an item, a code or a theme, not {kind!r}.")
        with self._store.session() as session:
            self._group(session, group_id)
            found = session.scalar(
                select(WorkgroupLinkRow.id).where(
                    WorkgroupLinkRow.workgroup_id == group_id,
                    WorkgroupLinkRow.kind == kind,
                    WorkgroupLinkRow.target == target,
                )
            )
            if found is not None:
                return False
            session.add(
                WorkgroupLinkRow(workgroup_id=group_id, kind=kind, target=target, added_by=actor)
            )
            self._audit(session, actor, "workgroup.link", group_id, kind=kind, target=target)
            return True


def _record(row: WorkgroupRow, **parts: object) -> WorkgroupRecord:
    return WorkgroupRecord(
        id=row.id,
        name=row.name,
        purpose=row.purpose,
        focus=tuple(str(f) for f in row.focus),
        created_by=row.created_by,
        created_at=row.created_at,
        **parts,  # type: ignore[arg-type]
    )
