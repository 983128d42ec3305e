"""Learning products of one workspace: their text, tags and uploaded files.

Products are visible to everyone in the workspace (they are written to be
shared); who may add or tag them is decided by the web layer. Every change is
written to the audit log in the same transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, delete, or_, select
from sqlalchemy.orm import Session

from upstream.store import models as m
from upstream.store.engine import StoreError
from upstream.store.repository import Workspace
from upstream.store.workgroup_models import (
    LearningProductFileRow,
    LearningProductRow,
    ProductTagRow,
)

__all__ = ["LibraryStore", "ProductFile", "ProductRecord", "TagRecord"]


@dataclass(frozen=True, slots=True)
class TagRecord:
    """A code or theme a product is about.

    Attributes:
        kind: ``code`` or ``theme``.
        value: The code id, or the theme's label.
        codebook: The code's codebook key ("" for a theme).
        title: What to show.
        confirmed: Whether a person confirmed it (else the machine suggested it).
        score: How strongly the text suggested it (0 for tags a person added).
    """

    kind: str
    value: str
    codebook: str = ""
    title: str = ""
    confirmed: bool = False
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class ProductFile:
    """An uploaded file."""

    filename: str
    media_type: str
    content: bytes

    @property
    def size(self) -> int:
        """Its size in bytes."""
        return len(self.content)


@dataclass(frozen=True, slots=True)
class ProductRecord:
    """A learning product (its file's bytes are read separately)."""

    id: int
    title: str
    kind: str
    summary: str
    body: str
    organisation: str
    created_by: str
    created_at: datetime
    tags: tuple[TagRecord, ...]
    filename: str = ""
    file_size: int = 0

    @property
    def confirmed_tags(self) -> list[TagRecord]:
        """Tags a person confirmed."""
        return [tag for tag in self.tags if tag.confirmed]

    @property
    def suggested_tags(self) -> list[TagRecord]:
        """Tags the machine suggested that nobody has confirmed yet."""
        return [tag for tag in self.tags if not tag.confirmed]


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class LibraryStore:
    """The learning products of one workspace."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._store = workspace.store

    def add(
        self,
        *,
        title: str,
        kind: str,
        summary: str,
        body: str,
        organisation: str = "",
        tags: Sequence[TagRecord] = (),
        file: ProductFile | None = None,
        actor: str,
    ) -> int:
        """Store a product with its suggested tags and file; return its id."""
        with self._store.session() as session:
            row = LearningProductRow(
                workspace_id=self.workspace.id,
                title=title,
                kind=kind,
                summary=summary,
                body=body,
                organisation=organisation,
                created_by=actor,
            )
            session.add(row)
            session.flush()
            if file is not None:
                session.add(
                    LearningProductFileRow(
                        product_id=row.id,
                        filename=file.filename,
                        media_type=file.media_type,
                        size=file.size,
                        sha256=hashlib.sha256(file.content).hexdigest(),
                        content=file.content,
                    )
                )
            _write_tags(session, row.id, tags)
            session.add(
                _audit(self.workspace, actor, "library.add", row.id, title=title, kind=kind)
            )
            return row.id

    def set_tags(self, product_id: int, tags: Sequence[TagRecord], *, actor: str) -> None:
        """Replace a product's tags with ``tags`` (a person's confirmed choice)."""
        with self._store.session() as session:
            self._product_row(session, product_id)
            session.execute(delete(ProductTagRow).where(ProductTagRow.product_id == product_id))
            session.flush()
            _write_tags(session, product_id, tags)
            session.add(
                _audit(
                    self.workspace,
                    actor,
                    "library.tags",
                    product_id,
                    tags=[f"{t.kind}:{t.codebook}:{t.value}" for t in tags],
                )
            )

    def _product_row(self, session: Session, product_id: int) -> LearningProductRow:
        row = session.get(LearningProductRow, product_id)
        if row is None or row.workspace_id != self.workspace.id:
            raise StoreError(f"No learning product {product_id} in this workspace.")
        return row

    def products(
        self,
        *,
        words: str = "",
        codes: Sequence[str] = (),
        confirmed_only: bool = True,
        limit: int = 200,
    ) -> list[ProductRecord]:
        """Products, newest first, optionally those with every word or tagged with a code.

        Args:
            words: Each word must appear in the title, summary or text.
            codes: Only products tagged with one of these code ids (or theme labels).
            confirmed_only: With ``codes``, count only tags a person confirmed.
            limit: At most this many.
        """
        query = select(LearningProductRow).where(
            LearningProductRow.workspace_id == self.workspace.id
        )
        for word in words.split()[:20]:
            pattern = _like(word[:100])
            query = query.where(
                or_(
                    LearningProductRow.title.ilike(pattern, escape="\\"),
                    LearningProductRow.summary.ilike(pattern, escape="\\"),
                    LearningProductRow.body.ilike(pattern, escape="\\"),
                )
            )
        if codes:
            tagged = select(ProductTagRow.product_id).where(ProductTagRow.value.in_(list(codes)))
            if confirmed_only:
                tagged = tagged.where(ProductTagRow.confirmed.is_(True))
            query = query.where(LearningProductRow.id.in_(tagged))
        query = query.order_by(LearningProductRow.id.desc()).limit(limit)
        with self._store.session() as session:
            rows = list(session.scalars(query))
            return _records(session, rows)

    def product(self, product_id: int) -> ProductRecord | None:
        """One product, or None when it is not in this workspace."""
        with self._store.session() as session:
            row = session.get(LearningProductRow, product_id)
            if row is None or row.workspace_id != self.workspace.id:
                return None
            return _records(session, [row])[0]

    def file(self, product_id: int) -> ProductFile | None:
        """A product's uploaded file, or None when it has none (or is not in this workspace)."""
        query = (
            select(LearningProductFileRow)
            .join(LearningProductRow, LearningProductRow.id == LearningProductFileRow.product_id)
            .where(
                and_(
                    LearningProductRow.workspace_id == self.workspace.id,
                    LearningProductFileRow.product_id == product_id,
                )
            )
        )
        with self._store.session() as session:
            row = session.scalar(query)
            return None if row is None else ProductFile(row.filename, row.media_type, row.content)

    def delete(self, product_id: int, *, actor: str) -> None:
        """Remove a product, its tags and its file."""
        with self._store.session() as session:
            row = self._product_row(session, product_id)
            session.execute(delete(ProductTagRow).where(ProductTagRow.product_id == product_id))
            session.execute(
                delete(LearningProductFileRow).where(
                    LearningProductFileRow.product_id == product_id
                )
            )
            session.delete(row)
            session.add(
                _audit(self.workspace, actor, "library.delete", product_id, title=row.title)
            )


def _write_tags(session: Session, product_id: int, tags: Sequence[TagRecord]) -> None:
    seen: set[tuple[str, str]] = set()
    for tag in tags:
        if (tag.kind, tag.value) in seen:
            continue
        seen.add((tag.kind, tag.value))
        session.add(
            ProductTagRow(
                product_id=product_id,
                kind=tag.kind,
                value=tag.value[:300],
                codebook=tag.codebook,
                title=(tag.title or tag.value)[:300],
                confirmed=tag.confirmed,
                score=tag.score,
            )
        )


def _records(session: Session, rows: list[LearningProductRow]) -> list[ProductRecord]:
    ids = [row.id for row in rows]
    tags: dict[int, list[TagRecord]] = {i: [] for i in ids}
    files: dict[int, tuple[str, int]] = {}
    if ids:
        query = (
            select(ProductTagRow)
            .where(ProductTagRow.product_id.in_(ids))
            .order_by(ProductTagRow.confirmed.desc(), ProductTagRow.score.desc(), ProductTagRow.id)
        )
        for tag in session.scalars(query):
            tags[tag.product_id].append(
                TagRecord(tag.kind, tag.value, tag.codebook, tag.title, tag.confirmed, tag.score)
            )
        file_query = select(
            LearningProductFileRow.product_id,
            LearningProductFileRow.filename,
            LearningProductFileRow.size,
        ).where(LearningProductFileRow.product_id.in_(ids))
        files = {int(i): (str(n), int(s)) for i, n, s in session.execute(file_query)}
    return [
        ProductRecord(
            id=row.id,
            title=row.title,
            kind=row.kind,
            summary=row.summary,
            body=row.body,
            organisation=row.organisation,
            created_by=row.created_by,
            created_at=row.created_at,
            tags=tuple(tags[row.id]),
            filename=files.get(row.id, ("", 0))[0],
            file_size=files.get(row.id, ("", 0))[1],
        )
        for row in rows
    ]


def _audit(
    workspace: Workspace, actor: str, action: str, product_id: int, **detail: object
) -> m.AuditEntry:
    return m.AuditEntry(
        workspace_id=workspace.id,
        actor=actor,
        action=action,
        target_type="learning_product",
        target_id=str(product_id),
        detail=detail,
    )
