"""``upstream report``: write a board-ready report as HTML, PDF or an XLSX workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from upstream.cli.common import DB_HELP, console, default_db, friendly_errors
from upstream.policy import FEWER_THAN, suppressed
from upstream.reports import ReportError, report_format, write_report
from upstream.store import Store, StoreError
from upstream.workflows.ingest import DEFAULT_WORKSPACE


def pick_workspace(store: Store, name: str | None) -> str:
    """The workspace to report on: the one named, else the only one, else ``default``.

    Raises:
        StoreError: No name was given and the store holds several workspaces.
    """
    if name is not None:
        return name
    known = [w.name for w in store.workspaces()]
    if len(known) == 1:
        return known[0]
    if DEFAULT_WORKSPACE in known or not known:
        return DEFAULT_WORKSPACE
    raise StoreError(
        "This store holds several workspaces; choose one with --workspace "
        f"({', '.join(repr(k) for k in known)})."
    )


def report(
    db: Annotated[str | None, typer.Option("--db", help=DB_HELP)] = None,
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            help="The file to write. Its extension sets the format: .html (one self-contained "
            "file with interactive charts that works offline), .pdf, or .xlsx (the tables).",
        ),
    ] = Path("upstream-report.html"),
    workspace: Annotated[
        str | None,
        typer.Option(
            "--workspace",
            help="Workspace to report on (the store's only workspace when there is just one).",
        ),
    ] = None,
    org: Annotated[
        str | None,
        typer.Option(
            "--org",
            help="Report on one organisation's evidence, compared with the whole network.",
        ),
    ] = None,
    codebook: Annotated[
        str | None,
        typer.Option(
            "--codebook",
            help="The framework to report on, by its key (such as nom or hls), as the web "
            "app's report form offers; by default the newest coding run of a framework other "
            "than drivers, barriers and enablers, which every report covers too.",
        ),
    ] = None,
    count: Annotated[
        str,
        typer.Option(
            "--count",
            help="Which codes to count: 'confident' (codes people gave or checked and the "
            "machine's suggestions at its threshold) or 'checked' (only codes people gave or "
            "checked). The machine's tentative guesses are never counted.",
        ),
    ] = "confident",
) -> None:
    """Write a report: headline findings, framework coverage, patterns, quotes, method, caveats."""
    # Loaded here: gathering a report needs most of the analysis libraries, and
    # every other command would wait for them at start-up.
    from upstream.workflows.reports import build_report_data

    with friendly_errors(StoreError, ReportError):
        kind = report_format(output)  # check the extension before any work
        location = db or default_db()
        if "://" not in location and not Path(location).exists():
            raise StoreError(
                f"There is no evidence store at {location}. Import evidence first "
                "(upstream import FILE --db ...) or try the demo (upstream demo)."
            )
        store = Store(location, migrate=False)
        try:
            name = pick_workspace(store, workspace)
            console.print(f"Gathering the findings for {org or name} …")
            data = build_report_data(store, name, org=org, codebook=codebook, counting=count)
            console.print(f"Writing the {kind} report …")
            written = write_report(data, output)
        finally:
            store.close()
    orgs = f"{data.organisations:,} organisation{'' if data.organisations == 1 else 's'}"
    console.print(f"Wrote {written} ({data.items_shown} items from {orgs}).")
    if data.organisation and suppressed(data.items):
        console.print(
            f"{data.organisation} has {FEWER_THAN} items, so its figures and quotes are not shown."
        )
    elif data.method is None:
        console.print(
            "Nothing is coded yet, so the report shows only what was collected: "
            "run `upstream code` or use the web app's Coding page first."
        )
