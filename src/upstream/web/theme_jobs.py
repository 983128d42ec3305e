"""Theme runs and theme edits as background jobs, with progress that survives a reload.

A discovery run themes the evidence a person chose (all they may see, one
source or one organisation) through :func:`upstream.workflows.themes.find_themes`;
merging and splitting go through :mod:`upstream.workflows.theme_edits`. This
module only picks the evidence the person may see and follows the job.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request

from upstream.embed.base import MissingExtraError
from upstream.store import StoreError
from upstream.store.account_models import EvidenceQuery
from upstream.store.records import ItemRecord, RunRecord
from upstream.store.repository import Workspace
from upstream.store.theme_repository import StoredTheme, ThemeStore
from upstream.web.jobs import Job, JobFailed, JobFunction, Progress
from upstream.web.permissions import Actor
from upstream.web.settings import services
from upstream.web.staged_jobs import StagedJobs, Steps, staged_jobs
from upstream.workflows.theme_edits import check_merge, check_split, merge_themes, split_theme
from upstream.workflows.themes import ThemeSettings, find_themes

__all__ = [
    "DISCOVERY_STEPS",
    "EvidenceChoice",
    "registry",
    "start_discovery",
    "start_merge",
    "start_split",
]

DISCOVERY_STEPS = 5  # reading, embedding, finding, labelling, saving
SPLIT_STEPS = 8  # reading, a first fit to place the split (3), then the re-run (4)


def registry(request: Request) -> StagedJobs:
    """The app's theme jobs: the latest per workspace, and each one's step."""
    return staged_jobs(request, "theme_jobs")


@dataclass(frozen=True)
class EvidenceChoice:
    """Which evidence to theme: everything the person may see, one source or one organisation.

    Attributes:
        source_id: Only this source.
        organisation: Only this organisation's items.
        description: The choice in words (kept with the run).
    """

    source_id: int | None = None
    organisation: str = ""
    description: str = "All the evidence the person running it may see"

    def items(self, actor: Actor) -> list[ItemRecord]:
        """The chosen items that ``actor`` may see, oldest first."""
        query = EvidenceQuery(source_id=self.source_id, organisation=self.organisation)
        return list(actor.evidence.iter_items(query))


def _failed(exc: Exception) -> JobFailed:
    return JobFailed(f"Themes could not be found: {exc}")


def _outcome(workspace: Workspace, run_id: int) -> dict[str, Any]:
    run = ThemeStore(workspace).run(run_id)
    summary = run.summary if run is not None else {}
    return {
        "run_id": run_id,
        "items": summary.get("items", 0),
        "themes": summary.get("themes", 0),
        "unassigned": summary.get("unassigned", 0),
        "set_aside": len(summary.get("set_aside") or []),
        "edits_applied": len(summary.get("edits_applied") or []),
        "edits_unmatched": list(summary.get("edits_unmatched") or []),
    }


def _submit(
    request: Request, actor: Actor, function: JobFunction, stage: dict[str, Any], label: str
) -> Job:
    return registry(request).start(
        services(request),
        actor.workspace.id,
        function,
        stage,
        user_id=actor.user.id,
        workspace_id=actor.workspace.id,
        label=label,
    )


def start_discovery(
    request: Request,
    actor: Actor,
    choice: EvidenceChoice,
    *,
    n_themes: int | None,
    seed: int,
    embedder: str,
) -> Job:
    """Start finding themes in the chosen evidence (or return the theme job already running)."""
    workspace, email = actor.workspace, actor.user.email
    items = choice.items(actor)  # read now: the scope belongs to this request's person
    settings = ThemeSettings(embedder=embedder, n_themes=n_themes, seed=seed)
    stage: dict[str, Any] = {"text": "Waiting to start", "steps": DISCOVERY_STEPS}

    def run(progress: Progress) -> dict[str, Any]:
        steps = Steps(progress, stage, int(stage["steps"]))
        try:
            found = find_themes(
                workspace,
                items,
                settings,
                actor=email,
                evidence=choice.description,
                progress=steps,
            )
        except (MissingExtraError, StoreError, ValueError) as exc:
            raise _failed(exc) from exc
        steps.finish()
        return _outcome(workspace, found.run_id)

    return _submit(request, actor, run, stage, "Finding themes")


def _no_job_running(request: Request, actor: Actor) -> None:
    """Refuse an edit while a theme run is going: it would be re-run on stale themes."""
    if registry(request).running(services(request), actor.workspace.id) is not None:
        raise ValueError(
            "A theme run is in progress. Try again when it has finished: nothing was changed."
        )


def start_merge(
    request: Request,
    actor: Actor,
    run: RunRecord,
    themes: Sequence[StoredTheme],
    label: str,
) -> Job:
    """Store a merge of ``themes`` and re-run ``run`` so the merged theme is described.

    Raises:
        ValueError: If fewer than two themes, or a sub-theme, are given, or a
            theme run is in progress.
    """
    check_merge(themes)
    _no_job_running(request, actor)
    workspace, email = actor.workspace, actor.user.email
    stage: dict[str, Any] = {"text": "Waiting to start", "steps": DISCOVERY_STEPS}

    def job(progress: Progress) -> dict[str, Any]:
        steps = Steps(progress, stage, int(stage["steps"]))
        steps("Reading the evidence")
        try:
            merged = merge_themes(workspace, run, themes, label, actor=email, progress=steps)
        except (MissingExtraError, StoreError, ValueError) as exc:
            raise _failed(exc) from exc
        steps.finish()
        return _outcome(workspace, merged.run_id)

    names = " and ".join(f"“{t.label}”" for t in themes)
    return _submit(request, actor, job, stage, f"Merging {names}")


def start_split(
    request: Request,
    actor: Actor,
    run: RunRecord,
    theme: StoredTheme,
    parts: int,
    labels: Sequence[str],
) -> Job:
    """Split ``theme`` into ``parts`` by its own structure, store the edit and re-run ``run``.

    Raises:
        ValueError: If the theme is a sub-theme or too small to split so, or a
            theme run is in progress.
    """
    check_split(theme, parts)
    _no_job_running(request, actor)
    workspace, email = actor.workspace, actor.user.email
    stage: dict[str, Any] = {"text": "Waiting to start", "steps": SPLIT_STEPS}

    def job(progress: Progress) -> dict[str, Any]:
        steps = Steps(progress, stage, int(stage["steps"]))
        steps("Reading the evidence")
        try:
            done = split_theme(workspace, run, theme, parts, labels, actor=email, progress=steps)
        except (MissingExtraError, StoreError, ValueError) as exc:
            raise JobFailed(f"The theme could not be split: {exc}") from exc
        steps.finish()
        return _outcome(workspace, done.run_id)

    return _submit(request, actor, job, stage, f"Splitting “{theme.label}”")
