"""Job workers: a web process that only queues jobs, and worker processes that take them.

Each ``Jobs`` here is given its own ``Store`` and runner name, as separate
processes would have; they share only the database.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import pytest

from upstream.jobs import JobContext, Jobs, Owner
from upstream.store import Store
from upstream.store.job_repository import JobRecord

OWNER = Owner(user_id=None, actor="analyst@example.org")


@pytest.fixture
def stores(db_url: str) -> Iterator[Callable[[], Store]]:
    opened: list[Store] = []

    def make() -> Store:
        opened.append(Store(db_url))
        return opened[-1]

    yield make
    for store in opened:
        store.close()


def _wait(jobs: Jobs, job_id: str, ready: Callable[[JobRecord], bool]) -> JobRecord:
    deadline = time.monotonic() + 30
    while True:
        job = jobs.get(job_id)
        assert job is not None
        if ready(job):
            return job
        assert time.monotonic() < deadline, f"the job never got there: {job}"
        time.sleep(0.02)


def _start_workers(workers: list[Jobs]) -> tuple[threading.Event, list[threading.Thread]]:
    stop = threading.Event()
    threads = [
        threading.Thread(target=worker.work, kwargs={"poll": 0.05, "stop": stop})
        for worker in workers
    ]
    for thread in threads:
        thread.start()
    return stop, threads


def test_a_queued_job_waits_for_a_worker_and_the_worker_runs_it(
    stores: Callable[[], Store],
) -> None:
    web_store = stores()
    workspace_id = web_store.workspace("Jobs", create=True).id
    ran_in: list[str] = []

    def add(ctx: JobContext) -> Mapping[str, Any]:
        ran_in.append(threading.current_thread().name)
        return {"sum": ctx.parameters["a"] + ctx.parameters["b"]}

    web = Jobs(web_store, runner="web:1", run_here=False)
    web.register("add", add)
    job = web.start(
        "add", "k", None, OWNER, workspace_id=workspace_id, label="Add", parameters={"a": 2, "b": 3}
    )
    time.sleep(0.3)
    waiting = web.get(job.id)
    assert waiting is not None and waiting.state == "queued" and not ran_in
    assert web.recover() == 0  # waiting for a worker is not abandoned
    worker = Jobs(stores(), runner="worker:1")
    worker.register("add", add)
    stop, threads = _start_workers([worker])
    try:
        done = _wait(web, job.id, lambda found: found.finished)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert done.state == "done" and done.result == {"sum": 5}
    assert len(ran_in) == 1 and ran_in[0].startswith("upstream-job")
    web.shutdown()


def test_each_queued_job_is_run_by_exactly_one_of_several_workers(
    stores: Callable[[], Store],
) -> None:
    web_store = stores()
    workspace_id = web_store.workspace("Jobs", create=True).id
    runs: list[tuple[str, str]] = []
    lock = threading.Lock()

    def note_for(name: str) -> Callable[[JobContext], Mapping[str, Any]]:
        def note(ctx: JobContext) -> Mapping[str, Any]:
            time.sleep(0.05)
            with lock:
                runs.append((ctx.job.id, name))
            return {}

        return note

    web = Jobs(web_store, runner="web:1", run_here=False)
    web.register("note", note_for("web:1"))
    ids = [
        web.start("note", f"k{n}", None, OWNER, workspace_id=workspace_id, label=f"Job {n}").id
        for n in range(12)
    ]
    workers = []
    for n in range(3):
        worker = Jobs(stores(), runner=f"worker:{n}", workers=2)
        worker.register("note", note_for(f"worker:{n}"))
        workers.append(worker)
    stop, threads = _start_workers(workers)
    try:
        for job_id in ids:
            assert _wait(web, job_id, lambda found: found.finished).state == "done"
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert sorted(job_id for job_id, _runner in runs) == sorted(ids)
    assert {runner for _job, runner in runs} <= {"worker:0", "worker:1", "worker:2"}
    web.shutdown()


def test_a_restarted_job_goes_back_to_the_queue(stores: Callable[[], Store]) -> None:
    web_store = stores()
    workspace_id = web_store.workspace("Jobs", create=True).id
    attempts: list[int] = []

    def flaky(ctx: JobContext) -> Mapping[str, Any]:
        attempts.append(ctx.job.attempts)
        if len(attempts) == 1:
            raise RuntimeError("first time unlucky")
        return {"ok": True}

    web = Jobs(web_store, runner="web:1", run_here=False)
    web.register("flaky", flaky)
    worker = Jobs(stores(), runner="worker:1")
    worker.register("flaky", flaky)
    stop, threads = _start_workers([worker])
    try:
        job = web.start("flaky", "k", None, OWNER, workspace_id=workspace_id, label="Flaky")
        assert _wait(web, job.id, lambda found: found.finished).state == "failed"
        web.restart(job.id)  # back to the queue: only the worker runs jobs
        assert _wait(web, job.id, lambda found: found.state == "done").result == {"ok": True}
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    assert len(attempts) == 2
    web.shutdown()
