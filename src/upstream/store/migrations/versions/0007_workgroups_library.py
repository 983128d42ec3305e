"""workgroups, learning products and their tags

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
_WHEN = sa.DateTime(timezone=True)


def _child_of(parent: str, table: str, column: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{parent}.id"], name=op.f(f"fk_{table}_{column}_{parent}"), ondelete="CASCADE"
    )


def _workgroup_child(table: str, *parts: Any) -> None:
    op.create_table(
        table,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workgroup_id", sa.Integer(), nullable=False),
        *parts,
        _child_of("workgroup", table, "workgroup_id"),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    )
    op.create_index(op.f(f"ix_{table}_workgroup_id"), table, ["workgroup_id"])


def upgrade() -> None:
    op.create_table(
        "workgroup",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("focus", JSONType, nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        _child_of("workspace", "workgroup", "workspace_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workgroup")),
    )
    op.create_index(op.f("ix_workgroup_workspace_id"), "workgroup", ["workspace_id"])
    _workgroup_child(
        "workgroup_member",
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("organisation", sa.String(length=300), nullable=False),
        sa.Column("added_by", sa.String(length=320), nullable=False),
        sa.Column("added_at", _WHEN, nullable=False),
        sa.UniqueConstraint(
            "workgroup_id", "email", name=op.f("uq_workgroup_member_workgroup_id_email")
        ),
    )
    _workgroup_child(
        "workgroup_note",
        sa.Column("author", sa.String(length=320), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
    )
    _workgroup_child(
        "workgroup_action",
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=320), nullable=False),
        sa.Column("due", sa.Date(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
    )
    _workgroup_child(
        "workgroup_link",
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("target", sa.String(length=300), nullable=False),
        sa.Column("added_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.UniqueConstraint(
            "workgroup_id",
            "kind",
            "target",
            name=op.f("uq_workgroup_link_workgroup_id_kind_target"),
        ),
    )
    op.create_table(
        "learning_product",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("organisation", sa.String(length=300), nullable=False),
        sa.Column("created_by", sa.String(length=320), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        _child_of("workspace", "learning_product", "workspace_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_product")),
    )
    op.create_index(op.f("ix_learning_product_workspace_id"), "learning_product", ["workspace_id"])
    op.create_table(
        "learning_product_file",
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=300), nullable=False),
        sa.Column("media_type", sa.String(length=200), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        _child_of("learning_product", "learning_product_file", "product_id"),
        sa.PrimaryKeyConstraint("product_id", name=op.f("pk_learning_product_file")),
    )
    op.create_table(
        "learning_product_tag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("value", sa.String(length=300), nullable=False),
        sa.Column("codebook", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        _child_of("learning_product", "learning_product_tag", "product_id"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_learning_product_tag")),
        sa.UniqueConstraint(
            "product_id",
            "kind",
            "value",
            name=op.f("uq_learning_product_tag_product_id_kind_value"),
        ),
    )
    op.create_index(
        op.f("ix_learning_product_tag_product_id"), "learning_product_tag", ["product_id"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_learning_product_tag_product_id"), table_name="learning_product_tag")
    op.drop_table("learning_product_tag")
    op.drop_table("learning_product_file")
    op.drop_index(op.f("ix_learning_product_workspace_id"), table_name="learning_product")
    op.drop_table("learning_product")
    for table in ("workgroup_link", "workgroup_action", "workgroup_note", "workgroup_member"):
        op.drop_index(op.f(f"ix_{table}_workgroup_id"), table_name=table)
        op.drop_table(table)
    op.drop_index(op.f("ix_workgroup_workspace_id"), table_name="workgroup")
    op.drop_table("workgroup")
