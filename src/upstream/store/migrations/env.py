"""Alembic environment: runs migrations on the engine upstream hands over."""

from alembic import context

# Importing each module registers its tables on the one metadata.
import upstream.store.account_models
import upstream.store.benefit_models
import upstream.store.collection_models
import upstream.store.job_models
import upstream.store.roundtable_models
import upstream.store.survey_models
import upstream.store.theme_models
import upstream.store.workgroup_models  # noqa: F401
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
