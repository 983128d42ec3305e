"""``upstream demo``: the main job on the bundled demo learning network."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from upstream.cli.common import console, friendly_errors
from upstream.demo import DEMO_DB
from upstream.store import Store, StoreError

if TYPE_CHECKING:
    from upstream.demo.run import DemoRun


def demo(
    db: str = typer.Option(DEMO_DB, "--db", help="Where to keep the demo workspace."),
    report: Path = typer.Option(
        Path("upstream-demo-report.html"), "--report", help="Where to write the HTML report."
    ),
    serve: bool = typer.Option(
        True, "--serve/--no-serve", help="Serve the web app afterwards (Ctrl+C to stop)."
    ),
    port: int = typer.Option(8000, "--port", help="Port for the web app on 127.0.0.1."),
    embedder: str = typer.Option("default", "--embedder", help="Text model used for coding."),
) -> None:
    """Import the demo network's evidence, code it, write a report and serve the app."""
    from upstream.demo.run import run_demo

    with friendly_errors(StoreError):
        store = Store(db)
        outcome = run_demo(
            store,
            report=report,
            embedder=embedder,
            on_stage=lambda s: console.print(f"{s} …"),
            base_url=f"http://127.0.0.1:{port}",
        )
        _summarise(store, outcome)
        store.close()
    if serve:
        from upstream.cli.serve import serve as serve_app

        serve_app(db=db, host="127.0.0.1", port=port, max_upload_mb=200, secure_cookies=None)


def _summarise(store: Store, outcome: DemoRun) -> None:
    workspace = store.workspace(outcome.loaded.workspace)
    info = workspace.info()
    table = Table(title=f"Workspace '{workspace.name}'")
    table.add_column("Organisation")
    table.add_column("Items", justify="right")
    for name, count in workspace.organisations():
        table.add_row(name, f"{count:,}")
    console.print(table)
    coding = outcome.coding
    from upstream.reports.sources import count_sources, source_groups

    # Counted as the report and the home page count them: a roundtable is one source.
    sources = count_sources(workspace.items(), source_groups(workspace.sources()))
    console.print(
        f"{info.items:,} items from {info.organisations} organisations in {sources} sources "
        f"(new this run: {outcome.loaded.imported:,})."
    )
    console.print(
        f"Coded {coding.coded:,} of {len(coding.results):,} items against New Operating Models "
        f"(run {coding.run_id}); {len(coding.results) - coding.coded - coding.set_aside:,} "
        "left for people to review"
        + (
            f", {coding.set_aside:,} set aside as spam or saying nothing."
            if coding.set_aside
            else "."
        )
    )
    if coding.left_out:
        from upstream.reports.run_scope import left_out_words

        console.print(left_out_words(coding.scope, "New Operating Models"), markup=False)
    for lines in outcome.extras.values():
        console.print(lines, markup=False, highlight=False)
    if outcome.report is not None:
        console.print(f"Report: {outcome.report.resolve()}")
    console.print(
        f"Sign in to the web app as [bold]{outcome.email}[/] with password "
        f"[bold]{outcome.password}[/] (a new password is set each time the demo runs)."
    )
