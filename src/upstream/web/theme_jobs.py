"""Theme runs and theme edits as background jobs, with progress that survives a reload.

A discovery run themes the evidence a person chose (all they may see, one
source or one organisation), setting spam, abuse and off-topic replies aside
first. Merging and splitting change the assignment of items, so they store
the edit and re-run the latest run on the same items: the re-run re-applies
every stored edit, which is also what happens when new evidence arrives.
Renaming only changes a label and happens at once (see
:meth:`~upstream.store.theme_repository.ThemeStore.rename`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.requests import Request

from upstream.store import StoreError
from upstream.store.account_models import EvidenceQuery
from upstream.store.records import ItemRecord, RunRecord
from upstream.store.repository import Workspace
from upstream.store.theme_repository import StoredTheme, ThemeStore, run_item_ids
from upstream.themes.edits import ThemeEdit
from upstream.web.coding_jobs import embedder_for
from upstream.web.jobs import Job, JobFailed, JobFunction, Progress
from upstream.web.permissions import Actor
from upstream.web.settings import services
from upstream.web.staged_jobs import StagedJobs, Steps, staged_jobs

if TYPE_CHECKING:
    from upstream.themes.discover import ThemeDiscovery

__all__ = [
    "DISCOVERY_STEPS",
    "EvidenceChoice",
    "registry",
    "set_aside",
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


def set_aside(items: Sequence[ItemRecord]) -> tuple[list[ItemRecord], list[dict[str, Any]]]:
    """Split items into those to theme and those set aside as spam, abuse or off-topic.

    Returns:
        The items to theme, and one ``{"item_id", "reasons"}`` per item set aside.
    """
    from upstream.signals.flags import flag_items

    flags = flag_items([item.text for item in items])
    kept = [item for item, flag in zip(items, flags, strict=True) if not flag.excluded]
    aside = [
        {"item_id": item.id, "reasons": list(flag.reasons)}
        for item, flag in zip(items, flags, strict=True)
        if flag.excluded
    ]
    return kept, aside


def _discovery(embedder: str, n_themes: int | None, seed: int) -> ThemeDiscovery:
    from upstream.themes import ThemeDiscovery

    return ThemeDiscovery(embedder=embedder, n_themes=n_themes, seed=seed)


def _theme(
    workspace: Workspace,
    items: Sequence[ItemRecord],
    discovery: ThemeDiscovery,
    *,
    actor: str,
    on_stage: Callable[[str], None],
    notes: dict[str, Any],
) -> int:
    """Run the themes workflow on ``items`` and keep ``notes`` with the run; return its id."""
    from upstream.embed import MissingExtraError
    from upstream.themes.workflow import run_themes

    if not items:
        raise JobFailed("There is no evidence to theme in what you chose.")
    try:
        run = run_themes(workspace, discovery, items=items, actor=actor, progress=on_stage)
    except (MissingExtraError, StoreError, ValueError) as exc:
        raise JobFailed(f"Themes could not be found: {exc}") from exc
    ThemeStore(workspace).note_run(run.run_id, **notes)
    return run.run_id


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
    svc = services(request)
    workspace, email = actor.workspace, actor.user.email
    items = choice.items(actor)  # read now: the scope belongs to this request's person
    stage: dict[str, Any] = {"text": "Waiting to start", "steps": DISCOVERY_STEPS}

    def run(progress: Progress) -> dict[str, Any]:
        steps = Steps(progress, stage, int(stage["steps"]))
        steps("Setting aside spam, abuse and off-topic replies")
        kept, aside = set_aside(items)
        notes = {"evidence": choice.description, "set_aside": aside}
        run_id = _theme(
            workspace,
            kept,
            _discovery(embedder, n_themes, seed),
            actor=email,
            on_stage=steps,
            notes=notes,
        )
        steps.finish()
        svc.accounts.audit(
            email,
            "themes",
            "run",
            run_id,
            workspace_id=workspace.id,
            evidence=choice.description,
            embedder=embedder,
            n_themes=n_themes,
            seed=seed,
        )
        return _outcome(workspace, run_id)

    return _submit(request, actor, run, stage, "Finding themes")


def _rerun_settings(run: RunRecord) -> tuple[str, int | None, int]:
    """The embedder, number of themes and seed a run used."""
    params = run.parameters
    embedder = str(params.get("embedder") or embedder_for(str(run.versions.get("embedder", ""))))
    n_themes = params.get("n_themes")
    return (
        embedder,
        int(n_themes) if isinstance(n_themes, int) else None,
        int(run.seed or 0),
    )


def _rerun(
    workspace: Workspace, run: RunRecord, items: list[ItemRecord], email: str, on_stage: Any
) -> int:
    embedder, n_themes, seed = _rerun_settings(run)
    notes = {
        "evidence": run.summary.get("evidence", ""),
        "set_aside": run.summary.get("set_aside") or [],
        "after_edit_of_run": run.id,
    }
    return _theme(
        workspace,
        items,
        _discovery(embedder, n_themes, seed),
        actor=email,
        on_stage=on_stage,
        notes=notes,
    )


def _run_items(workspace: Workspace, run: RunRecord) -> list[ItemRecord]:
    from upstream.themes.workflow import theme_items

    return theme_items(workspace, run_item_ids(run, ThemeStore(workspace).themes(run.id)))


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
    if len({t.id for t in themes}) < 2:
        raise ValueError("Choose at least two themes to merge.")
    if any(t.parent_number is not None for t in themes):
        raise ValueError("Only themes can be merged, not sub-themes.")
    _no_job_running(request, actor)
    workspace, email = actor.workspace, actor.user.email
    edit = ThemeEdit(
        "merge",
        tuple(t.ref() for t in themes),
        label=label.strip() or None,
        model_id=str(run.versions.get("embedder", "")),
        actor=email,
    )
    ThemeStore(workspace).add_edit(edit)
    stage: dict[str, Any] = {"text": "Waiting to start", "steps": DISCOVERY_STEPS}

    def job(progress: Progress) -> dict[str, Any]:
        steps = Steps(progress, stage, int(stage["steps"]))
        steps("Reading the evidence")
        run_id = _rerun(workspace, run, _run_items(workspace, run), email, steps)
        steps.finish()
        return _outcome(workspace, run_id)

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

    The split is worked out on a fresh fit of the same items with the same
    settings (stored themes keep no vectors), then kept as an edit so every
    later run splits the theme the same way.

    Raises:
        ValueError: If the theme is a sub-theme or too small to split so, or a
            theme run is in progress.
    """
    if theme.parent_number is not None:
        raise ValueError("Only themes can be split, not sub-themes.")
    if parts < 2 or theme.size < parts:
        raise ValueError(f"A theme of {theme.size} items cannot be split into {parts} parts.")
    _no_job_running(request, actor)
    workspace, email = actor.workspace, actor.user.email
    stage: dict[str, Any] = {"text": "Waiting to start", "steps": SPLIT_STEPS}

    def job(progress: Progress) -> dict[str, Any]:
        steps = Steps(progress, stage, int(stage["steps"]))
        steps("Reading the evidence")
        store = ThemeStore(workspace)
        items = _run_items(workspace, run)
        from upstream.signals.people import respondent_of

        embedder, n_themes, seed = _rerun_settings(run)
        discovery = _discovery(embedder, n_themes, seed)
        discovery.fit(
            [item.text for item in items],
            keys=[str(item.id) for item in items],
            respondents=[respondent_of(item) for item in items],
            organisations=[item.organisation for item in items],
            edits=store.edits(),
            progress=steps,
        )
        number = _best_match(discovery, theme)
        if number is None:
            raise JobFailed(f"The theme “{theme.label}” is no longer there to split.")
        try:
            edit = discovery.split(number, parts, labels, actor=email)
        except ValueError as exc:
            raise JobFailed(f"The theme could not be split: {exc}") from exc
        store.add_edit(edit)
        run_id = _rerun(workspace, run, items, email, steps)
        steps.finish()
        return _outcome(workspace, run_id)

    return _submit(request, actor, job, stage, f"Splitting “{theme.label}”")


def _best_match(discovery: ThemeDiscovery, theme: StoredTheme) -> int | None:
    """The theme of a fresh fit holding most of a stored theme's members."""
    members = {str(i) for i in theme.item_ids}
    counts: dict[int, int] = {}
    for key, label in zip(discovery.keys_, discovery.labels_.tolist(), strict=True):
        if label >= 0 and key in members:
            counts[int(label)] = counts.get(int(label), 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda n: (counts[n], -n))
