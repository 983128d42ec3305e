"""Latency of the evidence browser and dashboard under 20 concurrent users, loopback only.

Builds a workspace of 100,000 items (12 organisations, coded with the fast
"hashing" embedder), serves it with ``upstream serve`` and sends a bounded number
of requests from 20 threads. Prints p50/p95 per page and appends to docs/benchmarks.md.

Usage: .venv/bin/python benchmarks/web_load.py [--items 100000] [--requests 600]
"""

from __future__ import annotations

import argparse
import csv
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
from _record import markdown_table, record

from upstream.coding.workflow import code_workspace
from upstream.evidence.ingest import ImportOptions, import_file
from upstream.frameworks import load_codebook
from upstream.store import Store
from upstream.store.accounts import Accounts

USERS = 20
WORDS = [
    "procurement rules slowed the pilot",
    "pooled budget with the NHS",
    "volunteers rang residents",
    "legacy IT needs three logins",
    "community hub in the old library",
    "permission to experiment",
    "data sharing with police",
    "staff are exhausted",
]


def build(folder: Path, items: int) -> tuple[str, str, int]:
    """Create the workspace; return (db path, API token, workspace id)."""
    path = folder / "evidence.csv"
    rng = random.Random(3)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "organisation", "date", "text"])
        for n in range(items):
            org = f"Council {n % 12 + 1:02d}"
            date = f"202{4 + n % 3}-{n % 12 + 1:02d}-{n % 28 + 1:02d}"
            text = f"Note {n}: " + " and ".join(rng.sample(WORDS, 3))
            writer.writerow([n, org, date, text])
    db = str(folder / "load.db")
    store = Store(db)
    options = ImportOptions(
        workspace="Load", org_column="organisation", id_column="id", date_column="date"
    )
    import_file(store, path, options)
    code_workspace(store, "Load", load_codebook("dbe"), embedder="hashing")
    accounts = Accounts(store)
    accounts.ensure_user("load@example.org", password="load-test-password")
    workspace = store.workspace("Load")
    accounts.set_membership(workspace, "load@example.org", "owner")
    token = accounts.create_token("load@example.org", "load test")
    store.close()
    return db, token, workspace.id


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise RuntimeError("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=600, help="total requests (bounded)")
    parser.add_argument("--seconds", type=float, default=180, help="stop after this long")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        db, token, workspace_id = build(Path(folder), args.items)
        print(f"built {args.items:,} items in {time.perf_counter() - start:.0f} s", flush=True)
        port = free_port()
        upstream = Path(sys.executable).with_name("upstream")
        server = subprocess.Popen(
            [str(upstream), "serve", "--db", db, "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base)
            pages = {
                "evidence (first page)": f"/w/{workspace_id}/evidence",
                "evidence (page 40)": f"/w/{workspace_id}/evidence?page=40",
                "evidence (search)": f"/w/{workspace_id}/evidence?q=pooled+budget",
                "evidence (organisation filter)": (
                    f"/w/{workspace_id}/evidence?organisation=Council+07"
                ),
                "dashboard": f"/w/{workspace_id}/dashboards",
            }
            timings: dict[str, list[float]] = {name: [] for name in pages}
            failures: list[str] = []
            lock = threading.Lock()
            budget = iter(range(args.requests))
            stop_at = time.monotonic() + args.seconds

            def user(number: int) -> None:
                rng = random.Random(number)
                headers = {"Authorization": f"Bearer {token}"}
                with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
                    while time.monotonic() < stop_at:
                        with lock:
                            if next(budget, None) is None:
                                return
                        name = rng.choice(list(pages))
                        began = time.perf_counter()
                        response = client.get(pages[name])
                        elapsed = (time.perf_counter() - began) * 1000
                        with lock:
                            if response.status_code == 200:
                                timings[name].append(elapsed)
                            else:
                                failures.append(f"{name}: {response.status_code}")

            threads = [threading.Thread(target=user, args=(n,)) for n in range(USERS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            server.terminate()
            server.wait(timeout=30)
    rows = []
    for name, values in timings.items():
        if not values:
            rows.append([name, "0", "-", "-", "-"])
            continue
        values.sort()
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        rows.append(
            [
                name,
                str(len(values)),
                f"{statistics.median(values):.0f} ms",
                f"{p95:.0f} ms",
                "yes" if p95 < 300 else "no",
            ]
        )
    body = markdown_table(["page", "requests", "p50", "p95", "p95 < 300 ms"], rows)
    if failures:
        body += f"\n\nFailed requests: {len(failures)} (first: {failures[0]})."
    body += (
        f"\n\n{USERS} concurrent users over loopback against `upstream serve` (one process), "
        f"workspace of {args.items:,} items coded against drivers/barriers/enablers; "
        "target p95 < 300 ms."
    )
    print(body)
    record("Web app latency under load (`web_load.py`)", body)


if __name__ == "__main__":
    main()
