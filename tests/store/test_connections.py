"""PostgreSQL reads: no transaction, connections the server closed, and the word-search index."""

from __future__ import annotations

import threading
import time

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from upstream.records.drafts import ItemDraft
from upstream.store import Store
from upstream.store.account_models import EvidenceQuery, Scope
from upstream.store.engine import FRESH_SECONDS
from upstream.store.visibility import ScopedEvidence

pytestmark = pytest.mark.postgres


@pytest.fixture
def postgres_url(migrated_postgres_url: str) -> str:
    """A new, migrated database on the test PostgreSQL server."""
    return migrated_postgres_url


def _admin(url: str) -> psycopg.Connection[tuple[object, ...]]:
    parsed = make_url(url)
    return psycopg.connect(
        host=parsed.host, port=parsed.port, user=parsed.username, dbname="postgres",
        autocommit=True,
    )  # fmt: skip


def test_reads_open_no_transaction_and_see_committed_writes(postgres_url: str) -> None:
    with Store(postgres_url) as store:
        store.workspace("Reads", create=True)
        with store.reading() as session:
            assert session.execute(text("SELECT 1")).scalar() == 1
            connection = session.connection().connection.dbapi_connection
            assert connection is not None
            # psycopg's IDLE: the read sent no BEGIN, so there is no COMMIT to send either.
            assert connection.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        assert store.workspace("Reads").name == "Reads"


def test_a_connection_the_server_closed_is_replaced(postgres_url: str) -> None:
    with Store(postgres_url) as store:
        store.workspace("Kept", create=True)
        assert store.workspace("Kept").name == "Kept"  # a pooled connection now exists
        database = make_url(postgres_url).database
        with _admin(postgres_url) as admin:
            killed = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (database,),
            ).fetchone()
        assert killed is not None and killed[0] >= 1
        # Past the freshness window the pool checks the connection and opens a new one.
        time.sleep(FRESH_SECONDS + 0.2)
        assert store.workspace("Kept").name == "Kept"
        with store.session() as session:
            assert session.execute(text("SELECT 2")).scalar() == 2


def test_word_search_on_postgresql_can_use_the_trigram_index(postgres_url: str) -> None:
    with Store(postgres_url) as store:
        workspace = store.workspace("Words", create=True)
        texts = [f"Reply {n} about bins and buses." for n in range(300)]
        texts.append("Please paint a ZEBRA crossing by the school.")
        with workspace.writer() as writer:
            source = writer.add_source("replies.csv")
            drafts = [ItemDraft(text=t, line=n + 2) for n, t in enumerate(texts)]
            writer.insert_items(source, drafts)
        evidence = ScopedEvidence(workspace, Scope(see_all=True))
        assert evidence.count(EvidenceQuery(text="zebra")) == 1
        assert evidence.count(EvidenceQuery(text="BINS")) == 300
        with store.session() as session:
            session.execute(text("SET LOCAL enable_seqscan = off"))
            plan = "\n".join(
                str(row[0])
                for row in session.execute(
                    text("EXPLAIN SELECT count(*) FROM item WHERE text ILIKE '%zebra%'")
                )
            )
        assert "ix_item_text_trigrams" in plan


def test_a_burst_of_concurrent_reads_reuses_the_pooled_connections(postgres_url: str) -> None:
    # A web process with many requests in flight must not close and reopen a
    # connection per request: each new connection costs PostgreSQL a process.
    with Store(postgres_url) as store:
        store.workspace("Burst", create=True)
        barrier = threading.Barrier(12)
        seen: list[set[int]] = [set(), set()]

        def read(round_number: int) -> None:
            with store.reading() as session:
                pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
                seen[round_number].add(int(pid))
                barrier.wait(timeout=30)  # all twelve hold a connection at once

        for round_number in (0, 1):
            threads = [threading.Thread(target=read, args=(round_number,)) for _ in range(12)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        assert len(seen[0]) == 12
        assert seen[1] == seen[0]
