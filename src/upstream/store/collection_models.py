"""Tables for story collections and contributors' self-signification (migration 0006).

A story itself is an ordinary :class:`~upstream.store.models.Item` (so search,
visibility, coding and themes all work on it); :class:`StoryRow` adds what the
contributor said *about* their story — the elements they chose, where they put
the sliders and their answers — which must outlive any review of the item's
codings. :class:`StoryAttemptRow` counts submissions per address, for the
rate limit, in the same way ``login_attempt`` counts sign-ins.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from upstream.store.models import Base, utcnow

__all__ = ["Base", "CollectionLogoRow", "CollectionRow", "StoryAttemptRow", "StoryRow"]


class CollectionRow(Base):
    """A story collection: its prompt, what contributors self-signify, and when it is open."""

    __tablename__ = "story_collection"
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), default=None
    )
    token: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    prompt: Mapped[str] = mapped_column(Text)
    framework: Mapped[str] = mapped_column(String(100))
    level: Mapped[int] = mapped_column(Integer, default=1)
    elements: Mapped[list[Any]] = mapped_column(default=list)
    sliders: Mapped[list[Any]] = mapped_column(default=list)
    questions: Mapped[list[Any]] = mapped_column(default=list)
    extra_questions: Mapped[list[Any]] = mapped_column(default=list)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=True)
    consent: Mapped[str] = mapped_column(Text, default="")
    opens_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    closes_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    # What the public form shows: the host's name, the privacy notice, each element's question.
    public: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_by: Mapped[str] = mapped_column(String(320), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class StoryRow(Base):
    """What a contributor said about their own story (the story's text is the item)."""

    __tablename__ = "story"
    id: Mapped[int] = mapped_column(primary_key=True)
    collection_id: Mapped[int] = mapped_column(
        ForeignKey("story_collection.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id", ondelete="CASCADE"), unique=True)
    elements: Mapped[list[Any]] = mapped_column(default=list)
    sliders: Mapped[dict[str, Any]] = mapped_column(default=dict)
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    submitted_by: Mapped[str] = mapped_column(String(320), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class StoryAttemptRow(Base):
    """One attempt to send a story, kept to rate-limit floods from one address."""

    __tablename__ = "story_attempt"
    __table_args__ = (
        Index("ix_story_attempt_collection_address_at", "collection_id", "address", "at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    collection_id: Mapped[int] = mapped_column(
        ForeignKey("story_collection.id", ondelete="CASCADE")
    )
    address: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CollectionLogoRow(Base):
    """The convener's logo for a collection's public form, re-drawn as a small PNG.

    Kept in the database rather than on disk so that every web process of a
    team server can show it, and so that it goes when the collection goes.
    """

    __tablename__ = "story_collection_logo"
    collection_id: Mapped[int] = mapped_column(
        ForeignKey("story_collection.id", ondelete="CASCADE"), primary_key=True
    )
    png: Mapped[bytes] = mapped_column(LargeBinary)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    uploaded_by: Mapped[str] = mapped_column(String(320), default="")
    uploaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
