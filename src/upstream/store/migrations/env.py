"""Alembic environment: runs migrations on the engine upstream hands over."""

from alembic import context

import upstream.store.account_models  # registers the account tables
import upstream.store.survey_models  # noqa: F401  (registers the survey tables)
from upstream.store.models import Base

config = context.config
engine = config.attributes.get("engine")
if engine is None:  # the alembic CLI, used only to write new migrations
    from upstream.store.engine import make_engine

    engine = make_engine(config.get_main_option("sqlalchemy.url") or "upstream-dev.db")

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
