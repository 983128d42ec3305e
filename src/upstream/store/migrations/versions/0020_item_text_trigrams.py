"""items: a trigram index on PostgreSQL, so word search does not read every row

Revision ID: 0020
Revises: 0019

Word search matches ``ILIKE '%words%'``; without an index PostgreSQL reads every
item of the workspace to find a rare word. ``pg_trgm`` (a standard, trusted
extension shipped with PostgreSQL) indexes three-letter pieces of the text so
such a search reads only candidate rows. Where the extension cannot be created
(a managed server without it, or no right to create it), the index is left out
and word search works as before, only slower. SQLite is unchanged.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "ix_item_text_trigrams"


def _can_use_trigrams(bind: sa.Connection) -> bool:
    found = bind.execute(
        sa.text(
            "SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') "
            "OR (EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm') "
            "AND has_database_privilege(current_database(), 'CREATE'))"
        )
    ).scalar()
    return bool(found)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql" or not _can_use_trigrams(bind):
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON item USING gin (text gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX IF EXISTS {INDEX}")
