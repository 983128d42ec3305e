"""Workspaces, organisations, the run history and the learning network's start page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from upstream.store import StoreError
from upstream.web.permissions import Actor, Can, actor_for, need, require_user
from upstream.web.routes.peers import code_url
from upstream.web.settings import services
from upstream.web.templating import render
from upstream.workflows.network.peers import network_evidence
from upstream.workflows.overview import (
    holdings,
    theme_run_covers,
    top_codes,
    top_themes,
    waiting,
)

router = APIRouter(include_in_schema=False)
Browser = Annotated[Actor, Depends(need(Can.BROWSE))]
Analyst = Annotated[Actor, Depends(need(Can.VIEW_RUNS))]
Convener = Annotated[Actor, Depends(need(Can.MANAGE_ORGANISATIONS))]


@router.get("/workspaces")
def workspaces(request: Request) -> Response:
    """The workspaces the person belongs to."""
    user = require_user(request)
    svc = services(request)
    rows = []
    for member in svc.accounts.memberships(user.id):
        try:
            rows.append((member, svc.store.workspace(member.workspace).info()))
        except StoreError:  # pragma: no cover - deleted meanwhile
            continue
    return render(
        request, "workspaces.html", {"title": "Workspaces", "rows": rows}, active="workspaces"
    )


@router.get("/go")
def switch_workspace(request: Request, workspace: int) -> Response:
    """The workspace switcher (a plain GET form, so it works without JavaScript)."""
    actor_for(request, workspace)
    return RedirectResponse(f"/w/{workspace}", status_code=303)


@router.get("/w/{workspace_id}")
def workspace_home(request: Request, actor: Browser) -> Response:
    """A workspace's home: what it holds, what stands out, and what needs a person."""
    analyst = actor.can(Can.VIEW_RUNS)
    network = network_evidence(actor.workspace) if analyst else None
    theme_run, themes = top_themes(actor.evidence) if analyst else (None, [])
    return render(
        request,
        "home.html",
        {
            "title": actor.workspace.info().name,
            "holdings": holdings(actor.evidence),
            "barriers": top_codes(actor.evidence, "barrier", network=network) if network else [],
            "enablers": top_codes(actor.evidence, "enabler", network=network) if network else [],
            "theme_run": theme_run,
            "themes": themes,
            "themes_cover": theme_run_covers(actor.evidence, theme_run) if theme_run else "",
            "waiting": waiting(actor.workspace, actor.evidence) if analyst else None,
            "code_url": code_url,
            "private": actor.evidence.private_ids() if network else set(),
        },
        active="home",
    )


@router.get("/w/{workspace_id}/organisations")
def organisations(request: Request, actor: Browser, added: bool = False) -> Response:
    """Organisations in the workspace, with the items the person can see."""
    message = "The organisation was added." if added else ""
    return render(
        request,
        "organisations.html",
        {
            "title": "Organisations",
            "organisations": actor.evidence.organisations(),
            "message": message,
            "error": "",
        },
        active="workspaces",
    )


@router.post("/w/{workspace_id}/organisations")
def add_organisation(
    request: Request,
    actor: Convener,
    name: Annotated[str, Form(max_length=300)] = "",
    kind: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Add an organisation (workspace owners only)."""
    name = name.strip()
    if not name:
        return render(
            request,
            "organisations.html",
            {
                "title": "Organisations",
                "organisations": actor.evidence.organisations(),
                "message": "",
                "error": "Enter the organisation's name.",
            },
            status_code=400,
            active="workspaces",
        )
    with actor.workspace.writer() as writer:
        org_id = writer.describe_organisation(name, kind=kind.strip())
        writer.audit(actor.user.email, "edit", "organisation", org_id, name=name, kind=kind)
    return RedirectResponse(f"/w/{actor.workspace.id}/organisations?added=1", status_code=303)


@router.get("/w/{workspace_id}/runs")
def runs(request: Request, actor: Analyst) -> Response:
    """The history of analysis runs."""
    return render(
        request, "runs.html", {"title": "History", "runs": actor.evidence.runs()}, active="runs"
    )


@router.get("/w/{workspace_id}/runs/{run_id}")
def run_detail(request: Request, actor: Analyst, run_id: int) -> Response:
    """One run's parameters, versions and summary."""
    run = actor.evidence.run(run_id)
    if run is None:
        raise HTTPException(status_code=404, detail="There is no such run in this workspace.")
    return render(request, "run.html", {"title": f"Run {run.id}", "run": run}, active="runs")


@router.get("/w/{workspace_id}/network")
def network(request: Request, actor: Browser) -> Response:
    """The learning network's start page: collections, workgroups, library, roundtables."""
    return render(
        request,
        "network.html",
        {"title": "Learning network", "organisations": actor.evidence.organisations()},
        active="network",
    )
