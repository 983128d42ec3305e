"""A static SVG chart of self-assessment maturity for web pages (no script, no inline style).

Colours come from CSS classes (``chart-bar``, ``chart-bar weak``, ``chart-median``),
so the chart works under a strict Content-Security-Policy; every chart has a
title for screen readers and the page shows a table of the same numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Final

_ROW: Final = 30
_LABEL: Final = 220
_PLOT: Final = 420
_TOP: Final = 5.0


def maturity_chart(
    titles: Sequence[str],
    scores: Sequence[float | None],
    medians: Sequence[float | None],
    *,
    weak: Sequence[bool],
    title: str,
    missing: str = "not shown",
) -> str:
    """Horizontal bars of maturity (1-5) per element, with the peer median as a tick.

    Args:
        titles: Element names, top to bottom.
        scores: The organisation's scores (None when suppressed or not rated).
        medians: Peer medians (None when no peer has a score).
        weak: Which elements to mark as weakest (drawn in the ``weak`` colour).
        title: What the chart shows (read out by screen readers).
        missing: Text drawn where a score is not shown.

    Returns:
        SVG markup.
    """
    height = _ROW * len(titles) + 40
    width = _LABEL + _PLOT + 70
    parts = [
        f'<svg class="chart-svg maturity" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
    ]
    for level in range(6):
        x = _LABEL + _PLOT * level / _TOP
        parts += [
            f'<line class="chart-grid" x1="{x:.1f}" x2="{x:.1f}" y1="0" y2="{height - 30}"/>',
            f'<text class="chart-axis" x="{x:.1f}" y="{height - 14}" '
            f'text-anchor="middle">{level}</text>',
        ]
    for n, (label, score, median, is_weak) in enumerate(
        zip(titles, scores, medians, weak, strict=True)
    ):
        y = 4 + n * _ROW
        short = label if len(label) <= 32 else label[:31] + "\u2026"
        parts.append(
            f'<text class="chart-label" x="{_LABEL - 8}" y="{y + 17}" text-anchor="end">'
            f"{escape(short)}</text>"
        )
        if score is None:
            parts.append(
                f'<text class="chart-value" x="{_LABEL + 6}" y="{y + 17}">{escape(missing)}</text>'
            )
        else:
            length = _PLOT * score / _TOP
            kind = "chart-bar weak" if is_weak else "chart-bar"
            parts += [
                f'<rect class="{kind}" x="{_LABEL}" y="{y + 4}" width="{length:.1f}" height="18"/>',
                f'<text class="chart-value" x="{_LABEL + length + 6:.1f}" y="{y + 17}">'
                f"{score:.1f}</text>",
            ]
        if median is not None:
            x = _LABEL + _PLOT * median / _TOP
            parts.append(
                f'<line class="chart-median" x1="{x:.1f}" x2="{x:.1f}" y1="{y}" y2="{y + 26}"/>'
            )
    parts.append("</svg>")
    return "".join(parts)


__all__ = ["maturity_chart"]
