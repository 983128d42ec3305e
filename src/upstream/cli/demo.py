"""``upstream demo``: the main job on the bundled demo learning network."""

from __future__ import annotations

import typer
from rich.table import Table

from upstream.cli.common import console, friendly_errors
from upstream.demo import DEMO_DB, load_demo
from upstream.store import Store, StoreError


def demo(
    db: str = typer.Option(DEMO_DB, "--db", help="Where to keep the demo workspace."),
) -> None:
    """Load the demo learning network's evidence and summarise it."""
    with friendly_errors(StoreError):
        store = Store(db)
        console.print(f"Loading the demo learning network into {db} …")
        outcome = load_demo(store, on_file=lambda name: console.print(f"  importing {name}"))
        workspace = store.workspace(outcome.workspace)
        info = workspace.info()
        table = Table(title=f"Workspace '{outcome.workspace}'")
        table.add_column("Organisation")
        table.add_column("Items", justify="right")
        for name, count in workspace.organisations():
            table.add_row(name, f"{count:,}")
        console.print(table)
        sources = Table(title="Sources")
        for column in ("Source", "Kind", "Rows", "New", "Already stored", "Rejected"):
            sources.add_column(column, justify="left" if column in {"Source", "Kind"} else "right")
        for result, source in zip(
            outcome.results, workspace.sources()[-len(outcome.results) :], strict=True
        ):
            sources.add_row(
                source.name,
                source.kind,
                f"{result.rows_read:,}",
                f"{result.imported:,}",
                f"{result.duplicates:,}",
                f"{result.rejected:,}",
            )
        console.print(sources)
        console.print(
            f"{info.items:,} items from {info.organisations} organisations in "
            f"{info.sources} imports. New this run: {outcome.imported:,}."
        )
        store.close()
