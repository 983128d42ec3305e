"""Theme runs and theme edits as background jobs, whose state is kept in the database.

A discovery run themes the evidence a person chose (all they may see, one
source or one organisation), setting spam, abuse and off-topic replies aside
first. Merging and splitting change the assignment of items, so they store
the edit and re-run the latest run on the same items: the re-run re-applies
every stored edit, which is also what happens when new evidence arrives.
Renaming only changes a label and happens at once (see
:meth:`~upstream.store.theme_repository.ThemeStore.rename`).

All three are one kind of job, ``themes``, one at a time per workspace; the
job's parameters say which it is and everything it needs to run again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.requests import Request

from upstream.jobs import JobContext, JobFailed
from upstream.store import StoreError
from upstream.store.account_models import EvidenceQuery
from upstream.store.job_repository import JobRecord
from upstream.store.records import ItemRecord, RunRecord
from upstream.store.repository import Workspace
from upstream.store.theme_repository import StoredTheme, ThemeStore, run_item_ids
from upstream.themes.edits import ThemeEdit
from upstream.web.background import job_actor, owner_of
from upstream.web.coding_jobs import embedder_for
from upstream.web.permissions import Actor
from upstream.web.settings import Services, services

if TYPE_CHECKING:
    from upstream.themes.discover import ThemeDiscovery

__all__ = [
    "DISCOVERY_STEPS",
    "KIND",
    "EvidenceChoice",
    "register",
    "running",
    "set_aside",
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


def start_discovery(
    request: Request,
    actor: Actor,
    choice: EvidenceChoice,
    *,
    n_themes: int | None,
    seed: int,
    embedder: str,
) -> JobRecord:
    """Start finding themes in the chosen evidence (or return the theme job already running)."""
    parameters = {
        "action": "discover",
        "source_id": choice.source_id,
        "organisation": choice.organisation,
        "description": choice.description,
        "n_themes": n_themes,
        "seed": seed,
        "embedder": embedder,
    }
    return _submit(request, actor, parameters, "Finding themes", DISCOVERY_STEPS)


def _discover(svc: Services, ctx: JobContext, actor: Actor) -> Mapping[str, Any]:
    params = ctx.parameters
    choice = EvidenceChoice(
        source_id=params.get("source_id"),
        organisation=str(params.get("organisation") or ""),
        description=str(params.get("description") or EvidenceChoice.description),
    )
    n_themes = params.get("n_themes")
    seed = int(params.get("seed") or 0)
    embedder = str(params.get("embedder") or "default")
    workspace, email = actor.workspace, actor.user.email
    # The scope is that of the person who started the job, as they may see now.
    items = choice.items(actor)
    ctx.step("Setting aside spam, abuse and off-topic replies")
    kept, aside = set_aside(items)
    notes = {"evidence": choice.description, "set_aside": aside}
    run_id = _theme(
        workspace,
        kept,
        _discovery(embedder, n_themes, seed),
        actor=email,
        on_stage=ctx.step,
        notes=notes,
    )
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
    if len({t.id for t in themes}) < 2:
        raise ValueError("Choose at least two themes to merge.")
    if any(t.parent_number is not None for t in themes):
        raise ValueError("Only themes can be merged, not sub-themes.")
    _no_job_running(request, actor)
    edit = ThemeEdit(
        "merge",
        tuple(t.ref() for t in themes),
        label=label.strip() or None,
        model_id=str(run.versions.get("embedder", "")),
        actor=actor.user.email,
    )
    ThemeStore(actor.workspace).add_edit(edit)
    names = " and ".join(f"“{t.label}”" for t in themes)
    parameters = {"action": "rerun", "run_id": run.id}
    return _submit(request, actor, parameters, f"Merging {names}", DISCOVERY_STEPS)


def _rerun_job(ctx: JobContext, actor: Actor) -> Mapping[str, Any]:
    workspace = actor.workspace
    run = _stored_run(workspace, int(ctx.parameters["run_id"]))
    ctx.step("Reading the evidence")
    run_id = _rerun(workspace, run, _run_items(workspace, run), actor.user.email, ctx.step)
    return _outcome(workspace, run_id)


def start_split(
    request: Request,
    actor: Actor,
    run: RunRecord,
    theme: StoredTheme,
    parts: int,
    labels: Sequence[str],
) -> JobRecord:
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
    parameters = {
        "action": "split",
        "run_id": run.id,
        "theme_id": theme.id,
        "parts": parts,
        "labels": list(labels),
    }
    return _submit(request, actor, parameters, f"Splitting “{theme.label}”", SPLIT_STEPS)


def _split_job(ctx: JobContext, actor: Actor) -> Mapping[str, Any]:
    from upstream.signals.people import respondent_of

    workspace, email = actor.workspace, actor.user.email
    params = ctx.parameters
    run = _stored_run(workspace, int(params["run_id"]))
    store = ThemeStore(workspace)
    theme = store.theme(int(params["theme_id"]))
    if theme is None:
        raise JobFailed("The theme to split is no longer there.")
    parts = int(params["parts"])
    labels = [str(label) for label in params.get("labels") or []]
    ctx.step("Reading the evidence")
    items = _run_items(workspace, run)
    embedder, n_themes, seed = _rerun_settings(run)
    discovery = _discovery(embedder, n_themes, seed)
    discovery.fit(
        [item.text for item in items],
        keys=[str(item.id) for item in items],
        respondents=[respondent_of(item) for item in items],
        organisations=[item.organisation for item in items],
        edits=store.edits(),
        progress=ctx.step,
    )
    number = _best_match(discovery, theme)
    if number is None:
        raise JobFailed(f"The theme “{theme.label}” is no longer there to split.")
    try:
        edit = discovery.split(number, parts, labels, actor=email)
    except ValueError as exc:
        raise JobFailed(f"The theme could not be split: {exc}") from exc
    store.add_edit(edit)
    run_id = _rerun(workspace, run, items, email, ctx.step)
    return _outcome(workspace, run_id)


def _run(svc: Services, ctx: JobContext) -> Mapping[str, Any]:
    actor = job_actor(svc, ctx.job)
    action = ctx.parameters.get("action")
    if action == "split":
        return _split_job(ctx, actor)
    if action == "rerun":
        return _rerun_job(ctx, actor)
    return _discover(svc, ctx, actor)


def register(svc: Services) -> None:
    """Register the theme job with the app's job runner."""
    svc.jobs.register(KIND, lambda ctx: _run(svc, ctx))


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
