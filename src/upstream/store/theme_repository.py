"""Theme runs, their themes and members, and people's theme edits, for one workspace.

A theme run is a :class:`~upstream.store.models.Run` of kind ``themes``
(started and finished through :class:`~upstream.store.coding_repository.CodingStore`),
with one :class:`~upstream.store.models.Theme` row per theme and per sub-theme
(``parent_id`` links them) and a :class:`~upstream.store.models.ThemeMember` row
per item and theme. Edits are kept apart from runs so they outlive them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Container, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select

from upstream.records.stored import RunRecord
from upstream.records.themes import Theme, ThemeEdit, ThemeRef
from upstream.store import models as m
from upstream.store.coding_repository import CodingStore
from upstream.store.engine import StoreError
from upstream.store.repository import Workspace
from upstream.store.theme_models import ThemeEditRow

__all__ = ["THEME_RUN", "StoredTheme", "ThemeStore", "run_item_ids"]

THEME_RUN = "themes"
"""The ``kind`` of runs that discover themes."""


@dataclass(frozen=True, slots=True)
class StoredTheme:
    """A theme (or sub-theme) as stored with its run.

    Attributes:
        id: Row id.
        run_id: The run that found it.
        number: Its number in the run (within its parent, for a sub-theme).
        parent_number: The parent theme's number, ``None`` for a top-level theme.
        label: Its label.
        keywords: Its keywords.
        details: Size, respondents, organisations, engagement, quotes and stance.
        item_ids: Its members' item ids.
    """

    id: int
    run_id: int | None
    number: int
    parent_number: int | None
    label: str
    keywords: list[Any]
    details: dict[str, Any]
    item_ids: tuple[int, ...]

    @property
    def size(self) -> int:
        """Items in the theme (the whole run's count)."""
        return int(self.details.get("size", len(self.item_ids)))

    @property
    def code(self) -> str:
        """Its number as people read it: ``"3"`` for a theme, ``"3.2"`` for a sub-theme."""
        if self.parent_number is None:
            return str(self.number + 1)
        return f"{self.parent_number + 1}.{self.number + 1}"

    def visible_quotes(self, visible: Container[int], limit: int = 5) -> list[dict[str, Any]]:
        """The theme's quotes taken from items in ``visible`` (as stored: item_id, text)."""
        quotes = [q for q in self.details.get("quotes") or [] if q.get("item_id") in visible]
        return quotes[:limit]

    def ref(self) -> ThemeRef:
        """A fingerprint of the theme by its members, for an edit made from its stored form.

        Stored themes keep no centre, so the edit is matched on later runs by
        the members it holds, which is what a re-run on grown data keeps.
        """
        return ThemeRef(self.label, (), tuple(str(i) for i in self.item_ids))

    @property
    def description(self) -> str:
        """One plain sentence on what the theme's items mention ("" when none was kept)."""
        return str(self.details.get("description") or "")

    @property
    def named_by(self) -> str:
        """The model endpoint's model that wrote the label and summary ("" for upstream)."""
        return str(self.details.get("named_by") or "")

    def visible_summary(self, visible: Container[int]) -> list[dict[str, Any]]:
        """The summary sentences (``{"text", "item_ids"}``), when ``visible`` holds every quote.

        The model read all of the theme's quotes, so any sentence may echo any of
        them: the summary is shown only to people who may see every quote.
        """
        quoted = [q.get("item_id") for q in self.details.get("quotes") or []]
        if not all(i in visible for i in quoted):
            return []
        return [s for s in self.details.get("summary") or [] if s.get("item_ids")]

    def stance_sides(self) -> dict[str, int]:
        """How many members took each side (``for``, ``against``, ``neutral``), if known."""
        stance = self.details.get("stance") or {}
        return {str(k): int(v) for k, v in (stance.get("sides") or {}).items()}


def run_item_ids(run: RunRecord, themes: Sequence[StoredTheme]) -> list[int]:
    """Every item a theme run themed (members and unassigned), in id order."""
    ids = {i for t in themes if t.parent_number is None for i in t.item_ids}
    ids.update(int(i) for i in run.summary.get("unassigned_item_ids") or [])
    return sorted(ids)


def theme_details(theme: Theme, item_ids: Sequence[int]) -> dict[str, Any]:
    """The JSON kept with a theme row: everything but its label, keywords and members."""
    stance = None
    if theme.stance is not None:
        stance = {
            "sentence": theme.stance.sentence,
            "contested": theme.stance.contested,
            "sides": {s.side: s.count for s in theme.stance.sides},
        }
    return {
        "size": theme.size,
        "respondents": theme.respondents,
        "unnamed": theme.unnamed,
        "organisations": list(theme.organisations),
        "engagement_size": theme.engagement_size,
        "quotes": [
            {"item_id": item_ids[q.index], "text": q.text, "similarity": q.similarity}
            for q in theme.quotes
        ],
        "stance": stance,
        "edited": list(theme.edited),
        "description": theme.description,
        "summary": [
            {"text": sentence.text, "item_ids": [item_ids[i] for i in sentence.quotes]}
            for sentence in theme.summary
        ],
        "named_by": theme.named_by,
        "repeated": theme.repeated,
    }


class ThemeStore:
    """Theme data for one workspace."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._store = workspace.store
        self.runs = CodingStore(workspace)

    # --- runs ------------------------------------------------------------------------
    def save_run(
        self,
        themes: Sequence[Theme],
        item_ids: Sequence[int],
        *,
        parameters: dict[str, Any],
        versions: dict[str, Any],
        seed: int | None,
        summary: dict[str, Any],
        actor: str = "",
    ) -> int:
        """Record a finished theme run with its themes and members; return the run id.

        Args:
            themes: The themes; their ``members`` are positions in ``item_ids``.
            item_ids: The stored item behind each position.
            parameters: The discovery's ``get_params()``.
            versions: Package and embedder versions.
            seed: The seed used.
            summary: Counts to keep with the run (themes, unassigned, timings).
            actor: Who ran it.

        Raises:
            StoreError: If an item is not in this workspace.
        """
        run_id = self.runs.start_run(
            THEME_RUN, parameters=parameters, versions=versions, seed=seed, actor=actor
        )
        with self._store.session() as session:
            wanted = {int(i) for i in item_ids}
            found = set(
                session.scalars(
                    select(m.Item.id).where(
                        m.Item.workspace_id == self.workspace.id, m.Item.id.in_(wanted)
                    )
                )
            )
            if wanted - found:
                raise StoreError(f"Items {sorted(wanted - found)[:5]} are not in this workspace.")
            for theme in themes:
                parent = self._add_theme(session, run_id, theme, None, item_ids)
                for child in theme.subthemes:
                    self._add_theme(session, run_id, child, parent, item_ids)
        self.runs.finish_run(run_id, summary=summary)
        return run_id

    def _add_theme(
        self,
        session: Any,
        run_id: int,
        theme: Theme,
        parent_id: int | None,
        item_ids: Sequence[int],
    ) -> int:
        row = m.Theme(
            workspace_id=self.workspace.id,
            run_id=run_id,
            parent_id=parent_id,
            number=theme.number,
            label=theme.label,
            keywords=list(theme.keywords),
            details=theme_details(theme, item_ids),
        )
        session.add(row)
        session.flush()
        if theme.members:
            members = [
                {"theme_id": row.id, "item_id": int(item_ids[i]), "score": 1.0}
                for i in theme.members
            ]
            session.execute(insert(m.ThemeMember), members)
        return int(row.id)

    def latest_run(self) -> RunRecord | None:
        """The newest finished theme run, if any."""
        finished = [r for r in self.runs.runs(kind=THEME_RUN) if r.status == "finished"]
        return finished[0] if finished else None

    def run(self, run_id: int) -> RunRecord | None:
        """One theme run of this workspace, or None."""
        return next((r for r in self.runs.runs(kind=THEME_RUN, limit=500) if r.id == run_id), None)

    def note_run(self, run_id: int, **summary: Any) -> None:
        """Add entries to a finished run's summary (e.g. what was set aside before theming).

        Raises:
            StoreError: If the run is not in this workspace.
        """
        with self._store.session() as session:
            run = session.get(m.Run, run_id)
            if run is None or run.workspace_id != self.workspace.id:
                raise StoreError(f"No run {run_id} in workspace {self.workspace.name!r}.")
            run.summary = {**(run.summary or {}), **summary}

    def theme(self, theme_id: int) -> StoredTheme | None:
        """One stored theme or sub-theme of this workspace, by row id."""
        with self._store.session() as session:
            row = session.get(m.Theme, theme_id)
            if row is None or row.workspace_id != self.workspace.id or row.run_id is None:
                return None
            run_id = row.run_id
        return next((t for t in self.themes(run_id) if t.id == theme_id), None)

    def themes(self, run_id: int | None = None) -> list[StoredTheme]:
        """The themes and sub-themes of a run (default: the newest), parents first.

        Raises:
            StoreError: If the run is not a theme run of this workspace.
        """
        if run_id is None:
            latest = self.latest_run()
            if latest is None:
                return []
            run_id = latest.id
        with self._store.session() as session:
            run = session.get(m.Run, run_id)
            if run is None or run.workspace_id != self.workspace.id or run.kind != THEME_RUN:
                raise StoreError(f"No theme run {run_id} in workspace {self.workspace.name!r}.")
            rows = list(
                session.scalars(
                    select(m.Theme)
                    .where(m.Theme.workspace_id == self.workspace.id, m.Theme.run_id == run_id)
                    .order_by(m.Theme.id)
                )
            )
            members: dict[int, list[int]] = defaultdict(list)
            query = (
                select(m.ThemeMember.theme_id, m.ThemeMember.item_id)
                .where(m.ThemeMember.theme_id.in_([r.id for r in rows]))
                .order_by(m.ThemeMember.item_id)
            )
            for theme_id, item_id in session.execute(query):
                members[theme_id].append(item_id)
            numbers = {r.id: r.number for r in rows}
            stored = [
                StoredTheme(
                    id=r.id,
                    run_id=r.run_id,
                    number=r.number,
                    parent_number=numbers.get(r.parent_id) if r.parent_id else None,
                    label=r.label,
                    keywords=list(r.keywords),
                    details=dict(r.details),
                    item_ids=tuple(members[r.id]),
                )
                for r in rows
            ]
        return sorted(
            stored, key=lambda t: (t.parent_number is not None, t.parent_number or 0, t.number)
        )

    # --- edits -----------------------------------------------------------------------
    def add_edit(self, edit: ThemeEdit) -> int:
        """Store an edit so later runs re-apply it; return its id."""
        with self._store.session() as session:
            row = ThemeEditRow(
                workspace_id=self.workspace.id,
                action=edit.action,
                payload=edit.to_json(),
                actor=edit.actor,
            )
            session.add(row)
            session.flush()
            session.add(
                m.AuditEntry(
                    workspace_id=self.workspace.id,
                    actor=edit.actor or "unknown",
                    action=f"theme.{edit.action}",
                    target_type="theme_edit",
                    target_id=str(row.id),
                    detail={"description": edit.describe()},
                )
            )
            return int(row.id)

    def rename(self, theme: StoredTheme, label: str, *, model_id: str = "", actor: str = "") -> int:
        """Rename a stored top-level theme now, and keep the edit for later runs.

        Args:
            theme: The theme as stored with its run.
            label: Its new label.
            model_id: The embedder of its run.
            actor: Who renamed it.

        Returns:
            The edit's id.

        Raises:
            StoreError: If ``theme`` is a sub-theme (edits apply to themes) or the label is empty.
        """
        label = label.strip()
        if theme.parent_number is not None:
            raise StoreError("Only themes can be renamed, not sub-themes.")
        if not label:
            raise StoreError("The new name is empty.")
        edit = ThemeEdit("rename", (theme.ref(),), label=label, model_id=model_id, actor=actor)
        edit_id = self.add_edit(edit)
        with self._store.session() as session:
            row = session.get(m.Theme, theme.id)
            if row is not None:
                row.label = label
                edited = list(dict.fromkeys([*(row.details or {}).get("edited", []), "renamed"]))
                row.details = {**(row.details or {}), "edited": edited}
        return edit_id

    def edits(self) -> list[ThemeEdit]:
        """The edits still in force, oldest first (the order they are re-applied in)."""
        query = (
            select(ThemeEditRow)
            .where(ThemeEditRow.workspace_id == self.workspace.id, ThemeEditRow.active.is_(True))
            .order_by(ThemeEditRow.id)
        )
        with self._store.session() as session:
            return [ThemeEdit.from_json(row.payload, id=row.id) for row in session.scalars(query)]

    def withdraw_edit(self, edit_id: int, *, actor: str = "") -> None:
        """Stop re-applying an edit (it stays on record).

        Raises:
            StoreError: If the edit is not in this workspace.
        """
        with self._store.session() as session:
            row = session.get(ThemeEditRow, edit_id)
            if row is None or row.workspace_id != self.workspace.id:
                raise StoreError(f"No theme edit {edit_id} in workspace {self.workspace.name!r}.")
            row.active = False
            session.add(
                m.AuditEntry(
                    workspace_id=self.workspace.id,
                    actor=actor or "unknown",
                    action="theme.withdraw",
                    target_type="theme_edit",
                    target_id=str(edit_id),
                )
            )

    # --- items -----------------------------------------------------------------------
    def item_ids_by_hash(self, hashes: Sequence[str]) -> dict[str, int]:
        """Item ids of this workspace by content hash (for rows just imported from a file)."""
        found: dict[str, int] = {}
        unique = list(dict.fromkeys(hashes))
        with self._store.session() as session:
            for start in range(0, len(unique), 500):
                chunk = unique[start : start + 500]
                query = select(m.Item.content_hash, m.Item.id).where(
                    m.Item.workspace_id == self.workspace.id, m.Item.content_hash.in_(chunk)
                )
                found.update({h: int(i) for h, i in session.execute(query)})
        return found
