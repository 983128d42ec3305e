"""``upstream codebook``: list, show, validate and export codebooks.

The commands are thin: they call :mod:`upstream.frameworks` and print the result.
Problems are printed one per line as ``file, line N: message`` so editors and CI
logs can jump to them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.tree import Tree

from upstream.frameworks import (
    Codebook,
    CodebookError,
    builtin_names,
    export_codebook,
    load_builtin,
    validate_file,
)
from upstream.frameworks.export import EXPORT_FORMATS
from upstream.frameworks.refiqda import export_warnings
from upstream.frameworks.refiqda_read import read_qdc_reading
from upstream.frameworks.taguette import export_taguette_csv, taguette_warnings

__all__ = ["app"]

app = typer.Typer(
    help="Work with codebooks: the built-in frameworks (NOM, HLS, ...) or your own files.",
    no_args_is_help=True,
)

NameOrPath = Annotated[
    str,
    typer.Argument(
        metavar="NAME_OR_PATH",
        help="A built-in codebook name (see 'list') or a .yaml, .csv or .qdc file.",
    ),
]


def _console() -> Console:
    return Console(highlight=False)


def _report(problems: list[CodebookError]) -> None:
    for problem in problems:
        typer.echo(str(problem), err=True)
    noun = "problem" if len(problems) == 1 else "problems"
    typer.echo(f"invalid: {len(problems)} {noun}", err=True)


def _warn(warnings: list[str]) -> None:
    for warning in warnings:
        typer.echo(f"warning: {warning}", err=True)


def _reading_warnings(name_or_path: str) -> list[str]:
    """What upstream set aside when it read a REFI-QDA file (nothing for other formats)."""
    path = Path(name_or_path)
    if path.suffix.lower() not in {".qdc", ".xml"} or not path.is_file():
        return []
    return read_qdc_reading(path.read_bytes(), str(path)).warnings


def _has_exchange_fields(codebook: Codebook) -> bool:
    return bool(codebook.sets) or any(
        code.guid or code.color or not code.codable for code in codebook.codes
    )


def _load_or_exit(name_or_path: str) -> Codebook:
    codebook, problems = validate_file(name_or_path)
    if codebook is None:
        _report(problems)
        raise typer.Exit(code=1)
    return codebook


@app.command("list")
def list_codebooks() -> None:
    """List the built-in codebooks with their size and depth."""
    table = Table(title="Built-in codebooks")
    table.add_column("name", style="bold")
    table.add_column("title")
    table.add_column("version")
    table.add_column("codes", justify="right")
    table.add_column("depth", justify="right")
    for name in builtin_names():
        codebook = load_builtin(name)
        table.add_row(
            name,
            escape(codebook.title),
            escape(codebook.version),
            str(len(codebook)),
            str(codebook.levels),
        )
    _console().print(table)


@app.command("show")
def show(
    name_or_path: NameOrPath,
    codes_only: Annotated[
        bool,
        typer.Option(
            "--codes-only",
            help="Show only the tree of code ids and titles, without definitions or notes.",
        ),
    ] = False,
) -> None:
    """Show a codebook as a tree of codes with their definitions."""
    codebook = _load_or_exit(name_or_path)
    heading = f"[bold]{escape(codebook.title)}[/bold] ({escape(codebook.id)}"
    heading += f", version {escape(codebook.version)})" if codebook.version else ")"
    tree = Tree(heading)
    if not codes_only and codebook.description:
        tree.add(f"[dim]{escape(codebook.description)}[/dim]")
    branches: dict[str, Tree] = {}
    for _depth, code in codebook.walk():
        parent = branches[code.parent] if code.parent is not None else tree
        label = f"[bold]{escape(code.title)}[/bold] [cyan]{escape(code.id)}[/cyan]"
        if not codes_only:
            if code.definition:
                label += f"\n{escape(code.definition)}"
            if code.examples:
                count = len(code.examples)
                label += f"\n[dim]{count} example{'s' if count != 1 else ''}"
                label += f", e.g. “{escape(code.examples[0])}”[/dim]"
        branches[code.id] = parent.add(label)
    _console().print(tree)
    if not codes_only:
        _console().print(f"{len(codebook)} codes, {len(codebook.leaves())} leaves")


@app.command("validate")
def validate(
    path: Annotated[
        str,
        typer.Argument(
            metavar="PATH",
            help="The codebook file to check (.yaml, .yml, .csv or .qdc), or a built-in name.",
        ),
    ],
) -> None:
    """Check a codebook file and list every problem with its file and line."""
    codebook, problems = validate_file(path)
    if codebook is None:
        _report(problems)
        raise typer.Exit(code=1)
    _warn(_reading_warnings(path))
    typer.echo(f"valid: {len(codebook)} codes")


@app.command("export")
def export(
    name_or_path: NameOrPath,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="File to write; the extension picks the format: .qdc (REFI-QDA), .yaml or .csv.",
        ),
    ],
    form: Annotated[
        str,
        typer.Option(
            "--format",
            help="'auto' (from the extension) or 'taguette': a .csv that Taguette imports.",
        ),
    ] = "auto",
) -> None:
    """Write a codebook as REFI-QDA (.qdc), YAML or CSV, chosen by the output extension."""
    if form not in {"auto", "taguette"}:
        typer.echo(f"unknown format {form!r}: use 'auto' or 'taguette'", err=True)
        raise typer.Exit(code=2)
    if form == "taguette" and output.suffix.lower() != ".csv":
        typer.echo("a Taguette codebook is a .csv file: name the output FILE.csv", err=True)
        raise typer.Exit(code=2)
    if output.suffix.lower() not in EXPORT_FORMATS:
        supported = ", ".join(sorted(EXPORT_FORMATS))
        typer.echo(f"cannot export to {output.name!r}: use one of {supported}", err=True)
        raise typer.Exit(code=2)
    codebook = _load_or_exit(name_or_path)
    _warn(_reading_warnings(name_or_path))
    if output.suffix.lower() == ".qdc":
        _warn(export_warnings(codebook))
    if form == "taguette":
        _warn(taguette_warnings(codebook))
    elif output.suffix.lower() == ".csv" and _has_exchange_fields(codebook):
        _warn(
            [
                "The CSV has no columns for GUIDs, colours, codes that may not be assigned "
                "or code groups: export to .yaml or .qdc to keep them."
            ]
        )
    try:
        if form == "taguette":
            written = export_taguette_csv(codebook, output)
        else:
            written = export_codebook(codebook, output)
    except OSError as error:
        typer.echo(f"{output}: cannot write file: {error.strerror}", err=True)
        raise typer.Exit(code=1) from None
    except ValueError as error:
        typer.echo(f"{output}: not written: {error}", err=True)
        raise typer.Exit(code=1) from None
    typer.echo(f"wrote {len(codebook)} codes to {written}")
