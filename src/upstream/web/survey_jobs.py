"""Survey files uploaded through the web are imported as background jobs.

Staff-survey tables go through :func:`upstream.workflows.survey.importing.import_survey` (the same
import as ``upstream survey import``); self-assessment responses through
:func:`~upstream.survey.assessment.responses_from_table`. People who may only
act for their own organisation can upload only their own organisation's
responses, and those replace only their organisation's stored responses.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Final

from upstream.jobs import JobContext, JobFailed
from upstream.store import StoreError
from upstream.store.assessment_repository import AssessmentRepository
from upstream.store.job_repository import JobRecord
from upstream.survey.assessment import load_questionnaire, responses_from_table
from upstream.survey.errors import SurveyError
from upstream.survey.tables import read_table
from upstream.web.background import job_actor, owner_of
from upstream.web.permissions import Actor
from upstream.web.settings import Services
from upstream.web.uploads import Upload
from upstream.workflows.survey.assessment_io import response_records
from upstream.workflows.survey.importing import import_survey

PUBLISHED: Final = "published"
WIDE: Final = "wide"
ASSESSMENT: Final = "assessment"
RESPONDENTS: Final = "respondents"
KINDS: Final = {
    PUBLISHED: "Staff-survey results as published (People Survey layout)",
    WIDE: "Staff-survey table: one row per organisation and year, one column per measure",
    ASSESSMENT: "Self-assessment responses (New Operating Models)",
    RESPONDENTS: "Respondent-level staff survey (one row per person), to see breakdowns",
}


@dataclass(frozen=True)
class SurveyImport:
    """What to import from an uploaded file.

    Attributes:
        kind: One of :data:`PUBLISHED`, :data:`WIDE` or :data:`ASSESSMENT`.
        name: Survey or self-assessment name to store under.
        org_column: Organisation column of a wide table.
        year_column: Year column of a wide table.
        year: Year of every row when the file does not say.
        own_organisation: When set, only this organisation's responses may be imported.
        scales: Scale per column of a wide table (lower-case column name → scale),
            overriding detection, as ``upstream survey import --scale`` does.
    """

    kind: str
    name: str
    org_column: str = ""
    year_column: str = ""
    year: int | None = None
    own_organisation: str | None = None
    scales: dict[str, str] = field(default_factory=dict)


JOB_KIND: Final = "survey"


def _import_panel(
    svc: Services, ctx: JobContext, actor: Actor, upload: Upload, plan: SurveyImport
) -> dict[str, Any]:
    progress = ctx.progress
    progress(0, 1)
    try:
        outcome = import_survey(
            svc.store,
            [upload.path],
            workspace=actor.workspace.name,
            survey=plan.name,
            year=plan.year,
            org_column=plan.org_column or None,
            year_column=plan.year_column or None,
            scales=plan.scales or None,
            actor=actor.user.email,
            on_file=lambda done, _path: progress(done, 1),
        )
    except (SurveyError, StoreError, ValueError) as exc:
        raise JobFailed(f"The survey could not be imported: {exc}") from exc
    finally:
        upload.path.unlink(missing_ok=True)
    panel = outcome.panel
    return {
        "kind": plan.kind,
        "name": plan.name,
        "organisations": len(panel.organisations),
        "years": [int(y) for y in panel.years],
        "scores_new": outcome.counts.scores_new,
        "scores_updated": outcome.counts.scores_updated,
        "notes": [str(n) for n in panel.notes][:20],
    }


def _import_assessment(
    svc: Services, ctx: JobContext, actor: Actor, upload: Upload, plan: SurveyImport
) -> dict[str, Any]:
    progress = ctx.progress
    progress(0, 1)
    try:
        questionnaire = load_questionnaire()
        table = responses_from_table(read_table(upload.path), questionnaire)
        found = sorted(set(table["organisation"]))
        own = plan.own_organisation
        if own is not None and found != [own]:
            others = ", ".join(o for o in found if o != own) or "none"
            raise JobFailed(
                f"You can only import responses of {own}; this file also has: {others}. "
                "Nothing was saved."
            )
        records = response_records(table)
        stored = AssessmentRepository(
            svc.store, actor.workspace.name
        ).replace_organisation_responses(
            plan.name,
            found,
            records,
            framework=questionnaire.framework or "nom",
            actor=actor.user.email,
        )
    except (SurveyError, StoreError, ValueError) as exc:
        raise JobFailed(f"The self-assessment could not be imported: {exc}") from exc
    finally:
        upload.path.unlink(missing_ok=True)
    progress(1, 1)
    return {
        "kind": plan.kind,
        "name": plan.name,
        "organisations": len(found),
        "responses": stored,
        "respondents": int(table["respondent"].nunique()),
    }


def _run(svc: Services, ctx: JobContext) -> dict[str, Any]:
    actor = job_actor(svc, ctx.job)
    plan = SurveyImport(**ctx.parameters["plan"])
    upload = svc.uploads.get(
        str(ctx.parameters["upload_id"]), user_id=actor.user.id, workspace_id=actor.workspace.id
    )
    if upload is None or not upload.path.exists():
        raise JobFailed("The uploaded file is no longer here. Nothing was saved; upload it again.")
    build = _import_assessment if plan.kind == ASSESSMENT else _import_panel
    return build(svc, ctx, actor, upload, plan)


def register(svc: Services) -> None:
    """Register the survey import job with the app's job runner."""
    svc.jobs.register(JOB_KIND, lambda ctx: _run(svc, ctx))


def start_survey_import(
    svc: Services, actor: Actor, upload: Upload, plan: SurveyImport
) -> JobRecord:
    """Queue the import of an uploaded survey file; its page shows progress and the outcome."""
    what = "self-assessment" if plan.kind == ASSESSMENT else "staff survey"
    return svc.jobs.start(
        JOB_KIND,
        f"survey:{upload.id}",
        None,
        owner_of(actor),
        workspace_id=actor.workspace.id,
        label=f"Importing the {what} {upload.filename}",
        parameters={"upload_id": upload.id, "plan": asdict(plan)},
    )


__all__ = [
    "ASSESSMENT",
    "JOB_KIND",
    "KINDS",
    "PUBLISHED",
    "RESPONDENTS",
    "WIDE",
    "SurveyImport",
    "register",
    "start_survey_import",
]
