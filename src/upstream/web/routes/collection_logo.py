"""The convener's logo on a story collection's public form: upload, remove, serve.

The picture is stored in the database (so every web process can serve it)
and served from this server, which the content security policy already
allows; an address on another site would not be shown to residents.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from upstream.store import StoreError
from upstream.store.collection_logo import logo_of
from upstream.store.collection_logo import remove_logo as remove_stored_logo
from upstream.store.collection_repository import find_by_token
from upstream.web.permissions import Actor, Can, need
from upstream.web.routes.collections import _collection, _form_page, may_edit
from upstream.web.settings import services
from upstream.workflows.network.collection_logo import (
    LOGO_LIMIT_BYTES,
    LogoError,
    set_collection_logo,
)

__all__ = ["public_router", "upload_router"]

upload_router = APIRouter(include_in_schema=False)
public_router = APIRouter(include_in_schema=False)
Convener = Annotated[Actor, Depends(need(Can.CONVENE))]
NOT_YOURS = "Only the organisation that runs this collection can change its logo."


def _editable(actor: Actor, collection_id: int) -> None:
    if not may_edit(actor, _collection(actor, collection_id)):
        raise HTTPException(status_code=403, detail=NOT_YOURS)


@upload_router.post("/w/{workspace_id}/collections/{collection_id}/logo")
def upload_logo(
    request: Request,
    actor: Convener,
    collection_id: int,
    logo: Annotated[UploadFile, File()],
) -> Response:
    """Store the uploaded logo; a file that is not a usable picture re-shows the form."""
    _editable(actor, collection_id)
    name = logo.filename or "The file"
    data = logo.file.read(LOGO_LIMIT_BYTES + 1)
    try:
        set_collection_logo(actor.workspace, collection_id, data, name=name, actor=actor.user.email)
    except LogoError as exc:
        collection = _collection(actor, collection_id)
        return _form_page(
            request, actor, collection.spec, [str(exc)], collection=collection, status_code=400
        )
    return RedirectResponse(
        f"/w/{actor.workspace.id}/collections/{collection_id}/edit?logo=saved#logo",
        status_code=303,
    )


@upload_router.post("/w/{workspace_id}/collections/{collection_id}/logo/remove")
def remove_logo(request: Request, actor: Convener, collection_id: int) -> Response:
    """Take the logo off the public form."""
    _editable(actor, collection_id)
    try:
        remove_stored_logo(actor.workspace, collection_id, actor=actor.user.email)
    except StoreError as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from exc
    return RedirectResponse(
        f"/w/{actor.workspace.id}/collections/{collection_id}/edit?logo=removed#logo",
        status_code=303,
    )


@public_router.get("/s/{token}/logo")
def public_logo(request: Request, token: str) -> Response:
    """The logo of the collection behind a shareable link, as a PNG."""
    found = find_by_token(services(request).store, token)
    logo = logo_of(found[0], found[1].id) if found else None
    if logo is None:
        raise HTTPException(status_code=404, detail="This collection has no logo.")
    return Response(
        logo.png,
        media_type="image/png",
        headers={"Cache-Control": "public, max-age=300", "X-Content-Type-Options": "nosniff"},
    )


@public_router.get("/w/{workspace_id}/collections/{collection_id}/logo")
def convener_logo(actor: Convener, collection_id: int) -> Response:
    """The logo as the set-up page previews it."""
    logo = logo_of(actor.workspace, _collection(actor, collection_id).id)
    if logo is None:
        raise HTTPException(status_code=404, detail="This collection has no logo.")
    return Response(logo.png, media_type="image/png", headers={"Cache-Control": "no-store"})
