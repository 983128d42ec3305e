"""People, sign-in and what each person may see: users, memberships, sessions, tokens.

:class:`Accounts` manages users, their roles in workspaces, browser sessions,
API tokens, login attempts and account-level audit entries. What each person may
see of the evidence is decided in :mod:`upstream.store.visibility`.

Passwords are hashed with argon2; session and API tokens are random and only
their SHA-256 hashes are stored.
"""

from __future__ import annotations

import functools
import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Select, delete, select, update
from sqlalchemy.orm import Session

from upstream.records.stored import RunRecord
from upstream.store import models as m
from upstream.store.account_models import (
    ApiToken,
    EvidenceQuery,
    LoginAttempt,
    MemberRecord,
    OrganisationSummary,
    Scope,
    SessionRecord,
    TokenRecord,
    UserRecord,
    WebSession,
)
from upstream.store.engine import StoreError
from upstream.store.repository import Store, Workspace

ROLES: tuple[str, ...] = tuple(role.value for role in m.Role)
TOKEN_PREFIX = "ups_"
TOKEN_LIFETIME = timedelta(days=90)
TOKEN_SCOPES: tuple[str, ...] = ("read", "write")
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


def _token(row: ApiToken) -> TokenRecord:
    return TokenRecord(
        id=row.id,
        user_id=row.user_id,
        name=row.name,
        prefix=row.prefix,
        scope=row.scope,
        created_at=_aware(row.created_at),
        expires_at=None if row.expires_at is None else _aware(row.expires_at),
        last_used_at=None if row.last_used_at is None else _aware(row.last_used_at),
        revoked_at=None if row.revoked_at is None else _aware(row.revoked_at),
    )


def _end_access(session: Session, user_id: int, *, keep_session: str | None = None) -> None:
    """End every browser session and API token of a user (but the session to keep)."""
    sessions = delete(WebSession).where(WebSession.user_id == user_id)
    if keep_session:
        sessions = sessions.where(WebSession.token_hash != token_hash(keep_session))
    session.execute(sessions)
    session.execute(
        update(ApiToken)
        .where(ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=_now())
        .execution_options(synchronize_session=False)
    )


def _audit(
    session: Session, actor: str, action: str, user_id: int, email: str = "", **detail: Any
) -> None:
    if email:
        detail["email"] = email
    session.add(
        m.AuditEntry(
            actor=actor,
            action=action,
            target_type="user",
            target_id=str(user_id),
            detail=detail,
        )
    )


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
        with self.store.reading() as session:
            row = session.scalar(select(m.User).where(m.User.email == normalise_email(email)))
            return None if row is None else _user(row)

    def user_by_id(self, user_id: int) -> UserRecord | None:
        """The user with this id, or None."""
        with self.store.reading() as session:
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
                changed = row.password_hash is not None
                row.password_hash = _hasher.hash(password)
                session.flush()
                if changed:
                    # Whoever knew the old password may hold a session or a token.
                    _end_access(session, row.id)
                    _audit(session, row.email, "password_change", row.id)
            session.flush()
            return _user(row), created

    def change_password(
        self, email: str, password: str, *, keep_session: str | None = None
    ) -> None:
        """Set a new password and end every session and API token of that person.

        Args:
            email: Whose password.
            password: The new password.
            keep_session: The cookie value of a session to keep (the one making
                the change), if any.

        Raises:
            AccountError: There is no such user.
        """
        with self.store.session() as session:
            row = session.scalar(select(m.User).where(m.User.email == normalise_email(email)))
            if row is None:
                raise AccountError(f"No user with the email {email!r}.")
            row.password_hash = _hasher.hash(password)
            _end_access(session, row.id, keep_session=keep_session)
            _audit(session, row.email, "password_change", row.id)

    def set_active(self, email: str, active: bool, *, actor: str = "command line") -> UserRecord:
        """Let a person sign in again, or stop them (ending their sessions and tokens).

        Raises:
            AccountError: There is no such user.
        """
        with self.store.session() as session:
            row = session.scalar(select(m.User).where(m.User.email == normalise_email(email)))
            if row is None:
                raise AccountError(f"No user with the email {email!r}.")
            row.is_active = active
            if not active:
                _end_access(session, row.id)
            _audit(session, actor, "reactivate" if active else "deactivate", row.id, row.email)
            session.flush()
            return _user(row)

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
        with self.store.reading() as session:
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

    def remove_membership(
        self, workspace: Workspace, email: str, *, actor: str = "command line"
    ) -> MemberRecord:
        """Take a person out of a workspace (their account and other workspaces stay).

        Raises:
            AccountError: They are not a member of the workspace.
        """
        user = self.user(email)
        found = None if user is None else self.member(workspace.id, user.id)
        if user is None or found is None:
            raise AccountError(f"{email!r} is not a member of {workspace.name!r}.")
        with workspace.writer() as writer:
            writer.session.execute(
                delete(m.Membership).where(
                    m.Membership.workspace_id == workspace.id, m.Membership.user_id == user.id
                )
            )
            writer.audit(
                actor, "member_remove", "user", user.id, email=user.email, before=found.role
            )
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
        # The person comes with the session, in the same query.
        query = (
            select(WebSession, m.User)
            .join(m.User, m.User.id == WebSession.user_id, isouter=True)
            .where(WebSession.token_hash == token_hash(token))
        )
        with self.store.session() as session:
            found = session.execute(query).first()
            if found is None or _aware(found[0].expires_at) <= now:
                return None
            row, user = found
            if now - _aware(row.last_seen) > timedelta(minutes=5):
                row.last_seen = now
                row.expires_at = now + lifetime
            return SessionRecord(
                row.id,
                row.user_id,
                row.csrf_token,
                _aware(row.expires_at),
                None if user is None else _user(user),
            )

    def close_session(self, token: str) -> None:
        """End a session (sign out)."""
        with self.store.session() as session:
            session.execute(delete(WebSession).where(WebSession.token_hash == token_hash(token)))

    # API tokens ----------------------------------------------------------------------

    def create_token(
        self,
        email: str,
        name: str = "",
        *,
        lifetime: timedelta = TOKEN_LIFETIME,
        scope: str = "read",
    ) -> str:
        """Create an API token for a user and return it; it cannot be shown again.

        Args:
            email: Whose token; it acts with their roles.
            name: A label to recognise it by.
            lifetime: How long it works (90 days unless asked otherwise).
            scope: ``read`` (look only, the default) or ``write`` (may also change things).

        Raises:
            AccountError: The user does not exist, or the scope or lifetime is not allowed.
        """
        if scope not in TOKEN_SCOPES:
            raise AccountError(
                f"Unknown scope {scope!r}; choose one of: {', '.join(TOKEN_SCOPES)}."
            )
        if lifetime <= timedelta(0):
            raise AccountError("A token must last at least one day.")
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        now = _now()
        with self.store.session() as session:
            user = session.scalar(select(m.User).where(m.User.email == normalise_email(email)))
            if user is None:
                raise AccountError(f"No user with the email {email!r}.")
            session.add(
                ApiToken(
                    user_id=user.id,
                    name=name,
                    token_hash=token_hash(token),
                    prefix=token[:12],
                    created_at=now,
                    expires_at=now + lifetime,
                    scope=scope,
                )
            )
            _audit(session, user.email, "token_create", user.id, name=name, scope=scope)
        return token

    def tokens(self, user_id: int) -> list[TokenRecord]:
        """Every API token of one person, newest first (revoked and expired ones too)."""
        with self.store.session() as session:
            rows = session.scalars(
                select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id.desc())
            )
            return [_token(row) for row in rows]

    def revoke_token(self, user_id: int, which: str | int, *, actor: str = "") -> TokenRecord:
        """Stop one of a person's API tokens working.

        Args:
            user_id: Whose token.
            which: The token's id, or the start of it as shown when listed (``ups_...``).
            actor: Who revoked it, for the audit log (the owner when blank).

        Raises:
            AccountError: They have no such token, or more than one matches.
        """
        with self.store.session() as session:
            query = select(ApiToken).where(ApiToken.user_id == user_id)
            if isinstance(which, int):
                query = query.where(ApiToken.id == which)
            else:
                query = query.where(ApiToken.prefix.startswith(which, autoescape=True))
            rows = list(session.scalars(query))
            if len(rows) != 1 or (isinstance(which, str) and len(which) < 6):
                raise AccountError(
                    f"No single token matches {which!r}; list the tokens to find its start."
                )
            row = rows[0]
            row.revoked_at = row.revoked_at or _now()
            user = session.get(m.User, user_id)
            email = user.email if user else ""
            _audit(session, actor or email, "token_revoke", user_id, token=row.prefix)
            return _token(row)

    def token_grant(self, token: str) -> tuple[UserRecord, str] | None:
        """The active user an API token belongs to, and its scope.

        None for an unknown, revoked or expired token, or a deactivated user.
        """
        now = _now()
        with self.store.session() as session:
            row = session.scalar(
                select(ApiToken).where(
                    ApiToken.token_hash == token_hash(token), ApiToken.revoked_at.is_(None)
                )
            )
            if row is None or (row.expires_at is not None and _aware(row.expires_at) <= now):
                return None
            user = session.get(m.User, row.user_id)
            if user is None or not user.is_active:
                return None
            if row.last_used_at is None or now - _aware(row.last_used_at) > timedelta(minutes=5):
                row.last_used_at = now  # not on every request: API reads stay read-only
            return _user(user), row.scope

    def user_for_token(self, token: str) -> UserRecord | None:
        """The active user an API token belongs to, or None (see :meth:`token_grant`)."""
        grant = self.token_grant(token)
        return None if grant is None else grant[0]

    # Login attempts and audit --------------------------------------------------------

    def record_attempt(self, email: str, address: str, outcome: str) -> None:
        """Note a sign-in attempt: ``success``, ``failure`` or ``refused`` (rate-limited).

        This is a record for people reading it; the limits themselves are kept
        by :class:`upstream.store.rate_limits.RateLimits`.
        """
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


__all__ = [
    "ROLES",
    "TOKEN_LIFETIME",
    "TOKEN_SCOPES",
    "AccountError",
    "Accounts",
    "EvidenceQuery",
    "MemberRecord",
    "OrganisationSummary",
    "RunRecord",
    "Scope",
    "SessionRecord",
    "TokenRecord",
    "UserRecord",
    "normalise_email",
]
