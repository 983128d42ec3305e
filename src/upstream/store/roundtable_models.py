"""Tables for roundtables and their responses (migration 0008).

A roundtable's responses are ordinary items of evidence (one source per
roundtable); :class:`RoundtableResponseRow` only adds where on the event each
item was written (agenda item or board column) and by whom. The quick themes of
the responses so far are kept on the roundtable row as JSON, because they are
replaced wholesale each time they are worked out again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from upstream.store.models import Base, utcnow

__all__ = ["Base", "RoundtableResponseRow", "RoundtableRow"]


class RoundtableRow(Base):
    """One roundtable event of a workspace."""

    __tablename__ = "roundtable"
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("source.id", ondelete="SET NULL"), default=None
    )
    title: Mapped[str] = mapped_column(String(300))
    starts_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=False), default=None)
    place: Mapped[str] = mapped_column(String(300), default="")
    link: Mapped[str] = mapped_column(String(500), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    framework: Mapped[str] = mapped_column(String(50), default="nom")
    written: Mapped[bool] = mapped_column(Boolean, default=True)
    board: Mapped[bool] = mapped_column(Boolean, default=True)
    columns: Mapped[list[Any]] = mapped_column(default=list)
    agenda: Mapped[list[Any]] = mapped_column(default=list)
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(320), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    live: Mapped[dict[str, Any]] = mapped_column(default=dict)
    live_responses: Mapped[int] = mapped_column(Integer, default=0)
    live_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class RoundtableResponseRow(Base):
    """Where on a roundtable one item of evidence was written, and by whom."""

    __tablename__ = "roundtable_response"
    id: Mapped[int] = mapped_column(primary_key=True)
    roundtable_id: Mapped[int] = mapped_column(
        ForeignKey("roundtable.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id", ondelete="CASCADE"), unique=True)
    responder: Mapped[str] = mapped_column(String(320))
    part: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
