"""The background-job mechanism on a real database: one per key, progress, outcomes, restarts."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from upstream.jobs import INTERRUPTED, JobContext, JobError, JobFailed, Jobs, Owner
from upstream.store import Store
from upstream.store.job_models import JobRow
from upstream.store.job_repository import JobRecord

OWNER = Owner(user_id=None, actor="analyst@example.org")


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store(db_url) as opened:
        yield opened


@pytest.fixture
def workspace_id(store: Store) -> int:
    return store.workspace("Jobs", create=True).id


@pytest.fixture
def jobs(store: Store) -> Iterator[Jobs]:
    runner = Jobs(store)
    yield runner
    runner.shutdown()


def wait_until(jobs: Jobs, job_id: str, ready: Callable[[JobRecord], bool]) -> JobRecord:
    """Read the job's row until ``ready`` says yes (the job runs on another thread)."""
    deadline = time.monotonic() + 30
    while True:
        job = jobs.get(job_id)
        assert job is not None
        if ready(job):
            return job
        assert time.monotonic() < deadline, f"the job never got there: {job}"
        time.sleep(0.02)


def finished(jobs: Jobs, job_id: str) -> JobRecord:
    return wait_until(jobs, job_id, lambda job: job.finished)


def test_a_job_runs_and_records_its_result(jobs: Jobs, workspace_id: int) -> None:
    def add(ctx: JobContext) -> Mapping[str, Any]:
        return {"sum": ctx.parameters["a"] + ctx.parameters["b"]}

    job = jobs.start(
        "sum",
        "sum",
        add,
        OWNER,
        workspace_id=workspace_id,
        label="Adding",
        parameters={"a": 2, "b": 3},
    )
    assert job.state == "queued" and job.label == "Adding"
    done = finished(jobs, job.id)
    assert done.state == "done" and done.result == {"sum": 5} and done.error == ""
    assert done.actor == "analyst@example.org" and done.started_at is not None
    assert done.finished_at is not None and done.elapsed >= 0


def test_one_job_per_key_at_a_time(jobs: Jobs, workspace_id: int) -> None:
    release = threading.Event()

    def slow(_ctx: JobContext) -> Mapping[str, Any]:
        release.wait(30)
        return {}

    first = jobs.start("slow", "same", slow, OWNER, workspace_id=workspace_id, label="First")
    second = jobs.start("slow", "same", slow, OWNER, workspace_id=workspace_id, label="Second")
    other = jobs.start("slow", "other", slow, OWNER, workspace_id=workspace_id, label="Other")
    assert second.id == first.id and other.id != first.id
    assert jobs.active(workspace_id, "same") is not None
    release.set()
    assert finished(jobs, first.id).state == "done"
    assert finished(jobs, other.id).state == "done"
    assert jobs.active(workspace_id, "same") is None
    # Once the first has ended, the same key may run again.
    again = jobs.start("slow", "same", slow, OWNER, workspace_id=workspace_id, label="Again")
    assert again.id != first.id
    assert finished(jobs, again.id).state == "done"
    assert jobs.latest(workspace_id, "same").id == again.id  # type: ignore[union-attr]


def test_progress_is_recorded_as_the_job_goes(jobs: Jobs, workspace_id: int) -> None:
    release = threading.Event()

    def staged(ctx: JobContext) -> Mapping[str, Any]:
        ctx.step("Reading the evidence")
        ctx.step("Finding themes")
        release.wait(30)
        return {"run_id": 7}

    job = jobs.start(
        "staged", "k", staged, OWNER, workspace_id=workspace_id, label="Staged", steps=3
    )
    going = wait_until(jobs, job.id, lambda j: j.stage == "Finding themes")
    assert going.state == "running" and going.steps_done == 1 and going.steps_total == 3
    assert going.percent == 33
    release.set()
    done = finished(jobs, job.id)
    assert done.state == "done" and done.steps_done == 3 and done.percent == 100
    assert done.stage == "Finished" and done.result == {"run_id": 7}


def test_a_failure_is_recorded_with_its_message(jobs: Jobs, workspace_id: int) -> None:
    def refuse(_ctx: JobContext) -> Mapping[str, Any]:
        raise JobFailed("There is no evidence to theme in what you chose.")

    def crash(_ctx: JobContext) -> Mapping[str, Any]:
        raise RuntimeError("a bug with internal details")

    failed = finished(
        jobs, jobs.start("x", "a", refuse, OWNER, workspace_id=workspace_id, label="A").id
    )
    assert failed.state == "failed"
    assert failed.error == "There is no evidence to theme in what you chose."
    crashed = finished(
        jobs, jobs.start("x", "b", crash, OWNER, workspace_id=workspace_id, label="B").id
    )
    # People see a plain message, never the exception's internals.
    assert crashed.state == "failed" and "internal details" not in crashed.error
    assert "went wrong" in crashed.error
    with pytest.raises(JobError):
        jobs.start("unknown", "c", None, OWNER, workspace_id=workspace_id, label="C")


def test_a_restarted_process_marks_unfinished_jobs_interrupted_and_restarts_them(
    store: Store, workspace_id: int
) -> None:
    stuck = threading.Event()

    def never_ends(_ctx: JobContext) -> Mapping[str, Any]:
        stuck.wait(60)  # stands for a process that was killed mid-job
        return {"stale": True}

    def count(ctx: JobContext) -> Mapping[str, Any]:
        return {"counted": ctx.parameters["n"]}

    # The first process is gone: its pid is free on this machine.
    before = Jobs(store, workers=1, runner=f"{socket.gethostname()}:{_free_pid()}")
    before.register("count", never_ends)
    job = before.start(
        "count", "count", None, OWNER, workspace_id=workspace_id, label="Count", parameters={"n": 4}
    )
    wait_until(before, job.id, lambda j: j.state == "running")
    queued = before.start(
        "count", "other", None, OWNER, workspace_id=workspace_id, label="Two", parameters={"n": 5}
    )

    # A new process starts on the same database: the old one's jobs are not going any more.
    after = Jobs(store)
    after.register("count", count)
    assert after.recover() == 2
    interrupted = after.get(job.id)
    assert interrupted is not None and interrupted.state == "interrupted"
    assert interrupted.error == INTERRUPTED and after.restartable(interrupted)
    assert after.get(queued.id).state == "interrupted"  # type: ignore[union-attr]
    # The new process may start the same key again straight away.
    assert after.active(workspace_id, "count") is None

    restarted = after.restart(job.id)
    assert restarted.id == job.id and restarted.state == "queued" and restarted.attempts == 2
    done = finished(after, job.id)
    assert done.state == "done" and done.result == {"counted": 4} and done.error == ""
    with pytest.raises(JobError):
        after.restart(job.id)  # it finished: nothing to restart
    # The old attempt ending late never overwrites the new one.
    stuck.set()
    before.shutdown(wait=True)
    after.shutdown()
    assert after.get(job.id).result == {"counted": 4}  # type: ignore[union-attr]


def test_a_failed_job_can_be_restarted(jobs: Jobs, workspace_id: int) -> None:
    attempts: list[int] = []

    def flaky(_ctx: JobContext) -> Mapping[str, Any]:
        attempts.append(1)
        if len(attempts) == 1:
            raise JobFailed("The codebook could not be read.")
        return {"ok": True}

    jobs.register("flaky", flaky)
    job = jobs.start("flaky", "f", None, OWNER, workspace_id=workspace_id, label="Flaky")
    assert finished(jobs, job.id).state == "failed"
    jobs.restart(job.id)
    done = finished(jobs, job.id)
    assert done.state == "done" and done.result == {"ok": True} and done.attempts == 2


def _free_pid() -> int:
    """A process id no process on this machine has now."""
    pid = 4_000_000
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except PermissionError:
            pass
        pid -= 1


def test_a_starting_worker_leaves_jobs_of_live_workers_alone(
    store: Store, workspace_id: int
) -> None:
    release = threading.Event()

    def waits(_ctx: JobContext) -> Mapping[str, Any]:
        release.wait(60)
        return {"ok": True}

    here = socket.gethostname()
    # A sibling worker on this machine: its process (our parent, here) is alive.
    sibling = Jobs(store, workers=1, runner=f"{here}:{os.getppid()}")
    sibling.register("wait", waits)
    job = sibling.start("wait", "w", None, OWNER, workspace_id=workspace_id, label="Wait")
    wait_until(sibling, job.id, lambda j: j.state == "running")
    # Jobs on other servers count as abandoned only once their heartbeat is stale.
    with store.session() as session:
        for key, beat in (
            ("fresh", datetime.now(UTC)),
            ("stale", datetime.now(UTC) - timedelta(hours=1)),
        ):
            session.add(
                JobRow(
                    id=key,
                    workspace_id=workspace_id,
                    kind="wait",
                    key=key,
                    state="running",
                    runner="another-server:12",
                    heartbeat_at=beat,
                )
            )

    starting = Jobs(store)
    try:
        assert starting.recover() == 1
        assert starting.get(job.id).state == "running"  # type: ignore[union-attr]
        assert starting.get("fresh").state == "running"  # type: ignore[union-attr]
        assert starting.get("stale").state == "interrupted"  # type: ignore[union-attr]
    finally:
        release.set()
        assert finished(sibling, job.id).state == "done"
        sibling.shutdown(wait=True)
        starting.shutdown()
