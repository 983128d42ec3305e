"""``upstream themes`` and ``upstream patterns``: themes in a file, patterns across organisations.

Both are thin: they read options, call :mod:`upstream.themes` and
:mod:`upstream.signals`, show progress and write CSV files whose cells are safe
to open in a spreadsheet.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import typer
from rich.status import Status

from upstream.cli.common import DB_HELP, console, default_db, friendly_errors
from upstream.embed.base import MissingExtraError
from upstream.evidence.errors import EvidenceImportError
from upstream.evidence.ingest import DEFAULT_WORKSPACE, ImportOptions, import_file
from upstream.evidence.readers import open_table
from upstream.evidence.records import ItemDraft, RawRow
from upstream.evidence.validate import ColumnMapping, Validator
from upstream.signals.export import write_csv
from upstream.signals.workspace import workspace_patterns, write_patterns
from upstream.store import Store, StoreError
from upstream.store.theme_repository import ThemeStore
from upstream.themes import LLMLabeller, ThemeDiscovery
from upstream.themes.workflow import run_themes, theme_items

__all__ = ["patterns", "themes"]


@dataclass
class _Row:
    id: str
    draft: ItemDraft | None
    problem: str = ""


def _read_rows(
    path: Path, text_column: str | None, id_column: str | None
) -> tuple[list[_Row], str]:
    reader = open_table(path, text_column_hint=text_column)
    column = reader.text_column
    if column is None:
        raise EvidenceImportError(
            f"{path}: could not tell which column holds the text; name it with --text-column"
        )
    validator = Validator(
        ColumnMapping(column, id_column=id_column), reader.columns, file=str(path)
    )
    rows: list[_Row] = []
    for number, raw in enumerate(reader.rows(), start=1):
        if not isinstance(raw, RawRow):
            rows.append(_Row(str(number), None, raw.reason))
            continue
        outcome = validator.validate(raw)
        if isinstance(outcome, ItemDraft):
            rows.append(_Row(outcome.external_id or str(number), outcome))
        else:
            own = str(raw.values.get(id_column, "") or "") if id_column else ""
            rows.append(_Row(own or str(number), None, outcome.reason))
    return rows, column


def themes(
    input: Path = typer.Argument(
        ...,
        exists=True,
        dir_okay=False,
        readable=True,
        help="File of evidence: CSV, TSV, XLSX, ODS, JSON, JSONL, TXT or Markdown.",
    ),
    output: Path = typer.Option(
        ..., "--output", help="CSV to write: one row per input row with id, theme, theme_label."
    ),
    text_column: str = typer.Option(
        None, "--text-column", help="Column holding the text (detected if omitted)."
    ),
    id_column: str = typer.Option(
        None, "--id-column", help="Column holding each row's id (row number if omitted)."
    ),
    n_themes: int = typer.Option(
        None, "--themes", min=1, help="Number of themes to find (chosen for you if omitted)."
    ),
    seed: int = typer.Option(
        0, "--seed", help="Seed for the randomised steps, for repeatable runs."
    ),
    summary: Path = typer.Option(
        None, "--summary", help="Also write one row per theme: label, size, keywords, quotes."
    ),
    db: str = typer.Option(
        None,
        "--db",
        help=DB_HELP + " With --db the rows are stored, the themes are recorded "
        "and earlier theme edits in the workspace are re-applied.",
    ),
    workspace: str = typer.Option(
        DEFAULT_WORKSPACE, "--workspace", help="Workspace to use with --db (created if new)."
    ),
    embedder: str = typer.Option(
        "default", "--embedder", help="Embedding model: default, use, minilm, tfidf or hashing."
    ),
    llm_url: str = typer.Option(
        None,
        "--llm-url",
        help="Optional OpenAI-compatible endpoint (e.g. http://127.0.0.1:8080/v1) "
        "to word the labels; quotes are sent to it. Off unless given.",
    ),
    llm_model: str = typer.Option("default", "--llm-model", help="Model name for --llm-url."),
) -> None:
    """Find the themes in a file of evidence and say which theme each row belongs to."""
    with friendly_errors(EvidenceImportError, StoreError, MissingExtraError, ValueError):
        rows, column = _read_rows(input, text_column, id_column)
        usable = [r for r in rows if r.draft is not None]
        console.print(f"Read {len(rows):,} rows from {input.name} (text in '{column}').")
        labeller = LLMLabeller(llm_url, llm_model, seed=seed) if llm_url else None
        discovery = ThemeDiscovery(
            embedder=embedder, labeller=labeller, n_themes=n_themes, seed=seed
        )
        with Status("Starting", console=console) as status:

            def progress(stage: str) -> None:
                status.update(f"{stage}...")

            if db is not None:
                store = Store(db)
                options = ImportOptions(
                    workspace=workspace,
                    text_column=column,
                    id_column=id_column,
                    kind="themes input",
                    actor="upstream themes",
                )
                status.update("Storing the rows...")
                import_file(store, input, options)
                space = store.workspace(workspace)
                hashes = [r.draft.content_hash if r.draft else "" for r in rows]
                ids = ThemeStore(space).item_ids_by_hash([h for h in hashes if h])
                items = theme_items(space, [ids[h] for h in hashes if h in ids])
                run = run_themes(
                    space, discovery, items=items, actor="command line", progress=progress
                )
                by_item = run.theme_of()
                theme_of = [by_item.get(ids.get(h, -1), -1) for h in hashes]
                store.close()
            else:
                discovery.fit([r.draft.text for r in usable if r.draft], progress=progress)
                fitted = iter(discovery.labels_.tolist())
                theme_of = [next(fitted) if r.draft else -1 for r in rows]
        _write_outputs(discovery, rows, theme_of, output, summary)
    _report(discovery, rows, theme_of, output, summary, db is not None)


def _write_outputs(
    discovery: ThemeDiscovery,
    rows: list[_Row],
    theme_of: list[int],
    output: Path,
    summary: Path | None,
) -> None:
    labels = {t.id: t.label for t in discovery.themes_}
    write_csv(
        output,
        ["id", "theme", "theme_label"],
        [
            [r.id, t, labels.get(t, "unassigned" if r.draft else f"no text: {r.problem}")]
            for r, t in zip(rows, theme_of, strict=True)
        ],
    )
    if summary is None:
        return
    table = [
        [t.id, t.label, t.size, "; ".join(t.keywords), " | ".join(q.text for q in t.quotes)]
        for t in discovery.themes_
    ]
    missing = sum(1 for t in theme_of if t < 0)
    if missing:
        table.append([-1, "unassigned (fits no theme, or no text)", missing, "", ""])
    write_csv(summary, ["theme", "label", "size", "keywords", "quotes"], table)


def _report(
    discovery: ThemeDiscovery,
    rows: list[_Row],
    theme_of: list[int],
    output: Path,
    summary: Path | None,
    stored: bool,
) -> None:
    missing = sum(1 for t in theme_of if t < 0)
    console.print(f"Found {discovery.n_themes_} themes in {len(rows):,} rows.")
    for theme in discovery.themes_[:10]:
        console.print(f"  {theme.id:>3}  {theme.label}  ({theme.size:,} items)")
        if theme.stance is not None and theme.stance.contested:
            console.print(f"       {theme.stance.sentence}")
    if discovery.n_themes_ > 10:
        console.print(f"  ... and {discovery.n_themes_ - 10} more (see the summary file).")
    share = missing / len(rows) if rows else 0.0
    console.print(
        f"{missing:,} rows ({share:.1%}) fit no theme or had no text; they have theme -1."
    )
    if stored:
        applied, unmatched = discovery.edits_applied_, discovery.edits_unmatched_
        if applied or unmatched:
            console.print(
                f"Re-applied {len(applied)} earlier theme edits; {len(unmatched)} no longer match."
            )
    console.print(f"Wrote {output}" + (f" and {summary}" if summary else "") + ".")


def patterns(
    db: str = typer.Option(None, "--db", help=DB_HELP),
    output: Path = typer.Option(
        ..., "--output", file_okay=False, help="Folder to write the pattern CSV files into."
    ),
    workspace: str = typer.Option(
        DEFAULT_WORKSPACE, "--workspace", help="Workspace whose evidence to compare."
    ),
    embedder: str = typer.Option(
        "default", "--embedder", help="Embedding model: default, use, minilm, tfidf or hashing."
    ),
) -> None:
    """Compare organisations: who raises which barriers and enablers, and who can help whom."""
    with (
        friendly_errors(StoreError, MissingExtraError),
        Store(db or default_db()) as store,
        Status("Starting", console=console) as status,
    ):
        space = store.workspace(workspace)
        result = workspace_patterns(
            space, embedder=embedder, progress=lambda s: status.update(f"{s}...")
        )
        files = write_patterns(result, output)
    p = result.patterns
    console.print(
        f"Compared {len(p.organisations)} organisations on {result.items:,} items "
        f"(codes: {result.source}; {result.excluded} spam, abusive or off-topic items "
        "left out)."
    )
    for reach in [r for r in p.reach if r.kind in {"barrier", "enabler"}][:5]:
        console.print(
            f"  {reach.title} ({reach.kind}): raised by {len(reach.organisations)} "
            f"of {len(p.organisations)} organisations"
        )
    if p.peer_enablers:
        e = p.peer_enablers[0]
        console.print(
            f"  For example, {e.organisation} faces '{p.titles.get(e.barrier, e.barrier)}'; "
            f'{e.peer} has evidence of what helps: "{e.quotes[0][1]}"'
        )
    for path in files:
        console.print(f"Wrote {path}")
