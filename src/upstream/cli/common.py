"""Helpers shared by the command-line modules: the console and error reporting."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from upstream.store.engine import DEFAULT_DB

console = Console(highlight=False, soft_wrap=True)
error_console = Console(stderr=True, highlight=False, soft_wrap=True)

DB_HELP = (
    "Where the evidence is stored: a SQLite file path (created if new) or a "
    "postgresql+psycopg://user@host/db URL. Defaults to $UPSTREAM_DB or upstream.db."
)


def default_db() -> str:
    """The store to use when ``--db`` is not given."""
    return os.environ.get("UPSTREAM_DB", DEFAULT_DB)


@contextmanager
def friendly_errors(*errors: type[Exception]) -> Iterator[None]:
    """Turn expected errors into a one-line message and exit status 1, not a traceback."""
    try:
        yield
    except errors as exc:
        error_console.print(f"[bold red]Error:[/] {exc}")
        raise typer.Exit(1) from exc
