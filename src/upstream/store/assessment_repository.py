"""Workspace-scoped storage of self-assessments: people's maturity ratings of framework elements.

:class:`AssessmentRepository` is the only way analysis code reads or writes the
self-assessment tables. Every query filters by the workspace's id, and every
write replaces responses in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, delete, func, insert, select
from sqlalchemy.orm import Session

from upstream.store import models as m
from upstream.store import survey_models as sm
from upstream.store.engine import StoreError
from upstream.store.repository import Store

_CHUNK = 5000


@dataclass(frozen=True, slots=True)
class ResponseRecord:
    """One respondent's maturity rating (1-5) of one framework element."""

    organisation: str
    respondent: str
    role_group: str
    element: str
    level: int


class AssessmentRepository:
    """The self-assessments of one workspace.

    Args:
        store: An open store.
        workspace: Workspace name. Reads need it to exist; writes create it.
    """

    def __init__(self, store: Store, workspace: str) -> None:
        self.store = store
        self.workspace = workspace

    def save_assessment(
        self,
        name: str,
        responses: Sequence[ResponseRecord],
        *,
        framework: str = "nom",
        description: str = "",
        actor: str = "upstream",
    ) -> int:
        """Store (or replace) a self-assessment's responses; return how many were stored."""
        return self._replace(
            name, responses, [], framework, description, actor, "import", details={}
        )

    def replace_organisation_responses(
        self,
        name: str,
        organisations: Iterable[str],
        responses: Sequence[ResponseRecord],
        *,
        respondent: str | None = None,
        framework: str = "nom",
        actor: str = "upstream",
    ) -> int:
        """Replace some organisations' responses in a self-assessment, keeping everyone else's.

        Args:
            name: The self-assessment (created when new).
            organisations: Whose stored responses are replaced.
            responses: The new responses (only of those organisations).
            respondent: Replace only this respondent's rows (e.g. an agreed rating).
            framework: Framework of a new self-assessment.
            actor: Who made the change, for the audit log.

        Returns:
            How many responses were stored.

        Raises:
            StoreError: If a response belongs to an organisation not being replaced.
        """
        replaced = sorted(set(organisations))
        strays = sorted({r.organisation for r in responses} - set(replaced))
        if strays:
            raise StoreError(f"Responses of {', '.join(strays)} were not meant to be replaced.")
        only: list[ColumnElement[bool]] = [sm.AssessmentResponse.organisation.in_(replaced)]
        if respondent is not None:
            only.append(sm.AssessmentResponse.respondent == respondent)
        return self._replace(
            name, responses, only, framework, "", actor, "assess", {"organisations": replaced}
        )

    def _replace(
        self,
        name: str,
        responses: Sequence[ResponseRecord],
        only: list[ColumnElement[bool]],
        framework: str,
        description: str,
        actor: str,
        action: str,
        details: dict[str, Any],
    ) -> int:
        """Delete the responses matching ``only`` (all when empty), then add ``responses``."""
        with self.store.writer(self.workspace) as writer:
            session, workspace_id = writer.session, writer.workspace.id
            row = session.scalar(
                select(sm.Assessment).where(
                    sm.Assessment.workspace_id == workspace_id, sm.Assessment.name == name
                )
            )
            if row is None:
                row = sm.Assessment(
                    workspace_id=workspace_id,
                    name=name,
                    framework=framework,
                    description=description,
                )
                session.add(row)
                session.flush()
            session.execute(
                delete(sm.AssessmentResponse).where(
                    sm.AssessmentResponse.workspace_id == workspace_id,
                    sm.AssessmentResponse.assessment_id == row.id,
                    *only,
                )
            )
            values = [
                {
                    "workspace_id": workspace_id,
                    "assessment_id": row.id,
                    "organisation": r.organisation,
                    "respondent": r.respondent,
                    "role_group": r.role_group,
                    "element": r.element,
                    "level": int(r.level),
                }
                for r in responses
            ]
            for start in range(0, len(values), _CHUNK):
                session.execute(insert(sm.AssessmentResponse), values[start : start + _CHUNK])
            writer.audit(
                actor,
                action,
                "assessment",
                row.id,
                assessment=name,
                **details,
                responses=len(values),
            )
            return len(values)

    def assessments(self) -> list[tuple[str, str, int]]:
        """Every self-assessment: ``(name, framework, responses)``."""
        with self.store.session() as session:
            workspace_id = self._workspace_id(session)
            query = (
                select(
                    sm.Assessment.name,
                    sm.Assessment.framework,
                    func.count(sm.AssessmentResponse.id),
                )
                .join(
                    sm.AssessmentResponse,
                    sm.AssessmentResponse.assessment_id == sm.Assessment.id,
                    isouter=True,
                )
                .where(sm.Assessment.workspace_id == workspace_id)
                .group_by(sm.Assessment.name, sm.Assessment.framework)
                .order_by(sm.Assessment.name)
            )
            return [(n, f, int(c)) for n, f, c in session.execute(query)]

    def assessment_responses(self, name: str) -> list[ResponseRecord]:
        """Every stored response of the self-assessment ``name``."""
        with self.store.session() as session:
            workspace_id = self._workspace_id(session)
            row = session.scalar(
                select(sm.Assessment).where(
                    sm.Assessment.workspace_id == workspace_id, sm.Assessment.name == name
                )
            )
            if row is None:
                raise StoreError(
                    f"No self-assessment called {name!r} in workspace {self.workspace!r}."
                )
            query = (
                select(sm.AssessmentResponse)
                .where(
                    sm.AssessmentResponse.workspace_id == workspace_id,
                    sm.AssessmentResponse.assessment_id == row.id,
                )
                .order_by(sm.AssessmentResponse.id)
            )
            return [
                ResponseRecord(r.organisation, r.respondent, r.role_group, r.element, r.level)
                for r in session.scalars(query)
            ]

    def _workspace_id(self, session: Session) -> int:
        found = session.scalar(select(m.Workspace.id).where(m.Workspace.name == self.workspace))
        if found is None:
            raise StoreError(f"No workspace called {self.workspace!r}.")
        return int(found)


__all__ = ["AssessmentRepository", "ResponseRecord"]
