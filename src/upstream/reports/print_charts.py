"""Static charts for the printed report: the web pages' SVG charts, styled for paper.

A PDF cannot run plotly.js, so the printed report draws each chart as an SVG
image with its colours inside it, and gives the image a text alternative.
"""

from __future__ import annotations

import base64

from upstream.reports.counts import CodeCount, PatternRow, Trend
from upstream.reports.svg import SERIES, bar_chart, line_chart

_COLOURS = ("#0b5563", "#b3541e", "#5b3f8c", "#2f7d32", "#a61c5c", "#4f5b62", "#c79100", "#1d5fa8")
_STYLE = (
    "<style>text{font-family:'DejaVu Sans',sans-serif;font-size:11px;fill:#1d2529}"
    ".chart-track{fill:#eef2f3}.chart-bar{fill:#0b5563}.chart-value{font-weight:bold}"
    ".chart-grid{stroke:#d3d9dd;stroke-width:1}.chart-axis{font-size:11px;fill:#4f5b62}"
    ".chart-line{fill:none;stroke-width:2}"
    + "".join(
        f".series-{n}{{stroke:{colour};fill:{colour}}}.chart-line.series-{n}{{fill:none}}"
        for n, colour in enumerate(_COLOURS[:SERIES])
    )
    + "</style>"
)


def _data_uri(svg: str) -> str:
    """An SVG as a ``data:`` URI, with its style sheet inside it."""
    styled = svg.replace("</title>", "</title>" + _STYLE, 1)
    return "data:image/svg+xml;base64," + base64.b64encode(styled.encode()).decode("ascii")


def coverage_chart(rows: list[CodeCount]) -> str:
    """Coded items per top-level element, largest first, as a ``data:`` URI."""
    elements = sorted((r for r in rows if r.depth == 0), key=lambda r: r.bar_order)
    return _data_uri(
        bar_chart(
            [r.bar[0] for r in elements],
            [r.bar[1] for r in elements],
            title="Coded items per element",
            withheld=[r.shown for r in elements],
        )
    )


def patterns_chart(rows: list[PatternRow], kind: str) -> str:
    """How many organisations name each barrier, enabler or driver, as a ``data:`` URI."""
    chosen = [r for r in rows if r.kind == kind]
    return _data_uri(
        bar_chart(
            [r.title for r in chosen],
            [r.organisations for r in chosen],
            title=f"Organisations naming each {kind}",
            of=max((r.of for r in chosen), default=None),
        )
    )


def trend_chart(trend: Trend) -> str:
    """Each element's share of each period's items, as a ``data:`` URI."""
    shares = trend.share_series
    return _data_uri(
        line_chart(
            trend.periods,
            [shares[n] for n in trend.drawn],
            [trend.titles[n] for n in trend.drawn],
            title=f"Share of each {trend.period}'s items coded to each element",
            percent=True,
        )
    )


__all__ = ["coverage_chart", "patterns_chart", "trend_chart"]
