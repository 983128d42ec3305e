"""survey panels and self-assessments

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 02:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _json() -> sa.types.TypeEngine:
    return sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def _workspace_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["workspace_id"],
        ["workspace.id"],
        name=op.f(f"fk_{table}_workspace_id_workspace"),
        ondelete="CASCADE",
    )


def _survey_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["survey_id"], ["survey.id"], name=op.f(f"fk_{table}_survey_id_survey"), ondelete="CASCADE"
    )


def _index_workspace(table: str) -> None:
    with op.batch_alter_table(table, schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f(f"ix_{table}_workspace_id"), ["workspace_id"], unique=False
        )


def upgrade() -> None:
    op.create_table(
        "survey",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=50), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _workspace_fk("survey"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey")),
        sa.UniqueConstraint("workspace_id", "name", name=op.f("uq_survey_workspace_id_name")),
    )
    op.create_table(
        "survey_organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("attributes", _json(), nullable=False),
        _survey_fk("survey_organisation"),
        _workspace_fk("survey_organisation"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_organisation")),
        sa.UniqueConstraint(
            "survey_id", "name", name=op.f("uq_survey_organisation_survey_id_name")
        ),
    )
    _index_workspace("survey_organisation")
    op.create_table(
        "survey_measure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("scale", sa.String(length=20), nullable=False),
        sa.Column("attributes", _json(), nullable=False),
        _survey_fk("survey_measure"),
        _workspace_fk("survey_measure"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_measure")),
        sa.UniqueConstraint("survey_id", "key", name=op.f("uq_survey_measure_survey_id_key")),
    )
    _index_workspace("survey_measure")
    op.create_table(
        "survey_org_alias",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("raw_name", sa.String(length=300), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("method", sa.String(length=20), nullable=False),
        sa.Column("aggregate", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["survey_organisation.id"],
            name=op.f("fk_survey_org_alias_organisation_id_survey_organisation"),
            ondelete="CASCADE",
        ),
        _survey_fk("survey_org_alias"),
        _workspace_fk("survey_org_alias"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_org_alias")),
        sa.UniqueConstraint(
            "survey_id",
            "raw_name",
            "year",
            name=op.f("uq_survey_org_alias_survey_id_raw_name_year"),
        ),
    )
    with op.batch_alter_table("survey_org_alias", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_org_alias_organisation_id"), ["organisation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_survey_org_alias_workspace_id"), ["workspace_id"], unique=False
        )
    op.create_table(
        "survey_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("survey_id", sa.Integer(), nullable=False),
        sa.Column("alias_id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("respondents", sa.Integer(), nullable=True),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["alias_id"],
            ["survey_org_alias.id"],
            name=op.f("fk_survey_score_alias_id_survey_org_alias"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["measure_id"],
            ["survey_measure.id"],
            name=op.f("fk_survey_score_measure_id_survey_measure"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
            name=op.f("fk_survey_score_source_id_source"),
            ondelete="SET NULL",
        ),
        _survey_fk("survey_score"),
        _workspace_fk("survey_score"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_score")),
        sa.UniqueConstraint(
            "alias_id", "measure_id", name=op.f("uq_survey_score_alias_id_measure_id")
        ),
    )
    with op.batch_alter_table("survey_score", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_survey_score_measure_id"), ["measure_id"], unique=False
        )
        batch_op.create_index("ix_survey_score_survey_year", ["survey_id", "year"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_survey_score_workspace_id"), ["workspace_id"], unique=False
        )
    op.create_table(
        "assessment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("framework", sa.String(length=100), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        _workspace_fk("assessment"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment")),
        sa.UniqueConstraint("workspace_id", "name", name=op.f("uq_assessment_workspace_id_name")),
    )
    op.create_table(
        "assessment_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("organisation", sa.String(length=300), nullable=False),
        sa.Column("respondent", sa.String(length=200), nullable=False),
        sa.Column("role_group", sa.String(length=100), nullable=False),
        sa.Column("element", sa.String(length=100), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessment.id"],
            name=op.f("fk_assessment_response_assessment_id_assessment"),
            ondelete="CASCADE",
        ),
        _workspace_fk("assessment_response"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_response")),
        sa.UniqueConstraint(
            "assessment_id",
            "organisation",
            "respondent",
            "element",
            name=op.f("uq_assessment_response_assessment_id_organisation_respondent_element"),
        ),
    )
    with op.batch_alter_table("assessment_response", schema=None) as batch_op:
        batch_op.create_index(
            "ix_assessment_response_assessment_org",
            ["assessment_id", "organisation"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_assessment_response_workspace_id"), ["workspace_id"], unique=False
        )


def downgrade() -> None:
    for table in (
        "assessment_response",
        "assessment",
        "survey_score",
        "survey_org_alias",
        "survey_measure",
        "survey_organisation",
        "survey",
    ):
        op.drop_table(table)
