"""Respondent-level survey uploads: the mapping step, the breakdowns and the template.

A file whose columns are the culture-theme ids is read at once, as before. Any
other file first goes through the mapping step: the person says which columns
are statements (and which are reversed), which are groups, how answers are
given and which theme each statement belongs to. The upload is kept for a day
for that person alone and never added to the workspace.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pandas as pd
from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from upstream.policy import FEWER_THAN
from upstream.reports.svg import bar_chart
from upstream.survey.errors import SurveyError
from upstream.survey.respondent_mapping import (
    ALL_STATEMENTS,
    RespondentMapping,
    analyse_mapped,
    suggest_mapping,
)
from upstream.survey.respondent_template import TEMPLATE_NAME, template_csv
from upstream.survey.respondents import analyse
from upstream.survey.tables import read_table
from upstream.survey.themes import load_themes
from upstream.web.permissions import Actor
from upstream.web.routes.surveys import Importer
from upstream.web.settings import services
from upstream.web.survey_mapping_form import (
    OWN,
    ROLES,
    column_rows,
    culture_choices,
    is_mapped,
    mapping_from_query,
    mapping_query,
)
from upstream.web.templating import render
from upstream.web.uploads import Upload

router = APIRouter(include_in_schema=False)
TITLE = "Respondent-level survey"


def _upload(request: Request, actor: Actor, upload_id: str) -> Upload:
    saved = services(request).uploads.get(
        upload_id, user_id=actor.user.id, workspace_id=actor.workspace.id
    )
    if saved is None or not saved.path.exists():
        raise HTTPException(status_code=404, detail="This upload has expired. Upload it again.")
    return saved


def _rows(table: pd.DataFrame, by: str, key: str) -> list[dict[str, Any]]:
    rows = []
    for record in table.to_dict("records"):
        suppressed = bool(record["suppressed"])
        rows.append(
            {
                "group": "All respondents" if not by else str(record.get(by, "")),
                "what": str(record.get("title") or record.get(key) or ""),
                # "fewer than 10", or "not shown" for a group hidden to protect a smaller one.
                "n": str(record["display"]) if suppressed else f"{int(record['n']):,}",
                "value": str(record["display"]),
                "suppressed": suppressed,
            }
        )
    return rows


def _problem(request: Request, saved: Upload, problem: str, back: str) -> Response:
    return render(
        request,
        "survey_respondents.html",
        {"title": TITLE, "upload": saved, "problem": problem, "back": back},
        status_code=400,
        active="surveys",
    )


@router.get("/w/{workspace_id}/surveys/respondents/{upload_id}/map")
def mapping_step(request: Request, actor: Importer, upload_id: str) -> Response:
    """Say which columns are statements and groups, how answers are given, and the themes."""
    saved = _upload(request, actor, upload_id)
    try:
        frame = read_table(saved.path)
    except SurveyError as exc:
        return _problem(request, saved, str(exc), "")
    params = dict(request.query_params)
    mapping = mapping_from_query(frame, params) if is_mapped(params) else suggest_mapping(frame)
    return render(
        request,
        "survey_map.html",
        {
            "title": "Say how to read the file",
            "upload": saved,
            "respondents": len(frame),
            "columns": column_rows(frame, mapping),
            "roles": ROLES,
            "themes": culture_choices(),
            "own": OWN,
            "answers": mapping.scale.kind,
            "points": mapping.scale.points,
        },
        active="surveys",
    )


def _sections(results: dict[str, pd.DataFrame], by: str, mapped: bool) -> list[Any]:
    names = (
        (
            ("themes", "Themes (% positive)", "theme"),
            ("items", "Statements (% positive)", "item"),
        )
        if mapped
        else (
            ("themes", "Culture themes (% positive)", "theme"),
            ("engagement", "Engagement index (0-100)", ""),
            ("items", "Questions (% positive)", "item"),
        )
    )
    return [
        (name, title, _rows(results[name], by, key))
        for name, title, key in names
        if name in results
    ]


def _chart(whole: pd.DataFrame | None, mapped: bool) -> Markup | None:
    if whole is None:
        return None
    shown = whole[~whole["suppressed"]]
    if mapped:
        shown = shown[shown["theme"] != ALL_STATEMENTS]
    if shown.empty or (not mapped and whole["suppressed"].any()):
        return None
    title = "Themes" if mapped else "Culture themes"
    return Markup(
        bar_chart(
            [str(t) for t in shown["title"]],
            [round(float(v)) for v in shown["percent_positive"]],
            title=f"{title}: % positive among all respondents",
            of=100,
        )
    )


@router.get("/w/{workspace_id}/surveys/respondents/{upload_id}")
def respondents(request: Request, actor: Importer, upload_id: str, by: str = "") -> Response:
    """Breakdowns of an uploaded respondent-level survey: themes, statements and groups."""
    saved = _upload(request, actor, upload_id)
    base = f"/w/{actor.workspace.id}/surveys/respondents/{saved.id}"
    params = dict(request.query_params)
    mapped = is_mapped(params)
    themes = load_themes()
    mapping: RespondentMapping | None = None
    frame = pd.DataFrame()
    try:
        frame = read_table(saved.path)
        if mapped:
            mapping = mapping_from_query(frame, params)
            groupings = list(mapping.groups)
        elif any(i in frame.columns for i in themes.items):
            groupings = [str(c) for c in frame.columns if str(c) not in set(themes.items)]
        else:  # not a file of culture-theme ids: say how to read it first
            return RedirectResponse(f"{base}/map", status_code=303)
        by = by if by in groupings else ""
        grouped = [by] if by else []
        if mapping is not None:
            results = analyse_mapped(frame, mapping, by=grouped, source=saved.filename)
            overall = analyse_mapped(frame, mapping, source=saved.filename) if by else results
        else:
            results = analyse(frame, themes, by=grouped)
            overall = analyse(frame, themes) if by else results
    except SurveyError as exc:
        carried = urlencode(mapping_query(frame, mapping)) if mapping is not None else ""
        return _problem(request, saved, str(exc), f"{base}/map?{carried}" if carried else "")
    hidden = sum(int(t["suppressed"].sum()) for t in results.values())
    carry = mapping_query(frame, mapping) if mapping is not None else []
    return render(
        request,
        "survey_respondents.html",
        {
            "title": TITLE,
            "upload": saved,
            "problem": "",
            "respondents": len(frame),
            "groupings": groupings,
            "by": by,
            "chart": _chart(overall.get("themes"), mapped),
            "sections": _sections(results, by, mapped),
            "hidden": hidden,
            "fewer": FEWER_THAN,
            "carry": carry,
            "change": f"{base}/map?{urlencode(carry)}" if carry else f"{base}/map",
            "described": mapping.describe() if mapping is not None else "",
        },
        active="surveys",
    )


@router.get("/w/{workspace_id}/surveys/respondents-template.csv")
def template(actor: Importer) -> Response:
    """A template respondent file to fill in (CSV)."""
    return Response(
        template_csv(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{TEMPLATE_NAME}"'},
    )


__all__ = ["router"]
