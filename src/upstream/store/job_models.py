"""The table of background jobs (migrations 0009 and 0011).

A job's state lives here rather than in the web server's memory, so a job page
still answers after a restart, and a job the server was running when it stopped
can be shown as interrupted and started again from its stored parameters.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from upstream.store.models import Base, utcnow

__all__ = ["ACTIVE_STATES", "Base", "JobRow"]

ACTIVE_STATES = ("queued", "running")
"""States of a job that is still going (at most one per key)."""

_ACTIVE = text("state IN ('queued', 'running')")


class JobRow(Base):
    """One background job: what it is, who started it, how far it got and how it ended."""

    __tablename__ = "job"
    __table_args__ = (
        # At most one job per key is going at a time, whichever process started it.
        Index(
            "ix_job_active_key",
            "workspace_id",
            "key",
            unique=True,
            sqlite_where=_ACTIVE,
            postgresql_where=_ACTIVE,
        ),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(50))
    key: Mapped[str] = mapped_column(String(200))
    label: Mapped[str] = mapped_column(String(500), default="")
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), default=None
    )
    actor: Mapped[str] = mapped_column(String(320), default="")
    state: Mapped[str] = mapped_column(String(20), default="queued")
    stage: Mapped[str] = mapped_column(Text, default="")
    steps_done: Mapped[int] = mapped_column(Integer, default=0)
    steps_total: Mapped[int | None] = mapped_column(Integer, default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    error: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)
    parameters: Mapped[dict[str, Any]] = mapped_column(default=dict)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    # Migration 0011: the process running the job ("host:pid") and when it last said it
    # was alive, so a process that starts marks as interrupted only jobs whose process is
    # gone, never those another live process (another worker) is running.
    runner: Mapped[str] = mapped_column(String(200), default="")
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
