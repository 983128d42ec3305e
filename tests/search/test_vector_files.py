"""The machine's vector files: what a restarted or second process maps instead of loading vectors.

Each test opens the database again with a new ``Store``, which is what a new
web process does: it shares nothing in memory with the first.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from upstream.records.drafts import ItemDraft
from upstream.store import Store
from upstream.store.account_models import Scope
from upstream.store.embedding_store import (
    StoreEmbeddingCache,
    id_fingerprint,
    workspace_id_fingerprint,
    workspace_item_ids,
)
from upstream.store.vector_files import read_vectors, vector_path
from upstream.store.visibility import ScopedEvidence
from upstream.workflows import search_index
from upstream.workflows.search import SemanticSearch, search_embedder

MODEL = "hashing"
TEXTS = [
    "The waiting list for a GP appointment is far too long.",
    "Procurement rules slow down every pilot we try.",
    "Our budget gap is four million pounds this year.",
    "Residents co-designed the new youth hub with us.",
    "Volunteers rang isolated residents every week.",
]


@pytest.fixture
def db(db_url: str) -> Iterator[str]:
    store = Store(db_url)
    workspace = store.workspace("Vectors", create=True)
    _add(store, TEXTS)
    assert len(workspace.items()) == len(TEXTS)
    store.close()
    yield db_url


def _add(store: Store, texts: list[str]) -> None:
    with store.workspace("Vectors").writer() as writer:
        source = writer.add_source(f"notes-{len(texts)}-{texts[0][:8]}.csv")
        drafts = [ItemDraft(text=text, line=n + 2) for n, text in enumerate(texts)]
        writer.insert_items(source, drafts, shared=True)


def _search(store: Store) -> SemanticSearch:
    return SemanticSearch(ScopedEvidence(store.workspace("Vectors"), Scope(see_all=True)), MODEL)


def _path(store: Store) -> Path:
    return vector_path(store.workspace("Vectors"), search_embedder(MODEL).model_id)


def _ranking(store: Store, query: str) -> list[tuple[str, float]]:
    page = _search(store).search(query, limit=20)
    pairs = zip(page.items, page.scores, strict=True)
    return [(item.text, round(score, 5)) for item, score in pairs]


def test_a_new_process_maps_the_file_and_ranks_exactly_as_the_first(db: str) -> None:
    with Store(db) as first:
        assert _search(first).build() == len(TEXTS)
        before = _ranking(first, "people wait too long to see a doctor")
        path = _path(first)
    mapped = read_vectors(path)
    assert mapped is not None and mapped.rows == len(TEXTS)
    assert list(mapped.ids) == sorted(mapped.ids)
    with Store(db) as second:
        search = _search(second)
        assert search.status().complete
        assert _ranking(second, "people wait too long to see a doctor") == before
        # Mapped, not loaded: the rows are read from the file.
        snapshot = search._index.snapshot()
        assert snapshot.base is not None and isinstance(snapshot.base.vectors, np.memmap)
        assert snapshot.extra is None


def test_without_a_file_the_vectors_come_from_the_database_and_the_file_is_written(
    db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store(db) as first:
        _search(first).build()
        before = _ranking(first, "residents helped design it")
        path = _path(first)
    path.unlink()
    monkeypatch.setattr(search_index, "_BULK", 0)  # read every stored vector in one pass
    with Store(db) as second:
        assert _ranking(second, "residents helped design it") == before
        assert _search(second).build() == 0  # nothing was embedded again
    mapped = read_vectors(path)
    assert mapped is not None and mapped.rows == len(TEXTS)


def test_new_and_deleted_items_are_seen_by_a_process_that_mapped_an_older_file(db: str) -> None:
    with Store(db) as first:
        _search(first).build()
    with Store(db) as second:
        reader = _search(second)
        assert reader.status().indexed == len(TEXTS)
        # Another process adds an item, embeds it (into the database) and deletes one.
        with Store(db) as writer_store:
            _add(writer_store, ["A brand new note about potholes on the high street."])
            writer = _search(writer_store)
            assert writer.build() == 1
            items = writer_store.workspace("Vectors").items()
            budget = next(i for i in items if "budget" in i.text)
            everyone = ScopedEvidence(writer_store.workspace("Vectors"), Scope(see_all=True))
            assert everyone.delete_item(budget.id, actor="test")
        page = reader.search("potholes in the road", limit=10)
        assert page.items[0].text.startswith("A brand new note")
        assert all("budget" not in item.text for item in page.items)
        assert page.total == len(TEXTS) and page.status.complete


def test_two_processes_writing_keep_each_others_rows(db: str) -> None:
    with Store(db) as one, Store(db) as two:
        first, second = _search(one), _search(two)
        first.status()
        second.status()  # both synced before anything was written
        workspace = one.workspace("Vectors")
        ids = sorted(item.id for item in workspace.items())
        vectors = search_embedder(MODEL).embed(TEXTS)
        by_id = dict(zip(sorted(ids), vectors, strict=True))
        left, right = ids[:2], ids[2:]
        first._index.add(np.array(left), np.stack([by_id[i] for i in left]), flush=False)
        second._index.add(np.array(right), np.stack([by_id[i] for i in right]), flush=False)
        first._index.flush()
        second._index.flush()
        mapped = read_vectors(_path(one))
        assert mapped is not None and sorted(mapped.ids.tolist()) == ids
        for item_id, row in zip(mapped.ids, mapped.vectors, strict=True):
            assert np.array_equal(row, by_id[int(item_id)])


def test_a_damaged_file_is_ignored_and_rebuilt(db: str) -> None:
    with Store(db) as first:
        _search(first).build()
        before = _ranking(first, "budget")
        path = _path(first)
    path.write_bytes(path.read_bytes()[:100])
    assert read_vectors(path) is None
    with Store(db) as second:
        assert _ranking(second, "budget") == before
    mapped = read_vectors(path)
    assert mapped is not None and mapped.rows == len(TEXTS)


def test_vectors_stay_in_the_database_for_every_item(db: str) -> None:
    with Store(db) as store:
        _search(store).build()
        workspace = store.workspace("Vectors")
        stored = StoreEmbeddingCache(workspace).all_vectors(search_embedder(MODEL).model_id)
        assert len(stored) == len(TEXTS)


def test_a_database_made_anew_at_the_same_address_gets_its_own_file(tmp_path: Path) -> None:
    db = tmp_path / "again.db"
    with Store(db) as store:
        store.workspace("Vectors", create=True)
        _add(store, TEXTS)
        _search(store).build()
        old = _path(store)
    db.unlink()
    with Store(db) as store:
        store.workspace("Vectors", create=True)
        _add(store, list(reversed(TEXTS)))
        assert _path(store) != old
        assert _search(store).status().indexed == 0  # nothing of the old database's is used


def test_the_database_and_numpy_agree_on_a_fingerprint_of_ids(db: str) -> None:
    with Store(db) as store:
        workspace = store.workspace("Vectors")
        ids = workspace_item_ids(workspace)
        assert workspace_id_fingerprint(workspace, ids[-1]) == id_fingerprint(ids)
        assert workspace_id_fingerprint(workspace, ids[1]) == id_fingerprint(ids[:2])
        assert id_fingerprint([3_000_000_000]) == (1, 3_000_000_000, 3_000_000_000 * 7919 % 65521)
