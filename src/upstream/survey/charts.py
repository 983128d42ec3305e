"""Charts for a board paper: a radar of maturity against peers, bars of perception gaps.

Charts are drawn with matplotlib's object interface (no global state, no display
needed) and saved as PNG or SVG by the file's extension. Every chart function
also returns the table it drew, so the numbers can go in the paper too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from upstream.survey.assessment import FRONTLINE, LEADERS
from upstream.survey.errors import SurveyConfigError

FORMATS: Final = (".png", ".svg")
_OURS: Final = "#1b6ca8"
_PEERS: Final = "#9a9a9a"
_LEADER: Final = "#1b6ca8"
_FRONT: Final = "#e07b39"


def _save(figure: Figure, path: Path) -> None:
    if path.suffix.lower() not in FORMATS:
        raise SurveyConfigError(f"{path}: charts are saved as .png or .svg")
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=150, bbox_inches="tight")


def radar_chart(
    scores: pd.DataFrame, benchmarks: pd.DataFrame, organisation: str, path: Path
) -> pd.DataFrame:
    """Draw an organisation's maturity per element against the peer median and quartiles.

    Args:
        scores: Organisation-level scores (:func:`~upstream.survey.assessment.element_scores`).
        benchmarks: Peer benchmarks (:func:`~upstream.survey.assessment.peer_benchmarks`).
        organisation: Whose scores to draw.
        path: Where to save (``.png`` or ``.svg``).

    Returns:
        Columns ``element, title, score, lower_quartile, median, upper_quartile``
        (a suppressed score is empty and drawn as a gap at zero).
    """
    mine = scores[scores["organisation"] == organisation].set_index("element")["mean"]
    if mine.empty:
        raise SurveyConfigError(f"no scores for {organisation!r}")
    table = benchmarks[["element", "title", "lower_quartile", "median", "upper_quartile"]].copy()
    table.insert(2, "score", table["element"].map(mine))
    angles = np.linspace(0, 2 * np.pi, len(table), endpoint=False).tolist()
    closed = [*angles, angles[0]]

    def ring(column: str) -> list[float]:
        values = table[column].fillna(0).tolist()
        return [*values, values[0]]

    figure = Figure(figsize=(7.5, 7.5))
    axes = figure.add_subplot(projection="polar")
    axes.fill_between(
        closed,
        ring("lower_quartile"),
        ring("upper_quartile"),
        color=_PEERS,
        alpha=0.25,
        label="Peers: middle half",
    )
    axes.plot(
        closed, ring("median"), color=_PEERS, linestyle="--", linewidth=1.5, label="Peer median"
    )
    axes.plot(closed, ring("score"), color=_OURS, linewidth=2.5, label=organisation)
    axes.fill(closed, ring("score"), color=_OURS, alpha=0.12)
    axes.set_xticks(angles)
    axes.set_xticklabels([_wrap(t) for t in table["title"]], fontsize=8)
    axes.set_ylim(0, 5)
    axes.set_yticks([1, 2, 3, 4, 5])
    axes.set_yticklabels(["1", "2", "3", "4", "5"], fontsize=7, color="#555555")
    axes.set_title(f"{organisation}: maturity by element (1-5)", fontsize=11, pad=24)
    axes.legend(loc="upper right", bbox_to_anchor=(1.3, 1.12), fontsize=8, frameon=False)
    _save(figure, path)
    return table


def gap_bar_chart(gaps: pd.DataFrame, organisation: str, path: Path) -> pd.DataFrame:
    """Draw leaders' and frontline staff's ratings side by side for each element.

    Args:
        gaps: Output of :func:`~upstream.survey.assessment.perception_gaps`.
        organisation: Whose gaps to draw.
        path: Where to save (``.png`` or ``.svg``).

    Returns:
        The organisation's rows of ``gaps``; suppressed groups are drawn as empty bars.
    """
    table = gaps[gaps["organisation"] == organisation].reset_index(drop=True)
    if table.empty:
        raise SurveyConfigError(f"no role-group ratings for {organisation!r}")
    positions = np.arange(len(table))
    width = 0.38
    figure = Figure(figsize=(9, 4.8))
    axes = figure.add_subplot()
    axes.bar(positions - width / 2, table[LEADERS].fillna(0), width, color=_LEADER, label="Leaders")
    axes.bar(
        positions + width / 2, table[FRONTLINE].fillna(0), width, color=_FRONT, label="Frontline"
    )
    for x, gap in zip(positions, table["gap"], strict=True):
        if gap == gap:
            axes.annotate(f"{gap:+.1f}", (x, 5.05), ha="center", fontsize=8, color="#333333")
    axes.set_xticks(positions)
    axes.set_xticklabels([_wrap(t, 12) for t in table["title"]], fontsize=8)
    axes.set_ylim(0, 5.4)
    axes.set_ylabel("Mean maturity level (1-5)")
    axes.set_title(
        f"{organisation}: how leaders and frontline staff rate each element", fontsize=11
    )
    axes.legend(fontsize=8, frameon=False, loc="lower right")
    axes.spines[["top", "right"]].set_visible(False)
    _save(figure, path)
    return table


def _wrap(text: str, width: int = 16) -> str:
    words, lines, line = str(text).split(), [], ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "\n".join([*lines, line])
