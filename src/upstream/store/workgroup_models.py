"""Tables for workgroups and learning products (migration ``0007_workgroups_library``).

A workgroup gathers people of several organisations around shared codes or
themes; its notes, actions and evidence links are kept with it. A learning
product (guide, tool or case study) keeps its extracted text for search, its
tags (suggested by the machine, confirmed by a person) and, when it was
uploaded, the file itself in its own table so lists never load the bytes.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from upstream.store.models import Base, utcnow

__all__ = [
    "LearningProductFileRow",
    "LearningProductRow",
    "ProductTagRow",
    "WorkgroupActionRow",
    "WorkgroupLinkRow",
    "WorkgroupMemberRow",
    "WorkgroupNoteRow",
    "WorkgroupRow",
]


class WorkgroupRow(Base):
    """A group of people working on shared barriers or themes."""

    __tablename__ = "workgroup"
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text, default="")
    # Codes as "codebook:code" and theme labels the group formed around.
    focus: Mapped[list[Any]] = mapped_column(default=list)
    created_by: Mapped[str] = mapped_column(String(320), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WorkgroupMemberRow(Base):
    """A person in a workgroup."""

    __tablename__ = "workgroup_member"
    __table_args__ = (UniqueConstraint("workgroup_id", "email"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    workgroup_id: Mapped[int] = mapped_column(
        ForeignKey("workgroup.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(320))
    organisation: Mapped[str] = mapped_column(String(300), default="")
    added_by: Mapped[str] = mapped_column(String(320), default="")
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WorkgroupNoteRow(Base):
    """A note kept by a workgroup."""

    __tablename__ = "workgroup_note"
    id: Mapped[int] = mapped_column(primary_key=True)
    workgroup_id: Mapped[int] = mapped_column(
        ForeignKey("workgroup.id", ondelete="CASCADE"), index=True
    )
    author: Mapped[str] = mapped_column(String(320), default="")
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WorkgroupActionRow(Base):
    """Something a workgroup agreed to do, with its owner and due date."""

    __tablename__ = "workgroup_action"
    id: Mapped[int] = mapped_column(primary_key=True)
    workgroup_id: Mapped[int] = mapped_column(
        ForeignKey("workgroup.id", ondelete="CASCADE"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(320), default="")
    due: Mapped[date | None] = mapped_column(Date, default=None)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(320), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class WorkgroupLinkRow(Base):
    """Evidence a workgroup drew on: an item, a code or a theme."""

    __tablename__ = "workgroup_link"
    __table_args__ = (UniqueConstraint("workgroup_id", "kind", "target"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    workgroup_id: Mapped[int] = mapped_column(
        ForeignKey("workgroup.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))
    target: Mapped[str] = mapped_column(String(300))
    added_by: Mapped[str] = mapped_column(String(320), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LearningProductRow(Base):
    """A guide, tool or case study shared in the network."""

    __tablename__ = "learning_product"
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(30))
    summary: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    organisation: Mapped[str] = mapped_column(String(300), default="")
    created_by: Mapped[str] = mapped_column(String(320), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class LearningProductFileRow(Base):
    """The uploaded file of a learning product."""

    __tablename__ = "learning_product_file"
    product_id: Mapped[int] = mapped_column(
        ForeignKey("learning_product.id", ondelete="CASCADE"), primary_key=True
    )
    filename: Mapped[str] = mapped_column(String(300))
    media_type: Mapped[str] = mapped_column(String(200))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)


class ProductTagRow(Base):
    """A code or theme a learning product is about, suggested or confirmed."""

    __tablename__ = "learning_product_tag"
    __table_args__ = (UniqueConstraint("product_id", "kind", "value"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("learning_product.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))  # "code" or "theme"
    # For a code: the code id; the codebook is kept apart so ids match across pages.
    value: Mapped[str] = mapped_column(String(300))
    codebook: Mapped[str] = mapped_column(String(100), default="")
    title: Mapped[str] = mapped_column(String(300), default="")
    confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    score: Mapped[float] = mapped_column(Float, default=0.0)
