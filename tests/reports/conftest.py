"""A coded demo network, shared by the report tests (coding it takes a few seconds)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from upstream.demo import load_demo
from upstream.frameworks import load_codebook
from upstream.store import Store
from upstream.workflows.coding import code_workspace

# The fast "hashing" embedder is weak zero-shot, so a low threshold gives the
# report plenty of codes to count (the figures, not the coder, are under test).
THRESHOLD = 0.05


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A SQLite store with the demo network coded against NOM and DBE."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with Store(path) as store:
        workspace = load_demo(store).workspace
        for key in ("dbe", "nom"):  # NOM last: the newest framework run
            code_workspace(
                store, workspace, load_codebook(key), embedder="hashing", threshold=THRESHOLD
            )
    return path, workspace


@pytest.fixture
def demo(demo_db: tuple[Path, str], tmp_path: Path) -> Iterator[tuple[Store, str]]:
    """A private copy of the coded demo store, free to change."""
    source, workspace = demo_db
    copy = tmp_path / "demo.db"
    shutil.copy(source, copy)
    with Store(copy) as store:
        yield store, workspace
