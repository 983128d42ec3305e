"""items: who wrote an item is part of what makes it distinct

Two people who gave the same short answer ("No", "Thanks") were stored as one
item, because an item's content hash was its text, organisation, reference and
date. The hash now includes the respondent when the item has one; this
recomputes the hashes of the items stored with a respondent, so importing their
file again still adds nothing.

Revision ID: 0023
Revises: 0022
"""

from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from alembic import op

from upstream.records.drafts import RESPONDENT_ATTRIBUTE, item_hash

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 1000


def upgrade() -> None:
    item = sa.table(
        "item",
        sa.column("id", sa.Integer),
        sa.column("organisation_id", sa.Integer),
        sa.column("external_id", sa.String),
        sa.column("text", sa.Text),
        sa.column("item_date", sa.Date),
        sa.column("attributes", sa.JSON),
        sa.column("content_hash", sa.String),
    )
    organisation = sa.table(
        "organisation", sa.column("id", sa.Integer), sa.column("name", sa.String)
    )
    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.execute(
            sa.select(
                item.c.id,
                item.c.text,
                organisation.c.name,
                item.c.external_id,
                item.c.item_date,
                item.c.attributes,
            )
            .select_from(item.outerjoin(organisation, organisation.c.id == item.c.organisation_id))
            .where(item.c.id > last)
            .order_by(item.c.id)
            .limit(_BATCH)
        ).all()
        if not rows:
            return
        last = rows[-1].id
        for row in rows:
            respondent = str((row.attributes or {}).get(RESPONDENT_ATTRIBUTE) or "")
            if not respondent:
                continue
            when = row.item_date
            if isinstance(when, str):  # SQLite hands dates back as text
                when = date.fromisoformat(when)
            connection.execute(
                item.update()
                .where(item.c.id == row.id)
                .values(
                    content_hash=item_hash(row.text, row.name, row.external_id, when, respondent)
                )
            )


def downgrade() -> None:
    # Items told apart only by who wrote them would share a hash again, which the
    # unique index refuses: the hashes stay as they are.
    pass
