"""Workspace-scoped storage of survey panels (self-assessments: ``assessment_repository``).

:class:`SurveyRepository` is the only way analysis code reads or writes the
survey tables. Every query filters by the workspace's id; every write happens in
one transaction (a failed import leaves nothing behind), and writing the same
scores again updates them instead of adding duplicates.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from upstream.store import models as m
from upstream.store import survey_models as sm
from upstream.store.engine import StoreError
from upstream.store.repository import Store

_CHUNK = 5000


@dataclass(frozen=True, slots=True)
class MeasureRecord:
    """A harmonised measure: stable id, published label, kind and scale."""

    key: str
    label: str
    kind: str = "question"
    scale: str = "0-1"


@dataclass(frozen=True, slots=True)
class AliasRecord:
    """How a raw organisation name of one year maps to a canonical organisation."""

    raw_name: str
    year: int
    canonical_name: str
    score: float = 100.0
    method: str = "new"
    aggregate: bool = False
    code: str = ""


@dataclass(frozen=True, slots=True)
class ScoreRecord:
    """A score as imported: keyed by the raw name and year it was published under."""

    raw_name: str
    year: int
    measure: str
    value: float
    respondents: int | None = None


@dataclass(frozen=True, slots=True)
class StoredScore:
    """A stored score with its canonical organisation."""

    organisation: str
    raw_name: str
    year: int
    measure: str
    value: float
    respondents: int | None
    aggregate: bool
    source: str


@dataclass(frozen=True, slots=True)
class SurveyInfo:
    """A stored survey and how much it holds."""

    name: str
    kind: str
    organisations: int
    measures: int
    scores: int
    years: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class SaveCounts:
    """What one save did."""

    scores_new: int
    scores_updated: int
    organisations: int
    measures: int
    aliases: int
    source_id: int


class SurveyRepository:
    """Survey panels of one workspace.

    Args:
        store: An open store.
        workspace: Workspace name. Reads need it to exist; writes create it.
    """

    def __init__(self, store: Store, workspace: str) -> None:
        self.store = store
        self.workspace = workspace

    def _workspace_id(self, session: Session) -> int:
        found = session.scalar(select(m.Workspace.id).where(m.Workspace.name == self.workspace))
        if found is None:
            raise StoreError(f"No workspace called {self.workspace!r}.")
        return int(found)

    def _survey(self, session: Session, name: str) -> sm.Survey:
        workspace_id = self._workspace_id(session)
        row = session.scalar(
            select(sm.Survey).where(sm.Survey.workspace_id == workspace_id, sm.Survey.name == name)
        )
        if row is None:
            known = session.scalars(
                select(sm.Survey.name).where(sm.Survey.workspace_id == workspace_id)
            ).all()
            raise StoreError(
                f"No survey called {name!r} in workspace {self.workspace!r} "
                f"(surveys: {', '.join(known) or 'none yet'})."
            )
        return row

    # --- reads -------------------------------------------------------------------------

    def surveys(self) -> list[SurveyInfo]:
        """Every survey in the workspace, with counts."""
        with self.store.session() as session:
            workspace_id = self._workspace_id(session)
            rows = session.scalars(
                select(sm.Survey)
                .where(sm.Survey.workspace_id == workspace_id)
                .order_by(sm.Survey.name)
            ).all()
            return [self._info(session, row) for row in rows]

    def _info(self, session: Session, survey: sm.Survey) -> SurveyInfo:
        def count(model: Any) -> int:
            query = select(func.count()).select_from(model).where(*_scope(model, survey))
            return int(session.scalar(query) or 0)

        years = session.scalars(
            select(sm.SurveyScore.year)
            .where(*_scope(sm.SurveyScore, survey))
            .distinct()
            .order_by(sm.SurveyScore.year)
        ).all()
        return SurveyInfo(
            survey.name,
            survey.kind,
            count(sm.SurveyOrganisation),
            count(sm.SurveyMeasure),
            count(sm.SurveyScore),
            tuple(int(y) for y in years),
        )

    def scores(self, survey: str) -> list[StoredScore]:
        """Every score of ``survey`` with its canonical organisation and measure id."""
        with self.store.session() as session:
            row = self._survey(session, survey)
            query = (
                select(
                    sm.SurveyOrganisation.name,
                    sm.SurveyOrgAlias.raw_name,
                    sm.SurveyScore.year,
                    sm.SurveyMeasure.key,
                    sm.SurveyScore.value,
                    sm.SurveyScore.respondents,
                    sm.SurveyOrgAlias.aggregate,
                )
                .join(sm.SurveyOrgAlias, sm.SurveyScore.alias_id == sm.SurveyOrgAlias.id)
                .join(
                    sm.SurveyOrganisation,
                    sm.SurveyOrgAlias.organisation_id == sm.SurveyOrganisation.id,
                )
                .join(sm.SurveyMeasure, sm.SurveyScore.measure_id == sm.SurveyMeasure.id)
                .where(*_scope(sm.SurveyScore, row))
                .order_by(sm.SurveyScore.year, sm.SurveyOrganisation.name, sm.SurveyMeasure.key)
            )
            sources = self._source_names(session, row)
            return [
                StoredScore(
                    org,
                    raw,
                    int(year),
                    key,
                    float(value),
                    respondents,
                    bool(agg),
                    sources.get((raw, int(year)), ""),
                )
                for org, raw, year, key, value, respondents, agg in session.execute(query)
            ]

    def _source_names(self, session: Session, survey: sm.Survey) -> dict[tuple[str, int], str]:
        query = (
            select(sm.SurveyOrgAlias.raw_name, sm.SurveyOrgAlias.year, m.Source.name)
            .join(sm.SurveyScore, sm.SurveyScore.alias_id == sm.SurveyOrgAlias.id)
            .join(m.Source, sm.SurveyScore.source_id == m.Source.id)
            .where(*_scope(sm.SurveyOrgAlias, survey))
            .distinct()
        )
        return {(raw, int(year)): name for raw, year, name in session.execute(query)}

    def measures(self, survey: str) -> list[MeasureRecord]:
        """Every measure of ``survey``, by stable id."""
        with self.store.session() as session:
            row = self._survey(session, survey)
            rows = session.scalars(
                select(sm.SurveyMeasure)
                .where(*_scope(sm.SurveyMeasure, row))
                .order_by(sm.SurveyMeasure.key)
            )
            return [MeasureRecord(r.key, r.label, r.kind, r.scale) for r in rows]

    def aliases(self, survey: str) -> list[AliasRecord]:
        """The organisation name mapping of ``survey``."""
        with self.store.session() as session:
            row = self._survey(session, survey)
            query = (
                select(sm.SurveyOrgAlias, sm.SurveyOrganisation.name, sm.SurveyOrganisation.code)
                .join(
                    sm.SurveyOrganisation,
                    sm.SurveyOrgAlias.organisation_id == sm.SurveyOrganisation.id,
                )
                .where(*_scope(sm.SurveyOrgAlias, row))
                .order_by(sm.SurveyOrganisation.name, sm.SurveyOrgAlias.year)
            )
            return [
                AliasRecord(a.raw_name, a.year, name, a.score, a.method, a.aggregate, code)
                for a, name, code in session.execute(query)
            ]

    # --- writes ------------------------------------------------------------------------

    def save(
        self,
        survey: str,
        *,
        measures: Sequence[MeasureRecord],
        aliases: Sequence[AliasRecord],
        scores: Sequence[ScoreRecord],
        source_name: str,
        source_path: str = "",
        detected: dict[str, Any] | None = None,
        kind: str = "organisation_scores",
        actor: str = "upstream",
    ) -> SaveCounts:
        """Store a panel: measures, organisations, name mapping and scores, in one transaction.

        Raises:
            StoreError: If a score names a measure or raw organisation not given.
        """
        with self.store.writer(self.workspace) as writer:
            session, workspace_id = writer.session, writer.workspace.id
            survey_row = session.scalar(
                select(sm.Survey).where(
                    sm.Survey.workspace_id == workspace_id, sm.Survey.name == survey
                )
            )
            if survey_row is None:
                survey_row = sm.Survey(workspace_id=workspace_id, name=survey, kind=kind)
                session.add(survey_row)
                session.flush()
            measure_ids = _upsert_measures(session, survey_row, measures)
            organisations_before = self._count_orgs(session, survey_row)
            alias_ids = _upsert_aliases(session, survey_row, aliases)
            source_id = writer.add_source(
                source_name,
                kind=f"survey:{kind}",
                path=source_path,
                detected=detected or {},
                rows_read=len(scores),
                imported_by=actor,
            )
            new, updated = _upsert_scores(
                session, survey_row, scores, measure_ids, alias_ids, source_id
            )
            writer.update_source(source_id, rows_imported=new, rows_duplicate=updated)
            counts = SaveCounts(
                new,
                updated,
                self._count_orgs(session, survey_row) - organisations_before,
                len(measure_ids),
                len(alias_ids),
                source_id,
            )
            writer.audit(
                actor, "import", "survey", survey_row.id, survey=survey, new=new, updated=updated
            )
            return counts

    @staticmethod
    def _count_orgs(session: Session, survey: sm.Survey) -> int:
        query = (
            select(func.count())
            .select_from(sm.SurveyOrganisation)
            .where(*_scope(sm.SurveyOrganisation, survey))
        )
        return int(session.scalar(query) or 0)

    def apply_mapping(
        self, survey: str, rows: Iterable[tuple[str, int | None, str]], *, actor: str = "upstream"
    ) -> int:
        """Point raw names at reviewed canonical names (``(raw_name, year or None, canonical)``).

        Returns:
            How many stored raw-name/year pairs changed organisation.
        """
        changed = 0
        with self.store.writer(self.workspace, create=False) as writer:
            session = writer.session
            survey_row = self._survey(session, survey)
            organisations = _organisation_ids(session, survey_row)
            for raw, year, canonical in rows:
                query = select(sm.SurveyOrgAlias).where(
                    sm.SurveyOrgAlias.workspace_id == survey_row.workspace_id,
                    sm.SurveyOrgAlias.survey_id == survey_row.id,
                    sm.SurveyOrgAlias.raw_name == raw,
                )
                if year is not None:
                    query = query.where(sm.SurveyOrgAlias.year == year)
                for alias in session.scalars(query):
                    target = _organisation(session, survey_row, organisations, canonical)
                    if alias.organisation_id != target:
                        alias.organisation_id, alias.method, alias.score = target, "manual", 100.0
                        changed += 1
            writer.audit(actor, "remap", "survey", survey_row.id, survey=survey, changed=changed)
        return changed


def _scope(model: Any, survey: sm.Survey) -> tuple[Any, Any]:
    """The conditions that keep a query inside one survey of one workspace."""
    return model.workspace_id == survey.workspace_id, model.survey_id == survey.id


def _upsert_measures(
    session: Session, survey: sm.Survey, measures: Sequence[MeasureRecord]
) -> dict[str, int]:
    existing = {
        r.key: r
        for r in session.scalars(select(sm.SurveyMeasure).where(*_scope(sm.SurveyMeasure, survey)))
    }
    for record in measures:
        row = existing.get(record.key)
        if row is None:
            row = sm.SurveyMeasure(
                workspace_id=survey.workspace_id,
                survey_id=survey.id,
                key=record.key,
                label=record.label,
                kind=record.kind,
                scale=record.scale,
            )
            session.add(row)
            existing[record.key] = row
        else:
            if record.label and (row.label in {"", row.key} or len(record.label) > len(row.label)):
                row.label = record.label
            row.scale = record.scale  # the newest import says what scale the values are on
    session.flush()
    return {key: row.id for key, row in existing.items()}


def _organisation_ids(session: Session, survey: sm.Survey) -> dict[str, int]:
    rows = session.execute(
        select(sm.SurveyOrganisation.name, sm.SurveyOrganisation.id).where(
            *_scope(sm.SurveyOrganisation, survey)
        )
    )
    return {name: int(id_) for name, id_ in rows}


def _organisation(
    session: Session, survey: sm.Survey, known: dict[str, int], name: str, code: str = ""
) -> int:
    if name not in known:
        row = sm.SurveyOrganisation(
            workspace_id=survey.workspace_id, survey_id=survey.id, name=name, code=code
        )
        session.add(row)
        session.flush()
        known[name] = row.id
    return known[name]


def _upsert_aliases(
    session: Session, survey: sm.Survey, aliases: Sequence[AliasRecord]
) -> dict[tuple[str, int], int]:
    organisations = _organisation_ids(session, survey)
    existing = {
        (a.raw_name, a.year): a
        for a in session.scalars(
            select(sm.SurveyOrgAlias).where(*_scope(sm.SurveyOrgAlias, survey))
        )
    }
    for record in aliases:
        org_id = _organisation(session, survey, organisations, record.canonical_name, record.code)
        row = existing.get((record.raw_name, record.year))
        if row is None:
            row = sm.SurveyOrgAlias(
                workspace_id=survey.workspace_id,
                survey_id=survey.id,
                raw_name=record.raw_name,
                year=record.year,
                organisation_id=org_id,
            )
            session.add(row)
            existing[(record.raw_name, record.year)] = row
        row.organisation_id = org_id
        row.score, row.method, row.aggregate = record.score, record.method, record.aggregate
    session.flush()
    return {key: row.id for key, row in existing.items()}


def _upsert_scores(
    session: Session,
    survey: sm.Survey,
    scores: Sequence[ScoreRecord],
    measure_ids: dict[str, int],
    alias_ids: dict[tuple[str, int], int],
    source_id: int,
) -> tuple[int, int]:
    unique: dict[tuple[int, int], dict[str, Any]] = {}
    for score in scores:
        alias = alias_ids.get((score.raw_name, score.year))
        measure = measure_ids.get(score.measure)
        if alias is None or measure is None:
            missing = "organisation" if alias is None else "measure"
            raise StoreError(
                f"Score for {score.raw_name!r} {score.year} {score.measure!r}: unknown {missing}."
            )
        unique[(alias, measure)] = {
            "workspace_id": survey.workspace_id,
            "survey_id": survey.id,
            "alias_id": alias,
            "measure_id": measure,
            "year": score.year,
            "value": float(score.value),
            "respondents": score.respondents,
            "source_id": source_id,
        }
    rows = list(unique.values())
    before = {
        (a, m)
        for a, m in session.execute(
            select(sm.SurveyScore.alias_id, sm.SurveyScore.measure_id).where(
                *_scope(sm.SurveyScore, survey)
            )
        )
    }
    updated = sum((r["alias_id"], r["measure_id"]) in before for r in rows)
    table = sm.SurveyScore.__table__
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    for start in range(0, len(rows), _CHUNK):
        statement = dialect.insert(table)
        statement = statement.on_conflict_do_update(
            index_elements=["alias_id", "measure_id"],
            set_={
                "value": statement.excluded.value,
                "respondents": statement.excluded.respondents,
                "source_id": statement.excluded.source_id,
                "year": statement.excluded.year,
            },
        )
        session.connection().execute(statement, rows[start : start + _CHUNK])
    return len(rows) - updated, updated


__all__ = [
    "AliasRecord",
    "MeasureRecord",
    "SaveCounts",
    "ScoreRecord",
    "StoredScore",
    "SurveyInfo",
    "SurveyRepository",
]
