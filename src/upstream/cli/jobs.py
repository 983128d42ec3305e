"""``upstream jobs``: see the background jobs the web app has run, and how they ended."""

from __future__ import annotations

from datetime import datetime

import typer
from rich.table import Table

from upstream.cli.common import DB_HELP, console, default_db, friendly_errors, settings
from upstream.store import Store, StoreError
from upstream.store.job_repository import JobRecord, JobStore

app = typer.Typer(help="See background jobs and how they ended.", no_args_is_help=True)


def _when(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S") if moment else "—"


def _progress(job: JobRecord) -> str:
    if not job.steps_total:
        return "—" if not job.steps_done else f"{job.steps_done:,}"
    return f"{job.steps_done:,} of {job.steps_total:,}"


@app.command("list")
def list_jobs(
    workspace: str = typer.Option(None, "--workspace", help="Only this workspace's jobs."),
    db: str = typer.Option(None, "--db", help=DB_HELP),
    limit: int = typer.Option(200, "--limit", min=1, help="Show at most this many, newest first."),
) -> None:
    """List jobs, newest first: kind, state, stage, progress, when they started and finished."""
    with friendly_errors(StoreError):
        store = Store(db or default_db())
        if workspace:
            store.workspace(workspace)  # a clear message when there is no such workspace
        jobs = JobStore(store).recent(workspace, limit=limit)
        store.close()
    if not jobs:
        console.print("No background jobs yet.")
        return
    table = Table()
    table.add_column("Job", no_wrap=True)
    for heading in ("Kind", "What", "State", "Stage", "Progress", "Started", "Finished", "By"):
        table.add_column(heading)
    for job in jobs:
        stage = job.error if job.state in ("failed", "interrupted") else job.stage
        table.add_row(
            job.id,
            job.kind,
            job.label,
            job.state,
            stage,
            _progress(job),
            _when(job.started_at or job.created_at),
            _when(job.finished_at),
            job.actor or "—",
        )
    console.print(table)


@app.command("worker")
def worker(
    db: str = typer.Option(None, "--db", help=DB_HELP),
    threads: int = typer.Option(2, "--threads", min=1, help="Jobs to run at once."),
    poll: float = typer.Option(1.0, "--poll", min=0.1, help="Seconds between looks at the queue."),
) -> None:
    """Run the web app's background jobs from the database until stopped (Ctrl+C).

    Start the web app with UPSTREAM_JOBS=queue so that it leaves jobs for
    workers like this one; run as many workers, on as many machines, as you need.
    Each needs the same database, upload folder and settings as the web app.
    """
    import signal
    import threading

    from upstream.web.app import make_services

    chosen = settings().with_options(db=db)
    with friendly_errors(StoreError):
        svc = make_services(chosen.db, settings=chosen, run_jobs_here=True, job_threads=threads)
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    svc.jobs.recover()
    console.print(f"Running background jobs from the database, {threads} at a time.")
    taken = svc.jobs.work(poll=poll, stop=stop)
    svc.store.close()
    console.print(f"Stopped after taking {taken:,} jobs.")
