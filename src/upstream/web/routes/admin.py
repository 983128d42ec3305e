"""Workspace administration: people's roles and the audit log."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from upstream.store.accounts import AccountError
from upstream.web.permissions import ROLE_LABELS, Actor, Can, actor_for
from upstream.web.settings import services
from upstream.web.templating import render

router = APIRouter(include_in_schema=False)
AUDIT_SHOWN = 200


def _admin(request: Request, workspace_id: int) -> Actor:
    actor = actor_for(request, workspace_id)
    if not (actor.can(Can.MANAGE_MEMBERS) or actor.can(Can.VIEW_AUDIT)):
        raise HTTPException(status_code=403, detail="Only admins can see this page.")
    return actor


@router.get("/w/{workspace_id}/admin")
def admin_page(request: Request, workspace_id: int, changed: str = "") -> Response:
    """Members with their roles (changeable where allowed) and the latest audit entries."""
    actor = _admin(request, workspace_id)
    message = {"1": "The role was changed.", "removed": "The person was removed."}.get(changed, "")
    return _page(request, actor, message=message)


@router.post("/w/{workspace_id}/admin/members")
def add_member(
    request: Request,
    workspace_id: int,
    email: Annotated[str, Form(max_length=320)] = "",
    name: Annotated[str, Form(max_length=200)] = "",
    role: Annotated[str, Form(max_length=30)] = "",
    organisation: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    """Add a person to the workspace with a role; a new account gets a password shown once."""
    actor = _admin(request, workspace_id)
    if role not in actor.roles_for_new_members():
        raise HTTPException(status_code=403, detail="You cannot give that role.")
    if not actor.can(Can.ANY_ORGANISATION):
        # An organisation's admin adds people to their own organisation only.
        if not actor.member.organisation:
            raise HTTPException(status_code=403, detail="You do not act for an organisation.")
        organisation = actor.member.organisation
    accounts = services(request).accounts
    existing = accounts.user(email.strip())
    if existing is not None and any(
        m.user_id == existing.id for m in accounts.members(actor.workspace)
    ):
        return _page(
            request,
            actor,
            error=f"{existing.email} is already in this workspace: change their role below.",
            status_code=400,
        )
    password = None
    if existing is None or not existing.has_password:
        password = secrets.token_urlsafe(12)
    try:
        user, _created = accounts.ensure_user(email.strip(), password=password, display_name=name)
        member = accounts.set_membership(
            actor.workspace,
            user.email,
            role,
            organisation=organisation.strip() or None,
            actor=actor.user.email,
        )
    except AccountError as exc:
        return _page(request, actor, error=str(exc), status_code=400)
    where = f" for {member.organisation}" if member.organisation else ""
    said = f"Added {user.email} as {ROLE_LABELS.get(member.role, member.role).lower()}{where}."
    if password:
        said += (
            f" Their password is {password} . It is shown only this once: give it to them "
            "in person or by phone, not in the same email as their address."
        )
    else:
        said += " They sign in with the password they already have."
    return _page(request, actor, message=said)


def _page(
    request: Request, actor: Actor, *, message: str = "", error: str = "", status_code: int = 200
) -> Response:
    members = services(request).accounts.members(actor.workspace)
    audit = actor.evidence.audit_log(AUDIT_SHOWN) if actor.can(Can.VIEW_AUDIT) else None
    if not actor.can(Can.ANY_ORGANISATION):
        # Organisation admins look after their own organisation's people, and see what
        # those people did, not what other organisations did.
        members = [m for m in members if m.organisation_id == actor.member.organisation_id]
        emails = {m.email for m in members}
        if audit is not None:
            audit = [e for e in actor.evidence.audit_log(AUDIT_SHOWN * 5) if e.actor in emails]
            audit = audit[:AUDIT_SHOWN]
    organisations = (
        actor.evidence.organisation_names()
        if actor.can(Can.ANY_ORGANISATION)
        else [actor.member.organisation or ""]
    )
    return render(
        request,
        "admin.html",
        {
            "title": "Admin",
            "members": members,
            "audit": audit,
            "message": message,
            "error": error,
            "new_roles": actor.roles_for_new_members(),
            "organisations": [o for o in organisations if o],
        },
        status_code=status_code,
        active="admin",
    )


@router.post("/w/{workspace_id}/admin/members/{user_id}/role")
def change_role(
    request: Request,
    workspace_id: int,
    user_id: int,
    role: Annotated[str, Form(max_length=30)] = "",
) -> Response:
    """Change a member's role, if the signed-in person may give that role."""
    actor = _admin(request, workspace_id)
    accounts = services(request).accounts
    target = accounts.member(actor.workspace.id, user_id)
    if target is None:
        raise HTTPException(status_code=404, detail="That person is not in this workspace.")
    if role not in actor.assignable_roles(target):
        label = ROLE_LABELS.get(role, "that role")
        raise HTTPException(status_code=403, detail=f"You cannot make this person {label}.")
    try:
        accounts.set_membership(
            actor.workspace, target.email, role, keep_organisation=True, actor=actor.user.email
        )
    except AccountError as exc:  # pragma: no cover - checked above
        raise HTTPException(status_code=400, detail=str(exc)) from exc
    return RedirectResponse(f"/w/{actor.workspace.id}/admin?changed=1", status_code=303)


@router.post("/w/{workspace_id}/admin/members/{user_id}/remove")
def remove_member(request: Request, workspace_id: int, user_id: int) -> Response:
    """Take a person out of the workspace, if the signed-in person may change their role."""
    actor = _admin(request, workspace_id)
    accounts = services(request).accounts
    target = accounts.member(actor.workspace.id, user_id)
    if target is None:
        raise HTTPException(status_code=404, detail="That person is not in this workspace.")
    if not actor.assignable_roles(target):
        raise HTTPException(status_code=403, detail="You cannot remove this person.")
    accounts.remove_membership(actor.workspace, target.email, actor=actor.user.email)
    return RedirectResponse(f"/w/{actor.workspace.id}/admin?changed=removed", status_code=303)
