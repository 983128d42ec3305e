"""Preparing meaning search as a background job, and which text model it uses.

The model is ``app.state.search_model`` when set (tests choose the fast
``hashing`` model), else the ``search_model`` setting (``UPSTREAM_SEARCH_MODEL``,
default ``default``). One indexing job runs per workspace and model at a time.
"""

from __future__ import annotations

import threading
from typing import Any

from starlette.requests import Request

from upstream.search import SemanticSearch
from upstream.store.accounts import Scope
from upstream.store.visibility import ScopedEvidence
from upstream.web.jobs import Job, JobFunction, Progress
from upstream.web.permissions import Actor
from upstream.web.settings import services

_LOCK = threading.RLock()


def search_model(request: Request) -> str:
    """The embedder name meaning search uses in this app."""
    chosen = getattr(request.app.state, "search_model", None)
    return str(chosen or services(request).settings.search_model)


def meaning_search(request: Request, actor: Actor) -> SemanticSearch:
    """Meaning search over the workspace as ``actor`` may see it."""
    return SemanticSearch(actor.evidence, search_model(request))


def _latest(request: Request) -> dict[tuple[int, str], str]:
    with _LOCK:
        found = getattr(request.app.state, "search_jobs", None)
        if not isinstance(found, dict):
            found = {}
            request.app.state.search_jobs = found
        return found


def indexing_job(request: Request, actor: Actor) -> Job | None:
    """The workspace's indexing job for the current model, if one is queued or running."""
    job_id = _latest(request).get((actor.workspace.id, search_model(request)))
    job = services(request).jobs.get(job_id) if job_id else None
    return job if job is not None and not job.finished else None


def _job(actor: Actor, model: str) -> JobFunction:
    # The index covers the whole workspace; each search applies the person's scope.
    evidence = ScopedEvidence(actor.workspace, Scope(see_all=True))

    def run(progress: Progress) -> dict[str, Any]:
        embedded = SemanticSearch(evidence, model).build(progress=progress)
        return {"embedded": embedded}

    return run


def start_indexing(request: Request, actor: Actor) -> Job:
    """Start indexing the workspace's unindexed items (or return the job already doing it)."""
    model = search_model(request)
    latest = _latest(request)
    with _LOCK:
        running = indexing_job(request, actor)
        if running is not None:
            return running
        job = services(request).jobs.submit(
            _job(actor, model),
            user_id=actor.user.id,
            workspace_id=actor.workspace.id,
            label="Preparing search by meaning",
        )
        latest[(actor.workspace.id, model)] = job.id
    return job


__all__ = [
    "indexing_job",
    "meaning_search",
    "search_model",
    "start_indexing",
]
