"""The report as one self-contained HTML file: inline styles, plotly.js inlined, no network."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from jinja2 import DictLoader, Environment, StrictUndefined, select_autoescape
from markupsafe import Markup

from upstream import __version__
from upstream.policy import FEWER_THAN, MIN_GROUP, shown_count
from upstream.reports.board import board_summary
from upstream.reports.board_template import BOARD, HOW_MADE, PRINT_CSS
from upstream.reports.charts import (
    CONFIG,
    coverage_figure,
    heatmap_figure,
    patterns_figure,
    plotly_js,
    trend_figure,
)
from upstream.reports.checks import count, count_shown
from upstream.reports.headlines import counted_ones
from upstream.reports.html_template import BOOT_JS, CSS, TEMPLATE
from upstream.reports.method import describe_mode
from upstream.reports.model import ReportData, Table
from upstream.reports.print_charts import coverage_chart, patterns_chart, trend_chart
from upstream.reports.svg import shade
from upstream.reports.tables import report_tables


def script_json(value: Any) -> str:
    """JSON that is safe inside a ``<script>`` element (no ``</script>`` or ``<!--``)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def figures(data: ReportData) -> dict[str, Any]:
    """The report's interactive charts, keyed by the id of the element each is drawn in."""
    found: dict[str, Any] = {}
    if data.coverage:
        found["chart-coverage"] = coverage_figure(data.coverage)
    if data.matrix is not None and any(not r.suppressed for r in data.matrix.rows):
        found["chart-heatmap"] = heatmap_figure(data.matrix)
    for kind in sorted({r.kind for r in data.patterns}):
        found[f"chart-{kind}"] = patterns_figure(data.patterns, kind)
    if data.trend is not None and data.trend.drawn:
        found["chart-trend"] = trend_figure(data.trend)
    return found


def static_charts(data: ReportData) -> dict[str, str]:
    """The printed report's charts as ``data:`` URIs, keyed like :func:`figures`."""
    found: dict[str, str] = {}
    if data.coverage:
        found["chart-coverage"] = coverage_chart(data.coverage)
    for kind in sorted({r.kind for r in data.patterns}):
        found[f"chart-{kind}"] = patterns_chart(data.patterns, kind)
    if data.trend is not None and data.trend.drawn:
        found["chart-trend"] = trend_chart(data.trend)
    return found


def _periods_with_evidence(table: Table) -> Table:
    """The trend table without the periods that have no items, and saying so."""
    rows = [row for row in table.rows if row[1]]
    left_out = len(table.rows) - len(rows)
    note = table.note
    if left_out:
        verb = "is" if left_out == 1 else "are"
        period = str(table.columns[0]).lower()
        note += f" {count(left_out, period)} with no items {verb} left out."
    return Table(table.key, table.title, table.columns, rows, note, table.percent_columns)


def _sections(data: ReportData) -> list[tuple[str, str]]:
    sections = [("findings", "Headline findings")]
    if data.coverage:
        sections.append(("coverage", "Framework coverage"))
    if data.matrix is not None or data.patterns:
        sections.append(("patterns", "Patterns across organisations"))
    if data.trend is not None:
        sections.append(("trends", "Trends"))
    if data.quotes:
        sections.append(("quotes", "In their own words"))
    if data.ways_past:
        sections.append(("ways-past", "Peers who show a way past"))
    if data.themes:
        sections.append(("themes", "Themes"))
    if data.culture:
        sections.append(("culture", "Staff survey: culture"))
    if data.benefits:
        sections.append(("benefits", "Benefits being tracked"))
    return [*sections, ("method", "Method and trust"), ("caveats", "Caveats")]


def _period(data: ReportData) -> str:
    first, last = data.first_date, data.last_date
    if first is None or last is None:
        return ""
    if first.year == last.year:
        return str(first.year) if first.month != last.month else f"{first:%b %Y}"
    return f"{first.year}\u2013{last.year}"


def _pounds(amount: float) -> str:
    """Whole pounds, as the benefits register writes them ("£199,392", "−£2,000")."""
    whole = round(amount)
    return f"−£{-whole:,}" if whole < 0 else f"£{whole:,}"


def _figure(value: float | None) -> str:
    """A measure's value as a reader expects it: whole numbers without decimals."""
    if value is None:
        return "–"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def render_html_text(data: ReportData, *, board: bool = False) -> str:
    """The report as HTML text (see :func:`render_html`).

    Args:
        data: The report's data.
        board: Render it for paper: a two-page board summary first, the full
            report as an appendix, static charts, print styles and no scripts.
    """
    env = Environment(
        loader=DictLoader({"report.html": TEMPLATE, "board.html": BOARD, "how.html": HOW_MADE}),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["group_size"] = shown_count
    template = env.get_template("report.html")
    tables = {table.key: table for table in report_tables(data)}
    if board and "trends" in tables:
        tables["trends"] = _periods_with_evidence(tables["trends"])
    return template.render(
        board=board_summary(data) if board else None,
        print_css=Markup(PRINT_CSS),
        static=static_charts(data) if board else {},
        count=count,
        counted_ones=counted_ones,
        count_shown=count_shown,
        figure=_figure,
        pounds=_pounds,
        data=data,
        version=__version__,
        css=Markup(CSS),
        sections=_sections(data),
        period=_period(data),
        tables=tables,
        kinds={r.kind for r in data.patterns},
        shade=shade,
        fewer=FEWER_THAN,
        min_group=MIN_GROUP,
        mode_text=describe_mode(data.method) if data.method else "",
        chart_json=Markup(
            script_json({"figures": {} if board else figures(data), "config": CONFIG})
        ),
        plotly=Markup("" if board else plotly_js()),
        boot=Markup(BOOT_JS),
    )


def render_html(data: ReportData, path: str | Path) -> Path:
    """Write the report as one self-contained HTML file.

    Styles, chart data and plotly.js are all inside the file, so it opens with
    no network at all. Each chart is followed by a table of the same numbers.

    Args:
        data: The report's data (see :func:`upstream.workflows.reports.build_report_data`).
        path: Where to write the ``.html`` file.

    Returns:
        The path written.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render_html_text(data), encoding="utf-8")
    return target


__all__ = ["figures", "render_html", "render_html_text", "script_json", "shade", "static_charts"]
