"""Machine coding of a story collection as a background job, with its stage in words.

The work is :func:`upstream.network.signification.code_collection`; this module
adds progress, the audit entry and a small registry on the app so the results
page can say a run is still going after a reload.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from upstream.frameworks import CodebookError
from upstream.store import StoreError
from upstream.store.collection_repository import CollectionRecord
from upstream.web.jobs import Job, JobFailed, JobFunction, Progress
from upstream.web.permissions import Actor
from upstream.web.settings import Services, services
from upstream.web.staged_jobs import StagedJobs, Steps, staged_jobs

STAGES = 4  # reading, preparing, coding, saving


def collection_jobs(request: Request) -> StagedJobs:
    """The app's collection jobs: the latest per collection, and each one's stage."""
    return staged_jobs(request, "collection_jobs")


def _job(
    svc: Services,
    actor: Actor,
    collection: CollectionRecord,
    embedder: str,
    threshold: float | None,
    stage: dict[str, Any],
) -> JobFunction:
    workspace = actor.workspace
    email = actor.user.email

    def run(progress: Progress) -> dict[str, Any]:
        # The coder brings scikit-learn and friends: load them when a run starts, not at start-up.
        from upstream.embed import MissingExtraError
        from upstream.network.signification import code_collection

        on_stage = Steps(progress, stage, STAGES)
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
        on_stage.finish()
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
    stage = {"text": "Waiting to start"}
    return collection_jobs(request).start(
        svc,
        collection.id,
        _job(svc, actor, collection, embedder, threshold, stage),
        stage,
        user_id=actor.user.id,
        workspace_id=actor.workspace.id,
        label=f"Machine coding of “{collection.spec.title}”",
    )


__all__ = ["STAGES", "collection_jobs", "start_collection_coding"]
