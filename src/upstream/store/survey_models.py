"""Tables for survey measurement: organisation-level panels and self-assessments.

Only :mod:`upstream.store` imports this module; analysis code goes through
:mod:`upstream.store.survey_repository` (panels) and
:mod:`upstream.store.assessment_repository` (self-assessments). Every row
carries ``workspace_id`` and every query filters on it.

A published raw organisation name of one year (``survey_org_alias``) points at a
canonical organisation (``survey_organisation``); scores hang off the alias, so
re-applying a reviewed name mapping moves scores between organisations without
re-importing, and re-importing the same file updates rather than duplicates.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from upstream.store.models import Base, utcnow


class Survey(Base):
    """A survey whose results are stored, e.g. the Civil Service People Survey."""

    __tablename__ = "survey"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(50), default="organisation_scores")
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SurveyOrganisation(Base):
    """A canonical organisation in a survey panel."""

    __tablename__ = "survey_organisation"
    __table_args__ = (UniqueConstraint("survey_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(300))
    code: Mapped[str] = mapped_column(String(50), default="")
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)


class SurveyOrgAlias(Base):
    """A raw organisation name as published in one year, and the organisation it maps to."""

    __tablename__ = "survey_org_alias"
    __table_args__ = (UniqueConstraint("survey_id", "raw_name", "year"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("survey_organisation.id", ondelete="CASCADE"), index=True
    )
    raw_name: Mapped[str] = mapped_column(String(300))
    year: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float, default=100.0)
    method: Mapped[str] = mapped_column(String(20), default="new")
    aggregate: Mapped[bool] = mapped_column(Boolean, default=False)


class SurveyMeasure(Base):
    """A harmonised measure: stable id, published label, kind and scale."""

    __tablename__ = "survey_measure"
    __table_args__ = (UniqueConstraint("survey_id", "key"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(100))
    label: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(30), default="question")
    scale: Mapped[str] = mapped_column(String(20), default="0-1")
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)


class SurveyScore(Base):
    """One organisation's score on one measure in one year (0-1), with respondents if known."""

    __tablename__ = "survey_score"
    __table_args__ = (
        UniqueConstraint("alias_id", "measure_id"),
        Index("ix_survey_score_survey_year", "survey_id", "year"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    alias_id: Mapped[int] = mapped_column(ForeignKey("survey_org_alias.id", ondelete="CASCADE"))
    measure_id: Mapped[int] = mapped_column(
        ForeignKey("survey_measure.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    respondents: Mapped[int | None] = mapped_column(Integer, default=None)
    source_id: Mapped[int | None] = mapped_column(
        ForeignKey("source.id", ondelete="SET NULL"), default=None
    )


class Assessment(Base):
    """A self-assessment round against a framework (e.g. New Operating Models)."""

    __tablename__ = "assessment"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspace.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    framework: Mapped[str] = mapped_column(String(100), default="nom")
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AssessmentResponse(Base):
    """One respondent's maturity rating (1-5) of one framework element."""

    __tablename__ = "assessment_response"
    __table_args__ = (
        UniqueConstraint("assessment_id", "organisation", "respondent", "element"),
        Index("ix_assessment_response_assessment_org", "assessment_id", "organisation"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(
        ForeignKey("workspace.id", ondelete="CASCADE"), index=True
    )
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessment.id", ondelete="CASCADE"))
    organisation: Mapped[str] = mapped_column(String(300))
    respondent: Mapped[str] = mapped_column(String(200))
    role_group: Mapped[str] = mapped_column(String(100), default="")
    element: Mapped[str] = mapped_column(String(100))
    level: Mapped[int] = mapped_column(Integer)
