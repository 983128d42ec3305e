"""The ``upstream`` command line: thin wrappers that parse, call the library and show progress."""

from __future__ import annotations

import typer

from upstream import __version__
from upstream.cli import (
    agreement,
    benefits,
    codebook,
    coding,
    database,
    demo,
    importing,
    jobs,
    qdpx,
    report,
    serve,
    settings,
    survey,
    themes,
    users,
)
from upstream.cli.common import console, load_settings

app = typer.Typer(
    name="upstream",
    help=(
        "upstream turns what people say about public services into shared, trustworthy "
        "learning: import evidence, code it against frameworks, find themes and patterns."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _show_version(value: bool) -> None:
    if value:
        console.print(f"upstream {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        help="Show the version and exit.",
        callback=_show_version,
        is_eager=True,
    ),
) -> None:
    """Turn what people say about public services into shared, trustworthy learning."""
    load_settings()


app.command("demo")(demo.demo)
app.command("import")(importing.import_file_command)
app.command("code")(coding.code)
app.command("review")(coding.review)
app.command("agreement")(agreement.agreement)
app.command("themes")(themes.themes)
app.command("patterns")(themes.patterns)
app.command("report")(report.report)
app.add_typer(database.app, name="db")
app.add_typer(codebook.app, name="codebook")
app.add_typer(users.app, name="users")
app.add_typer(survey.app, name="survey")
app.add_typer(jobs.app, name="jobs")
app.add_typer(benefits.app, name="benefits")
app.add_typer(qdpx.app, name="qdpx")
app.command("serve")(serve.serve)
app.command("settings")(settings.show_settings)


def main() -> None:
    """Entry point for the ``upstream`` console script."""
    app()
