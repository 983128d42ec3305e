"""Tables for signing in (browser sessions, API tokens, login attempts) and plain records.

The tables live on the same declarative ``Base`` as the evidence tables, so one
Alembic history covers both (see migration ``0003_accounts``). The frozen
dataclasses below are what :mod:`upstream.store.accounts` hands out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from upstream.store.models import Base, utcnow


class WebSession(Base):
    """A browser session; the cookie holds a random token, this row only its hash.

    Anonymous sessions (``user_id`` is NULL) exist so the sign-in form itself
    carries a CSRF token.
    """

    __tablename__ = "web_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), default=None, index=True
    )
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class ApiToken(Base):
    """A personal token for the JSON API; only a SHA-256 hash of it is stored.

    A token works until ``expires_at`` or until it is revoked, and only for what
    its ``scope`` allows: ``read`` (the default) or ``write``.
    """

    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    scope: Mapped[str] = mapped_column(String(20), default="read")


class RateLimit(Base):
    """How many attempts one key (an account and address, a link and address) has used.

    One row per key, changed only by single conditional UPDATE statements, so the
    limit holds however many threads or server processes share the database.
    """

    __tablename__ = "rate_limit"
    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    lockouts: Mapped[int] = mapped_column(Integer, default=0)


class LoginAttempt(Base):
    """One attempt to sign in, kept to rate-limit password guessing."""

    __tablename__ = "login_attempt"
    __table_args__ = (
        Index("ix_login_attempt_email_at", "email", "at"),
        Index("ix_login_attempt_address_at", "address", "at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    address: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


# Plain records handed to the web app and the command line ---------------------------


@dataclass(frozen=True, slots=True)
class UserRecord:
    """A person who can sign in."""

    id: int
    email: str
    display_name: str
    is_active: bool
    has_password: bool


@dataclass(frozen=True, slots=True)
class MemberRecord:
    """A person's role in one workspace, and their organisation there (if any)."""

    user_id: int
    email: str
    display_name: str
    workspace_id: int
    workspace: str
    role: str
    organisation_id: int | None
    organisation: str | None


@dataclass(frozen=True, slots=True)
class TokenRecord:
    """An API token as its owner sees it (never the secret itself)."""

    id: int
    user_id: int
    name: str
    prefix: str
    scope: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        """Whether the token still works (not revoked, not expired)."""
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """A live browser session (``user_id`` is None before sign-in).

    ``user`` is the signed-in person as read with the session (one query for
    both), when the session was looked up rather than just opened.
    """

    id: int
    user_id: int | None
    csrf_token: str
    expires_at: datetime
    user: UserRecord | None = None


@dataclass(frozen=True, slots=True)
class Scope:
    """Which items of a workspace a person may see.

    Attributes:
        see_all: Every item (workspace owners).
        organisation_id: Items of this organisation, shared or private; shared items
            of every other organisation are visible too.
        submitted_by: Only items this person submitted themselves (contributors).
    """

    see_all: bool = False
    organisation_id: int | None = None
    submitted_by: str | None = None


@dataclass(frozen=True, slots=True)
class EvidenceQuery:
    """Filters for the evidence browser; every field is optional."""

    text: str = ""
    organisation: str = ""
    source_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    attribute: str = ""
    attribute_value: str = ""


@dataclass(frozen=True, slots=True)
class OrganisationSummary:
    """An organisation with the number of items the viewer can see and its members."""

    id: int
    name: str
    kind: str
    items: int
    members: int


__all__ = [
    "ApiToken",
    "EvidenceQuery",
    "LoginAttempt",
    "MemberRecord",
    "OrganisationSummary",
    "RateLimit",
    "Scope",
    "SessionRecord",
    "TokenRecord",
    "UserRecord",
    "WebSession",
]
