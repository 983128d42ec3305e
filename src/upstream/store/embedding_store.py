"""A database-backed embedding cache, scoped to one workspace.

Implements :class:`upstream.embed.cache.EmbeddingCache`, so coding and theme
runs on the same evidence embed each text once per model, across sessions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import numpy.typing as npt
from sqlalchemy import BigInteger, cast, func, select
from sqlalchemy.dialects import postgresql, sqlite

from upstream.store import models as m
from upstream.store.repository import Workspace

# Bound parameters per query stay well under SQLite's limit.
_CHUNK = 500
# Items read per ranged query when fetching texts to embed.
_RANGE = 2000
# For id fingerprints: a prime multiplier and modulus that keep every term small.
_SCRAMBLE = 7919
_MODULUS = 65521


class StoreEmbeddingCache:
    """Vectors kept in the ``embedding_cache`` table of one workspace."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace

    def get_many(
        self, model_id: str, hashes: Sequence[str]
    ) -> Mapping[str, npt.NDArray[np.float32]]:
        """Return stored vectors for the hashes present (see ``EmbeddingCache``)."""
        found: dict[str, npt.NDArray[np.float32]] = {}
        unique = list(dict.fromkeys(hashes))
        with self.workspace.store.session() as session:
            for start in range(0, len(unique), _CHUNK):
                query = select(m.EmbeddingCache.text_hash, m.EmbeddingCache.vector).where(
                    m.EmbeddingCache.workspace_id == self.workspace.id,
                    m.EmbeddingCache.model_id == model_id,
                    m.EmbeddingCache.text_hash.in_(unique[start : start + _CHUNK]),
                )
                for text_hash, blob in session.execute(query):
                    found[text_hash] = np.frombuffer(blob, dtype=np.float32).copy()
        return found

    def all_vectors(self, model_id: str) -> dict[str, npt.NDArray[np.float32]]:
        """Every vector stored for a model, by text hash, read in one pass.

        Loading a whole index this way is several times quicker than asking
        for 100,000 hashes in chunks.
        """
        query = select(m.EmbeddingCache.text_hash, m.EmbeddingCache.vector).where(
            m.EmbeddingCache.workspace_id == self.workspace.id,
            m.EmbeddingCache.model_id == model_id,
        )
        with self.workspace.store.session() as session:
            rows = session.execute(query.execution_options(yield_per=5000))
            return {str(h): np.frombuffer(blob, dtype=np.float32) for h, blob in rows}

    def put_many(self, model_id: str, vectors: Mapping[str, npt.NDArray[np.float32]]) -> None:
        """Store vectors, keeping any already stored for the same hash."""
        if not vectors:
            return
        rows = [
            {
                "workspace_id": self.workspace.id,
                "model_id": model_id,
                "text_hash": text_hash,
                "vector": np.asarray(vector, dtype=np.float32).tobytes(),
            }
            for text_hash, vector in vectors.items()
        ]
        keys = ["workspace_id", "model_id", "text_hash"]
        statement = (
            postgresql.insert(m.EmbeddingCache).on_conflict_do_nothing(index_elements=keys)
            if self.workspace.store.dialect == "postgresql"
            else sqlite.insert(m.EmbeddingCache).on_conflict_do_nothing(index_elements=keys)
        )
        with self.workspace.store.session() as session:
            session.connection().execute(statement, rows)


def workspace_item_ids(workspace: Workspace, *, after: int = 0) -> list[int]:
    """Every item id of the workspace (above ``after``), ascending, whatever anyone may see.

    For building search indexes only; what a person sees is filtered later.
    Read without the ORM: 100,000 ids come back several times quicker.
    """
    query = select(m.Item.id).where(m.Item.workspace_id == workspace.id)
    if after:
        query = query.where(m.Item.id > after)
    with workspace.store.engine.connect() as connection:
        return [int(row[0]) for row in connection.execute(query.order_by(m.Item.id))]


def id_fingerprint(ids: Sequence[int] | npt.NDArray[np.int64]) -> tuple[int, int, int]:
    """Count, sum and a scrambled sum of ids: equal sets of ids give equal fingerprints.

    The same as :func:`workspace_id_fingerprint` computes in SQL; two different
    sets agree on all three only by a very unlikely accident.
    """
    values = np.asarray(ids, dtype=np.int64)
    scrambled = (values * _SCRAMBLE) % _MODULUS
    return (len(values), int(values.sum()), int(scrambled.sum()))


def workspace_id_fingerprint(workspace: Workspace, up_to: int) -> tuple[int, int, int]:
    """:func:`id_fingerprint` of the workspace's item ids up to ``up_to``, worked out in SQL."""
    wide = cast(m.Item.id, BigInteger)  # id * 7919 overflows PostgreSQL's integer past 271,000
    query = select(
        func.count(m.Item.id),
        func.coalesce(func.sum(wide), 0),
        func.coalesce(func.sum((wide * _SCRAMBLE) % _MODULUS), 0),
    ).where(m.Item.workspace_id == workspace.id, m.Item.id <= up_to)
    with workspace.store.engine.connect() as connection:
        count, total, scrambled = connection.execute(query).one()
    return (int(count), int(total), int(scrambled))


def workspace_item_texts(workspace: Workspace, item_ids: Sequence[int]) -> dict[int, str]:
    """The text of each of ``item_ids`` in the workspace, in ascending id order.

    Ids are read a range at a time (dense runs of ids cost one query each),
    which is far quicker than long ``IN`` lists when indexing a whole workspace.
    """
    wanted = sorted({int(i) for i in item_ids})
    found: dict[int, str] = {}
    with workspace.store.session() as session:
        for start in range(0, len(wanted), _RANGE):
            chunk = wanted[start : start + _RANGE]
            members = set(chunk)
            query = select(m.Item.id, m.Item.text).where(
                m.Item.workspace_id == workspace.id,
                m.Item.id >= chunk[0],
                m.Item.id <= chunk[-1],
            )
            for item_id, text in session.execute(query):
                if item_id in members:
                    found[int(item_id)] = str(text)
    return found
