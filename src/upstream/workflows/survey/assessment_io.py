"""Where self-assessment responses come from: a file, the demo, or the store."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from upstream.store import Store
from upstream.store.assessment_repository import AssessmentRepository, ResponseRecord
from upstream.survey.assessment import RESPONSE_COLUMNS, Questionnaire, responses_from_table
from upstream.survey.demo_assessment import demo_assessment
from upstream.survey.errors import SurveyConfigError
from upstream.survey.tables import read_table


def response_records(responses: pd.DataFrame) -> list[ResponseRecord]:
    """The rows of a responses table as records to store."""
    return [
        ResponseRecord(
            str(r["organisation"]),
            str(r["respondent"]),
            str(r["role_group"]),
            str(r["element"]),
            int(r["level"]),
        )
        for r in responses.to_dict("records")
    ]


def save_responses(
    store: Store, responses: pd.DataFrame, *, workspace: str, name: str, framework: str = "nom"
) -> int:
    """Store (or replace) a self-assessment's responses; return how many were stored."""
    records = response_records(responses)
    return AssessmentRepository(store, workspace).save_assessment(
        name, records, framework=framework
    )


def stored_responses(store: Store, *, workspace: str, name: str) -> pd.DataFrame:
    """A stored self-assessment's responses in long form."""
    records = AssessmentRepository(store, workspace).assessment_responses(name)
    return pd.DataFrame(
        [(r.organisation, r.respondent, r.role_group, r.element, r.level) for r in records],
        columns=list(RESPONSE_COLUMNS),
    )


def load_responses(
    questionnaire: Questionnaire,
    *,
    path: Path | None = None,
    demo: bool = False,
    store: Store | None = None,
    workspace: str = "default",
    name: str | None = None,
) -> pd.DataFrame:
    """Responses from a file, the demo or the store (a file or the demo is stored under ``name``).

    Raises:
        SurveyConfigError: If no source is given, or both a file and the demo.
    """
    if path is not None and demo:
        raise SurveyConfigError("give either a responses file or --demo, not both")
    if demo:
        responses = demo_assessment(questionnaire=questionnaire)
    elif path is not None:
        responses = responses_from_table(read_table(path), questionnaire)
    elif store is not None and name:
        return stored_responses(store, workspace=workspace, name=name)
    else:
        raise SurveyConfigError(
            "give a responses file, --demo, or --db with --name of a stored self-assessment"
        )
    if store is not None and name:
        save_responses(
            store, responses, workspace=workspace, name=name, framework=questionnaire.framework
        )
    return responses
