"""Lines of theme runs: which earlier run a new run refines, and what it carries over.

Runs over much the same evidence are one line (ADR 0007): each starts from the
clusters, numbers and names of the one before and re-applies the edits people
made on those items, while a run over other evidence starts a line of its own.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from upstream.records.stored import RunRecord
from upstream.records.themes import ThemeEdit
from upstream.store.repository import Workspace
from upstream.store.theme_repository import THEME_RUN, ThemeStore, run_item_ids
from upstream.themes.discover import ThemeDiscovery

__all__ = [
    "centroids_of",
    "earlier_names",
    "edits_for",
    "lineage",
    "newest_in_line",
    "pack_centroids",
    "previous_run",
    "previous_themes",
    "run_centroids",
    "same_evidence",
    "similar_size",
]


def previous_run(store: ThemeStore, chosen: set[int]) -> RunRecord | None:
    """The newest finished theme run over much the same evidence, if any.

    A run refines the last run's themes only when it is about the same evidence
    (at least half of each run's items are in the other): new replies to the same
    consultation keep its themes and people's edits, while a run over a staff
    survey does not start from a consultation's themes.
    """
    if not chosen:
        return None
    for run in store.runs.runs(kind=THEME_RUN, limit=20):
        if run.status != "finished":
            continue
        if same_evidence(set(run_item_ids(run, store.themes(run.id))), chosen):
            return run
    return None


def edits_for(edits: Sequence[ThemeEdit], item_ids: Iterable[int]) -> list[ThemeEdit]:
    """The edits made on themes of these items: the ones a run over them re-applies.

    Edits made on another question's themes (a survey's last question after its
    main one) hold none of these items, so they are neither tried nor reported as
    no longer matching. An edit kept without its themes' members is always tried.

    Args:
        edits: The workspace's edits in force, oldest first.
        item_ids: The items a run themes.

    Returns:
        The edits in the same order.
    """
    keys = {str(i) for i in item_ids}
    return [
        edit
        for edit in edits
        if not any(t.members for t in edit.targets)
        or any(keys.intersection(t.members) for t in edit.targets)
    ]


def same_evidence(before: set[int], chosen: set[int]) -> bool:
    """Whether two runs are about much the same evidence: half of each is in the other."""
    shared = len(before & chosen)
    return bool(before) and shared >= 0.5 * len(chosen) and shared >= 0.5 * len(before)


def newest_in_line(workspace: Workspace, run: RunRecord) -> RunRecord:
    """The newest finished theme run over much the same evidence as ``run``, or ``run``.

    Runs over the same evidence are one line: each refines the one before, and
    only the newest is the one to edit. A run over other evidence (a survey's
    last question after its main one) starts a line of its own and leaves this
    one's themes editable.

    Args:
        workspace: The workspace.
        run: A finished theme run.

    Returns:
        The run people edit this run's themes in.
    """
    store = ThemeStore(workspace)
    items = set(run_item_ids(run, store.themes(run.id)))
    for newer in store.runs.runs(kind=THEME_RUN, limit=50):
        if newer.id <= run.id:
            break
        if newer.status == "finished" and same_evidence(
            set(run_item_ids(newer, store.themes(newer.id))), items
        ):
            return newer
    return run


def previous_themes(store: ThemeStore, previous: RunRecord | None) -> dict[int, set[str]]:
    """The last run's top-level themes by number, as item keys, for numbering."""
    if previous is None:
        return {}
    return {
        t.number: {str(item_id) for item_id in t.item_ids}
        for t in store.themes(previous.id)
        if t.parent_number is None
    }


def earlier_names(store: ThemeStore, previous: RunRecord | None) -> dict[int, str]:
    """The last run's own names for its themes, by number (not people's, nor a model's)."""
    if previous is None:
        return {}
    return {
        t.number: t.label
        for t in store.themes(previous.id)
        if t.parent_number is None and not t.details.get("edited") and not t.named_by
    }


def lineage(discovery: ThemeDiscovery, previous: RunRecord | None) -> dict[str, dict[str, int]]:
    """Which numbers were merged into which theme, and which themes split off which.

    Kept with each run and carried to the next, so a page can say "theme 8 was
    merged into theme 7" runs later. Numbers are 0-based, as stored.
    """
    now = {t.number for t in discovery.themes_}
    before = (previous.summary.get("lineage") if previous else None) or {}
    merged = {int(k): int(v) for k, v in (before.get("merged_into") or {}).items()}
    came = {int(k): int(v) for k, v in (before.get("came_from") or {}).items()}
    merged = {k: v for k, v in merged.items() if k not in now}
    merged.update(discovery.numbering_.merged_into)
    came = {k: v for k, v in came.items() if k in now}
    came.update(discovery.numbering_.came_from)
    return {
        "merged_into": {str(k): v for k, v in sorted(merged.items())},
        "came_from": {str(k): v for k, v in sorted(came.items())},
    }


def pack_centroids(clusterer: Any) -> str:
    """A run's cluster centroids as compact text for its summary (half precision)."""
    centroids = getattr(clusterer, "centroids_", None)
    if not isinstance(centroids, np.ndarray) or centroids.ndim != 2 or not len(centroids):
        return ""
    packed = base64.b64encode(centroids.astype("<f2").tobytes()).decode("ascii")
    return f"{centroids.shape[1]}:{packed}"


def run_centroids(run: RunRecord) -> npt.NDArray[np.float32] | None:
    """The clusters a theme run found (in its own text model's space), when it kept them.

    Fitting the same items again from these reproduces the run's themes, so an
    edit can be worked out on exactly the themes the person saw.
    """
    return centroids_of(run, run.parameters.get("embedder"))


def centroids_of(previous: RunRecord, embedder: Any) -> npt.NDArray[np.float32] | None:
    """The previous run's centroids, when it used the same text model and kept them."""
    packed = previous.summary.get("centroids")
    if not isinstance(packed, str) or ":" not in packed:
        return None
    if previous.parameters.get("embedder") != embedder:
        return None
    dims, data = packed.split(":", 1)
    values = np.frombuffer(base64.b64decode(data), dtype="<f2").astype(np.float32)
    if not dims.isdigit() or int(dims) == 0 or len(values) % int(dims):
        return None
    return values.reshape(-1, int(dims))


def similar_size(summary: dict[str, Any], items: int) -> bool:
    """Whether a previous run's number of themes still suits ``items`` items (within 50%)."""
    before = summary.get("items")
    return (
        isinstance(summary.get("clusters"), int)
        and isinstance(before, int)
        and before > 0
        and 0.5 <= items / before <= 1.5
    )
