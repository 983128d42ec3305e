"""``upstream qdpx``: exchange whole coded projects with NVivo, ATLAS.ti, MAXQDA, QualCoder.

Thin: each command opens the store, calls :mod:`upstream.workflows.qdpx` and
prints what happened, with a plain-English warning for anything not carried over.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated

import typer

from upstream.cli.common import DB_HELP, console, default_db, friendly_errors
from upstream.cli.report import pick_workspace
from upstream.frameworks.model import CodebookError
from upstream.store import Store, StoreError

__all__ = ["app"]

app = typer.Typer(
    help="Exchange coded projects (.qdpx, REFI-QDA) with NVivo, ATLAS.ti, MAXQDA and QualCoder.",
    no_args_is_help=True,
)

Db = Annotated[str | None, typer.Option("--db", help=DB_HELP)]
WorkspaceName = Annotated[
    str | None, typer.Option("--workspace", help="Workspace (default: the only one, or 'default').")
]


def _warn(warnings: list[str]) -> None:
    for warning in warnings:
        typer.echo(f"warning: {warning}", err=True)


def _open(db: str | None, *, create: bool = False) -> Store:
    location = db or default_db()
    if not create and "://" not in location and not Path(location).exists():
        raise StoreError(f"There is no evidence store at {location}.")
    return Store(location, migrate=create)


@app.command("export")
def export_command(
    output: Annotated[Path, typer.Argument(metavar="FILE.qdpx", help="The project file to write.")],
    codebook: Annotated[
        str, typer.Option("--codebook", help="The stored codebook to write (nom, dbe, ...).")
    ],
    db: Db = None,
    workspace: WorkspaceName = None,
    machine: Annotated[
        bool,
        typer.Option(
            "--machine/--no-machine",
            help="Also write the machine's newest suggestions, as a separate user.",
        ),
    ] = False,
    for_nvivo: Annotated[
        bool,
        typer.Option(
            "--for-nvivo",
            help="Count positions as NVivo does (UTF-16 units), so coded spans after an "
            "emoji land in the right place in NVivo.",
        ),
    ] = False,
) -> None:
    """Write the workspace's items, codebook and people's codings as a .qdpx project."""
    with friendly_errors(StoreError, ValueError):
        store = _open(db)
        try:
            ws = store.workspace(pick_workspace(store, workspace))
            from upstream.workflows.qdpx import export_qdpx

            done = export_qdpx(ws, codebook, output, include_machine=machine, for_nvivo=for_nvivo)
        finally:
            store.close()
    _warn(done.warnings)
    console.print(
        f"Wrote {done.path}: {done.sources:,} items, each a source in the project; "
        f"{done.codings:,} codings by people"
        + (
            f"; {done.suggestions:,} codes the machine suggested (an item can have more than one)"
            if machine
            else ""
        )
        + "."
    )


@app.command("import")
def import_command(
    file: Annotated[Path, typer.Argument(metavar="FILE.qdpx", help="The project file to read.")],
    db: Db = None,
    workspace: Annotated[
        str, typer.Option("--workspace", help="Workspace to import into (made if new).")
    ] = "default",
) -> None:
    """Bring a .qdpx project's sources, codes and codings in, as codings by their coders."""
    with friendly_errors(StoreError, CodebookError):
        store = _open(db, create=True)
        try:
            ws = store.workspace(workspace, create=True)
            from upstream.workflows.qdpx import import_qdpx

            done = import_qdpx(ws, file, actor="command line")
        finally:
            store.close()
    _warn(done.warnings)
    coders = ", ".join(done.coders) or "nobody"
    console.print(
        f"Imported {done.items:,} items ({done.new_items:,} new) and {done.codings:,} new "
        f"codings by {coders} with codebook {done.codebook!r}."
    )


@app.command("judgements")
def judgements_command(
    output: Annotated[Path, typer.Argument(metavar="FILE.csv", help="The CSV file to write.")],
    codebook: Annotated[str, typer.Option("--codebook", help="The stored codebook.")],
    db: Db = None,
    workspace: WorkspaceName = None,
) -> None:
    """Write people's and the machine's codes as a judgements file for 'upstream agreement'."""
    with friendly_errors(StoreError):
        store = _open(db)
        try:
            from upstream.workflows.qdpx import coder_judgements

            rows = coder_judgements(store.workspace(pick_workspace(store, workspace)), codebook)
        finally:
            store.close()
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["item", "coder", "code"])
        writer.writerows(rows)
    console.print(
        f"Wrote {len(rows):,} judgements to {output}. Compare them with: upstream agreement "
        f"{output} --item-column item --coder-column coder --label-column code "
        "--machine-coder machine"
    )
