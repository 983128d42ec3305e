"""Name the parts of a split theme, side by side, after seeing what each holds.

Names typed before a split go to the part each describes best, by meaning;
with mixed parts that guess can be wrong, and the person could not see the
parts when they typed. This page shows a split theme's parts in the newest
run, a few quotes each, with a name field for each part.

Page: ``/w/{id}/themes/number/{code}/parts`` (the split theme's number as
people read it).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from upstream.records.stored import RunRecord
from upstream.store import StoreError
from upstream.store.theme_repository import StoredTheme, ThemeStore
from upstream.store.theme_visibility import theme_as_seen
from upstream.web.permissions import Actor, Can, need
from upstream.web.routes.themes import NO_THEME, NOT_YOURS, theme_runs
from upstream.web.templating import render
from upstream.web.theme_lineage import split_parts

router = APIRouter(include_in_schema=False)
Viewer = Annotated[Actor, Depends(need(Can.VIEW_RUNS))]
Coder = Annotated[Actor, Depends(need(Can.CODE))]
QUOTES = 3
LISTED = 60  # items listed under each part, beyond its typical quotes
NAME_LENGTH = 200


def _parts(actor: Actor, code: int) -> tuple[RunRecord, list[StoredTheme]]:
    """The newest run where theme ``code`` (as people read it) has parts split off it.

    Not always the workspace's newest run: a run over other evidence since (a
    survey's last question) leaves the split themes where they are.
    """
    runs = theme_runs(actor)
    if not runs or code < 1:
        raise HTTPException(status_code=404, detail=NO_THEME)
    store = ThemeStore(actor.workspace)
    for run in runs:
        themes = store.themes(run.id)
        parts = split_parts(themes, run, code - 1)
        if parts:
            origin = [t for t in themes if t.parent_number is None and t.number == code - 1]
            return run, [*origin, *parts]
    raise HTTPException(
        status_code=404, detail=f"No theme run has themes that split off theme {code}."
    )


def _view(actor: Actor, theme: StoredTheme) -> dict[str, Any]:
    """A part as this person may see it: typical quotes first, then every other item.

    Three typical quotes can fit a name the rest of a part does not: a mixed
    part is named well only by someone who has read all of it.
    """
    visible = actor.evidence.visible_ids(theme.item_ids)
    quotes = theme.visible_quotes(visible, QUOTES)
    quoted = {q.get("item_id") for q in quotes}
    rest = sorted(i for i in visible if i not in quoted)
    return {
        "theme": theme_as_seen(theme, actor.evidence),
        "quotes": quotes,
        "others": actor.evidence.items_by_id(rest[:LISTED]),
        "more": max(0, len(rest) - LISTED),
        "editable": actor.may_edit_theme(visible),
    }


@router.get("/w/{workspace_id}/themes/number/{code}/parts")
def parts_page(actor: Viewer, request: Request, code: int) -> Response:
    """Theme ``code`` and the parts split off it, a few quotes each, to name them."""
    run, themes = _parts(actor, code)
    return render(
        request,
        "theme_parts.html",
        {
            "title": f"Name the parts of theme {code}",
            "code": str(code),
            "run": run,
            "parts": [_view(actor, t) for t in themes],
        },
        active="themes",
    )


async def _names(request: Request) -> dict[str, str]:
    """The submitted names, by field (``name-<theme row id>``)."""
    form = await request.form()
    return {
        key: value
        for key, value in form.items()
        if key.startswith("name-") and isinstance(value, str)
    }


Names = Annotated[dict[str, str], Depends(_names)]


@router.post("/w/{workspace_id}/themes/number/{code}/parts")
def name_parts(actor: Coder, names: Names, code: int) -> Response:
    """Rename each part whose name was changed; the names are kept for later runs."""
    run, themes = _parts(actor, code)
    store = ThemeStore(actor.workspace)
    renamed = 0
    for theme in themes:
        label = names.get(f"name-{theme.id}", "").strip()[:NAME_LENGTH]
        if not label or label == theme.label:
            continue
        if not actor.may_edit_theme(actor.evidence.visible_ids(theme.item_ids)):
            raise HTTPException(status_code=403, detail=NOT_YOURS)
        try:
            store.rename(
                theme, label, model_id=str(run.versions.get("embedder", "")), actor=actor.user.email
            )
        except StoreError as exc:
            raise HTTPException(status_code=400, detail=str(exc)) from exc
        renamed += 1
    done = "named" if renamed else "unchanged"
    return RedirectResponse(
        f"/w/{actor.workspace.id}/themes?run={run.id}&done={done}", status_code=303
    )
