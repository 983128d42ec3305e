"""Machine coding of a story collection as a background job, with its stage in words.

The work is :func:`upstream.workflows.network.signification.code_collection`; this module
adds progress and the audit entry. The job's row (one going per collection at
a time) lets the results page say a run is still going, failed or was
interrupted, after a reload or a restart of the server.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request

from upstream.frameworks import CodebookError
from upstream.jobs import JobContext, JobFailed
from upstream.store import StoreError
from upstream.store.collection_repository import CollectionRecord, CollectionStore
from upstream.store.job_repository import JobRecord
from upstream.web.background import job_actor, owner_of
from upstream.web.permissions import Actor
from upstream.web.settings import Services, services

KIND = "collection"
STAGES = 4  # reading, preparing, coding, saving


def _key(collection_id: int) -> str:
    return f"collection:{collection_id}"


def _code(svc: Services, ctx: JobContext) -> Mapping[str, Any]:
    # The coder brings scikit-learn and friends: load them when a run starts, not at start-up.
    from upstream.embed import MissingExtraError
    from upstream.workflows.network.signification import code_collection

    actor = job_actor(svc, ctx.job)
    params = ctx.parameters
    collection = CollectionStore(actor.workspace).collection(int(params["collection_id"]))
    if collection is None:
        raise JobFailed("The story collection is no longer there.")
    embedder = str(params.get("embedder") or "default")
    threshold = params.get("threshold")
    try:
        summary = code_collection(
            actor.workspace,
            collection,
            embedder=embedder,
            threshold=float(threshold) if threshold is not None else None,
            actor=actor.user.email,
            on_stage=ctx.step,
        )
    except (MissingExtraError, CodebookError, StoreError, ValueError) as exc:
        raise JobFailed(f"The machine could not code the stories: {exc}") from exc
    svc.accounts.audit(
        actor.user.email,
        "code",
        "run",
        summary["run_id"],
        workspace_id=actor.workspace.id,
        collection=collection.id,
        embedder=embedder,
    )
    return summary


def register(svc: Services) -> None:
    """Register the collection coding job with the app's job runner."""
    svc.jobs.register(KIND, lambda ctx: _code(svc, ctx))


def latest_job(request: Request, actor: Actor, collection_id: int) -> JobRecord | None:
    """The collection's most recent coding job, finished or not."""
    return services(request).jobs.latest(actor.workspace.id, _key(collection_id))


def start_collection_coding(
    request: Request,
    actor: Actor,
    collection: CollectionRecord,
    *,
    embedder: str,
    threshold: float | None,
) -> JobRecord:
    """Start coding a collection's stories (or return its job that is still running)."""
    return services(request).jobs.start(
        KIND,
        _key(collection.id),
        None,
        owner_of(actor),
        workspace_id=actor.workspace.id,
        label=f"Machine coding of “{collection.spec.title}”",
        parameters={"collection_id": collection.id, "embedder": embedder, "threshold": threshold},
        steps=STAGES,
    )


__all__ = ["KIND", "STAGES", "latest_job", "register", "start_collection_coding"]
