"""``upstream jobs list``: the jobs kept in the store, with their state and progress."""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from upstream.cli import app
from upstream.jobs import JobContext, JobFailed, Jobs, Owner
from upstream.store import Store

runner = CliRunner()
WIDE = {"COLUMNS": "250"}  # the table is not cut short


def test_jobs_list_shows_kind_state_stage_and_progress(tmp_path: Path) -> None:
    db = str(tmp_path / "jobs.db")
    store = Store(db)
    first = store.workspace("North", create=True).id
    second = store.workspace("South", create=True).id
    jobs = Jobs(store)

    def coded(ctx: JobContext) -> Mapping[str, Any]:
        ctx.step("Reading the workspace")
        return {"run_id": 1}

    def refused(_ctx: JobContext) -> Mapping[str, Any]:
        raise JobFailed("The codebook could not be read.")

    owner = Owner(None, "anna@example.org")
    done = jobs.start("coding", "coding", coded, owner, workspace_id=first, label="Coding", steps=4)
    failed = jobs.start("themes", "themes", refused, owner, workspace_id=second, label="Themes")
    for job_id in (done.id, failed.id):
        deadline = time.monotonic() + 30
        while not jobs.get(job_id).finished:  # type: ignore[union-attr]
            assert time.monotonic() < deadline
            time.sleep(0.02)
    jobs.shutdown()
    store.close()

    everything = runner.invoke(app, ["jobs", "list", "--db", db], env=WIDE)
    assert everything.exit_code == 0, everything.output
    assert "coding" in everything.output and "done" in everything.output
    assert "4 of 4" in everything.output and "Finished" in everything.output
    assert "failed" in everything.output and "could not be read" in everything.output
    only_north = runner.invoke(app, ["jobs", "list", "--db", db, "--workspace", "North"], env=WIDE)
    assert only_north.exit_code == 0 and "coding" in only_north.output
    assert "themes" not in only_north.output
    missing = runner.invoke(app, ["jobs", "list", "--db", db, "--workspace", "Nowhere"])
    assert missing.exit_code != 0 and "Nowhere" in missing.output


def test_jobs_list_on_a_store_without_jobs(tmp_path: Path) -> None:
    result = runner.invoke(app, ["jobs", "list", "--db", str(tmp_path / "empty.db")])
    assert result.exit_code == 0 and "No background jobs yet." in result.output
