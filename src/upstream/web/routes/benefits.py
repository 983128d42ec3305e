"""Benefits: measures over time with their targets, and the benefits register.

Pages:
* ``/w/{id}/benefits``: what the benefits pages do, and the measures stored;
  people who may import upload more here (their own organisation's only,
  unless they act for every organisation).
* ``/w/{id}/benefits/measure``: one series as a chart with its target line and
  the dates of changes made, and a table of the same numbers.
* ``/w/{id}/benefits/register``: the register; people who may import add benefits.
* ``/w/{id}/benefits/register/{bid}``: one benefit with the evidence that explains
  it, as the reader may see it, and a form to link more.
"""

from __future__ import annotations

import csv
import itertools
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup

from upstream.benefits.charts import series_chart
from upstream.evidence.errors import EvidenceImportError
from upstream.records.measures import (
    BENEFIT_CATEGORIES,
    BENEFIT_STATUSES,
    BenefitDraft,
    SeriesKey,
)
from upstream.web.permissions import Actor, Can, need, scope_for
from upstream.web.templating import render
from upstream.workflows.benefits.measures import (
    MeasureImport,
    import_measures,
    list_series,
    series_points,
)
from upstream.workflows.benefits.register import (
    BenefitView,
    RegisterError,
    add_benefit,
    benefit_view,
    link_item,
    link_theme,
    register,
    remove_benefit,
    update_benefit,
    value_summary,
)

router = APIRouter(include_in_schema=False)
Viewer = Annotated[Actor, Depends(need(Can.VIEW_RUNS))]
Editor = Annotated[Actor, Depends(need(Can.IMPORT))]
Text = Annotated[str, Form(max_length=300)]
MEASURE_SUFFIXES = {".csv", ".tsv", ".xlsx", ".ods"}
MEASURES_LIMIT = 900_000  # within the form body limit of the app
SHOWN_REJECTS = 20


def _measures_page(
    request: Request,
    actor: Actor,
    *,
    imported: MeasureImport | None = None,
    rejects: list[dict[str, str]] | None = None,
    problems: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    store = actor.workspace.store
    return render(
        request,
        "benefits.html",
        {
            "title": "Benefits",
            "series": list_series(store, actor.workspace.name),
            "can_import": actor.can(Can.IMPORT)
            and (actor.can(Can.ANY_ORGANISATION) or bool(actor.member.organisation)),
            "imported": imported,
            "rejects": rejects or [],
            "problems": problems or [],
        },
        status_code=status_code,
        active="benefits",
    )


@router.get("/w/{workspace_id}/benefits")
def benefits_page(request: Request, actor: Viewer) -> Response:
    """The benefits pages in brief, and the measure series stored."""
    return _measures_page(request, actor)


@router.post("/w/{workspace_id}/benefits/measures")
def import_measures_upload(
    request: Request, actor: Editor, file: Annotated[UploadFile, File()]
) -> Response:
    """Import an uploaded file of measures; show what was added and the rows rejected."""
    own = None if actor.can(Can.ANY_ORGANISATION) else actor.member.organisation
    if own is None and not actor.can(Can.ANY_ORGANISATION):
        raise HTTPException(status_code=403, detail="You do not act for an organisation.")
    name = Path(file.filename or "measures.csv").name
    suffix = Path(name).suffix.lower()
    if suffix not in MEASURE_SUFFIXES:
        problem = "Upload the measures as a CSV, Excel (.xlsx) or OpenDocument (.ods) file."
        return _measures_page(request, actor, problems=[problem], status_code=400)
    data = file.file.read(MEASURES_LIMIT + 1)
    if len(data) > MEASURES_LIMIT:
        problem = "The file must be smaller than 900 KB; import larger files from the command line."
        return _measures_page(request, actor, problems=[problem], status_code=413)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"measures{suffix}"
        path.write_bytes(data)
        try:
            result = import_measures(
                actor.workspace.store,
                path,
                workspace=actor.workspace.name,
                organisation=own,
                only=own,
                name=name,
                actor=actor.user.email,
            )
        except EvidenceImportError as exc:
            message = str(exc).replace(str(path), name).replace(path.name, name)
            return _measures_page(request, actor, problems=[message], status_code=400)
        rejects: list[dict[str, str]] = []
        if result.rejects_path is not None:
            with result.rejects_path.open(encoding="utf-8-sig", newline="") as handle:
                rejects = list(itertools.islice(csv.DictReader(handle), SHOWN_REJECTS))
    return _measures_page(request, actor, imported=result, rejects=rejects)


def _series(organisation: str, service: str, measure: str, channel: str) -> SeriesKey:
    return SeriesKey(organisation.strip(), service.strip(), measure.strip(), channel.strip())


@router.get("/w/{workspace_id}/benefits/measure")
def measure_page(
    request: Request,
    actor: Viewer,
    organisation: str = "",
    service: str = "",
    measure: str = "",
    channel: str = "",
) -> Response:
    """One measure over time: chart, changes made and the table behind the chart."""
    key = _series(organisation, service, measure, channel)
    points = series_points(actor.workspace.store, actor.workspace.name, key)
    if not points:
        raise HTTPException(status_code=404, detail="There is no such measure here.")
    unit = next((p.unit for p in reversed(points) if p.unit), "")
    changes = [(p.period, p.change) for p in points if p.change]
    changes = sorted(set(changes))
    heading = key.label[:1].upper() + key.label[1:]
    title = f"{heading} for {key.organisation}: actual values against the target"
    chart = series_chart(
        [(p.period, p.value) for p in points if p.kind == "actual"],
        [(p.period, p.value) for p in points if p.kind == "target"],
        baselines=[(p.period, p.value) for p in points if p.kind == "baseline"],
        changes=changes,
        title=title,
    )
    periods = sorted({p.period for p in points})
    rows = []
    numbers = {c: n for n, c in enumerate(changes, start=1)}
    for period in periods:
        row: dict[str, Any] = {"period": period, "changes": []}
        for p in points:
            if p.period == period:
                row[p.kind] = p.value
        row["changes"] = [(numbers[c], c[1]) for c in changes if c[0] == period]
        rows.append(row)
    return render(
        request,
        "benefits_measure.html",
        {
            "title": heading,
            "heading": heading,
            "key": key,
            "unit": unit,
            "chart": Markup(chart),
            "chart_title": title,
            "rows": rows,
            "changes": changes,
        },
        active="benefits",
    )


def _organisations(actor: Actor) -> list[str]:
    """The organisations this person may add benefits for."""
    if actor.can(Can.ANY_ORGANISATION):
        return sorted(actor.evidence.organisation_names())
    own = actor.member.organisation
    return [own] if own else []


def _blank() -> dict[str, str]:
    return dict.fromkeys(
        (
            "title",
            "organisation",
            "owner",
            "service",
            "measure",
            "channel",
            "baseline",
            "target",
            "due",
            "description",
            "value",
        ),
        "",
    ) | {"category": "cashable", "status": "planned"}


def _register_page(
    request: Request,
    actor: Actor,
    form: dict[str, str] | None = None,
    problems: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    views = register(actor.workspace.store, actor.workspace.name, scope=scope_for(actor.member))
    return render(
        request,
        "benefits_register.html",
        {
            "title": "Benefits register",
            "views": views,
            "valued": value_summary([view.record.draft for view in views]),
            "can_add": actor.can(Can.IMPORT) and bool(_organisations(actor)),
            "organisations": _organisations(actor),
            "categories": BENEFIT_CATEGORIES,
            "statuses": BENEFIT_STATUSES,
            "form": form or _blank(),
            "problems": problems or [],
        },
        status_code=status_code,
        active="benefits",
    )


@router.get("/w/{workspace_id}/benefits/register")
def register_page(request: Request, actor: Viewer) -> Response:
    """The benefits register and, for people who may import, the form to add one."""
    return _register_page(request, actor)


def _number(text: str, label: str, problems: list[str]) -> float | None:
    cleaned = text.strip().replace(",", "").replace("£", "")
    if not cleaned:
        return None
    try:
        return float(cleaned)
    except ValueError:
        problems.append(f"Enter the {label} as a number, like 1200 or 3.5.")
        return None


def _date(text: str, problems: list[str]) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        problems.append("Enter the date as year, month and day, like 2026-03-31.")
        return None


@router.post("/w/{workspace_id}/benefits/register")
def add(
    request: Request,
    actor: Editor,
    title: Text = "",
    organisation: Text = "",
    category: Text = "",
    status: Text = "planned",
    owner: Text = "",
    service: Text = "",
    measure: Text = "",
    channel: Text = "",
    baseline: Text = "",
    target: Text = "",
    due: Text = "",
    description: Annotated[str, Form(max_length=5000)] = "",
    value: Text = "",
) -> Response:
    """Add a benefit to the register of an organisation this person acts for."""
    form = {
        "title": title,
        "organisation": organisation,
        "category": category,
        "status": status,
        "owner": owner,
        "service": service,
        "measure": measure,
        "channel": channel,
        "baseline": baseline,
        "target": target,
        "due": due,
        "description": description,
        "value": value,
    }
    problems: list[str] = []
    if not actor.may(Can.IMPORT, organisation=organisation.strip()):
        problems.append("Choose an organisation you act for.")
    base = _number(baseline, "baseline", problems)
    goal = _number(target, "target", problems)
    worth = _number(value, "expected value (£ a year)", problems)
    due_date = _date(due, problems)
    draft = BenefitDraft(
        organisation=organisation.strip(),
        title=title.strip(),
        category=category,
        status=status,
        owner=owner.strip(),
        series=_series(organisation, service, measure, channel) if measure.strip() else None,
        baseline=base,
        target=goal,
        due=due_date,
        description=description.strip(),
        value=worth,
    )
    if not problems:
        try:
            benefit_id = add_benefit(
                actor.workspace.store, actor.workspace.name, draft, actor=actor.user.email
            )
        except RegisterError as exc:
            problems.append(str(exc))
    if problems:
        return _register_page(request, actor, form, problems, status_code=400)
    return RedirectResponse(
        f"/w/{actor.workspace.id}/benefits/register/{benefit_id}", status_code=303
    )


def _benefit_page(
    request: Request,
    actor: Actor,
    benefit_id: int,
    problems: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    view = _seen_benefit(actor, benefit_id)
    return render(
        request,
        "benefits_benefit.html",
        {
            "title": view.record.draft.title,
            "view": view,
            "can_link": actor.may(Can.IMPORT, organisation=view.record.draft.organisation),
            "problems": problems or [],
            "categories": BENEFIT_CATEGORIES,
            "statuses": BENEFIT_STATUSES,
            "updated": request.query_params.get("updated") == "1",
        },
        status_code=status_code,
        active="benefits",
    )


@router.get("/w/{workspace_id}/benefits/register/{benefit_id}")
def benefit_page(request: Request, actor: Viewer, benefit_id: int) -> Response:
    """One benefit with the evidence and themes that explain it."""
    return _benefit_page(request, actor, benefit_id)


def _seen_benefit(actor: Actor, benefit_id: int) -> BenefitView:
    """The benefit as this person may see it (404 when it is not here)."""
    try:
        return benefit_view(
            actor.workspace.store, actor.workspace.name, benefit_id, scope=scope_for(actor.member)
        )
    except RegisterError as exc:
        raise HTTPException(status_code=404, detail="There is no such benefit here.") from exc


def _own_benefit(actor: Actor, benefit_id: int) -> BenefitView:
    """The benefit, if this person may change it (404 when not here, 403 when not theirs)."""
    view = _seen_benefit(actor, benefit_id)
    if not actor.may(Can.IMPORT, organisation=view.record.draft.organisation):
        raise HTTPException(
            status_code=403, detail="You cannot change this organisation's benefits."
        )
    return view


@router.post("/w/{workspace_id}/benefits/register/{benefit_id}/update")
def update(
    request: Request,
    actor: Editor,
    benefit_id: int,
    title: Text = "",
    category: Text = "",
    status: Text = "",
    owner: Text = "",
    baseline: Text = "",
    target: Text = "",
    due: Text = "",
    value: Text = "",
    description: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    """Record where a benefit stands now; its organisation and measure stay."""
    view = _own_benefit(actor, benefit_id)
    problems: list[str] = []
    due_date = _date(due, problems)
    draft = replace(
        view.record.draft,
        title=title.strip(),
        category=category,
        status=status,
        owner=owner.strip(),
        baseline=_number(baseline, "baseline", problems),
        target=_number(target, "target", problems),
        due=due_date,
        value=_number(value, "expected value (£ a year)", problems),
        description=description.strip(),
    )
    if not problems:
        try:
            update_benefit(
                actor.workspace.store,
                actor.workspace.name,
                benefit_id,
                draft,
                actor=actor.user.email,
            )
        except RegisterError as exc:
            problems.append(str(exc))
    if problems:
        return _benefit_page(request, actor, benefit_id, problems, status_code=400)
    return RedirectResponse(
        f"/w/{actor.workspace.id}/benefits/register/{benefit_id}?updated=1", status_code=303
    )


@router.post("/w/{workspace_id}/benefits/register/{benefit_id}/remove")
def remove(
    request: Request,
    actor: Editor,
    benefit_id: int,
    confirm: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    """Take a benefit and its links out of the register, once the person confirms it."""
    _own_benefit(actor, benefit_id)
    if confirm != "yes":
        problems = ["Tick the box to confirm that the benefit should be removed."]
        return _benefit_page(request, actor, benefit_id, problems, status_code=400)
    remove_benefit(actor.workspace.store, actor.workspace.name, benefit_id, actor=actor.user.email)
    return RedirectResponse(f"/w/{actor.workspace.id}/benefits/register", status_code=303)


@router.post("/w/{workspace_id}/benefits/register/{benefit_id}/links")
def link(
    request: Request,
    actor: Editor,
    benefit_id: int,
    item: Annotated[str, Form(max_length=20)] = "",
    theme: Annotated[str, Form(max_length=20)] = "",
    note: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """Link an item of evidence or a theme that explains the benefit."""
    _own_benefit(actor, benefit_id)
    store, name = actor.workspace.store, actor.workspace.name
    scope = scope_for(actor.member)
    problems: list[str] = []
    item_id = item.strip().lstrip("#")
    theme_id = theme.strip().lstrip("#")
    if not item_id and not theme_id:
        problems.append("Enter the number of an item or of a theme.")
    try:
        if item_id:
            if not item_id.isdigit():
                raise RegisterError("Enter the item's number, like 1204.")
            link_item(
                store,
                name,
                benefit_id,
                int(item_id),
                actor=actor.user.email,
                scope=scope,
                note=note,
            )
        if theme_id:
            if not theme_id.isdigit():
                raise RegisterError("Enter the theme's number, like 12.")
            link_theme(store, name, benefit_id, int(theme_id), actor=actor.user.email, note=note)
    except RegisterError as exc:
        problems.append(str(exc))
    if problems:
        return _benefit_page(request, actor, benefit_id, problems, status_code=400)
    return RedirectResponse(
        f"/w/{actor.workspace.id}/benefits/register/{benefit_id}#evidence", status_code=303
    )
