"""``upstream themes`` and ``upstream patterns``: themes in a file, patterns across organisations.

Both are thin: they read options, call :mod:`upstream.themes` and
:mod:`upstream.signals`, show progress and write CSV files whose cells are safe
to open in a spreadsheet.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.status import Status

from upstream.cli.common import DB_HELP, console, default_db, friendly_errors
from upstream.cli.common import settings as cli_settings
from upstream.cli.endpoint_options import MODEL_HELP, open_endpoint
from upstream.evidence.errors import EvidenceImportError
from upstream.records.chat import EndpointError
from upstream.records.themes import read_number
from upstream.store import Store, StoreError
from upstream.workflows.ingest import DEFAULT_WORKSPACE, ImportOptions

if TYPE_CHECKING:
    from upstream.cli.theme_output import Answer
    from upstream.workflows.themes import ThemeRun, ThemeSettings

# The analysis libraries are imported inside the commands that use them, so
# that every other command (and --help) starts in about two seconds, not six.

__all__ = ["patterns", "themes"]


def themes(
    input: Path = typer.Argument(
        None,
        exists=True,
        readable=True,
        help="File of evidence: CSV, TSV, XLSX, ODS, JSON, JSONL, Parquet, TXT or Markdown; "
        "or a directory of CSV, JSON Lines and Parquet files. "
        "Leave out with --db to theme the evidence already stored in the workspace.",
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
        None,
        "--summary",
        help="Also write one row per theme: label, size, description, keywords, quotes.",
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
    endpoint: str = typer.Option(
        None,
        "--endpoint",
        "--llm-url",
        help="Optional OpenAI-compatible model endpoint (e.g. http://127.0.0.1:8080/v1; "
        "$UPSTREAM_ENDPOINT) to write sentence-style theme names and summaries that cite "
        "their quotes; each theme's keywords and a few redacted quotes are sent to it. "
        "Off unless given. The API key is read from $UPSTREAM_LLM_API_KEY.",
    ),
    endpoint_model: str = typer.Option(None, "--endpoint-model", "--llm-model", help=MODEL_HELP),
    min_engagement: float = typer.Option(
        None,
        "--min-engagement",
        min=0,
        help="Theme only the rows with at least this many likes, reposts and other reactions "
        "(the --weight-column columns added up), such as the replies with more than 20 likes; "
        "the others get theme -1 and are counted.",
    ),
    cited: Path = typer.Option(
        None,
        "--cited",
        help="Also write the names and links people cite most (approaches, works, people, "
        "organisations, places): how many items and people cite each, and in which themes.",
    ),
    output_format: str = typer.Option(
        "csv",
        "--format",
        help="csv, or parquet: one Parquet file per partition in the --output directory.",
    ),
    workers: int = typer.Option(
        None,
        "--workers",
        min=1,
        help="Assign rows to themes on a Dask cluster of this many worker processes on this "
        "computer (needs the dask extra). The themes and assignments are the same as without it.",
    ),
    scheduler: str = typer.Option(
        None,
        "--scheduler",
        help="Assign rows on the Dask cluster whose scheduler is at this address "
        "(e.g. tcp://10.0.0.5:8786; $UPSTREAM_SCHEDULER).",
    ),
    weight_column: list[str] = typer.Option(
        None,
        "--weight-column",
        help="Column of engagement counts such as likes or reposts (repeat for several). "
        "Themes are then also sized by engagement, largest first, as in the web app.",
    ),
    voice: list[str] = typer.Option(
        None,
        "--voice",
        help="With --db, theme only what one kind of people said: residents, staff, partners "
        "or network (repeat for several), as the web app's themes form offers.",
    ),
    organisation: str = typer.Option(
        None, "--organisation", help="With --db, theme only this organisation's items."
    ),
    source: str = typer.Option(
        None, "--source", help="With --db, theme only the items of the source with this name."
    ),
    kind: str = typer.Option(
        None,
        "--kind",
        help="With --db, theme only the items of sources of this kind of evidence, as given "
        "when they were imported (such as 'consultation replies').",
    ),
    respondent_column: str = typer.Option(
        None,
        "--respondent-column",
        help="Column saying who wrote each row (a name, handle or id), to count people "
        "as well as items.",
    ),
    org_column: str = typer.Option(
        None, "--org-column", help="Column naming each row's organisation, to count them."
    ),
    redact: bool = typer.Option(
        False,
        "--redact",
        help="Replace personal details in a file's rows before theming, as `upstream import "
        "--redact` and the web app's import wizard (which does it unless told not to) do: "
        "the same replies then give the same themes.",
    ),
    rank_by: str = typer.Option(
        None,
        "--rank-by",
        help="List the themes largest first by items, people, organisations or engagement "
        "(engagement when --weight-column is given, items otherwise), as the web app ranks them.",
    ),
) -> None:
    """Find the themes in a file (or a stored workspace) and say which theme each row is in.

    Spam, abuse and off-topic replies are set aside first, as in the web app. A
    directory, Parquet output, --workers or --scheduler find the themes in a
    sample of up to 20,000 rows and assign every row a partition at a time.
    """
    from upstream.cli.theme_output import RANKS, report, write_cited, write_outputs
    from upstream.embed.base import MissingExtraError
    from upstream.themes import LLMLabeller
    from upstream.workflows.theme_evidence import stored_choice
    from upstream.workflows.themes import ThemeSettings, find_themes, find_themes_in_file

    if input is None and db is None:
        raise typer.BadParameter("Give a file of evidence, or --db to theme stored evidence.")
    if rank_by is not None and rank_by.strip().lower() not in RANKS:
        raise typer.BadParameter(f"--rank-by must be one of {', '.join(RANKS)}, not {rank_by!r}.")
    narrowed = _given(
        ("--voice", bool(voice)),
        ("--organisation", organisation is not None),
        ("--source", source is not None),
        ("--kind", kind is not None),
    )
    columns = _given(
        ("--respondent-column", respondent_column is not None),
        ("--org-column", org_column is not None),
        ("--redact", redact),
    )
    if columns and input is None:
        raise typer.BadParameter(
            f"{columns[0]} says how to read a file; stored evidence keeps what its import read."
        )
    if narrowed and input is not None:
        raise typer.BadParameter(
            f"{narrowed[0]} chooses among the evidence stored with --db: leave out the file."
        )
    if len(narrowed) > 1:
        raise typer.BadParameter(f"Choose one of {', '.join(narrowed)}, as the web app offers.")
    with friendly_errors(EndpointError):
        model_endpoint = open_endpoint(endpoint, endpoint_model, purpose="name the themes")
    labeller = LLMLabeller(model_endpoint, seed=seed) if model_endpoint is not None else None
    fmt = output_format.strip().lower()
    if fmt not in {"csv", "parquet"}:
        raise typer.BadParameter(f"--format must be csv or parquet, not {output_format!r}.")
    chosen_scheduler = cli_settings().with_options(scheduler=scheduler).scheduler
    if (input is not None and input.is_dir()) or fmt == "parquet" or workers or scheduler:
        if (
            input is None
            or db is not None
            or min_engagement is not None
            or cited
            or weight_column
            or columns
        ):
            raise typer.BadParameter(
                "A directory, Parquet output, --workers and --scheduler theme a file or "
                "directory a partition at a time, without --db, --min-engagement, --cited, "
                "--weight-column, --respondent-column, --org-column or --redact."
            )
        partitioned = ThemeSettings(
            embedder=embedder, n_themes=n_themes, seed=seed, labeller=labeller
        )
        _themes_partitioned(
            input, output, fmt, partitioned, text_column, id_column, summary, workers,
            chosen_scheduler,
        )  # fmt: skip
        return
    if min_engagement is not None and input is not None and not weight_column:
        raise typer.BadParameter(
            "--min-engagement needs the columns that hold the reactions: add --weight-column "
            "(for example --weight-column likes)."
        )
    settings = ThemeSettings(
        embedder=embedder,
        n_themes=n_themes,
        seed=seed,
        labeller=labeller,
        min_engagement=min_engagement,
    )
    with (
        friendly_errors(EvidenceImportError, StoreError, MissingExtraError, ValueError),
        Status("Starting", console=console) as status,
        _store(db) as store,
    ):

        def progress(stage: str) -> None:
            status.update(f"{stage}...")

        if input is None:
            space = store.workspace(workspace)
            choice = stored_choice(
                space, voices=voice or (), organisation=organisation, source=source, kind=kind
            )
            run = find_themes(
                space,
                choice.workspace_items(space),
                settings,
                actor="command line",
                evidence=choice.description,
                progress=progress,
            )
            answers = _stored_answers(run)
            read = f"Read {len(answers):,} stored items from the workspace {workspace}."
        else:
            options = ImportOptions(
                workspace=workspace,
                text_column=text_column,
                id_column=id_column,
                kind="themes input",
                actor="upstream themes",
                engagement_columns=list(weight_column or []),
                respondent_column=respondent_column,
                org_column=org_column,
                redact=redact,
            )
            found = find_themes_in_file(
                store, input, options, settings, actor="command line", progress=progress
            )
            run = found.run
            answers = [
                (row.external_id or str(row.number), number, label)
                for row, number, label in found.row_themes()
            ]
            ids = f", ids in '{found.id_column}'" if found.id_column else ""
            read = (
                f"Read {len(answers):,} rows from {input.name} "
                f"(text in '{found.text_column}'{ids})."
            )
    console.print(read)
    write_outputs(run, answers, output, summary)
    report(run, answers, output, summary, db is not None, rank_by)
    if cited is not None:
        write_cited(run, cited)


def _given(*options: tuple[str, bool]) -> list[str]:
    """The names of the options that were given, in the order listed."""
    return [name for name, given in options if given]


def _themes_partitioned(
    input: Path,
    output: Path,
    fmt: str,
    settings: ThemeSettings,
    text_column: str | None,
    id_column: str | None,
    summary: Path | None,
    workers: int | None,
    scheduler: str | None,
) -> None:
    from upstream.embed.base import MissingExtraError
    from upstream.execution import ExecutionError, open_backend
    from upstream.signals.export import write_csv
    from upstream.workflows.partitioned_themes import theme_partitioned

    with friendly_errors(
        EvidenceImportError, StoreError, MissingExtraError, ValueError, ExecutionError
    ):
        backend = open_backend(scheduler, workers)
        try:
            found = theme_partitioned(
                input,
                output,
                settings,
                fmt=fmt,
                text_column=text_column,
                id_column=id_column,
                backend=backend,
                on_stage=lambda text: console.print(f"{text} …"),
            )
        finally:
            backend.close()
    counts = found.counts
    console.print(
        f"Found {len(found.themes)} themes in a sample of {found.sample_rows:,} rows, then "
        f"assigned {counts.coded:,} of {counts.rows:,} rows from {counts.files:,} file(s) to "
        f"them; {counts.rows - counts.coded:,} set aside or unassigned."
    )
    for theme in found.themes:
        console.print(f"  {theme.code}. {theme.label}: {found.sizes[int(theme.code)]:,} rows")
    if summary is not None:
        write_csv(
            summary,
            ["theme", "label", "rows", "rows_in_sample", "keywords", "quotes"],
            [
                [
                    t.code,
                    t.label,
                    found.sizes[int(t.code)],
                    t.size,
                    "; ".join(t.keywords),
                    " | ".join(q.text for q in t.quotes),
                ]
                for t in found.themes
            ],
        )
        console.print(f"Wrote {summary}.")
    where = f"{counts.parts:,} Parquet part(s) in {output}" if fmt == "parquet" else str(output)
    console.print(f"Wrote {where}.")


@contextmanager
def _store(db: str | None) -> Iterator[Store]:
    """The named store, or a throw-away one: a bare file takes the same path as stored items."""
    if db is not None:
        with Store(db) as store:
            yield store
        return
    with (
        tempfile.TemporaryDirectory(prefix="upstream-themes-") as folder,
        Store(Path(folder) / "themes.db") as store,
    ):
        yield store


def _stored_answers(run: ThemeRun) -> list[Answer]:
    from upstream.workflows.themes import aside_label

    theme_of = run.theme_of()
    labels = {t.number: t.label for t in run.discovery.themes_}
    answers = [
        (
            str(item.id),
            read_number(theme_of.get(item.id, -1)),
            labels.get(theme_of.get(item.id, -1), "unassigned"),
        )
        for item in run.items
    ]
    answers += [(str(entry["item_id"]), -1, aside_label(entry)) for entry in run.set_aside]
    return answers


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
    from upstream.embed.base import MissingExtraError
    from upstream.workflows.patterns import workspace_patterns, write_patterns

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
        e = max(p.peer_enablers, key=lambda m: (m.linked, m.relevance))
        console.print(
            f"  For example, {e.organisation} faces '{p.titles.get(e.barrier, e.barrier)}'; "
            f'{e.peer} has evidence of what helps: "{e.quotes[0][1]}"'
        )
    for path in files:
        console.print(f"Wrote {path}")
