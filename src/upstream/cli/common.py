"""Helpers shared by the command-line modules: the console and error reporting."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console

from upstream.settings import Settings, SettingsError, resolve_settings

console = Console(highlight=False, soft_wrap=True)
error_console = Console(stderr=True, highlight=False, soft_wrap=True)

DB_HELP = (
    "Where the evidence is stored: a SQLite file path (created if new) or a "
    "postgresql+psycopg://user@host/db URL. Defaults to $UPSTREAM_DB or upstream.db."
)


_resolved: list[Settings] = []


def load_settings() -> Settings:
    """Resolve the settings for this command from the environment, once per command.

    Raises:
        typer.Exit: With a one-line message naming the variable, if one is wrong.
    """
    _resolved.clear()
    with friendly_errors(SettingsError):
        _resolved.append(resolve_settings())
    return _resolved[0]


def settings() -> Settings:
    """The settings this command resolved (resolving them if nothing has yet)."""
    return _resolved[0] if _resolved else load_settings()


def default_db() -> str:
    """The store to use when ``--db`` is not given: ``$UPSTREAM_DB`` or ``upstream.db``."""
    return settings().db


@contextmanager
def friendly_errors(*errors: type[Exception]) -> Iterator[None]:
    """Turn expected errors into a one-line message and exit status 1, not a traceback."""
    try:
        yield
    except errors as exc:
        error_console.print(f"[bold red]Error:[/] {exc}")
        raise typer.Exit(1) from exc
