"""Tables for measures over time and the benefits register (migration 0013).

A measure point is one value of one series (organisation, service, measure and
channel) for one period, as a baseline, a target or an actual. Re-importing the
same file finds the same points by that key and leaves them as they are. A
benefit belongs to one organisation; its links point at items of evidence and
themes that explain why it did or did not happen.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from upstream.store.models import Base, utcnow

__all__ = ["BenefitLinkRow", "BenefitRow", "MeasurePointRow"]


class MeasurePointRow(Base):
    """One value of a measure series for one period."""

    __tablename__ = "measure_point"
    __table_args__ = (
        UniqueConstraint(
            "workspace_id",
            "organisation_id",
            "service",
            "measure",
            "channel",
            "kind",
            "period",
            name="uq_measure_point_key",
        ),
        Index("ix_measure_point_series", "workspace_id", "organisation_id", "measure"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    service: Mapped[str] = mapped_column(String(200), default="")
    measure: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(100), default="")
    kind: Mapped[str] = mapped_column(String(20))
    period: Mapped[date] = mapped_column(Date)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(50), default="")
    change: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class BenefitRow(Base):
    """One benefit in an organisation's register."""

    __tablename__ = "benefit"
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(200), default="")
    service: Mapped[str] = mapped_column(String(200), default="")
    measure: Mapped[str] = mapped_column(String(200), default="")
    channel: Mapped[str] = mapped_column(String(100), default="")
    baseline: Mapped[float | None] = mapped_column(Float, default=None)
    target: Mapped[float | None] = mapped_column(Float, default=None)
    due: Mapped[date | None] = mapped_column(Date, default=None)
    category: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    description: Mapped[str] = mapped_column(Text, default="")
    value: Mapped[float | None] = mapped_column(Float, default=None)
    created_by: Mapped[str] = mapped_column(String(320), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class BenefitLinkRow(Base):
    """An item of evidence or a theme that explains a benefit."""

    __tablename__ = "benefit_link"
    id: Mapped[int] = mapped_column(primary_key=True)
    benefit_id: Mapped[int] = mapped_column(
        ForeignKey("benefit.id", ondelete="CASCADE"), index=True
    )
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("item.id", ondelete="CASCADE"), default=None
    )
    theme_id: Mapped[int | None] = mapped_column(
        ForeignKey("theme.id", ondelete="CASCADE"), default=None
    )
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(320), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
