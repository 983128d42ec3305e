"""The repository layer: every read and write goes through a workspace-scoped object.

:class:`Store` opens a database and hands out :class:`Workspace` objects. A
:class:`Workspace` filters every query by its own id, so code above this layer
cannot read across the tenancy boundary by accident.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Row, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from upstream.records.drafts import ItemDraft
from upstream.records.stored import AuditRecord, ItemRecord, SourceInfo, WorkspaceInfo
from upstream.store import models as m
from upstream.store.engine import StoreError, ensure_current, make_engine

_SQLITE_INSERT_ITEM = (
    "INSERT INTO item (workspace_id, source_id, organisation_id, external_id, line, text, "
    "author_role, item_date, attributes, engagement, shared, redacted, content_hash, "
    "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (workspace_id, content_hash) DO NOTHING"
)


def insert_if_absent(session: Session, model: Any, keys: Sequence[str], **values: Any) -> None:
    """Insert a row unless one with the same ``keys`` already exists, atomically.

    Two processes creating the same workspace or organisation at once would
    both find nothing and both insert; the second then failed on the unique
    constraint and lost everything it was doing. ``ON CONFLICT DO NOTHING``
    lets the database settle it (PostgreSQL waits for the first transaction;
    SQLite serialises writers), so the caller simply reads the row afterwards.

    Args:
        session: The session (and transaction) to insert in.
        model: The mapped class.
        keys: The columns of the unique constraint that decides "the same".
        **values: The new row's values (column defaults fill in the rest).
    """
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(model).values(**values).on_conflict_do_nothing(index_elements=list(keys))
    session.execute(statement)


def _workspace_row(session: Session, name: str, *, create: bool) -> m.Workspace | None:
    query = select(m.Workspace).where(m.Workspace.name == name)
    row = session.scalar(query)
    if row is None and create:
        insert_if_absent(session, m.Workspace, ["name"], name=name)
        row = session.scalar(query)
    return row


class Store:
    """An open evidence store (SQLite file or PostgreSQL database).

    Args:
        db: A SQLite file path, a ``sqlite:///`` URL or a ``postgresql+psycopg://`` URL.
        migrate: Create and migrate a SQLite file automatically when needed.
    """

    def __init__(self, db: str | Path, *, migrate: bool = True) -> None:
        self.engine: Engine = make_engine(db)
        ensure_current(self.engine, migrate_sqlite=migrate)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        # PostgreSQL reads need no transaction of their own (see :meth:`reading`); a
        # SQLite transaction costs nothing, so SQLite reads keep the plain session.
        reads = (
            self.engine.execution_options(isolation_level="AUTOCOMMIT")
            if self.engine.dialect.name == "postgresql"
            else self.engine
        )
        self._reads = sessionmaker(reads, expire_on_commit=False, autoflush=False)

    @property
    def dialect(self) -> str:
        """Name of the database dialect: ``sqlite`` or ``postgresql``."""
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """Yield a session inside one transaction, committed on success, rolled back on error."""
        with self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """Yield a session for reads that need no transaction: nothing is written through it.

        On PostgreSQL it runs each statement on its own (autocommit), which
        saves the BEGIN and COMMIT round trips a transaction costs; a page made
        of ten small reads then makes half the round trips. Each statement sees
        what was committed when it ran, as separate sessions did. Use
        :meth:`session` for anything that writes, needs several reads to agree
        with each other, or streams rows with a server-side cursor.
        """
        with self._reads() as session:
            yield session

    def close(self) -> None:
        """Release every database connection."""
        self.engine.dispose()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def workspace(self, name: str, *, create: bool = False) -> Workspace:
        """Return the workspace called ``name``.

        Args:
            name: Workspace name.
            create: Create it when it does not exist yet.

        Raises:
            StoreError: If it does not exist and ``create`` is false.
        """
        with self.session() if create else self.reading() as session:
            row = _workspace_row(session, name, create=create)
            if row is None:
                known = ", ".join(w.name for w in self.workspaces()) or "none yet"
                raise StoreError(f"No workspace called {name!r} (workspaces: {known}).")
            return Workspace(self, row.id, row.name)

    @contextmanager
    def writer(self, workspace: str, *, create: bool = True) -> Iterator[WorkspaceWriter]:
        """Yield a writer for ``workspace`` in one transaction that also creates it if new.

        Creating the workspace inside the same transaction means a failed import
        leaves no trace at all, not even an empty workspace.
        """
        with self.session() as session:
            row = _workspace_row(session, workspace, create=create)
            if row is None:
                raise StoreError(f"No workspace called {workspace!r}.")
            yield WorkspaceWriter(Workspace(self, row.id, row.name), session)

    def workspaces(self) -> list[WorkspaceInfo]:
        """List every workspace with counts of what it holds."""
        with self.session() as session:
            rows = session.scalars(select(m.Workspace).order_by(m.Workspace.name)).all()
            return [Workspace(self, w.id, w.name).info(session) for w in rows]


class Workspace:
    """Everything stored in one workspace, and nothing outside it."""

    def __init__(self, store: Store, workspace_id: int, name: str) -> None:
        self.store = store
        self.id = workspace_id
        self.name = name

    def __repr__(self) -> str:
        return f"Workspace(id={self.id}, name={self.name!r})"

    @contextmanager
    def writer(self) -> Iterator[WorkspaceWriter]:
        """Yield a writer whose changes are committed together or not at all."""
        with self.store.session() as session:
            yield WorkspaceWriter(self, session)

    def info(self, session: Session | None = None) -> WorkspaceInfo:
        """Counts of items, organisations and sources in this workspace."""
        if session is None:
            with self.store.session() as own:
                return self.info(own)

        def count(model: Any) -> int:
            query = select(func.count()).select_from(model).where(model.workspace_id == self.id)
            return int(session.scalar(query) or 0)

        return WorkspaceInfo(
            id=self.id,
            name=self.name,
            items=count(m.Item),
            organisations=count(m.Organisation),
            sources=count(m.Source),
        )

    def item_count(self) -> int:
        """Number of items in this workspace."""
        return self.info().items

    def organisations(self) -> list[tuple[str, int]]:
        """Each organisation's name and number of items, largest first."""
        query = (
            select(m.Organisation.name, func.count(m.Item.id))
            .join(m.Item, m.Item.organisation_id == m.Organisation.id, isouter=True)
            .where(m.Organisation.workspace_id == self.id)
            .group_by(m.Organisation.name)
            .order_by(func.count(m.Item.id).desc(), m.Organisation.name)
        )
        with self.store.session() as session:
            return [(name, int(n)) for name, n in session.execute(query).all()]

    def sources(self) -> list[SourceInfo]:
        """Every import into this workspace, oldest first."""
        query = select(m.Source).where(m.Source.workspace_id == self.id).order_by(m.Source.id)
        with self.store.reading() as session:
            return [_source_info(row) for row in session.scalars(query)]

    def items(
        self,
        *,
        organisation: str | None = None,
        source_id: int | None = None,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[ItemRecord]:
        """Items in this workspace, in the order they were stored.

        Args:
            organisation: Only items from this organisation.
            source_id: Only items from this import.
            limit: At most this many items.
            offset: Skip this many items first.
        """
        query = (
            select(*ITEM_COLUMNS, m.Organisation.name.label("organisation_name"))
            .join(m.Organisation, m.Item.organisation_id == m.Organisation.id, isouter=True)
            .where(m.Item.workspace_id == self.id)
            .order_by(m.Item.id)
            .offset(offset)
            .limit(limit)
        )
        if organisation is not None:
            query = query.where(m.Organisation.name == organisation)
        if source_id is not None:
            query = query.where(m.Item.source_id == source_id)
        with self.store.session() as session:
            rows = session.connection().execute(query).all()
            return [_item_record(row, row.organisation_name) for row in rows]

    def item(self, item_id: int) -> ItemRecord | None:
        """One item by id, or None when it is not in this workspace."""
        query = (
            select(m.Item, m.Organisation.name)
            .join(m.Organisation, m.Item.organisation_id == m.Organisation.id, isouter=True)
            .where(m.Item.workspace_id == self.id, m.Item.id == item_id)
        )
        with self.store.session() as session:
            row = session.execute(query).first()
            return None if row is None else _item_record(row[0], row[1])

    def item_ids_by_hash(self, hashes: Sequence[str]) -> dict[str, int]:
        """Map content hashes to the ids of the items stored with them."""
        found: dict[str, int] = {}
        unique = list(dict.fromkeys(hashes))
        with self.store.session() as session:
            for start in range(0, len(unique), 500):
                query = select(m.Item.content_hash, m.Item.id).where(
                    m.Item.workspace_id == self.id,
                    m.Item.content_hash.in_(unique[start : start + 500]),
                )
                found.update({h: i for h, i in session.execute(query)})
        return found

    def audit_log(self, limit: int = 100) -> list[AuditRecord]:
        """The most recent audit entries, newest first."""
        query = (
            select(m.AuditEntry)
            .where(m.AuditEntry.workspace_id == self.id)
            .order_by(m.AuditEntry.id.desc())
            .limit(limit)
        )
        with self.store.session() as session:
            return [
                AuditRecord(e.actor, e.action, e.target_type, e.target_id, e.detail, e.at)
                for e in session.scalars(query)
            ]


class WorkspaceWriter:
    """Writes to one workspace inside a single transaction (see :meth:`Workspace.writer`)."""

    def __init__(self, workspace: Workspace, session: Session) -> None:
        self.workspace = workspace
        self.session = session
        self._org_ids: dict[str, int] = {}

    def organisation_id(self, name: str, *, kind: str = "") -> int:
        """Return the id of organisation ``name``, creating it when new."""
        cached = self._org_ids.get(name)
        if cached is not None:
            return cached
        query = select(m.Organisation).where(
            m.Organisation.workspace_id == self.workspace.id, m.Organisation.name == name
        )
        row = self.session.scalar(query)
        if row is None:
            insert_if_absent(
                self.session,
                m.Organisation,
                ["workspace_id", "name"],
                workspace_id=self.workspace.id,
                name=name,
                kind=kind,
            )
            row = self.session.scalar(query)
            assert row is not None  # inserted just now, or by whoever got there first
        self._org_ids[name] = row.id
        return row.id

    def describe_organisation(
        self, name: str, *, kind: str = "", attributes: dict[str, Any] | None = None
    ) -> int:
        """Create or update an organisation's kind and attributes; return its id."""
        org_id = self.organisation_id(name)
        row = self.session.get(m.Organisation, org_id)
        assert row is not None  # just created or found above
        row.kind = kind or row.kind
        row.attributes = {**row.attributes, **(attributes or {})}
        return org_id

    def add_source(self, name: str, **fields: Any) -> int:
        """Record a new source and return its id."""
        row = m.Source(workspace_id=self.workspace.id, name=name, **fields)
        self.session.add(row)
        self.session.flush()
        return row.id

    def update_source(self, source_id: int, **fields: Any) -> None:
        """Set fields on a source of this workspace."""
        row = self.session.get(m.Source, source_id)
        if row is None or row.workspace_id != self.workspace.id:
            raise StoreError(f"No source {source_id} in workspace {self.workspace.name!r}.")
        for key, value in fields.items():
            setattr(row, key, value)

    def item_count(self, source_id: int | None = None) -> int:
        """Items in this workspace (or of one source) as seen inside this transaction.

        Count one source's items to learn how many an import stored: the whole
        workspace's count also grows with other imports committed meanwhile.
        """
        query = (
            select(func.count()).select_from(m.Item).where(m.Item.workspace_id == self.workspace.id)
        )
        if source_id is not None:
            query = query.where(m.Item.source_id == source_id)
        return int(self.session.scalar(query) or 0)

    def insert_items(
        self, source_id: int, drafts: Sequence[ItemDraft], *, shared: bool = True
    ) -> None:
        """Insert items, silently skipping any whose content hash is already stored.

        Callers learn how many were new by comparing :meth:`item_count` before and after.
        """
        if not drafts:
            return
        if self.workspace.store.dialect == "sqlite":
            self._insert_items_sqlite(source_id, drafts, shared)
            return
        self._copy_items_postgres(source_id, drafts, shared)

    def _copy_items_postgres(
        self, source_id: int, drafts: Sequence[ItemDraft], shared: bool
    ) -> None:
        """COPY the batch into a staging table, then move the new rows into ``item``.

        COPY cannot skip rows that conflict, so the rows land first in a
        temporary table of this connection and one INSERT ... SELECT moves them
        across, skipping content already stored. All of it is inside the
        writer's transaction: a failed import leaves nothing behind.
        """
        now = datetime.now(UTC)
        # Looked up before COPY starts: the connection runs nothing else during a COPY.
        organisations = [self._org_or_none(d.organisation) for d in drafts]
        driver = self.session.connection().connection.driver_connection
        assert driver is not None  # an open transaction has a connection
        with driver.cursor() as cursor:
            cursor.execute(_PG_STAGING)
            with cursor.copy(f"COPY item_load ({_PG_ITEM_COLUMNS}) FROM STDIN") as copy:
                for d, organisation in zip(drafts, organisations, strict=True):
                    copy.write_row(
                        (
                            self.workspace.id,
                            source_id,
                            organisation,
                            d.external_id,
                            d.line,
                            d.text,
                            d.author_role,
                            d.item_date,
                            json.dumps(d.attributes),
                            json.dumps(d.engagement),
                            shared,
                            bool(d.redactions),
                            d.content_hash,
                            now,
                        )
                    )
            cursor.execute(
                f"INSERT INTO item ({_PG_ITEM_COLUMNS}) SELECT {_PG_ITEM_COLUMNS} FROM item_load "
                "ORDER BY seq ON CONFLICT (workspace_id, content_hash) DO NOTHING"
            )
            cursor.execute("TRUNCATE item_load")

    def _org_or_none(self, name: str | None) -> int | None:
        return self.organisation_id(name) if name else None

    def _insert_items_sqlite(
        self, source_id: int, drafts: Sequence[ItemDraft], shared: bool
    ) -> None:
        """The same insert straight through the driver, for million-row imports.

        SQLAlchemy's per-row parameter processing was most of an import's time.
        Values are written in exactly the forms SQLAlchemy's SQLite types use
        (ISO dates, its datetime format, JSON text, 0/1), so reads are unchanged.
        """
        now = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        rows = [
            (
                self.workspace.id,
                source_id,
                self._org_or_none(d.organisation),
                d.external_id,
                d.line,
                d.text,
                d.author_role,
                d.item_date.isoformat() if d.item_date else None,
                json.dumps(d.attributes),
                json.dumps(d.engagement),
                int(shared),
                int(bool(d.redactions)),
                d.content_hash,
                now,
            )
            for d in drafts
        ]
        self.session.connection().exec_driver_sql(_SQLITE_INSERT_ITEM, rows)

    def audit(
        self, actor: str, action: str, target_type: str, target_id: str | int = "", **detail: Any
    ) -> None:
        """Append an entry to the audit log."""
        self.session.add(
            m.AuditEntry(
                workspace_id=self.workspace.id,
                actor=actor,
                action=action,
                target_type=target_type,
                target_id=str(target_id),
                detail=detail,
            )
        )


_PG_ITEM_COLUMNS = (
    "workspace_id, source_id, organisation_id, external_id, line, text, author_role, "
    "item_date, attributes, engagement, shared, redacted, content_hash, created_at"
)
# One staging table per connection, emptied after every batch; ``seq`` keeps the
# file's order, so ids rise in reading order as with a plain insert.
_PG_STAGING = (
    "CREATE TEMPORARY TABLE IF NOT EXISTS item_load ("
    "seq bigserial, workspace_id integer, source_id integer, organisation_id integer, "
    "external_id varchar(300), line integer, text text, author_role varchar(200), "
    "item_date date, attributes jsonb, engagement jsonb, shared boolean, redacted boolean, "
    "content_hash varchar(64), created_at timestamptz)"
)


def _source_info(row: m.Source) -> SourceInfo:
    return SourceInfo(
        id=row.id,
        name=row.name,
        kind=row.kind,
        path=row.path,
        file_sha256=row.file_sha256,
        detected=row.detected,
        options=row.options,
        rows_read=row.rows_read,
        rows_imported=row.rows_imported,
        rows_duplicate=row.rows_duplicate,
        rows_rejected=row.rows_rejected,
        redactions=row.redactions,
        imported_by=row.imported_by,
        created_at=row.created_at,
    )


# Reading these columns rather than whole ``Item`` objects skips the ORM's
# identity map: about three times quicker when a report reads 100,000 items.
ITEM_COLUMNS = (
    m.Item.id,
    m.Item.text,
    m.Item.source_id,
    m.Item.external_id,
    m.Item.line,
    m.Item.author_role,
    m.Item.item_date,
    m.Item.attributes,
    m.Item.engagement,
    m.Item.shared,
    m.Item.redacted,
)


def _item_record(item: m.Item | Row[Any], organisation: str | None) -> ItemRecord:
    """An item's plain record, from an ``Item`` or a row of :data:`ITEM_COLUMNS`."""
    return ItemRecord(
        id=item.id,
        text=item.text,
        source_id=item.source_id,
        organisation=organisation,
        external_id=item.external_id,
        line=item.line,
        author_role=item.author_role,
        item_date=item.item_date,
        attributes=item.attributes,
        engagement=item.engagement,
        shared=item.shared,
        redacted=item.redacted,
    )


__all__ = ["Store", "Workspace", "WorkspaceWriter"]
