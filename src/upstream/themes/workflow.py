"""Theme runs on stored evidence: load items, re-apply edits, discover, record the run.

The store keeps people's edits; every run re-applies them in the order they
were made, then records the themes with the run's parameters and versions so
any figure can be traced back to how it was produced.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import metadata
from typing import Any

from upstream.signals.people import respondent_of
from upstream.store.records import ItemRecord
from upstream.store.repository import Workspace
from upstream.store.theme_repository import ThemeStore
from upstream.themes.discover import ThemeDiscovery

__all__ = ["ThemeRun", "respondent_of", "run_themes", "theme_items"]


@dataclass
class ThemeRun:
    """A finished theme run on stored evidence.

    Attributes:
        run_id: The run's id in the store.
        discovery: The fitted estimator (themes, labels, edits applied).
        items: The items themed, in the order of the estimator's rows.
    """

    run_id: int
    discovery: ThemeDiscovery
    items: list[ItemRecord]

    def theme_of(self) -> dict[int, int]:
        """Each item id's theme number (-1 for unassigned)."""
        return {
            item.id: int(label)
            for item, label in zip(self.items, self.discovery.labels_, strict=True)
        }


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "unknown"


def theme_items(
    workspace: Workspace,
    item_ids: Sequence[int] | None = None,
    exclude: Callable[[ItemRecord], bool] | None = None,
) -> list[ItemRecord]:
    """The items of a workspace to theme, in stored order.

    Args:
        workspace: The workspace.
        item_ids: Only these items (e.g. the rows of one file), in this order.
        exclude: Leave out items for which this returns true (e.g. spam).

    Returns:
        The items.
    """
    items = workspace.items()
    if item_ids is not None:
        by_id = {item.id: item for item in items}
        items = [by_id[i] for i in dict.fromkeys(item_ids) if i in by_id]
    return [item for item in items if exclude is None or not exclude(item)]


def run_themes(
    workspace: Workspace,
    discovery: ThemeDiscovery,
    *,
    items: Sequence[ItemRecord] | None = None,
    actor: str = "",
    progress: Callable[[str], None] | None = None,
) -> ThemeRun:
    """Discover themes in stored items, re-applying stored edits, and record the run.

    When the estimator is left to choose the number of themes and the workspace
    has an earlier theme run on a similar number of items (within 50%), the
    earlier number is kept: new evidence then joins the existing themes rather
    than reshuffling them, which is also what lets edits find their themes.

    Args:
        workspace: Where the items and edits are.
        discovery: The (unfitted) estimator with the user's settings.
        items: The items to theme (default: every item of the workspace).
        actor: Who ran it.
        progress: Called with a short description as each stage starts.

    Returns:
        The run, with the fitted estimator.
    """
    chosen = list(items) if items is not None else theme_items(workspace)
    store = ThemeStore(workspace)
    edits = store.edits()
    previous = store.latest_run()
    sticky = (
        discovery.n_themes is None
        and previous is not None
        and _similar_size(previous.summary, len(chosen))
    )
    if sticky and previous is not None:
        # Keep the number of themes the last run chose, so new evidence moves themes
        # as little as possible and people's edits still find the themes they edited.
        discovery.set_params(n_themes=int(previous.summary["clusters"]))
    discovery.fit(
        [item.text for item in chosen],
        keys=[str(item.id) for item in chosen],
        respondents=[respondent_of(item) for item in chosen],
        organisations=[item.organisation for item in chosen],
        engagement=[dict(item.engagement) or None for item in chosen],
        edits=edits,
        progress=progress,
    )
    if progress:
        progress("Saving the themes")
    summary: dict[str, Any] = {
        "items": len(chosen),
        "themes": discovery.n_themes_,
        "subthemes": sum(len(t.subthemes) for t in discovery.themes_),
        "unassigned": len(discovery.unassigned_),
        "unassigned_item_ids": [chosen[i].id for i in discovery.unassigned_.tolist()],
        "edits_applied": [e.describe() for e in discovery.edits_applied_],
        "edits_unmatched": [e.describe() for e in discovery.edits_unmatched_],
        "timings": {k: round(v, 3) for k, v in discovery.timings_.items()},
        "clusters": len(discovery.clusterer_.centroids_),
        "clusters_from_previous_run": sticky,
    }
    run_id = store.save_run(
        discovery.themes_,
        [item.id for item in chosen],
        parameters=_jsonable(discovery.get_params()),
        versions={
            "upstream": _version("upstream"),
            "scikit-learn": _version("scikit-learn"),
            "embedder": discovery.model_id_,
        },
        seed=discovery.seed,
        summary=summary,
        actor=actor,
    )
    return ThemeRun(run_id, discovery, chosen)


def _similar_size(summary: dict[str, Any], items: int) -> bool:
    """Whether a previous run's number of themes still suits ``items`` items (within 50%)."""
    before = summary.get("items")
    return (
        isinstance(summary.get("clusters"), int)
        and isinstance(before, int)
        and before > 0
        and 0.5 <= items / before <= 1.5
    )


def _jsonable(params: dict[str, Any]) -> dict[str, Any]:
    # Embedders are recorded by model id; stages (estimators) by their repr, whose own
    # parameters appear beside them as ``stage__name``.
    return {
        key: value
        if isinstance(value, str | int | float | bool) or value is None
        else str(getattr(value, "model_id", None) or value)
        for key, value in params.items()
    }
