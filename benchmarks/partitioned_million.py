"""A million items from partitioned Parquet: coding and theme assignment, here and on Dask.

Builds N items (real manifesto sentences from the shared data, lightly varied:
a lead-in, a place, a closing phrase, chosen by a seeded generator) stored as
partitioned Parquet (``part=NN/items.parquet``, 50,000 rows per file). Then,
each in a fresh process so peak memory is its own, runs what ``upstream code
DIR --format parquet`` and ``upstream themes DIR --format parquet`` run:

* coding against *drivers, barriers and enablers* (zero-shot, fitted on a
  sample of up to 100,000 rows), and
* themes found in a sample of 20,000 rows, then every row assigned,

in this process and on a Dask ``LocalCluster`` of 1, 2 (and 4) worker
processes, one thread each. Reports wall time end to end (reading, sampling,
fitting, predicting, writing), items/s, peak resident memory of the process
that started the run and of the largest worker, and the parallel efficiency
against this process.

    nice .venv/bin/python benchmarks/partitioned_million.py --items 1000000 \
        --embedder hashing --workers 1,2 [--no-record]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _record import markdown_table, record

HERE = Path(__file__).resolve().parent
MANIFESTOS = HERE.parents[1] / "shared" / "data" / "manifesto"
PER_FILE = 50_000
LEADS = ["", "", "", "We believe ", "Residents told us: ", "In short, ", "Above all, "]
PLACES = ["", "", "", " in Northmoor", " across the county", " in our towns", " in rural areas"]
ENDS = ["", "", ".", " this year.", " for everyone.", " without delay.", " (page 12)."]


def manifesto_sentences() -> list[str]:
    texts: list[str] = []
    for path in sorted(MANIFESTOS.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                text = (row.get("text") or row.get("content") or "").strip()
                if text:
                    texts.append(text)
    return texts


def build(folder: Path, items: int, seed: int = 17) -> None:
    """Write ``items`` lightly varied manifesto sentences as partitioned Parquet."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    texts = manifesto_sentences()
    draw = random.Random(seed)
    for part, start in enumerate(range(0, items, PER_FILE)):
        rows = range(start, min(items, start + PER_FILE))
        varied = []
        for _ in rows:
            text = texts[draw.randrange(len(texts))].rstrip(".")
            varied.append(
                draw.choice(LEADS) + text + draw.choice(PLACES) + (draw.choice(ENDS) or ".")
            )
        where = folder / f"part={part:03d}"
        where.mkdir(parents=True, exist_ok=True)
        pq.write_table(
            pa.table({"ref": [f"M{i}" for i in rows], "text": varied}), where / "items.parquet"
        )


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(task: str, embedder: str, workers: int, corpus: Path, out: Path) -> dict[str, float]:
    from upstream.execution import DaskBackend, LocalBackend
    from upstream.frameworks import load_codebook
    from upstream.workflows.partitioned_coding import code_partitioned
    from upstream.workflows.partitioned_themes import theme_partitioned
    from upstream.workflows.themes import ThemeSettings

    backend = DaskBackend(workers=workers) if workers else LocalBackend()
    cpu_before = _cpu_seconds()
    workers_before = sum(backend.on_workers(_cpu_seconds).values()) if workers else 0.0
    started = time.perf_counter()
    try:
        if task == "code":
            counts = code_partitioned(
                corpus, load_codebook("dbe"), out, fmt="parquet", embedder=embedder, backend=backend
            )
        else:
            counts = theme_partitioned(
                corpus, out, ThemeSettings(embedder=embedder), fmt="parquet", backend=backend
            ).counts
        seconds = time.perf_counter() - started
        worker_peak = 0.0
        cpu = _cpu_seconds() - cpu_before
        if isinstance(backend, DaskBackend):
            peaks = backend.on_workers(_peak_mib)
            worker_peak = max(peaks.values())
            cpu += sum(backend.on_workers(_cpu_seconds).values()) - workers_before
    finally:
        backend.close()
    return {
        "rows": counts.rows,
        "coded": counts.coded,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "client_peak_mib": _peak_mib(),
        "worker_peak_mib": worker_peak,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=1_000_000)
    parser.add_argument("--embedder", default="hashing")
    parser.add_argument("--workers", default="1,2", help="Dask worker processes to try")
    parser.add_argument("--tasks", default="code,themes")
    parser.add_argument("--corpus", type=Path, help="reuse a corpus built before")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument(
        "--no-local", action="store_true", help="only on Dask (for sizes where both take hours)"
    )
    args = parser.parse_args()
    if args.child:
        task, embedder, workers, corpus, out = args.child
        print(json.dumps(child(task, embedder, int(workers), Path(corpus), Path(out))))
        return
    with tempfile.TemporaryDirectory() as scratch:
        corpus = args.corpus or Path(scratch) / "corpus"
        if not corpus.exists():
            started = time.perf_counter()
            build(corpus, args.items)
            print(f"built {args.items:,} items in {time.perf_counter() - started:.0f} s")
        rows: list[list[str]] = []
        for task in args.tasks.split(","):
            base = None
            local = [] if args.no_local else [0]
            for workers in [*local, *(int(w) for w in args.workers.split(","))]:
                out = Path(scratch) / f"{task}-{workers}"
                output = subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--child",
                        task,
                        args.embedder,
                        str(workers),
                        str(corpus),
                        str(out),
                    ],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                r = json.loads(output.strip().splitlines()[-1])
                base = base or (r["seconds"] if not workers else None)
                cores = max(1, workers)
                where = "this process" if not workers else f"Dask, {workers} worker process(es)"
                rows.append(
                    [
                        "coding" if task == "code" else "theme assignment",
                        args.embedder,
                        where,
                        f"{r['rows']:,}",
                        f"{r['seconds']:,.0f} s",
                        f"{r['rows'] / r['seconds']:,.0f}",
                        f"{r['cpu_seconds']:,.0f} s",
                        f"{r['rows'] / r['cpu_seconds']:,.0f}",
                        f"{r['client_peak_mib']:,.0f}",
                        f"{r['worker_peak_mib']:,.0f}" if workers else "—",
                        f"{base / r['seconds'] / cores:.2f}" if workers and base else "—",
                    ]
                )
                print(rows[-1], flush=True)
    table = markdown_table(
        [
            "task",
            "model",
            "where",
            "items",
            "wall time",
            "items/s",
            "CPU time",
            "items per CPU-second",
            "peak MiB (starting process)",
            "peak MiB (largest worker)",
            "parallel efficiency",
        ],
        rows,
    )
    print(table)
    if not args.no_record:
        record(
            f"Partitioned Parquet, {args.items:,} items (`partitioned_million.py`)",
            table + "\n\nEnd to end: reading the Parquet parts twice (sample, then partitions), "
            "fitting on the sample, predicting or assigning, writing Parquet parts. Parallel "
            "efficiency = (time in this process) / (time on the cluster × workers). CPU time "
            "adds up the starting process and every worker; items per CPU-second is what one "
            "uncontended core would do, and is the figure to scale from when the machine is "
            "shared.",
        )


if __name__ == "__main__":
    main()
