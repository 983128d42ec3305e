"""What every kind of background job in the web app shares: its owner, its page, its kinds.

Jobs run on :class:`upstream.jobs.Jobs` and keep their state in the database.
A job function rebuilds the person who started it from the job's row
(:func:`job_actor`), so the same function starts a job and restarts one after
the server was restarted.
"""

from __future__ import annotations

from dataclasses import dataclass

from upstream.jobs import JobFailed, Owner
from upstream.store import StoreError
from upstream.store.job_repository import JobRecord
from upstream.web.permissions import Actor, Can
from upstream.web.settings import Services

__all__ = ["KINDS", "JobKind", "job_actor", "job_path", "owner_of", "register_job_kinds"]


@dataclass(frozen=True)
class JobKind:
    """How the job page presents one kind of job.

    Attributes:
        back: Path (after ``/w/{id}``) of the page the job belongs to.
        back_text: The link back to it, in words.
        failed: Heading shown when a job of this kind failed.
        restart_needs: What a person's role must allow to restart one.
    """

    back: str
    back_text: str
    failed: str
    restart_needs: Can


KINDS: dict[str, JobKind] = {
    "coding": JobKind("/coding", "Back to coding", "Coding did not finish", Can.CODE),
    "themes": JobKind("/themes", "Back to themes", "The themes were not saved", Can.CODE),
    "collection": JobKind(
        "/collections", "Back to story collections", "The stories were not coded", Can.CODE
    ),
    "survey": JobKind("/surveys", "Surveys", "The import did not work", Can.IMPORT),
    "import": JobKind("/import", "Import another file", "The import did not work", Can.IMPORT),
    "search": JobKind("/evidence", "Back to the evidence", "Search was not prepared", Can.BROWSE),
    "roundtable": JobKind(
        "/roundtables", "Back to roundtables", "The live themes were not worked out", Can.CONVENE
    ),
}


def owner_of(actor: Actor) -> Owner:
    """The person acting, as the owner of a job they start."""
    return Owner(user_id=actor.user.id, actor=actor.user.email)


def job_path(job: JobRecord) -> str:
    """The address of a job's page."""
    return f"/w/{job.workspace_id}/jobs/{job.id}"


def job_actor(svc: Services, job: JobRecord) -> Actor:
    """The person who started ``job``, acting in its workspace as they may now.

    Raises:
        JobFailed: If they are no longer a member of the workspace.
    """
    gone = JobFailed("The person who started this job is no longer a member of the workspace.")
    user = svc.accounts.user_by_id(job.owner_id) if job.owner_id is not None else None
    member = svc.accounts.member(job.workspace_id, user.id) if user is not None else None
    if user is None or member is None or not user.is_active:
        raise gone
    try:
        workspace = svc.store.workspace(member.workspace)
    except StoreError as exc:
        raise gone from exc
    return Actor(user=user, member=member, workspace=workspace)


def register_job_kinds(svc: Services) -> None:
    """Tell the app's job runner how to run (and restart) every kind of job."""
    from upstream.web import (
        coding_jobs,
        collection_jobs,
        roundtable_jobs,
        search_jobs,
        survey_jobs,
        theme_jobs,
    )
    from upstream.web.routes import imports

    kinds = (coding_jobs, theme_jobs, collection_jobs, search_jobs, roundtable_jobs, survey_jobs)
    for kind in (*kinds, imports):
        kind.register(svc)
