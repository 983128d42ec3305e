"""Latency of the evidence browser and dashboard under 20 concurrent users, loopback only.

Builds (or reuses) a workspace of 100,000 items made from manifesto sentences,
varied so that each is unique, spread over 12 councils with a tenth of them
private; codes it against drivers/barriers/enablers with the fast ``hashing``
embedder and indexes it for meaning search. Serves it with ``upstream serve`` on
127.0.0.1, signs in 20 people (4 owners and 16 analysts from 4 councils, so
visibility rules apply), lets each open every page once (warm-up), then sends a
bounded number of requests from 20 threads, stopping early at a time limit.
Prints p50/p95/max per page and rewrites the "Web load" section of
docs/benchmarks.md.

With ``--postgres DIR`` the workspace lives in a PostgreSQL server whose files
are kept in DIR (created with ``initdb`` on first use, started on a free port
and stopped at the end), and ``--workers N`` serves it with N processes.

Usage: .venv/bin/python benchmarks/web_load.py [--items 100000] [--requests 1000] [--seconds 240]
       [--postgres /tmp/upstream-web-load/pg --workers 2 --think 0]
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import httpx
from _record import BENCHMARKS_MD, machine, markdown_table
from sqlalchemy import text as sql

from upstream.frameworks import load_codebook
from upstream.store import Store
from upstream.store.accounts import Accounts, Scope
from upstream.store.engine import make_engine, upgrade
from upstream.store.visibility import ScopedEvidence
from upstream.testing.postgres import find_bin_dir
from upstream.workflows.coding import code_workspace
from upstream.workflows.ingest import ImportOptions, import_file
from upstream.workflows.search import SemanticSearch

USERS = 20
WARM_ROUNDS_PER_PROCESS = 4
BUSY_BEFORE = 1.5  # load average before the run above which the machine counts as busy
WORKSPACE = "Load"
PASSWORD = "load-test-password"
MODEL = "hashing"
MANIFESTOS = Path("/work/shared/data/manifesto")
SECTION = "## Web load"
POSTGRES_SECTION = "## Web load on PostgreSQL"
TARGET_MS = 300
COUNCILS = [f"Council {n:02d}" for n in range(1, 13)]
ANALYST_COUNCILS = COUNCILS[:4]
SETTINGS = [
    "in our workshop",
    "at the residents' meeting",
    "in the staff survey comments",
    "during the ward walkabout",
    "in the partnership board notes",
    "from the youth forum",
]
MEANINGS = [
    "people wait too long to see a doctor",
    "young people have nowhere to go in the evening",
    "rents are too high for families",
    "the council should work with local charities",
    "buses do not run often enough",
]


def sentences(limit: int = 20_000) -> list[str]:
    """Manifesto sentences of a readable length (or a small built-in set if absent)."""
    found: list[str] = []
    for path in sorted(MANIFESTOS.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                text = " ".join((row.get("text") or "").split())
                if 40 <= len(text) <= 300 and "..." not in text:
                    found.append(text)
    return found[:limit] or [f"{m.capitalize()}." for m in MEANINGS]


def build(db: str, csv_path: Path, items: int) -> dict[str, float]:
    """Create the workspace in ``db``; return how long each step took, in seconds."""
    timings: dict[str, float] = {}
    texts = sentences()
    rng = random.Random(3)
    began = time.perf_counter()
    with csv_path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "organisation", "date", "ward", "text"])
        for n in range(items):
            org = COUNCILS[n % len(COUNCILS)]
            when = f"202{3 + n % 3}-{n % 12 + 1:02d}-{n % 28 + 1:02d}"
            ward = f"Ward {n % 9 + 1}"
            text = f"{texts[n % len(texts)]} (said {rng.choice(SETTINGS)}, note {n})"
            writer.writerow([n, org, when, ward, text])
    if "://" in db:  # a team database is migrated deliberately, as `upstream db upgrade` does
        engine = make_engine(db)
        upgrade(engine)
        engine.dispose()
    store = Store(db)
    try:
        options = ImportOptions(
            workspace=WORKSPACE,
            org_column="organisation",
            id_column="id",
            date_column="date",
            text_column="text",
            attribute_columns=["ward"],
        )
        import_file(store, csv_path, options)
        workspace = store.workspace(WORKSPACE)
        with store.engine.begin() as connection:
            # A tenth of the items private to their council, so visibility rules do work.
            connection.execute(
                sql("UPDATE item SET shared = :no WHERE workspace_id = :ws AND id % 10 = 0"),
                {"no": False, "ws": workspace.id},
            )
        timings["import"] = time.perf_counter() - began
        began = time.perf_counter()
        code_workspace(store, WORKSPACE, load_codebook("dbe"), embedder=MODEL)
        timings["coding"] = time.perf_counter() - began
        began = time.perf_counter()
        everything = ScopedEvidence(workspace, Scope(see_all=True))
        SemanticSearch(everything, MODEL).build()
        timings["meaning index"] = time.perf_counter() - began
        accounts = Accounts(store)
        for email, role, council in people():
            accounts.ensure_user(email, password=PASSWORD)
            accounts.set_membership(workspace, email, role, organisation=council)
    finally:
        store.close()
        csv_path.unlink(missing_ok=True)
    return timings


def people() -> list[tuple[str, str, str | None]]:
    """The 20 people: (email, role, organisation)."""
    owners: list[tuple[str, str, str | None]] = [
        (f"owner{n}@network.example", "owner", None) for n in range(4)
    ]
    analysts: list[tuple[str, str, str | None]] = [
        (f"analyst{n}@council{n % 4 + 1:02d}.example", "analyst", ANALYST_COUNCILS[n % 4])
        for n in range(16)
    ]
    return owners + analysts


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class KeptPostgres:
    """A PostgreSQL server whose files stay in ``folder`` between runs (loopback only)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder.resolve()
        self.data = self.folder / "data"
        self.port = self._same_port_as_before()
        self.run_as = "postgres" if os.geteuid() == 0 else None
        self.bin = find_bin_dir()

    def _same_port_as_before(self) -> int:
        """The port of the last run when it is free, else a new one (remembered in the folder).

        The database's address names its meaning-search vector file (ADR 0008), so
        a new port on every run would rebuild the file from the database each time,
        which a server that restarts at the same address never does.
        """
        remembered = self.folder / "port"
        if remembered.exists():
            port = int(remembered.read_text(encoding="utf-8"))
            with socket.socket() as sock:
                try:
                    sock.bind(("127.0.0.1", port))
                    return port
                except OSError:
                    pass
        return free_port()

    def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True)

    def start(self) -> str:
        """Initialise the folder on first use, start the server; return the database URL."""
        fresh = not self.data.exists()
        if fresh:
            self.folder.mkdir(parents=True, exist_ok=True)
            if self.run_as:
                shutil.chown(self.folder, user=self.run_as)
            self._run(
                "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8"
            )
        (self.folder / "port").write_text(str(self.port), encoding="utf-8")
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c max_connections=200 -c shared_buffers=512MB"
        )
        log = str(self.folder / "log")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start")
        if fresh:
            import psycopg

            dsn = f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres"
            with psycopg.connect(dsn, autocommit=True) as connection:
                connection.execute("CREATE DATABASE upstream_load")
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/upstream_load"

    def stop(self) -> None:
        """Stop the server, keeping its files."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")


def wait_until_up(url: str, seconds: float = 600) -> None:
    """Wait for the server to answer its health check."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError("the server did not start")


def sign_in(client: httpx.Client, email: str) -> None:
    """Sign in through the login form, as a browser would."""
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, "no CSRF token on the login page"
    answer = client.post(
        "/login", data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    if answer.status_code not in (200, 303):
        raise RuntimeError(f"could not sign in as {email}: {answer.status_code}")


def page_urls(workspace_id: int) -> dict[str, Callable[[random.Random], str]]:
    """The pages measured, each a function of a random source (for varied searches)."""
    w = f"/w/{workspace_id}"
    return {
        "evidence, first page": lambda rng: f"{w}/evidence",
        "evidence, organisation filter": (
            lambda rng: f"{w}/evidence?organisation=Council+{rng.randint(1, 12):02d}"
        ),
        "evidence, full-text search": (
            lambda rng: f"{w}/evidence?q={rng.choice(['housing', 'schools', 'NHS', 'police'])}"
        ),
        "evidence, meaning search": (
            lambda rng: f"{w}/evidence?mode=meaning&q={rng.choice(MEANINGS).replace(' ', '+')}"
        ),
        "dashboard": lambda rng: f"{w}/dashboards",
    }


def percentile(values: list[float], share: float) -> float:
    """The value below which ``share`` of the sorted values fall (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def first_views(base: str, workspace_id: int) -> dict[str, list[float]]:
    """Open every page once per visibility scope, one at a time: the cold timings.

    The first view after the server starts (or the data changes) builds the
    caches: the meaning-search matrix, the dashboards of that scope, the counts.
    """
    pages = page_urls(workspace_id)
    cold: dict[str, list[float]] = {name: [] for name in pages}
    rng = random.Random(0)
    one_per_scope = [people()[0][0], *(email for email, _role, _org in people()[4:8])]
    for email in one_per_scope:
        with httpx.Client(base_url=base, timeout=900, follow_redirects=True) as client:
            sign_in(client, email)
            for name, url in pages.items():
                began = time.perf_counter()
                response = client.get(url(rng))
                cold[name].append((time.perf_counter() - began) * 1000)
                if response.status_code != 200:
                    raise RuntimeError(f"{name} answered {response.status_code}")
    return cold


def run_load(
    base: str, workspace_id: int, requests: int, seconds: float, think: float
) -> tuple[dict[str, list[float]], list[str], float]:
    """Send the measured requests; return (timings by page, failures, seconds taken)."""
    pages = page_urls(workspace_id)
    timings: dict[str, list[float]] = {name: [] for name in pages}
    failures: list[str] = []
    lock = threading.Lock()
    budget = iter(range(requests))
    start_line = threading.Barrier(USERS)
    span: list[float] = []

    def user(number: int, email: str) -> None:
        rng = random.Random(number)
        with httpx.Client(base_url=base, timeout=120, follow_redirects=True) as client:
            try:
                # Signing in costs a deliberately slow password hash; give it time.
                client.timeout = httpx.Timeout(600)
                sign_in(client, email)
                client.timeout = httpx.Timeout(120)
            except (httpx.HTTPError, RuntimeError):
                start_line.abort()  # the others must not wait for this person forever
                raise
            start_line.wait()
            with lock:
                span.append(time.monotonic())
            stop_at = time.monotonic() + seconds
            while time.monotonic() < stop_at:
                if think:
                    time.sleep(rng.uniform(0.5 * think, 1.5 * think))  # reading the page
                with lock:
                    if next(budget, None) is None:
                        break
                name = rng.choice(list(pages))
                began = time.perf_counter()
                try:
                    status: int | str = client.get(pages[name](rng)).status_code
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                elapsed = (time.perf_counter() - began) * 1000
                with lock:
                    if status == 200:
                        timings[name].append(elapsed)
                    else:
                        failures.append(f"{name}: {status}")
        with lock:
            span.append(time.monotonic())

    threads = [
        threading.Thread(target=user, args=(n, email))
        for n, (email, _role, _org) in enumerate(people())
    ]
    done = threading.Event()

    def sample_load() -> None:
        while not done.wait(5):
            if span:  # measuring has begun
                LOADS.append(os.getloadavg()[0])

    sampler = threading.Thread(target=sample_load, daemon=True)
    sampler.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    return timings, failures, max(span) - min(span)


LOADS: list[float] = []
"""The machine's 1-minute load average, every 5 s while requests are measured."""


def cpu_model() -> str:
    """The CPU's model name, when Linux says."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def write_section(
    body: str, heading: str = SECTION, title: str = f"{SECTION} (`web_load.py`)"
) -> None:
    """Replace the section of docs/benchmarks.md whose heading starts ``heading`` (or add it)."""
    text = BENCHMARKS_MD.read_text(encoding="utf-8") if BENCHMARKS_MD.exists() else "# Benchmarks\n"
    section = f"{title} — {date.today().isoformat()}\n\n{body}\n"
    start = -1
    for match in re.finditer(r"^## .*$", text, flags=re.MULTILINE):
        line = match.group(0)
        # The SQLite section must not be mistaken for the PostgreSQL one, nor the other way.
        if line.startswith(heading) and (heading != SECTION or POSTGRES_SECTION not in line):
            start = match.start()
            break
    if start < 0:
        BENCHMARKS_MD.write_text(text.rstrip("\n") + "\n\n" + section, encoding="utf-8")
        return
    end = text.find("\n## ", start + len(heading))
    rest = "" if end < 0 else text[end:]
    BENCHMARKS_MD.write_text(text[:start] + section + rest, encoding="utf-8")


def main() -> None:
    """Build or reuse the workspace, run the load, print and record the results."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--items", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=1000, help="total measured requests")
    parser.add_argument("--seconds", type=float, default=240, help="stop measuring after this")
    parser.add_argument("--folder", type=Path, default=Path("/tmp/upstream-web-load"))
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean pause between one person's pages, s"
    )
    parser.add_argument("--build-only", action="store_true", help="only build the workspace")
    parser.add_argument("--no-record", action="store_true", help="do not touch the docs")
    parser.add_argument(
        "--postgres", type=Path, help="keep the workspace in a PostgreSQL server in this folder"
    )
    parser.add_argument("--workers", type=int, default=1, help="web processes to serve with")
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    postgres = KeptPostgres(args.postgres) if args.postgres else None
    db = postgres.start() if postgres else str(args.folder / f"items-{args.items}.db")
    try:
        measure(args, db)
    finally:
        if postgres:
            postgres.stop()


def built_already(db: str) -> bool:
    """Whether the benchmark workspace exists in ``db``."""
    if "://" not in db:
        return Path(db).exists()
    engine = make_engine(db)
    try:
        with engine.connect() as connection:
            found = connection.exec_driver_sql(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'workspace'"
            ).scalar()
            if not found:
                return False
            names = connection.exec_driver_sql("SELECT name FROM workspace").scalars().all()
            return WORKSPACE in names
    finally:
        engine.dispose()


def measure(args: argparse.Namespace, db: str) -> None:
    """Build the workspace if needed, then serve it and measure (unless only building)."""
    built: dict[str, float] = {}
    if not built_already(db):
        try:
            built = build(db, args.folder / f"items-{args.items}.csv", args.items)
        except BaseException:
            if "://" not in db:
                Path(db).unlink(missing_ok=True)
            raise
        print("built: " + ", ".join(f"{k} {v:.0f} s" for k, v in built.items()), flush=True)
    if args.build_only:
        return
    with Store(db) as store:
        workspace_id = store.workspace(WORKSPACE).id
    port = free_port()
    upstream = Path(sys.executable).with_name("upstream")
    environment = {**os.environ, "UPSTREAM_SEARCH_MODEL": MODEL}
    log = (args.folder / "server.log").open("w", encoding="utf-8")
    command = [str(upstream), "serve", "--db", db, "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--workers", str(args.workers)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=environment,
    )
    base = f"http://127.0.0.1:{port}"
    load_before = os.getloadavg()
    try:
        wait_until_up(base)
        warm = first_views(base, workspace_id)
        # Each web process keeps its own caches, and a new connection may reach any
        # of them: repeat the rounds (new connections each time) until every process
        # has almost surely built every scope's caches, so the run measures a warm
        # server rather than one process's first views.
        for _ in range(WARM_ROUNDS_PER_PROCESS * args.workers - 1):
            first_views(base, workspace_id)
        timings, failures, took = run_load(
            base, workspace_id, args.requests, args.seconds, args.think
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    load_after = os.getloadavg()
    rows = []
    for name, values in timings.items():
        if not values:
            rows.append([name, "0", "-", "-", "-", "-", "-"])
            continue
        p95 = percentile(values, 0.95)
        rows.append(
            [
                name,
                f"{len(values):,}",
                f"{statistics.median(values):.0f} ms",
                f"{p95:.0f} ms",
                f"{max(values):.0f} ms",
                f"{max(warm[name]):.0f} ms",
                "yes" if p95 < TARGET_MS else "no",
            ]
        )
    measured = sum(len(v) for v in timings.values())
    every = [t for values in timings.values() for t in values]
    body = markdown_table(
        [
            "page",
            "requests",
            "p50",
            "p95",
            "max",
            "first view (slowest scope)",
            f"p95 < {TARGET_MS} ms",
        ],
        rows,
    )
    if every:
        body += (
            f"\n\nAll pages: {measured:,} requests in {took:.0f} s ({measured / took:.1f}/s), "
            f"p50 {statistics.median(every):.0f} ms, p95 {percentile(every, 0.95):.0f} ms."
        )
    if failures:
        body += f"\n\nFailed requests: {len(failures)} (first: {failures[0]})."
    scopes = ["owner", *(f"analyst, {council}" for council in ANALYST_COUNCILS)]
    body += "\n\nFirst views, one person per visibility scope, one page after another:\n\n"
    body += markdown_table(
        ["page", *scopes],
        [[name, *(f"{ms / 1000:.2f} s" for ms in warm[name])] for name in warm],
    )
    during = f", {min(LOADS):.1f}–{max(LOADS):.1f} while requests were measured" if LOADS else ""
    body = (
        f"Machine: {machine()}, {cpu_model()}; load average "
        f"{load_before[0]:.1f} before and {load_after[0]:.1f} after the run{during}. "
        + (
            "The machine was busy with other jobs before the run, so these figures are "
            "pessimistic and vary between runs.\n\n"
            if load_before[0] >= BUSY_BEFORE
            else "No other job was running: the load is the benchmark's own client threads, "
            "the web processes and the database, all on the same machine.\n\n"
        )
        + f"{USERS} signed-in people (4 owners, 16 analysts from 4 councils, so visibility rules "
        f"apply) over loopback against `upstream serve --workers {args.workers}` on a "
        f"{'PostgreSQL' if '://' in db else 'SQLite'} workspace of "
        f"{args.items:,} items (manifesto sentences varied to be unique; 12 councils, a tenth "
        "private), coded against drivers/barriers/enablers and indexed for meaning search with "
        f"the `{MODEL}` embedder. First, one person per visibility scope (an owner and an "
        "analyst of each of the 4 councils) opens every page once, one after another: these "
        "first views build the caches (the meaning-search matrix, each scope's dashboards and "
        "counts), and the slowest is shown. Each web process keeps its own caches, so these "
        f"rounds are repeated {WARM_ROUNDS_PER_PROCESS * args.workers} times in all, on new "
        "connections, until every process has almost surely served every scope; only the "
        "first round is reported. Then each person opens random pages, pausing "
        f"{args.think:g} s on "
        "average between them (a person reading; 0 means back-to-back requests), and requests "
        "are measured, at most "
        f"{args.requests:,} or {args.seconds:.0f} s. The searches repeat (four words, five "
        "meaning queries), so counts, query vectors and meaning rankings (a product with "
        f"{args.items:,} vectors) come from caches kept per scope and data version after the "
        "first views, as they do when a person turns the pages of a search or runs it again; "
        "each page of items is still read from the database on every request. "
        f"Target: p95 < {TARGET_MS} ms.\n\n" + body
    )
    if built:
        body += (
            "\n\nBuilding the workspace took "
            + ", ".join(f"{step} {seconds:.0f} s" for step, seconds in built.items())
            + "."
        )
    print(body)
    if not args.no_record:
        if "://" in db:
            title = (
                f"{POSTGRES_SECTION} with `upstream serve --workers {args.workers}` "
                f"(`web_load.py --postgres DIR --workers {args.workers} --think {args.think:g}`)"
            )
            write_section(body, POSTGRES_SECTION, title)
        else:
            write_section(body)


if __name__ == "__main__":
    main()
