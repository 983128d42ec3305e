"""Interactive charts as plotly.js figure specifications (plain dicts, drawn in the browser).

No plotly Python objects are needed: each function returns ``{"data": [...],
"layout": {...}}`` for ``Plotly.newPlot``. The plotly.js library itself is read
from the installed ``plotly`` package (:func:`plotly_js`), never from a CDN.
"""

from __future__ import annotations

import html
from functools import lru_cache
from importlib import resources
from typing import Any

from upstream.reports.counts import CodeCount, Matrix, PatternRow, Trend

Figure = dict[str, Any]
BRAND = "#0b5563"
# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)
HEAT_STOPS: tuple[tuple[float, str], ...] = ((0.0, "#f4f8f9"), (0.5, "#6aa9b4"), (1.0, "#083f4a"))
_FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif", "size": 13}
CONFIG = {
    "displaylogo": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


class PlotlyMissing(RuntimeError):
    """The plotly package, which carries plotly.js, is not installed."""


@lru_cache(maxsize=1)
def plotly_js() -> str:
    """The plotly.js library bundled with the installed ``plotly`` package.

    Raises:
        PlotlyMissing: plotly is not installed.
    """
    try:
        bundle = resources.files("plotly") / "package_data" / "plotly.min.js"
        return bundle.read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise PlotlyMissing(
            "Interactive charts need plotly.js from the plotly package: pip install plotly==7.1.0"
        ) from exc


def _layout(height: int, **extra: Any) -> dict[str, Any]:
    return {
        "height": height,
        "margin": {"l": 10, "r": 20, "t": 10, "b": 40},
        "font": _FONT,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        **extra,
    }


def _label(text: str) -> str:
    """A name as plotly.js should show it: literally.

    plotly.js reads a subset of HTML in labels (``<a href>``, ``<b>``, ``<br>``),
    so a name such as ``<a href="...">`` would become a live link in the offline
    report. Escaped, it shows as typed; plotly turns the entities back into
    characters.
    """
    return html.escape(text, quote=True)


def _whole_numbers(highest: int) -> dict[str, Any]:
    """Axis settings that keep ticks on whole numbers (counts have no halves)."""
    return {"dtick": 1} if highest <= 10 else {"tickformat": ",d"}


def coverage_figure(rows: list[CodeCount]) -> Figure:
    """Horizontal bars: coded items per top-level element."""
    shown = [r for r in rows if r.depth == 0][::-1]
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "x": [r.bar[1] for r in shown],
                "y": [
                    _label(r.title if r.bar[1] is not None else f"{r.title} ({r.shown})")
                    for r in shown
                ],
                "marker": {"color": BRAND},
                "hovertext": [_hover(r) for r in shown],
                "hovertemplate": "%{hovertext}<extra></extra>",
            }
        ],
        "layout": _layout(
            max(260, 34 * len(shown) + 80),
            xaxis={
                "title": {"text": "Coded items"},
                "rangemode": "tozero",
                "gridcolor": "#e3e8ea",
                **_whole_numbers(max((r.bar[1] or 0 for r in shown), default=0)),
            },
            yaxis={"automargin": True},
        ),
    }


def _hover(row: CodeCount) -> str:
    if row.covered:
        return f"{row.title}: how many items is not shown"
    if row.share_shown is None:
        return f"{row.title}: {row.shown} items"
    return f"{row.title}: {row.shown} items ({round(100 * row.share_shown)}% of coded items)"


def heatmap_figure(matrix: Matrix) -> Figure:
    """Organisations (rows) against elements: shading is the share of the row's coded items."""
    rows = [r for r in matrix.rows if not r.suppressed][::-1]
    # A withheld cell has no shading and a dash, not a number (its table says "fewer than
    # 10"); left blank it read as nothing beside cells showing 0.
    z = [
        [
            None if r.withheld(n) or (share := r.share(n)) is None else round(100 * share)
            for n in range(len(r.counts))
        ]
        for r in rows
    ]
    text = [["–" if r.withheld(n) else r.cell(n) for n in range(len(r.counts))] for r in rows]
    return {
        "data": [
            {
                "type": "heatmap",
                "z": z,
                "x": [_label(t) for t in matrix.titles],
                "y": [_label(r.name) for r in rows],
                "text": text,
                "texttemplate": "%{text}",
                "colorscale": [list(stop) for stop in HEAT_STOPS],
                "zmin": 0,
                "zmax": max([100, *(v for row in z for v in row if v is not None)]),
                "colorbar": {"title": {"text": "% of coded items"}, "ticksuffix": "%"},
                "hovertemplate": "%{y}<br>%{x}: %{text} items (%{z}% of coded items)"
                "<extra></extra>",
                "xgap": 2,
                "ygap": 2,
            }
        ],
        "layout": _layout(
            max(280, 30 * len(rows) + 140),
            xaxis={"side": "top", "tickangle": -30, "automargin": True},
            yaxis={"automargin": True},
        ),
    }


def trend_figure(trend: Trend) -> Figure:
    """Lines: each top-level element's share of each period's items; a share not shown is a gap.

    Counts fall whenever a period simply holds less evidence; shares do not. The
    counts stay in the table beside the chart.
    """
    shares = trend.share_series
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": _label(trend.titles[n]),
            "x": trend.periods,
            "y": shares[n],
            "connectgaps": False,
            "line": {"color": PALETTE[k % len(PALETTE)], "width": 2},
            "marker": {"size": 5},
            "hovertemplate": "%{x}: %{y}% of the items<extra>"
            + _label(trend.titles[n])
            + "</extra>",
        }
        for k, n in enumerate(trend.drawn)
    ]
    return {
        "data": data,
        "layout": _layout(
            380,
            xaxis={
                "type": "category",
                "title": {"text": trend.period.capitalize()},
                "tickangle": -45,
            },
            yaxis={
                "title": {"text": f"Share of the {trend.period}'s items"},
                "automargin": True,
                "rangemode": "tozero",
                "gridcolor": "#e3e8ea",
                "ticksuffix": "%",
            },
            legend={"orientation": "h", "y": -0.35},
            margin={"l": 10, "r": 20, "t": 10, "b": 120},
        ),
    }


def most_named(rows: list[PatternRow], at_least: int = 10) -> list[PatternRow]:
    """The rows named most (rows come most named first), keeping ties with the last one.

    Cutting at a fixed number would show one code named by two organisations and
    leave out another named by two as well.
    """
    if len(rows) <= at_least:
        return rows
    last = rows[at_least - 1].organisations
    return [r for n, r in enumerate(rows) if n < at_least or r.organisations == last]


def patterns_figure(rows: list[PatternRow], kind: str) -> Figure:
    """Horizontal bars: organisations naming each barrier (or enabler, or driver)."""
    shown = most_named([r for r in rows if r.kind == kind])[::-1]
    of = max((r.of for r in shown), default=0)
    return {
        "data": [
            {
                "type": "bar",
                "orientation": "h",
                "x": [r.organisations for r in shown],
                "y": [_label(r.title) for r in shown],
                "marker": {"color": "#b3541e" if kind == "barrier" else BRAND},
                "hovertemplate": f"%{{y}}: named by %{{x}} of {of} organisations<extra></extra>",
            }
        ],
        "layout": _layout(
            max(220, 34 * len(shown) + 80),
            xaxis={
                "title": {"text": f"Organisations naming it (of {of})"},
                "range": [0, max(of, 1)],
                **({"dtick": 1} if of <= 12 else {}),
                "gridcolor": "#e3e8ea",
            },
            yaxis={"automargin": True},
        ),
    }


__all__ = [
    "CONFIG",
    "PlotlyMissing",
    "coverage_figure",
    "heatmap_figure",
    "most_named",
    "patterns_figure",
    "plotly_js",
    "trend_figure",
]
