"""The harmonised survey panel: one row per organisation, year and measure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import pandas as pd

from upstream.survey.orgnames import OrgMatch

SCORE_COLUMNS: Final = (
    "organisation",
    "year",
    "measure",
    "value",
    "respondents",
    "raw_name",
    "source",
    "aggregate",
)
MEASURE_COLUMNS: Final = ("measure", "label", "kind")
DEFAULT_SCALE: Final = "0-1"


def empty_scores() -> pd.DataFrame:
    """An empty scores table with the panel's columns and types."""
    return pd.DataFrame(
        {
            "organisation": pd.Series(dtype="object"),
            "year": pd.Series(dtype="int64"),
            "measure": pd.Series(dtype="object"),
            "value": pd.Series(dtype="float64"),
            "respondents": pd.Series(dtype="Int64"),
            "raw_name": pd.Series(dtype="object"),
            "source": pd.Series(dtype="object"),
            "aggregate": pd.Series(dtype="bool"),
        }
    )


@dataclass
class SurveyPanel:
    """Organisation-level survey results in long form, with what is known about them.

    Attributes:
        scores: Columns ``organisation`` (canonical name), ``year``, ``measure``
            (stable id), ``value`` (0-1), ``respondents`` (nullable), ``raw_name``
            (as published) and ``source`` (file name).
        measures: Columns ``measure``, ``label`` (as published) and ``kind``.
        mapping: How every raw organisation name was mapped.
        published: Summary rows found in the files (e.g. the published median),
            columns ``year``, ``name``, ``measure``, ``value``; never part of ``scores``.
        files: What was detected in each file read.
        notes: Plain-English remarks for the user (skipped sheets, duplicates...).
        scales: Scale of each measure whose values are not proportions (0-1):
            ``"0-10"``, ``"index"`` or ``"count"`` (see :mod:`upstream.survey.wide`).
    """

    scores: pd.DataFrame = field(default_factory=empty_scores)
    measures: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=list(MEASURE_COLUMNS))
    )
    mapping: list[OrgMatch] = field(default_factory=list)
    published: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["year", "name", "measure", "value"])
    )
    files: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    scales: dict[str, str] = field(default_factory=dict)

    def scale(self, measure: str) -> str:
        """The scale of ``measure``: ``"0-1"`` unless the import said otherwise."""
        return self.scales.get(measure, DEFAULT_SCALE)

    @property
    def organisations(self) -> list[str]:
        """Canonical organisation names, sorted."""
        return sorted(self.scores["organisation"].unique().tolist())

    @property
    def years(self) -> list[int]:
        """Survey years present, ascending."""
        return sorted(int(y) for y in self.scores["year"].unique())

    @property
    def measure_ids(self) -> list[str]:
        """Stable measure ids present in the scores."""
        return sorted(self.scores["measure"].unique().tolist())

    def label(self, measure: str) -> str:
        """The published label of ``measure`` (its id when unknown)."""
        rows = self.measures.loc[self.measures["measure"] == measure, "label"]
        return str(rows.iloc[0]) if len(rows) else measure

    def wide(self, measures: Sequence[str] | None = None) -> pd.DataFrame:
        """Scores as a table: one row per (organisation, year), one column per measure."""
        data = self.scores
        if measures is not None:
            data = data[data["measure"].isin(list(measures))]
        table = data.pivot_table(
            index=["organisation", "year"], columns="measure", values="value", aggfunc="mean"
        )
        table.columns.name = None
        return table

    def respondents(self) -> pd.Series:
        """Respondents per (organisation, year), where known (the largest over measures)."""
        known = self.scores.dropna(subset=["respondents"])
        return known.groupby(["organisation", "year"])["respondents"].max()


def measures_table(rows: Iterable[tuple[str, str, str]]) -> pd.DataFrame:
    """Build the measures table from ``(measure, label, kind)``; the longest label wins."""
    best: dict[str, tuple[str, str]] = {}
    for measure, label, kind in rows:
        current = best.get(measure)
        if current is None or (len(label) > len(current[0]) and label != measure):
            best[measure] = (label, kind)
    return pd.DataFrame(
        [(m, label, kind) for m, (label, kind) in sorted(best.items())],
        columns=list(MEASURE_COLUMNS),
    )


def combine(panels: Sequence[SurveyPanel]) -> SurveyPanel:
    """Join panels read from several files into one."""
    if not panels:
        return SurveyPanel()
    scores = pd.concat([p.scores for p in panels if len(p.scores)], ignore_index=True)
    measure_rows = [
        (str(r.measure), str(r.label), str(r.kind))
        for p in panels
        for r in p.measures.itertuples(index=False)
    ]
    published = [p.published for p in panels if len(p.published)]
    return SurveyPanel(
        scores=scores if len(scores) else empty_scores(),
        measures=measures_table(measure_rows),
        mapping=[m for p in panels for m in p.mapping],
        published=pd.concat(published, ignore_index=True) if published else SurveyPanel().published,
        files=[f for p in panels for f in p.files],
        notes=[n for p in panels for n in p.notes],
        scales={m: s for p in panels for m, s in p.scales.items()},
    )
