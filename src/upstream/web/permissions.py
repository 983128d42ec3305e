"""Who may do what: the one place roles, capabilities and visibility are decided.

Every route gets its :class:`Actor` from :func:`need`, which signs the person in
(session cookie or API token), checks they belong to the workspace (404 if not)
and that their role grants the capability (403 if not). What evidence they may
see is a :class:`~upstream.store.accounts.Scope` made by :func:`scope_for` and
applied inside the store's SQL, so a hidden item is simply "not found".
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import cast
from urllib.parse import quote

from fastapi import HTTPException
from starlette.requests import Request

from upstream.store import Workspace
from upstream.store.accounts import MemberRecord, Scope, UserRecord
from upstream.store.job_repository import JobRecord
from upstream.store.visibility import ScopedEvidence
from upstream.web.security import SAFE_METHODS, bearer_token, current_session
from upstream.web.settings import services


class Can(StrEnum):
    """Things a role may be allowed to do in a workspace."""

    BROWSE = "browse"  # read evidence (contributors: only their own)
    CONTRIBUTE = "contribute"  # submit evidence through the web form
    IMPORT = "import"  # import files through the wizard
    EXPORT = "export"  # download evidence as CSV
    MANAGE_EVIDENCE = "manage_evidence"  # share, make private or delete items
    VIEW_RUNS = "view_runs"  # see the run history, codings and themes
    CODE = "code"  # run coding and review the machine's suggestions
    MANAGE_MEMBERS = "manage_members"  # change people's roles
    VIEW_AUDIT = "view_audit"  # read the audit log
    MANAGE_ORGANISATIONS = "manage_organisations"  # add organisations
    CONVENE = "convene"  # run the network: collections, workgroups, library, roundtables
    SEE_SHARED = "see_shared"  # read shared evidence, not only what they submitted
    ASSESS = "assess"  # enter or update a self-assessment
    ANY_ORGANISATION = "any_organisation"  # act for every organisation, not only their own
    SEE_ALL_JOBS = "see_all_jobs"  # follow anyone's background jobs, not only their own


_ANALYST = {
    Can.BROWSE,
    Can.SEE_SHARED,
    Can.CONTRIBUTE,
    Can.IMPORT,
    Can.EXPORT,
    Can.VIEW_RUNS,
    Can.CODE,
    Can.ASSESS,
}
_ORG_ADMIN = _ANALYST | {Can.MANAGE_EVIDENCE, Can.MANAGE_MEMBERS, Can.VIEW_AUDIT, Can.CONVENE}
ROLE_CAPABILITIES: dict[str, frozenset[Can]] = {
    "owner": frozenset(Can),
    "org_admin": frozenset(_ORG_ADMIN),
    "analyst": frozenset(_ANALYST),
    "contributor": frozenset({Can.BROWSE, Can.CONTRIBUTE}),
    "viewer": frozenset({Can.BROWSE, Can.SEE_SHARED, Can.VIEW_RUNS}),
}
ROLE_LABELS: dict[str, str] = {
    "owner": "Network convener (owner)",
    "org_admin": "Organisation admin",
    "analyst": "Analyst",
    "contributor": "Contributor",
    "viewer": "Viewer",
}


class LoginRequired(Exception):
    """Raised when a page needs a signed-in person; pages redirect, the API answers 401."""


def scope_for(member: MemberRecord) -> Scope:
    """What evidence a member may see.

    Owners see everything; contributors only what they submitted; everyone else
    sees shared items plus their own organisation's private ones.
    """
    capabilities = ROLE_CAPABILITIES.get(member.role, frozenset())
    if Can.ANY_ORGANISATION in capabilities:
        return Scope(see_all=True)
    if Can.SEE_SHARED not in capabilities:
        return Scope(submitted_by=member.email)
    return Scope(organisation_id=member.organisation_id)


@dataclass(frozen=True)
class Actor:
    """A signed-in person acting in one workspace."""

    user: UserRecord
    member: MemberRecord
    workspace: Workspace

    @property
    def role(self) -> str:
        """Their role in this workspace."""
        return self.member.role

    def can(self, capability: Can) -> bool:
        """Whether their role grants ``capability`` (for some organisation, at least)."""
        return capability in ROLE_CAPABILITIES.get(self.role, frozenset())

    def may(self, capability: Can, *, organisation: str | None) -> bool:
        """Whether they may do ``capability`` for something of ``organisation``.

        Args:
            capability: What they want to do.
            organisation: Whose it is (None: no organisation's).

        Returns:
            True when their role grants it and either they act for every
            organisation or it is their own organisation's.
        """
        if not self.can(capability):
            return False
        if self.can(Can.ANY_ORGANISATION):
            return True
        own = self.member.organisation
        return bool(own) and organisation == own

    def may_edit_theme(self, visible_members: Collection[int]) -> bool:
        """Whether they may rename, merge or split a theme of which they see ``visible_members``.

        A theme found only in items private to another organisation is named by
        that organisation's words, so only someone acting for every organisation
        may change it.
        """
        if not self.can(Can.CODE):
            return False
        return bool(visible_members) or self.can(Can.ANY_ORGANISATION)

    def may_see_job(self, started_by: int | None) -> bool:
        """Whether they may follow a background job started by user ``started_by``."""
        return started_by == self.user.id or self.can(Can.SEE_ALL_JOBS)

    @property
    def own_submissions_only(self) -> bool:
        """Whether the evidence they see is only what they submitted themselves."""
        return not self.can(Can.SEE_SHARED)

    @property
    def evidence(self) -> ScopedEvidence:
        """The workspace's evidence as this person may see it."""
        return ScopedEvidence(self.workspace, scope_for(self.member))

    def can_manage_item(self, organisation: str | None) -> bool:
        """Whether they may share, make private or delete an item of ``organisation``."""
        return self.may(Can.MANAGE_EVIDENCE, organisation=organisation)

    def roles_for_new_members(self) -> list[str]:
        """Roles they may give someone they add (owner only by someone for every organisation)."""
        if not self.can(Can.MANAGE_MEMBERS):
            return []
        if self.can(Can.ANY_ORGANISATION):
            return list(ROLE_CAPABILITIES)
        return [role for role in ROLE_CAPABILITIES if role != "owner"]

    def assignable_roles(self, target: MemberRecord) -> list[str]:
        """Roles they may give ``target`` (empty when they may not change it at all)."""
        if not self.can(Can.MANAGE_MEMBERS) or target.user_id == self.user.id:
            return []
        if self.can(Can.ANY_ORGANISATION):
            return list(ROLE_CAPABILITIES)
        same_org = target.organisation_id is not None and (
            target.organisation_id == self.member.organisation_id
        )
        if not same_org or target.role == "owner":
            return []
        return [role for role in ROLE_CAPABILITIES if role != "owner"]


def is_api(request: Request) -> bool:
    """Whether the request is for the JSON API (errors are JSON, not pages)."""
    return request.url.path.startswith("/api/")


def signed_in_user(request: Request) -> UserRecord | None:
    """The person making the request: by API token on ``/api/``, else by session cookie.

    Pages ignore the ``Authorization`` header: a token is for the API only, and
    a page's forms are protected by the session's CSRF token instead. A token
    with the ``read`` scope may only read (403 for anything else).
    """
    if hasattr(request.state, "user"):
        return cast(UserRecord | None, request.state.user)
    accounts = services(request).accounts
    user: UserRecord | None = None
    token = bearer_token(request) if is_api(request) else None
    if token is not None:
        grant = accounts.token_grant(token)
        if grant is not None:
            user, scope = grant
            if scope != "write" and request.method not in SAFE_METHODS:
                request.state.user = None
                raise HTTPException(
                    status_code=403,
                    detail="This token may only read. Create a token with the write scope.",
                )
    else:
        session = current_session(request)
        if session is not None and session.user_id is not None:
            found = session.user or accounts.user_by_id(session.user_id)
            user = found if found is not None and found.is_active else None
    request.state.user = user
    return user


def require_user(request: Request) -> UserRecord:
    """The signed-in person, or :class:`LoginRequired`."""
    user = signed_in_user(request)
    if user is None:
        raise LoginRequired
    return user


def actor_for(request: Request, workspace_id: int) -> Actor:
    """The signed-in person acting in workspace ``workspace_id`` (404 if not a member)."""
    user = require_user(request)
    svc = services(request)
    member = svc.accounts.member(workspace_id, user.id)
    if member is None:
        raise HTTPException(status_code=404, detail="There is no such workspace.")
    # The membership was read with its workspace: no second lookup by name.
    workspace = Workspace(svc.store, member.workspace_id, member.workspace)
    actor = Actor(user=user, member=member, workspace=workspace)
    request.state.actor = actor
    return actor


def need(capability: Can) -> Callable[[Request, int], Actor]:
    """A route dependency: the :class:`Actor` in the path's workspace, if their role allows.

    Args:
        capability: What the route does.

    Returns:
        A dependency taking the ``workspace_id`` path parameter.
    """

    def dependency(request: Request, workspace_id: int) -> Actor:
        actor = actor_for(request, workspace_id)
        if not actor.can(capability):
            raise HTTPException(
                status_code=403,
                detail=f"Your role ({ROLE_LABELS[actor.role]}) does not allow this.",
            )
        return actor

    dependency.__name__ = f"need_{capability.value}"
    return dependency


def login_url(request: Request) -> str:
    """The sign-in page, coming back to the current page afterwards."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "/login?next=" + quote(here, safe="/")


def safe_next(value: str | None) -> str:
    r"""A local path to go to after signing in (never another site).

    Browsers ignore tabs and newlines in URLs and treat a backslash like a slash,
    so ``/\t/evil.example`` would become ``//evil.example``: any of those, or a
    leading ``//``, sends the person to the start page instead.
    """
    if not value or not value.startswith("/") or value.startswith("//"):
        return "/"
    if "\\" in value or any(ord(c) < 33 or ord(c) == 127 for c in value):
        return "/"
    return value


def may_see_job(actor: Actor, job: JobRecord) -> bool:
    """Whether ``actor`` may see (and restart) a background job.

    The person who started it may, and so may the workspace's owner; nobody
    sees another workspace's jobs.
    """
    if job.workspace_id != actor.workspace.id:
        return False
    return actor.may_see_job(job.owner_id)
