"""Coding runs as background jobs: start one, follow its stages, find the latest per workspace.

The job itself is :func:`upstream.workflows.coding.code_workspace` (which also
writes the audit entry); this module only adds progress (its stages as steps) and a small
registry kept on the app so a reload finds the run still going.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request

from upstream.frameworks import CodebookError, load_codebook
from upstream.store import StoreError
from upstream.web.jobs import Job, JobFailed, JobFunction, Progress
from upstream.web.permissions import Actor
from upstream.web.settings import Services, services
from upstream.web.staged_jobs import StagedJobs, Steps, staged_jobs

STAGES = 4  # reading, learning or preparing, coding, saving


def registry(request: Request) -> StagedJobs:
    """The app's coding jobs: the latest per workspace, and each one's stage."""
    return staged_jobs(request, "coding_jobs")


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
    stage: dict[str, Any],
) -> JobFunction:
    workspace = actor.workspace
    email = actor.user.email

    def run(progress: Progress) -> dict[str, Any]:
        # The coder brings scikit-learn and friends: load them when a run starts, not at start-up.
        from upstream.embed import MissingExtraError
        from upstream.workflows.coding import code_workspace

        on_stage = Steps(progress, stage, STAGES)
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
        on_stage.finish()
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
    stage = {"text": "Waiting to start"}
    return registry(request).start(
        svc,
        actor.workspace.id,
        _job(svc, actor, codebook, embedder, threshold, stage),
        stage,
        user_id=actor.user.id,
        workspace_id=actor.workspace.id,
        label=label,
    )


__all__ = ["STAGES", "embedder_for", "embedder_names", "registry", "start_coding"]
