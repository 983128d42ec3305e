"""Imports that create the same new workspace and organisation at the same moment."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from upstream.store import Store
from upstream.workflows.ingest import ImportOptions, import_file

WORKERS = 8


def test_concurrent_imports_into_one_new_workspace_all_land(db_url: str, tmp_path: Path) -> None:
    files = []
    for n in range(WORKERS):
        path = tmp_path / f"replies-{n}.csv"
        lines = [f"Reply {n}-{row}: the new youth hub opened late again." for row in range(20)]
        path.write_text("text\n" + "\n".join(lines) + "\n", encoding="utf-8")
        files.append(path)
    store = Store(db_url)
    start = threading.Barrier(WORKERS)

    def run(path: Path) -> int:
        start.wait()
        options = ImportOptions(workspace="Fresh pilots", organisation="Northmoor Council")
        return import_file(store, path, options).imported

    try:
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            imported = list(pool.map(run, files))
        workspace = store.workspace("Fresh pilots")
        assert imported == [20] * WORKERS
        assert workspace.item_count() == 20 * WORKERS
        assert [name for name, _count in workspace.organisations()] == ["Northmoor Council"]
        assert [w.name for w in store.workspaces()] == ["Fresh pilots"]
    finally:
        store.close()


def test_concurrent_get_or_create_of_a_workspace(db_url: str) -> None:
    store = Store(db_url)
    start = threading.Barrier(WORKERS)

    def run(_n: int) -> int:
        start.wait()
        return store.workspace("Made at once", create=True).id

    try:
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            ids = set(pool.map(run, range(WORKERS)))
        assert ids == {store.workspace("Made at once").id}
    finally:
        store.close()
