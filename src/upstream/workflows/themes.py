"""Themes in stored evidence, the one way every entry point finds them.

A theme run sets spam, abuse and off-topic replies aside, re-applies people's
edits in the order they were made, discovers the themes, then records them with
the run's parameters, versions, what was set aside and an audit entry, so any
figure can be traced back to how it was produced. ``upstream themes``, the web
app and the demo all call :func:`find_themes`; a file given on the command line
is imported first (into a throw-away store when no database is named) so it
takes exactly the same path. Merging and splitting store an edit and re-run the
latest run on the same items (:mod:`upstream.workflows.theme_edits`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from importlib import metadata
from pathlib import Path
from typing import Any

from upstream.coding.input_rows import RowSource
from upstream.records.stored import ItemRecord
from upstream.records.themes import read_number
from upstream.signals.flags import flag_items
from upstream.signals.people import respondent_of
from upstream.store import Store
from upstream.store.repository import Workspace
from upstream.store.theme_repository import ThemeStore
from upstream.themes.citations import Citation, most_cited
from upstream.themes.discover import ThemeDiscovery
from upstream.themes.labels import Labeller
from upstream.workflows.ingest import ImportedRow, ImportOptions, import_file
from upstream.workflows.theme_lines import (
    centroids_of,
    earlier_names,
    edits_for,
    lineage,
    pack_centroids,
    previous_run,
    previous_themes,
    similar_size,
)

__all__ = [
    "FileThemes",
    "ThemeRun",
    "ThemeSettings",
    "aside_label",
    "below_engagement",
    "below_engagement_count",
    "cited_among",
    "engagement_of",
    "find_themes",
    "find_themes_in_file",
    "respondent_of",
    "run_themes",
    "set_aside",
    "theme_items",
]

SET_ASIDE_LABEL = "set aside as spam, abuse or off-topic"


@dataclass(frozen=True)
class ThemeSettings:
    """What a person may choose about a theme run.

    Attributes:
        embedder: Text model name (see :func:`upstream.embed.embedder_names`).
        n_themes: Number of themes, or None to choose it from the evidence.
        seed: Seed for the randomised steps, for repeatable runs.
        labeller: Optional labeller that words the theme names (e.g. an LLM).
        min_engagement: Theme only items with at least this many likes, reposts
            and other reactions in total; the rest are set aside and counted.
    """

    embedder: str = "default"
    n_themes: int | None = None
    seed: int = 0
    labeller: Labeller | None = None
    min_engagement: float | None = None

    def discovery(self) -> ThemeDiscovery:
        """An unfitted estimator with these settings."""
        return ThemeDiscovery(
            embedder=self.embedder, labeller=self.labeller, n_themes=self.n_themes, seed=self.seed
        )


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
    set_aside: list[dict[str, Any]] = field(default_factory=list)

    def cited(self, top: int = 20) -> list[Citation]:
        """The names and links the themed items cite most, with the themes citing them."""
        return cited_among(self.items, self.discovery.numbers_.tolist(), top=top)

    def theme_of(self) -> dict[int, int]:
        """Each item id's theme number (-1 for unassigned)."""
        return {
            item.id: int(number)
            for item, number in zip(self.items, self.discovery.numbers_, strict=True)
        }


def cited_among(
    items: Sequence[ItemRecord], themes: Sequence[int], *, top: int = 20
) -> list[Citation]:
    """The names and links ``items`` cite most, counted by person, with their themes.

    Args:
        items: The items to count (for a viewer, only those they may see).
        themes: Each item's theme number (-1 for none).
        top: Most citations returned.
    """
    return most_cited(
        [item.text for item in items],
        list(themes),
        [respondent_of(item) for item in items],
        top=top,
    )


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


def set_aside(items: Sequence[ItemRecord]) -> tuple[list[ItemRecord], list[dict[str, Any]]]:
    """Split items into those to theme and those set aside as spam, abuse or off-topic.

    Returns:
        The items to theme, and one ``{"item_id", "reasons"}`` per item set aside.
    """
    flags = flag_items([item.text for item in items])
    kept = [item for item, flag in zip(items, flags, strict=True) if not flag.excluded]
    aside = [
        {"item_id": item.id, "reasons": list(flag.reasons)}
        for item, flag in zip(items, flags, strict=True)
        if flag.excluded
    ]
    return kept, aside


def engagement_of(item: ItemRecord) -> float:
    """An item's likes, reposts and other reactions, added up (0 when it has none)."""
    total = 0.0
    for value in item.engagement.values():
        try:
            total += float(value or 0)
        except (TypeError, ValueError):
            continue
    return total


def below_engagement(
    items: Sequence[ItemRecord], least: float
) -> tuple[list[ItemRecord], list[dict[str, Any]]]:
    """Keep the items with at least ``least`` reactions; set the rest aside, saying why.

    Returns:
        The items kept, and one ``{"item_id", "reasons", "label"}`` per item set aside.
    """
    shown = f"{least:g}"
    reason = f"fewer than {shown} likes, reposts and other reactions"
    kept = [item for item in items if engagement_of(item) >= least]
    quiet = [
        {"item_id": item.id, "reasons": [reason], "label": "below the engagement threshold"}
        for item in items
        if engagement_of(item) < least
    ]
    return kept, quiet


def below_engagement_count(aside: Sequence[dict[str, Any]]) -> int:
    """How many of the items set aside were left out for too few likes, not as spam.

    Only :func:`below_engagement` labels its entries, so a labelled entry is one.
    """
    return sum(1 for entry in aside if isinstance(entry, dict) and entry.get("label"))


def aside_label(entry: dict[str, Any]) -> str:
    """How an item set aside is labelled in outputs: why, and the reasons."""
    label = str(entry.get("label") or SET_ASIDE_LABEL)
    return f"{label} ({', '.join(entry['reasons'])})"


def find_themes(
    workspace: Workspace,
    items: Sequence[ItemRecord],
    settings: ThemeSettings,
    *,
    actor: str,
    evidence: str = "",
    progress: Callable[[str], None] | None = None,
) -> ThemeRun:
    """Find themes in ``items`` as every entry point does: set aside, discover, record, audit.

    Args:
        workspace: Where the items, edits and runs are.
        items: The items chosen to theme (already limited to what ``actor`` may see).
        settings: The person's choices.
        actor: Who ran it, for the run record and the audit log.
        evidence: The choice of evidence in words, kept with the run.
        progress: Called with a short description as each stage starts.

    Returns:
        The run, with the fitted estimator and what was set aside.

    Raises:
        ValueError: If nothing is left to theme once spam and abuse are set aside.
    """
    if progress:
        progress("Setting aside spam, abuse and off-topic replies")
    kept, aside = set_aside(items)
    if settings.min_engagement is not None:
        kept, quiet = below_engagement(kept, settings.min_engagement)
        aside += quiet
    if not kept:
        raise ValueError("There is no evidence to theme in what you chose.")
    notes: dict[str, Any] = {
        "evidence": evidence,
        "set_aside": aside,
        # Which sources the themed items came from, so pages can name them.
        "source_ids": sorted({item.source_id for item in kept}),
    }
    if settings.min_engagement is not None:
        notes["min_engagement"] = settings.min_engagement
    run = run_themes(
        workspace, settings.discovery(), items=kept, actor=actor, progress=progress, notes=notes
    )
    run.set_aside = aside
    with workspace.writer() as writer:
        writer.audit(
            actor,
            "themes",
            "run",
            run.run_id,
            evidence=evidence,
            embedder=settings.embedder,
            n_themes=settings.n_themes,
            seed=settings.seed,
        )
    return run


def run_themes(
    workspace: Workspace,
    discovery: ThemeDiscovery,
    *,
    items: Sequence[ItemRecord] | None = None,
    actor: str = "",
    progress: Callable[[str], None] | None = None,
    notes: dict[str, Any] | None = None,
    refine: bool = False,
) -> ThemeRun:
    """Discover themes in stored items, re-applying stored edits, and record the run.

    This is the step after setting aside; entry points call :func:`find_themes`.

    When the estimator is left to choose the number of themes and the workspace
    has an earlier theme run on a similar number of items (within 50%), the
    earlier run's clusters are refined rather than found afresh: new evidence
    then joins the existing themes rather than reshuffling them, which is also
    what lets edits find their themes.

    Args:
        workspace: Where the items and edits are.
        discovery: The (unfitted) estimator with the user's settings.
        items: The items to theme (default: every item of the workspace).
        actor: Who ran it.
        progress: Called with a short description as each stage starts.
        notes: Entries kept in the run's summary (the evidence chosen, what was set aside).
        refine: Refine the earlier run's clusters even when the number of themes
            was given: a re-run after an edit changes only what the edit changed.

    Returns:
        The run, with the fitted estimator.
    """
    chosen = list(items) if items is not None else theme_items(workspace)
    store = ThemeStore(workspace)
    edits = edits_for(store.edits(), [item.id for item in chosen])
    previous = previous_run(store, {item.id for item in chosen})
    sticky = (
        (discovery.n_themes is None or refine)
        and previous is not None
        and similar_size(previous.summary, len(chosen))
    )
    start = None
    if sticky and previous is not None:
        # Keep the last run's themes: refine its clusters with the new evidence, so
        # themes move as little as possible and people's edits still find theirs.
        # The number of themes is not written into the settings: a later re-run of
        # this run must refine it again, not cluster afresh at that number.
        start = centroids_of(previous, _jsonable(discovery.get_params()).get("embedder"))
    discovery.fit(
        [item.text for item in chosen],
        keys=[str(item.id) for item in chosen],
        respondents=[respondent_of(item) for item in chosen],
        organisations=[item.organisation for item in chosen],
        engagement=[dict(item.engagement) or None for item in chosen],
        edits=edits,
        previous=previous_themes(store, previous),
        next_number=int((previous.summary if previous else {}).get("next_number") or 0),
        earlier_names=earlier_names(store, previous),
        start=start,
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
        "next_number": discovery.next_number_,
        "lineage": lineage(discovery, previous),
        "clusters_from_previous_run": sticky,
        "refined_previous_themes": start is not None,
        "centroids": pack_centroids(discovery.clusterer_),
        "respondents": _people(chosen),
        **(notes or {}),
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


def _people(items: Sequence[ItemRecord]) -> int | None:
    """How many people wrote the items, each unsigned item one person; None when none says."""
    said = [respondent_of(item) for item in items]
    if not any(said):
        return None
    return len({who for who in said if who}) + sum(1 for who in said if not who)


def _jsonable(params: dict[str, Any]) -> dict[str, Any]:
    # Embedders are recorded by model id; stages (estimators) by their repr, whose own
    # parameters appear beside them as ``stage__name``.
    return {
        key: value
        if isinstance(value, str | int | float | bool) or value is None
        else str(getattr(value, "model_id", None) or value)
        for key, value in params.items()
    }


@dataclass
class FileThemes:
    """Themes found in one file's rows, row by row.

    Attributes:
        run: The theme run.
        rows: Each row of the file and the stored item holding it.
        text_column: The column the text was read from.
        id_column: The column of the rows' own ids, given or found ("" when rows
            are known by their number).
    """

    run: ThemeRun
    rows: list[ImportedRow]
    text_column: str
    id_column: str = ""

    def row_themes(self) -> list[tuple[ImportedRow, int, str]]:
        """Each row with its theme number as people read it (-1 for none) and its label or why."""
        theme_of = self.run.theme_of()
        labels = {t.number: t.label for t in self.run.discovery.themes_}
        aside = {int(entry["item_id"]): aside_label(entry) for entry in self.run.set_aside}
        answers: list[tuple[ImportedRow, int, str]] = []
        for row in self.rows:
            if row.item_id is None:
                answers.append((row, -1, f"no text: {row.problem}"))
            elif row.item_id in aside:
                answers.append((row, -1, aside[row.item_id]))
            else:
                number = theme_of.get(row.item_id, -1)
                answers.append((row, read_number(number), labels.get(number, "unassigned")))
        return answers


def find_themes_in_file(
    store: Store,
    path: Path,
    options: ImportOptions,
    settings: ThemeSettings,
    *,
    actor: str,
    progress: Callable[[str], None] | None = None,
) -> FileThemes:
    """Import a file (once) and find themes in its rows, exactly as for stored evidence.

    Args:
        store: Where to keep the rows and the run (a throw-away store is fine).
        path: The file of evidence.
        options: How to read it and which workspace to put it in.
        settings: The person's choices for the run.
        actor: Who ran it.
        progress: Called with a short description as each stage starts.

    Returns:
        The run and, for each row of the file, the item that holds it.
    """
    if progress:
        progress(f"Reading {path.name}")
    if options.id_column is None:
        # The file's own references ("C0448") are kept with the items, so the web
        # app's quotes and lists name replies as the file does.
        found = RowSource(path, text_column=options.text_column).detected.get("id column")
        options = replace(options, id_column_found=found or None)
    imported = import_file(store, path, options, track_rows=True)
    workspace = store.workspace(options.workspace)
    items = theme_items(workspace, [r.item_id for r in imported.rows if r.item_id is not None])
    run = find_themes(
        workspace,
        items,
        settings,
        actor=actor,
        evidence=f"The rows of {path.name}",
        progress=progress,
    )
    rows, id_column = imported.rows, options.id_column or options.id_column_found or ""
    if options.id_column_found and not any(row.external_id for row in rows):
        # Imported before without its references: the answer still names rows by them.
        rows, id_column = _with_own_ids(path, imported.text_column, rows)
    return FileThemes(run, rows, imported.text_column, id_column)


def _with_own_ids(
    path: Path, text_column: str, rows: list[ImportedRow]
) -> tuple[list[ImportedRow], str]:
    """The rows known by the file's own ids ("id", "reply_id"), when it has a column of them.

    For a file imported before without its id column: it stays as it was
    imported (one file is one source); only the answer names each row by its
    own id, so it joins back to the file.
    """
    source = RowSource(path, text_column=text_column)
    column = source.detected.get("id column", "")
    if not column:
        return rows, ""
    ids = [row.id for row in source.rows()]
    if len(ids) != len(rows):
        return rows, ""
    named = [
        replace(row, external_id=row.external_id or own) for row, own in zip(rows, ids, strict=True)
    ]
    return named, column
