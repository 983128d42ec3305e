"""Analysis jobs with a stage in words, one running at a time per workspace or collection.

Coding runs, theme runs and a collection's machine coding all work the same
way: a page starts a job unless one is already going for the same thing, the
job reports the workflow's stages as numbered steps, and a reload of the page
finds the job again. This module is that mechanism; the ``*_jobs`` modules say
only what each job does.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from upstream.web.jobs import Job, JobFunction, Progress
from upstream.web.settings import Services

_LOCK = threading.Lock()


@dataclass
class StagedJobs:
    """The latest job per key (a workspace or collection id), and each job's stage.

    Attributes:
        latest: The newest job id per key.
        stages: Per job id, ``text`` (what it is doing, in words) and ``steps``.
    """

    latest: dict[int, str] = field(default_factory=dict)
    stages: dict[str, dict[str, Any]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def stage(self, job_id: str) -> str:
        """What a job is doing now, in words ("" for an unknown job)."""
        return str(self.stages.get(job_id, {}).get("text", ""))

    def steps(self, job_id: str, default: int) -> int:
        """How many steps a job has (``default`` when it did not say)."""
        return int(self.stages.get(job_id, {}).get("steps", default))

    def latest_job(self, svc: Services, key: int) -> Job | None:
        """The key's most recent job, finished or not, while the runner remembers it."""
        job_id = self.latest.get(key)
        return svc.jobs.get(job_id) if job_id else None

    def running(self, svc: Services, key: int) -> Job | None:
        """The key's job, if one is still queued or running."""
        job = self.latest_job(svc, key)
        return job if job is not None and not job.finished else None

    def start(
        self,
        svc: Services,
        key: int,
        function: JobFunction,
        stage: dict[str, Any],
        *,
        user_id: int,
        workspace_id: int,
        label: str,
    ) -> Job:
        """Submit ``function`` unless the key already has a job going (that one is returned).

        Args:
            svc: The app's services (its job runner).
            key: What only one job may work on at a time.
            function: The job.
            stage: The dict the job writes its stage into (shared with the job).
            user_id: Who started it.
            workspace_id: The workspace it works on.
            label: What it is, in plain words.
        """
        with self._lock:
            running = self.running(svc, key)
            if running is not None:
                return running
            job = svc.jobs.submit(function, user_id=user_id, workspace_id=workspace_id, label=label)
            self.latest[key] = job.id
            self.stages[job.id] = stage
        return job


def staged_jobs(request: Request, name: str) -> StagedJobs:
    """The app's registry called ``name`` (made on first use)."""
    with _LOCK:
        found = getattr(request.app.state, name, None)
        if not isinstance(found, StagedJobs):
            found = StagedJobs()
            setattr(request.app.state, name, found)
        return found


class Steps:
    """Turns a workflow's stage names into numbered steps of a job.

    Call it with each stage's description (it is an ``on_stage`` callback);
    call :meth:`finish` when the work is done.
    """

    def __init__(self, progress: Progress, stage: dict[str, Any], steps: int) -> None:
        self.done = 0
        self.progress = progress
        self.stage = stage
        stage.setdefault("steps", steps)
        progress(0, self.total)

    @property
    def total(self) -> int:
        """How many steps the job has."""
        return int(self.stage["steps"])

    def __call__(self, text: str) -> None:
        """Start the next step, described by ``text``."""
        self.stage["text"] = text
        self.progress(min(self.done, self.total - 1), self.total)
        self.done += 1

    def finish(self) -> None:
        """Mark the job's last step done."""
        self.stage["text"] = "Finished"
        self.progress(self.total, self.total)


__all__ = ["StagedJobs", "Steps", "staged_jobs"]
