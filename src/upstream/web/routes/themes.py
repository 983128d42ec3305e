"""The themes view: discovered themes with sizes, quotes and stance, and people's edits to them.

Pages:

* ``/w/{id}/themes``: start a run; see the latest (or chosen) run's themes and
  sub-themes, what was left unassigned or set aside; merge themes.
* ``/w/{id}/themes/{theme}``: one theme's members, with rename and split.
* a run's progress is on the job page (:mod:`upstream.web.routes.jobs`).
* ``/w/{id}/themes/export.csv``: the themes as CSV (:mod:`upstream.web.routes.theme_export`).

Themes may be computed over items some viewers may not see: quotes and member
lists only ever show items the viewer may see, and counts say they are the
whole run's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from upstream.policy import covering, shown_count, suppressed
from upstream.records.stored import ItemRecord, RunRecord
from upstream.settings import read_setting
from upstream.store import StoreError
from upstream.store.run_visibility import run_as_seen
from upstream.store.theme_repository import THEME_RUN, StoredTheme, ThemeStore
from upstream.store.theme_visibility import UNNAMED, theme_as_seen
from upstream.themes.labels import OTHER_LABEL
from upstream.themes.stance import stance_sentence
from upstream.web.background import job_path
from upstream.web.coding_jobs import embedder_names
from upstream.web.evidence_filters import filter_choices
from upstream.web.permissions import Actor, Can, need, scope_for
from upstream.web.settings import services
from upstream.web.templating import render
from upstream.web.theme_form import (
    evidence_choice,
    read_min_engagement,
    read_n_themes,
    read_seed,
    source_names,
    starting_choice,
    unthemed_choice,
)
from upstream.web.theme_jobs import running, start_discovery, start_merge, start_split
from upstream.web.theme_lineage import (
    and_list,
    lineage,
    missing_numbers,
    newest_holder,
    parts_of,
    split_from,
)
from upstream.workflows.theme_evidence import kind_choices, voice_choices
from upstream.workflows.theme_lines import edits_for, newest_in_line
from upstream.workflows.theme_support import (
    ThemeSupport,
    most_liked,
    read_least,
    support_by_theme,
    supported_total,
)
from upstream.workflows.themes import cited_among, engagement_of

router = APIRouter(include_in_schema=False)
Viewer = Annotated[Actor, Depends(need(Can.VIEW_RUNS))]
Coder = Annotated[Actor, Depends(need(Can.CODE))]
Exporter = Annotated[Actor, Depends(need(Can.EXPORT))]
LISTED = 25  # unassigned and set-aside items listed on the main page
NO_THEME = "There is no such theme here."
NOT_YOURS = "You cannot change a theme of items private to another organisation."


def theme_runs(actor: Actor) -> list[RunRecord]:
    """The workspace's finished theme runs, newest first."""
    runs = ThemeStore(actor.workspace).runs.runs(kind=THEME_RUN, limit=200)
    return [run for run in runs if run.status == "finished"]


def chosen_run(runs: list[RunRecord], run_id: int | None) -> RunRecord | None:
    """The run asked for, or the newest when none is named; 404 when it is not here."""
    if run_id is None:
        return runs[0] if runs else None
    found = next((run for run in runs if run.id == run_id), None)
    if found is None:
        raise HTTPException(status_code=404, detail="There is no such theme run here.")
    return found


def _visible_items(actor: Actor, ids: list[int], limit: int) -> list[ItemRecord]:
    found = []
    for item_id in ids:
        item = actor.evidence.item(item_id)
        if item is not None:
            found.append(item)
        if len(found) >= limit:
            break
    return found


def references(actor: Actor, views: list[dict[str, Any]]) -> dict[int, str]:
    """The evidence's own reference ("C0448") of each quoted item that has one, by item id.

    Quotes are labelled with it, so a reader can find the reply in their own export.
    """
    ids = sorted({int(q["item_id"]) for view in views for q in view["quotes"]})
    return {
        item.id: item.external_id for item in actor.evidence.items_by_id(ids) if item.external_id
    }


def theme_view(theme: StoredTheme, visible: set[int], quotes: int = 5) -> dict[str, Any]:
    """What the page shows of one theme to a person who may see ``visible`` items."""
    seen = sum(1 for i in theme.item_ids if i in visible)
    return {
        "theme": theme,
        "seen": seen,
        "people": people_figure(theme.details, theme.size),
        "hidden": seen == 0,
        "quotes": theme.visible_quotes(visible, quotes),
        "summary": theme.visible_summary(visible),
        # How fewer than 10 people divide would count them one by one ("6 of 7").
        "stance": ""
        if suppressed(theme.size)
        else stance_sentence(
            theme.stance_sides(), theme.size, "" if theme.label == UNNAMED else theme.label
        ),
    }


def people_figure(details: dict[str, Any], size: int) -> dict[str, str] | None:
    """How many people a theme's items come from, as shown, or ``None`` when not known.

    Items that do not say who wrote them count as one person each. When no item
    says, the number of people is not known and is not shown (it would only
    repeat the number of items); when some do not, the figure says how many.
    Runs made before authors were counted show the figure as it was kept.

    Returns:
        ``count`` (as shown) and ``note`` (what it includes, or ``""``).
    """
    respondents = int(details.get("respondents") or 0)
    unnamed = details.get("unnamed")
    if not isinstance(unnamed, int):
        return {"count": shown_count(respondents), "note": ""}
    if size and unnamed >= size:
        return None
    note = ""
    if unnamed:
        note = (
            f"including {shown_count(unnamed)} items that do not say who wrote them, "
            "each counted as one person"
        )
    return {"count": shown_count(respondents), "note": note}


def _covered(subthemes: list[dict[str, Any]]) -> set[int]:
    """Sub-themes whose size is withheld, though 10 or more, beside their theme's size.

    A theme's size less its other sub-themes' would otherwise give a small one away.
    """
    return covering({view["theme"].id: view["theme"].size for view in subthemes})


def run_view(
    actor: Actor, run: RunRecord, order: str = "number", least: float | None = None
) -> dict[str, Any]:
    """The themes of ``run`` as ``actor`` may see them, with unassigned and set-aside items.

    ``order`` lists the themes by ``number`` (as they were found, and as they
    keep their numbers from run to run), or ranks them by ``items`` (largest first), ``people``,
    ``organisations`` or ``engagement``; the mixed "Other comments" theme stays last.
    With ``least``, each theme counts only its replies with at least that many
    likes and other reactions, and ranks by those; themes with none are listed apart.
    """
    themes = [theme_as_seen(t, actor.evidence) for t in ThemeStore(actor.workspace).themes(run.id)]
    unassigned = [int(i) for i in run.summary.get("unassigned_item_ids") or []]
    aside = {int(a["item_id"]): a.get("reasons", []) for a in run.summary.get("set_aside") or []}
    everything = {i for t in themes for i in t.item_ids} | set(unassigned) | set(aside)
    visible = actor.evidence.visible_ids(everything)
    children: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for theme in themes:
        if theme.parent_number is not None:
            children[theme.parent_number].append(theme_view(theme, visible, quotes=3))
    top = []
    for theme in themes:
        if theme.parent_number is None:
            view = theme_view(theme, visible)
            view["subthemes"] = children.get(theme.number, [])
            view["covered"] = _covered(view["subthemes"])
            top.append(view)
    shown_unassigned = [i for i in unassigned if i in visible]
    shown_aside = [i for i in aside if i in visible]
    unsupported: list[dict[str, Any]] = []
    too_many = 0
    liked: dict[str, Any] = {"total": "", "reactions": 0, "replies": []}
    if least is not None:
        too_many = _with_support(actor, top, visible, least)
        if not too_many:
            support = {view["theme"].id: view["support"] for view in top if not view["hidden"]}
            themes_by_id = {view["theme"].id: view["theme"] for view in top}
            liked = {
                "total": supported_total(support),
                "reactions": sum(s.reactions for s in support.values()),
                "replies": [(themes_by_id[key], item) for key, item in most_liked(support)],
            }
            unsupported = [view for view in top if not view["support"].replies]
            top = [view for view in top if view["support"].replies]
    return {
        "references": references(actor, top),
        "themes": _ordered(top, order),
        "least": None if too_many else least,
        "too_many": too_many,
        "unsupported": unsupported,
        "liked": liked,
        "order": order if order in ORDERS else "number",
        "themes_by_number": {t.number: t.id for t in themes if t.parent_number is None},
        "missing": missing_numbers(themes, run),
        "split_from": split_from(themes, run),
        "parts_of": parts_of(themes, run),
        "visible": visible,
        "hidden_items": len(everything - visible),
        "unassigned_total": len(unassigned),
        "unassigned": _visible_items(actor, shown_unassigned, LISTED),
        "unassigned_seen": len(shown_unassigned),
        "aside_total": len(aside),
        "aside": [(item, aside[item.id]) for item in _visible_items(actor, shown_aside, LISTED)],
        "aside_seen": len(shown_aside),
    }


ORDERS = {
    "number": "Theme number",
    "items": "Items",
    "people": "People",
    "organisations": "Organisations",
    "engagement": "Likes and other reactions",
}
CITED_LIMIT = 20_000  # items read to count citations on a page view


def _with_support(actor: Actor, top: list[dict[str, Any]], visible: set[int], least: float) -> int:
    """Give each theme's view its replies with at least ``least`` reactions (its ``support``).

    Returns:
        0, or the number of items when there are too many to read on a page view.
    """
    themes = [view["theme"] for view in top]
    count = len({i for theme in themes for i in theme.item_ids if i in visible})
    if count > CITED_LIMIT:
        return count
    support = support_of(actor, themes, visible, least)
    for view in top:
        view["support"] = support[view["theme"].id]
    return 0


def support_of(
    actor: Actor, themes: Sequence[StoredTheme], visible: set[int], least: float
) -> dict[int, ThemeSupport]:
    """Each theme's visible replies with at least ``least`` likes, read once for all themes."""
    members = {t.id: [i for i in t.item_ids if i in visible] for t in themes}
    ids = sorted({i for found in members.values() for i in found})
    records = {item.id: item for item in actor.evidence.items_by_id(ids)}
    return support_by_theme(
        {key: [records[i] for i in found if i in records] for key, found in members.items()}, least
    )


def _ordered(views: list[dict[str, Any]], order: str) -> list[dict[str, Any]]:
    def weight(view: dict[str, Any]) -> float:
        details = view["theme"].details
        if (support := view.get("support")) is not None and order in ("items", "engagement"):
            # Only the replies with enough support count, as the page shows them.
            return float(len(support.replies) if order == "items" else support.reactions)
        if order == "people":
            people = view["people"]
            return float(details.get("respondents") or 0) if people is not None else 0.0
        if order == "organisations":
            return float(len(details.get("organisations") or []))
        if order == "engagement":
            # As each theme shows it: its items' likes and reactions, not the items too.
            return float(details.get("engagement_size") or 0) - float(view["theme"].size)
        if order == "items":
            # Numbers stay with themes from run to run, so they are not an order of size.
            return float(view["theme"].size)
        return 0.0

    return sorted(
        views,
        key=lambda v: (v["theme"].label == OTHER_LABEL, -weight(v), v["theme"].number),
    )


def _cited(actor: Actor, themes: list[StoredTheme], visible: set[int]) -> dict[str, Any]:
    """The names and links cited most in the items this person may see."""
    theme_of = {i: t.number for t in themes if t.parent_number is None for i in t.item_ids}
    ids = sorted(i for i in visible if i in theme_of)
    if len(ids) > CITED_LIMIT:
        return {"too_many": len(ids), "citations": [], "codes": {}}
    items = actor.evidence.items_by_id(ids)
    codes = {t.number: t.code for t in themes if t.parent_number is None}
    citations = cited_among(items, [theme_of[item.id] for item in items], top=10)
    return {
        "too_many": 0,
        "codes": codes,
        "citations": [(c, items[c.example]) for c in citations],
    }


@router.get("/w/{workspace_id}/themes")
def themes_page(
    request: Request,
    actor: Viewer,
    run: int | None = None,
    done: str = "",
    order: str = "number",
    least: str = "",
) -> Response:
    """Start a run; see the themes of the latest (or chosen) run.

    ``least`` shows, in each theme, only the replies with at least that many
    likes and other reactions (the themes stay the run's).
    """
    runs = theme_runs(actor)
    chosen = chosen_run(runs, run)
    choices = filter_choices(request, actor, actor.evidence.data_version())
    context: dict[str, Any] = {
        "title": "Themes",
        "runs": runs,
        "run": chosen,
        "running": running(request, actor),
        "embedders": embedder_names(),
        "sources": choices.sources,
        "organisations": actor.evidence.organisation_names(),
        "voices": voice_choices(choices.by_type),
        "kinds": [] if actor.own_submissions_only else kind_choices(actor.evidence),
        "message": _MESSAGES.get(done, ""),
        "edits": [],
        # Named so people know, before they start a run, that quotes will be sent to it.
        "endpoint": read_setting("endpoint"),
    }
    if chosen is not None:
        context.update(run_view(actor, chosen, order, read_least(least)))
        # Only this evidence's edits: another question's themes keep their own.
        themed = [i for view in context["themes"] for i in view["theme"].item_ids]
        context["edits"] = edits_for(ThemeStore(actor.workspace).edits(), themed)
        context["latest"] = newest_in_line(actor.workspace, chosen).id == chosen.id
        # Reading every visible item to count citations is the page's costliest step:
        # keep it per viewer scope until the evidence changes.
        top = [view["theme"] for view in context["themes"]]
        version = actor.evidence.data_version()
        key = (actor.workspace.id, scope_for(actor.member), chosen.id, version)
        context["cited"] = services(request).caches.cited.get_or_build(
            key, lambda: _cited(actor, top, context["visible"])
        )
        # People can rank the themes only when the evidence says who wrote it.
        known = any(view["people"] is not None for view in context["themes"])
        context["orders"] = {k: v for k, v in ORDERS.items() if k != "people" or known}
        if context["order"] not in context["orders"]:
            context["order"] = "number"
        context["engaged"] = any(
            view["theme"].details.get("engagement_size") is not None
            for view in context["themes"] + context["unsupported"]
        )
        context["item_reactions"] = lambda item: round(engagement_of(item))
        context["other_label"] = OTHER_LABEL
        context["evidence_chosen"] = run_as_seen(chosen, actor.evidence).summary.get("evidence")
        context["evidence_sources"] = source_names(actor, chosen)
    newest = runs[0] if runs else None
    context["evidence_value"] = starting_choice(request, actor, context, newest)
    context["unthemed"] = unthemed_choice(context, chosen)
    return render(request, "themes.html", context, active="themes")


_MESSAGES = {
    "renamed": "Theme renamed. The new name will be kept when the themes are run again.",
    "named": "Names saved. They will be kept when the themes are run again.",
    "unchanged": "No name was changed.",
}


@router.post("/w/{workspace_id}/themes/run")
def start_run(
    request: Request,
    actor: Coder,
    evidence: Annotated[str, Form(max_length=300)] = "all",
    n_themes: Annotated[str, Form(max_length=10)] = "",
    seed: Annotated[str, Form(max_length=12)] = "0",
    embedder: Annotated[str, Form(max_length=50)] = "default",
    min_engagement: Annotated[str, Form(max_length=12)] = "",
) -> Response:
    """Start finding themes in the chosen evidence, in the background."""
    if embedder not in embedder_names():
        raise HTTPException(status_code=400, detail="Choose a text model from the list.")
    job = start_discovery(
        request,
        actor,
        evidence_choice(request, actor, evidence),
        n_themes=read_n_themes(n_themes),
        seed=read_seed(seed),
        embedder=embedder,
        min_engagement=read_min_engagement(min_engagement),
    )
    return RedirectResponse(job_path(job), status_code=303)


def covered_subthemes(themes: list[StoredTheme]) -> set[int]:
    """Sub-themes whose size the themes page withholds, so the file withholds it too.

    Each theme's row gives its size, so its sub-themes' sizes are parts of a shown
    total, as on the page.
    """
    siblings: dict[int, dict[int, int]] = defaultdict(dict)
    for theme in themes:
        if theme.parent_number is not None:
            siblings[theme.parent_number][theme.id] = theme.size
    return {i for parts in siblings.values() for i in covering(parts)}


def _theme(actor: Actor, theme_id: int, *, editing: bool = False) -> tuple[StoredTheme, RunRecord]:
    store = ThemeStore(actor.workspace)
    theme = store.theme(theme_id)
    run = store.run(theme.run_id) if theme is not None and theme.run_id is not None else None
    if theme is None or run is None:
        raise HTTPException(status_code=404, detail=NO_THEME)
    if editing and not actor.may_edit_theme(actor.evidence.visible_ids(theme.item_ids)):
        raise HTTPException(status_code=403, detail=NOT_YOURS)
    return theme, run


@router.get("/w/{workspace_id}/themes/number/{code}")
def theme_by_number(actor: Viewer, code: int) -> Response:
    """The newest run's theme with this number (as people read it): a link that lasts.

    A theme's own page belongs to one run; a board paper can link here instead
    and always reach the theme as it now stands, or the theme it was merged into.
    """
    runs = theme_runs(actor)
    if not runs or code < 1:
        raise HTTPException(status_code=404, detail=NO_THEME)
    newest = runs[0]
    _, found = newest_holder(actor.workspace, newest, code - 1)
    if found is None:
        raise HTTPException(
            status_code=404,
            detail=f"The newest theme run (run {newest.id}) has no theme {code}: it was not found "
            "again.",
        )
    return RedirectResponse(f"/w/{actor.workspace.id}/themes/{found.id}", status_code=303)


@router.get("/w/{workspace_id}/themes/{theme_id}")
def theme_page(
    request: Request, actor: Viewer, theme_id: int, page: int = 1, least: str = ""
) -> Response:
    """One theme: its figures, quotes, sub-themes and the members the person may see.

    ``least`` lists only the members with at least that many likes and other reactions.
    """
    theme, run = _theme(actor, theme_id)
    theme = theme_as_seen(theme, actor.evidence)
    store = ThemeStore(actor.workspace)
    themes = [theme_as_seen(t, actor.evidence) for t in store.themes(run.id)]
    visible = actor.evidence.visible_ids(theme.item_ids)
    members = [i for i in theme.item_ids if i in visible]
    page = max(1, page)
    size = services(request).settings.page_size
    engaged = theme.details.get("engagement_size") is not None
    support = None
    if engaged:
        # The replies with most support first: what an officer quotes to a board.
        records = sorted(actor.evidence.items_by_id(members), key=lambda i: -engagement_of(i))
        if (fewest := read_least(least)) is not None:
            support = support_by_theme({theme.id: records}, fewest)[theme.id]
            records = list(support.replies)
        members = [item.id for item in records]
        shown = records[(page - 1) * size : page * size]
    else:
        shown = _visible_items(actor, members[(page - 1) * size : page * size], size)
    parent = next(
        (t for t in themes if t.parent_number is None and t.number == theme.parent_number), None
    )
    subthemes = [
        theme_view(t, actor.evidence.visible_ids(t.item_ids), quotes=3)
        for t in themes
        if theme.parent_number is None and t.parent_number == theme.number
    ]
    view = theme_view(theme, visible)
    # The themes page withholds this sub-theme's size beside its siblings': so does its own.
    withheld = theme.id in covered_subthemes(themes)
    if parent is not None and not actor.evidence.visible_ids(parent.item_ids):
        parent = None  # its name comes from items this person may not see
    kind = "Theme" if theme.parent_number is None else "Sub-theme"
    # The newest run over the same evidence: a run over another question leaves this one be.
    newest = newest_in_line(actor.workspace, run)
    return render(
        request,
        "theme.html",
        {
            "title": f"{kind} {theme.code}" if view["hidden"] else theme.label,
            "view": view,
            "run": run,
            "latest": newest.id == run.id,
            "newest": newest,
            "successor": None if newest.id == run.id else _successor(actor, theme, newest),
            "parent": parent,
            "subthemes": subthemes,
            "covered": _covered(subthemes),
            "withheld": withheld,
            "members": shown,
            "engaged": engaged,
            "support": support,
            "quoted": references(actor, [view]),
            "reactions": {item.id: round(engagement_of(item)) for item in shown},
            "references": any(item.external_id for item in shown),
            # A column of dashes says nothing: shown only when some item names its organisation.
            "organised": any(item.organisation for item in shown),
            "member_total": len(members),
            "page": page,
            "pages": max(1, -(-len(members) // size)),
            "message": _MESSAGES.get(request.query_params.get("done", ""), ""),
        },
        active="themes",
    )


def _successor(actor: Actor, theme: StoredTheme, newest: RunRecord) -> dict[str, Any] | None:
    """Where a theme of an older run is in the newest run, or None.

    It is the theme with the same number, or the one it was merged into; None
    when neither holds any of its items (the newest run is over other evidence).
    """
    if theme.parent_number is not None:
        return None
    candidates, found = newest_holder(actor.workspace, newest, theme.number)
    if found is None or not set(found.item_ids) & set(theme.item_ids):
        return None
    # Parts that split off it since, and still hold some of its items.
    _, came = lineage(newest)
    parts = sorted(
        number + 1
        for number, origin in came.items()
        if origin == theme.number
        and number in candidates
        and set(candidates[number].item_ids) & set(theme.item_ids)
    )
    return {
        "theme": theme_as_seen(found, actor.evidence),
        "merged": found.number != theme.number,
        "parts": and_list(parts) if parts else "",
        "many": len(parts) > 1,
    }


@router.post("/w/{workspace_id}/themes/{theme_id}/rename")
def rename(
    actor: Coder,
    theme_id: int,
    label: Annotated[str, Form(max_length=200)] = "",
    back: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Rename a theme now; the edit is kept and re-applied on later runs."""
    theme, run = _theme(actor, theme_id, editing=True)
    try:
        ThemeStore(actor.workspace).rename(
            theme,
            label,
            model_id=str(run.versions.get("embedder", "")),
            actor=actor.user.email,
        )
    except StoreError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc
    w = f"/w/{actor.workspace.id}/themes"
    target = (
        f"{w}?run={run.id}&done=renamed#theme-{theme.id}"
        if back == "list"
        else (f"{w}/{theme.id}?done=renamed")
    )
    return RedirectResponse(target, status_code=303)


@router.post("/w/{workspace_id}/themes/merge")
def merge(
    request: Request,
    actor: Coder,
    run: Annotated[int, Form()],
    theme: Annotated[list[int] | None, Form()] = None,
    label: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Merge the ticked themes: the edit is stored and the run is re-run to describe them."""
    chosen = chosen_run(theme_runs(actor), run)
    assert chosen is not None  # a missing run is a 404 above
    by_id = {t.id: t for t in ThemeStore(actor.workspace).themes(chosen.id)}
    picked = [by_id[i] for i in dict.fromkeys(theme or []) if i in by_id]
    if any(not actor.may_edit_theme(actor.evidence.visible_ids(t.item_ids)) for t in picked):
        raise HTTPException(status_code=403, detail=NOT_YOURS)
    try:
        job = start_merge(request, actor, chosen, picked, label)
    except ValueError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc
    return RedirectResponse(job_path(job), status_code=303)


@router.post("/w/{workspace_id}/themes/{theme_id}/split")
def split(
    request: Request,
    actor: Coder,
    theme_id: int,
    parts: Annotated[int, Form(ge=2, le=5)] = 2,
    labels: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """Split a theme in parts by its own structure (a stored edit, then a re-run)."""
    theme, run = _theme(actor, theme_id, editing=True)
    names = [line.strip()[:200] for line in labels.splitlines() if line.strip()][:parts]
    try:
        job = start_split(request, actor, run, theme, parts, names)
    except ValueError as exc:
        raise HTTPException(status_code=400, detail=str(exc)) from exc
    return RedirectResponse(job_path(job), status_code=303)
