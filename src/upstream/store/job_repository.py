"""Background jobs as stored: create one per key, record progress and outcome, list them.

Jobs belong to a workspace, but the job runner and ``upstream jobs list`` look
across workspaces (a restarted server marks every job it left unfinished), so
:class:`JobStore` works on the whole store and each method says which
workspace it filters by.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from upstream.store import models as m
from upstream.store.engine import StoreError
from upstream.store.job_models import ACTIVE_STATES, JobRow
from upstream.store.repository import Store

__all__ = ["ACTIVE_STATES", "RESTARTABLE_STATES", "JobRecord", "JobStore", "NewJob"]

RESTARTABLE_STATES = ("failed", "interrupted")
"""States of a job that ended without a result and may be started again."""


def _aware(moment: datetime | None) -> datetime | None:
    # SQLite keeps no time zone; every time we store is UTC.
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class JobRecord:
    """A background job as stored.

    Attributes:
        id: Random identifier used in the job's address.
        workspace_id: The workspace it works on.
        kind: What sort of job it is (``coding``, ``themes``, ...).
        key: What only one job may work on at a time (within the workspace).
        label: What it is, in plain words.
        owner_id: The user who started it, if a person did.
        actor: Who started it, as recorded in the audit log (an email address).
        state: ``queued``, ``running``, ``done``, ``failed`` or ``interrupted``.
        stage: What it is doing now, in words.
        steps_done: Steps (or rows) done so far.
        steps_total: How many steps there are, when known.
        created_at: When it was asked for.
        started_at: When it last started running.
        finished_at: When it ended, once it has.
        error: Why it failed, in plain English.
        result: What it produced (for example the id of the run it saved).
        parameters: What is needed to run it again.
        attempts: How many times it has been started.
    """

    id: str
    workspace_id: int
    kind: str
    key: str
    label: str
    owner_id: int | None
    actor: str
    state: str
    stage: str
    steps_done: int
    steps_total: int | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error: str
    result: dict[str, Any] = field(default_factory=dict)
    parameters: dict[str, Any] = field(default_factory=dict)
    attempts: int = 1

    @property
    def finished(self) -> bool:
        """Whether it has stopped, well or badly."""
        return self.state not in ACTIVE_STATES

    @property
    def restartable(self) -> bool:
        """Whether it ended without a result and may be started again."""
        return self.state in RESTARTABLE_STATES

    @property
    def percent(self) -> int | None:
        """Rough percentage done, when the total is known."""
        if not self.steps_total:
            return None
        ceiling = 100 if self.state == "done" else 99
        return min(ceiling, self.steps_done * 100 // self.steps_total)

    @property
    def elapsed(self) -> float:
        """Seconds it has run (until it ended)."""
        begun = self.started_at or self.created_at
        end = self.finished_at or datetime.now(UTC)
        return max(0.0, (end - begun).total_seconds())


@dataclass(frozen=True, slots=True)
class NewJob:
    """What a new job is: everything :meth:`JobStore.create` needs.

    Attributes:
        workspace_id: The workspace it works on.
        kind: What sort of job it is.
        key: What only one job may work on at a time (within the workspace).
        label: What it is, in plain words.
        owner_id: The user starting it, if a person is.
        actor: Who is starting it, for the audit log.
        parameters: What is needed to run it again (JSON).
        steps_total: How many steps it has, when known in advance.
    """

    workspace_id: int
    kind: str
    key: str
    label: str
    owner_id: int | None = None
    actor: str = ""
    parameters: Mapping[str, Any] = field(default_factory=dict)
    steps_total: int | None = None


def _record(row: JobRow) -> JobRecord:
    return JobRecord(
        id=row.id,
        workspace_id=row.workspace_id,
        kind=row.kind,
        key=row.key,
        label=row.label,
        owner_id=row.owner_id,
        actor=row.actor,
        state=row.state,
        stage=row.stage,
        steps_done=row.steps_done,
        steps_total=row.steps_total,
        created_at=_aware(row.created_at) or datetime.now(UTC),
        started_at=_aware(row.started_at),
        finished_at=_aware(row.finished_at),
        error=row.error,
        result=dict(row.result or {}),
        parameters=dict(row.parameters or {}),
        attempts=row.attempts,
    )


class JobStore:
    """Every workspace's background jobs in one store.

    Args:
        store: The open store.
    """

    def __init__(self, store: Store) -> None:
        self.store = store

    def create(self, job: NewJob, *, runner: str = "") -> tuple[JobRecord, bool]:
        """Queue a new job unless one with the same key is going.

        ``runner`` names the process that will run it (see :meth:`interrupt_abandoned`).

        The database allows one queued or running job per key, so two requests
        (or two processes) racing to start the same job get the same one.

        Returns:
            The new job and True, or the job already going for the key and False.
        """
        try:
            with self.store.session() as session:
                row = JobRow(
                    id=secrets.token_urlsafe(12),
                    workspace_id=job.workspace_id,
                    kind=job.kind,
                    key=job.key,
                    label=job.label,
                    owner_id=job.owner_id,
                    actor=job.actor,
                    state="queued",
                    stage="Waiting to start",
                    steps_total=job.steps_total,
                    parameters=dict(job.parameters),
                    runner=runner,
                    heartbeat_at=datetime.now(UTC),
                )
                session.add(row)
                session.flush()
                return _record(row), True
        except IntegrityError:
            going = self.active(job.workspace_id, job.key)
            if going is None:  # pragma: no cover - it ended between the two statements
                raise StoreError("Another job with the same key was starting; try again.") from None
            return going, False

    def reopen(self, job_id: str, *, runner: str = "") -> tuple[JobRecord, bool]:
        """Queue a failed or interrupted job again, keeping its id and parameters.

        Returns:
            The job queued again and True; or, when another job with the same key
            is going, that job and False; or the job unchanged and False when it
            may not be started again.

        Raises:
            StoreError: If there is no such job.
        """
        found = self.get(job_id)
        if found is None:
            raise StoreError(f"There is no job {job_id}.")
        if not found.restartable:
            return found, False
        going = self.active(found.workspace_id, found.key)
        if going is not None:
            return going, False
        try:
            with self.store.session() as session:
                session.execute(
                    update(JobRow)
                    .where(JobRow.id == job_id, JobRow.state.in_(RESTARTABLE_STATES))
                    .values(
                        state="queued",
                        stage="Waiting to start",
                        steps_done=0,
                        error="",
                        result={},
                        started_at=None,
                        finished_at=None,
                        attempts=JobRow.attempts + 1,
                        runner=runner,
                        heartbeat_at=datetime.now(UTC),
                    )
                )
        except IntegrityError:
            going = self.active(found.workspace_id, found.key)
            if going is not None:
                return going, False
            raise
        again = self.get(job_id)
        assert again is not None
        return again, again.state == "queued"

    def get(self, job_id: str) -> JobRecord | None:
        """The job with this id, or None."""
        with self.store.session() as session:
            row = session.get(JobRow, job_id)
            return None if row is None else _record(row)

    def active(self, workspace_id: int, key: str) -> JobRecord | None:
        """The job queued or running for ``key`` in the workspace, if there is one."""
        with self.store.session() as session:
            row = session.scalar(
                select(JobRow).where(
                    JobRow.workspace_id == workspace_id,
                    JobRow.key == key,
                    JobRow.state.in_(ACTIVE_STATES),
                )
            )
            return None if row is None else _record(row)

    def latest(self, workspace_id: int, key: str) -> JobRecord | None:
        """The most recently asked-for job for ``key`` in the workspace, finished or not."""
        with self.store.session() as session:
            row = session.scalar(
                select(JobRow)
                .where(JobRow.workspace_id == workspace_id, JobRow.key == key)
                .order_by(JobRow.created_at.desc())
                .limit(1)
            )
            return None if row is None else _record(row)

    def recent(self, workspace: str | None = None, *, limit: int = 200) -> list[JobRecord]:
        """Jobs, newest first: every workspace's, or only the one called ``workspace``."""
        query = select(JobRow).order_by(JobRow.created_at.desc()).limit(limit)
        if workspace is not None:
            query = query.join(m.Workspace, m.Workspace.id == JobRow.workspace_id).where(
                m.Workspace.name == workspace
            )
        with self.store.session() as session:
            return [_record(row) for row in session.scalars(query)]

    def claim(self, queue: str, runner: str) -> JobRecord | None:
        """Take the oldest job queued for ``queue`` and make ``runner`` its process.

        Several job workers may ask at once: the update only succeeds while the
        job is still queued for ``queue``, so exactly one of them gets it.

        Args:
            queue: The runner name jobs wait under until a worker takes them.
            runner: The worker taking one (``host:pid``).

        Returns:
            The job taken, or None when nothing is waiting.
        """
        waiting = (
            select(JobRow.id)
            .where(JobRow.state == "queued", JobRow.runner == queue)
            .order_by(JobRow.created_at)
            .limit(5)
        )
        with self.store.session() as session:
            candidates = list(session.scalars(waiting))
        for job_id in candidates:
            with self.store.session() as session:
                taken = session.execute(
                    update(JobRow)
                    .where(JobRow.id == job_id, JobRow.state == "queued", JobRow.runner == queue)
                    .values(runner=runner, heartbeat_at=datetime.now(UTC))
                )
            if getattr(taken, "rowcount", 0):
                return self.get(job_id)
        return None

    def mark_running(self, job_id: str, attempt: int) -> None:
        """Record that attempt ``attempt`` of the job has started running now."""
        with self.store.session() as session:
            session.execute(
                update(JobRow)
                .where(JobRow.id == job_id, JobRow.attempts == attempt, JobRow.state == "queued")
                .values(state="running", started_at=datetime.now(UTC))
            )

    def record_progress(
        self,
        job_id: str,
        attempt: int,
        *,
        stage: str | None = None,
        steps_done: int | None = None,
        steps_total: int | None = None,
    ) -> None:
        """Record how far attempt ``attempt`` of a job has got (ignored once it has ended)."""
        values: dict[str, Any] = {}
        if stage is not None:
            values["stage"] = stage
        if steps_done is not None:
            values["steps_done"] = steps_done
        if steps_total is not None:
            values["steps_total"] = steps_total
        if not values:
            return
        with self.store.session() as session:
            session.execute(
                update(JobRow)
                .where(
                    JobRow.id == job_id,
                    JobRow.attempts == attempt,
                    JobRow.state.in_(ACTIVE_STATES),
                )
                .values(**values)
            )

    def finish(
        self, job_id: str, attempt: int, result: Mapping[str, Any], *, stage: str = "Finished"
    ) -> None:
        """Record that attempt ``attempt`` of the job is done, with what it produced.

        An attempt marked interrupted that finished after all is recorded as done;
        a later attempt is never overwritten by an earlier one.
        """
        with self.store.session() as session:
            row = session.get(JobRow, job_id)
            if row is None or row.attempts != attempt:
                return
            row.state = "done"
            row.stage = stage
            if row.steps_total:
                row.steps_done = row.steps_total
            row.result = dict(result)
            row.error = ""
            row.finished_at = datetime.now(UTC)

    def fail(self, job_id: str, attempt: int, error: str) -> None:
        """Record that attempt ``attempt`` of the job failed, and why in plain English."""
        with self.store.session() as session:
            session.execute(
                update(JobRow)
                .where(JobRow.id == job_id, JobRow.attempts == attempt)
                .values(state="failed", error=error, finished_at=datetime.now(UTC))
            )

    def beat(self, runner: str) -> None:
        """Say that ``runner`` is alive: touch the heartbeat of every job it is running."""
        with self.store.session() as session:
            session.execute(
                update(JobRow)
                .where(JobRow.runner == runner, JobRow.state.in_(ACTIVE_STATES))
                .values(heartbeat_at=datetime.now(UTC))
            )

    def interrupt_abandoned(
        self, message: str, *, abandoned: Callable[[str, datetime | None], bool]
    ) -> int:
        """Mark queued or running jobs whose process is gone as interrupted.

        Args:
            message: Why, in plain English (shown on the job's page).
            abandoned: Given a job's runner and last heartbeat, whether its process is gone.

        Returns:
            How many jobs were marked.
        """
        with self.store.session() as session:
            rows = session.execute(
                select(JobRow.id, JobRow.runner, JobRow.heartbeat_at).where(
                    JobRow.state.in_(ACTIVE_STATES)
                )
            ).all()
            gone = [job_id for job_id, runner, beat in rows if abandoned(runner, _aware(beat))]
            if not gone:
                return 0
            result = session.execute(
                update(JobRow)
                .where(JobRow.id.in_(gone), JobRow.state.in_(ACTIVE_STATES))
                .values(state="interrupted", error=message, finished_at=datetime.now(UTC))
            )
            return int(getattr(result, "rowcount", 0) or 0)
