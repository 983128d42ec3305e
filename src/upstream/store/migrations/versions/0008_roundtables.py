"""roundtables and their responses

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "roundtable",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=True),
        sa.Column("place", sa.String(length=300), nullable=False),
        sa.Column("link", sa.String(length=500), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("framework", sa.String(length=50), nullable=False),
        sa.Column("written", sa.Boolean(), nullable=False),
        sa.Column("board", sa.Boolean(), nullable=False),
        sa.Column("columns", JSONType, nullable=False),
        sa.Column("agenda", JSONType, nullable=False),
        sa.Column("is_open", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("live", JSONType, nullable=False),
        sa.Column("live_responses", sa.Integer(), nullable=False),
        sa.Column("live_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_roundtable_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["source.id"],
            name=op.f("fk_roundtable_source_id_source"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roundtable")),
    )
    op.create_index(op.f("ix_roundtable_workspace_id"), "roundtable", ["workspace_id"])
    op.create_table(
        "roundtable_response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("roundtable_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("responder", sa.String(length=320), nullable=False),
        sa.Column("part", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["roundtable_id"],
            ["roundtable.id"],
            name=op.f("fk_roundtable_response_roundtable_id_roundtable"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["item.id"],
            name=op.f("fk_roundtable_response_item_id_item"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_roundtable_response")),
        sa.UniqueConstraint("item_id", name=op.f("uq_roundtable_response_item_id")),
    )
    op.create_index(
        op.f("ix_roundtable_response_roundtable_id"), "roundtable_response", ["roundtable_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_roundtable_response_roundtable_id"), table_name="roundtable_response")
    op.drop_table("roundtable_response")
    op.drop_index(op.f("ix_roundtable_workspace_id"), table_name="roundtable")
    op.drop_table("roundtable")
