"""The table for people's edits to themes (renames, merges, splits).

Themes themselves live in :class:`upstream.store.models.Theme`; an edit is kept
apart from any one run because it must outlive the run it was made on and be
re-applied to the next (see :mod:`upstream.themes.edits`). It is on the same
declarative ``Base`` so one Alembic history covers it (migration ``0005_themes``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from upstream.store.models import Base, utcnow

__all__ = ["ThemeEditRow"]


class ThemeEditRow(Base):
    """One edit to the themes of a workspace, re-applied on every later run."""

    __tablename__ = "theme_edit"
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(String(20))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    actor: Mapped[str] = mapped_column(String(320), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
