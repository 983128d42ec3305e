"""One durable mechanism for background jobs: state in the database, not in memory.

:meth:`Jobs.start` runs at most one job per key at a time (a second start with
the same key returns the job already going), runs the job's function on a
small thread pool, and writes its stage, steps, outcome or error to the
``job`` table as it goes. Pages, the API and ``upstream jobs list`` read that
row, so a job is still found after the server restarts; :meth:`Jobs.recover`
(called when the web app starts) marks the jobs a stopped process left going
as interrupted.

Each kind of job registers one function with :meth:`Jobs.register`: it reads
everything it needs from the job's stored parameters, so the same function
starts a job and restarts an interrupted or failed one.

A process made with ``run_here=False`` (a web server with
``UPSTREAM_JOBS=queue``) only queues jobs of registered kinds; separate job
workers (``upstream jobs worker``) take them from the database with
:meth:`Jobs.work` and run them, so web processes answer pages and nothing else.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from upstream.store import Store, StoreError
from upstream.store.job_repository import JobRecord, JobStore, NewJob

__all__ = [
    "INTERRUPTED",
    "QUEUE",
    "UNEXPECTED",
    "JobContext",
    "JobError",
    "JobFailed",
    "JobFunction",
    "Jobs",
    "Owner",
]

log = logging.getLogger(__name__)

HEARTBEAT_EVERY = 15.0
"""Seconds between a process's notes that its jobs are still going."""

STALE_AFTER = 120.0
"""Seconds without such a note after which another server's job counts as abandoned."""

QUEUE = "queue"
"""The runner name of jobs waiting for a job worker to take them."""


def _process_alive(pid: int) -> bool:
    """Whether a process with this id is running on this machine."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, but belongs to someone else
        return True
    return True


INTERRUPTED = (
    "The job was interrupted because the server stopped while it was running. "
    "Nothing from the unfinished run was saved."
)
UNEXPECTED = "Something went wrong on the server; nothing was saved."
PROGRESS_INTERVAL = 0.5
"""Seconds between writes of a job's count of rows or items (stages are written at once)."""


class JobFailed(Exception):
    """A job could not finish; the message is shown to the person who started it."""


class JobError(Exception):
    """A job could not be started or restarted (the message says why, in plain English)."""


@dataclass(frozen=True, slots=True)
class Owner:
    """Who starts a job.

    Attributes:
        user_id: The person's user id (None for the command line).
        actor: How they appear in the audit log (their email address).
    """

    user_id: int | None
    actor: str


class JobContext:
    """What a running job gets: its stored record and ways to report progress.

    Progress is written to the database by a separate writer thread, so a job
    that holds a write transaction open (an import) never waits on its own
    progress report; the newest report wins.
    """

    def __init__(self, job: JobRecord, writer: _ProgressWriter) -> None:
        self.job = job
        self._writer = writer
        self._steps = 0
        self._total = job.steps_total
        self._last_write = 0.0

    @property
    def parameters(self) -> dict[str, Any]:
        """The job's stored parameters."""
        return self.job.parameters

    def stage(self, text: str) -> None:
        """Say what the job is doing now, in words."""
        self._writer.report(self.job, stage=text)

    def step(self, text: str) -> None:
        """Start the job's next numbered step, described by ``text``.

        Usable as a workflow's ``on_stage`` callback: the step count only moves
        on when the next step starts, so it never reaches the total before the
        job has finished.
        """
        total = self._total or 1
        self._writer.report(self.job, stage=text, steps_done=min(self._steps, total - 1))
        self._steps += 1

    def progress(self, done: int, total: int | None = None) -> None:
        """Report ``done`` units (rows) processed, and the expected ``total`` when known."""
        new_total = total is not None and total != self._total
        if total is not None:
            self._total = total
        last = self._total is not None and done >= self._total
        now = time.monotonic()
        if not (new_total or last) and now - self._last_write < PROGRESS_INTERVAL:
            return
        self._last_write = now
        self._writer.report(self.job, steps_done=done, steps_total=total)


JobFunction = Callable[[JobContext], Mapping[str, Any]]
"""A job: reads its parameters from the context, reports progress, returns its result."""


class _ProgressWriter:
    """Writes jobs' progress on one thread, newest report per job winning."""

    def __init__(self, jobs: JobStore) -> None:
        self._jobs = jobs
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="upstream-job-progress")
        self._lock = threading.Lock()
        self._pending: dict[tuple[str, int], dict[str, Any]] = {}

    def report(self, job: JobRecord, **fields: Any) -> None:
        key = (job.id, job.attempts)
        values = {k: v for k, v in fields.items() if v is not None}
        with self._lock:
            queued = key in self._pending
            self._pending.setdefault(key, {}).update(values)
        if not queued:
            try:
                self._pool.submit(self._write, key)
            except RuntimeError:  # shutting down: the job's outcome is still recorded
                self.discard(job)

    def discard(self, job: JobRecord) -> None:
        with self._lock:
            self._pending.pop((job.id, job.attempts), None)

    def _write(self, key: tuple[str, int]) -> None:
        with self._lock:
            values = self._pending.pop(key, None)
        if not values:
            return
        job_id, attempt = key
        try:
            self._jobs.record_progress(job_id, attempt, **values)
        except (SQLAlchemyError, StoreError):
            log.warning("Could not record the progress of job %s", job_id, exc_info=True)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


class Jobs:
    """Starts, runs and restarts background jobs, keeping their state in the store.

    Args:
        store: The open store the ``job`` table is in.
        workers: Jobs that may run at once; the rest wait in a queue.
        runner: This process's name in the job table (``host:pid`` unless given).
        run_here: Run jobs in this process (the default); if False, jobs of
            registered kinds are left in the database for a job worker.
    """

    def __init__(
        self,
        store: Store,
        *,
        workers: int = 2,
        runner: str | None = None,
        run_here: bool = True,
    ) -> None:
        self.store = JobStore(store)
        self.run_here = run_here
        self.workers = workers
        self.runner = runner or f"{socket.gethostname()}:{os.getpid()}"
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="upstream-job")
        self._writer = _ProgressWriter(self.store)
        self._kinds: dict[str, JobFunction] = {}
        self._stopping = threading.Event()
        self._mine: set[str] = set()  # jobs this process has queued or is running
        self._mine_lock = threading.Lock()
        self._heart = threading.Thread(
            target=self._beat, name="upstream-job-heartbeat", daemon=True
        )
        self._heart.start()

    def register(self, kind: str, function: JobFunction) -> None:
        """Say which function runs (and restarts) jobs of ``kind`` from their parameters."""
        self._kinds[kind] = function

    def restartable(self, job: JobRecord) -> bool:
        """Whether ``job`` ended without a result and its kind can be started again."""
        return job.restartable and job.kind in self._kinds

    def start(
        self,
        kind: str,
        key: str,
        function: JobFunction | None,
        owner: Owner,
        *,
        workspace_id: int,
        label: str,
        parameters: Mapping[str, Any] | None = None,
        steps: int | None = None,
    ) -> JobRecord:
        """Start a job unless one with the same key is going in the workspace (then return that).

        Args:
            kind: What sort of job it is.
            key: What only one job may work on at a time (within the workspace).
            function: The job; None runs the function registered for ``kind``.
            owner: Who starts it.
            workspace_id: The workspace it works on.
            label: What it is, in plain words.
            parameters: What the job needs (JSON), kept so it can be run again.
            steps: How many steps it has, when known in advance.

        Raises:
            JobError: If no function is given and none is registered for ``kind``.
        """
        run = function or self._kinds.get(kind)
        if run is None:
            raise JobError(f"There is no kind of job called {kind!r}.")
        new = NewJob(
            workspace_id=workspace_id,
            kind=kind,
            key=key,
            label=label,
            owner_id=owner.user_id,
            actor=owner.actor,
            parameters=dict(parameters or {}),
            steps_total=steps,
        )
        queued = function is None and not self.run_here
        job, created = self.store.create(new, runner=QUEUE if queued else self.runner)
        if created and not queued:
            self._submit(job, run)
        return job

    def restart(self, job_id: str) -> JobRecord:
        """Run a failed or interrupted job again from its stored parameters.

        Returns:
            The job, queued again under the same id; or the job already going for
            the same key, when there is one.

        Raises:
            JobError: If there is no such job, it has not ended badly, or its kind
                cannot be restarted.
        """
        found = self.store.get(job_id)
        if found is None:
            raise JobError("There is no such job.")
        run = self._kinds.get(found.kind)
        if run is None or not found.restartable:
            raise JobError("This job cannot be started again.")
        job, reopened = self.store.reopen(job_id, runner=self.runner if self.run_here else QUEUE)
        if reopened and self.run_here:
            self._submit(job, run)
        return job

    def get(self, job_id: str) -> JobRecord | None:
        """The job with this id, as stored now.

        A job whose process stopped answering (on this or another server) is
        marked interrupted the first time anyone looks at it.
        """
        found = self.store.get(job_id)
        going = found is not None and found.state in ("queued", "running")
        if going and self.store.interrupt_abandoned(INTERRUPTED, abandoned=self._abandoned):
            found = self.store.get(job_id)
        return found

    def active(self, workspace_id: int, key: str) -> JobRecord | None:
        """The job queued or running for ``key`` in the workspace, if there is one."""
        return self.store.active(workspace_id, key)

    def latest(self, workspace_id: int, key: str) -> JobRecord | None:
        """The newest job for ``key`` in the workspace, finished or not."""
        return self.store.latest(workspace_id, key)

    def recover(self) -> int:
        """Mark jobs a stopped process left queued or running as interrupted.

        Call when a process that runs jobs starts. Jobs that another live process
        is running (another worker of ``upstream serve --workers``) are left alone:
        a job counts as abandoned when its process is gone from this machine, or
        when it has not said it is alive for :data:`STALE_AFTER` seconds.

        Returns:
            How many jobs were marked.
        """
        marked = self.store.interrupt_abandoned(INTERRUPTED, abandoned=self._abandoned)
        if marked:
            log.warning("%d background job(s) were interrupted by a restart", marked)
        return marked

    def work(self, *, poll: float = 1.0, stop: threading.Event | None = None) -> int:
        """Take queued jobs from the database and run them, until ``stop`` is set.

        What ``upstream jobs worker`` does. At most ``workers`` jobs run at
        once; a job whose kind this process does not know is left for another.

        Args:
            poll: Seconds between looks at the queue when it is empty.
            stop: Set it to stop taking jobs (running ones are waited for).

        Returns:
            How many jobs this call took.
        """
        stop = stop or threading.Event()
        taken = 0
        while not stop.is_set():
            with self._mine_lock:
                busy = len(self._mine)
            try:
                job = self.store.claim(QUEUE, self.runner) if busy < self.workers else None
            except (SQLAlchemyError, StoreError):  # the database is restarting: try again later
                log.warning("Could not look for queued jobs", exc_info=True)
                stop.wait(poll * 10)
                continue
            if job is None:
                stop.wait(poll)
                continue
            run = self._kinds.get(job.kind)
            if run is None:
                self.store.fail(job.id, job.attempts, f"No job worker can run {job.kind} jobs.")
                continue
            taken += 1
            self._submit(job, run)
        self.shutdown(wait=True)
        return taken

    def shutdown(self, *, wait: bool = False) -> None:
        """Stop taking jobs; running ones carry on (until the process ends, or waited for)."""
        self._stopping.set()
        self._pool.shutdown(wait=wait, cancel_futures=True)
        self._writer.shutdown()

    def _abandoned(self, runner: str, heartbeat: datetime | None) -> bool:
        """Whether the process running a job (``host:pid``) is gone."""
        host, _, pid = runner.rpartition(":")
        if runner in (self.runner, QUEUE):  # waiting for a worker is not abandoned
            return False
        if host == socket.gethostname() and pid.isdigit():
            return not _process_alive(int(pid))
        if heartbeat is None:
            return True
        return (datetime.now(UTC) - heartbeat).total_seconds() > STALE_AFTER

    def _beat(self) -> None:
        while not self._stopping.wait(HEARTBEAT_EVERY):
            with self._mine_lock:
                idle = not self._mine
            if idle:  # nothing of ours is queued or running: nothing to vouch for
                continue
            try:
                self.store.beat(self.runner)
            except (SQLAlchemyError, StoreError):
                log.warning("Could not record that background jobs are alive", exc_info=True)

    def _submit(self, job: JobRecord, function: JobFunction) -> None:
        with self._mine_lock:
            self._mine.add(job.id)
        try:
            self._pool.submit(self._run, job, function)
        except RuntimeError as exc:  # the pool has been shut down
            with self._mine_lock:
                self._mine.discard(job.id)
            self.store.fail(
                job.id, job.attempts, "The server is shutting down; start the job again later."
            )
            raise JobError("The server is shutting down; start the job again later.") from exc

    def _run(self, job: JobRecord, function: JobFunction) -> None:
        try:
            self._attempt(job, function)
        finally:
            with self._mine_lock:
                self._mine.discard(job.id)

    def _attempt(self, job: JobRecord, function: JobFunction) -> None:
        try:
            self.store.mark_running(job.id, job.attempts)
            result = dict(function(JobContext(job, self._writer)))
        except JobFailed as exc:
            self._writer.discard(job)
            self.store.fail(job.id, job.attempts, str(exc))
        except Exception:
            log.exception("Background job %s (%s) failed", job.id, job.kind)
            self._writer.discard(job)
            self.store.fail(job.id, job.attempts, UNEXPECTED)
        else:
            self._writer.discard(job)
            self.store.finish(job.id, job.attempts, result)
