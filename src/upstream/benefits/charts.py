"""Static SVG charts of measures over time and of savings ranges.

Like :mod:`upstream.reports.svg`, the charts need no script and no style
attributes: colours and dashes come from CSS classes (``chart-line``,
``chart-target``, ``chart-change``, ``chart-range``). Each is an
``<svg role="img">`` with a title, and the page shows a table of the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

__all__ = ["savings_chart", "series_chart"]

_WIDTH = 720
_LEFT, _RIGHT, _TOP, _PLOT_H = 70, 24, 12, 220


def _nice_top(highest: float) -> tuple[float, float]:
    """A round top for the axis and the step between its four ticks."""
    if highest <= 0:
        return 1.0, 0.25
    raw = highest / 4
    magnitude = 10 ** len(str(int(raw))) / 10 if raw >= 1 else 0.1
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if step * 4 >= highest:
            return step * 4, step
    return highest, highest / 4  # pragma: no cover - the loop always finds a step


def _tick(value: float) -> str:
    if abs(value) >= 1_000_000:
        return f"{value / 1_000_000:g}m"
    if abs(value) >= 10_000:
        return f"{value / 1_000:g}k"
    return f"{value:,.4g}"


def _axes(parts: list[str], top: float, step: float, y_of: object) -> None:
    assert callable(y_of)
    tick = 0.0
    while tick <= top + step / 2:
        y = y_of(tick)
        parts += [
            f'<line class="chart-grid" x1="{_LEFT}" x2="{_WIDTH - _RIGHT}" '
            f'y1="{y:.1f}" y2="{y:.1f}"/>',
            f'<text class="chart-axis" x="{_LEFT - 6}" y="{y + 4:.1f}" '
            f'text-anchor="end">{_tick(tick)}</text>',
        ]
        tick += step


def _legend(parts: list[str], entries: Sequence[tuple[str, str]], y: float) -> None:
    x = float(_LEFT)
    for css, name in entries:
        parts += [
            f'<line class="{css}" x1="{x:.1f}" x2="{x + 22:.1f}" '
            f'y1="{y - 4:.1f}" y2="{y - 4:.1f}"/>',
            f'<text class="chart-label" x="{x + 28:.1f}" y="{y:.1f}">{escape(name)}</text>',
        ]
        x += 40 + 7.5 * len(name)


def series_chart(
    actuals: Sequence[tuple[date, float]],
    targets: Sequence[tuple[date, float]],
    *,
    title: str,
    baselines: Sequence[tuple[date, float]] = (),
    changes: Sequence[tuple[date, str]] = (),
) -> str:
    """A measure over time: actual values, the target line and the dates of changes made.

    Args:
        actuals: (date, value) of each actual, any order.
        targets: (date, value) of each target; drawn dashed from the baseline (or
            the first actual) so the line shows the path the measure should follow.
        title: What the chart shows (read out by screen readers).
        baselines: (date, value) of each baseline, drawn as a dot.
        changes: (date, what changed) drawn as labelled vertical lines.

    Returns:
        SVG markup.
    """
    every = [*actuals, *targets, *baselines]
    dates = [d for d, _ in every] + [d for d, _ in changes]
    if not dates:
        return ""
    first, last = min(dates), max(dates)
    span = max(1, (last - first).days)
    plot_w = _WIDTH - _LEFT - _RIGHT
    top, step = _nice_top(max([0.0, *(v for _, v in every)]))
    height = _TOP + _PLOT_H + 62

    def x_of(day: date) -> float:
        return _LEFT + plot_w * (day - first).days / span

    def y_of(value: float) -> float:
        return _TOP + _PLOT_H - _PLOT_H * max(0.0, value) / top

    parts = [
        f'<svg class="chart-svg" viewBox="0 0 {_WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    _axes(parts, top, step, y_of)
    # The changes are numbered here and described in the list and table under the chart.
    for n, (day, _what) in enumerate(sorted(changes)):
        x = x_of(day)
        parts += [
            f'<line class="chart-change" x1="{x:.1f}" x2="{x:.1f}" y1="{_TOP}" '
            f'y2="{_TOP + _PLOT_H}"/>',
            f'<text class="chart-axis" x="{x + 4:.1f}" y="{_TOP + 12 + 14 * (n % 3)}">'
            f"{n + 1}</text>",
        ]
    for day in sorted({first, last}):
        anchor = "start" if day == first else "end"
        parts.append(
            f'<text class="chart-axis" x="{x_of(day):.1f}" y="{_TOP + _PLOT_H + 18}" '
            f'text-anchor="{anchor}">{day.strftime("%b %Y")}</text>'
        )
    ordered = sorted(actuals)
    if ordered:
        points = " ".join(f"{x_of(d):.1f},{y_of(v):.1f}" for d, v in ordered)
        parts.append(f'<polyline class="chart-line series-0" points="{points}"/>')
        parts += [
            f'<circle class="series-0" cx="{x_of(d):.1f}" cy="{y_of(v):.1f}" r="3"/>'
            for d, v in ordered
        ]
    # The target line runs from where the measure started (its baseline, else its
    # first actual) so it shows the path the measure should follow.
    start = sorted(baselines) or sorted(actuals)
    for day, value in sorted(targets):
        before = [(d, v) for d, v in start if d < day]
        origin = before[0] if before else (day, value)
        parts.append(
            f'<line class="chart-target" x1="{x_of(origin[0]):.1f}" y1="{y_of(origin[1]):.1f}" '
            f'x2="{x_of(day):.1f}" y2="{y_of(value):.1f}"/>'
        )
        parts.append(
            f'<circle class="chart-target-dot" cx="{x_of(day):.1f}" cy="{y_of(value):.1f}" r="4"/>'
        )
    parts += [
        f'<circle class="chart-baseline" cx="{x_of(d):.1f}" cy="{y_of(v):.1f}" r="4"/>'
        for d, v in baselines
    ]
    legend = [("chart-line series-0", "Actual"), ("chart-target", "Target")]
    if changes:
        legend.append(("chart-change", "Change made (numbered)"))
    _legend(parts, legend, _TOP + _PLOT_H + 48)
    parts.append("</svg>")
    return "".join(parts)


def savings_chart(
    years: Sequence[int], ranges: Sequence[tuple[float, float, float]], *, title: str
) -> str:
    """Savings by year as a bar for the central figure with a line from low to high.

    Args:
        years: Year numbers (0 is the first year).
        ranges: (low, central, high) £ for each year.
        title: What the chart shows (read out by screen readers).

    Returns:
        SVG markup.
    """
    if not years:
        return ""
    plot_w = _WIDTH - _LEFT - _RIGHT
    top, step = _nice_top(max([0.0, *(max(r) for r in ranges)]))
    height = _TOP + _PLOT_H + 62
    slot = plot_w / len(years)
    bar = min(60.0, slot * 0.5)

    def y_of(value: float) -> float:
        return _TOP + _PLOT_H - _PLOT_H * max(0.0, value) / top

    parts = [
        f'<svg class="chart-svg" viewBox="0 0 {_WIDTH} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    _axes(parts, top, step, y_of)
    for n, (year, (low, central, high)) in enumerate(zip(years, ranges, strict=True)):
        middle = _LEFT + slot * (n + 0.5)
        parts += [
            f'<rect class="chart-bar" x="{middle - bar / 2:.1f}" y="{y_of(central):.1f}" '
            f'width="{bar:.1f}" height="{y_of(0) - y_of(central):.1f}"/>',
            f'<line class="chart-range" x1="{middle:.1f}" x2="{middle:.1f}" '
            f'y1="{y_of(low):.1f}" y2="{y_of(high):.1f}"/>',
            f'<line class="chart-range" x1="{middle - 8:.1f}" x2="{middle + 8:.1f}" '
            f'y1="{y_of(high):.1f}" y2="{y_of(high):.1f}"/>',
            f'<line class="chart-range" x1="{middle - 8:.1f}" x2="{middle + 8:.1f}" '
            f'y1="{y_of(low):.1f}" y2="{y_of(low):.1f}"/>',
            f'<text class="chart-axis" x="{middle:.1f}" y="{_TOP + _PLOT_H + 18}" '
            f'text-anchor="middle">Year {year}</text>',
        ]
    _legend(
        parts, [("chart-bar-key", "Central"), ("chart-range", "Low to high")], _TOP + _PLOT_H + 48
    )
    parts.append("</svg>")
    return "".join(parts)
