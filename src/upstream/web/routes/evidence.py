"""The evidence browser, item pages, item edits, CSV export and the contribution form."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from upstream.store.records import ItemRecord
from upstream.web.forms import FILTER_KEYS, csv_rows, evidence_query, is_filtered, parse_date
from upstream.web.permissions import Actor, Can, need
from upstream.web.settings import services
from upstream.web.templating import render

router = APIRouter(include_in_schema=False)
Browser = Annotated[Actor, Depends(need(Can.BROWSE))]
Exporter = Annotated[Actor, Depends(need(Can.EXPORT))]
Manager = Annotated[Actor, Depends(need(Can.MANAGE_EVIDENCE))]
Contributor = Annotated[Actor, Depends(need(Can.CONTRIBUTE))]
NOT_FOUND = "There is no such item, or it is private to another organisation."


def _args(request: Request) -> dict[str, str]:
    return {k: request.query_params.get(k, "") for k in FILTER_KEYS}


@router.get("/w/{workspace_id}/evidence")
def browse(request: Request, actor: Browser, page: int = 1) -> Response:
    """A page of evidence, searched and filtered."""
    args = _args(request)
    query, problems = evidence_query(args)
    size = services(request).settings.page_size
    page = max(1, page)
    evidence = actor.evidence
    items, total = evidence.search(query, limit=size, offset=(page - 1) * size)
    pages = max(1, -(-total // size))
    contributor = actor.role == "contributor"
    sources = [] if contributor else evidence.sources()
    return render(
        request,
        "evidence.html",
        {
            "title": "Evidence",
            "items": items,
            "total": total,
            "page": page,
            "pages": pages,
            "args": args,
            "filtered": is_filtered(query),
            "problems": problems,
            "organisations": [] if contributor else evidence.organisation_names(),
            "sources": sources,
            "attributes": evidence.attribute_names([i for i, _ in sources] or None),
        },
        active="evidence",
    )


@router.get("/w/{workspace_id}/evidence/export.csv")
def export_csv(request: Request, actor: Exporter) -> Response:
    """Every matching item as CSV; cells that could run as formulas are made inert."""
    query, problems = evidence_query(_args(request))
    if problems:
        raise HTTPException(status_code=400, detail=" ".join(problems))
    evidence = actor.evidence
    services(request).accounts.audit(
        actor.user.email,
        "export",
        "evidence",
        workspace_id=actor.workspace.id,
        filters={k: v for k, v in _args(request).items() if v},
        format="csv",
    )
    header = [
        "id",
        "text",
        "organisation",
        "date",
        "author_role",
        "external_id",
        "source_id",
        "line",
        "shared",
        "attributes",
        "engagement",
    ]

    def rows() -> Iterator[list[object]]:
        for item in evidence.iter_items(query):
            yield [
                item.id,
                item.text,
                item.organisation or "",
                item.item_date or "",
                item.author_role or "",
                item.external_id or "",
                item.source_id,
                item.line,
                "yes" if item.shared else "no",
                json.dumps(item.attributes, ensure_ascii=False) if item.attributes else "",
                json.dumps(item.engagement, ensure_ascii=False) if item.engagement else "",
            ]

    filename = f"upstream-evidence-{date.today().isoformat()}.csv"
    return StreamingResponse(
        csv_rows(header, rows()),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _visible_item(actor: Actor, item_id: int) -> ItemRecord:
    item = actor.evidence.item(item_id)
    if item is None:
        raise HTTPException(status_code=404, detail=NOT_FOUND)
    return item


@router.get("/w/{workspace_id}/evidence/{item_id}")
def item_page(request: Request, actor: Browser, item_id: int, done: str = "") -> Response:
    """One item in full, with its codes (404 when it may not be seen)."""
    item = _visible_item(actor, item_id)
    messages = {
        "shared": "The item is now shared with the whole workspace.",
        "private": "The item is now private to its organisation.",
    }
    codings = actor.evidence.codings(item.id) if actor.can(Can.VIEW_RUNS) else []
    return render(
        request,
        "item.html",
        {
            "title": f"Item {item.id}",
            "item": item,
            "source_name": actor.evidence.source_name(item.source_id),
            "codings": codings,
            "can_manage": actor.can_manage_item(item.organisation),
            "message": messages.get(done, ""),
        },
        active="evidence",
    )


@router.post("/w/{workspace_id}/evidence/{item_id}/share")
def share_item(
    actor: Manager, item_id: int, shared: Annotated[str, Form(max_length=1)] = "1"
) -> Response:
    """Share an item with the workspace, or make it private to its organisation."""
    item = _visible_item(actor, item_id)
    if not actor.can_manage_item(item.organisation):
        raise HTTPException(status_code=403, detail="Only its own organisation can change this.")
    on = shared == "1"
    actor.evidence.set_shared(item.id, on, actor=actor.user.email)
    return RedirectResponse(
        f"/w/{actor.workspace.id}/evidence/{item.id}?done={'shared' if on else 'private'}",
        status_code=303,
    )


@router.post("/w/{workspace_id}/evidence/{item_id}/delete")
def delete_item(actor: Manager, item_id: int) -> Response:
    """Delete an item for everyone."""
    item = _visible_item(actor, item_id)
    if not actor.can_manage_item(item.organisation):
        raise HTTPException(status_code=403, detail="Only its own organisation can delete it.")
    actor.evidence.delete_item(item.id, actor=actor.user.email)
    return RedirectResponse(f"/w/{actor.workspace.id}/evidence", status_code=303)


@router.get("/w/{workspace_id}/contribute")
def contribute_form(request: Request, actor: Contributor, sent: int = 0) -> Response:
    """The form for sending a story or response."""
    return _contribute_page(request, actor, {"text": "", "question": "", "item_date": ""}, sent)


def _contribute_page(
    request: Request,
    actor: Actor,
    form: dict[str, str],
    sent: int = 0,
    problems: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "contribute.html",
        {
            "title": "Submit evidence",
            "form": form,
            "problems": problems or [],
            "message": "Thank you: your submission was saved." if sent else "",
            "item_id": sent,
        },
        status_code=status_code,
        active="evidence",
    )


@router.post("/w/{workspace_id}/contribute")
def contribute(
    request: Request,
    actor: Contributor,
    text: Annotated[str, Form(max_length=20000)] = "",
    question: Annotated[str, Form(max_length=300)] = "",
    item_date: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Save a contribution, private to the contributor's organisation."""
    problems: list[str] = []
    when = parse_date(item_date.strip(), "The date", problems)
    if not text.strip():
        problems.append("Write your story or response before submitting.")
    if problems:
        form = {"text": text, "question": question, "item_date": item_date}
        return _contribute_page(request, actor, form, problems=problems, status_code=400)
    item_id = actor.evidence.submit(
        email=actor.user.email,
        organisation=actor.member.organisation,
        text=text.strip(),
        item_date=when,
        question=question.strip(),
    )
    return RedirectResponse(f"/w/{actor.workspace.id}/contribute?sent={item_id}", status_code=303)
