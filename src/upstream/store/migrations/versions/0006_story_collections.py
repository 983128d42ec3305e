"""story collections and self-signification

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "story_collection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("prompt", sa.Text(), nullable=False),
        sa.Column("framework", sa.String(length=100), nullable=False),
        sa.Column("level", sa.Integer(), nullable=False),
        sa.Column("elements", JSONType, nullable=False),
        sa.Column("sliders", JSONType, nullable=False),
        sa.Column("questions", JSONType, nullable=False),
        sa.Column("extra_questions", JSONType, nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("consent", sa.Text(), nullable=False),
        sa.Column("opens_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("closes_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisation.id"],
            name=op.f("fk_story_collection_organisation_id_organisation"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspace.id"],
            name=op.f("fk_story_collection_workspace_id_workspace"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_story_collection")),
        sa.UniqueConstraint("token", name=op.f("uq_story_collection_token")),
    )
    op.create_index(op.f("ix_story_collection_workspace_id"), "story_collection", ["workspace_id"])
    op.create_table(
        "story",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("elements", JSONType, nullable=False),
        sa.Column("sliders", JSONType, nullable=False),
        sa.Column("answers", JSONType, nullable=False),
        sa.Column("submitted_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["story_collection.id"],
            name=op.f("fk_story_collection_id_story_collection"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["item_id"], ["item.id"], name=op.f("fk_story_item_id_item"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_story")),
        sa.UniqueConstraint("item_id", name=op.f("uq_story_item_id")),
    )
    op.create_index(op.f("ix_story_collection_id"), "story", ["collection_id"])
    op.create_table(
        "story_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["story_collection.id"],
            name=op.f("fk_story_attempt_collection_id_story_collection"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_story_attempt")),
    )
    op.create_index(
        "ix_story_attempt_collection_address_at",
        "story_attempt",
        ["collection_id", "address", "at"],
    )


def downgrade() -> None:
    op.drop_index("ix_story_attempt_collection_address_at", table_name="story_attempt")
    op.drop_table("story_attempt")
    op.drop_index(op.f("ix_story_collection_id"), table_name="story")
    op.drop_table("story")
    op.drop_index(op.f("ix_story_collection_workspace_id"), table_name="story_collection")
    op.drop_table("story_collection")
