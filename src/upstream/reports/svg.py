"""Small static SVG charts for web pages under a strict Content-Security-Policy.

The charts need no script and no style attributes: colours come from CSS
classes (``chart-bar``, ``series-0`` ... ``series-7``, ``shade-0`` ... ``shade-5``)
that the page's style sheet defines. Every chart is an ``<svg role="img">``
with a title; the page shows a table of the same numbers beside it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from upstream.policy import FEWER_THAN

SHADES = 5
SERIES = 8
_ROW = 26
_LABEL = 230
_CHART = 440


def shade(share: float | None) -> str:
    """The CSS class shading a heatmap cell by its share: ``shade-0`` (none) to ``shade-5``."""
    if share is None or share <= 0:
        return "shade-0"
    return f"shade-{min(SHADES, 1 + int(share * SHADES))}"


def _clip(text: str, limit: int = 34) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def bar_chart(
    labels: Sequence[str],
    values: Sequence[int | None],
    *,
    title: str,
    of: int | None = None,
    withheld: Sequence[str] | None = None,
) -> str:
    """Horizontal bars, one per label, with the value printed at the end of each bar.

    Args:
        labels: Bar labels, top to bottom.
        values: Bar lengths; None is a count withheld (1 to 9): no bar, and
            "fewer than 10" where its value would be.
        title: What the chart shows (read out by screen readers).
        of: The axis maximum (the largest value when None).
        withheld: What each withheld bar says instead ("fewer than 10", or "not
            shown" for a count hidden to cover a smaller one); "fewer than 10"
            when not given.

    Returns:
        SVG markup.
    """
    top = max([of or 0, *(v for v in values if v is not None), 1])
    height = _ROW * len(labels) + 10
    width = _LABEL + _CHART + 50
    parts = [
        f'<svg class="chart-svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for n, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 5 + n * _ROW
        length = 0.0 if value is None else round(_CHART * value / top, 1)
        said = f"{value:,}" if value is not None else withheld[n] if withheld else FEWER_THAN
        parts += [
            f'<text class="chart-label" x="{_LABEL - 8}" y="{y + 17}" text-anchor="end">'
            f"{escape(_clip(label))}</text>",
            f'<rect class="chart-track" x="{_LABEL}" y="{y + 4}" width="{_CHART}" height="18"/>',
            f'<rect class="chart-bar" x="{_LABEL}" y="{y + 4}" width="{length}" height="18"/>',
            f'<text class="chart-value" x="{_LABEL + length + 6}" y="{y + 17}">{said}</text>',
        ]
    parts.append("</svg>")
    return "".join(parts)


def _runs(values: Sequence[float | None]) -> list[list[tuple[int, float]]]:
    """The unbroken stretches of a line: (position, value) pairs between gaps."""
    runs: list[list[tuple[int, float]]] = [[]]
    for n, v in enumerate(values):
        if v is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append((n, v))
    return [run for run in runs if run]


def line_chart(
    months: Sequence[str],
    series: Sequence[Sequence[float | None]],
    names: Sequence[str],
    *,
    title: str,
    percent: bool = False,
) -> str:
    """Lines over periods, one per series, with a legend underneath.

    Args:
        months: X axis labels (``YYYY-MM``, ``2024 Q1`` or ``2024``).
        series: One list of values per line, aligned with ``months``; None is a
            gap in the line (a value that may not be shown).
        names: Each line's name, for the legend.
        title: What the chart shows (read out by screen readers).
        percent: The values are percentages: the axis reads "25%".

    Returns:
        SVG markup.
    """
    left, right, top_pad, plot_h = 40, 20, 10, 200
    width = 720
    plot_w = width - left - right
    legend_rows = (len(names) + 2) // 3
    height = top_pad + plot_h + 40 + 22 * legend_rows
    highest = max([1, *(math.ceil(v) for values in series for v in values if v is not None)])
    tick_step = max(1, -(-highest // 4))
    if percent:
        # Shares read best on round steps: 0%, 10%, 20% rather than 0%, 13%, 26%.
        tick_step = next((n for n in (1, 2, 5, 10, 20, 25) if highest <= 5 * n), 25)
    top = tick_step * -(-highest // tick_step)
    unit = "%" if percent else ""
    step = plot_w / max(1, len(months) - 1)
    parts = [
        f'<svg class="chart-svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for tick in range(0, top + 1, tick_step):
        y = top_pad + plot_h - plot_h * tick / top
        parts += [
            f'<line class="chart-grid" x1="{left}" x2="{width - right}" '
            f'y1="{y:.1f}" y2="{y:.1f}"/>',
            f'<text class="chart-axis" x="{left - 6}" y="{y + 4:.1f}" '
            f'text-anchor="end">{tick}{unit}</text>',
        ]
    every = max(1, len(months) // 8)
    final = len(months) - 1
    for n, month in enumerate(months):
        # The last month is always labelled, ending at its tick so the edge does not cut
        # it off; a regular label too close to it is left out so the two do not overlap.
        if n == final and n:
            anchor = "end"
        elif n % every == 0 and (n == final or (final - n) * step >= 64):
            anchor = "middle"
        else:
            continue
        parts.append(
            f'<text class="chart-axis" x="{left + n * step:.1f}" y="{top_pad + plot_h + 18}" '
            f'text-anchor="{anchor}">{escape(month)}</text>'
        )
    for k, values in enumerate(series):
        for run in _runs(values):
            points = " ".join(
                f"{left + n * step:.1f},{top_pad + plot_h - plot_h * v / top:.1f}" for n, v in run
            )
            parts.append(f'<polyline class="chart-line series-{k % SERIES}" points="{points}"/>')
            if len(run) == 1:  # a lone point between gaps has no line to show it
                n, v = run[0]
                parts.append(
                    f'<circle class="chart-dot series-{k % SERIES}" cx="{left + n * step:.1f}" '
                    f'cy="{top_pad + plot_h - plot_h * v / top:.1f}" r="3"/>'
                )
    for k, name in enumerate(names):
        x = left + (k % 3) * (plot_w / 3)
        y = top_pad + plot_h + 40 + 22 * (k // 3)
        parts += [
            f'<rect class="series-key series-{k % SERIES}" x="{x:.1f}" y="{y - 9}" width="14" '
            'height="4"/>',
            f'<text class="chart-label" x="{x + 20:.1f}" y="{y - 3}">{escape(_clip(name))}</text>',
        ]
    parts.append("</svg>")
    return "".join(parts)


__all__ = ["bar_chart", "line_chart", "shade"]
