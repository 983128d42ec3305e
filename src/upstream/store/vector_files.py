"""Item vectors of one workspace in a memory-mapped file, shared by every process on a machine.

The database keeps every vector (the ``embedding_cache`` table), so nothing is
ever embedded twice. Reading 100,000 of them back and matching them to items
takes seconds, though, so each machine also keeps one file per (workspace,
model) laid out for :class:`numpy.memmap`: a fixed header, the item ids
(int64, ascending) and then the vectors (float32, one row per id). Opening it
costs milliseconds; every web process maps the same file, so the operating
system's page cache holds the matrix once however many processes there are.

The file is only a copy: it may be deleted at any time and is rebuilt from the
database. A writer takes an exclusive lock on a lock file beside it, writes a
new file and renames it over the old one, so nobody ever maps half a file; a
process that mapped the old one keeps reading that consistent copy until it
looks again (see :func:`file_identity`). See ADR 0008.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import struct
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from platformdirs import user_cache_path
from sqlalchemy import select

from upstream.settings import read_setting
from upstream.store import models as m
from upstream.store.repository import Workspace

__all__ = [
    "VectorFile",
    "file_identity",
    "read_vectors",
    "vector_folder",
    "vector_path",
    "vectors_locked",
    "write_vectors",
]

IdArray = npt.NDArray[np.int64]
Matrix = npt.NDArray[np.float32]
FileIdentity = tuple[int, int, int]

_MAGIC = b"UPVEC001"
_HEADER = struct.Struct("<8sqq")  # magic, rows, dimensions
_HEADER_SIZE = 64  # room to grow; keeps the ids 8-byte aligned


@dataclass
class VectorFile:
    """One mapped vector file.

    Attributes:
        ids: Item ids, ascending (read-only, mapped).
        vectors: One float32 row per id (read-only, mapped).
        identity: The file it was read from, as :func:`file_identity` gives it.
        fingerprint: What the caller worked out from ``ids`` once, if anything.
    """

    ids: IdArray
    vectors: Matrix
    identity: FileIdentity
    fingerprint: tuple[int, int, int] | None = None

    @property
    def rows(self) -> int:
        """How many vectors the file holds."""
        return len(self.ids)


def vector_folder() -> Path:
    """Where vector files are kept: ``$UPSTREAM_VECTOR_DIR``, else the user's cache folder."""
    chosen = read_setting("vector_dir")
    return Path(chosen) if chosen else user_cache_path("upstream") / "vectors"


def _workspace_key(workspace: Workspace) -> str:
    """A name for the workspace that changes when the database or workspace is made anew.

    The database's address (without a password) names the database; the
    workspace's creation time tells a recreated database with the same address
    apart, so a file is never mistaken for another database's vectors.
    """
    store = workspace.store
    address = store.engine.url.render_as_string(hide_password=True)
    with store.session() as session:
        created = session.scalar(
            select(m.Workspace.created_at).where(m.Workspace.id == workspace.id)
        )
    raw = f"{address}\n{workspace.id}\n{created.isoformat() if created else ''}"
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:24]


def vector_path(workspace: Workspace, model_id: str) -> Path:
    """The vector file of one workspace under one model (it may not exist yet)."""
    model = hashlib.sha256(model_id.encode("utf-8")).hexdigest()[:16]
    return vector_folder() / _workspace_key(workspace) / f"{model}.vectors"


def file_identity(path: Path) -> FileIdentity | None:
    """What tells one version of a file from the next (None when there is no file).

    Writers always rename a new file into place, so a new inode means new contents.
    """
    try:
        found = path.stat()
    except FileNotFoundError:
        return None
    return (found.st_ino, found.st_mtime_ns, found.st_size)


def read_vectors(path: Path) -> VectorFile | None:
    """Map a vector file read-only; None if it is missing, empty or damaged."""
    try:
        with path.open("rb") as handle:
            identity = os.fstat(handle.fileno())
            head = handle.read(_HEADER.size)
    except FileNotFoundError:
        return None
    if len(head) < _HEADER.size:
        return None
    magic, rows, dims = _HEADER.unpack(head)
    expected = _HEADER_SIZE + rows * 8 + rows * dims * 4
    if magic != _MAGIC or rows < 1 or dims < 1 or identity.st_size != expected:
        return None
    ids = np.memmap(path, dtype=np.int64, mode="r", offset=_HEADER_SIZE, shape=(rows,))
    vectors = np.memmap(
        path, dtype=np.float32, mode="r", offset=_HEADER_SIZE + rows * 8, shape=(rows, dims)
    )
    key = (identity.st_ino, identity.st_mtime_ns, identity.st_size)
    return VectorFile(ids, vectors, key)


def write_vectors(path: Path, ids: IdArray, vectors: Matrix) -> VectorFile | None:
    """Replace the file with these rows (sorted by id here), then map it.

    Call while holding :func:`vectors_locked`. Writing to a temporary file and
    renaming it means readers see the old file or the new one, never a mixture.

    Returns:
        The new file, mapped; None when there are no rows (the file is removed).
    """
    if not len(ids):
        path.unlink(missing_ok=True)
        return None
    order = np.argsort(ids, kind="stable")
    sorted_ids = np.ascontiguousarray(ids[order], dtype=np.int64)
    matrix = np.ascontiguousarray(np.asarray(vectors, dtype=np.float32)[order])
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".writing-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(_HEADER.pack(_MAGIC, len(sorted_ids), matrix.shape[1]))
            out.write(b"\0" * (_HEADER_SIZE - _HEADER.size))
            out.write(sorted_ids.tobytes())
            out.write(matrix.tobytes())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return read_vectors(path)


@contextmanager
def vectors_locked(path: Path) -> Iterator[None]:
    """Hold the exclusive lock that writers of ``path`` take (across processes)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.with_suffix(".lock").open("a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)
