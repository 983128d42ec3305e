"""The first meaning search in a new process, at 100,000 items, with and without the vector file.

A web process that has just started knows nothing: its first meaning search
must find the workspace's vectors. This starts a fresh Python process per
measurement (so nothing is kept in memory between them), opens the store and
times the first search, as an owner (every item) and as an analyst (one
council's view, so the visibility filter is worked out too):

* "vectors read from the database": the vector file is deleted first, so the
  process reads every vector back from the embedding cache and matches it to
  its item by text hash (what every restart did before the vector file); it
  writes the file as it goes;
* "vector file mapped": the file is there (what every restart does now).

Loading the text model is timed on its own: a server loads it once, at its
first search, whatever the index.

Builds the workspace when it is missing: 100,000 varied manifesto sentences
(as ``web_load.py`` makes them), indexed with the ``hashing`` embedder (512
numbers per item; the default model has 384, so its file is smaller).

Usage: .venv/bin/python benchmarks/search_restart.py [--db PATH_OR_URL] [--items 100000]
       [--postgres /tmp/upstream-web-load/pg]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _record import record
from web_load import WORKSPACE, KeptPostgres, built_already, cpu_model

MODEL = "hashing"
QUERIES = ["people wait too long to see a doctor", "rents are too high for families"]
TARGET_S = 1.0

PROBE = """
import json, sys, time
began = time.perf_counter()
from upstream.store import Store
from upstream.store.accounts import Scope
from upstream.store.visibility import ScopedEvidence
from upstream.workflows.search import SemanticSearch, search_embedder
db, workspace_name, model, query, scope_name = sys.argv[1:6]
imported = time.perf_counter()
search_embedder(model).embed(["warm up"])
model_loaded = time.perf_counter()
store = Store(db)
workspace = store.workspace(workspace_name)
if scope_name == "owner":
    scope = Scope(see_all=True)
else:
    with workspace.writer() as writer:
        scope = Scope(organisation_id=writer.organisation_id(scope_name))
opened = time.perf_counter()
cpu = time.process_time()
page = SemanticSearch(ScopedEvidence(workspace, scope), model).search(query, limit=50)
answered = time.perf_counter()
cpu = time.process_time() - cpu
print(json.dumps({
    "cpu_s": cpu,
    "model_s": model_loaded - imported,
    "open_s": opened - model_loaded,
    "search_s": answered - opened,
    "items": len(page.items),
    "total": page.total,
}))
"""


def build(db: str, items: int) -> float:
    """Import ``items`` varied sentences into ``db`` and index them; return seconds taken."""
    import csv
    import random

    from web_load import COUNCILS, SETTINGS, sentences

    from upstream.store import Store
    from upstream.store.accounts import Scope
    from upstream.store.engine import make_engine, upgrade
    from upstream.store.visibility import ScopedEvidence
    from upstream.workflows.ingest import ImportOptions, import_file
    from upstream.workflows.search import SemanticSearch

    began = time.perf_counter()
    texts, rng = sentences(), random.Random(3)
    csv_path = Path(f"/tmp/search-restart-{items}.csv")
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "organisation", "text"])
        for n in range(items):
            text = f"{texts[n % len(texts)]} (said {rng.choice(SETTINGS)}, note {n})"
            writer.writerow([n, COUNCILS[n % len(COUNCILS)], text])
    if "://" in db:
        engine = make_engine(db)
        upgrade(engine)
        engine.dispose()
    with Store(db) as store:
        options = ImportOptions(
            workspace=WORKSPACE, org_column="organisation", id_column="id", text_column="text"
        )
        import_file(store, csv_path, options)
        everyone = ScopedEvidence(store.workspace(WORKSPACE), Scope(see_all=True))
        SemanticSearch(everyone, MODEL).build()
    csv_path.unlink(missing_ok=True)
    return time.perf_counter() - began


def vector_file(db: str) -> Path:
    """Where the workspace's vector file is."""
    from upstream.store import Store
    from upstream.store.vector_files import vector_path
    from upstream.workflows.search import search_embedder

    with Store(db) as store:
        return vector_path(store.workspace(WORKSPACE), search_embedder(MODEL).model_id)


def probe(db: str, query: str, scope: str) -> dict[str, float]:
    """Time one first search in a new process."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, db, WORKSPACE, MODEL, query, scope],
        check=True,
        capture_output=True,
        text=True,
    )
    found: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def main() -> None:
    """Measure, print, and record in docs/benchmarks.md."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", default="/tmp/upstream-search-restart/items.db")
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--postgres", type=Path, help="use a PostgreSQL server kept here")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    postgres = KeptPostgres(args.postgres) if args.postgres else None
    db = postgres.start() if postgres else args.db
    if "://" not in db:
        Path(db).parent.mkdir(parents=True, exist_ok=True)
    try:
        built = None if built_already(db) else build(db, args.items)
        path = vector_file(db)
        rows: list[list[str]] = []
        for scope in ("owner", "Council 01"):
            cold: list[dict[str, float]] = []
            warm: list[dict[str, float]] = []
            for n in range(args.repeat):
                path.unlink(missing_ok=True)
                cold.append(probe(db, QUERIES[n % 2], scope))
                warm.append(probe(db, QUERIES[(n + 1) % 2], scope))
            for label, runs in (
                ("vectors read from the database", cold),
                ("vector file mapped", warm),
            ):
                search = statistics.median(r["search_s"] for r in runs)
                rows.append(
                    [
                        "owner (every item)" if scope == "owner" else "analyst (one council)",
                        label,
                        f"{search:.2f} s",
                        f"{max(r['search_s'] for r in runs):.2f} s",
                        f"{statistics.median(r['cpu_s'] for r in runs):.2f} s",
                        f"{statistics.median(r['model_s'] for r in runs):.2f} s",
                        f"{int(runs[0]['total']):,}",
                        "yes" if search < TARGET_S else "no",
                    ]
                )
    finally:
        if postgres:
            postgres.stop()
    kind = "PostgreSQL" if "://" in db else "SQLite"
    headers = [
        "who searches",
        "how vectors are found",
        "first search (median)",
        "slowest",
        "CPU time of the search",
        "model load",
        "items ranked",
        f"< {TARGET_S:g} s",
    ]
    table = "| " + " | ".join(headers) + " |\n|" + "---|" * len(headers) + "\n"
    table += "\n".join("| " + " | ".join(row) + " |" for row in rows)
    size = path.stat().st_size / 1e6 if path.exists() else 0
    body = (
        f"{cpu_model()}; {kind} workspace of {args.items:,} items indexed with the `{MODEL}` "
        f"embedder (vector file {size:.0f} MB). Each figure is a new Python process that opens "
        f"the store and answers its first meaning search (top 50), median of {args.repeat}; "
        "the text model's load is shown apart (a server pays it once). CPU time is what the "
        "searching process itself used: on a machine shared with other busy jobs it is "
        "closer than the wall time to what the search costs on an idle one. The page "
        "cache was not emptied between runs, so a mapped file was read from memory, as on a "
        f"server restarted with the file already written. Target: under {TARGET_S:g} s.\n\n" + table
    )
    if built is not None:
        body += f"\n\nBuilding the workspace (import and index) took {built:.0f} s."
    print(body)
    if not args.no_record:
        record(f"First meaning search after a restart, {kind} (`search_restart.py`)", body)


if __name__ == "__main__":
    main()
