"""One theme run as a document to hand on: the question, the themes, how many raised each, quotes.

A consultation officer who themed a survey's answers needs something a cabinet
member can read: not the network's report, whose headlines are about barriers
across organisations, and not the newest run whatever it themed. This is the
run on the page, as the person may see it, with its sizes under the same rules
as the page (fewer than 10 is "fewer than 10"; a sub-theme whose size would give
a small one away by subtraction is not sized), downloadable as HTML or PDF.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from upstream.records.stored import SourceInfo
from upstream.reports.model import ReportError
from upstream.reports.pdf import html_pdf_bytes
from upstream.store.run_visibility import run_as_seen
from upstream.themes.labels import OTHER_LABEL
from upstream.web.permissions import Actor, Can, need
from upstream.web.routes.themes import run_view, theme_runs
from upstream.web.settings import services
from upstream.workflows.theme_support import read_least
from upstream.workflows.themes import engagement_of

router = APIRouter(include_in_schema=False)
Exporter = Annotated[Actor, Depends(need(Can.EXPORT))]

MEDIA = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}
RANKINGS = {
    "items": "how many replies they hold",
    "people": "how many people raised them",
    "organisations": "how many organisations raised them",
    "engagement": "the likes and other reactions on their replies",
}
"""The page's rankings a report can follow, as the report says it ranks."""


@router.get("/w/{workspace_id}/themes/report")
def theme_report(
    request: Request,
    actor: Exporter,
    run: int,
    format: str = "html",
    order: str = "",
    least: str = "",
) -> Response:
    """The themes of one run as an HTML or PDF document; the download is audited.

    ``order`` ranks the themes as the page does when the person chose a ranking
    there (by likes, say); otherwise by people when the evidence says who wrote
    each reply, else by replies. ``least``, as on the page, counts in each
    theme the replies with at least that many likes and quotes the most-liked.
    """
    if format not in MEDIA:
        raise HTTPException(status_code=400, detail="Choose HTML or PDF.")
    chosen = next((r for r in theme_runs(actor) if r.id == run), None)
    if chosen is None:
        raise HTTPException(status_code=404, detail="There is no such theme run here.")
    ranked = order if order in RANKINGS else ""
    view = run_view(actor, chosen, order=ranked or "items", least=read_least(least))
    shown = [v for v in view["themes"] + view["unsupported"] if not v["hidden"]]
    people_known = any(v["people"] is not None for v in shown)
    if ranked == "people" and not people_known:
        ranked = ""
    if people_known and not ranked:
        # By how many people raised each, the mixed "other comments" last, as the page ranks.
        shown.sort(
            key=lambda v: (
                v["theme"].label == OTHER_LABEL,
                -int(v["theme"].details.get("respondents") or 0),
                v["theme"].number,
            )
        )
    themed_ids = {int(i) for i in chosen.summary.get("source_ids") or []}
    sources = _visible_sources(request, actor, themed_ids)
    context: dict[str, Any] = {
        "run": chosen,
        "themes": shown,
        "people_known": people_known,
        "evidence": run_as_seen(chosen, actor.evidence).summary.get("evidence") or "",
        "questions": [q for q in dict.fromkeys(_asked(s) for s in sources) if q],
        "blank": _left_blank(sources) if len(themed_ids) == 1 else None,
        "people": chosen.summary.get("respondents") if people_known else None,
        "made_on": date.today(),
        "other_label": OTHER_LABEL,
        "hidden_items": view["hidden_items"],
        "aside_total": view["aside_total"],
        "unassigned_total": view["unassigned_total"],
        "ranked_by": RANKINGS.get(ranked, ""),
        "least": view["least"],
        "listed": _listed_by(ranked, people_known, view["least"]),
        "references": view["references"],
        "liked": view["liked"],
        # Likes and reactions are shown when the run weighed them, as on the page:
        # a theme's engagement size counts each reply once plus its reactions.
        "engaged": any(v["theme"].details.get("engagement_size") is not None for v in shown),
        "item_reactions": lambda item: round(engagement_of(item)),
        "reactions": {
            v["theme"].id: max(
                round(float(v["theme"].details.get("engagement_size") or 0)) - v["theme"].size, 0
            )
            for v in shown
        },
    }
    html = services(request).templates.get_template("themes_report.html").render(context)
    services(request).accounts.audit(
        actor.user.email,
        "export",
        "themes report",
        workspace_id=actor.workspace.id,
        run=chosen.id,
        format=format,
    )
    if format == "pdf":
        try:
            content = html_pdf_bytes(html)
        except ReportError as exc:
            raise HTTPException(status_code=503, detail=str(exc)) from exc
    else:
        content = html.encode("utf-8")
    filename = f"upstream-themes-run-{chosen.id}-{date.today().isoformat()}.{format}"
    return Response(
        content,
        media_type=MEDIA[format],
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _listed_by(ranked: str, people_known: bool, least: float | None) -> str:
    """The sentence that says how the report lists its themes."""
    if least is not None and ranked in ("items", "engagement", "") and (ranked or not people_known):
        fewest = f"{least:,.0f}"
        if ranked == "engagement":
            return f"Themes are listed by the likes on their replies with at least {fewest} likes."
        return f"Themes are listed by how many of their replies have at least {fewest} likes."
    if ranked:
        return f"Themes are listed by {RANKINGS[ranked]}."
    if people_known:
        return (
            "Themes are listed by how many people raised them: someone who wrote more than "
            "once is counted once in each theme."
        )
    return (
        "The evidence does not say who wrote each reply, so themes are listed by how many "
        "replies they hold."
    )


def _visible_sources(request: Request, actor: Actor, source_ids: set[int]) -> list[SourceInfo]:
    """The run's sources that hold items this person may see."""
    wanted = source_ids & {source_id for source_id, _ in actor.evidence.sources()}
    workspace = services(request).store.workspace(actor.workspace.name)
    return [source for source in workspace.sources() if source.id in wanted]


def _asked(source: SourceInfo) -> str:
    return str(source.options.get("question") or "").strip()


def _left_blank(sources: list[SourceInfo]) -> tuple[int, int] | None:
    """For a run over one file: its rows, and how many left the question blank."""
    if len(sources) != 1 or not int(sources[0].options.get("left_blank") or 0):
        return None
    return sources[0].rows_read, int(sources[0].options["left_blank"])
