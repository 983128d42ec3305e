"""People, sign-in and what each person may see: users, memberships, sessions, tokens.

Two classes live here:

* :class:`Accounts` manages users, their roles in workspaces, browser sessions,
  API tokens, login attempts and account-level audit entries.
* :class:`ScopedEvidence` reads (and makes the few web edits to) one workspace's
  evidence *through a* :class:`Scope`, so an item a person may not see is never
  returned — the visibility rule is applied in SQL, in one place.

Passwords are hashed with argon2; session and API tokens are random and only
their SHA-256 hashes are stored.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVarTuple

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import ColumnElement, Select, delete, func, or_, select, true, update

from upstream.evidence.records import ItemDraft
from upstream.store import models as m
from upstream.store.account_models import (
    ApiToken,
    EvidenceQuery,
    LoginAttempt,
    MemberRecord,
    OrganisationSummary,
    Scope,
    SessionRecord,
    UserRecord,
    WebSession,
)
from upstream.store.coding_repository import run_record
from upstream.store.engine import StoreError
from upstream.store.records import AuditRecord, ItemRecord, RunRecord
from upstream.store.repository import Store, Workspace, _item_record

ROLES: tuple[str, ...] = tuple(role.value for role in m.Role)
TOKEN_PREFIX = "ups_"
_Row = TypeVarTuple("_Row")
_hasher = PasswordHasher()


@functools.cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    """A hash to verify against when the user is unknown, so timing reveals nothing.

    Made on first use rather than at import, which would slow every command down.
    """
    return hasher.hash("not a real password")


class AccountError(StoreError):
    """An account operation cannot be done (unknown user, bad role, duplicate email)."""


def normalise_email(email: str) -> str:
    """Compare email addresses without case or surrounding spaces."""
    return email.strip().lower()


def token_hash(token: str) -> str:
    """SHA-256 of a random token; enough for high-entropy secrets (unlike passwords)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes even for timezone-aware columns.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _user(row: m.User) -> UserRecord:
    return UserRecord(row.id, row.email, row.display_name, row.is_active, bool(row.password_hash))


class Accounts:
    """Users, memberships, sessions, API tokens and login attempts in one store.

    Args:
        store: The open store.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    # Users ---------------------------------------------------------------------------

    def user(self, email: str) -> UserRecord | None:
        """The user with this email address, or None."""
        with self.store.session() as session:
            row = session.scalar(select(m.User).where(m.User.email == normalise_email(email)))
            return None if row is None else _user(row)

    def user_by_id(self, user_id: int) -> UserRecord | None:
        """The user with this id, or None."""
        with self.store.session() as session:
            row = session.get(m.User, user_id)
            return None if row is None else _user(row)

    def ensure_user(
        self, email: str, *, password: str | None = None, display_name: str = ""
    ) -> tuple[UserRecord, bool]:
        """Return the user with ``email``, creating them when new.

        Args:
            email: Their email address (stored lower-case).
            password: Sets (or replaces) their password when given.
            display_name: Name shown in the web app; kept when blank.

        Returns:
            The user and whether they were created just now.
        """
        email = normalise_email(email)
        if "@" not in email or len(email) > 320:
            raise AccountError(f"{email!r} does not look like an email address.")
        with self.store.session() as session:
            row = session.scalar(select(m.User).where(m.User.email == email))
            created = row is None
            if row is None:
                row = m.User(email=email, display_name=display_name)
                session.add(row)
            elif display_name:
                row.display_name = display_name
            if password is not None:
                row.password_hash = _hasher.hash(password)
            session.flush()
            return _user(row), created

    def check_password(self, email: str, password: str) -> UserRecord | None:
        """The active user whose password this is, or None (timing does not reveal which)."""
        with self.store.session() as session:
            row = session.scalar(select(m.User).where(m.User.email == normalise_email(email)))
            stored = row.password_hash if row is not None and row.password_hash else None
            try:
                _hasher.verify(stored or _dummy_hash(_hasher), password)
            except (VerificationError, InvalidHashError):
                return None
            if row is None or stored is None or not row.is_active:
                return None
            if _hasher.check_needs_rehash(stored):
                row.password_hash = _hasher.hash(password)
            return _user(row)

    # Memberships ---------------------------------------------------------------------

    def _members_query(self) -> Select[m.Membership, m.User, m.Workspace, str]:
        return (
            select(m.Membership, m.User, m.Workspace, m.Organisation.name)
            .join(m.User, m.User.id == m.Membership.user_id)
            .join(m.Workspace, m.Workspace.id == m.Membership.workspace_id)
            .join(m.Organisation, m.Organisation.id == m.Membership.organisation_id, isouter=True)
        )

    def _run_members(
        self, query: Select[m.Membership, m.User, m.Workspace, str]
    ) -> list[MemberRecord]:
        with self.store.session() as session:
            return [
                MemberRecord(
                    u.id,
                    u.email,
                    u.display_name,
                    w.id,
                    w.name,
                    ms.role.value,
                    ms.organisation_id,
                    org,
                )
                for ms, u, w, org in session.execute(query).all()
            ]

    def member(self, workspace_id: int, user_id: int) -> MemberRecord | None:
        """A user's membership of one workspace, or None when they are not a member."""
        query = self._members_query().where(
            m.Membership.workspace_id == workspace_id, m.Membership.user_id == user_id
        )
        found = self._run_members(query)
        return found[0] if found else None

    def members(self, workspace: Workspace) -> list[MemberRecord]:
        """Everyone with a role in ``workspace``, by email."""
        query = self._members_query().where(m.Membership.workspace_id == workspace.id)
        return self._run_members(query.order_by(m.User.email))

    def memberships(self, user_id: int | None = None) -> list[MemberRecord]:
        """Every membership of one user (or of everyone), by workspace name."""
        query = self._members_query().order_by(m.Workspace.name, m.User.email)
        if user_id is not None:
            query = query.where(m.Membership.user_id == user_id)
        return self._run_members(query)

    def users(self) -> list[UserRecord]:
        """Every user, by email."""
        with self.store.session() as session:
            return [_user(u) for u in session.scalars(select(m.User).order_by(m.User.email))]

    def set_membership(
        self,
        workspace: Workspace,
        email: str,
        role: str,
        *,
        organisation: str | None = None,
        keep_organisation: bool = False,
        actor: str = "command line",
    ) -> MemberRecord:
        """Give a user a role in a workspace (adding or changing their membership).

        Args:
            workspace: The workspace.
            email: An existing user's email.
            role: One of :data:`ROLES`.
            organisation: Their organisation in the workspace (created when new).
            keep_organisation: Leave an existing membership's organisation as it is.
            actor: Who made the change, for the audit log.

        Raises:
            AccountError: The user does not exist or the role is unknown.
        """
        if role not in ROLES:
            raise AccountError(f"Unknown role {role!r}; choose one of: {', '.join(ROLES)}.")
        with workspace.writer() as writer:
            session = writer.session
            user = session.scalar(select(m.User).where(m.User.email == normalise_email(email)))
            if user is None:
                raise AccountError(f"No user with the email {email!r}.")
            row = session.scalar(
                select(m.Membership).where(
                    m.Membership.workspace_id == workspace.id, m.Membership.user_id == user.id
                )
            )
            before = None if row is None else row.role.value
            if row is None:
                row = m.Membership(workspace_id=workspace.id, user_id=user.id, role=m.Role(role))
                session.add(row)
            row.role = m.Role(role)
            if not (keep_organisation and before is not None):
                row.organisation_id = writer.organisation_id(organisation) if organisation else None
            writer.audit(
                actor, "role_change", "user", user.id, email=user.email, before=before, after=role
            )
        found = self.member(workspace.id, user.id)
        assert found is not None  # written just above
        return found

    # Browser sessions ----------------------------------------------------------------

    def open_session(self, user_id: int | None, lifetime: timedelta) -> tuple[str, SessionRecord]:
        """Start a session and return its secret cookie value and record.

        Expired sessions are swept away at the same time.
        """
        token = secrets.token_urlsafe(32)
        now = _now()
        with self.store.session() as session:
            session.execute(delete(WebSession).where(WebSession.expires_at < now))
            row = WebSession(
                token_hash=token_hash(token),
                user_id=user_id,
                csrf_token=secrets.token_urlsafe(32),
                created_at=now,
                last_seen=now,
                expires_at=now + lifetime,
            )
            session.add(row)
            session.flush()
            return token, SessionRecord(row.id, user_id, row.csrf_token, row.expires_at)

    def find_session(self, token: str, lifetime: timedelta) -> SessionRecord | None:
        """The live session for a cookie value, extending it when it was idle a while."""
        now = _now()
        with self.store.session() as session:
            row = session.scalar(
                select(WebSession).where(WebSession.token_hash == token_hash(token))
            )
            if row is None or _aware(row.expires_at) <= now:
                return None
            if now - _aware(row.last_seen) > timedelta(minutes=5):
                row.last_seen = now
                row.expires_at = now + lifetime
            return SessionRecord(row.id, row.user_id, row.csrf_token, _aware(row.expires_at))

    def close_session(self, token: str) -> None:
        """End a session (sign out)."""
        with self.store.session() as session:
            session.execute(delete(WebSession).where(WebSession.token_hash == token_hash(token)))

    # API tokens ----------------------------------------------------------------------

    def create_token(self, email: str, name: str = "") -> str:
        """Create an API token for a user and return it; it cannot be shown again."""
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        with self.store.session() as session:
            user = session.scalar(select(m.User).where(m.User.email == normalise_email(email)))
            if user is None:
                raise AccountError(f"No user with the email {email!r}.")
            session.add(
                ApiToken(user_id=user.id, name=name, token_hash=token_hash(token), prefix=token[:8])
            )
            session.add(
                m.AuditEntry(
                    actor=user.email,
                    action="token_create",
                    target_type="user",
                    target_id=str(user.id),
                    detail={"name": name},
                )
            )
        return token

    def user_for_token(self, token: str) -> UserRecord | None:
        """The active user an API token belongs to, or None for an unknown or revoked token."""
        with self.store.session() as session:
            row = session.scalar(
                select(ApiToken).where(
                    ApiToken.token_hash == token_hash(token), ApiToken.revoked_at.is_(None)
                )
            )
            user = None if row is None else session.get(m.User, row.user_id)
            if row is None or user is None or not user.is_active:
                return None
            now = _now()
            if row.last_used_at is None or now - _aware(row.last_used_at) > timedelta(minutes=5):
                row.last_used_at = now  # not on every request: API reads stay read-only
            return _user(user)

    # Login attempts and audit --------------------------------------------------------

    def recent_failures(self, email: str, address: str, window: timedelta) -> int:
        """Failed sign-ins for this account or from this address within ``window``.

        Failures before the last successful sign-in (of that account, or from that
        address) do not count.
        """
        since = _now() - window
        total = 0
        with self.store.session() as session:
            for column, value in (
                (LoginAttempt.email, normalise_email(email)),
                (LoginAttempt.address, address),
            ):
                last_ok = session.scalar(
                    select(func.max(LoginAttempt.at)).where(
                        column == value, LoginAttempt.outcome == "success"
                    )
                )
                start = max(since, _aware(last_ok)) if last_ok else since
                count = session.scalar(
                    select(func.count()).where(
                        column == value, LoginAttempt.outcome == "failure", LoginAttempt.at > start
                    )
                )
                total = max(total, int(count or 0))
        return total

    def record_attempt(self, email: str, address: str, outcome: str) -> None:
        """Note a sign-in attempt: ``success``, ``failure`` or ``refused`` (rate-limited)."""
        with self.store.session() as session:
            session.add(
                LoginAttempt(
                    email=normalise_email(email)[:320],
                    address=address[:64],
                    outcome=outcome,
                    at=_now(),
                )
            )

    def audit(
        self,
        actor: str,
        action: str,
        target_type: str,
        target_id: str | int = "",
        *,
        workspace_id: int | None = None,
        **detail: Any,
    ) -> None:
        """Append an audit entry (``workspace_id`` None for account-level events)."""
        with self.store.session() as session:
            session.add(
                m.AuditEntry(
                    workspace_id=workspace_id,
                    actor=actor,
                    action=action,
                    target_type=target_type,
                    target_id=str(target_id),
                    detail=detail,
                )
            )


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class ScopedEvidence:
    """One workspace's evidence, filtered to what one :class:`Scope` allows.

    Args:
        workspace: The workspace.
        scope: What the person may see.
    """

    def __init__(self, workspace: Workspace, scope: Scope) -> None:
        self.workspace = workspace
        self.scope = scope

    def visible(self) -> ColumnElement[bool]:
        """The SQL condition an item must meet to be seen under this scope."""
        ws = m.Item.workspace_id == self.workspace.id
        if self.scope.see_all:
            return ws & true()
        if self.scope.submitted_by is not None:
            own = select(m.Source.id).where(
                m.Source.workspace_id == self.workspace.id,
                m.Source.imported_by == self.scope.submitted_by,
            )
            return ws & m.Item.source_id.in_(own)
        if self.scope.organisation_id is not None:
            return ws & or_(
                m.Item.shared.is_(True), m.Item.organisation_id == self.scope.organisation_id
            )
        return ws & m.Item.shared.is_(True)

    def _filtered(self, query: Select[*_Row], q: EvidenceQuery) -> Select[*_Row]:
        query = query.where(self.visible())
        if q.text.strip():
            query = query.where(m.Item.text.ilike(_like(q.text.strip()), escape="\\"))
        if q.organisation:
            query = query.where(m.Organisation.name == q.organisation)
        if q.source_id is not None:
            query = query.where(m.Item.source_id == q.source_id)
        if q.date_from is not None:
            query = query.where(m.Item.item_date >= q.date_from)
        if q.date_to is not None:
            query = query.where(m.Item.item_date <= q.date_to)
        if q.attribute:
            value = m.Item.attributes[q.attribute].as_string()
            query = query.where(
                value == q.attribute_value if q.attribute_value else value.is_not(None)
            )
        return query

    def _base(self) -> Select[m.Item, str]:
        return select(m.Item, m.Organisation.name).join(
            m.Organisation, m.Item.organisation_id == m.Organisation.id, isouter=True
        )

    def search(
        self, q: EvidenceQuery, *, limit: int = 50, offset: int = 0
    ) -> tuple[list[ItemRecord], int]:
        """A page of matching items (newest first) and the total number that match."""
        base = self._filtered(self._base(), q)
        counted = self._filtered(
            select(func.count(m.Item.id))
            .select_from(m.Item)
            .join(m.Organisation, m.Item.organisation_id == m.Organisation.id, isouter=True),
            q,
        )
        with self.workspace.store.session() as session:
            total = int(session.scalar(counted) or 0)
            rows = session.execute(base.order_by(m.Item.id.desc()).limit(limit).offset(offset))
            return [_item_record(item, org) for item, org in rows.all()], total

    def iter_items(self, q: EvidenceQuery, batch: int = 1000) -> Iterator[ItemRecord]:
        """Every matching item, oldest first, fetched in batches (for exports)."""
        last = 0
        while True:
            query = self._filtered(self._base(), q).where(m.Item.id > last)
            with self.workspace.store.session() as session:
                rows = session.execute(query.order_by(m.Item.id).limit(batch)).all()
            if not rows:
                return
            for item, org in rows:
                yield _item_record(item, org)
            last = rows[-1][0].id

    def item(self, item_id: int) -> ItemRecord | None:
        """One item by id, or None when it does not exist *or* may not be seen."""
        query = self._base().where(self.visible(), m.Item.id == item_id)
        with self.workspace.store.session() as session:
            row = session.execute(query).first()
            return None if row is None else _item_record(row[0], row[1])

    def organisations(self) -> list[OrganisationSummary]:
        """Organisations in the workspace with visible item and member counts."""
        items = (
            select(m.Item.organisation_id, func.count(m.Item.id).label("n"))
            .where(self.visible())
            .group_by(m.Item.organisation_id)
            .subquery()
        )
        members = (
            select(m.Membership.organisation_id, func.count(m.Membership.id).label("n"))
            .where(m.Membership.workspace_id == self.workspace.id)
            .group_by(m.Membership.organisation_id)
            .subquery()
        )
        query = (
            select(m.Organisation, items.c.n, members.c.n)
            .join(items, items.c.organisation_id == m.Organisation.id, isouter=True)
            .join(members, members.c.organisation_id == m.Organisation.id, isouter=True)
            .where(m.Organisation.workspace_id == self.workspace.id)
            .order_by(m.Organisation.name)
        )
        with self.workspace.store.session() as session:
            return [
                OrganisationSummary(o.id, o.name, o.kind, int(n or 0), int(k or 0))
                for o, n, k in session.execute(query).all()
            ]

    def sources(self) -> list[tuple[int, str]]:
        """Sources that hold at least one visible item, as (id, name).

        A source's name can itself be telling, so sources of items one may not
        see are left out. Each check stops at the first visible item.
        """
        query = select(m.Source.id, m.Source.name).where(m.Source.workspace_id == self.workspace.id)
        if not self.scope.see_all:
            has_visible = select(m.Item.id).where(m.Item.source_id == m.Source.id, self.visible())
            query = query.where(has_visible.exists())
        with self.workspace.store.session() as session:
            return [(int(i), str(n)) for i, n in session.execute(query.order_by(m.Source.id))]

    def organisation_names(self) -> list[str]:
        """Names of the workspace's organisations, A to Z (for filters)."""
        query = (
            select(m.Organisation.name)
            .where(m.Organisation.workspace_id == self.workspace.id)
            .order_by(m.Organisation.name)
        )
        with self.workspace.store.session() as session:
            return [str(name) for name in session.scalars(query)]

    def source_name(self, source_id: int) -> str:
        """The name of a source of this workspace ("" when unknown)."""
        query = select(m.Source.name).where(
            m.Source.id == source_id, m.Source.workspace_id == self.workspace.id
        )
        with self.workspace.store.session() as session:
            return str(session.scalar(query) or "")

    def attribute_names(self, source_ids: list[int] | None = None) -> list[str]:
        """Attribute columns kept by the imports this person can see items from.

        Args:
            source_ids: The visible sources, when already known (saves a query).
        """
        ids = source_ids if source_ids is not None else [i for i, _ in self.sources()]
        query = select(m.Source.options).where(m.Source.id.in_(ids))
        with self.workspace.store.session() as session:
            names = {
                str(name)
                for options in session.scalars(query)
                for name in (options or {}).get("attribute_columns") or []
            }
        return sorted(names)

    def runs(self, limit: int = 200) -> list[RunRecord]:
        """The most recent analysis runs, newest first."""
        query = (
            select(m.Run).where(m.Run.workspace_id == self.workspace.id).order_by(m.Run.id.desc())
        )
        with self.workspace.store.session() as session:
            return [run_record(r) for r in session.scalars(query.limit(limit))]

    def run(self, run_id: int) -> RunRecord | None:
        """One run by id, or None."""
        with self.workspace.store.session() as session:
            row = session.get(m.Run, run_id)
            return None if row is None or row.workspace_id != self.workspace.id else run_record(row)

    def codings(self, item_id: int | None = None, limit: int = 500) -> list[dict[str, Any]]:
        """Codings of visible items (optionally of one item), with the code's key and title."""
        query = (
            select(m.Coding, m.Code.key, m.Code.title)
            .join(m.Code, m.Code.id == m.Coding.code_id)
            .join(m.Item, m.Item.id == m.Coding.item_id)
            .where(m.Coding.workspace_id == self.workspace.id, self.visible())
            .order_by(m.Coding.id)
            .limit(limit)
        )
        if item_id is not None:
            query = query.where(m.Coding.item_id == item_id)
        with self.workspace.store.session() as session:
            return [
                {
                    "id": c.id,
                    "item_id": c.item_id,
                    "code": key,
                    "code_title": title,
                    "origin": c.origin.value,
                    "status": c.status.value,
                    "coder": c.coder,
                    "confidence": c.confidence,
                    "run_id": c.run_id,
                }
                for c, key, title in session.execute(query).all()
            ]

    def themes(self) -> list[dict[str, Any]]:
        """Themes in the workspace with how many visible items each holds."""
        sizes = (
            select(m.ThemeMember.theme_id, func.count().label("n"))
            .join(m.Item, m.Item.id == m.ThemeMember.item_id)
            .where(self.visible())
            .group_by(m.ThemeMember.theme_id)
            .subquery()
        )
        query = (
            select(m.Theme, sizes.c.n)
            .join(sizes, sizes.c.theme_id == m.Theme.id, isouter=True)
            .where(m.Theme.workspace_id == self.workspace.id)
            .order_by(m.Theme.run_id, m.Theme.number)
        )
        with self.workspace.store.session() as session:
            return [
                {
                    "id": t.id,
                    "run_id": t.run_id,
                    "parent_id": t.parent_id,
                    "number": t.number,
                    "label": t.label,
                    "keywords": t.keywords,
                    "size": int(n or 0),
                }
                for t, n in session.execute(query).all()
            ]

    def audit_log(self, limit: int = 200) -> list[AuditRecord]:
        """The workspace's most recent audit entries, newest first."""
        return self.workspace.audit_log(limit)

    # Edits made from the web app -----------------------------------------------------

    def set_shared(self, item_id: int, shared: bool, *, actor: str) -> bool:
        """Share a visible item with the workspace, or make it private; False if not visible."""
        with self.workspace.writer() as writer:
            done = writer.session.execute(
                update(m.Item).where(self.visible(), m.Item.id == item_id).values(shared=shared)
            )
            if not getattr(done, "rowcount", 0):
                return False
            writer.audit(actor, "edit", "item", item_id, shared=shared)
        return True

    def delete_item(self, item_id: int, *, actor: str) -> bool:
        """Delete a visible item (and its codings); False if it is not visible."""
        with self.workspace.writer() as writer:
            done = writer.session.execute(
                delete(m.Item).where(self.visible(), m.Item.id == item_id)
            )
            if not getattr(done, "rowcount", 0):
                return False
            writer.audit(actor, "delete", "item", item_id)
        return True

    def submit(
        self,
        *,
        email: str,
        organisation: str | None,
        text: str,
        item_date: date | None,
        question: str = "",
    ) -> int:
        """Store one contribution sent through the web form; return the new item's id.

        Each contributor has one source ("Submitted by EMAIL"); submissions stay
        private to their organisation until someone shares them.
        """
        draft = ItemDraft(
            text=text,
            line=0,
            external_id="form-" + secrets.token_hex(8),
            organisation=organisation,
            item_date=item_date,
            attributes={"question": question} if question else {},
        )
        with self.workspace.writer() as writer:
            session = writer.session
            source_id = session.scalar(
                select(m.Source.id).where(
                    m.Source.workspace_id == self.workspace.id,
                    m.Source.kind == "web form",
                    m.Source.imported_by == email,
                )
            )
            if source_id is None:
                source_id = writer.add_source(
                    f"Submitted by {email}", kind="web form", imported_by=email
                )
            writer.insert_items(source_id, [draft], shared=False)
            item_id = session.scalar(
                select(m.Item.id).where(
                    m.Item.workspace_id == self.workspace.id,
                    m.Item.content_hash == draft.content_hash,
                )
            )
            assert item_id is not None  # the external id makes every draft new
            session.execute(
                update(m.Source)
                .where(m.Source.id == source_id)
                .values(rows_read=m.Source.rows_read + 1, rows_imported=m.Source.rows_imported + 1)
            )
            writer.audit(email, "submit", "item", item_id)
        return int(item_id)


__all__ = [
    "ROLES",
    "AccountError",
    "Accounts",
    "EvidenceQuery",
    "MemberRecord",
    "OrganisationSummary",
    "RunRecord",
    "Scope",
    "ScopedEvidence",
    "SessionRecord",
    "UserRecord",
    "normalise_email",
]
