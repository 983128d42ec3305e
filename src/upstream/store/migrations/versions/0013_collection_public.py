"""story collections: the host's name, privacy notice and plain questions on the public form

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("story_collection") as batch:
        batch.add_column(sa.Column("public", JSONType, nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("story_collection") as batch:
        batch.drop_column("public")
