"""Dashboards: organisations against the framework, barriers and enablers, trends, segments.

Every figure comes from :mod:`upstream.reports`, over the evidence the person
may see, so the page, the downloaded report and the command line agree. Charts
are static SVG with a table of the same numbers beside each (no script needed).
Groups of fewer than 10 items are shown as "fewer than 10".
"""

from __future__ import annotations

import tempfile
import threading
from collections import OrderedDict
from datetime import date
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from markupsafe import Markup

from upstream.reports import ReportData, ReportError, write_report
from upstream.reports.build import ReportEvidence, gather, report_from
from upstream.reports.safety import FEWER_THAN
from upstream.reports.svg import bar_chart, line_chart, shade
from upstream.store.accounts import EvidenceQuery, Scope
from upstream.store.coding_repository import CodingStore
from upstream.web.permissions import Actor, Can, need, scope_for
from upstream.web.routes.coding import frameworks
from upstream.web.settings import services
from upstream.web.templating import render

router = APIRouter(include_in_schema=False)
Viewer = Annotated[Actor, Depends(need(Can.VIEW_RUNS))]
Exporter = Annotated[Actor, Depends(need(Can.EXPORT))]
MEDIA = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
CACHE_SIZE = 16
_cache: OrderedDict[tuple[Any, ...], tuple[ReportEvidence, ReportData]] = OrderedDict()
_cache_lock = threading.Lock()


def _fingerprint(actor: Actor) -> tuple[Any, ...]:
    """What changes when the dashboards would: items, runs and any audited edit or decision."""
    workspace = actor.workspace
    runs = CodingStore(workspace).runs(limit=1)
    last = workspace.audit_log(limit=1)
    marker = (last[0].at, last[0].action, last[0].target_id) if last else None
    return (workspace.info().items, runs[0].id if runs else None, marker)


def evidence_for(actor: Actor, codebook: str | None) -> tuple[ReportEvidence, ReportData]:
    """The evidence behind the dashboards for this person, and its network-wide report.

    Both are cached until the workspace's items, runs or audit log change.

    Raises:
        HTTPException: 404 when no run used ``codebook``.
    """
    scope: Scope = scope_for(actor.member)
    key = (actor.workspace.id, scope, codebook or "", _fingerprint(actor))
    with _cache_lock:
        found = _cache.get(key)
        if found is not None:
            _cache.move_to_end(key)
            return found
    items = None if scope.see_all else list(actor.evidence.iter_items(EvidenceQuery()))
    try:
        gathered = gather(
            actor.workspace.store, actor.workspace, items=items, codebook=codebook or None
        )
    except ReportError as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from exc
    value = (gathered, report_from(gathered))
    with _cache_lock:
        _cache[key] = value
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return value


def _charts(data: ReportData) -> dict[str, Markup]:
    charts: dict[str, Markup] = {}
    elements = data.top_level
    if elements:
        charts["coverage"] = Markup(
            bar_chart(
                [r.title for r in elements],
                [r.items for r in elements],
                title="Coded items per element of the framework",
            )
        )
    for kind in ("barrier", "enabler", "driver"):
        rows = [r for r in data.patterns if r.kind == kind][:10]
        if rows:
            svg = bar_chart(
                [r.title for r in rows],
                [r.organisations for r in rows],
                title=f"Organisations naming each {kind}",
                of=rows[0].of,
            )
            if kind == "barrier":
                svg = svg.replace('class="chart-svg"', 'class="chart-svg barriers"', 1)
            charts[kind] = Markup(svg)
    if data.trend is not None and data.trend.series:
        charts["trend"] = Markup(
            line_chart(
                data.trend.months,
                data.trend.series,
                data.trend.titles,
                title="Coded items per month for each element",
            )
        )
    return charts


@router.get("/w/{workspace_id}/dashboards")
def dashboards(request: Request, actor: Viewer, codebook: str = "", segment: str = "") -> Response:
    """Heatmap, barriers and enablers, trends and segment breakdowns."""
    evidence, data = evidence_for(actor, codebook)
    attributes = actor.evidence.attribute_names()
    segments = evidence.segments(segment) if segment in attributes else None
    names = dict(frameworks())
    return render(
        request,
        "dashboards.html",
        {
            "title": "Dashboards",
            "data": data,
            "charts": _charts(data),
            "codebook": codebook,
            "codebooks": [(key, names.get(key, key)) for key in evidence.codebooks],
            "attributes": attributes,
            "segment": segment,
            "segments": segments,
            "organisations": sorted({i.organisation for i in evidence.items if i.organisation}),
            "shade": shade,
            "fewer": FEWER_THAN,
        },
        active="dashboards",
    )


@router.get("/w/{workspace_id}/dashboards/report")
def download_report(
    request: Request, actor: Exporter, format: str = "html", codebook: str = "", org: str = ""
) -> Response:
    """The report as a file to download (HTML, PDF or XLSX); the export is audited."""
    if format not in MEDIA:
        raise HTTPException(status_code=400, detail="Choose HTML, PDF or XLSX.")
    evidence, network = evidence_for(actor, codebook)
    try:
        data = report_from(evidence, org=org) if org else network
    except ReportError as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from exc
    with tempfile.TemporaryDirectory(prefix="upstream-report-") as folder:
        path = write_report(data, Path(folder) / f"report.{format}")
        content = path.read_bytes()
    services(request).accounts.audit(
        actor.user.email,
        "export",
        "report",
        workspace_id=actor.workspace.id,
        format=format,
        organisation=org or None,
        codebook=codebook or None,
    )
    stem = "upstream-report" + (f"-{_slug(org)}" if org else "")
    filename = f"{stem}-{date.today().isoformat()}.{format}"
    return Response(
        content,
        media_type=MEDIA[format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())[:60]
