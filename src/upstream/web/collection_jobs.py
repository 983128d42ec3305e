"""Machine coding of a story collection as a background job, with its stage in words.

The work is :func:`upstream.network.signification.code_collection`; this module
adds progress, the audit entry and a small registry on the app so the results
page can say a run is still going after a reload.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from upstream.frameworks import CodebookError
from upstream.store import StoreError
from upstream.store.collection_repository import CollectionRecord
from upstream.web.jobs import Job, JobFailed, JobFunction, Progress
from upstream.web.permissions import Actor
from upstream.web.settings import Services, services

STAGES = 4  # reading, preparing, coding, saving
_LOCK = threading.Lock()


@dataclass
class CollectionJobs:
    """The latest machine-coding job per collection, and what stage each job is at."""

    latest: dict[int, str] = field(default_factory=dict)
    stages: dict[str, dict[str, str]] = field(default_factory=dict)

    def stage(self, job_id: str) -> str:
        """What a job is doing now, in words ("" for an unknown job)."""
        return self.stages.get(job_id, {}).get("text", "")

    def latest_job(self, svc: Services, collection_id: int) -> Job | None:
        """The collection's most recent job, finished or not, while the runner remembers it."""
        job_id = self.latest.get(collection_id)
        return svc.jobs.get(job_id) if job_id else None


def collection_jobs(request: Request) -> CollectionJobs:
    """The app's collection-job registry (made on first use)."""
    with _LOCK:
        found = getattr(request.app.state, "collection_jobs", None)
        if not isinstance(found, CollectionJobs):
            found = CollectionJobs()
            request.app.state.collection_jobs = found
        return found


def _job(
    svc: Services,
    actor: Actor,
    collection: CollectionRecord,
    embedder: str,
    threshold: float | None,
    stage: dict[str, str],
) -> JobFunction:
    workspace = actor.workspace
    email = actor.user.email

    def run(progress: Progress) -> dict[str, Any]:
        # The coder brings scikit-learn and friends: load them when a run starts, not at start-up.
        from upstream.embed import MissingExtraError
        from upstream.network.signification import code_collection

        done = [0]

        def on_stage(text: str) -> None:
            stage["text"] = text
            progress(done[0], STAGES)
            done[0] += 1

        try:
            summary = code_collection(
                workspace,
                collection,
                embedder=embedder,
                threshold=threshold,
                actor=email,
                on_stage=on_stage,
            )
        except (MissingExtraError, CodebookError, StoreError, ValueError) as exc:
            raise JobFailed(f"The machine could not code the stories: {exc}") from exc
        progress(STAGES, STAGES)
        stage["text"] = "Finished"
        svc.accounts.audit(
            email,
            "code",
            "run",
            summary["run_id"],
            workspace_id=workspace.id,
            collection=collection.id,
            embedder=embedder,
        )
        return summary

    return run


def start_collection_coding(
    request: Request,
    actor: Actor,
    collection: CollectionRecord,
    *,
    embedder: str,
    threshold: float | None,
) -> Job:
    """Start coding a collection's stories (or return its job that is still running)."""
    svc = services(request)
    jobs = collection_jobs(request)
    with _LOCK:
        running = jobs.latest_job(svc, collection.id)
        if running is not None and not running.finished:
            return running
        stage = {"text": "Waiting to start"}
        job = svc.jobs.submit(
            _job(svc, actor, collection, embedder, threshold, stage),
            user_id=actor.user.id,
            workspace_id=actor.workspace.id,
            label=f"Machine coding of “{collection.spec.title}”",
        )
        jobs.latest[collection.id] = job.id
        jobs.stages[job.id] = stage
    return job


__all__ = ["STAGES", "CollectionJobs", "collection_jobs", "start_collection_coding"]
