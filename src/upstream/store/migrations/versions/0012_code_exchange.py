"""codes keep what exchange files say about them: GUID, colour, codable; codebooks keep sets

Revision ID: 0012
Revises: 0011
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSONType = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("code") as batch:
        batch.add_column(sa.Column("guid", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("color", sa.String(length=9), nullable=True))
        batch.add_column(
            sa.Column("codable", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    with op.batch_alter_table("codebook") as batch:
        batch.add_column(sa.Column("sets", JSONType, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("codebook") as batch:
        batch.drop_column("sets")
    with op.batch_alter_table("code") as batch:
        batch.drop_column("codable")
        batch.drop_column("color")
        batch.drop_column("guid")
