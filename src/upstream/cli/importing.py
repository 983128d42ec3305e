"""``upstream import``: bring a file of evidence into a workspace."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from upstream.cli.common import DB_HELP, console, default_db, friendly_errors
from upstream.evidence.errors import ImportConfigError, ImportFormatError
from upstream.evidence.redact import describe_redactions
from upstream.records.evidence_types import EVIDENCE_TYPES
from upstream.store import Store, StoreError
from upstream.workflows.import_reading import read_like
from upstream.workflows.ingest import (
    DEFAULT_WORKSPACE,
    ImportOptions,
    ImportResult,
    import_directory,
    import_file,
)


def import_file_command(
    path: Path = typer.Argument(
        ...,
        exists=True,
        readable=True,
        help="File to import: CSV, TSV, XLSX, ODS, JSON, JSONL, Parquet, TXT or Markdown; "
        "or a directory of CSV, JSON Lines and Parquet files (each file is imported in its "
        "own transaction, and files imported before are skipped).",
    ),
    db: str = typer.Option(None, "--db", help=DB_HELP),
    workspace: str = typer.Option(
        DEFAULT_WORKSPACE, "--workspace", help="Workspace to import into (created if new)."
    ),
    org: str = typer.Option(None, "--org", help="Organisation every row belongs to."),
    org_column: str = typer.Option(
        None, "--org-column", help="Column naming each row's organisation."
    ),
    text_column: str = typer.Option(
        None, "--text-column", help="Column holding the evidence text (detected if omitted)."
    ),
    id_column: str = typer.Option(
        None, "--id-column", help="Column holding each row's own identifier."
    ),
    date_column: str = typer.Option(
        None, "--date-column", help="Column holding the date (ISO, UK day-first or '1 March 2024')."
    ),
    role_column: str = typer.Option(
        None, "--role-column", help="Column holding the role of the person who said it."
    ),
    engagement_column: list[str] = typer.Option(
        [], "--engagement-column", help="Column of counts such as likes (repeatable)."
    ),
    attribute_column: list[str] = typer.Option(
        [], "--attribute-column", help="Other column to keep with each item (repeatable)."
    ),
    respondent_column: str = typer.Option(
        None,
        "--respondent-column",
        help="Column saying who wrote each row (a name, handle or id), so themes and "
        "breakdowns count people as well as items.",
    ),
    redact: bool = typer.Option(
        False,
        "--redact",
        help="Replace emails, UK phone numbers, postcodes, NI numbers and card numbers.",
    ),
    private: bool = typer.Option(
        False, "--private", help="Keep the items private to their organisation."
    ),
    kind: str = typer.Option("", "--kind", help="What sort of evidence this is."),
    voice: str = typer.Option(
        "",
        "--voice",
        help="Whose words these are: residents, staff, partners or network. Worked out "
        "from --kind when not given (consultation replies are residents', a staff survey "
        "staff's, notes and workshops network members').",
    ),
    question: str = typer.Option(
        "",
        "--question",
        help="The question people were answering; it tells the coder what a short reply is "
        "about. Defaults to the text column's name when that asks a question.",
    ),
    sheet: str = typer.Option(None, "--sheet", help="Spreadsheet sheet to read."),
    like: str = typer.Option(
        None,
        "--like",
        help="Read the file as an earlier import of this name was read (June's replies "
        "like 'may.csv'): its columns, kind, question, redaction and sharing. Options "
        "given here win.",
    ),
) -> None:
    """Import a file or directory of evidence; bad rows go to a rejects CSV beside each file."""
    if org and org_column:
        console.print("[red]Error:[/] give either --org or --org-column, not both.")
        raise typer.Exit(2)
    if voice and voice not in EVIDENCE_TYPES:
        console.print(
            f"[red]Error:[/] --voice {voice!r} is not one of: {', '.join(EVIDENCE_TYPES)}."
        )
        raise typer.Exit(2)
    options = ImportOptions(
        workspace=workspace,
        organisation=org,
        org_column=org_column,
        text_column=text_column,
        id_column=id_column,
        date_column=date_column,
        role_column=role_column,
        engagement_columns=engagement_column,
        attribute_columns=attribute_column,
        respondent_column=respondent_column,
        redact=redact,
        shared=not private,
        kind=kind,
        evidence_type=voice,
        question=question,
        sheet=sheet,
    )
    if path.is_dir():
        if like:
            console.print("[red]Error:[/] --like reads one file; name a file, not a directory.")
            raise typer.Exit(2)
        _import_directory(path, db, options)
        return
    with friendly_errors(StoreError, ImportConfigError, ImportFormatError):
        store = Store(db or default_db())
        if like:
            options = _like(store, options, like, path)
        with _rows_progress() as progress:
            task = progress.add_task(path.name, total=None)
            result = import_file(
                store,
                path,
                options,
                on_progress=lambda n: progress.update(task, completed=n),
            )
        store.close()
    print_import_summary(result, workspace)


def _like(store: Store, options: ImportOptions, name: str, path: Path) -> ImportOptions:
    if options.workspace not in {w.name for w in store.workspaces()}:
        raise ImportConfigError(f"The workspace '{options.workspace}' has no imports yet")
    found = read_like(options, store.workspace(options.workspace).sources(), name, path)
    console.print(
        f"Reading {path.name} as '{name}' was read: text from '{found.text_column}'"
        + (f", kind '{found.kind}'" if found.kind else "")
        + ("" if found.shared else ", private to its organisation")
        + "."
    )
    return found


def _rows_progress() -> Progress:
    """The spinner that counts rows as a file is read."""
    return Progress(
        SpinnerColumn(),
        TextColumn("Importing {task.description}: {task.completed:,.0f} rows read"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    )


def _import_directory(path: Path, db: str | None, options: ImportOptions) -> None:
    with friendly_errors(StoreError, ImportConfigError, ImportFormatError):
        store = Store(db or default_db())
        with _rows_progress() as progress:
            task = progress.add_task(path.name, total=None)
            outcome = import_directory(
                store,
                path,
                options,
                on_file=lambda file: progress.update(
                    task, description=file.relative_to(path).as_posix(), completed=0
                ),
                on_progress=lambda n: progress.update(task, completed=n),
            )
        store.close()
    for result in outcome.imported:
        print_import_summary(result, options.workspace)
    new = sum(r.imported for r in outcome.imported)
    rejected = sum(r.rejected for r in outcome.imported)
    console.print(
        f"Imported {len(outcome.imported):,} file(s) from {path}: {new:,} new items, "
        f"{rejected:,} rows rejected."
    )
    if outcome.skipped:
        console.print(
            f"Skipped {len(outcome.skipped):,} file(s) already imported into workspace "
            f"'{options.workspace}'."
        )


def print_import_summary(result: ImportResult, workspace: str) -> None:
    """Print what an import detected and did, in plain English."""
    detected = ", ".join(
        f"{key} {value}" for key, value in result.detected.items() if key != "text column"
    )
    how = "detected" if result.text_column_detected else "as given"
    console.print(
        f"[bold]{result.path.name}[/]: {detected}; text column '{result.text_column}' ({how})."
    )
    if result.again:
        console.print(
            f"This file was imported into workspace '{workspace}' before, read the same way: "
            f"its items are used, not a second copy ({result.imported:,} new items)."
        )
    console.print(
        f"Read {result.rows_read:,} rows into workspace '{workspace}': "
        f"{result.imported:,} new items, {result.duplicates:,} already stored, "
        f"{result.rejected:,} rejected."
    )
    if result.blank:
        console.print(
            f"{result.blank:,} row{'' if result.blank == 1 else 's'} left "
            f"'{result.text_column}' blank and {'was' if result.blank == 1 else 'were'} "
            "left out: nothing was said there."
        )
    if result.redactions:
        console.print(f"Personal details replaced: {describe_redactions(result.redactions)}.")
    if result.left_out:
        gaps = "; ".join(f"{n:,} × {r}" for r, n in result.left_out_reasons.items())
        console.print(
            f"Imported without a value that could not be read: {gaps}. "
            "The rows' words are kept; only those values are left out."
        )
    if result.rejects_path:
        reasons = "; ".join(f"{n:,} × {r}" for r, n in result.reject_reasons.items())
        listed = f"Rejected rows ({reasons})" if result.rejected else "They"
        if result.rejected and result.left_out:
            listed += " and the values left out"
        console.print(f"{listed} are listed in {result.rejects_path}")
