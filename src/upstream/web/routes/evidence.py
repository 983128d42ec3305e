"""The evidence browser, item pages, item edits, CSV export and the contribution form."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, replace
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from upstream.policy import csv_lines
from upstream.records.evidence_types import EVIDENCE_TYPES, types_covered
from upstream.records.stored import ItemRecord
from upstream.store.effective_codes import effective_codes
from upstream.store.visibility import BrowseQuery
from upstream.web.evidence_filters import filter_choices
from upstream.web.evidence_types import TYPE_PROBLEM, type_choices
from upstream.web.forms import FILTER_KEYS, evidence_query, parse_date, parse_id
from upstream.web.item_checks import code_checks
from upstream.web.labels import attribute_label
from upstream.web.permissions import Actor, Can, need
from upstream.web.review_decisions import DECISIONS, decision_message
from upstream.web.search_jobs import indexing_job, meaning_search, start_indexing
from upstream.web.settings import services
from upstream.web.templating import render
from upstream.workflows.describing_groups import AttributeValues, value_filter

router = APIRouter(include_in_schema=False)
Browser = Annotated[Actor, Depends(need(Can.BROWSE))]
Exporter = Annotated[Actor, Depends(need(Can.EXPORT))]
Manager = Annotated[Actor, Depends(need(Can.MANAGE_EVIDENCE))]
Contributor = Annotated[Actor, Depends(need(Can.CONTRIBUTE))]
NOT_FOUND = "There is no such item, or it is private to another organisation."


BROWSE_KEYS = (*FILTER_KEYS, "mode", "code", "theme", "type")
TEXT_COUNT_LIMIT = 1000
MODES = ("words", "meaning")


def _args(request: Request) -> dict[str, str]:
    return {k: request.query_params.get(k, "") for k in BROWSE_KEYS}


def _choice(text: str, label: str, problems: list[str]) -> int | None:
    return parse_id(text, label, problems)


def browse_query(
    args: dict[str, str],
    by_type: dict[str, tuple[int, ...]] | None = None,
    source_groups: dict[int, tuple[int, ...]] | None = None,
) -> tuple[BrowseQuery, bool, list[str]]:
    """The filters from the query string, whether to search by meaning, and any problems.

    In meaning mode the search words rank items rather than filter them, so
    they are left out of the SQL filters (and of exports).

    Args:
        args: The query-string values.
        by_type: The workspace's source ids for each evidence type (for ``type``).
        source_groups: Source choices that stand for several sources (a
            roundtable's participants), by the choice's id.
    """
    query, problems = evidence_query(args)
    meaning = args.get("mode") == "meaning"
    kind = args.get("type", "")
    source_ids = None
    if kind:
        source_ids = (by_type or {}).get(kind, ())
        if kind not in EVIDENCE_TYPES:
            problems.append(TYPE_PROBLEM)
    group = (source_groups or {}).get(query.source_id or 0)
    if group:
        query = replace(query, source_id=None)
        source_ids = group if source_ids is None else tuple(i for i in source_ids if i in group)
    browse = BrowseQuery(
        **asdict(query),
        code_id=_choice(args.get("code", ""), "code", problems),
        theme_id=_choice(args.get("theme", ""), "theme", problems),
        source_ids=source_ids,
    )
    return (replace(browse, text="") if meaning else browse), meaning, problems


def _kinds_shown(query: BrowseQuery, by_type: dict[str, tuple[int, ...]]) -> list[str]:
    """The evidence types the filtered items can be of (a source's, when one is chosen)."""
    if query.source_ids is None and not query.source_id:
        return list(by_type)
    chosen = set(query.source_ids or ()) | ({query.source_id} if query.source_id else set())
    return [kind for kind, ids in by_type.items() if chosen & set(ids)]


def _small_groups(actor: Actor, query: BrowseQuery) -> tuple[BrowseQuery | None, str]:
    """The query with small groups of a describing value left out, and what to say.

    Returns:
        None instead of the query when the value's group may not be listed at
        all, and a sentence saying what was left out and why ("" when nothing).
    """
    if not (query.attribute and query.attribute_value):
        return query, ""
    check = value_filter(actor.evidence, query.attribute, query.attribute_value)
    label = f"{attribute_label(query.attribute).lower()} \u201c{query.attribute_value}\u201d"
    if not check.listed:
        return None, (
            f"Items with {label} are not listed: the group is smaller than 10, or would "
            "let a smaller group be worked out, and a group this small could identify "
            "the people in it."
        )
    if not check.organisations_out:
        return query, ""
    count = len(check.organisations_out)
    said = (
        f"1 organisation has fewer than 10 items with {label}, so its items are left out"
        if count == 1
        else f"{count} organisations have fewer than 10 items each with {label}, so their "
        "items are left out"
    )
    return replace(query, organisations_out=check.organisations_out), (
        f"{said}: so few could identify the people who wrote them."
    )


def _count(
    request: Request,
    actor: Actor,
    query: BrowseQuery,
    version: tuple[int, ...],
    up_to: int | None = None,
) -> int:
    """How many visible items match, cached per app until the workspace's data changes.

    Counting every match is the slow part of a page of 100,000 items (a text
    search reads every row), while the page itself stops after 50 rows.
    """
    evidence = actor.evidence
    key = (actor.workspace.id, evidence.scope, query, up_to, version)
    cache = services(request).caches.evidence_counts
    found = cache.get(key)
    if found is not None:
        return found
    total = evidence.count(query, up_to=up_to)
    cache.put(key, total)
    return total


@router.get("/w/{workspace_id}/evidence")
def browse(request: Request, actor: Browser, page: int = 1) -> Response:
    """A page of evidence, searched by words or by meaning, and filtered."""
    args = _args(request)
    evidence = actor.evidence
    version = evidence.data_version()
    choices = filter_choices(request, actor, version)
    by_type = choices.by_type
    asked, meaning, problems = browse_query(args, by_type, choices.source_groups)
    protected, privacy_note = _small_groups(actor, asked)
    query = protected or asked
    size = services(request).settings.page_size
    page = max(1, page)
    offset = (page - 1) * size
    context: dict[str, Any] = {"scores": {}, "status": None, "job": None}
    more = False
    words = args["q"].strip()[:500]
    if protected is None:
        items, total = [], 0
    elif meaning and words:
        search = meaning_search(request, actor)
        found = search.search(words, query, limit=size, offset=offset)
        items, total = found.items, found.total
        # Once every visible item is indexed there is no indexing to show or start.
        job = None
        if not found.status.complete:
            job = indexing_job(request, actor) or start_indexing(request, actor)
        context |= {
            "scores": dict(zip([i.id for i in items], found.scores, strict=True)),
            "status": found.status,
            "job": job,
        }
    else:
        items = evidence.page(query, limit=size, offset=offset)
        # A word search reads every row to count; past a thousand, "more than" will do.
        up_to = TEXT_COUNT_LIMIT + 1 if query.text else None
        total = _count(request, actor, query, version, up_to)
        if up_to is not None and total > TEXT_COUNT_LIMIT:
            more, total = True, TEXT_COUNT_LIMIT
    contributor = actor.own_submissions_only
    codes = list(choices.codes)
    return render(
        request,
        "evidence.html",
        {
            **context,
            "title": "Evidence",
            "items": items,
            "total": total,
            "page": page,
            "pages": max(1, -(-total // size), page + 1 if more and len(items) == size else 1),
            "more": more,
            "args": args,
            "meaning": meaning,
            "filtered": query != BrowseQuery() or bool(words),
            # Filters besides the words: a search by meaning ranks every item they leave.
            "narrowed": replace(query, text="") != BrowseQuery(),
            "problems": problems,
            "privacy_note": privacy_note,
            "organisations": list(choices.organisations),
            "sources": list(choices.sources),
            "attributes": list(choices.attributes),
            "codes": codes,
            "code_name": dict(codes).get(query.code_id or 0, ""),
            "themes": list(choices.themes),
            "types": [] if contributor else type_choices(by_type),
            "type_of": {i: key for key, ids in by_type.items() for i in ids},
            "type_words": EVIDENCE_TYPES,
            "covered": types_covered(_kinds_shown(asked, by_type)),
        },
        active="evidence",
    )


@router.get("/w/{workspace_id}/evidence/export.csv")
def export_csv(request: Request, actor: Exporter) -> Response:
    """Every matching item as CSV; cells that could run as formulas are made inert."""
    choices = filter_choices(request, actor, actor.evidence.data_version())
    asked, _meaning, problems = browse_query(_args(request), choices.by_type, choices.source_groups)
    if problems:
        raise HTTPException(status_code=400, detail=" ".join(problems))
    query, privacy_note = _small_groups(actor, asked)
    if query is None:
        raise HTTPException(status_code=400, detail=privacy_note)
    evidence = actor.evidence
    values = AttributeValues(evidence)
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
        "source",
        "line",
        "shared",
        "attributes",
        "engagement",
    ]
    # Each kept column also gets a column of its own, so a spreadsheet can sort by ward
    # without unpacking the JSON; a name the export already uses is marked as a column.
    kept = list(choices.attributes)
    header += [f"column: {name}" if name in header else name for name in kept]
    # Items of one code are exported to check the coding: say which code each
    # carries, who gave it and how sure the machine was.
    family = evidence.code_family(query.code_id) if query.code_id is not None else None
    if family is not None:
        header += ["code", "coded by", "confidence"]

    def rows() -> Iterator[list[object]]:
        items: Iterable[ItemRecord] = evidence.iter_items(query)
        carried: Mapping[int, list[str]] = {}
        if family is not None:
            items = list(items)
            carried = code_cells(actor, family, [item.id for item in items])
        names: dict[int, str] = {}
        for item in items:
            if item.source_id not in names:
                names[item.source_id] = evidence.source_name(item.source_id)
            # A value only a few of the organisation's items share could name its writer.
            shown = values.shown(item)
            yield [
                item.id,
                item.text,
                item.organisation or "",
                item.item_date or "",
                values.role(item),
                item.external_id or "",
                item.source_id,
                names[item.source_id],
                item.line,
                "yes" if item.shared else "no",
                json.dumps(shown, ensure_ascii=False) if shown else "",
                json.dumps(item.engagement, ensure_ascii=False) if item.engagement else "",
                *(shown.get(name, "") for name in kept),
                *(carried.get(item.id, ["", "", ""]) if family is not None else []),
            ]

    filename = f"upstream-evidence-{date.today().isoformat()}.csv"
    return StreamingResponse(
        csv_lines(header, rows()),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def code_cells(
    actor: Actor, family: tuple[str, frozenset[str]], item_ids: list[int]
) -> dict[int, list[str]]:
    """Per item, the code of ``family`` it is counted under, who gave it, and the confidence.

    A person's code comes first; otherwise the machine's surest one.
    """
    book, keys = family
    found = effective_codes(actor.workspace, book, item_ids=item_ids, scope=actor.evidence.scope)
    cells: dict[int, list[str]] = {}
    for item_id in item_ids:
        applied = [a for a in found.assigned.get(item_id, []) if a.code in keys]
        if not applied:
            continue
        best = max(applied, key=lambda a: (a.origin == "human", a.confidence))
        by_person = best.origin == "human"
        cells[item_id] = [
            found.titles.get(best.code, best.code),
            "a person" if by_person else "the machine",
            "" if by_person else f"{best.confidence:.2f}",
        ]
    return cells


def _visible_item(actor: Actor, item_id: int) -> ItemRecord:
    item = actor.evidence.item(item_id)
    if item is None:
        raise HTTPException(status_code=404, detail=NOT_FOUND)
    return item


@router.get("/w/{workspace_id}/evidence/{item_id}")
def item_page(
    request: Request, actor: Browser, item_id: int, done: str = "", run: int = 0
) -> Response:
    """One item in full, with its codes (404 when it may not be seen).

    Someone who may code can check the machine's codes here, as in the review
    queue: an analyst reading the items behind a headline fixes a wrong one
    where they find it.
    """
    item = _visible_item(actor, item_id)
    messages = {
        "shared": "The item is now shared with the whole workspace.",
        "private": "The item is now private to its organisation.",
    }
    codings = actor.evidence.codings(item.id) if actor.can(Can.VIEW_RUNS) else []
    # Whether dashboards count each code, and if not why; each framework's threshold
    # too, since 22% can count for one framework and 43% not for another.
    in_force = {
        book: effective_codes(actor.workspace, book, item_ids=[item.id], scope=actor.evidence.scope)
        for book in {str(c["codebook"]) for c in codings}
    }
    for coding in codings:
        effective = in_force[str(coding["codebook"])]
        coding["counted"] = effective.standing(
            item.id, coding["code"], coding["origin"], coding["status"], coding["run_id"]
        )
        coding["threshold"] = effective.threshold
    # An earlier run's suggestion of a code the item already shows says nothing new.
    newest_first = sorted(codings, key=lambda c: -(c["run_id"] or 0))
    seen: set[tuple[str, str]] = set()
    kept: set[int] = set()
    for coding in newest_first:
        key = (str(coding["codebook"]), str(coding["code"]))
        if coding["counted"] == "earlier" and key in seen:
            continue
        seen.add(key)
        kept.add(id(coding))
    codings = [c for c in codings if id(c) in kept]
    checks = code_checks(actor, codings) if actor.can(Can.CODE) else []
    decided = next((c for c in checks if c.run_id == run), None)
    message = messages.get(done, "")
    if decided is not None and done in DECISIONS:
        message = decision_message(actor, decided.run, done, item.id)
    values = AttributeValues(actor.evidence)
    return render(
        request,
        "item.html",
        {
            "title": f"Item {item.id}",
            "item": item,
            "attributes": sorted(values.shown(item).items()),
            "role": values.role(item),
            "source_name": actor.evidence.source_name(item.source_id),
            "codings": codings,
            "checks": checks,
            "can_manage": actor.can_manage_item(item.organisation),
            "message": message,
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
