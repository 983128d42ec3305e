"""Codebooks, runs, codings and review decisions, scoped to one workspace.

Machine suggestions and human decisions are separate rows: a person accepting
a suggestion marks it accepted *and* adds a human coding, so retraining and
agreement statistics can always tell who said what.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import ColumnElement, Row, and_, delete, func, insert, select
from sqlalchemy.orm import Session

from upstream.frameworks.model import Codebook as FrameworkCodebook
from upstream.records.stored import ItemRecord, RunRecord
from upstream.store import models as m
from upstream.store.coding_undo import snapshot
from upstream.store.engine import StoreError
from upstream.store.repository import Workspace, _item_record, insert_if_absent

Decision = Literal["accept", "reject", "recode", "not_relevant"]

_CHECK_CHUNK = 10_000


@dataclass(frozen=True, slots=True)
class CodingRecord:
    """One coding of an item, with who made it and where it stands."""

    id: int
    item_id: int
    code: str
    code_title: str
    origin: str
    status: str
    coder: str
    confidence: float | None
    explanation: dict[str, Any]
    run_id: int | None
    created_at: datetime


@dataclass(frozen=True, slots=True)
class MachineCoding:
    """A coding the machine proposes for an item, before it is stored."""

    item_id: int
    code: str
    confidence: float
    tentative: bool
    explanation: dict[str, Any]


@dataclass(frozen=True, slots=True)
class ReviewCandidate:
    """An item waiting for a person's decision, with the machine's suggestions."""

    item: ItemRecord
    suggestions: list[CodingRecord]
    priority: float


class CodingStore:
    """Coding data for one workspace."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._store = workspace.store

    # --- codebooks -----------------------------------------------------------------
    def save_codebook(self, codebook: FrameworkCodebook) -> int:
        """Store a copy of ``codebook`` (idempotent by id and version); return its row id."""
        query = select(m.Codebook).where(
            m.Codebook.workspace_id == self.workspace.id,
            m.Codebook.key == codebook.id,
            m.Codebook.version == codebook.version,
        )
        with self._store.session() as session:
            row = session.scalar(query)
            if row is None:
                # Two stories or coding runs saving the first copy at once: one inserts.
                insert_if_absent(
                    session,
                    m.Codebook,
                    ["workspace_id", "key", "version"],
                    workspace_id=self.workspace.id,
                    key=codebook.id,
                    title=codebook.title,
                    description=codebook.description,
                    version=codebook.version,
                )
                row = session.scalar(query)
                assert row is not None  # inserted just now, or by whoever got there first
            row.threshold = codebook.threshold
            row.sets = [
                {"guid": s.guid, "name": s.name, "description": s.description, "codes": [*s.codes]}
                for s in codebook.sets
            ] or None
            existing = {
                code.key: code
                for code in session.scalars(select(m.Code).where(m.Code.codebook_id == row.id))
            }
            for code in codebook.codes:  # parents come before children in a valid codebook
                stored = existing.get(code.id)
                if stored is None:
                    stored = m.Code(codebook_id=row.id, key=code.id, title=code.title)
                    session.add(stored)
                    existing[code.id] = stored
                stored.title = code.title
                stored.definition = code.definition
                stored.include = code.include
                stored.exclude = code.exclude
                stored.examples = list(code.examples)
                stored.guid = code.guid
                stored.color = code.color
                stored.codable = code.codable
                session.flush()
                stored.parent_id = existing[code.parent].id if code.parent else None
            return row.id

    def _code_ids(self, session: Session, codebook_id: int) -> dict[str, int]:
        self._check_codebook(session, codebook_id)
        rows = session.execute(
            select(m.Code.key, m.Code.id).where(m.Code.codebook_id == codebook_id)
        ).all()
        return {key: code_id for key, code_id in rows}

    def _check_codebook(self, session: Session, codebook_id: int) -> None:
        row = session.get(m.Codebook, codebook_id)
        if row is None or row.workspace_id != self.workspace.id:
            raise StoreError(f"No codebook {codebook_id} in workspace {self.workspace.name!r}.")

    def codebook_id(self, key: str, version: str | None = None) -> int | None:
        """Row id of the newest stored copy of codebook ``key`` (of ``version``), if any."""
        query = select(m.Codebook.id).where(
            m.Codebook.workspace_id == self.workspace.id, m.Codebook.key == key
        )
        if version is not None:
            query = query.where(m.Codebook.version == version)
        with self._store.session() as session:
            return session.scalar(query.order_by(m.Codebook.id.desc()).limit(1))

    def codebooks(self) -> list[tuple[str, str]]:
        """Every codebook stored in this workspace as (key, title), the newest copy's title."""
        with self._store.session() as session:
            rows = session.execute(
                select(m.Codebook.key, m.Codebook.title)
                .where(m.Codebook.workspace_id == self.workspace.id)
                .order_by(m.Codebook.id)
            ).all()
        return sorted({key: title for key, title in rows}.items(), key=lambda kt: kt[1].lower())

    # --- runs ----------------------------------------------------------------------
    def start_run(
        self,
        kind: str,
        *,
        parameters: dict[str, Any],
        versions: dict[str, Any],
        seed: int | None = None,
        actor: str = "",
    ) -> int:
        """Record the start of a run and return its id."""
        with self._store.session() as session:
            run = m.Run(
                workspace_id=self.workspace.id,
                kind=kind,
                parameters=parameters,
                versions=versions,
                seed=seed,
                started_by=actor,
            )
            session.add(run)
            session.flush()
            return run.id

    def finish_run(self, run_id: int, *, summary: dict[str, Any], status: str = "finished") -> None:
        """Record how a run ended."""
        with self._store.session() as session:
            run = self._run(session, run_id)
            run.summary = summary
            run.status = status
            run.finished_at = datetime.now(UTC)

    def _run(self, session: Session, run_id: int) -> m.Run:
        run = session.get(m.Run, run_id)
        if run is None or run.workspace_id != self.workspace.id:
            raise StoreError(f"No run {run_id} in workspace {self.workspace.name!r}.")
        return run

    def runs(self, kind: str | None = None, limit: int = 100) -> list[RunRecord]:
        """Runs in this workspace, newest first."""
        query = (
            select(m.Run)
            .where(m.Run.workspace_id == self.workspace.id)
            .order_by(m.Run.id.desc())
            .limit(limit)
        )
        if kind is not None:
            query = query.where(m.Run.kind == kind)
        with self._store.session() as session:
            return [run_record(run) for run in session.scalars(query)]

    # --- codings -------------------------------------------------------------------
    def add_machine_codings(
        self, run_id: int, codebook_id: int, codings: Iterable[MachineCoding], *, coder: str
    ) -> int:
        """Store the machine's suggestions from one run; return how many were stored."""
        with self._store.session() as session:
            self._run(session, run_id)
            code_ids = self._code_ids(session, codebook_id)
            rows: list[dict[str, Any]] = []
            item_ids: set[int] = set()
            for coding in codings:
                item_ids.add(coding.item_id)
                if coding.code not in code_ids:
                    raise StoreError(f"Code {coding.code!r} is not in the stored codebook.")
                status = m.CodingStatus.TENTATIVE if coding.tentative else m.CodingStatus.SUGGESTED
                rows.append(
                    {
                        "workspace_id": self.workspace.id,
                        "item_id": coding.item_id,
                        "code_id": code_ids[coding.code],
                        "origin": m.Origin.MACHINE,
                        "status": status,
                        "coder": coder,
                        "confidence": coding.confidence,
                        "explanation": coding.explanation,
                        "run_id": run_id,
                        "created_at": datetime.now(UTC),
                    }
                )
            self._check_items(session, item_ids)
            if rows:
                session.execute(insert(m.Coding), rows)
            return len(rows)

    def _check_items(self, session: Session, item_ids: set[int]) -> None:
        if not item_ids:
            return
        wanted = sorted(item_ids)
        found: set[int] = set()
        # In chunks: PostgreSQL takes at most 65,535 parameters in one statement.
        for start in range(0, len(wanted), _CHECK_CHUNK):
            chunk = wanted[start : start + _CHECK_CHUNK]
            found.update(
                session.scalars(
                    select(m.Item.id).where(
                        m.Item.workspace_id == self.workspace.id, m.Item.id.in_(chunk)
                    )
                )
            )
        missing = item_ids - found
        if missing:
            raise StoreError(f"Items {sorted(missing)[:5]} are not in this workspace.")

    def codings(
        self,
        *,
        item_ids: Sequence[int] | None = None,
        run_id: int | None = None,
        origin: str | None = None,
        codebook_id: int | None = None,
    ) -> list[CodingRecord]:
        """Codings in this workspace, filtered as asked, oldest first."""
        # Columns, not Coding objects: a report reads a run's codings of every item.
        query = (
            select(*_CODING_COLUMNS, m.Code.key, m.Code.title)
            .join(m.Code, m.Coding.code_id == m.Code.id)
            .where(m.Coding.workspace_id == self.workspace.id)
            .order_by(m.Coding.id)
        )
        if item_ids is not None:
            query = query.where(m.Coding.item_id.in_(list(item_ids)))
        if run_id is not None:
            query = query.where(m.Coding.run_id == run_id)
        if origin is not None:
            query = query.where(m.Coding.origin == m.Origin(origin))
        if codebook_id is not None:
            query = query.where(m.Code.codebook_id == codebook_id)
        with self._store.session() as session:
            rows = session.connection().execute(query)
            return [_coding_record(row, row.key, row.title) for row in rows]

    def human_labels(self, codebook_id: int) -> list[tuple[ItemRecord, str]]:
        """Every item a person has coded with this codebook, with the code they chose."""
        query = (
            select(m.Item, m.Organisation.name, m.Code.key)
            .join(m.Coding, m.Coding.item_id == m.Item.id)
            .join(m.Code, m.Coding.code_id == m.Code.id)
            .join(m.Organisation, m.Item.organisation_id == m.Organisation.id, isouter=True)
            .where(
                m.Coding.workspace_id == self.workspace.id,
                m.Coding.origin == m.Origin.HUMAN,
                m.Coding.status == m.CodingStatus.ACCEPTED,
                m.Code.codebook_id == codebook_id,
            )
            .order_by(m.Coding.id)
        )
        with self._store.session() as session:
            return [(_item_record(item, org), key) for item, org, key in session.execute(query)]

    # --- people in the loop ----------------------------------------------------------
    def review_queue(
        self, run_id: int, *, limit: int = 20, organisation: str = "", code: str = ""
    ) -> list[ReviewCandidate]:
        """Items from a run that nobody has decided on yet, most informative first.

        The priority stored with each suggestion (the coder's uncertainty) orders the
        queue, so a person's answer goes where it teaches the coder most.

        Args:
            run_id: The coding run.
            limit: Most items to return.
            organisation: Only this organisation's items (every item when empty).
            code: Only items the run's suggestions count under this code (its key
                in the run's codebook), so a person can check the items behind a
                count; every item when empty.
        """
        with self._store.session() as session:
            key = str(self._run(session, run_id).parameters.get("codebook", ""))
            # Decided, in this run's framework: a person coded it, or accepted or rejected
            # a suggestion. A decision in another framework (a story's writer placing it
            # on the one their collection uses) leaves this one's suggestions waiting.
            decided = (
                select(m.Coding.item_id)
                .join(m.Code, m.Coding.code_id == m.Code.id)
                .join(m.Codebook, m.Code.codebook_id == m.Codebook.id)
                .where(
                    m.Coding.workspace_id == self.workspace.id,
                    m.Codebook.key == key,
                    (m.Coding.origin == m.Origin.HUMAN)
                    | m.Coding.status.in_([m.CodingStatus.ACCEPTED, m.CodingStatus.REJECTED]),
                )
            )
            undecided: tuple[ColumnElement[bool], ...] = (
                m.Coding.workspace_id == self.workspace.id,
                m.Coding.run_id == run_id,
                m.Coding.origin == m.Origin.MACHINE,
                m.Coding.item_id.not_in(decided),
            )
            if organisation:
                undecided += (
                    m.Coding.item_id.in_(
                        select(m.Item.id)
                        .join(m.Organisation, m.Item.organisation_id == m.Organisation.id)
                        .where(
                            m.Item.workspace_id == self.workspace.id,
                            m.Organisation.name == organisation,
                        )
                    ),
                )
            if code:
                # Counted: a suggestion that reached the threshold, not a best guess.
                undecided += (
                    m.Coding.item_id.in_(
                        select(m.Coding.item_id)
                        .join(m.Code, m.Coding.code_id == m.Code.id)
                        .where(
                            m.Coding.workspace_id == self.workspace.id,
                            m.Coding.run_id == run_id,
                            m.Coding.origin == m.Origin.MACHINE,
                            m.Coding.status == m.CodingStatus.SUGGESTED,
                            m.Code.key == code,
                        )
                    ),
                )
            # Ranked in the database: a run codes every item, and reading all its
            # suggestions to keep the first ``limit`` took seconds at 100,000 items.
            # A suggestion without a priority counts as 0, as _priority reads it.
            priority = func.max(func.coalesce(m.Coding.explanation["priority"].as_float(), 0.0))
            ranked_ids = [
                int(item_id)
                for item_id, _ in session.execute(
                    select(m.Coding.item_id, priority)
                    .where(*undecided)
                    .group_by(m.Coding.item_id)
                    .order_by(priority.desc(), m.Coding.item_id)
                    .limit(limit)
                )
            ]
            by_item: dict[int, list[CodingRecord]] = {item_id: [] for item_id in ranked_ids}
            for start in range(0, len(ranked_ids), _CHECK_CHUNK):
                query = (
                    select(*_CODING_COLUMNS, m.Code.key, m.Code.title)
                    .join(m.Code, m.Coding.code_id == m.Code.id)
                    .where(
                        *undecided, m.Coding.item_id.in_(ranked_ids[start : start + _CHECK_CHUNK])
                    )
                    .order_by(m.Coding.id)
                )
                for row in session.connection().execute(query):
                    by_item[row.item_id].append(_coding_record(row, row.key, row.title))
            ranked = list(by_item.items())
            items = {
                item.id: _item_record(item, org)
                for item, org in session.execute(
                    select(m.Item, m.Organisation.name)
                    .join(m.Organisation, m.Item.organisation_id == m.Organisation.id, isouter=True)
                    .where(m.Item.id.in_([item_id for item_id, _ in ranked]))
                )
            }
            return [
                ReviewCandidate(
                    items[item_id],
                    sorted(codings, key=lambda c: -(c.confidence or 0.0)),
                    _priority(codings),
                )
                for item_id, codings in ranked
            ]

    def decide(
        self,
        item_id: int,
        codebook_id: int,
        decision: Decision,
        *,
        actor: str,
        code: str | None = None,
        also: Sequence[str] = (),
    ) -> None:
        """Record a person's decision on the machine's suggestion for an item.

        Args:
            item_id: The item decided on.
            codebook_id: The stored codebook the decision is in.
            decision: ``accept`` the top suggestion (or ``code`` when given), ``reject``
                every suggestion, ``recode`` to ``code`` instead, or ``not_relevant``:
                no code of this framework fits the item (a checked answer, not a gap).
            actor: Who decided, for the record and the audit log.
            code: The code chosen, for ``recode`` (and optionally ``accept``).
            also: Further codes the item carries besides the one accepted or chosen
                (an item can be about two things); ignored when rejecting.

        Raises:
            StoreError: The item, codebook or code is not in this workspace, or a
                recode names no code.
        """
        with self._store.session() as session:
            self._check_items(session, {item_id})
            code_ids = self._code_ids(session, codebook_id)
            in_book = m.Coding.code_id.in_(list(code_ids.values()))
            suggestions = list(
                session.scalars(
                    select(m.Coding).where(
                        m.Coding.workspace_id == self.workspace.id,
                        m.Coding.item_id == item_id,
                        m.Coding.origin == m.Origin.MACHINE,
                        in_book,
                    )
                )
            )
            first = self._chosen_code(decision, code, suggestions, code_ids)
            chosen = [] if first is None else [first]
            for extra in also if first is not None else ():
                if extra not in code_ids:
                    raise StoreError(f"Code {extra!r} is not in this codebook.")
                if extra not in chosen:
                    chosen.append(extra)
            before = snapshot(session, self.workspace.id, item_id, in_book)
            chosen_ids = {code_ids[key] for key in chosen}
            for suggestion in suggestions:
                agreed = suggestion.code_id in chosen_ids
                suggestion.status = m.CodingStatus.ACCEPTED if agreed else m.CodingStatus.REJECTED
                # The kind of decision stays with the suggestion, so counts can tell
                # "not relevant to this framework" from "the machine chose wrongly".
                suggestion.explanation = {**suggestion.explanation, "decision": decision}
            # A new decision replaces the earlier decision on this item. Other human
            # codings stay: a story's writer placing it on the framework, say, is
            # kept as "suggested" and is evidence in its own right.
            session.execute(
                delete(m.Coding).where(
                    and_(
                        m.Coding.workspace_id == self.workspace.id,
                        m.Coding.item_id == item_id,
                        m.Coding.origin == m.Origin.HUMAN,
                        m.Coding.status == m.CodingStatus.ACCEPTED,
                        in_book,
                    )
                )
            )
            people = [
                m.Coding(
                    workspace_id=self.workspace.id,
                    item_id=item_id,
                    code_id=code_ids[key],
                    origin=m.Origin.HUMAN,
                    status=m.CodingStatus.ACCEPTED,
                    coder=actor,
                    confidence=1.0,
                    # A code given beside the first says so: the item's page tells them apart.
                    explanation={"decision": decision} | ({"also": True} if key != first else {}),
                )
                for key in chosen
            ]
            session.add_all(people)
            session.flush()
            session.add(
                m.AuditEntry(
                    workspace_id=self.workspace.id,
                    actor=actor,
                    action=f"coding.{decision}",
                    target_type="item",
                    target_id=str(item_id),
                    detail={
                        "code": first,
                        "codes": chosen,
                        "before": before,
                        "added": [person.id for person in people],
                    },
                )
            )

    @staticmethod
    def _chosen_code(
        decision: Decision,
        code: str | None,
        suggestions: list[m.Coding],
        code_ids: dict[str, int],
    ) -> str | None:
        if code is not None and code not in code_ids:
            raise StoreError(f"Code {code!r} is not in this codebook.")
        if decision in ("reject", "not_relevant"):
            return None
        if decision == "recode":
            if code is None:
                raise StoreError("A recode needs the code to use instead.")
            return code
        if code is not None:
            return code
        if not suggestions:
            raise StoreError("There is no machine suggestion to accept; choose a code.")
        top = max(suggestions, key=lambda s: s.confidence or 0.0)
        return next(key for key, value in code_ids.items() if value == top.code_id)


def _priority(codings: Sequence[CodingRecord]) -> float:
    return max(float(c.explanation.get("priority", 0.0)) for c in codings)


_CODING_COLUMNS = (
    m.Coding.id,
    m.Coding.item_id,
    m.Coding.origin,
    m.Coding.status,
    m.Coding.coder,
    m.Coding.confidence,
    m.Coding.explanation,
    m.Coding.run_id,
    m.Coding.created_at,
)


def _coding_record(coding: m.Coding | Row[Any], key: str, title: str) -> CodingRecord:
    return CodingRecord(
        id=coding.id,
        item_id=coding.item_id,
        code=key,
        code_title=title,
        origin=coding.origin.value,
        status=coding.status.value,
        coder=coding.coder,
        confidence=coding.confidence,
        explanation=coding.explanation,
        run_id=coding.run_id,
        created_at=coding.created_at,
    )


def run_record(run: m.Run) -> RunRecord:
    """The plain record of a run row."""
    return RunRecord(
        id=run.id,
        kind=run.kind,
        status=run.status,
        parameters=run.parameters,
        versions=run.versions,
        seed=run.seed,
        summary=run.summary,
        started_by=run.started_by,
        started_at=run.started_at,
        finished_at=run.finished_at,
    )
