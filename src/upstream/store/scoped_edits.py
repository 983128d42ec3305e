"""The few edits a person makes to evidence from the web app, within what they may see.

Sharing, deleting and submitting go through the same visibility rule as every
read (:meth:`ScopedEvidence.visible`): an item a person may not see cannot be
shared or deleted by them.
"""

from __future__ import annotations

import secrets
from datetime import date

from sqlalchemy import ColumnElement, delete, select, update

from upstream.records.drafts import ItemDraft
from upstream.store import models as m
from upstream.store.repository import Workspace

__all__ = ["ScopedEdits"]


class ScopedEdits:
    """Edits under a scope; mixed into :class:`~upstream.store.visibility.ScopedEvidence`."""

    workspace: Workspace

    def visible(self, *, by_id: bool = False) -> ColumnElement[bool]:
        """The SQL condition an item must meet to be seen (defined by the scope)."""
        raise NotImplementedError

    def set_shared(self, item_id: int, shared: bool, *, actor: str) -> bool:
        """Share a visible item with the workspace, or make it private; False if not visible."""
        with self.workspace.writer() as writer:
            done = writer.session.execute(
                update(m.Item)
                .where(self.visible(by_id=True), m.Item.id == item_id)
                .values(shared=shared)
            )
            if not getattr(done, "rowcount", 0):
                return False
            writer.audit(actor, "edit", "item", item_id, shared=shared)
        return True

    def delete_item(self, item_id: int, *, actor: str) -> bool:
        """Delete a visible item (and its codings); False if it is not visible."""
        with self.workspace.writer() as writer:
            done = writer.session.execute(
                delete(m.Item).where(self.visible(by_id=True), m.Item.id == item_id)
            )
            if not getattr(done, "rowcount", 0):
                return False
            writer.audit(actor, "delete", "item", item_id)
        return True

    def submit(
        self,
        *,
        email: str,
        organisation: str | None,
        text: str,
        item_date: date | None,
        question: str = "",
    ) -> int:
        """Store one contribution sent through the web form; return the new item's id.

        Each contributor has one source ("Submitted by EMAIL"); submissions stay
        private to their organisation until someone shares them.
        """
        draft = ItemDraft(
            text=text,
            line=0,
            external_id="form-" + secrets.token_hex(8),
            organisation=organisation,
            item_date=item_date,
            attributes={"question": question} if question else {},
        )
        with self.workspace.writer() as writer:
            session = writer.session
            source_id = session.scalar(
                select(m.Source.id).where(
                    m.Source.workspace_id == self.workspace.id,
                    m.Source.kind == "web form",
                    m.Source.imported_by == email,
                )
            )
            if source_id is None:
                source_id = writer.add_source(
                    f"Submitted by {email}", kind="web form", imported_by=email
                )
            writer.insert_items(source_id, [draft], shared=False)
            item_id = session.scalar(
                select(m.Item.id).where(
                    m.Item.workspace_id == self.workspace.id,
                    m.Item.content_hash == draft.content_hash,
                )
            )
            assert item_id is not None  # the external id makes every draft new
            session.execute(
                update(m.Source)
                .where(m.Source.id == source_id)
                .values(rows_read=m.Source.rows_read + 1, rows_imported=m.Source.rows_imported + 1)
            )
            writer.audit(email, "submit", "item", item_id)
        return int(item_id)
