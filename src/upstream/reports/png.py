"""Static charts for the PDF, drawn with matplotlib's object interface (no display needed)."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import numpy as np
from matplotlib import get_data_path, rc_context
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator

from upstream.reports.charts import BRAND, HEAT_STOPS, PALETTE
from upstream.reports.model import CodeCount, Matrix, PatternRow, Trend

DPI = 200
WIDTH = 6.7  # inches: the text width of an A4 page with 2 cm margins
_HEAT = LinearSegmentedColormap.from_list("upstream", list(HEAT_STOPS))


def font_path() -> Path:
    """DejaVu Sans, shipped with matplotlib: covers £, curly quotes, κ and other letters."""
    return Path(get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


# Labels are names people typed: a "$" in them is money, never TeX. Without
# this, "$x^$" in an organisation name stops the PDF with a mathtext error.


def _png(figure: Figure) -> bytes:
    buffer = BytesIO()
    with rc_context({"text.parse_math": False, "text.usetex": False}):
        for text in figure.findobj(Text):
            text.set_parse_math(False)
        figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", facecolor="white")
    return buffer.getvalue()


def _figure(height: float, width: float = WIDTH) -> Figure:
    figure = Figure(figsize=(width, height))
    figure.set_layout_engine("constrained")
    return figure


def _tidy(axes: object) -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)  # type: ignore[attr-defined]


def bars_png(labels: list[str], values: list[int], *, colour: str, xlabel: str) -> bytes:
    """Horizontal bars, first label at the top."""
    figure = _figure(max(1.6, 0.32 * len(labels) + 0.8))
    axes = figure.add_subplot()
    positions = np.arange(len(labels))[::-1]
    axes.barh(positions, values, color=colour)
    axes.set_yticks(positions, labels, fontsize=8)
    axes.set_xlabel(xlabel, fontsize=8)
    axes.tick_params(axis="x", labelsize=8)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    for y, value in zip(positions, values, strict=True):
        axes.annotate(
            f"{value:,}",
            (value, y),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=7,
        )
    _tidy(axes)
    return _png(figure)


def coverage_png(rows: list[CodeCount]) -> bytes:
    """Coded items per top-level element."""
    shown = [r for r in rows if r.depth == 0]
    return bars_png(
        [r.title for r in shown], [r.items for r in shown], colour=BRAND, xlabel="Coded items"
    )


def patterns_png(rows: list[PatternRow], kind: str) -> bytes:
    """Organisations naming each barrier (or enabler, or driver)."""
    shown = [r for r in rows if r.kind == kind][:10]
    of = max((r.of for r in shown), default=0)
    return bars_png(
        [r.title for r in shown],
        [r.organisations for r in shown],
        colour="#b3541e" if kind == "barrier" else BRAND,
        xlabel=f"Organisations naming it (of {of})",
    )


def heatmap_png(matrix: Matrix, *, wide: bool = False) -> bytes:
    """Organisations against elements, shaded by share of each row's coded items.

    Args:
        matrix: The groups and their counts.
        wide: Draw for a landscape page.
    """
    rows = [r for r in matrix.rows if not r.suppressed]
    shares = np.array([[r.share(n) or 0.0 for n in range(len(matrix.codes))] for r in rows])
    figure = _figure(max(2.0, 0.22 * len(rows) + 1.4), WIDTH * 1.45 if wide else WIDTH)
    axes = figure.add_subplot()
    image = axes.imshow(shares * 100, cmap=_HEAT, vmin=0, vmax=100, aspect="auto")
    axes.set_xticks(range(len(matrix.titles)), matrix.titles, rotation=35, ha="left", fontsize=7)
    axes.xaxis.tick_top()
    axes.set_yticks(range(len(rows)), [r.name for r in rows], fontsize=7)
    for y, row in enumerate(rows):
        for x, count in enumerate(row.counts):
            dark = shares[y, x] > 0.55
            axes.text(
                x,
                y,
                str(count),
                ha="center",
                va="center",
                fontsize=6.5,
                color="white" if dark else "#1d2529",
            )
    bar = figure.colorbar(image, ax=axes, fraction=0.04, pad=0.02)
    bar.set_label("% of the organisation's coded items", fontsize=7)
    bar.ax.tick_params(labelsize=7)
    return _png(figure)


def trend_png(trend: Trend) -> bytes:
    """Coded items per month for each element."""
    figure = _figure(3.2)
    axes = figure.add_subplot()
    x = np.arange(len(trend.months))
    for n, (title, values) in enumerate(zip(trend.titles, trend.series, strict=True)):
        axes.plot(
            x,
            values,
            marker="o",
            markersize=2.5,
            linewidth=1.4,
            color=PALETTE[n % len(PALETTE)],
            label=title,
        )
    step = max(1, len(trend.months) // 12)
    axes.set_xticks(x[::step], trend.months[::step], rotation=45, ha="right", fontsize=7)
    axes.tick_params(axis="y", labelsize=7)
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylabel("Coded items", fontsize=8)
    axes.set_ylim(bottom=0)
    axes.legend(fontsize=7, frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    _tidy(axes)
    return _png(figure)


__all__ = ["bars_png", "coverage_png", "font_path", "heatmap_png", "patterns_png", "trend_png"]
