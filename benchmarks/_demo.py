"""The demo's store for benchmarks that judge what its pages show."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from upstream.demo.run import run_demo
from upstream.store import Store
from upstream.store.repository import Workspace


@contextmanager
def demo_workspace(embedder: str, keep: Path | None) -> Iterator[Workspace]:
    """The demo's workspace, built as ``upstream demo`` builds it (or reused from ``keep``)."""
    with tempfile.TemporaryDirectory() as folder:
        path = keep or Path(folder) / "demo.db"
        with Store(path) as store:
            if not store.workspaces():
                run_demo(store, embedder=embedder)
            yield store.workspace(max(store.workspaces(), key=lambda w: w.items).name)
