"""Coding runs as background jobs: start one, and find the one going in a workspace.

The job itself is :func:`upstream.workflows.coding.code_workspace` (which also
writes the audit entry); this module only adds its stages as steps and the
summary the job page shows. Everything the job needs is in its stored parameters, so it can be
restarted after the server stopped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request

from upstream.frameworks import CodebookError
from upstream.jobs import JobContext, JobFailed
from upstream.store import StoreError
from upstream.store.job_repository import JobRecord
from upstream.web.background import job_actor, owner_of
from upstream.web.permissions import Actor
from upstream.web.settings import Services, services

KIND = "coding"
KEY = "coding"  # one coding run per workspace at a time
STAGES = 4  # reading, learning or preparing, coding, saving


def embedder_names() -> list[str]:
    """The text models a run may use, ``default`` first (loads the embedders on first use)."""
    from upstream.embed import embedder_names as names

    return names()


def embedder_for(model_id: str) -> str:
    """The embedder name behind a run's recorded model id (loads the embedders on first use)."""
    from upstream.embed import embedder_for as name_of

    return name_of(model_id)


def _code(svc: Services, ctx: JobContext) -> Mapping[str, Any]:
    # The coder brings scikit-learn and friends: load them when a run starts, not at start-up.
    from upstream.embed import MissingExtraError
    from upstream.execution import ExecutionError, open_backend
    from upstream.reports.run_scope import left_out_words
    from upstream.settings import read_setting
    from upstream.workflows.codebooks import codebook_for
    from upstream.workflows.coding import code_workspace

    actor = job_actor(svc, ctx.job)
    params = ctx.parameters
    codebook = str(params["codebook"])
    embedder = str(params.get("embedder") or "default")
    threshold = params.get("threshold")
    # With UPSTREAM_SCHEDULER set (a job worker beside a Dask cluster), predicting
    # runs on the cluster's workers; otherwise here, as before.
    scheduler = read_setting("scheduler")
    try:
        backend = open_backend(scheduler) if scheduler else None
    except ExecutionError as exc:
        raise JobFailed(f"Coding could not reach the Dask cluster: {exc}") from exc
    try:
        book = codebook_for(actor.workspace, codebook)
        outcome = code_workspace(
            svc.store,
            actor.workspace.name,
            book,
            embedder=embedder,
            threshold=float(threshold) if threshold is not None else None,
            actor=actor.user.email,
            on_stage=ctx.step,
            backend=backend,
            evidence_types=_types(params.get("evidence_types")),
        )
    except (MissingExtraError, CodebookError, StoreError, ValueError) as exc:
        raise JobFailed(f"Coding could not run: {exc}") from exc
    finally:
        if backend is not None:
            backend.close()
    return {
        "run_id": outcome.run_id,
        "codebook": codebook,
        "title": book.title,
        "items": len(outcome.results),
        "coded": outcome.coded,
        "mode": outcome.mode,
        "labelled": outcome.n_labelled,
        "no_code": outcome.n_no_code,
        "not_coded": left_out_words(outcome.scope, book.title),
    }


def _types(value: Any) -> list[str] | None:
    """The job's evidence types (None: the framework's usual evidence)."""
    return [str(v) for v in value] if isinstance(value, list) else None


def register(svc: Services) -> None:
    """Register the coding job with the app's job runner."""
    svc.jobs.register(KIND, lambda ctx: _code(svc, ctx))


def running(request: Request, actor: Actor) -> JobRecord | None:
    """The workspace's coding job, if one is queued or running."""
    return services(request).jobs.active(actor.workspace.id, KEY)


def start_coding(
    request: Request,
    actor: Actor,
    *,
    codebook: str,
    embedder: str,
    threshold: float | None,
    label: str,
    evidence_types: list[str] | None = None,
) -> JobRecord:
    """Start coding the workspace (or return the coding job already running there).

    ``evidence_types`` are the kinds of evidence to code (None: the framework's usual).
    """
    return services(request).jobs.start(
        KIND,
        KEY,
        None,
        owner_of(actor),
        workspace_id=actor.workspace.id,
        label=label,
        parameters={
            "codebook": codebook,
            "embedder": embedder,
            "threshold": threshold,
            "evidence_types": evidence_types,
        },
        steps=STAGES,
    )


__all__ = ["KIND", "STAGES", "embedder_for", "embedder_names", "running", "start_coding"]
