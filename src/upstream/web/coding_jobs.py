"""Coding runs as background jobs: start one, follow its stages, find the latest per workspace.

The job itself is :func:`upstream.coding.workflow.code_workspace`; this module
only adds progress (its stages as steps), the audit entry, and a small
registry kept on the app so a reload finds the run still going.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from upstream.frameworks import CodebookError, load_codebook
from upstream.store import StoreError
from upstream.web.jobs import Job, JobFailed, JobFunction, Progress
from upstream.web.permissions import Actor
from upstream.web.settings import Services, services

STAGES = 4  # reading, learning or preparing, coding, saving
_LOCK = threading.Lock()


@dataclass
class CodingJobs:
    """Which coding job each workspace ran last, and what stage each job is at."""

    latest: dict[int, str] = field(default_factory=dict)
    stages: dict[str, dict[str, str]] = field(default_factory=dict)

    def stage(self, job_id: str) -> str:
        """What a coding job is doing now, in words ("" for an unknown job)."""
        return self.stages.get(job_id, {}).get("text", "")

    def running(self, svc: Services, workspace_id: int) -> Job | None:
        """The workspace's coding job, if one is still queued or running."""
        job_id = self.latest.get(workspace_id)
        job = svc.jobs.get(job_id) if job_id else None
        return job if job is not None and not job.finished else None


def registry(request: Request) -> CodingJobs:
    """The app's coding-job registry (made on first use)."""
    with _LOCK:
        found = getattr(request.app.state, "coding_jobs", None)
        if not isinstance(found, CodingJobs):
            found = CodingJobs()
            request.app.state.coding_jobs = found
        return found


def embedder_names() -> list[str]:
    """The text models a run may use, ``default`` first (loads the embedders on first use)."""
    from upstream.embed import embedder_names as names

    return names()


def embedder_for(model_id: str) -> str:
    """The embedder name behind a run's recorded model id (``hashing-512-0`` is ``hashing``)."""
    for name in embedder_names()[1:]:
        if model_id.lower().startswith(name):
            return name
    return "default"


def _job(
    svc: Services,
    actor: Actor,
    codebook: str,
    embedder: str,
    threshold: float | None,
    stage: dict[str, str],
) -> JobFunction:
    workspace = actor.workspace
    email = actor.user.email

    def run(progress: Progress) -> dict[str, Any]:
        # The coder brings scikit-learn and friends: load them when a run starts, not at start-up.
        from upstream.coding.workflow import code_workspace
        from upstream.embed import MissingExtraError

        done = [0]

        def on_stage(text: str) -> None:
            stage["text"] = text
            progress(done[0], STAGES)
            done[0] += 1

        progress(0, STAGES)
        try:
            book = load_codebook(codebook)
            outcome = code_workspace(
                svc.store,
                workspace.name,
                book,
                embedder=embedder,
                threshold=threshold,
                actor=email,
                on_stage=on_stage,
            )
        except (MissingExtraError, CodebookError, StoreError, ValueError) as exc:
            raise JobFailed(f"Coding could not run: {exc}") from exc
        progress(STAGES, STAGES)
        stage["text"] = "Finished"
        svc.accounts.audit(
            email,
            "code",
            "run",
            outcome.run_id or "",
            workspace_id=workspace.id,
            codebook=codebook,
            embedder=embedder,
            mode=outcome.mode,
        )
        return {
            "run_id": outcome.run_id,
            "codebook": codebook,
            "title": book.title,
            "items": len(outcome.results),
            "coded": outcome.coded,
            "mode": outcome.mode,
            "labelled": outcome.n_labelled,
        }

    return run


def start_coding(
    request: Request,
    actor: Actor,
    *,
    codebook: str,
    embedder: str,
    threshold: float | None,
    label: str,
) -> Job:
    """Start coding the workspace (or return the coding job already running there)."""
    svc = services(request)
    jobs = registry(request)
    with _LOCK:
        running = jobs.running(svc, actor.workspace.id)
        if running is not None:
            return running
        stage = {"text": "Waiting to start"}
        job = svc.jobs.submit(
            _job(svc, actor, codebook, embedder, threshold, stage),
            user_id=actor.user.id,
            workspace_id=actor.workspace.id,
            label=label,
        )
        jobs.latest[actor.workspace.id] = job.id
        jobs.stages[job.id] = stage
    return job


__all__ = ["STAGES", "CodingJobs", "embedder_for", "embedder_names", "registry", "start_coding"]
