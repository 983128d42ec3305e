"""The one page for every background job, and starting a stopped job again.

* ``/w/{id}/jobs/{job}``: how far the job has got (refreshes itself while it
  runs), why it failed or that it was interrupted, or what it produced.
* ``POST /w/{id}/jobs/{job}/restart``: run a failed or interrupted job again
  from its stored parameters.

Who may see a job is decided by :func:`upstream.web.permissions.may_see_job`.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from upstream.jobs import JobError
from upstream.store.job_repository import JobRecord
from upstream.web.background import KINDS, job_path
from upstream.web.permissions import ROLE_LABELS, Actor, Can, may_see_job, need
from upstream.web.settings import services
from upstream.web.templating import render

router = APIRouter(include_in_schema=False)
Member = Annotated[Actor, Depends(need(Can.BROWSE))]
ACTIVE = {
    "coding": "coding",
    "themes": "themes",
    "survey": "surveys",
    "collection": "network",
    "roundtable": "network",
}


def visible_job(request: Request, actor: Actor, job_id: str) -> JobRecord:
    """The job with this id, if ``actor`` may see it (404 otherwise)."""
    job = services(request).jobs.get(job_id)
    if job is None or not may_see_job(actor, job):
        raise HTTPException(status_code=404, detail="There is no such job.")
    return job


def _extras(job: JobRecord) -> dict[str, Any]:
    if job.kind == "import":
        from upstream.web.routes.imports import rejects_preview

        return {"rejects": rejects_preview(job)}
    return {}


@router.get("/w/{workspace_id}/jobs/{job_id}")
def job_page(request: Request, actor: Member, job_id: str) -> Response:
    """A job's progress; when it has ended, what it produced or why it did not finish."""
    job = visible_job(request, actor, job_id)
    kind = KINDS.get(job.kind)
    return render(
        request,
        "job.html",
        {
            "title": job.label,
            "job": job,
            "kind": kind,
            "can_restart": services(request).jobs.restartable(job)
            and (kind is None or actor.can(kind.restart_needs)),
            **_extras(job),
        },
        active=ACTIVE.get(job.kind, "evidence"),
    )


@router.post("/w/{workspace_id}/jobs/{job_id}/restart")
def restart(request: Request, actor: Member, job_id: str) -> Response:
    """Run a failed or interrupted job again; go to its page."""
    job = visible_job(request, actor, job_id)
    kind = KINDS.get(job.kind)
    if kind is not None and not actor.can(kind.restart_needs):
        raise HTTPException(
            status_code=403, detail=f"Your role ({ROLE_LABELS[actor.role]}) does not allow this."
        )
    try:
        again = services(request).jobs.restart(job.id)
    except JobError as exc:
        raise HTTPException(status_code=409, detail=str(exc)) from exc
    return RedirectResponse(job_path(again), status_code=303)


def _moved(actor: Member, job_id: str) -> Response:
    return RedirectResponse(f"/w/{actor.workspace.id}/jobs/{job_id}", status_code=303)


# Addresses job pages had before every job shared one page.
for _old in ("coding", "themes", "surveys"):
    router.add_api_route(f"/w/{{workspace_id}}/{_old}/jobs/{{job_id}}", _moved, methods=["GET"])
