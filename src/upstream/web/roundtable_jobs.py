"""Quick live themes of a roundtable's responses, worked out as background jobs.

After responses arrive, :func:`refresh_soon` starts a job for the roundtable
unless one is going (at most one per roundtable at a time). The job works the
themes out again until they cover every response stored, so responses that
arrive while it works are included without a second job; and the live page
starts a job whenever the stored themes are behind the responses, which also
covers a restart of the server.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.requests import Request

from upstream.jobs import JobContext
from upstream.store.roundtable_repository import RoundtableStore
from upstream.web.background import job_actor, owner_of
from upstream.web.permissions import Actor
from upstream.web.settings import Services, services
from upstream.workflows.network.roundtables import refresh_live

KIND = "roundtable"
MAX_ROUNDS = 20  # a steady stream of responses still lets the job end

__all__ = ["KIND", "refresh_soon", "refreshing", "register"]


def _key(roundtable_id: int) -> str:
    return f"roundtable:{roundtable_id}"


def _refresh(svc: Services, ctx: JobContext) -> Mapping[str, Any]:
    workspace = job_actor(svc, ctx.job).workspace
    roundtable_id = int(ctx.parameters["roundtable_id"])
    store = RoundtableStore(workspace)
    covered = 0
    for _ in range(MAX_ROUNDS):
        ctx.stage("Working out the themes of the responses so far")
        covered = refresh_live(workspace, roundtable_id)
        if store.response_count(roundtable_id) <= covered:
            break
    return {"roundtable_id": roundtable_id, "responses": covered}


def register(svc: Services) -> None:
    """Register the live-themes job with the app's job runner."""
    svc.jobs.register(KIND, lambda ctx: _refresh(svc, ctx))


def refresh_soon(request: Request, actor: Actor, roundtable_id: int) -> bool:
    """Re-theme a roundtable's responses in the background; return whether a new job started."""
    jobs = services(request).jobs
    if jobs.active(actor.workspace.id, _key(roundtable_id)) is not None:
        return False  # the job going re-checks the responses before it ends
    jobs.start(
        KIND,
        _key(roundtable_id),
        None,
        owner_of(actor),
        workspace_id=actor.workspace.id,
        label="Quick roundtable themes",
        parameters={"roundtable_id": roundtable_id},
    )
    return True


def refreshing(request: Request, actor: Actor, roundtable_id: int) -> bool:
    """Whether the roundtable's live themes are being worked out now."""
    return services(request).jobs.active(actor.workspace.id, _key(roundtable_id)) is not None
