"""Survey and self-assessment pages: culture over time, benchmarks and self-assessment.

The numbers come from :mod:`upstream.survey` over the workspace's own stored
surveys (every query is scoped to the workspace), so the pages agree with
``upstream survey ...``. Charts are static SVG with a table of the same numbers;
groups of fewer than 10 people are shown as "fewer than 10", never as a number.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Final
from urllib.parse import urlencode

import pandas as pd
from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response, StreamingResponse
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from upstream.policy import FEWER_THAN, csv_lines
from upstream.reports.svg import line_chart
from upstream.store import StoreError
from upstream.store.assessment_repository import AssessmentRepository
from upstream.store.survey_repository import SurveyRepository
from upstream.survey.assessment import load_questionnaire
from upstream.survey.errors import SurveyError
from upstream.survey.panel import DEFAULT_SCALE
from upstream.survey.shown import difference, number, on_scale, shown_years
from upstream.survey.svg import maturity_chart
from upstream.survey.wide import parse_scales, scale_name
from upstream.web.background import job_path
from upstream.web.permissions import Actor, Can, need
from upstream.web.settings import services
from upstream.web.survey_culture_view import evidence_link, model_summary, peer_rows
from upstream.web.survey_jobs import (
    ASSESSMENT,
    KINDS,
    RESPONDENTS,
    WIDE,
    SurveyImport,
    start_survey_import,
)
from upstream.web.templating import render
from upstream.web.uploads import UploadError
from upstream.workflows.survey.assessment_entry import (
    ElementResult,
    agreed_ratings,
    organisation_results,
    organisation_scores,
    parse_ratings,
    recommend_codes,
    save_agreed_ratings,
)
from upstream.workflows.survey.assessment_io import stored_responses
from upstream.workflows.survey.culture import (
    measure_choices,
    organisation_series,
    organisations,
    panel_with_themes,
)

router = APIRouter(include_in_schema=False)
upload_router = APIRouter(include_in_schema=False)  # mounted with the larger body limit
Viewer = Annotated[Actor, Depends(need(Can.VIEW_RUNS))]
Importer = Annotated[Actor, Depends(need(Can.IMPORT))]
DEFAULT_ASSESSMENT: Final = "New Operating Models self-assessment"
SURVEY_SUFFIXES: Final = (".csv", ".xlsx", ".ods")
SCALE_CHOICES: Final = ("proportion", "percentage", "0-10", "index", "count")
Text = Annotated[str, Form(max_length=300)]


def _repository(actor: Actor) -> SurveyRepository:
    return SurveyRepository(actor.workspace.store, actor.workspace.name)


def _assessments(actor: Actor) -> AssessmentRepository:
    return AssessmentRepository(actor.workspace.store, actor.workspace.name)


def may_assess(actor: Actor, organisation: str | None) -> bool:
    """Whether this person may enter or update ``organisation``'s self-assessment.

    The owner may for any organisation; organisation admins and analysts for their own.
    """
    return actor.may(Can.ASSESS, organisation=organisation)


def _assessable(actor: Actor, known: list[str]) -> list[str]:
    if actor.can(Can.ANY_ORGANISATION):
        names = {*known, *actor.evidence.organisation_names()}
    else:
        names = {actor.member.organisation or ""}
    return sorted((n for n in names if n and may_assess(actor, n)), key=str.lower)


def _missing_years(years: list[int]) -> list[int]:
    """Years between the first and last with no score: the chart joins across them."""
    return [y for y in range(min(years), max(years)) if y not in years] if years else []


# --- overview ---------------------------------------------------------------------------


@router.get("/w/{workspace_id}/surveys")
def overview(request: Request, actor: Viewer) -> Response:
    """What survey data the workspace holds, with links, or how to load some."""
    repository = _repository(actor)
    surveys = repository.surveys()
    assessments = _assessments(actor).assessments()
    return render(
        request,
        "surveys.html",
        {
            "title": "Surveys",
            "surveys": surveys,
            "assessments": assessments,
            "may_assess": may_assess(actor, actor.member.organisation),
            "default_assessment": DEFAULT_ASSESSMENT,
        },
        active="surveys",
    )


# --- culture over time ------------------------------------------------------------------


def _culture_chart(organisation: str, label: str, series: pd.DataFrame) -> Markup:
    years = [str(int(y)) for y in series["year"]]
    ours = [round(100 * float(v)) for v in series["value"]]
    medians = [round(100 * float(v)) for v in series["median"]]
    svg = line_chart(
        years,
        [ours, medians],
        [organisation, "Median of comparable organisations"],
        title=f"{label}: {organisation} against the median, % positive by year",
    )
    return Markup(svg)


@router.get("/w/{workspace_id}/surveys/culture.csv")
def culture_csv(
    request: Request, actor: Viewer, survey: str = "", organisation: str = "", measure: str = ""
) -> Response:
    """The culture-over-time table of one organisation and measure, as on the page, as CSV."""
    names = [s.name for s in _repository(actor).surveys() if s.scores]
    if survey not in names:
        raise HTTPException(status_code=404, detail="There is no such survey here.")
    try:
        panel = panel_with_themes(
            actor.workspace.store, workspace=actor.workspace.name, survey=survey
        )
        series = organisation_series(panel, organisation, measure)
    except (StoreError, SurveyError) as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from exc
    years = shown_years(series, panel.scale(measure))
    services(request).accounts.audit(
        actor.user.email,
        "export",
        "culture",
        workspace_id=actor.workspace.id,
        filters={"survey": survey, "organisation": organisation, "measure": measure},
        format="csv",
    )
    header = [
        "year",
        "organisation",
        "measure",
        "score",
        "people answering",
        "change since its last survey",
        "reading of the change",
        "median of comparable organisations",
        "gap to the median",
        "rank",
        "organisations ranked",
    ]
    rows = (
        [
            y.year,
            organisation,
            panel.label(measure),
            y.value,
            "" if y.respondents is None else y.respondents,
            number(y.change),
            y.reading,
            y.median,
            number(y.gap),
            y.rank,
            y.n_orgs,
        ]
        for y in years
    )
    filename = f"upstream-culture-{date.today().isoformat()}.csv"
    return StreamingResponse(
        csv_lines(header, rows),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/w/{workspace_id}/surveys/culture")
def culture(
    request: Request, actor: Viewer, survey: str = "", organisation: str = "", measure: str = ""
) -> Response:
    """One organisation's culture-theme (or other measure) scores by year, against the median."""
    names = [s.name for s in _repository(actor).surveys() if s.scores]
    context: dict[str, Any] = {
        "title": "Culture over time",
        "surveys": names,
        "survey": "",
        "organisations": [],
        "organisation": "",
        "measures": [],
        "measure": "",
        "label": "",
        "rows": [],
        "chart": None,
        "problem": "",
        "peers": [],
        "peer_year": None,
        "model": None,
        "evidence": "",
    }
    if not names:
        return render(request, "survey_culture.html", context, active="surveys")
    survey = survey if survey in names else names[0]
    try:
        panel = panel_with_themes(
            actor.workspace.store, workspace=actor.workspace.name, survey=survey
        )
    except (StoreError, SurveyError) as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from exc
    orgs = organisations(panel)
    choices = measure_choices(panel)
    own = actor.member.organisation or ""
    organisation = organisation if organisation in orgs else (own if own in orgs else orgs[0])
    keys = [c.key for c in choices]
    measure = measure if measure in keys else keys[0]
    label = panel.label(measure)
    context.update(
        survey=survey,
        organisations=orgs,
        organisation=organisation,
        measures=choices,
        measure=measure,
        label=label,
    )
    try:
        series = organisation_series(panel, organisation, measure)
    except SurveyError as exc:
        context["problem"] = str(exc)
        return render(request, "survey_culture.html", context, active="surveys")
    scale = panel.scale(measure)
    context["scale"] = "" if scale == DEFAULT_SCALE else scale_name(scale)
    years = shown_years(series, scale)
    context["rows"] = years
    context["judged"] = any(y.reading for y in years)
    context["gap_years"] = _missing_years([y.year for y in years])
    if scale == DEFAULT_SCALE:  # the chart reads in percentages
        context["chart"] = _culture_chart(organisation, label, series)
    latest = int(series["year"].max())
    context["peer_year"] = latest
    context["peers"] = peer_rows(
        panel, measure, latest, organisation, on_scale=on_scale, difference=difference
    )
    context["model"] = model_summary(panel)
    context["evidence"] = evidence_link(actor, organisation)
    return render(request, "survey_culture.html", context, active="surveys")


# --- self-assessment ----------------------------------------------------------------------


def _chart(results: list[ElementResult], organisation: str) -> Markup:
    return Markup(
        maturity_chart(
            [r.title for r in results],
            [r.score for r in results],
            [r.median for r in results],
            weak=[r.weak for r in results],
            title=f"{organisation}: maturity of each element (1-5) against the peer median",
            missing=FEWER_THAN,
        )
    )


@router.get("/w/{workspace_id}/surveys/assessment")
def assessment(
    request: Request, actor: Viewer, name: str = "", organisation: str = "", saved: str = ""
) -> Response:
    """An organisation's self-assessment per element against the peers' median."""
    known = [n for n, _framework, _count in _assessments(actor).assessments()]
    questionnaire = load_questionnaire()
    context: dict[str, Any] = {
        "title": "Self-assessment",
        "assessments": known,
        "name": "",
        "organisations": [],
        "organisation": "",
        "results": [],
        "recommend_codes": [],
        "chart": None,
        "questionnaire": questionnaire,
        "may_edit": False,
        "can_start": bool(_assessable(actor, [])),
        "default_assessment": DEFAULT_ASSESSMENT,
        "saved": bool(saved),
        "agreed": False,
        "peers": 0,
        "fewer": FEWER_THAN,
    }
    if not known:
        return render(request, "assessment.html", context, active="surveys")
    name = name if name in known else known[0]
    responses = stored_responses(actor.workspace.store, workspace=actor.workspace.name, name=name)
    scores = organisation_scores(responses, questionnaire)
    orgs = sorted(set(scores["organisation"].astype(str)), key=str.lower)
    own = actor.member.organisation or ""
    if organisation not in orgs:
        organisation = own if own in orgs else (orgs[0] if orgs else "")
    context.update(name=name, organisations=orgs, organisation=organisation)
    context["may_edit"] = bool(organisation) and may_assess(actor, organisation)
    context["can_start"] = bool(_assessable(actor, orgs))
    if organisation:
        results = organisation_results(scores, questionnaire, organisation)
        mine = scores[scores["organisation"] == organisation]
        context.update(
            results=results,
            recommend_codes=recommend_codes(results),
            chart=_chart(results, organisation),
            agreed=bool(mine["agreed"].any()),
            peers=int(scores["organisation"].nunique()),
        )
    return render(request, "assessment.html", context, active="surveys")


def _form_page(
    request: Request,
    actor: Actor,
    *,
    name: str,
    organisation: str,
    values: dict[str, str],
    problems: list[str],
    status_code: int = 200,
) -> Response:
    known = [n for n, _framework, _count in _assessments(actor).assessments()]
    orgs: list[str] = []
    if name in known:
        responses = stored_responses(
            actor.workspace.store, workspace=actor.workspace.name, name=name
        )
        orgs = sorted(set(responses["organisation"].astype(str)))
    return render(
        request,
        "assessment_form.html",
        {
            "title": "Enter a self-assessment",
            "name": name,
            "organisation": organisation,
            "choices": _assessable(actor, orgs),
            "questionnaire": load_questionnaire(),
            "values": values,
            "problems": problems,
        },
        status_code=status_code,
        active="surveys",
    )


def _refuse_unless_assessing(actor: Actor, organisation: str) -> None:
    allowed = may_assess(actor, organisation) if organisation else bool(_assessable(actor, []))
    if not allowed:
        raise HTTPException(
            status_code=403,
            detail="Your role lets you read self-assessments but not enter them"
            + (f" for {organisation}." if organisation else "."),
        )


@router.get("/w/{workspace_id}/surveys/assessment/edit")
def assessment_form(
    request: Request, actor: Viewer, name: str = "", organisation: str = ""
) -> Response:
    """The form to enter or update an organisation's agreed ratings."""
    own = actor.member.organisation or ""
    organisation = organisation or ("" if actor.can(Can.ANY_ORGANISATION) else own)
    _refuse_unless_assessing(actor, organisation)
    name = name.strip() or DEFAULT_ASSESSMENT
    values: dict[str, str] = {}
    if organisation and name in [n for n, _f, _c in _assessments(actor).assessments()]:
        responses = stored_responses(
            actor.workspace.store, workspace=actor.workspace.name, name=name
        )
        values = {k: str(v) for k, v in agreed_ratings(responses, organisation).items()}
    return _form_page(
        request, actor, name=name, organisation=organisation, values=values, problems=[]
    )


@router.post("/w/{workspace_id}/surveys/assessment/edit")
async def save_assessment(request: Request, actor: Viewer) -> Response:
    """Save an organisation's agreed ratings (validated, audited); other responses are kept."""
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    name = fields.get("name", "").strip()[:200]
    organisation = fields.get("organisation", "").strip()[:300]
    questionnaire = load_questionnaire()
    values = {e.key: fields.get(f"rating-{e.key}", "").strip()[:10] for e in questionnaire.elements}
    problems: list[str] = []
    if not name:
        problems.append("Give the self-assessment a name.")
    if not organisation:
        problems.append("Choose the organisation this self-assessment is for.")
    else:
        _refuse_unless_assessing(actor, organisation)
    ratings, rating_problems = parse_ratings(values, questionnaire)
    problems += rating_problems
    if problems:
        return await run_in_threadpool(
            _form_page,
            request,
            actor,
            name=name or DEFAULT_ASSESSMENT,
            organisation=organisation,
            values=values,
            problems=problems,
            status_code=400,
        )
    await run_in_threadpool(
        save_agreed_ratings,
        actor.workspace.store,
        ratings,
        workspace=actor.workspace.name,
        name=name,
        organisation=organisation,
        framework=questionnaire.framework or "nom",
        actor=actor.user.email,
    )
    target = urlencode({"name": name, "organisation": organisation, "saved": "1"})
    return RedirectResponse(
        f"/w/{actor.workspace.id}/surveys/assessment?{target}#results", status_code=303
    )


# --- uploads ------------------------------------------------------------------------------


def _upload_page(
    request: Request,
    actor: Actor,
    *,
    values: dict[str, str],
    problems: list[str],
    status_code: int = 200,
) -> Response:
    size = services(request).settings.max_upload_bytes
    return render(
        request,
        "survey_upload.html",
        {
            "title": "Upload a survey file",
            "kinds": KINDS,
            "values": {
                "kind": "",
                "name": "",
                "org_column": "",
                "year_column": "",
                "year": "",
                "scales": "",
            }
            | values,
            "scale_words": SCALE_CHOICES,
            "problems": problems,
            "max_size": f"{size / 2**20:,.0f} MB",
            "accept": ",".join(SURVEY_SUFFIXES),
            "own_only": not actor.can(Can.ANY_ORGANISATION),
            "organisation": actor.member.organisation or "",
            "default_assessment": DEFAULT_ASSESSMENT,
        },
        status_code=status_code,
        active="surveys",
    )


@router.get("/w/{workspace_id}/surveys/upload")
def upload_form(request: Request, actor: Importer, kind: str = "") -> Response:
    """Choose a survey file and say what it holds."""
    return _upload_page(request, actor, values={"kind": kind if kind in KINDS else ""}, problems=[])


def _plan(actor: Actor, values: dict[str, str], problems: list[str]) -> SurveyImport | None:
    kind = values["kind"]
    if kind not in KINDS:
        problems.append("Say what the file holds.")
        return None
    year: int | None = None
    if values["year"]:
        if values["year"].isdigit() and 1990 <= int(values["year"]) <= 2100:
            year = int(values["year"])
        else:
            problems.append("The year must be a year like 2024.")
    if kind == WIDE and not values["org_column"]:
        problems.append("Give the name of the column that holds the organisation.")
    if kind == WIDE and not values["year_column"] and year is None:
        problems.append("Give the year column, or the year every row belongs to.")
    scales: dict[str, str] = {}
    lines = [line.strip() for line in values["scales"].splitlines() if line.strip()]
    if lines and kind != WIDE:
        problems.append("Scales apply only to a table with one row per organisation and year.")
    for line in lines if kind == WIDE else []:
        try:
            scales |= parse_scales([line])
        except SurveyError:
            problems.append(
                f"“{line[:80]}” is not a scale: write the column name, an equals sign and one "
                f"of {', '.join(SCALE_CHOICES)}, for example Responses = count."
            )
    own: str | None = None
    if kind == ASSESSMENT and not actor.can(Can.ANY_ORGANISATION):
        own = actor.member.organisation
        if not may_assess(actor, own):
            problems.append(
                "Your account is not linked to an organisation, so you cannot import a "
                "self-assessment. Ask the network convener."
            )
    default = DEFAULT_ASSESSMENT if kind == ASSESSMENT else "csps"
    return SurveyImport(
        kind,
        values["name"] or default,
        values["org_column"],
        values["year_column"],
        year,
        own,
        scales,
    )


@upload_router.post("/w/{workspace_id}/surveys/upload")
def upload(
    request: Request,
    actor: Importer,
    file: Annotated[UploadFile, File()],
    kind: Text = "",
    name: Text = "",
    org_column: Text = "",
    year_column: Text = "",
    year: Text = "",
    scales: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    """Receive a survey file, check it, and import it in the background (or show breakdowns)."""
    values = {
        "kind": kind.strip(),
        "name": name.strip()[:200],
        "org_column": org_column.strip(),
        "year_column": year_column.strip(),
        "year": year.strip(),
        "scales": scales.strip(),
    }
    problems: list[str] = []
    plan = _plan(actor, values, problems)
    filename = file.filename or "upload"
    suffix = "." + filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix not in SURVEY_SUFFIXES:
        problems.append("Survey files must be CSV, Excel (.xlsx) or OpenDocument (.ods).")
        status = 415 if len(problems) == 1 else 400
        return _upload_page(request, actor, values=values, problems=problems, status_code=status)
    if problems or plan is None:
        return _upload_page(request, actor, values=values, problems=problems, status_code=400)
    svc = services(request)
    try:
        saved = svc.uploads.save(
            file.file, filename, user_id=actor.user.id, workspace_id=actor.workspace.id
        )
    except UploadError as exc:
        return _upload_page(
            request, actor, values=values, problems=[exc.message], status_code=exc.status_code
        )
    if plan.kind == RESPONDENTS:  # files of culture-theme ids go straight to the results
        return RedirectResponse(
            f"/w/{actor.workspace.id}/surveys/respondents/{saved.id}", status_code=303
        )
    job = start_survey_import(svc, actor, saved, plan)
    return RedirectResponse(job_path(job), status_code=303)


__all__ = ["may_assess", "router", "upload_router"]
