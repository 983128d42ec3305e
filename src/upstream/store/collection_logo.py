"""The convener's logo for a story collection, kept beside the collection."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from upstream.store.collection_models import CollectionLogoRow, CollectionRow
from upstream.store.engine import StoreError
from upstream.store.repository import Workspace

__all__ = ["StoredLogo", "logo_of", "remove_logo", "save_logo"]


@dataclass(frozen=True, slots=True)
class StoredLogo:
    """A logo as the public form serves it: a PNG and its size in pixels."""

    png: bytes
    width: int
    height: int


def _check(workspace: Workspace, session: Session, collection_id: int) -> None:
    row = session.get(CollectionRow, collection_id)
    if row is None or row.workspace_id != workspace.id:
        raise StoreError(f"No story collection {collection_id} in this workspace.")


def save_logo(workspace: Workspace, collection_id: int, logo: StoredLogo, *, actor: str) -> None:
    """Store (or replace) a collection's logo.

    Raises:
        StoreError: There is no such collection in this workspace.
    """
    with workspace.writer() as writer:
        _check(workspace, writer.session, collection_id)
        row = writer.session.get(CollectionLogoRow, collection_id)
        if row is None:
            row = CollectionLogoRow(collection_id=collection_id)
            writer.session.add(row)
        row.png, row.width, row.height = logo.png, logo.width, logo.height
        row.uploaded_by, row.uploaded_at = actor, datetime.now(UTC)
        writer.audit(actor, "logo", "story_collection", collection_id, bytes=len(logo.png))


def remove_logo(workspace: Workspace, collection_id: int, *, actor: str) -> bool:
    """Take a collection's logo away; False when it had none.

    Raises:
        StoreError: There is no such collection in this workspace.
    """
    with workspace.writer() as writer:
        _check(workspace, writer.session, collection_id)
        row = writer.session.get(CollectionLogoRow, collection_id)
        if row is None:
            return False
        writer.session.delete(row)
        writer.audit(actor, "remove logo", "story_collection", collection_id)
        return True


def logo_of(workspace: Workspace, collection_id: int) -> StoredLogo | None:
    """A collection's logo, or None when it has none (or is not in this workspace)."""
    with workspace.store.session() as session:
        collection = session.get(CollectionRow, collection_id)
        if collection is None or collection.workspace_id != workspace.id:
            return None
        row = session.get(CollectionLogoRow, collection_id)
        return None if row is None else StoredLogo(row.png, row.width, row.height)
