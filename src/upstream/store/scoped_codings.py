"""What was coded, as one person may see it: code choices, coded items and codings.

Mixed into :class:`~upstream.store.visibility.ScopedEvidence`, so every query
here goes through the same visibility rule as every other read.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select

from upstream.records.stored import ItemRecord
from upstream.store import models as m
from upstream.store.code_filters import code_and_below
from upstream.store.repository import Workspace, _item_record

__all__ = ["ScopedCodings"]


class ScopedCodings:
    """Coding reads under a scope; mixed into :class:`~upstream.store.visibility.ScopedEvidence`."""

    workspace: Workspace

    def visible(self, *, by_id: bool = False) -> ColumnElement[bool]:
        """The SQL condition an item must meet to be seen (defined by the scope)."""
        raise NotImplementedError

    def _base(self) -> Select[m.Item, str]:
        raise NotImplementedError

    def code_choices(self) -> list[tuple[int, str]]:
        """Codes of the frameworks stored in the workspace, as (id, "Framework: code")."""
        query = (
            select(m.Code.id, m.Codebook.title, m.Code.title)
            .join(m.Codebook, m.Codebook.id == m.Code.codebook_id)
            .where(m.Codebook.workspace_id == self.workspace.id)
            .order_by(m.Codebook.title, m.Code.id)
        )
        with self.workspace.store.reading() as session:
            return [(int(i), f"{book}: {title}") for i, book, title in session.execute(query)]

    def code_family(self, code_id: int) -> tuple[str, frozenset[str]] | None:
        """A stored code's framework key and the keys of it and every code below it.

        Args:
            code_id: The code's id in this workspace.

        Returns:
            ``(codebook key, code keys)``, or None when the code is not this workspace's.
        """
        query = (
            select(m.Codebook.key, m.Code.key)
            .join(m.Codebook, m.Codebook.id == m.Code.codebook_id)
            .where(
                m.Codebook.workspace_id == self.workspace.id, m.Code.id.in_(code_and_below(code_id))
            )
        )
        with self.workspace.store.reading() as session:
            rows = session.execute(query).all()
        if not rows:
            return None
        return str(rows[0][0]), frozenset(str(key) for _, key in rows)

    def code_ids(self, codebook: str) -> dict[str, int]:
        """The ids of the codes of the newest stored copy of framework ``codebook``, by key."""
        newest = select(func.max(m.Codebook.id)).where(
            m.Codebook.workspace_id == self.workspace.id, m.Codebook.key == codebook
        )
        query = select(m.Code.key, m.Code.id).where(m.Code.codebook_id == newest.scalar_subquery())
        with self.workspace.store.reading() as session:
            return {str(key): int(i) for key, i in session.execute(query)}

    def _in_run(self, run_id: int, code: str = "") -> ColumnElement[bool]:
        coded = select(m.Coding.id).where(m.Coding.item_id == m.Item.id, m.Coding.run_id == run_id)
        if code:
            coded = coded.join(m.Code, m.Code.id == m.Coding.code_id).where(m.Code.key == code)
        return coded.exists()

    def _by_person(self, codebook_id: int, code: str) -> ColumnElement[bool]:
        return (
            select(m.Coding.id)
            .join(m.Code, m.Code.id == m.Coding.code_id)
            .where(
                m.Coding.item_id == m.Item.id,
                m.Coding.origin == m.Origin.HUMAN,
                m.Coding.status == m.CodingStatus.ACCEPTED,
                m.Code.codebook_id == codebook_id,
                m.Code.key == code,
            )
            .exists()
        )

    def coded_items(
        self,
        run_id: int,
        code: str = "",
        *,
        codebook_id: int | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> tuple[list[ItemRecord], int]:
        """A page of visible items the run coded (with ``code``, if given), newest first.

        Args:
            run_id: The coding run.
            code: Only items the run suggested this code for (any status) and,
                with ``codebook_id``, items a person gave it.
            codebook_id: The run's codebook, so a person's codes are listed too.
            limit: Items on the page.
            offset: Items before the page.

        Returns:
            The page and the number of such items.
        """
        condition = self._in_run(run_id, code)
        if code and codebook_id is not None:
            condition = or_(condition, self._by_person(codebook_id, code))
        counted = select(func.count(m.Item.id)).where(self.visible(), condition)
        query = (
            self._base()
            .where(self.visible(by_id=True), condition)
            .order_by(m.Item.id.desc())
            .limit(limit)
            .offset(offset)
        )
        with self.workspace.store.reading() as session:
            total = int(session.scalar(counted) or 0)
            return [_item_record(item, org) for item, org in session.execute(query).all()], total

    def best_guesses(self, run_id: int, code: str) -> int:
        """Visible items the run gave ``code`` only as a best guess that no one decided on."""
        guessed = (
            select(m.Coding.id)
            .join(m.Code, m.Code.id == m.Coding.code_id)
            .where(
                m.Coding.item_id == m.Item.id,
                m.Coding.run_id == run_id,
                m.Coding.status == m.CodingStatus.TENTATIVE,
                m.Code.key == code,
            )
            .exists()
        )
        query = select(func.count(m.Item.id)).where(self.visible(), guessed)
        with self.workspace.store.reading() as session:
            return int(session.scalar(query) or 0)

    def codings(self, item_id: int | None = None, limit: int = 500) -> list[dict[str, Any]]:
        """Codings of visible items (optionally of one item), with code and codebook names."""
        query = (
            select(m.Coding, m.Code.key, m.Code.title, m.Codebook.key, m.Codebook.title)
            .join(m.Code, m.Code.id == m.Coding.code_id)
            .join(m.Codebook, m.Codebook.id == m.Code.codebook_id)
            .join(m.Item, m.Item.id == m.Coding.item_id)
            .where(m.Coding.workspace_id == self.workspace.id, self.visible())
            .order_by(m.Coding.id)
            .limit(limit)
        )
        if item_id is not None:
            query = query.where(m.Coding.item_id == item_id)
        with self.workspace.store.reading() as session:
            return [
                {
                    "id": c.id,
                    "item_id": c.item_id,
                    "code": key,
                    "code_title": title,
                    "origin": c.origin.value,
                    "status": c.status.value,
                    "coder": c.coder,
                    "confidence": c.confidence,
                    "run_id": c.run_id,
                    "codebook": book_key,
                    "codebook_title": book_title,
                    # What a person did: only these words of the explanation, which
                    # may quote other items, leave here.
                    "decision": str(c.explanation.get("decision", "")),
                    "also": bool(c.explanation.get("also")),
                }
                for c, key, title, book_key, book_title in session.execute(query).all()
            ]
