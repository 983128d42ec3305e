"""Long jobs (big imports) run in background threads; progress is kept by job id.

Progress lives in this process, so a reload of the job page shows how far the
job has got. Jobs are not resumed after the server restarts.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

log = logging.getLogger(__name__)


class Progress(Protocol):
    """Called by a job to report how far it has got (and, once known, the total)."""

    def __call__(self, done: int, total: int | None = None) -> None:
        """Report ``done`` units processed, and the expected ``total`` when known."""


JobFunction = Callable[[Progress], dict[str, Any]]


class JobFailed(Exception):
    """A job could not finish; the message is shown to the person who started it."""


@dataclass(frozen=True)
class Job:
    """A snapshot of one background job.

    Attributes:
        id: Random identifier used in the job's URL.
        user_id: Who started it (only they, or a workspace owner, may see it).
        workspace_id: The workspace it works on.
        label: What it is, in plain words.
        status: ``queued``, ``running``, ``done`` or ``failed``.
        done_units: Rows (or other units) processed so far.
        total_units: Expected total, when known.
        started_at: Time it was queued (seconds since the epoch).
        finished_at: Time it finished, once it has.
        error: Why it failed.
        result: What it produced, once done.
    """

    id: str
    user_id: int
    workspace_id: int
    label: str
    status: str = "queued"
    done_units: int = 0
    total_units: int | None = None
    started_at: float = field(default_factory=time.time)
    finished_at: float | None = None
    error: str = ""
    result: dict[str, Any] = field(default_factory=dict)

    @property
    def finished(self) -> bool:
        """Whether the job has stopped, well or badly."""
        return self.status in {"done", "failed"}

    @property
    def percent(self) -> int | None:
        """Rough percentage done, when the total is known."""
        if not self.total_units:
            return None
        return min(99 if not self.finished else 100, self.done_units * 100 // self.total_units)

    @property
    def elapsed(self) -> float:
        """Seconds since it was queued (until it finished)."""
        return (self.finished_at or time.time()) - self.started_at


class JobRunner:
    """Runs jobs on a small thread pool and remembers their progress.

    Args:
        workers: Jobs that may run at once; the rest wait in a queue.
        keep: How many finished jobs to remember.
    """

    def __init__(self, workers: int = 2, keep: int = 500) -> None:
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="upstream-job")
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._keep = keep

    def submit(
        self,
        function: JobFunction,
        *,
        user_id: int,
        workspace_id: int,
        label: str,
    ) -> Job:
        """Queue ``function`` (called with a progress callback) and return its first snapshot."""
        job = Job(
            id=secrets.token_urlsafe(12),
            user_id=user_id,
            workspace_id=workspace_id,
            label=label,
        )
        with self._lock:
            self._jobs[job.id] = job
            self._forget_old()
        self._pool.submit(self._run, job.id, function)
        return job

    def get(self, job_id: str) -> Job | None:
        """The latest snapshot of a job, or None."""
        with self._lock:
            return self._jobs.get(job_id)

    def shutdown(self) -> None:
        """Stop taking jobs; running ones finish in the background."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _update(self, job_id: str, **changes: Any) -> None:
        with self._lock:
            self._jobs[job_id] = replace(self._jobs[job_id], **changes)

    def _run(self, job_id: str, function: JobFunction) -> None:
        self._update(job_id, status="running")

        def report(done: int, total: int | None = None) -> None:
            if total is None:
                self._update(job_id, done_units=done)
            else:
                self._update(job_id, done_units=done, total_units=total)

        try:
            result = function(report)
        except JobFailed as exc:
            self._update(job_id, status="failed", error=str(exc), finished_at=time.time())
        except Exception:
            log.exception("Background job %s failed", job_id)
            self._update(
                job_id,
                status="failed",
                error="Something went wrong on the server; nothing was saved.",
                finished_at=time.time(),
            )
        else:
            self._update(job_id, status="done", result=result, finished_at=time.time())

    def _forget_old(self) -> None:
        excess = len(self._jobs) - self._keep
        if excess <= 0:
            return
        finished = sorted(
            (j for j in self._jobs.values() if j.finished), key=lambda j: j.started_at
        )
        for job in finished[:excess]:
            del self._jobs[job.id]
