"""The JSON API under ``/api/``: the same people, roles and visibility as the pages.

Authenticate with ``Authorization: Bearer <token>`` (tokens come from
``upstream users token EMAIL``) or, from the browser, the session cookie. An item
another organisation keeps private is answered exactly like a missing one: 404.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.security import HTTPBearer
from pydantic import BaseModel, Field

from upstream.records.stored import ItemRecord
from upstream.store.accounts import AccountError, TokenRecord
from upstream.store.theme_repository import ThemeStore
from upstream.store.theme_visibility import theme_as_seen
from upstream.store.visibility import BrowseQuery
from upstream.web.forms import MAX_ID, evidence_query
from upstream.web.permissions import Actor, Can, need, require_user
from upstream.web.routes.evidence import NOT_FOUND
from upstream.web.settings import services
from upstream.workflows.describing_groups import AttributeValues, value_filter

bearer = HTTPBearer(auto_error=False, description="A token from `upstream users token EMAIL`.")
router = APIRouter(prefix="/api", dependencies=[Depends(bearer)])
Browser = Annotated[Actor, Depends(need(Can.BROWSE))]
Analyst = Annotated[Actor, Depends(need(Can.VIEW_RUNS))]


class WorkspaceOut(BaseModel):
    """A workspace the caller belongs to."""

    id: int
    name: str
    role: str
    organisation: str | None


class ItemOut(BaseModel):
    """One item of evidence."""

    id: int
    text: str
    source_id: int
    organisation: str | None
    external_id: str | None
    line: int
    author_role: str | None
    item_date: date | None
    attributes: dict[str, Any]
    engagement: dict[str, Any]
    shared: bool
    redacted: bool


class ItemPage(BaseModel):
    """A page of items and how many match in all."""

    total: int
    limit: int
    offset: int
    items: list[ItemOut]


class RunOut(BaseModel):
    """One analysis run, with what it was asked and how it went."""

    id: int
    kind: str
    status: str
    parameters: dict[str, Any]
    versions: dict[str, Any]
    seed: int | None
    summary: dict[str, Any]
    started_by: str
    started_at: datetime
    finished_at: datetime | None


class CodingOut(BaseModel):
    """An item tagged with a code."""

    id: int
    item_id: int
    code: str
    code_title: str
    origin: str
    status: str
    coder: str
    confidence: float | None
    run_id: int | None
    codebook: str = ""
    codebook_title: str = ""


class ThemeOut(BaseModel):
    """A theme, with the number of items the caller can see in it."""

    id: int
    run_id: int | None
    parent_id: int | None
    number: int = Field(description="Its number in the run, from 0 (kept for older clients).")
    code: str = Field(
        default="", description='Its number as the web app shows it: "3", or "3.2" for a sub-theme.'
    )
    label: str
    keywords: list[Any]
    size: int
    hidden: bool = False  # no item the caller may see: label and keywords are left out


def _item(record: ItemRecord, values: AttributeValues) -> ItemOut:
    """An item as the API gives it: a describing value of a small group is withheld."""
    shown = replace(
        record, attributes=values.shown(record), author_role=values.role(record) or None
    )
    return ItemOut.model_validate(shown, from_attributes=True)


@router.get("/workspaces")
def list_workspaces(request: Request) -> list[WorkspaceOut]:
    """Workspaces the caller belongs to, with their role in each."""
    user = require_user(request)
    return [
        WorkspaceOut(id=m.workspace_id, name=m.workspace, role=m.role, organisation=m.organisation)
        for m in services(request).accounts.memberships(user.id)
    ]


@router.get("/workspaces/{workspace_id}/items")
def list_items(
    actor: Browser,
    q: Annotated[str, Query(description="Words to find in the text.")] = "",
    organisation: Annotated[str, Query(description="Only this organisation.")] = "",
    source: Annotated[str, Query(description="Only this source id.")] = "",
    date_from: Annotated[str, Query(description="On or after this date (YYYY-MM-DD).")] = "",
    date_to: Annotated[str, Query(description="On or before this date (YYYY-MM-DD).")] = "",
    attribute: Annotated[str, Query(description="Only items with this attribute.")] = "",
    value: Annotated[str, Query(description="...and this attribute value.")] = "",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> ItemPage:
    """Items the caller may see, newest first, filtered like the evidence browser."""
    query, problems = evidence_query(
        {
            "q": q,
            "organisation": organisation,
            "source": source,
            "date_from": date_from,
            "date_to": date_to,
            "attribute": attribute,
            "value": value,
        }
    )
    if problems:
        raise HTTPException(status_code=422, detail=problems)
    browse = BrowseQuery(**asdict(query))
    if query.attribute and query.attribute_value:
        check = value_filter(actor.evidence, query.attribute, query.attribute_value)
        if not check.listed:
            raise HTTPException(
                status_code=422,
                detail=[
                    "Items with this value are not listed: the group is smaller than 10, "
                    "or would let a smaller group be worked out."
                ],
            )
        browse = replace(browse, organisations_out=check.organisations_out)
    items, total = actor.evidence.search(browse, limit=limit, offset=offset)
    values = AttributeValues(actor.evidence)
    return ItemPage(
        total=total, limit=limit, offset=offset, items=[_item(i, values) for i in items]
    )


@router.get("/workspaces/{workspace_id}/items/{item_id}", responses={404: {}})
def get_item(actor: Browser, item_id: int) -> ItemOut:
    """One item; 404 when it does not exist or is private to another organisation."""
    record = actor.evidence.item(item_id)
    if record is None:
        raise HTTPException(status_code=404, detail=NOT_FOUND)
    return _item(record, AttributeValues(actor.evidence))


@router.get("/workspaces/{workspace_id}/runs")
def list_runs(actor: Analyst, limit: Annotated[int, Query(ge=1, le=1000)] = 200) -> list[RunOut]:
    """Analysis runs, newest first."""
    return [RunOut.model_validate(r, from_attributes=True) for r in actor.evidence.runs(limit)]


@router.get("/workspaces/{workspace_id}/runs/{run_id}", responses={404: {}})
def get_run(actor: Analyst, run_id: int) -> RunOut:
    """One analysis run."""
    run = actor.evidence.run(run_id)
    if run is None:
        raise HTTPException(status_code=404, detail="There is no such run in this workspace.")
    return RunOut.model_validate(run, from_attributes=True)


@router.get("/workspaces/{workspace_id}/codings")
def list_codings(
    actor: Analyst,
    item_id: Annotated[int | None, Query(description="Only this item's codings.")] = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> list[CodingOut]:
    """Codings of items the caller may see."""
    return [CodingOut(**c) for c in actor.evidence.codings(item_id, limit)]


@router.get("/workspaces/{workspace_id}/themes")
def list_themes(actor: Analyst) -> list[ThemeOut]:
    """Themes, with how many visible items each holds, in words the caller may see."""
    stored = {t.id: theme_as_seen(t, actor.evidence) for t in ThemeStore(actor.workspace).themes()}
    listed = []
    for theme in actor.evidence.themes():
        seen = stored.get(theme["id"])
        if seen is not None and not theme["hidden"]:
            theme = {**theme, "label": seen.label, "keywords": list(seen.keywords)}
        listed.append(ThemeOut(**theme))
    return listed


class TokenOut(BaseModel):
    """One of the caller's API tokens (never the secret itself)."""

    id: int
    name: str
    prefix: str
    scope: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked_at: datetime | None
    active: bool


def _token_out(record: TokenRecord) -> TokenOut:
    return TokenOut(
        id=record.id,
        name=record.name,
        prefix=record.prefix,
        scope=record.scope,
        created_at=record.created_at,
        expires_at=record.expires_at,
        last_used_at=record.last_used_at,
        revoked_at=record.revoked_at,
        active=record.active,
    )


@router.get("/tokens")
def list_tokens(request: Request) -> list[TokenOut]:
    """The caller's API tokens, newest first, with when each stops working."""
    user = require_user(request)
    return [_token_out(t) for t in services(request).accounts.tokens(user.id)]


@router.delete("/tokens/{token_id}", responses={404: {}, 403: {}})
def revoke_token(request: Request, token_id: int) -> TokenOut:
    """Revoke one of the caller's tokens (a token needs the write scope to do this)."""
    user = require_user(request)
    try:
        revoked = services(request).accounts.revoke_token(user.id, token_id, actor=user.email)
    except AccountError as exc:
        raise HTTPException(status_code=404, detail="You have no such token.") from exc
    return _token_out(revoked)
