"""The vectors meaning search ranks: a shared memory-mapped file plus this process's newest rows.

Each workspace's vectors under one model are read from the machine's vector file
(:mod:`upstream.store.vector_files`), which every process maps and none loads.
Items added since the file was written are looked up in the database's
embedding cache and kept here as a small extra block; when that block grows,
or mapped rows belong to deleted items, the file is rewritten (under a
lock, so processes take turns) and mapped again. Search scores are one
matrix-vector product over the mapped rows and one over the extra block.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from upstream.embed import text_hash
from upstream.store.embedding_store import (
    StoreEmbeddingCache,
    id_fingerprint,
    workspace_id_fingerprint,
    workspace_item_ids,
    workspace_item_texts,
)
from upstream.store.repository import Workspace
from upstream.store.vector_files import (
    VectorFile,
    file_identity,
    read_vectors,
    vector_path,
    vectors_locked,
    write_vectors,
)

__all__ = ["VectorIndex", "VectorSnapshot"]

IdArray = npt.NDArray[np.int64]
Matrix = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]
Scores = npt.NDArray[np.float32]

# Above this many unknown items, read every stored vector at once rather than by hash.
_BULK = 5000
# The extra block is written into the file once it holds this many rows, or this
# share of the file's rows, whichever is more (rewriting is a full copy).
_FLUSH_ROWS = 2000
_FLUSH_SHARE = 0.05
# Rows of deleted items are dropped from the file at once: SQLite may give a new
# item the id of the newest deleted one, and the old row must not stand for it.

_EMPTY_IDS: IdArray = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class VectorSnapshot:
    """A consistent view of an index: ids, and how to score a query against them.

    Attributes:
        ids: Item ids, in the order :meth:`scores` returns scores.
        generation: Changes whenever ``ids`` do (a cache key for masks over them).
    """

    ids: IdArray
    generation: int
    base: VectorFile | None
    alive: BoolArray | None
    extra: Matrix | None

    def scores(self, query: npt.NDArray[np.float32]) -> Scores:
        """Cosine similarity of each row to a unit-length ``query``, aligned with ``ids``."""
        parts: list[Scores] = []
        if self.base is not None:
            found = np.asarray(self.base.vectors @ query, dtype=np.float32)
            parts.append(found if self.alive is None else found[self.alive])
        if self.extra is not None and len(self.extra):
            parts.append(np.asarray(self.extra @ query, dtype=np.float32))
        if not parts:
            return np.zeros(0, dtype=np.float32)
        return parts[0] if len(parts) == 1 else np.concatenate(parts)


@dataclass
class VectorIndex:
    """The vectors of one workspace under one model, as this process sees them.

    Args:
        workspace: The workspace.
        model_id: The embedder's model id (the vectors' key in the database).
    """

    workspace: Workspace
    model_id: str
    path: Path = field(init=False)
    workspace_ids: IdArray = field(default_factory=lambda: _EMPTY_IDS)
    version: tuple[int, ...] | None = None
    _base: VectorFile | None = None
    _alive: BoolArray | None = None
    _extra_ids: IdArray = field(default_factory=lambda: _EMPTY_IDS)
    _extra: Matrix | None = None
    _snapshot: VectorSnapshot | None = None
    _generation: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.path = vector_path(self.workspace, self.model_id)

    # Reading -----------------------------------------------------------------------

    def snapshot(self) -> VectorSnapshot:
        """The ids and vectors as they are now (kept consistent while the index changes)."""
        with self.lock:
            if self._snapshot is None:
                self._snapshot = self._make_snapshot()
            return self._snapshot

    def _make_snapshot(self) -> VectorSnapshot:
        parts = []
        if self._base is not None:
            base_ids = self._base.ids
            parts.append(np.asarray(base_ids if self._alive is None else base_ids[self._alive]))
        parts.append(self._extra_ids)
        ids = np.concatenate(parts) if len(parts) > 1 else parts[0]
        return VectorSnapshot(
            np.asarray(ids, dtype=np.int64), self._generation, self._base, self._alive, self._extra
        )

    def _changed(self) -> None:
        self._generation += 1
        self._snapshot = None

    # Keeping up with the database ----------------------------------------------------

    def sync(self, version: tuple[int, ...]) -> None:
        """Bring the index up to date with the workspace at data ``version``.

        Maps the machine's vector file (again, if another process rewrote it),
        leaves out deleted items, and looks up the vectors of items the file
        lacks in the database; items with no vector yet stay out of the index.
        """
        if self.version == version and self._base_current():
            return
        with self.lock:
            if not self._base_current():
                self._map(read_vectors(self.path))
        current = self._current_ids()
        with self.lock:
            self._keep_only(current)
            known = self._known_ids()
        unknown = np.setdiff1d(current, known, assume_unique=True)
        if len(unknown):
            ids, vectors = self._stored_vectors(unknown)
            self.add(ids, vectors, flush=False)
        self.workspace_ids = current
        self.version = version
        if self._needs_rewrite():
            self.flush()

    def _current_ids(self) -> IdArray:
        """Every item id of the workspace now, ascending.

        When the items up to the file's newest id are exactly the file's (their
        fingerprints agree: nothing deleted, nothing missing), only the ids after
        it are read: two small queries instead of reading 100,000 ids.
        """
        base = self._base
        if base is not None and not len(self._extra_ids):
            newest = int(base.ids[-1])
            if base.fingerprint is None:
                base.fingerprint = id_fingerprint(np.asarray(base.ids))
            if workspace_id_fingerprint(self.workspace, newest) == base.fingerprint:
                newer = np.array(workspace_item_ids(self.workspace, after=newest), dtype=np.int64)
                return np.concatenate([np.asarray(base.ids), newer])
        return np.array(workspace_item_ids(self.workspace), dtype=np.int64)

    def _base_current(self) -> bool:
        identity = file_identity(self.path)
        held = self._base.identity if self._base is not None else None
        return identity == held

    def _map(self, base: VectorFile | None) -> None:
        """Use ``base`` as the mapped rows; drop extra rows it already holds."""
        self._base = base
        self._alive = None
        if base is not None and len(self._extra_ids):
            keep = ~np.isin(self._extra_ids, base.ids, assume_unique=True)
            if not keep.all():
                self._extra_ids = self._extra_ids[keep]
                self._extra = self._extra[keep] if self._extra is not None else None
        self._changed()

    def _keep_only(self, current: IdArray) -> None:
        """Leave out rows of items no longer in the workspace."""
        if self._base is not None:
            alive = np.isin(self._base.ids, current, assume_unique=True)
            alive_or_none = None if alive.all() else alive
            if not _same_mask(alive_or_none, self._alive):
                self._alive = alive_or_none
                self._changed()
        if len(self._extra_ids):
            keep = np.isin(self._extra_ids, current, assume_unique=True)
            if not keep.all():
                self._extra_ids = self._extra_ids[keep]
                self._extra = self._extra[keep] if self._extra is not None else None
                self._changed()

    def _known_ids(self) -> IdArray:
        base = self._base.ids if self._base is not None else _EMPTY_IDS
        return np.union1d(np.asarray(base), self._extra_ids)

    def _stored_vectors(self, item_ids: IdArray) -> tuple[IdArray, Matrix]:
        """The database's vectors for these items, where it has them."""
        texts = workspace_item_texts(self.workspace, item_ids.tolist())
        hashes = {item_id: text_hash(text) for item_id, text in texts.items()}
        cache = StoreEmbeddingCache(self.workspace)
        found = (
            cache.all_vectors(self.model_id)
            if len(item_ids) > _BULK
            else cache.get_many(self.model_id, list(hashes.values()))
        )
        ready = [i for i in hashes if hashes[i] in found]
        if not ready:
            return _EMPTY_IDS, np.zeros((0, 0), dtype=np.float32)
        vectors = np.stack([found[hashes[i]] for i in ready]).astype(np.float32)
        return np.array(ready, dtype=np.int64), vectors

    # Changing ----------------------------------------------------------------------------

    def add(self, ids: IdArray, vectors: Matrix, *, flush: bool = True) -> None:
        """Add (or replace) rows; searches see them at once.

        Args:
            ids: Item ids.
            vectors: One row per id.
            flush: Write the file when the extra block has grown large enough.
        """
        if not len(ids):
            return
        with self.lock:
            old = self._extra if self._extra is not None else vectors[:0]
            keep = ~np.isin(self._extra_ids, ids)
            self._extra_ids = np.concatenate([self._extra_ids[keep], ids])
            self._extra = np.ascontiguousarray(np.concatenate([old[keep], vectors]))
            if self._base is not None:
                replaced = np.isin(self._base.ids, ids, assume_unique=True)
                if replaced.any():
                    alive = self._alive if self._alive is not None else ~replaced
                    self._alive = alive & ~replaced
            self._changed()
        if flush and self._needs_rewrite():
            self.flush()

    def _needs_rewrite(self) -> bool:
        base_rows = self._base.rows if self._base is not None else 0
        extra = len(self._extra_ids)
        if extra and (not base_rows or extra >= max(_FLUSH_ROWS, _FLUSH_SHARE * base_rows)):
            return True
        return self._alive is not None and bool(base_rows)

    def flush(self) -> None:
        """Write every row this process holds into the machine's vector file, and map it.

        Another process may have rewritten the file meanwhile: its rows are kept,
        and ours are laid over them.
        """
        with vectors_locked(self.path), self.lock:
            if not self._base_current():
                self._map(read_vectors(self.path))
                self._keep_only(self.workspace_ids)
            if not len(self._extra_ids) and self._alive is None:
                return
            parts_ids: list[IdArray] = []
            parts: list[Matrix] = []
            if self._base is not None:
                alive = self._alive
                parts_ids.append(
                    np.asarray(self._base.ids if alive is None else self._base.ids[alive])
                )
                parts.append(
                    np.asarray(self._base.vectors if alive is None else self._base.vectors[alive])
                )
            if self._extra is not None and len(self._extra_ids):
                parts_ids.append(self._extra_ids)
                parts.append(self._extra)
            ids = np.concatenate(parts_ids) if parts_ids else _EMPTY_IDS
            vectors = np.concatenate(parts) if parts else np.zeros((0, 0), dtype=np.float32)
            written = write_vectors(self.path, ids, vectors)
            self._base, self._alive = written, None
            self._extra_ids, self._extra = _EMPTY_IDS, None
            self._changed()


def _same_mask(left: BoolArray | None, right: BoolArray | None) -> bool:
    if left is None or right is None:
        return left is right
    return left.shape == right.shape and bool(np.array_equal(left, right))
