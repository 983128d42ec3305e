"""Import speed and peak memory for large CSV files, through the real command line.

Usage: .venv/bin/python benchmarks/import_speed.py [--rows 1000000] [--rows 100000]
Prints a table and appends it to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _record import markdown_table, record

WORDS = [
    "council",
    "community",
    "housing",
    "library",
    "youth",
    "park",
    "bus",
    "crossing",
    "volunteers",
    "trust",
    "data",
    "funding",
    "procurement",
    "budget",
    "prevention",
    "neighbourhood",
    "school",
    "care",
    "health",
    "early",
    "help",
    "partners",
    "listening",
    "relationships",
    "risk",
    "pilot",
    "team",
    "frontline",
    "residents",
    "money",
    "staff",
]


def write_csv(path: Path, rows: int, seed: int = 7) -> None:
    """Write a realistic consultation-style CSV with ``rows`` distinct replies."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["reply_id", "date", "ward", "likes", "text"])
        for n in range(rows):
            words = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 30)))
            writer.writerow(
                [
                    f"R{n}",
                    f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                    f"Ward {rng.randint(1, 20)}",
                    rng.randint(0, 300),
                    f"Reply {n}: {words}.",
                ]
            )


def run_import(csv_path: Path, db: Path) -> tuple[float, float]:
    """Import through the CLI; return (seconds, peak resident memory in MB)."""
    upstream = Path(sys.executable).with_name("upstream")
    command = [
        str(upstream),
        "import",
        str(csv_path),
        "--db",
        str(db),
        "--org",
        "Bench Council",
        "--id-column",
        "reply_id",
        "--date-column",
        "date",
        "--engagement-column",
        "likes",
        "--attribute-column",
        "ward",
    ]
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, peak_kb / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, action="append", help="rows per run (repeatable)")
    sizes = parser.parse_args().rows or [100_000, 1_000_000]
    table: list[list[str]] = []
    with tempfile.TemporaryDirectory() as folder:
        for rows in sizes:
            csv_path = Path(folder) / f"replies_{rows}.csv"
            write_csv(csv_path, rows)
            size_mb = csv_path.stat().st_size / 1e6
            seconds, peak_mb = run_import(csv_path, Path(folder) / f"bench_{rows}.db")
            table.append(
                [
                    f"{rows:,}",
                    f"{size_mb:,.0f} MB",
                    f"{seconds:,.1f} s",
                    f"{rows / seconds:,.0f}",
                    f"{peak_mb:,.0f} MB",
                ]
            )
            print(table[-1], flush=True)
    headers = ["rows", "file size", "wall time", "rows/second", "peak memory (max of runs so far)"]
    body = markdown_table(headers, table)
    print(body)
    record(
        "Import speed (upstream import, CSV into SQLite)",
        body + "\n\nTarget: 1,000,000 rows with peak memory under 1.5 GB.",
    )


if __name__ == "__main__":
    main()
