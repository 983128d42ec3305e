"""Save a survey panel to the evidence store and load it back."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from upstream.store import Store
from upstream.store.survey_repository import (
    AliasRecord,
    MeasureRecord,
    SaveCounts,
    ScoreRecord,
    SurveyRepository,
)
from upstream.survey.orgnames import OrgMatch
from upstream.survey.panel import DEFAULT_SCALE, SurveyPanel, empty_scores, measures_table

DEFAULT_WORKSPACE = "default"
DEFAULT_SURVEY = "csps"


def save_panel(
    store: Store,
    panel: SurveyPanel,
    *,
    workspace: str = DEFAULT_WORKSPACE,
    survey: str = DEFAULT_SURVEY,
    source_name: str = "",
    source_path: str = "",
    actor: str = "upstream",
) -> SaveCounts:
    """Store a panel in one transaction; scores already stored are updated, not duplicated.

    Args:
        store: An open store.
        panel: The panel to save.
        workspace: Workspace name (created when new).
        survey: Survey name within the workspace (created when new).
        source_name: Name recorded for this import (the files read, by default).
        source_path: Path recorded for this import.
        actor: Who is importing, for the audit log.

    Returns:
        Counts of new and updated scores, new organisations, measures and names.
    """
    scores = panel.scores
    aggregates = set(
        zip(
            scores.loc[scores["aggregate"], "raw_name"],
            scores.loc[scores["aggregate"], "year"],
            strict=True,
        )
    )
    aliases = [
        AliasRecord(
            m.raw_name,
            int(m.year) if m.year is not None else 0,
            m.canonical_name,
            m.score,
            m.method,
            (m.raw_name, m.year) in aggregates,
        )
        for m in panel.mapping
    ]
    known = {(a.raw_name, a.year) for a in aliases}
    for raw, year, organisation in (
        scores[["raw_name", "year", "organisation"]].drop_duplicates().itertuples(index=False)
    ):
        if (raw, int(year)) not in known:  # panels built without a mapping (e.g. wide tables)
            aliases.append(AliasRecord(str(raw), int(year), str(organisation), 100.0, "exact"))
            known.add((raw, int(year)))
    respondents = [None if pd.isna(r) else int(r) for r in scores["respondents"].tolist()]
    records = [
        ScoreRecord(str(raw), int(year), str(measure), float(value), count)
        for raw, year, measure, value, count in zip(
            scores["raw_name"].tolist(),
            scores["year"].tolist(),
            scores["measure"].tolist(),
            scores["value"].tolist(),
            respondents,
            strict=True,
        )
    ]
    measures = [
        MeasureRecord(str(r.measure), str(r.label), str(r.kind), panel.scale(str(r.measure)))
        for r in panel.measures.itertuples()
    ]
    files = [Path(str(f["path"])).name for f in panel.files]
    return SurveyRepository(store, workspace).save(
        survey,
        measures=measures,
        aliases=aliases,
        scores=records,
        source_name=source_name or ", ".join(files) or "survey panel",
        source_path=source_path,
        detected={"files": panel.files, "notes": panel.notes},
        actor=actor,
    )


def load_panel(
    store: Store, *, workspace: str = DEFAULT_WORKSPACE, survey: str = DEFAULT_SURVEY
) -> SurveyPanel:
    """Load a stored panel (raises ``StoreError`` when the workspace or survey is unknown)."""
    repository = SurveyRepository(store, workspace)
    stored = repository.scores(survey)
    scores = pd.DataFrame(
        [
            (
                s.organisation,
                s.year,
                s.measure,
                s.value,
                s.respondents,
                s.raw_name,
                s.source,
                s.aggregate,
            )
            for s in stored
        ],
        columns=list(empty_scores().columns),
    )
    scores = scores.astype(empty_scores().dtypes.to_dict()) if len(scores) else empty_scores()
    stored_measures = repository.measures(survey)
    measures = measures_table((m.key, m.label, m.kind) for m in stored_measures)
    scales = {m.key: m.scale for m in stored_measures if m.scale != DEFAULT_SCALE}
    mapping = [
        OrgMatch(a.raw_name, a.year, a.canonical_name, a.score, a.method)
        for a in repository.aliases(survey)
    ]
    return SurveyPanel(scores=scores, measures=measures, mapping=mapping, scales=scales)


def stored_mapping(
    store: Store, *, workspace: str = DEFAULT_WORKSPACE, survey: str = DEFAULT_SURVEY
) -> tuple[list[str], list[OrgMatch]]:
    """Canonical names already stored, and the reviewed (manual) mapping rows.

    Returns empty lists when the workspace or survey does not exist yet.
    """
    from upstream.store import StoreError

    try:
        aliases = SurveyRepository(store, workspace).aliases(survey)
    except StoreError:
        return [], []
    names = sorted({a.canonical_name for a in aliases})
    manual = [
        OrgMatch(a.raw_name, a.year, a.canonical_name, a.score, a.method)
        for a in aliases
        if a.method == "manual"
    ]
    return names, manual


def remap(
    store: Store,
    rows: Iterable[OrgMatch],
    *,
    workspace: str = DEFAULT_WORKSPACE,
    survey: str = DEFAULT_SURVEY,
) -> int:
    """Apply reviewed mapping rows to stored scores; return how many names moved."""
    return SurveyRepository(store, workspace).apply_mapping(
        survey, [(m.raw_name, m.year, m.canonical_name) for m in rows]
    )
