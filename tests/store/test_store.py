"""The evidence store on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from upstream.records.drafts import ItemDraft
from upstream.store import Store, StoreError, database_url
from upstream.store.engine import current_revision, head_revision, make_engine


def _draft(text_: str, line: int = 1, org: str | None = "Northmoor Council") -> ItemDraft:
    return ItemDraft(text=text_, line=line, organisation=org, item_date=date(2025, 3, 1))


def test_new_sqlite_file_is_created_and_migrated(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "new.db"
    store = Store(path)
    assert path.exists()
    assert current_revision(store.engine) == head_revision()
    with store.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    store.close()


def test_schema_has_every_table(db_url: str) -> None:
    with Store(db_url) as store:
        tables = set(inspect(store.engine).get_table_names())
    assert {
        "workspace",
        "organisation",
        "user_account",
        "membership",
        "source",
        "item",
        "codebook",
        "code",
        "coding",
        "theme",
        "theme_member",
        "run",
        "audit_log",
    } <= tables


def test_items_round_trip_and_duplicates_are_skipped(db_url: str) -> None:
    with Store(db_url) as store:
        ws = store.workspace("Network", create=True)
        with ws.writer() as writer:
            source = writer.add_source("replies.csv", kind="consultation")
            writer.insert_items(source, [_draft("We need more youth clubs", 2)])
            before = writer.item_count()
            writer.insert_items(
                source,
                [_draft("We need more youth clubs", 2), _draft("Fix the pavements", 3)],
            )
            assert writer.item_count() - before == 1
            writer.audit("tester", "import", "source", source, rows=2)
        items = ws.items()
        assert [i.text for i in items] == ["We need more youth clubs", "Fix the pavements"]
        assert items[0].organisation == "Northmoor Council"
        assert items[0].item_date == date(2025, 3, 1)
        assert ws.item(items[1].id) == items[1]
        assert ws.organisations() == [("Northmoor Council", 2)]
        assert ws.audit_log()[0].action == "import"


def test_queries_never_cross_workspaces(db_url: str) -> None:
    with Store(db_url) as store:
        first = store.workspace("First", create=True)
        second = store.workspace("Second", create=True)
        with first.writer() as writer:
            source = writer.add_source("a.csv")
            writer.insert_items(source, [_draft("Private to the first workspace")])
        hidden = first.items()[0]
        assert second.items() == []
        assert second.item(hidden.id) is None
        assert second.organisations() == []
        # The same text may live in two workspaces: hashes are unique per workspace.
        with second.writer() as writer:
            source = writer.add_source("b.csv")
            writer.insert_items(source, [_draft("Private to the first workspace")])
        assert second.item_count() == 1


def test_failed_write_leaves_the_store_unchanged(db_url: str) -> None:
    with Store(db_url) as store:
        ws = store.workspace("Network", create=True)
        with pytest.raises(RuntimeError), ws.writer() as writer:
            source = writer.add_source("a.csv")
            writer.insert_items(source, [_draft("This must not survive")])
            raise RuntimeError("import failed half way")
        assert ws.item_count() == 0
        assert ws.sources() == []


def test_unknown_workspace_is_a_clear_error(db_url: str) -> None:
    with Store(db_url) as store:
        store.workspace("Known", create=True)
        with pytest.raises(StoreError, match=r"No workspace called 'Missing'.*Known"):
            store.workspace("Missing")


@pytest.mark.postgres
def test_unmigrated_postgres_asks_for_upgrade(empty_postgres_url: str) -> None:
    with pytest.raises(StoreError, match="upstream db upgrade"):
        Store(empty_postgres_url)
    engine = make_engine(empty_postgres_url)
    assert current_revision(engine) is None
    engine.dispose()


def test_database_urls() -> None:
    assert database_url("x.db").startswith("sqlite:////")
    assert database_url("postgresql://u@h/d") == "postgresql+psycopg://u@h/d"
    with pytest.raises(StoreError, match="Unsupported database"):
        database_url("mysql://u@h/d")
