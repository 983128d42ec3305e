"""``upstream code`` and ``upstream review``: code evidence against a framework, then teach it."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from upstream.cli.common import DB_HELP, console, default_db, friendly_errors, settings
from upstream.coding.thresholds import BASIS_IN_WORDS, MIN_LABELS
from upstream.evidence.errors import EvidenceImportError
from upstream.frameworks import Codebook, CodebookError, load_codebook
from upstream.policy import safe_text
from upstream.records.chat import EndpointError
from upstream.store import Store, StoreError
from upstream.workflows.coding_output import COLUMNS, output_values
from upstream.workflows.ingest import DEFAULT_WORKSPACE

if TYPE_CHECKING:
    from upstream.store.coding_repository import CodingRecord
    from upstream.workflows.coding import CodingOutcome

# The coder pulls in scikit-learn; it is imported inside the commands that use it
# so that every other command starts quickly.
ENDPOINT_HELP = (
    "Code through this OpenAI-compatible model endpoint instead of the built-in coder, "
    "such as http://127.0.0.1:8080/v1 ($UPSTREAM_ENDPOINT). Off unless given: the rows' "
    "redacted text is sent to it; the API key is read from $UPSTREAM_LLM_API_KEY."
)
MODEL_HELP = "Model name to ask the endpoint for ($UPSTREAM_ENDPOINT_MODEL; default: default)."
EMBEDDERS = "default, use, minilm, tfidf, hashing"

CODEBOOK_HELP = (
    "A built-in framework (nom, hls, dbe, aftershock, leadership, culture) or a YAML/CSV/QDC file."
)
ERRORS = (StoreError, EvidenceImportError, CodebookError, ImportError, ValueError)


def code(
    input_path: Path = typer.Argument(
        ...,
        metavar="INPUT",
        exists=True,
        help="File of evidence to code, or a directory of CSV, JSON Lines or Parquet files "
        "(read a partition at a time).",
    ),
    codebook: str = typer.Option(..., "--codebook", help=CODEBOOK_HELP),
    output: Path = typer.Option(
        ...,
        "--output",
        help="CSV to write (id, code, confidence, codes, title, best_guess, why), or with "
        "--format parquet a directory of Parquet parts.",
    ),
    output_format: str = typer.Option(
        "csv",
        "--format",
        help="csv, or parquet: one Parquet file per partition in the --output directory. "
        "Parquet output and directory input are read and written a partition at a time.",
    ),
    text_column: str = typer.Option(None, "--text-column", help="Column with the text."),
    id_column: str = typer.Option(None, "--id-column", help="Column with each row's id."),
    train: Path = typer.Option(
        None, "--train", exists=True, dir_okay=False, help="File of human-coded rows to learn from."
    ),
    label_column: str = typer.Option(
        None, "--label-column", help="Column of --train holding the human codes."
    ),
    embedder: str = typer.Option("default", "--embedder", help=f"Text model: {EMBEDDERS}."),
    threshold: float = typer.Option(
        None,
        "--threshold",
        min=0.0,
        max=1.0,
        help="Leave rows uncoded below this confidence (default: the framework's own threshold "
        "if it states one, as dbe does with 0.2; otherwise 0.35).",
    ),
    context: bool = typer.Option(
        False,
        "--context",
        help="Rows are consecutive passages of one document: let neighbouring rows inform "
        "each other (leave off for independent replies).",
    ),
    db: str = typer.Option(None, "--db", help="Also store the rows and codings here. " + DB_HELP),
    workspace: str = typer.Option(
        DEFAULT_WORKSPACE, "--workspace", help="Workspace to use with --db."
    ),
    workers: int = typer.Option(
        None,
        "--workers",
        min=1,
        help="Code on a Dask cluster of this many worker processes on this computer "
        "(needs the dask extra). The codes are the same as without it.",
    ),
    scheduler: str = typer.Option(
        None,
        "--scheduler",
        help="Code on the Dask cluster whose scheduler is at this address "
        "(e.g. tcp://10.0.0.5:8786; $UPSTREAM_SCHEDULER).",
    ),
    endpoint: str = typer.Option(None, "--endpoint", help=ENDPOINT_HELP),
    endpoint_model: str = typer.Option(None, "--endpoint-model", help=MODEL_HELP),
) -> None:
    """Code every row of a file against a framework; one output row per input row.

    Every row of the file is coded, whoever wrote it: naming the file is asking
    for it. Coding a stored workspace (the web app, `upstream review`) applies a
    built-in framework to what staff, partners and network members say unless
    told to code every kind of evidence.

    A column named question, prompt or column (a survey's question, a workshop
    board's column) tells a barrier from a way past it when coding against
    barriers and enablers, in a single file and in each file of a directory.
    """
    from upstream.cli.endpoint_options import open_endpoint
    from upstream.execution import ExecutionError, open_backend
    from upstream.workflows.coding import code_file

    fmt = output_format.strip().lower()
    if fmt not in {"csv", "parquet"}:
        console.print(f"[red]Error:[/] --format must be csv or parquet, not {output_format!r}.")
        raise typer.Exit(2)
    if input_path.is_dir() or fmt == "parquet":
        if db or context or endpoint:
            console.print(
                "[red]Error:[/] a directory or Parquet output is coded a partition at a time, "
                "without --db, --context or --endpoint: import the files with `upstream import` "
                "and code the workspace instead."
            )
            raise typer.Exit(2)
        _code_partitioned(
            input_path, codebook, output, fmt, text_column, id_column, train, label_column,
            embedder, threshold, workers, scheduler,
        )  # fmt: skip
        return
    with friendly_errors(*ERRORS, ExecutionError, EndpointError):
        book = load_codebook(codebook)
        model_endpoint = open_endpoint(endpoint, endpoint_model, purpose="code the items")
        chosen = settings().with_options(scheduler=scheduler)
        backend = open_backend(chosen.scheduler, workers)
        store = Store(db) if db else None
        outcome = code_file(
            input_path,
            book,
            text_column=text_column,
            id_column=id_column,
            train=train,
            label_column=label_column,
            embedder=embedder,
            threshold=threshold,
            context=context,
            store=store,
            workspace=workspace,
            on_stage=lambda text: console.print(f"{text} …", markup=False),
            backend=backend,
            endpoint=model_endpoint,
        )
        backend.close()
        write_codings_csv(outcome, output, book)
        if store is not None:
            store.close()
    _summarise(outcome, book.title, output)


def _code_partitioned(
    input_path: Path,
    codebook: str,
    output: Path,
    fmt: str,
    text_column: str | None,
    id_column: str | None,
    train: Path | None,
    label_column: str | None,
    embedder: str,
    threshold: float | None,
    workers: int | None,
    scheduler: str | None,
) -> None:
    from upstream.execution import ExecutionError, open_backend
    from upstream.workflows.partitioned_coding import code_partitioned

    with friendly_errors(*ERRORS, ExecutionError):
        book = load_codebook(codebook)
        chosen = settings().with_options(scheduler=scheduler)
        backend = open_backend(chosen.scheduler, workers)
        try:
            counts = code_partitioned(
                input_path,
                book,
                output,
                fmt=fmt,
                text_column=text_column,
                id_column=id_column,
                train=train,
                label_column=label_column,
                embedder=embedder,
                threshold=threshold,
                backend=backend,
                on_stage=lambda text: console.print(f"{text} …"),
            )
        finally:
            backend.close()
    how = (
        f"learning from {counts.n_labelled:,} labelled examples"
        if counts.mode == "supervised"
        else _from_codebook(counts.n_labelled)
    )
    console.print(
        f"Coded {counts.coded:,} of {counts.rows:,} rows from {counts.files:,} file(s) against "
        f"{book.title}, {how}; {counts.rows - counts.coded:,} left uncoded (confidence below "
        "the threshold)."
    )
    if counts.unknown_labels:
        console.print(
            f"{sum(counts.unknown_labels.values()):,} training rows had labels that are not "
            "codes of this codebook; they were used as unlabelled text."
        )
    where = f"{counts.parts:,} Parquet part(s) in {output}" if fmt == "parquet" else str(output)
    console.print(f"Wrote {where}")


def write_codings_csv(outcome: CodingOutcome, output: Path, codebook: Codebook) -> None:
    """Write one CSV row per input row, in the columns of :data:`COLUMNS`."""
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(list(COLUMNS))
        for identifier, result in zip(outcome.ids, outcome.results, strict=True):
            row_id, code, confidence, codes, *words = output_values(identifier, result, codebook)
            writer.writerow(
                [
                    safe_text(row_id),
                    code or "",
                    f"{confidence:.4f}",
                    ";".join(codes),
                    *(safe_text(value) for value in words),
                ]
            )


def _from_codebook(labelled: int) -> str:
    """How a coder that did not learn on its own from labels worked, in words."""
    if not labelled:
        return "from the codebook alone (zero-shot)"
    return (
        f"from the codebook, rows like one of the {labelled:,} labelled examples taking its "
        f"code (it learns from labels on their own from {MIN_LABELS})"
    )


def _summarise(outcome: CodingOutcome, title: str, output: Path) -> None:
    total = len(outcome.results)
    uncoded = total - outcome.coded
    how = {
        "supervised": f"learning from {outcome.n_labelled:,} labelled examples",
        "endpoint": "through the model endpoint"
        + (
            f", its confidence checked against {outcome.n_labelled:,} labelled examples"
            if outcome.n_labelled
            else " (confidence as the model stated it: no labelled examples to check it against)"
        ),
    }.get(outcome.mode, _from_codebook(outcome.n_labelled))
    console.print(
        f"Coded {outcome.coded:,} of {total:,} rows against {title}, {how}; "
        f"{uncoded:,} left uncoded ("
        + ("no valid code, or " if outcome.mode == "endpoint" else "")
        + "confidence below the threshold"
        + (
            f"; {outcome.set_aside:,} of them spam or saying nothing, so not coded at all"
            if outcome.set_aside
            else ""
        )
        + ")."
    )
    for failure in outcome.endpoint_failures[:3]:
        console.print(f"Some items were left uncoded: {failure}", markup=False)

    sure = outcome.certainty
    if sure is not None:
        expected = (
            f"its codes are expected to be right {sure.expected_precision:.0%} of the time "
            f"({BASIS_IN_WORDS.get(sure.basis, sure.basis)}; the threshold aims for "
            f"{sure.target:.0%})"
            if sure.expected_precision is not None
            else "how often its codes are right is not measured yet"
        )
        console.print(f"Threshold {sure.threshold:.2f}: {expected}.")
    if outcome.unknown_labels:
        sample = ", ".join(repr(label) for label, _ in outcome.unknown_labels.most_common(5))
        console.print(
            f"{sum(outcome.unknown_labels.values()):,} training rows had labels that are not "
            f"codes of this codebook ({sample}); they were used as unlabelled text."
        )
    if outcome.run_id is not None:
        console.print(f"Stored as run {outcome.run_id}.")
    console.print(f"Wrote {output}")


def review(
    db: str = typer.Option(None, "--db", help=DB_HELP),
    workspace: str = typer.Option(DEFAULT_WORKSPACE, "--workspace", help="Workspace to review."),
    run: int = typer.Option(None, "--run", help="Coding run to review (the latest by default)."),
    limit: int = typer.Option(10, "--limit", min=1, help="How many items to review now."),
    reviewer: str = typer.Option(
        "command line", "--reviewer", help="Your name or email, stored with each decision."
    ),
    retrain: bool = typer.Option(
        True, "--retrain/--no-retrain", help="Recode the workspace afterwards, learning from you."
    ),
    endpoint: str = typer.Option(
        None,
        "--endpoint",
        help="Recode through this model endpoint, your decisions calibrating its confidence "
        "($UPSTREAM_ENDPOINT; off unless given).",
    ),
    endpoint_model: str = typer.Option(None, "--endpoint-model", help=MODEL_HELP),
) -> None:
    """Review the machine's least certain codings: accept, reject or recode each."""
    from upstream.cli.endpoint_options import open_endpoint
    from upstream.store.coding_repository import CodingStore
    from upstream.workflows.codebooks import codebook_for
    from upstream.workflows.coding import code_workspace
    from upstream.workflows.coding_scope import chosen_evidence

    with friendly_errors(*ERRORS, EndpointError):
        store = Store(db or default_db())
        coding = CodingStore(store.workspace(workspace))
        runs = coding.runs(kind="coding", limit=1) if run is None else []
        run_id = run if run is not None else (runs[0].id if runs else None)
        if run_id is None:
            raise StoreError("No coding run to review yet: run `upstream code ... --db` first.")
        record = next(r for r in coding.runs(kind="coding") if r.id == run_id)
        # A workspace's own codebook is stored with it: no file to find by name.
        book = codebook_for(store.workspace(workspace), str(record.parameters["codebook"]))
        codebook_id = coding.codebook_id(book.id)
        assert codebook_id is not None  # saved by the run being reviewed
        queue = coding.review_queue(run_id, limit=limit)
        if not queue:
            console.print("Nothing left to review in this run.")
            return
        decided = 0
        for number, candidate in enumerate(queue, start=1):
            _show_candidate(number, len(queue), candidate.item.text, candidate.suggestions)
            answer = typer.prompt(
                "[a]ccept, [r]eject, type a code id to recode (several: id,id), [s]kip, [q]uit",
                default="s",
            ).strip()
            codes = [part.strip() for part in answer.split(",") if part.strip()]
            if answer.lower() in {"q", "quit"}:
                break
            if answer.lower() in {"s", "skip", ""}:
                continue
            if answer.lower() in {"a", "accept"}:
                coding.decide(candidate.item.id, codebook_id, "accept", actor=reviewer)
            elif answer.lower() in {"r", "reject"}:
                coding.decide(candidate.item.id, codebook_id, "reject", actor=reviewer)
            elif codes and all(code in book for code in codes):
                coding.decide(
                    candidate.item.id,
                    codebook_id,
                    "recode",
                    code=codes[0],
                    also=codes[1:],
                    actor=reviewer,
                )
            else:
                unknown = next(code for code in [*codes, answer] if code not in book)
                console.print(f"'{unknown}' is not a code of {book.title}; skipped.")
                continue
            decided += 1
        console.print(f"Recorded {decided} decision(s) as {reviewer}.")
        if decided and retrain:
            model_endpoint = open_endpoint(endpoint, endpoint_model, purpose="recode the workspace")
            outcome = code_workspace(
                store,
                workspace,
                book,
                embedder=str(record.parameters.get("embedder_name", "default")),
                actor=reviewer,
                on_stage=lambda text: console.print(f"{text} …", markup=False),
                endpoint=model_endpoint,
                evidence_types=chosen_evidence(record.parameters),
            )
            console.print(
                f"Recoded the workspace as run {outcome.run_id}: {outcome.coded:,} of "
                f"{len(outcome.results):,} items coded, learning from "
                f"{outcome.n_labelled:,} decision{'' if outcome.n_labelled == 1 else 's'}."
            )
        store.close()


def _show_candidate(number: int, total: int, text: str, suggestions: list[CodingRecord]) -> None:
    table = Table(title=f"Item {number} of {total}", show_header=True)
    table.add_column("Suggested code")
    table.add_column("Confidence", justify="right")
    table.add_column("Status")
    for suggestion in suggestions:
        table.add_row(
            f"{suggestion.code} — {suggestion.code_title}",
            f"{(suggestion.confidence or 0):.0%}",
            "below threshold" if suggestion.status == "tentative" else suggestion.status,
        )
    console.print(f"\n[bold]{text}[/]")
    console.print(table)
