"""The themes download: a run's themes and sub-themes as CSV, under the page's rules.

``/w/{id}/themes/export.csv`` gives each theme's size, people, likes, keywords,
quotes and item ids, withholding what the themes page withholds (fewer than 10
is "fewer than 10"; a sub-theme whose size would give a small one away by
subtraction is "not shown"). With ``least`` it follows the page's most-liked
view. Quotes come only from items the person may see; cells are safe to open
in a spreadsheet.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException
from fastapi.responses import Response, StreamingResponse

from upstream.policy import csv_lines, shown_count
from upstream.store.theme_repository import StoredTheme, ThemeStore
from upstream.store.theme_visibility import theme_as_seen
from upstream.web.permissions import Actor, Can, need
from upstream.web.routes.themes import (
    chosen_run,
    covered_subthemes,
    people_figure,
    support_of,
    theme_runs,
)
from upstream.workflows.theme_support import ThemeSupport, read_least

router = APIRouter(include_in_schema=False)
Exporter = Annotated[Actor, Depends(need(Can.EXPORT))]


@router.get("/w/{workspace_id}/themes/export.csv")
def export_csv(actor: Exporter, run: int | None = None, least: str = "") -> Response:
    """The run's themes and sub-themes as CSV, quotes only from items the person may see.

    ``least``, as on the page, adds each theme's replies with at least that many
    likes: how many, the likes on them and the most-liked.
    """
    chosen = chosen_run(theme_runs(actor), run)
    if chosen is None:
        raise HTTPException(status_code=404, detail="There are no themes to export yet.")
    stored = ThemeStore(actor.workspace).themes(chosen.id)
    themes = [theme_as_seen(t, actor.evidence) for t in stored]
    visible = actor.evidence.visible_ids({i for t in themes for i in t.item_ids})
    covered = covered_subthemes(themes)
    # Item ids join this file to the evidence export: who said what, theme by theme.
    header = [
        "theme", "label", "size", "respondents", "likes and reactions", "keywords", "quotes",
        "item_ids",
    ]  # fmt: skip
    support: dict[int, ThemeSupport] = {}
    fewest = read_least(least)
    if fewest is not None:
        # Top-level themes only: a sub-theme's count beside its theme's would give away
        # a small one by subtraction.
        top = [t for t in themes if t.parent_number is None]
        support = support_of(actor, top, visible, fewest)
        header += [
            f"replies with at least {fewest:g} likes", "likes on those replies", "most-liked",
        ]  # fmt: skip

    def liked(theme: StoredTheme) -> list[object]:
        if not support:
            return []
        found = support.get(theme.id)
        if found is None:
            return ["", "", ""]
        return [found.shown, found.reactions, " | ".join(i.text for i in found.replies[:3])]

    def rows() -> Iterator[list[object]]:
        for theme in themes:
            seen = any(i in visible for i in theme.item_ids)
            yield [
                theme.code,
                theme.label if seen else "(items you may not see)",
                "not shown" if theme.id in covered else shown_count(theme.size),
                _people_cell(theme, covered),
                _reactions(theme.details.get("engagement_size"), theme.size) if seen else "",
                "; ".join(str(k) for k in theme.keywords) if seen else "",
                " | ".join(q["text"] for q in theme.visible_quotes(visible)),
                " ".join(str(i) for i in theme.item_ids if i in visible),
                *liked(theme),
            ]

    filename = f"upstream-themes-run-{chosen.id}-{date.today().isoformat()}.csv"
    return StreamingResponse(
        csv_lines(header, rows()),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


def _people_cell(theme: StoredTheme, covered: set[int]) -> str:
    """A theme's number of people for the CSV file, withheld as its size is."""
    people = people_figure(theme.details, theme.size)
    if people is None:
        return "not recorded"
    if theme.id in covered:
        # People can be as many as items, so a withheld size withholds its people too.
        return "not shown"
    return people["count"]


def _reactions(engagement_size: object, size: int) -> str:
    """Likes, reposts and other reactions on a theme's items ("" when the data has none).

    A theme's engagement counts each item once plus its reactions, so the reactions
    are what it adds to the theme's size.
    """
    if not isinstance(engagement_size, int | float):
        return ""
    return f"{max(0, round(engagement_size) - size):,}"
