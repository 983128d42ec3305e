"""Dashboards: organisations against the framework, barriers and enablers, trends, segments.

Every figure comes from :mod:`upstream.reports`, over the evidence the person
may see, so the page, the downloaded report and the command line agree. Charts
are static SVG with a table of the same numbers beside each (no script needed).
Groups of fewer than 10 items are shown as "fewer than 10". The database counts
what a scope sees (:func:`upstream.workflows.dashboard_figures.dashboard_figures`),
and the figures are kept per data version (see :func:`dashboard_for`), so a
workspace of 100,000 items is never read item by item for the page; only the
downloaded report reads every item (for its quotes and themes).
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import partial
from pathlib import Path
from typing import Annotated, Any, cast

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response
from markupsafe import Markup

from upstream.policy import FEWER_THAN, suppressed
from upstream.records.evidence_types import EVIDENCE_TYPES, types_covered
from upstream.reports import ReportData, ReportError, write_report
from upstream.reports.evidence import CONFIDENT, COUNTING, DBE, CodedEvidence
from upstream.reports.svg import line_chart, shade
from upstream.reports.views import Key
from upstream.store.accounts import EvidenceQuery, Scope
from upstream.web.dashboard_links import FigureLinks, headline_links, linked_bars
from upstream.web.evidence_filters import code_ids, filter_choices
from upstream.web.evidence_types import TYPE_PROBLEM, type_choices
from upstream.web.permissions import Actor, Can, need, scope_for
from upstream.web.routes.coding import frameworks
from upstream.web.settings import services
from upstream.web.templating import render
from upstream.workflows.dashboard_figures import ViewCounts, dashboard_figures, segment_matrix
from upstream.workflows.reports import OneKind, ReportEvidence, gather, report_from

router = APIRouter(include_in_schema=False)
Viewer = Annotated[Actor, Depends(need(Can.VIEW_RUNS))]
Exporter = Annotated[Actor, Depends(need(Can.EXPORT))]
MEDIA = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_segments_lock = threading.Lock()


@dataclass
class Dashboard:
    """What the dashboards show one visibility scope, worked out once per data version.

    Attributes:
        data: The network-wide figures.
        organisations: Organisations among the items, A to Z.
        codebooks: Ids of the codebooks with a finished run, newest run first.
        coded: The codes counted, for the segment breakdowns.
        source_ids: The sources the figures cover (None: every source).
        beside: For one evidence type, what each other type's view counts.
        kind: That evidence type ("" for everyone's evidence).
        covered: Figures withheld so that no type's view gives another's away.
        period: The trend's period every type's view shares.
        segments: Segment breakdowns worked out so far, by attribute.
    """

    data: ReportData
    organisations: list[str]
    codebooks: list[str]
    coded: CodedEvidence | None = None
    source_ids: tuple[int, ...] | None = None
    beside: Mapping[str, ViewCounts] = field(default_factory=dict)
    kind: str = ""
    covered: frozenset[Key] = frozenset()
    period: str | None = None
    segments: dict[str, Any] = field(default_factory=dict)


def dashboard_for(
    request: Request,
    actor: Actor,
    codebook: str | None,
    counting: str = CONFIDENT,
    source_ids: tuple[int, ...] | None = None,
    version: tuple[int, ...] | None = None,
    beside: tuple[tuple[str, tuple[int, ...]], ...] = (),
    kind: str = "",
) -> Dashboard:
    """The dashboards for this person, cached until the workspace's data changes.

    The data version covers items, runs and every audited edit or decision.
    When many people open the dashboards at once, one of them builds it and the
    rest wait for that result. The database does the counting, per scope
    (:func:`dashboard_figures`), so even the first view reads only the coded items.

    ``counting`` says which codes count: ``confident`` (codes people gave or checked and
    the machine's confident suggestions) or ``checked`` (only people's).
    ``source_ids`` keeps only the items of those sources (one evidence type);
    ``beside`` gives every other type's sources, so that no figure lets one
    type's view be subtracted from another's (:mod:`upstream.reports.views`);
    ``kind`` names the type ``source_ids`` holds.
    ``version`` is the workspace's data version when the caller already has it.

    Raises:
        HTTPException: 400 for an unknown ``counting``; 404 when no run used ``codebook``.
    """
    if counting not in COUNTING:
        raise HTTPException(status_code=400, detail="Count checked or confident codes.")
    scope: Scope = scope_for(actor.member)
    version = version or actor.evidence.data_version()
    key = (actor.workspace.id, scope, codebook or "", counting, source_ids, beside, kind, version)
    build = partial(_build, actor, scope, codebook, counting, source_ids, beside, kind)
    return cast(Dashboard, services(request).caches.dashboards.get_or_build(key, build))


def _build(
    actor: Actor,
    scope: Scope,
    codebook: str | None,
    counting: str,
    source_ids: tuple[int, ...] | None,
    beside: tuple[tuple[str, tuple[int, ...]], ...],
    kind: str,
) -> Dashboard:
    try:
        found = dashboard_figures(
            actor.workspace,
            scope,
            codebook=codebook or None,
            counting=counting,
            source_ids=source_ids,
            beside=dict(beside),
            kind=kind,
        )
    except ReportError as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from exc
    return Dashboard(
        found.data,
        found.organisations,
        found.codebooks,
        found.coded,
        source_ids,
        found.beside,
        kind,
        found.covered,
        found.period,
    )


def report_evidence_for(
    request: Request, actor: Actor, codebook: str | None, counting: str = CONFIDENT
) -> ReportEvidence:
    """Everything a downloaded report reads (items, quotes, themes), cached like the dashboards.

    Raises:
        HTTPException: 400 for an unknown ``counting``; 404 when no run used ``codebook``.
    """
    if counting not in COUNTING:
        raise HTTPException(status_code=400, detail="Count checked or confident codes.")
    scope: Scope = scope_for(actor.member)
    version = actor.evidence.data_version()
    key = ("report", actor.workspace.id, scope, codebook or "", counting, version)
    build = partial(_gather, actor, scope, codebook, counting)
    return cast(ReportEvidence, services(request).caches.dashboards.get_or_build(key, build))


def _gather(actor: Actor, scope: Scope, codebook: str | None, counting: str) -> ReportEvidence:
    items = None if scope.see_all else list(actor.evidence.iter_items(EvidenceQuery()))
    try:
        return gather(
            actor.workspace.store,
            actor.workspace,
            items=items,
            codebook=codebook or None,
            counting=counting,
        )
    except ReportError as exc:
        raise HTTPException(status_code=404, detail=str(exc)) from exc


def _segments(actor: Actor, dashboard: Dashboard, segment: str) -> Any:
    with _segments_lock:
        if segment in dashboard.segments:
            return dashboard.segments[segment]
    value = segment_matrix(
        actor.workspace,
        scope_for(actor.member),
        segment,
        dashboard.coded,
        source_ids=dashboard.source_ids,
        beside=dashboard.beside,
        kind=dashboard.kind,
    )
    with _segments_lock:
        dashboard.segments[segment] = value
    return value


def _charts(data: ReportData, links: FigureLinks) -> dict[str, Markup]:
    charts: dict[str, Markup] = {}
    elements = data.top_level
    if elements:
        charts["coverage"] = linked_bars(
            [r.bar[0] for r in elements],
            [r.bar[1] for r in elements],
            [links.items(r.code) for r in elements],
            title="Coded items per element of the framework",
            withheld=[r.shown for r in elements],
        )
    for kind in ("barrier", "enabler", "driver"):
        rows = [r for r in data.patterns if r.kind == kind][:10]
        if rows:
            charts[kind] = linked_bars(
                [r.title for r in rows],
                [r.organisations for r in rows],
                [links.pattern(r.code) for r in rows],
                title=f"Organisations naming each {kind}",
                of=rows[0].of,
                css_class="barriers" if kind == "barrier" else "",
            )
    if data.trend is not None and data.trend.drawn:
        trend, shares = data.trend, data.trend.share_series
        charts["trend"] = Markup(
            line_chart(
                trend.periods,
                [shares[n] for n in trend.drawn],
                [trend.titles[n] for n in trend.drawn],
                title=f"Share of each {trend.period}'s items coded to each element",
                percent=True,
            )
        )
    return charts


@router.get("/w/{workspace_id}/dashboards")
def dashboards(
    request: Request,
    actor: Viewer,
    codebook: str = "",
    segment: str = "",
    counting: str = CONFIDENT,
    type: str = "",
) -> Response:
    """Heatmap, barriers and enablers, trends and segment breakdowns."""
    version = actor.evidence.data_version()
    choices = filter_choices(request, actor, version)
    by_type = choices.by_type
    dashboard = _dashboard_of_type(request, actor, codebook, counting, type, by_type, version)
    data = dashboard.data
    attributes = list(choices.attributes)
    segments = _segments(actor, dashboard, segment) if segment in attributes else None
    names = dict(frameworks(actor))
    framework = data.method.framework_id if data.method else (codebook or "")
    links = FigureLinks(
        actor.workspace.id, framework, code_ids(request, actor, framework, version),
        evidence_type=type,
    )  # fmt: skip
    links_dbe = replace(links, framework=DBE, code_ids=code_ids(request, actor, DBE, version))
    return render(
        request,
        "dashboards.html",
        {
            "title": "Dashboards",
            "data": data,
            "charts": _charts(data, links),
            "links": links,
            "pattern_links": links_dbe,
            "headlines": headline_links(data, links),
            "evidence_type": type,
            "types": type_choices(by_type),
            "covered": types_covered([type] if type else by_type),
            "codebook": codebook,
            "counting": counting,
            "countings": list(COUNTING.items()),
            "codebooks": [(key, names.get(key, key)) for key in dashboard.codebooks],
            "attributes": attributes,
            "segment": segment,
            "segments": segments,
            "organisations": dashboard.organisations,
            "shade": shade,
            "fewer": FEWER_THAN,
            "small": suppressed,
        },
        active="dashboards",
    )


def _dashboard_of_type(
    request: Request,
    actor: Actor,
    codebook: str,
    counting: str,
    kind: str,
    by_type: dict[str, tuple[int, ...]],
    version: tuple[int, ...],
) -> Dashboard:
    """The dashboards for everyone's evidence, or for one type's beside every other type's."""
    if kind and kind not in EVIDENCE_TYPES:
        raise HTTPException(status_code=400, detail=TYPE_PROBLEM)
    return dashboard_for(
        request,
        actor,
        codebook,
        counting,
        _sources(by_type, kind),
        version=version,
        beside=tuple((other, ids) for other, ids in by_type.items() if kind and other != kind),
        kind=kind,
    )


@router.get("/w/{workspace_id}/dashboards/report")
def download_report(
    request: Request,
    actor: Exporter,
    format: str = "html",
    codebook: str = "",
    org: str = "",
    counting: str = CONFIDENT,
    type: str = "",
) -> Response:
    """The report as a file to download (HTML, PDF or XLSX); the export is audited.

    With ``type``, the network's report counts only that type of evidence and
    withholds what the dashboards' view of that type withholds.
    """
    if format not in MEDIA:
        raise HTTPException(status_code=400, detail="Choose HTML, PDF or XLSX.")
    if type and org:
        raise HTTPException(
            status_code=400,
            detail="A report about one organisation covers all of its evidence: "
            "choose Everyone under Evidence from.",
        )
    one_kind = None
    if type:
        version = actor.evidence.data_version()
        by_type = filter_choices(request, actor, version).by_type
        view = _dashboard_of_type(request, actor, codebook, counting, type, by_type, version)
        one_kind = OneKind(
            words=types_covered([type]),
            source_ids=frozenset(view.source_ids or ()),
            covered=view.covered,
            period=view.period,
        )
    evidence = report_evidence_for(request, actor, codebook, counting)
    try:
        data = report_from(evidence, org=org or None, one_kind=one_kind)
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
        evidence_type=type or None,
    )
    framework = data.method.framework_id if data.method is not None else ""
    stem = (
        "upstream-report"
        + (f"-{_slug(framework)}" if framework else "")
        + (f"-{_slug(org)}" if org else "")
        + (f"-{type}" if type else "")
    )
    filename = f"{stem}-{date.today().isoformat()}.{format}"
    return Response(
        content,
        media_type=MEDIA[format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _sources(by_type: dict[str, tuple[int, ...]], kind: str) -> tuple[int, ...] | None:
    """The sources of one evidence type (None for every type)."""
    return by_type.get(kind, ()) if kind else None


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())[:60]
