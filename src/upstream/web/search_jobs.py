"""Preparing meaning search as a background job, and which text model it uses.

The model is the ``search_model`` setting (``UPSTREAM_SEARCH_MODEL``, else
``default``). One indexing job runs per workspace and model at a time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request

from upstream.jobs import JobContext
from upstream.store.accounts import Scope
from upstream.store.job_repository import JobRecord
from upstream.store.visibility import ScopedEvidence
from upstream.web.background import job_actor, owner_of
from upstream.web.permissions import Actor
from upstream.web.settings import Services, services
from upstream.workflows.search import SemanticSearch

KIND = "search"


def search_model(request: Request) -> str:
    """The embedder name meaning search uses in this app."""
    return services(request).settings.search_model


def meaning_search(request: Request, actor: Actor) -> SemanticSearch:
    """Meaning search over the workspace as ``actor`` may see it."""
    return SemanticSearch(actor.evidence, search_model(request))


def _key(model: str) -> str:
    return f"search:{model}"


def indexing_job(request: Request, actor: Actor) -> JobRecord | None:
    """The workspace's indexing job for the current model, if one is queued or running."""
    return services(request).jobs.active(actor.workspace.id, _key(search_model(request)))


def _index(svc: Services, ctx: JobContext) -> Mapping[str, Any]:
    actor = job_actor(svc, ctx.job)
    # The index covers the whole workspace; each search applies the person's scope.
    evidence = ScopedEvidence(actor.workspace, Scope(see_all=True))
    embedded = SemanticSearch(evidence, str(ctx.parameters["model"])).build(progress=ctx.progress)
    return {"embedded": embedded}


def register(svc: Services) -> None:
    """Register the indexing job with the app's job runner."""
    svc.jobs.register(KIND, lambda ctx: _index(svc, ctx))


def start_indexing(request: Request, actor: Actor) -> JobRecord:
    """Start indexing the workspace's unindexed items (or return the job already doing it)."""
    model = search_model(request)
    return services(request).jobs.start(
        KIND,
        _key(model),
        None,
        owner_of(actor),
        workspace_id=actor.workspace.id,
        label="Preparing search by meaning",
        parameters={"model": model},
    )


__all__ = [
    "indexing_job",
    "meaning_search",
    "register",
    "search_model",
    "start_indexing",
]
