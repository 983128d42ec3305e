"""Roundtables: an event page with an agenda, a response form and the responses' live themes.

Pages:

* ``/w/{id}/roundtables``: the workspace's roundtables; conveners create one here.
* ``/w/{id}/roundtables/{rid}``: the agenda, the response form, the board of
  responses and the quick live themes of the responses so far.
* ``/w/{id}/roundtables/{rid}/live``: just the live panel, which the event
  page's script fetches every few seconds.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from upstream.frameworks import builtin_names
from upstream.reports.evidence import builtin_codebook
from upstream.store import StoreError
from upstream.store.roundtable_repository import (
    AGENDA,
    BOARD,
    ResponseRecord,
    RoundtableRecord,
    RoundtableStore,
)
from upstream.web.permissions import Actor, Can, need
from upstream.web.roundtable_jobs import refresh_soon, refreshing
from upstream.web.settings import services
from upstream.web.templating import render
from upstream.workflows.network.roundtables import (
    DEFAULT_COLUMNS,
    answers_from_form,
    create_roundtable,
    live_for_own_only,
    read_roundtable_form,
    respond,
)

router = APIRouter(include_in_schema=False)
Member = Annotated[Actor, Depends(need(Can.BROWSE))]
Responder = Annotated[Actor, Depends(need(Can.CONTRIBUTE))]
Convener = Annotated[Actor, Depends(need(Can.CONVENE))]
AGENDA_ROWS = 6
NOT_FOUND = "There is no such roundtable here."


def _frameworks() -> list[tuple[str, str]]:
    return [(key, builtin_codebook(key).title) for key in builtin_names()]


def _blank_form() -> dict[str, Any]:
    return {
        "title": "",
        "day": "",
        "clock": "",
        "place": "",
        "link": "",
        "description": "",
        "framework": "nom",
        "written": True,
        "board": True,
        "columns": "\n".join(DEFAULT_COLUMNS),
        "agenda": [{"title": "", "time": "", "question": ""} for _ in range(AGENDA_ROWS)],
    }


def _list_page(
    request: Request,
    actor: Actor,
    form: dict[str, Any] | None = None,
    problems: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    store = RoundtableStore(actor.workspace)
    tables = store.all()
    return render(
        request,
        "roundtables.html",
        {
            "title": "Roundtables",
            "roundtables": tables,
            "counts": {t.id: store.response_count(t.id) for t in tables},
            "can_convene": actor.can(Can.CONVENE),
            "form": form or _blank_form(),
            "problems": problems or [],
            "frameworks": _frameworks(),
        },
        status_code=status_code,
        active="network",
    )


@router.get("/w/{workspace_id}/roundtables")
def roundtables_page(request: Request, actor: Member) -> Response:
    """The workspace's roundtables and, for conveners, the form to create one."""
    return _list_page(request, actor)


@router.post("/w/{workspace_id}/roundtables")
def create(
    request: Request,
    actor: Convener,
    title: Annotated[str, Form(max_length=300)] = "",
    day: Annotated[str, Form(max_length=20)] = "",
    clock: Annotated[str, Form(max_length=10)] = "",
    place: Annotated[str, Form(max_length=300)] = "",
    link: Annotated[str, Form(max_length=500)] = "",
    description: Annotated[str, Form(max_length=5000)] = "",
    framework: Annotated[str, Form(max_length=50)] = "nom",
    written: Annotated[str, Form(max_length=5)] = "",
    board: Annotated[str, Form(max_length=5)] = "",
    columns: Annotated[str, Form(max_length=1000)] = "",
    agenda_title: Annotated[list[str] | None, Form(max_length=300)] = None,
    agenda_time: Annotated[list[str] | None, Form(max_length=20)] = None,
    agenda_question: Annotated[list[str] | None, Form(max_length=500)] = None,
) -> Response:
    """Create a roundtable, open for responses."""
    titles, times, questions = agenda_title or [], agenda_time or [], agenda_question or []
    draft, problems = read_roundtable_form(
        title=title,
        day=day,
        clock=clock,
        place=place,
        link=link,
        description=description,
        framework=framework,
        written=bool(written),
        board=bool(board),
        columns=columns,
        agenda_titles=titles,
        agenda_times=times,
        agenda_questions=questions,
    )
    if draft is None:
        rows = max(AGENDA_ROWS, len(titles))
        form = {
            "title": title,
            "day": day,
            "clock": clock,
            "place": place,
            "link": link,
            "description": description,
            "framework": framework,
            "written": bool(written),
            "board": bool(board),
            "columns": columns,
            "agenda": [
                {
                    "title": titles[n] if n < len(titles) else "",
                    "time": times[n] if n < len(times) else "",
                    "question": questions[n] if n < len(questions) else "",
                }
                for n in range(rows)
            ],
        }
        return _list_page(request, actor, form, problems, status_code=400)
    rid = create_roundtable(actor.workspace, draft, actor=actor.user.email)
    return RedirectResponse(f"/w/{actor.workspace.id}/roundtables/{rid}", status_code=303)


def _organisation_of(request: Request, actor: Actor, roundtable: RoundtableRecord) -> str | None:
    """The organisation a roundtable belongs to: that of the person who created it."""
    for member in services(request).accounts.members(actor.workspace):
        if member.email == roundtable.created_by:
            return member.organisation
    return None


def _roundtable(actor: Actor, roundtable_id: int) -> RoundtableRecord:
    found = RoundtableStore(actor.workspace).get(roundtable_id)
    if found is None:
        raise HTTPException(status_code=404, detail=NOT_FOUND)
    return found


def _live_context(request: Request, actor: Actor, roundtable: RoundtableRecord) -> dict[str, Any]:
    """What the live panel shows, starting a refresh when it is behind the responses."""
    total = RoundtableStore(actor.workspace).response_count(roundtable.id)
    busy = refreshing(request, actor, roundtable.id)
    if total != roundtable.live_responses and not busy:
        # Covers a restart, or responses that came in while the last run was failing.
        busy = refresh_soon(request, actor, roundtable.id) or refreshing(
            request, actor, roundtable.id
        )
    live = roundtable.live
    if actor.own_submissions_only:
        mine = RoundtableStore(actor.workspace).responses(roundtable.id, actor.evidence)
        live = live_for_own_only(live, {r.item_id for r in mine})
    return {
        "roundtable": roundtable,
        "live": live,
        "total": total,
        "covered": roundtable.live_responses,
        "busy": busy or total != roundtable.live_responses,
        "version": f"{roundtable.live_responses}-{total}-{int(busy)}",
    }


def _board(
    roundtable: RoundtableRecord, responses: list[ResponseRecord]
) -> tuple[list[list[ResponseRecord]], list[list[ResponseRecord]]]:
    """Visible responses grouped by board column and by agenda item."""
    by: dict[tuple[str, int], list[ResponseRecord]] = defaultdict(list)
    for response in responses:
        by[(response.part, response.position)].append(response)
    columns = [by[(BOARD, n)] for n in range(len(roundtable.columns))]
    agenda = [by[(AGENDA, n)] for n in range(len(roundtable.agenda))]
    return columns, agenda


def _thanks(sent: int) -> str:
    if sent <= 0:
        return ""
    return f"Thank you: {sent} response{'' if sent == 1 else 's'} saved."


def _event_page(
    request: Request,
    actor: Actor,
    roundtable: RoundtableRecord,
    *,
    answers: dict[str, list[str]] | None = None,
    problems: list[str] | None = None,
    sent: int = 0,
    status_code: int = 200,
) -> Response:
    responses = RoundtableStore(actor.workspace).responses(roundtable.id, actor.evidence)
    columns, agenda = _board(roundtable, responses)
    asked = [n for n, a in enumerate(roundtable.agenda) if a.question] if roundtable.written else []
    answers = answers or {}
    return render(
        request,
        "roundtable.html",
        {
            "title": roundtable.title,
            "columns": columns,
            "agenda_responses": agenda,
            "asked": asked,
            "answers_agenda": answers.get(AGENDA, []),
            "answers_board": answers.get(BOARD, []),
            "problems": problems or [],
            "message": f"Thank you: {sent} response{'s' if sent != 1 else ''} saved."
            if sent
            else "",
            "can_respond": actor.can(Can.CONTRIBUTE) and roundtable.is_open,
            "can_convene": actor.may(
                Can.CONVENE, organisation=_organisation_of(request, actor, roundtable)
            ),
            "own_only": actor.own_submissions_only,
            **_live_context(request, actor, roundtable),
        },
        status_code=status_code,
        active="network",
    )


@router.get("/w/{workspace_id}/roundtables/{roundtable_id}")
def event_page(request: Request, actor: Member, roundtable_id: int, sent: int = 0) -> Response:
    """The event: agenda, response form, board and live themes."""
    return _event_page(request, actor, _roundtable(actor, roundtable_id), sent=sent)


@router.get("/w/{workspace_id}/roundtables/{roundtable_id}/live")
def live_panel(request: Request, actor: Member, roundtable_id: int) -> Response:
    """Only the live themes panel (fetched by the event page's script)."""
    roundtable = _roundtable(actor, roundtable_id)
    html = (
        services(request)
        .templates.get_template("roundtable_live.html")
        .render({"w": f"/w/{actor.workspace.id}", **_live_context(request, actor, roundtable)})
    )
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})


@router.post("/w/{workspace_id}/roundtables/{roundtable_id}/responses")
def send_responses(
    request: Request,
    actor: Responder,
    roundtable_id: int,
    agenda: Annotated[list[str] | None, Form(max_length=20000)] = None,
    board: Annotated[list[str] | None, Form(max_length=20000)] = None,
) -> Response:
    """Save what someone wrote, each answer as an item of evidence, and re-theme soon."""
    roundtable = _roundtable(actor, roundtable_id)
    kept = {AGENDA: agenda or [], BOARD: board or []}
    if not roundtable.is_open:
        return _event_page(
            request,
            actor,
            roundtable,
            answers=kept,
            problems=["This roundtable is closed to responses."],
            status_code=409,
        )
    answers, problems = answers_from_form(roundtable, kept[AGENDA], kept[BOARD])
    if problems:
        return _event_page(
            request, actor, roundtable, answers=kept, problems=problems, status_code=400
        )
    try:
        ids = respond(
            actor.workspace,
            roundtable,
            answers,
            responder=actor.user.email,
            organisation=actor.member.organisation,
        )
    except StoreError as exc:  # closed between loading the page and sending
        return _event_page(
            request, actor, roundtable, answers=kept, problems=[str(exc)], status_code=409
        )
    refresh_soon(request, actor, roundtable.id)
    return RedirectResponse(
        f"/w/{actor.workspace.id}/roundtables/{roundtable.id}?sent={len(ids)}#respond",
        status_code=303,
    )


@router.post("/w/{workspace_id}/roundtables/{roundtable_id}/status")
def set_status(
    request: Request,
    actor: Convener,
    roundtable_id: int,
    action: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Open or close the roundtable for responses (audit-logged)."""
    roundtable = _roundtable(actor, roundtable_id)
    if not actor.may(Can.CONVENE, organisation=_organisation_of(request, actor, roundtable)):
        raise HTTPException(
            status_code=403, detail="Only its own organisation may open or close this roundtable."
        )
    if action not in {"open", "close"}:
        raise HTTPException(status_code=400, detail="Choose to open or close the roundtable.")
    RoundtableStore(actor.workspace).set_open(
        roundtable.id, action == "open", actor=actor.user.email
    )
    return RedirectResponse(f"/w/{actor.workspace.id}/roundtables/{roundtable.id}", status_code=303)
