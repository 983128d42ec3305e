"""The library of learning products: guides, tools and case studies tagged to codes and themes.

Anyone in the workspace may read and search the library and download files;
conveners (``Can.CONVENE``) add products (an uploaded PDF, Word, Markdown or
text file, or text written here) and confirm the tags the machine suggests.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from upstream.frameworks import builtin_names, load_codebook
from upstream.store.library_repository import LibraryStore, ProductFile, TagRecord
from upstream.web.permissions import Actor, Can, need
from upstream.web.routes.peers import code_url
from upstream.web.templating import render
from upstream.web.uploads import safe_filename
from upstream.workflows.network.library import (
    KINDS,
    MAX_PRODUCT_BYTES,
    LibraryError,
    extract_text,
    media_type,
    suggest_tags,
    workspace_tag_sources,
)

router = APIRouter(include_in_schema=False)
Browser = Annotated[Actor, Depends(need(Can.BROWSE))]
Convener = Annotated[Actor, Depends(need(Can.CONVENE))]
_FORM_ROOM = 1024 * 1024
MESSAGES = {
    "added": "The product was added. Check the suggested tags and confirm them.",
    "tagged": "The tags were saved.",
}


def _tag_choices(actor: Actor) -> list[tuple[str, str]]:
    """Every code and theme a product can be tagged with, as (form value, label)."""
    books, themes = workspace_tag_sources(actor.workspace)
    choices = [
        (f"code|{key}|{code.id}", f"{load_codebook(key).title}: {code.title}")
        for key in books
        if key in builtin_names()
        for code in load_codebook(key).codes
    ]
    choices += [(f"theme||{label}", f"Theme: {label}") for label, _ in themes]
    return choices


def _list_page(
    request: Request,
    actor: Actor,
    q: str = "",
    *,
    error: str = "",
    form: dict[str, Any] | None = None,
    status_code: int = 400,
) -> Response:
    products = LibraryStore(actor.workspace).products(words=q[:300])
    return render(
        request,
        "library.html",
        {
            "title": "Library",
            "products": products,
            "q": q,
            "kinds": KINDS,
            "error": error,
            "form": form or {},
            "max_mb": MAX_PRODUCT_BYTES // (1024 * 1024),
        },
        status_code=status_code if error else 200,
        active="network",
    )


@router.get("/w/{workspace_id}/library")
def library(request: Request, actor: Browser, q: str = "") -> Response:
    """The library, searchable by words."""
    return _list_page(request, actor, q.strip())


@router.post("/w/{workspace_id}/library", max_body_size=MAX_PRODUCT_BYTES + _FORM_ROOM)
async def add_product(
    request: Request,
    actor: Convener,
    title: Annotated[str, Form(max_length=300)] = "",
    kind: Annotated[str, Form(max_length=30)] = "guide",
    summary: Annotated[str, Form(max_length=5000)] = "",
    organisation: Annotated[str, Form(max_length=300)] = "",
    body: Annotated[str, Form(max_length=500_000)] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Add a product from an uploaded file or text written here; tags are suggested."""
    form = {
        "title": title,
        "kind": kind,
        "summary": summary,
        "organisation": organisation,
        "body": body,
    }
    problems = []
    if not title.strip():
        problems.append("Give the product a title.")
    if kind not in KINDS:
        problems.append("Choose whether it is a guide, a tool or a case study.")
    upload: ProductFile | None = None
    text = body.strip()
    if file is not None and file.filename:
        content = await file.read(MAX_PRODUCT_BYTES + 1)
        name = safe_filename(file.filename)
        try:
            text = extract_text(name, content)
        except LibraryError as exc:
            return _list_page(
                request, actor, error=exc.message, form=form, status_code=exc.status_code
            )
        upload = ProductFile(name, media_type(name), content)
    elif not text:
        problems.append("Upload a file or write the product's text.")
    owner = organisation.strip() or (actor.member.organisation or "")
    if not actor.may(Can.CONVENE, organisation=owner):
        problems.append("You may add products only in your own organisation's name.")
    if problems:
        return _list_page(request, actor, error=" ".join(problems), form=form)
    books, themes = workspace_tag_sources(actor.workspace)
    tags = suggest_tags(f"{title}\n{summary}\n{text}", codebooks=books, themes=themes)
    product_id = LibraryStore(actor.workspace).add(
        title=title.strip(),
        kind=kind,
        summary=summary.strip(),
        body=text,
        organisation=owner,
        tags=tags,
        file=upload,
        actor=actor.user.email,
    )
    return RedirectResponse(
        f"/w/{actor.workspace.id}/library/{product_id}?done=added", status_code=303
    )


@router.get("/w/{workspace_id}/library/{product_id}")
def product(request: Request, actor: Browser, product_id: int, done: str = "") -> Response:
    """One product: its text, tags (to confirm) and file."""
    found = LibraryStore(actor.workspace).product(product_id)
    if found is None:
        raise HTTPException(status_code=404, detail="There is no such learning product here.")
    return render(
        request,
        "product.html",
        {
            "title": found.title,
            "product": found,
            "kinds": KINDS,
            "choices": _tag_choices(actor)
            if actor.may(Can.CONVENE, organisation=found.organisation)
            else [],
            "message": MESSAGES.get(done, ""),
            "code_url": code_url,
        },
        active="network",
    )


@router.post("/w/{workspace_id}/library/{product_id}/tags")
def confirm_tags(
    actor: Convener,
    product_id: int,
    tag: Annotated[list[str] | None, Form()] = None,
    add: Annotated[str, Form(max_length=400)] = "",
) -> Response:
    """Confirm the ticked tags (and one added from the list); the others are dropped."""
    store = LibraryStore(actor.workspace)
    found = store.product(product_id)
    if found is None:
        raise HTTPException(status_code=404, detail="There is no such learning product here.")
    if not actor.may(Can.CONVENE, organisation=found.organisation):
        raise HTTPException(
            status_code=403, detail="Only its own organisation may change this product's tags."
        )
    titles = {(t.kind, t.value): t.title for t in found.tags}
    chosen: list[TagRecord] = []
    for value in [*(tag or []), add]:
        parts = value.split("|", 2)
        if len(parts) != 3 or parts[0] not in {"code", "theme"} or not parts[2]:
            continue
        kind, book, code = parts
        title = titles.get((kind, code)) or _title_of(book, code)
        chosen.append(TagRecord(kind, code, book, title, True, 0.0))
    store.set_tags(product_id, chosen, actor=actor.user.email)
    return RedirectResponse(
        f"/w/{actor.workspace.id}/library/{product_id}?done=tagged", status_code=303
    )


def _title_of(book: str, code: str) -> str:
    if book in builtin_names():
        codebook = load_codebook(book)
        if code in codebook:
            return codebook.code(code).title
    return code


@router.get("/w/{workspace_id}/library/{product_id}/file")
def download(actor: Browser, product_id: int) -> Response:
    """The uploaded file, as a download (never shown inline)."""
    found = LibraryStore(actor.workspace).file(product_id)
    if found is None:
        raise HTTPException(status_code=404, detail="This product has no file.")
    return Response(
        found.content,
        media_type=found.media_type,
        headers={
            "Content-Disposition": f"attachment; filename*=UTF-8''{quote(found.filename)}",
            "X-Content-Type-Options": "nosniff",
        },
    )
