"""``upstream db``: create and migrate the evidence store."""

from __future__ import annotations

import typer

from upstream.cli.common import DB_HELP, console, default_db, friendly_errors
from upstream.store.engine import (
    StoreError,
    current_revision,
    head_revision,
    make_engine,
    upgrade,
)

app = typer.Typer(help="Create and migrate the evidence store.", no_args_is_help=True)


@app.command("upgrade")
def upgrade_command(db: str = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Migrate the store to the newest schema (creates a new SQLite file)."""
    with friendly_errors(StoreError):
        engine = make_engine(db or default_db())
        before = current_revision(engine)
        upgrade(engine)
        after = current_revision(engine)
        engine.dispose()
    if before == after:
        console.print(f"The store is already at the newest schema ({after}).")
    else:
        console.print(f"Migrated the store from {before or 'empty'} to {after}.")


@app.command("current")
def current_command(db: str = typer.Option(None, "--db", help=DB_HELP)) -> None:
    """Show which schema revision the store is at, and the newest available."""
    with friendly_errors(StoreError):
        engine = make_engine(db or default_db())
        current = current_revision(engine)
        engine.dispose()
    head = head_revision()
    state = "up to date" if current == head else "needs `upstream db upgrade`"
    console.print(f"Store schema: {current or 'empty'}; newest: {head} ({state}).")
