"""Stored codebooks keep GUIDs, colours, codable flags and sets; imported codings keep coders."""

from __future__ import annotations

from dataclasses import replace

import pytest
from alembic import command
from sqlalchemy import text

from upstream.frameworks import Code, Codebook, CodeSet, load_codebook
from upstream.records.drafts import ItemDraft
from upstream.store import Store, StoreError
from upstream.store.coding_repository import CodingStore
from upstream.store.engine import alembic_config, make_engine
from upstream.store.exchange_repository import ExchangeStore, HumanCoding

BOOK = Codebook(
    "tool",
    "From a tool",
    "",
    "1",
    (
        Code(
            "barriers",
            "Barriers",
            "  as written  ",
            guid="A182CD3A-D83C-4D8C-BC80-26D9103EC6D6",
            color="#ff0000",
            codable=False,
        ),
        Code("money", "Money", "", parent="barriers", guid="2D2466F0-D77F-4F8C-BDF9-628966B6B74D"),
        Code("enablers", "Enablers", "Help"),
    ),
    sets=(CodeSet("5B1B4C1E-0D8C-4B8B-9C4E-6A4C1A2B3C4D", "Group", ("money", "enablers"), "d"),),
)


def test_codebook_round_trips_through_the_store(db_url: str) -> None:
    store = Store(db_url)
    ws = store.workspace("W", create=True)
    codebook_id = CodingStore(ws).save_codebook(BOOK)
    exchange = ExchangeStore(ws)
    assert exchange.codebook(codebook_id) == BOOK
    assert exchange.guid_keys("tool") == {
        "A182CD3A-D83C-4D8C-BC80-26D9103EC6D6": "barriers",
        "2D2466F0-D77F-4F8C-BDF9-628966B6B74D": "money",
    }
    builtin = load_codebook("dbe")
    assert exchange.codebook(CodingStore(ws).save_codebook(builtin)) == replace(builtin, source="")
    store.close()


def test_human_codings_keep_their_coders(db_url: str) -> None:
    store = Store(db_url)
    ws = store.workspace("W", create=True)
    with ws.writer() as writer:
        source = writer.add_source("notes.csv")
        writer.insert_items(source, [ItemDraft(text=t, line=2) for t in ("one", "two")])
    first, second = (item.id for item in ws.items())
    codebook_id = CodingStore(ws).save_codebook(BOOK)
    exchange = ExchangeStore(ws)
    rows = [HumanCoding(first, "money", "Ana"), HumanCoding(second, "enablers", "Ben")]
    assert exchange.add_human_codings(codebook_id, rows, actor="test") == 2
    assert exchange.add_human_codings(codebook_id, rows, actor="test") == 0  # no doubles
    assert exchange.human_codings(codebook_id) == rows
    with pytest.raises(StoreError, match="not in the codebook"):
        exchange.add_human_codings(codebook_id, [HumanCoding(first, "nope", "Ana")], actor="t")
    store.close()


def test_migration_keeps_existing_codes_codable(db_url: str) -> None:
    engine = make_engine(db_url)
    config = alembic_config(engine)
    if engine.dialect.name == "sqlite":
        command.upgrade(config, "0011")  # a new file, made as version 0011 made it
    else:
        command.downgrade(config, "0011")  # the test server's database is at head
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO workspace (name, description, created_at) "
                "VALUES ('W', '', CURRENT_TIMESTAMP)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO codebook (workspace_id, key, title, description, version, "
                "created_at) SELECT id, 'k', 'K', '', '1', CURRENT_TIMESTAMP FROM workspace"
            )
        )
        connection.execute(
            text(
                "INSERT INTO code (codebook_id, key, title, definition, include, exclude, "
                "examples) SELECT id, 'a', 'A', '', '', '', '[]' FROM codebook"
            )
        )
    command.upgrade(config, "head")
    with engine.connect() as connection:
        row = connection.execute(text("SELECT codable, guid, color FROM code")).one()
        sets = connection.execute(text("SELECT sets FROM codebook")).scalar_one()
    assert (bool(row[0]), row[1], row[2], sets) == (True, None, None, None)
    engine.dispose()
