"""A million-row CSV streams through `upstream import` without holding the file in memory."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

from upstream.store import Store

ROWS = 1_000_000
PEAK_LIMIT_MB = 1536


def test_million_row_csv_imports_within_memory_limit(tmp_path: Path) -> None:
    path = tmp_path / "million.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "ward", "text"])
        writer.writerows(
            [n, f"Ward {n % 17}", f"Reply {n}: the number {n % 97} bus should run later"]
            for n in range(ROWS)
        )
    db = tmp_path / "million.db"
    command = [
        sys.executable,
        "-m",
        "upstream",
        "import",
        str(path),
        "--db",
        str(db),
        "--id-column",
        "id",
        "--attribute-column",
        "ward",
    ]
    log = tmp_path / "out.txt"
    with log.open("w") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        # wait4 gives this one child's peak memory, unaffected by other test processes.
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    output = log.read_text()
    assert process.returncode == 0, output
    assert f"{ROWS:,} new items" in output
    peak_mb = usage.ru_maxrss / 1024
    assert peak_mb < PEAK_LIMIT_MB, f"peak memory {peak_mb:.0f} MB"
    assert Store(db).workspace("default").item_count() == ROWS
