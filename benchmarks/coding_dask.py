"""Coding on Dask against coding in one process, on this machine.

Fits a zero-shot coder (drivers, barriers and enablers) once, then codes N
manifesto sentences (cycled from the shared data to reach N) in this process
and on a Dask ``LocalCluster`` of 1 and 2 worker processes (one thread each),
as ``upstream code --workers`` does. Reports wall time, items/s, the parallel
efficiency against one process, and whether the codes agree with the local
run (items whose codes differ).

    .venv/bin/python benchmarks/coding_dask.py [--items 20000] [--embedders hashing,default]
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

from _record import markdown_table, record

HERE = Path(__file__).resolve().parent
MANIFESTOS = HERE.parents[1] / "shared" / "data" / "manifesto"


def sentences(n: int) -> list[str]:
    texts: list[str] = []
    for path in sorted(MANIFESTOS.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                text = (row.get("text") or row.get("content") or "").strip()
                if text:
                    texts.append(text)
    return [texts[i % len(texts)] for i in range(n)]


def run(embedder: str, n: int) -> list[list[str]]:
    from upstream.coding.coder import make_coder
    from upstream.execution import DaskBackend, LocalBackend
    from upstream.frameworks import load_codebook
    from upstream.workflows.coding import predict

    texts = sentences(n)
    coder = make_coder(load_codebook("dbe"), embedder=embedder, threshold=0.2)
    coder.fit(texts[:2000], None)

    def quiet(_: str) -> None:
        return None

    rows: list[list[str]] = []
    started = time.perf_counter()
    local = predict(coder, texts, None, LocalBackend(), quiet)
    base = time.perf_counter() - started
    rows.append([embedder, "this process", f"{base:.1f} s", f"{n / base:,.0f}", "1.00", "0"])
    for workers in (1, 2):
        backend = DaskBackend(workers=workers)
        try:
            predict(coder, texts[:2000], None, backend, quiet)  # workers load the model
            started = time.perf_counter()
            there = predict(coder, texts, None, backend, quiet)
            seconds = time.perf_counter() - started
        finally:
            backend.close()
        differ = sum(
            1 for a, b in zip(local, there, strict=True) if (a.code, a.codes) != (b.code, b.codes)
        )
        rows.append(
            [
                embedder,
                f"Dask, {workers} worker process{'es' if workers > 1 else ''}",
                f"{seconds:.1f} s",
                f"{n / seconds:,.0f}",
                f"{base / seconds:.2f}",
                f"{differ:,}",
            ]
        )
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--embedders", default="hashing,default")
    args = parser.parse_args()
    rows: list[list[str]] = []
    for embedder in args.embedders.split(","):
        rows += run(embedder, args.items)
    table = markdown_table(
        ["model", "where", "wall time", "items/s", "speed-up", "items coded differently"], rows
    )
    print(table)
    record(
        f"Coding on Dask (`coding_dask.py`, {args.items:,} sentences)",
        table + "\n\nThe coder is fitted once in this process; each partition of 2,000 "
        "sentences is predicted where the backend runs it. Worker start-up and model "
        "loading are left out (one warm-up pass). On a 2-core machine Dask cannot be "
        "faster than one process, whose model already uses both cores; the cluster is "
        "for machines and clusters with more cores than one process can use. With the "
        "neural model, vectors computed in batches of another size differ in the last "
        "digits, which moves items that sit right at a threshold.",
    )


if __name__ == "__main__":
    main()
