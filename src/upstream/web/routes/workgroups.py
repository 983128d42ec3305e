"""Workgroups formed around shared themes and barriers, with notes, actions and evidence links.

Anyone in the workspace may read workgroups; conveners (``Can.CONVENE``)
create them and invite people; members of a group (and conveners) keep its
notes, actions and evidence links. Every change is audited by the store.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from upstream.store import StoreError
from upstream.store.workgroup_repository import MemberRecord, WorkgroupRecord, WorkgroupStore
from upstream.web.forms import parse_date
from upstream.web.permissions import Actor, Can, need
from upstream.web.routes.peers import code_url, evidence_for, people_of
from upstream.web.templating import render
from upstream.workflows.network.peers import THEME_PREFIX
from upstream.workflows.network.workgroups import suggest_workgroups, suggestion_for

router = APIRouter(include_in_schema=False)
Browser = Annotated[Actor, Depends(need(Can.BROWSE))]
Convener = Annotated[Actor, Depends(need(Can.CONVENE))]
MESSAGES = {
    "created": "The workgroup was created.",
    "invited": "The person was invited.",
    "already": "That person is already in the group.",
    "note": "The note was saved.",
    "action": "The action was added.",
    "done": "The action was updated.",
    "linked": "The evidence was linked.",
}


def _list_page(
    request: Request, actor: Actor, *, error: str = "", form: dict[str, Any] | None = None
) -> Response:
    evidence, visible = evidence_for(actor)
    groups = WorkgroupStore(actor.workspace).workgroups()
    people = people_of(request, actor)
    return render(
        request,
        "workgroups.html",
        {
            "title": "Workgroups",
            "suggestions": suggest_workgroups(evidence, visible, people, groups),
            "private": actor.evidence.private_ids(),
            "groups": groups,
            "people": people,
            "titles": {key: info.title for key, info in evidence.codes.items()},
            "focus_choices": sorted(
                ((k, i.title) for k, i in evidence.codes.items()), key=lambda p: p[1]
            ),
            "error": error,
            "form": form or {},
            "code_url": code_url,
        },
        status_code=400 if error else 200,
        active="network",
    )


@router.get("/w/{workspace_id}/workgroups")
def workgroups(request: Request, actor: Browser) -> Response:
    """Suggested workgroups (grounded in evidence) and the workgroups already formed."""
    return _list_page(request, actor)


@router.post("/w/{workspace_id}/workgroups")
def create_workgroup(
    request: Request,
    actor: Convener,
    suggestion: Annotated[str, Form(max_length=300)] = "",
    name: Annotated[str, Form(max_length=200)] = "",
    purpose: Annotated[str, Form(max_length=5000)] = "",
    focus: Annotated[list[str] | None, Form()] = None,
    members: Annotated[list[str] | None, Form()] = None,
) -> Response:
    """Create a workgroup from a suggestion (one click) or from scratch."""
    store = WorkgroupStore(actor.workspace)
    people = {p.email: p for p in people_of(request, actor)}
    me = people.get(actor.user.email, MemberRecord(actor.user.email, ""))
    if suggestion:
        evidence, visible = evidence_for(actor)
        found = suggestion_for(evidence, suggestion, visible, list(people.values()))
        if found is None:
            return _list_page(request, actor, error="That suggestion no longer has evidence.")
        group_id = store.create(
            found.name,
            purpose=found.purpose,
            focus=[suggestion],
            members=[me, *found.people],
            actor=actor.user.email,
        )
        return RedirectResponse(
            f"/w/{actor.workspace.id}/workgroups/{group_id}?done=created", status_code=303
        )
    form = {"name": name, "purpose": purpose, "focus": focus or [], "members": members or []}
    if not name.strip():
        return _list_page(request, actor, error="Give the workgroup a name.", form=form)
    unknown = [email for email in members or [] if email not in people]
    if unknown:
        return _list_page(request, actor, error="Invite only people in this workspace.", form=form)
    group_id = store.create(
        name.strip(),
        purpose=purpose.strip(),
        focus=[f for f in focus or [] if f],
        members=[me, *(people[e] for e in members or [])],
        actor=actor.user.email,
    )
    return RedirectResponse(
        f"/w/{actor.workspace.id}/workgroups/{group_id}?done=created", status_code=303
    )


def _group(actor: Actor, group_id: int) -> WorkgroupRecord:
    group = WorkgroupStore(actor.workspace).workgroup(group_id)
    if group is None:
        raise HTTPException(status_code=404, detail="There is no such workgroup here.")
    return group


def _may_work(actor: Actor, group: WorkgroupRecord) -> bool:
    return actor.can(Can.CONVENE) or group.has_member(actor.user.email)


def _worker(actor: Actor, group_id: int) -> WorkgroupRecord:
    group = _group(actor, group_id)
    if not _may_work(actor, group):
        raise HTTPException(
            status_code=403, detail="Only the group's members and conveners can do this."
        )
    return group


def _group_page(
    request: Request,
    actor: Actor,
    group: WorkgroupRecord,
    *,
    message: str = "",
    error: str = "",
    form: dict[str, str] | None = None,
) -> Response:
    evidence, visible = evidence_for(actor)
    items = []
    hidden = 0
    for link in group.links:
        if link.kind != "item":
            continue
        record = actor.evidence.item(int(link.target)) if link.target.isdigit() else None
        if record is None:
            hidden += 1
        else:
            items.append(record)
    focus = [evidence.info(key) for key in group.focus]
    linked_codes = [evidence.info(link.target) for link in group.links if link.kind != "item"]
    quotes = [q for key in group.focus for q in evidence.quotes(key, visible, limit=3)][:6]
    return render(
        request,
        "workgroup.html",
        {
            "title": group.name,
            "group": group,
            "private": actor.evidence.private_ids(),
            "focus": focus,
            "linked_codes": linked_codes,
            "items": items,
            "hidden": hidden,
            "focus_quotes": quotes,
            "may_work": _may_work(actor, group),
            "people": people_of(request, actor),
            "code_choices": sorted(
                ((k, i.title) for k, i in evidence.codes.items()), key=lambda p: p[1]
            ),
            "message": message,
            "error": error,
            "form": form or {},
            "code_url": code_url,
            "recommend_codes": [k.removeprefix(THEME_PREFIX) for k in group.focus],
        },
        status_code=400 if error else 200,
        active="network",
    )


@router.get("/w/{workspace_id}/workgroups/{group_id}")
def workgroup(request: Request, actor: Browser, group_id: int, done: str = "") -> Response:
    """One workgroup: its members, focus, notes, actions and linked evidence."""
    return _group_page(request, actor, _group(actor, group_id), message=MESSAGES.get(done, ""))


def _back(actor: Actor, group_id: int, done: str) -> Response:
    return RedirectResponse(
        f"/w/{actor.workspace.id}/workgroups/{group_id}?done={done}", status_code=303
    )


@router.post("/w/{workspace_id}/workgroups/{group_id}/members")
def invite(
    request: Request,
    actor: Convener,
    group_id: int,
    email: Annotated[str, Form(max_length=320)] = "",
) -> Response:
    """Invite a person of the workspace into the group."""
    group = _group(actor, group_id)
    person = next((p for p in people_of(request, actor) if p.email == email), None)
    if person is None:
        return _group_page(request, actor, group, error="Choose a person in this workspace.")
    added = WorkgroupStore(actor.workspace).add_member(group_id, person, actor=actor.user.email)
    return _back(actor, group_id, "invited" if added else "already")


@router.post("/w/{workspace_id}/workgroups/{group_id}/notes")
def add_note(
    request: Request,
    actor: Browser,
    group_id: int,
    text: Annotated[str, Form(max_length=20000)] = "",
) -> Response:
    """Keep a note."""
    group = _worker(actor, group_id)
    if not text.strip():
        return _group_page(
            request, actor, group, error="Write the note first.", form={"note": text}
        )
    WorkgroupStore(actor.workspace).add_note(group_id, text.strip(), actor=actor.user.email)
    return _back(actor, group_id, "note")


@router.post("/w/{workspace_id}/workgroups/{group_id}/actions")
def add_action(
    request: Request,
    actor: Browser,
    group_id: int,
    text: Annotated[str, Form(max_length=2000)] = "",
    owner: Annotated[str, Form(max_length=320)] = "",
    due: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Add an action with an owner and a due date."""
    group = _worker(actor, group_id)
    problems: list[str] = []
    when: date | None = parse_date(due.strip(), "The due date", problems)
    if not text.strip():
        problems.append("Say what the action is.")
    if problems:
        form = {"action": text, "owner": owner, "due": due}
        return _group_page(request, actor, group, error=" ".join(problems), form=form)
    WorkgroupStore(actor.workspace).add_action(
        group_id, text.strip(), owner=owner.strip(), due=when, actor=actor.user.email
    )
    return _back(actor, group_id, "action")


@router.post("/w/{workspace_id}/workgroups/{group_id}/actions/{action_id}")
def set_action_done(
    actor: Browser,
    group_id: int,
    action_id: int,
    done: Annotated[str, Form(max_length=5)] = "",
) -> Response:
    """Mark an action done, or not done."""
    _worker(actor, group_id)
    try:
        WorkgroupStore(actor.workspace).set_action_done(
            group_id, action_id, done == "1", actor=actor.user.email
        )
    except StoreError as exc:
        raise HTTPException(status_code=404, detail="There is no such action.") from exc
    return _back(actor, group_id, "done")


@router.post("/w/{workspace_id}/workgroups/{group_id}/links")
def add_link(
    request: Request,
    actor: Browser,
    group_id: int,
    item: Annotated[str, Form(max_length=20)] = "",
    code: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    """Link an item (by its number) or a code or theme the group drew on."""
    group = _worker(actor, group_id)
    store = WorkgroupStore(actor.workspace)
    if item.strip():
        number = item.strip().removeprefix("#")
        if not number.isdigit() or actor.evidence.item(int(number)) is None:
            return _group_page(
                request,
                actor,
                group,
                error="There is no item with that number you can see.",
                form={"item": item},
            )
        store.add_link(group_id, "item", number, actor=actor.user.email)
    elif code:
        kind = "theme" if code.startswith(THEME_PREFIX) else "code"
        store.add_link(group_id, kind, code, actor=actor.user.email)
    else:
        return _group_page(request, actor, group, error="Give an item number or choose a code.")
    return _back(actor, group_id, "linked")
