"""Theme runs and theme edits as background jobs, whose state is kept in the database.

A discovery run themes the evidence a person chose (all they may see, one
source or one organisation) through :func:`upstream.workflows.themes.find_themes`;
merging and splitting go through :mod:`upstream.workflows.theme_edits`. This
module only picks the evidence the person may see and follows the job.

All three are one kind of job, ``themes``, one at a time per workspace; the
job's parameters say which it is and everything it needs to run again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from starlette.requests import Request

from upstream.embed.base import MissingExtraError
from upstream.endpoint import ChatEndpoint
from upstream.jobs import JobContext, JobFailed
from upstream.records.chat import EndpointError
from upstream.records.stored import RunRecord
from upstream.settings import read_setting
from upstream.store import StoreError
from upstream.store.job_repository import JobRecord
from upstream.store.repository import Workspace
from upstream.store.theme_repository import StoredTheme, ThemeStore
from upstream.themes.labels import Labeller
from upstream.themes.llm import LLMLabeller
from upstream.web.background import job_actor, owner_of
from upstream.web.permissions import Actor
from upstream.web.settings import Services, services
from upstream.workflows.theme_edits import (
    check_merge,
    check_split,
    rerun,
    split_theme,
    store_merge,
)
from upstream.workflows.theme_evidence import ALL_EVIDENCE, EvidenceChoice
from upstream.workflows.themes import ThemeRun, ThemeSettings, below_engagement_count, find_themes

__all__ = [
    "DISCOVERY_STEPS",
    "KIND",
    "EvidenceChoice",
    "endpoint_labeller",
    "register",
    "running",
    "start_discovery",
    "start_merge",
    "start_split",
]

KIND = "themes"
KEY = "themes"  # one theme job per workspace at a time

DISCOVERY_STEPS = 5  # reading, embedding, finding, labelling, saving
SPLIT_STEPS = 8  # reading, a first fit to place the split (3), then the re-run (4)


def running(request: Request, actor: Actor) -> JobRecord | None:
    """The workspace's theme job, if one is queued or running."""
    return services(request).jobs.active(actor.workspace.id, KEY)


def _outcome(workspace: Workspace, run_id: int) -> dict[str, Any]:
    run = ThemeStore(workspace).run(run_id)
    summary = run.summary if run is not None else {}
    aside = summary.get("set_aside") or []
    # Replies below a likes threshold are set aside too, but they are not spam.
    quiet = below_engagement_count(aside)
    return {
        "run_id": run_id,
        "items": summary.get("items", 0),
        "themes": summary.get("themes", 0),
        "unassigned": summary.get("unassigned", 0),
        "set_aside": len(aside) - quiet,
        "below_engagement": quiet,
        "min_engagement": summary.get("min_engagement"),
        "edits_applied": len(summary.get("edits_applied") or []),
        "edits_unmatched": list(summary.get("edits_unmatched") or []),
    }


def _submit(
    request: Request, actor: Actor, parameters: dict[str, Any], label: str, steps: int
) -> JobRecord:
    return services(request).jobs.start(
        KIND,
        KEY,
        None,
        owner_of(actor),
        workspace_id=actor.workspace.id,
        label=label,
        parameters=parameters,
        steps=steps,
    )


def _workflow(call: Callable[[], ThemeRun], workspace: Workspace, failure: str) -> dict[str, Any]:
    """Run a themes workflow, turning what it refuses into a plain message on the job page."""
    try:
        found = call()
    except (MissingExtraError, StoreError, ValueError) as exc:
        raise JobFailed(f"{failure}: {exc}") from exc
    return _outcome(workspace, found.run_id)


def start_discovery(
    request: Request,
    actor: Actor,
    choice: EvidenceChoice,
    *,
    n_themes: int | None,
    seed: int,
    embedder: str,
    min_engagement: float | None = None,
) -> JobRecord:
    """Start finding themes in the chosen evidence (or return the theme job already running)."""
    parameters = {
        "min_engagement": min_engagement,
        "action": "discover",
        "source_ids": list(choice.source_ids),
        "organisation": choice.organisation,
        "description": choice.description,
        "n_themes": n_themes,
        "seed": seed,
        "embedder": embedder,
    }
    return _submit(request, actor, parameters, "Finding themes", DISCOVERY_STEPS)


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def endpoint_labeller(seed: int = 0) -> Labeller | None:
    """Theme names from the model endpoint in the settings (``UPSTREAM_ENDPOINT``), if any.

    None when no endpoint is configured: then nothing is sent anywhere. The API
    key stays in the environment; the job's stored parameters never hold it.
    """
    url = read_setting("endpoint")
    if not url:
        return None
    try:
        endpoint = ChatEndpoint(
            str(url),
            str(read_setting("endpoint_model")),
            timeout=float(read_setting("endpoint_timeout")),
        )
    except EndpointError as exc:
        raise JobFailed(f"Themes could not be named: {exc}") from exc
    return LLMLabeller(endpoint, seed=seed)


def _source_ids(params: Mapping[str, Any]) -> tuple[int, ...]:
    """The sources a run was asked to theme (a run started before names were grouped had one)."""
    if params.get("source_ids"):
        return tuple(int(i) for i in params["source_ids"])
    return (int(params["source_id"]),) if params.get("source_id") is not None else ()


def _discover(ctx: JobContext, actor: Actor) -> Mapping[str, Any]:
    params = ctx.parameters
    choice = EvidenceChoice(
        source_ids=_source_ids(params),
        organisation=str(params.get("organisation") or ""),
        description=str(params.get("description") or ALL_EVIDENCE),
    )
    n_themes = params.get("n_themes")
    settings = ThemeSettings(
        embedder=str(params.get("embedder") or "default"),
        n_themes=int(n_themes) if isinstance(n_themes, int) else None,
        seed=int(params.get("seed") or 0),
        min_engagement=_number(params.get("min_engagement")),
        labeller=endpoint_labeller(int(params.get("seed") or 0)),
    )
    # The scope is that of the person who started the job, as they may see now.
    items = choice.items(actor.evidence)
    return _workflow(
        lambda: find_themes(
            actor.workspace,
            items,
            settings,
            actor=actor.user.email,
            evidence=choice.description,
            progress=ctx.step,
        ),
        actor.workspace,
        "Themes could not be found",
    )


def _no_job_running(request: Request, actor: Actor) -> None:
    """Refuse an edit while a theme run is going: it would be re-run on stale themes."""
    if running(request, actor) is not None:
        raise ValueError(
            "A theme run is in progress. Try again when it has finished: nothing was changed."
        )


def _stored_run(workspace: Workspace, run_id: int) -> RunRecord:
    found = ThemeStore(workspace).run(run_id)
    if found is None:
        raise JobFailed("The theme run this job works on is no longer there.")
    return found


def start_merge(
    request: Request,
    actor: Actor,
    run: RunRecord,
    themes: Sequence[StoredTheme],
    label: str,
) -> JobRecord:
    """Store a merge of ``themes`` and re-run ``run`` so the merged theme is described.

    Raises:
        ValueError: If fewer than two themes, or a sub-theme, are given, or a
            theme run is in progress.
    """
    check_merge(themes)
    _no_job_running(request, actor)
    store_merge(actor.workspace, run, themes, label, actor=actor.user.email)
    names = " and ".join(f"“{t.label}”" for t in themes)
    parameters = {
        "action": "rerun",
        "run_id": run.id,
        # What was done, for the finished job's page: the merge is one of the edits applied.
        "edit": "merge",
        "codes": [t.code for t in themes],
    }
    return _submit(request, actor, parameters, f"Merging {names}", DISCOVERY_STEPS)


def _rerun_job(ctx: JobContext, actor: Actor) -> Mapping[str, Any]:
    workspace = actor.workspace
    run = _stored_run(workspace, int(ctx.parameters["run_id"]))
    ctx.step("Reading the evidence")
    return _workflow(
        lambda: rerun(
            workspace,
            run,
            actor=actor.user.email,
            progress=ctx.step,
            labeller=endpoint_labeller(int(run.seed or 0)),
        ),
        workspace,
        "Themes could not be found",
    )


def start_split(
    request: Request,
    actor: Actor,
    run: RunRecord,
    theme: StoredTheme,
    parts: int,
    labels: Sequence[str],
) -> JobRecord:
    """Split ``theme`` into ``parts`` by its own structure, store the edit and re-run ``run``.

    Raises:
        ValueError: If the theme is a sub-theme or too small to split so, or a
            theme run is in progress.
    """
    check_split(theme, parts)
    _no_job_running(request, actor)
    parameters = {
        "action": "split",
        "run_id": run.id,
        "theme_id": theme.id,
        # The split theme's number as people read it: the finished job links to its parts.
        "code": theme.code,
        "parts": parts,
        "labels": list(labels),
    }
    return _submit(request, actor, parameters, f"Splitting “{theme.label}”", SPLIT_STEPS)


def _split_job(ctx: JobContext, actor: Actor) -> Mapping[str, Any]:
    workspace = actor.workspace
    params = ctx.parameters
    run = _stored_run(workspace, int(params["run_id"]))
    theme = ThemeStore(workspace).theme(int(params["theme_id"]))
    if theme is None:
        raise JobFailed("The theme to split is no longer there.")
    labels = [str(label) for label in params.get("labels") or []]
    ctx.step("Reading the evidence")
    return _workflow(
        lambda: split_theme(
            workspace,
            run,
            theme,
            int(params["parts"]),
            labels,
            actor=actor.user.email,
            progress=ctx.step,
            labeller=endpoint_labeller(int(run.seed or 0)),
        ),
        workspace,
        "The theme could not be split",
    )


def _run(svc: Services, ctx: JobContext) -> Mapping[str, Any]:
    actor = job_actor(svc, ctx.job)
    action = ctx.parameters.get("action")
    if action == "split":
        return _split_job(ctx, actor)
    if action == "rerun":
        return _rerun_job(ctx, actor)
    return _discover(ctx, actor)


def register(svc: Services) -> None:
    """Register the theme job with the app's job runner."""
    svc.jobs.register(KIND, lambda ctx: _run(svc, ctx))
