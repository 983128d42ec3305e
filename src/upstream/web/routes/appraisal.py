"""Channel shift and cost–benefit appraisal pages, worked out by :mod:`upstream.benefits`.

Pages:
* ``/w/{id}/benefits/channel-shift``: volumes per channel and unit costs (the
  Socitm defaults, editable), shift shares, years and the assisted digital share,
  in a form that works without script; the savings as a table and a chart of
  low, central and high.
* ``/w/{id}/benefits/appraisal``: upload a SPEC (or use the demo's) and see NPV,
  benefit–cost ratio, payback, present values by category, the sensitivity table
  and the Monte Carlo percentiles; download the workbook and the JSON.

Nothing is stored: each page works out its figures from what was sent.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import Response
from markupsafe import Markup

from upstream.benefits import (
    DEFAULT_UNIT_COSTS,
    BenefitsError,
    ChannelVolume,
    FullAppraisal,
    Line,
    channel_name,
    full_appraisal,
    model_channel_shift,
    parse_rows,
    read_channel_volumes,
    read_spec,
    scenarios,
)
from upstream.benefits.channel_shift import (
    CHANGE_COST_ITEM,
    ChannelShiftResult,
    appraisal_lines,
)
from upstream.benefits.charts import savings_chart
from upstream.benefits.discounting import RATE_AFTER_YEAR_30, RATE_TO_YEAR_30, SWITCH_YEAR
from upstream.benefits.rounding import whole_pounds
from upstream.benefits.spec import spec_csv, unused_columns
from upstream.benefits.tables import read_rows
from upstream.web.permissions import Actor, Can, need
from upstream.web.templating import render
from upstream.workflows.benefits.examples import (
    DEMO_CHANNEL_COUNCIL,
    DEMO_SPEC,
    DEMO_VOLUMES,
    demo_file,
)

router = APIRouter(include_in_schema=False)
Viewer = Annotated[Actor, Depends(need(Can.VIEW_RUNS))]
CHANNEL_ROWS = 4
SPEC_LIMIT = 500_000
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_SCENARIOS = (("low", "10"), ("central", "20"), ("high", "30"))


def _default_form() -> dict[str, Any]:
    channels = [
        {"channel": name, "contacts": "", "cost": f"{cost:g}"}
        for name, cost in DEFAULT_UNIT_COSTS.items()
    ]
    channels += [{"channel": "", "contacts": "", "cost": ""}] * (CHANNEL_ROWS - len(channels))
    return {
        "channels": channels,
        "shares": dict(_SCENARIOS),
        "years": "5",
        "ramp": "3",
        "assisted": "10",
        "target": "web",
    }


def _demo_form() -> dict[str, Any]:
    form = _default_form()
    volumes = read_channel_volumes(demo_file(DEMO_VOLUMES))
    form["channels"] = [
        {"channel": v.channel, "contacts": f"{v.contacts:g}", "cost": f"{v.unit_cost:g}"}
        for v in volumes
    ] + [{"channel": "", "contacts": "", "cost": ""}] * max(0, CHANNEL_ROWS - len(volumes))
    return form


def _percent(text: str, label: str, problems: list[str]) -> float:
    try:
        value = float(text.strip().rstrip("%"))
    except ValueError:
        problems.append(f"Enter the {label} as a percentage from 0 to 100.")
        return 0.0
    if not 0 <= value <= 100:
        problems.append(f"Enter the {label} as a percentage from 0 to 100.")
    return value / 100


def _whole(text: str, label: str, low: int, high: int, problems: list[str]) -> int:
    if not text.strip().isdigit() or not low <= int(text.strip()) <= high:
        problems.append(f"Enter the {label} as a whole number from {low} to {high}.")
        return low
    return int(text.strip())


def _volumes(rows: list[dict[str, str]], problems: list[str]) -> list[ChannelVolume]:
    volumes = []
    for row in rows:
        name = channel_name(row["channel"]) if row["channel"].strip() else ""
        if not name and not row["contacts"].strip():
            continue
        label = name or "a channel"
        try:
            contacts = float(row["contacts"].replace(",", "") or "nan")
            # An empty cost takes the default for the channel, as the command does.
            default = DEFAULT_UNIT_COSTS.get(name)
            typed = row["cost"].replace("£", "").strip()
            cost = float(typed) if typed else (default if default is not None else float("nan"))
        except ValueError:
            contacts = cost = float("nan")
        if (
            not name
            or not (math.isfinite(contacts) and math.isfinite(cost))
            or min(contacts, cost) < 0
        ):
            problems.append(
                f"For {label}, enter the channel's name, contacts a year and £ per contact "
                "as numbers of 0 or more."
            )
            continue
        volumes.append(ChannelVolume(name, contacts, cost))
    if not volumes and not problems:
        problems.append("Enter contacts a year for at least one channel.")
    return volumes


def _channel_form(query: Mapping[str, str]) -> dict[str, Any]:
    """The channel shift form as filled in (the demo's figures, the query's, or the defaults)."""
    if query.get("demo"):
        return _demo_form()
    if "years" not in query:
        return _default_form()
    return {
        "channels": [
            {
                "channel": query.get(f"channel_{n}", "")[:100],
                "contacts": query.get(f"contacts_{n}", "")[:20],
                "cost": query.get(f"cost_{n}", "")[:20],
            }
            for n in range(CHANNEL_ROWS)
        ],
        "shares": {name: query.get(f"share_{name}", "")[:10] for name, _ in _SCENARIOS},
        "years": query.get("years", "")[:4],
        "ramp": query.get("ramp", "")[:4],
        "assisted": query.get("assisted", "")[:10],
        "target": query.get("target", "web")[:100],
    }


def _channel_result(form: dict[str, Any], problems: list[str]) -> ChannelShiftResult | None:
    """The savings the form asks for, or ``None`` with the problems said in ``problems``."""
    volumes = _volumes(form["channels"], problems)
    shares = {
        name: _percent(form["shares"][name], f"{name} shift share", problems)
        for name, _ in _SCENARIOS
    }
    years = _whole(form["years"], "number of years", 1, 30, problems)
    ramp = _whole(form["ramp"], "years to full take-up", 1, 30, problems)
    assisted = _percent(form["assisted"], "assisted digital share", problems)
    if problems:
        return None
    try:
        return model_channel_shift(
            volumes,
            scenarios(
                shares,
                years=years,
                ramp_years=ramp,
                assisted_digital_share=assisted,
                target=form["target"] or "web",
            ),
        )
    except BenefitsError as exc:
        problems.append(str(exc))
        return None


@router.get("/w/{workspace_id}/benefits/channel-shift")
def channel_shift_page(request: Request, actor: Viewer) -> Response:
    """The channel shift form; when filled in, the savings of low, central and high shift."""
    query = request.query_params
    form = _channel_form(query)
    context: dict[str, Any] = {
        "title": "Channel shift",
        "demo_council": DEMO_CHANNEL_COUNCIL if query.get("demo") else "",
        "form": form,
        "problems": [],
        "result": None,
        "query": str(query),
    }
    status = 200
    if query.get("demo") or "years" in query:
        problems: list[str] = []
        result = _channel_result(form, problems)
        context["problems"] = problems
        status = 400 if problems else 200
        if result is not None:
            by_year = list(zip(*(s.years for s in result.scenarios), strict=True))
            ranges = [tuple(y.saving for y in year) for year in by_year]
            context["result"] = result
            # Whole pounds that add up to each scenario's rounded total (the figure the
            # command line and the report give), so the table's rows sum to its total.
            shown = [whole_pounds([y.saving for y in s.years]) for s in result.scenarios]
            context["rows"] = list(enumerate(zip(*shown, strict=True)))
            context["totals"] = [sum(column) for column in shown]
            central = result.scenarios[len(result.scenarios) // 2]
            parts = result.saving_by_channel(central)
            context["by_channel"] = list(
                zip(parts, whole_pounds(list(parts.values())), strict=True)
            )
            context["central_name"] = central.scenario.name
            # The chart draws savings up from zero; a scenario that costs more than it
            # saves is in the table, and the page says why there is no chart.
            losing = any(min(r) < 0 for r in ranges)
            context["chart"] = (
                None
                if losing
                else Markup(
                    savings_chart(
                        list(range(len(ranges))),
                        [(r[0], r[1], r[2]) for r in ranges],
                        title="Savings a year from channel shift: central, with low to high",
                    )
                )
            )
    return render(
        request, "benefits_channel_shift.html", context, status_code=status, active="benefits"
    )


@router.get("/w/{workspace_id}/benefits/channel-shift/appraisal-lines.csv")
def channel_shift_lines(request: Request, actor: Viewer) -> Response:
    """The savings as appraisal lines (SPEC CSV), to add the costs of the change and appraise."""
    problems: list[str] = []
    result = _channel_result(_channel_form(request.query_params), problems)
    if result is None:
        raise HTTPException(status_code=400, detail=" ".join(problems))
    return Response(
        spec_csv(appraisal_lines(result)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="channel-shift-appraisal-lines.csv"'},
    )


def _from_text(text: str, name: str) -> list[Line]:
    return parse_rows(csv.reader(io.StringIO(text)), source=name)


def _appraisal_page(
    request: Request,
    actor: Actor,
    full: FullAppraisal | None = None,
    lines: list[Line] | None = None,
    problems: list[str] | None = None,
    status_code: int = 200,
    unused: list[str] | None = None,
) -> Response:
    context: dict[str, Any] = {
        "title": "Cost–benefit appraisal",
        "full": full,
        "problems": problems or [],
        "unused": unused or [],
        "spec_text": spec_csv(lines) if lines else "",
        "source": full.source if full else "",
    }
    if full is not None:
        context["years"] = full.appraisal.years
        context["categories"] = sorted(full.appraisal.pv_benefits_by_category.items())
        context["lines"] = lines or []
        context["unfilled"] = any(
            line.item == CHANGE_COST_ITEM and line.amount == 0 for line in lines or []
        )
        context["rates"] = (RATE_TO_YEAR_30, SWITCH_YEAR, RATE_AFTER_YEAR_30)
    return render(
        request, "benefits_appraisal.html", context, status_code=status_code, active="benefits"
    )


@router.get("/w/{workspace_id}/benefits/appraisal")
def appraisal_page(request: Request, actor: Viewer, demo: str = "") -> Response:
    """The upload form; with ``?demo=1``, the appraisal of the demo's early-help hub."""
    if not demo:
        return _appraisal_page(request, actor)
    lines = read_spec(demo_file(DEMO_SPEC))
    return _appraisal_page(request, actor, full_appraisal(lines, source=DEMO_SPEC), lines)


@router.post("/w/{workspace_id}/benefits/appraisal")
def appraise_upload(
    request: Request, actor: Viewer, file: Annotated[UploadFile, File()]
) -> Response:
    """Appraise an uploaded SPEC (CSV or XLSX)."""
    name = Path(file.filename or "spec.csv").name
    suffix = Path(name).suffix.lower()
    if suffix not in {".csv", ".xlsx"}:
        return _appraisal_page(
            request,
            actor,
            problems=["Upload the SPEC as a CSV or Excel (.xlsx) file."],
            status_code=400,
        )
    data = file.file.read(SPEC_LIMIT + 1)
    if len(data) > SPEC_LIMIT:
        return _appraisal_page(
            request, actor, problems=["The SPEC file must be smaller than 500 KB."], status_code=413
        )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"spec{suffix}"
        path.write_bytes(data)
        try:
            lines = read_spec(path)
            unused = unused_columns(read_rows(path))
        except BenefitsError as exc:
            message = str(exc).replace(str(path), name)
            return _appraisal_page(request, actor, problems=[message], status_code=400)
    return _appraisal_page(request, actor, full_appraisal(lines, source=name), lines, unused=unused)


@router.post("/w/{workspace_id}/benefits/appraisal/download")
def download(
    request: Request,
    actor: Viewer,
    spec: Annotated[str, Form(max_length=SPEC_LIMIT)] = "",
    source: Annotated[str, Form(max_length=200)] = "spec.csv",
    format: Annotated[str, Form(max_length=10)] = "xlsx",
) -> Response:
    """The appraisal shown on the page, as the XLSX workbook of formulas or as JSON."""
    try:
        full = full_appraisal(_from_text(spec, source), source=source)
    except BenefitsError as exc:
        return _appraisal_page(request, actor, problems=[str(exc)], status_code=400)
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(source).stem).strip("-") or "spec"
    if format == "json":
        body = (json.dumps(full.to_dict(), indent=2) + "\n").encode()
        media, suffix = "application/json", "json"
    else:
        body, media, suffix = full.workbook_bytes(), XLSX, "xlsx"
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{stem}-appraisal.{suffix}"'},
    )
