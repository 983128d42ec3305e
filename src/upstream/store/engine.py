"""Opening a store: database URLs, engine settings and schema migrations."""

from __future__ import annotations

import time
from importlib import resources
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DisconnectionError, OperationalError

from upstream.settings import read_setting


class StoreError(Exception):
    """The store could not be opened or is not in a usable state."""


def database_url(db: str | Path) -> str:
    """Turn what a user typed for ``--db`` into a SQLAlchemy URL.

    Args:
        db: A file path (SQLite), a ``sqlite:///`` URL or a ``postgresql+psycopg://`` URL.

    Returns:
        A SQLAlchemy database URL.

    Raises:
        StoreError: If the URL is malformed or names an unsupported database.
    """
    text = str(db)
    if "://" not in text:
        return f"sqlite:///{Path(text).expanduser().resolve()}"
    try:
        url = make_url(text)
    except ArgumentError as exc:
        raise StoreError(f"Could not understand the database URL {text!r}: {exc}") from exc
    if url.get_backend_name() not in {"sqlite", "postgresql"}:
        raise StoreError(
            f"Unsupported database {url.get_backend_name()!r}: use a SQLite file path "
            "or a postgresql+psycopg:// URL."
        )
    if url.get_backend_name() == "postgresql" and url.drivername != "postgresql+psycopg":
        url = url.set(drivername="postgresql+psycopg")
    return url.render_as_string(hide_password=False)


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    # WAL lets the web app read while an import writes; foreign keys are off by default.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(db: str | Path) -> Engine:
    """Create an engine for ``db`` with the settings upstream relies on.

    Args:
        db: Anything :func:`database_url` accepts.

    Returns:
        A configured SQLAlchemy engine.

    Raises:
        StoreError: If the PostgreSQL driver is not installed.
    """
    url = make_url(database_url(db))
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            Path(url.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _on_sqlite_connect)
        return engine
    # A page is a few short reads, so a web process with many requests in flight
    # needs as many connections; a pool smaller than that closes and reopens
    # connections all the time, and each new one costs PostgreSQL a process.
    size = int(read_setting("db_pool_size"))
    try:
        engine = create_engine(url, pool_size=size, max_overflow=size // 2)
    except ModuleNotFoundError as exc:
        raise StoreError(
            "PostgreSQL support is not installed. Install it with: pip install 'upstream[postgres]'"
        ) from exc
    _ping_idle_connections(engine)
    return engine


FRESH_SECONDS = 1.0
"""A pooled connection returned this recently is used without a ping (see below)."""


def _ping_idle_connections(engine: Engine) -> None:
    """Check a pooled PostgreSQL connection is alive before use, unless it was just used.

    SQLAlchemy's ``pool_pre_ping`` pings on every checkout: one extra round trip
    per query on pages made of small reads. A connection handed back less than
    :data:`FRESH_SECONDS` ago has just worked, so it is used as it is; an older
    one is pinged, and a dead one is replaced (a database restart costs no
    request more than the few already in flight, as with ``pool_pre_ping``).
    """

    @event.listens_for(engine.pool, "connect")
    @event.listens_for(engine.pool, "checkin")
    def _returned(_dbapi_connection: Any, record: Any) -> None:
        # A connection just opened, or just handed back, has just worked.
        if record is not None:
            record.info["returned"] = time.monotonic()

    @event.listens_for(engine.pool, "checkout")
    def _check(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if time.monotonic() - record.info.get("returned", -FRESH_SECONDS) < FRESH_SECONDS:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:  # the driver's own error for a closed connection
            raise DisconnectionError("the database connection was closed") from exc
        if not alive:
            raise DisconnectionError("the database connection was closed")


def alembic_config(engine: Engine) -> Config:
    """Build an Alembic configuration pointing at the migrations shipped in the package."""
    config = Config()
    location = resources.files("upstream.store") / "migrations"
    config.set_main_option("script_location", str(location))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    """Return the newest migration revision shipped with this version of upstream."""
    script = ScriptDirectory.from_config(alembic_config(create_engine("sqlite://")))
    head = script.get_current_head()
    if head is None:  # pragma: no cover - the package always ships migrations
        raise StoreError("No migrations found in the package.")
    return head


def current_revision(engine: Engine) -> str | None:
    """Return the migration revision the database is at, or None if it is empty."""
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except OperationalError as exc:
        raise StoreError(f"Could not connect to the database: {exc.orig}") from exc


def upgrade(engine: Engine) -> None:
    """Migrate the database to the newest schema (safe to run when already current)."""
    command.upgrade(alembic_config(engine), "head")


def ensure_current(engine: Engine, *, migrate_sqlite: bool = True) -> None:
    """Make sure the schema is current before use.

    SQLite files are created and migrated automatically. A PostgreSQL database
    that is behind is left alone and reported, because a shared team database
    should be migrated deliberately with ``upstream db upgrade``.

    Raises:
        StoreError: If a PostgreSQL database is not at the newest schema.
    """
    current = current_revision(engine)
    if current == head_revision():
        return
    if engine.dialect.name == "sqlite" and migrate_sqlite:
        upgrade(engine)
        return
    state = "empty" if current is None else f"at revision {current}"
    raise StoreError(
        f"The database is {state}, but this version of upstream needs {head_revision()}. "
        "Run: upstream db upgrade --db <URL>"
    )
