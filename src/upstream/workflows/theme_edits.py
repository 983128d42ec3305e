"""Merging and splitting themes: store the edit, then re-run the latest run on the same items.

Merging and splitting change which items belong where, so they are kept as
edits that every later run re-applies (which is also what happens when new
evidence arrives), and the run they were made on is re-run at once so the
changed themes are described. Renaming only changes a label and happens at once
(see :meth:`~upstream.store.theme_repository.ThemeStore.rename`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from upstream.embed import embedder_for
from upstream.records.stored import ItemRecord, RunRecord
from upstream.records.themes import ThemeEdit
from upstream.store.repository import Workspace
from upstream.store.theme_repository import StoredTheme, ThemeStore, run_item_ids
from upstream.themes.discover import ThemeDiscovery
from upstream.themes.labels import Labeller
from upstream.workflows.theme_lines import edits_for, run_centroids
from upstream.workflows.themes import ThemeRun, ThemeSettings, respondent_of, run_themes

__all__ = [
    "check_merge",
    "check_split",
    "merge_themes",
    "rerun",
    "settings_of",
    "split_theme",
    "store_merge",
]

Progress = Callable[[str], None]


def settings_of(run: RunRecord, labeller: Labeller | None = None) -> ThemeSettings:
    """The settings a recorded run used, to re-run it the same way.

    Args:
        run: The recorded run.
        labeller: The labeller to name the themes with (a model endpoint's, when
            one is configured); upstream's own when None.
    """
    params = run.parameters
    embedder = str(params.get("embedder") or embedder_for(str(run.versions.get("embedder", ""))))
    n_themes = params.get("n_themes")
    return ThemeSettings(
        embedder=embedder,
        n_themes=int(n_themes) if isinstance(n_themes, int) else None,
        seed=int(run.seed or 0),
        labeller=labeller,
    )


def run_items(workspace: Workspace, run: RunRecord) -> list[ItemRecord]:
    """The items a theme run themed (members and unassigned), oldest first."""
    from upstream.workflows.themes import theme_items

    return theme_items(workspace, run_item_ids(run, ThemeStore(workspace).themes(run.id)))


def rerun(
    workspace: Workspace,
    run: RunRecord,
    *,
    actor: str,
    items: list[ItemRecord] | None = None,
    progress: Progress | None = None,
    labeller: Labeller | None = None,
) -> ThemeRun:
    """Run ``run`` again on the same items and settings, re-applying every stored edit.

    ``labeller`` names the themes (a model endpoint's, when one is configured).
    """
    notes = {
        "evidence": run.summary.get("evidence", ""),
        "set_aside": run.summary.get("set_aside") or [],
        "source_ids": run.summary.get("source_ids") or [],
        "after_edit_of_run": run.id,
    }
    chosen = items if items is not None else run_items(workspace, run)
    return run_themes(
        workspace,
        settings_of(run, labeller).discovery(),
        items=chosen,
        actor=actor,
        progress=progress,
        notes=notes,
        refine=True,
    )


def check_merge(themes: Sequence[StoredTheme]) -> None:
    """Refuse a merge that cannot be made.

    Raises:
        ValueError: If fewer than two themes, or a sub-theme, are given.
    """
    if len({t.id for t in themes}) < 2:
        raise ValueError("Choose at least two themes to merge.")
    if any(t.parent_number is not None for t in themes):
        raise ValueError("Only themes can be merged, not sub-themes.")


def merge_themes(
    workspace: Workspace,
    run: RunRecord,
    themes: Sequence[StoredTheme],
    label: str,
    *,
    actor: str,
    progress: Progress | None = None,
) -> ThemeRun:
    """Store a merge of ``themes`` and re-run ``run`` so the merged theme is described.

    Raises:
        ValueError: If the merge cannot be made (see :func:`check_merge`).
    """
    store_merge(workspace, run, themes, label, actor=actor)
    return rerun(workspace, run, actor=actor, progress=progress)


def store_merge(
    workspace: Workspace,
    run: RunRecord,
    themes: Sequence[StoredTheme],
    label: str,
    *,
    actor: str,
) -> None:
    """Store a merge of ``themes`` as an edit that every later run re-applies.

    Raises:
        ValueError: If the merge cannot be made (see :func:`check_merge`).
    """
    check_merge(themes)
    edit = ThemeEdit(
        "merge",
        tuple(t.ref() for t in themes),
        label=label.strip() or None,
        model_id=str(run.versions.get("embedder", "")),
        actor=actor,
    )
    ThemeStore(workspace).add_edit(edit)


def check_split(theme: StoredTheme, parts: int) -> None:
    """Refuse a split that cannot be made.

    Raises:
        ValueError: If the theme is a sub-theme or too small to split into ``parts``.
    """
    if theme.parent_number is not None:
        raise ValueError("Only themes can be split, not sub-themes.")
    if parts < 2 or theme.size < parts:
        raise ValueError(f"A theme of {theme.size} items cannot be split into {parts} parts.")


def split_theme(
    workspace: Workspace,
    run: RunRecord,
    theme: StoredTheme,
    parts: int,
    labels: Sequence[str],
    *,
    actor: str,
    progress: Progress | None = None,
    labeller: Labeller | None = None,
) -> ThemeRun:
    """Split ``theme`` into ``parts`` by its own structure, store the edit and re-run ``run``.

    The split is worked out on a fit of the same items with the same settings,
    started from the run's own clusters so that it finds the themes the person
    saw (stored themes keep no vectors), then kept as an edit so every later run
    splits the theme the same way. The re-run then refines the same clusters,
    so the other themes keep their items.

    Raises:
        ValueError: If the split cannot be made, or the theme is no longer there.
    """
    check_split(theme, parts)
    store = ThemeStore(workspace)
    items = run_items(workspace, run)
    discovery = settings_of(run).discovery()
    discovery.fit(
        [item.text for item in items],
        keys=[str(item.id) for item in items],
        respondents=[respondent_of(item) for item in items],
        organisations=[item.organisation for item in items],
        edits=edits_for(store.edits(), [item.id for item in items]),
        start=run_centroids(run),
        progress=progress,
    )
    number = _best_match(discovery, theme)
    if number is None:
        raise ValueError(f"The theme “{theme.label}” is no longer there to split.")
    edit = discovery.split(number, parts, labels, actor=actor)
    # The refit names its themes afresh; the edit is about the theme as people saw it.
    seen = tuple(replace(ref, label=theme.label) for ref in edit.targets)
    store.add_edit(replace(edit, targets=seen))
    return rerun(workspace, run, actor=actor, items=items, progress=progress, labeller=labeller)


def _best_match(discovery: ThemeDiscovery, theme: StoredTheme) -> int | None:
    """The theme of a fresh fit holding most of a stored theme's members."""
    members = {str(i) for i in theme.item_ids}
    counts: dict[int, int] = {}
    for key, number in zip(discovery.keys_, discovery.numbers_.tolist(), strict=True):
        if number >= 0 and key in members:
            counts[int(number)] = counts.get(int(number), 0) + 1
    if not counts:
        return None
    return max(counts, key=lambda n: (counts[n], -n))
