"""Fixtures for the web tests: a seeded workspace, people in every role, signed-in clients."""

from __future__ import annotations

import os
import re
import shutil
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from argon2 import PasswordHasher
from fastapi import FastAPI
from fastapi.testclient import TestClient

from upstream.records.drafts import ItemDraft
from upstream.store import Store
from upstream.store import accounts as accounts_module
from upstream.store.accounts import Accounts
from upstream.web import create_app

if TYPE_CHECKING:
    from playwright.sync_api import Browser

PASSWORD = "correct horse battery"
PEOPLE = {
    "owner@network.org": ("owner", None),
    "anna@northmoor.gov.uk": ("analyst", "Northmoor Council"),
    "ben@southvale.gov.uk": ("analyst", "Southvale Council"),
    "admin@northmoor.gov.uk": ("org_admin", "Northmoor Council"),
    "cara@northmoor.gov.uk": ("contributor", "Northmoor Council"),
    "vic@southvale.gov.uk": ("viewer", "Southvale Council"),
}
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
SRC = Path(__file__).resolve().parents[2] / "src"
SERVE_WORKERS = os.environ.get("UPSTREAM_TEST_SERVE_WORKERS", "")
"""Set to a number to run the browser tests against ``upstream serve --workers N`` processes."""


@pytest.fixture(autouse=True)
def quick_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Argon2 with small costs, so the many sign-ins in these tests stay quick.

    The production settings are exercised by ``test_web_accounts``.
    """
    hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(accounts_module, "_hasher", hasher)


@dataclass
class Seeded:
    """What the seeded database holds."""

    db: str
    workspace_id: int
    items: dict[str, int]  # label -> item id


def seed(db: str) -> Seeded:
    """Two councils, each with a shared and a private item, and people in every role."""
    store = Store(db)
    accounts = Accounts(store)
    workspace = store.workspace("Learning Network", create=True)
    for email, (role, org) in PEOPLE.items():
        accounts.ensure_user(email, password=PASSWORD)
        accounts.set_membership(workspace, email, role, organisation=org)
    items: dict[str, int] = {}
    with workspace.writer() as writer:
        source = writer.add_source(
            "visit-notes.csv", kind="visit notes", options={"attribute_columns": ["theme"]}
        )
        rows = [
            (
                "north-shared",
                "Northmoor Council",
                True,
                "Procurement rules slow down our pilots.",
                date(2024, 3, 1),
                {"theme": "barrier"},
            ),
            (
                "north-private",
                "Northmoor Council",
                False,
                "Private: our budget gap is £4m this year.",
                date(2024, 6, 1),
                {"theme": "context"},
            ),
            (
                "south-shared",
                "Southvale Council",
                True,
                "Residents co-designed the new youth hub.",
                date(2025, 1, 10),
                {"theme": "enabler"},
            ),
            (
                "south-private",
                "Southvale Council",
                False,
                "Private: staff morale is low after the restructure.",
                date(2025, 2, 1),
                {},
            ),
        ]
        for label, org, shared, text, when, attributes in rows:
            draft = ItemDraft(
                text=text,
                line=len(items) + 2,
                organisation=org,
                item_date=when,
                attributes=attributes,
            )
            writer.insert_items(source, [draft], shared=shared)
            items[label] = 0
    for record in workspace.items():
        for label, _org, _shared, text, _when, _attrs in rows:
            if record.text == text:
                items[label] = record.id
    store.close()
    return Seeded(db=db, workspace_id=workspace.id, items=items)


@pytest.fixture
def seeded(db_url: str) -> Seeded:
    """The seeded database, on SQLite and on PostgreSQL."""
    return seed(db_url)


@pytest.fixture
def seeded_sqlite(tmp_path: Path, request: pytest.FixtureRequest) -> Seeded:
    """The seeded database on a SQLite file only (for tests that do not depend on the backend).

    With ``UPSTREAM_TEST_SERVE_WORKERS=N`` (the browser tests against a team
    server) it is a PostgreSQL database instead, migrated as ``upstream db upgrade`` does.
    """
    if SERVE_WORKERS:
        return seed(request.getfixturevalue("migrated_postgres_url"))
    return seed(str(tmp_path / "web.db"))


@pytest.fixture
def make_app(tmp_path: Path) -> Iterator[Callable[..., FastAPI]]:
    """Build apps with uploads under the test's temporary folder."""

    def build(db: str, **options: object) -> FastAPI:
        options.setdefault("upload_dir", tmp_path / "uploads")
        return create_app(db, **options)  # type: ignore[arg-type]

    yield build


def csrf_of(html: str) -> str:
    """The CSRF token in a page's forms."""
    found = CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def sign_in(client: TestClient, email: str, password: str = PASSWORD) -> TestClient:
    """Sign ``client`` in through the real form; fails the test if it does not work."""
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


@pytest.fixture
def client_for(
    seeded: Seeded, make_app: Callable[..., FastAPI]
) -> Iterator[Callable[[str], TestClient]]:
    """A factory of signed-in clients, one per person, sharing one app."""
    app = make_app(seeded.db)
    clients: list[TestClient] = []

    def make(email: str) -> TestClient:
        client = TestClient(app)
        client.__enter__()
        clients.append(client)
        return sign_in(client, email)

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def page_csrf(client: TestClient, path: str) -> str:
    """Open ``path`` and return the CSRF token from its forms."""
    response = client.get(path)
    assert response.status_code == 200, response.text
    return csrf_of(response.text)


class Helpers:
    """The helpers above, handed to tests as the ``web`` fixture."""

    password = PASSWORD
    people = PEOPLE
    csrf_of = staticmethod(csrf_of)
    sign_in = staticmethod(sign_in)
    page_csrf = staticmethod(page_csrf)
    seed = staticmethod(seed)


@pytest.fixture
def web() -> type[Helpers]:
    """Helpers for signing in and finding CSRF tokens."""
    return Helpers


# --- A real browser against a live server (shared by every browser test) ---

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = os.environ.get("UPSTREAM_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def need_browser() -> None:
    """Fail in CI, skip elsewhere, when Playwright or Chromium is missing."""
    problem = None
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problem = "the playwright Python package is not installed (pip install playwright)"
    if problem is None and not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        problem = f"Chromium was not found at {CHROMIUM} (apt-get install chromium)"
    if problem:
        if IN_CI:
            pytest.fail(f"The browser test must run in CI, but {problem}.")
        pytest.skip(f"Skipping the browser test: {problem}.")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(app: FastAPI) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free loopback port in a background thread."""
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the web server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def live_server(
    seeded_sqlite: Seeded, make_app: Callable[..., FastAPI], tmp_path: Path
) -> Iterator[str]:
    """The app on the seeded SQLite database, served on 127.0.0.1.

    With ``UPSTREAM_TEST_SERVE_WORKERS=N``: ``upstream serve --workers N`` and a
    job worker, on PostgreSQL (see :func:`seeded_sqlite`).
    """
    if SERVE_WORKERS:
        yield from serve_processes(seeded_sqlite.db, int(SERVE_WORKERS), tmp_path)
        return
    yield from serve(make_app(seeded_sqlite.db))


def serve_processes(db: str, workers: int, folder: Path) -> Iterator[str]:
    """Run ``upstream serve --workers N`` (and a job worker) on ``db``; yield its address."""
    import subprocess
    import sys

    import httpx

    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
        "UPSTREAM_UPLOAD_DIR": str(folder / "uploads"),
        "UPSTREAM_JOBS": "queue",
    }
    upstream = [sys.executable, "-m", "upstream"]
    command = [*upstream, "serve", "--db", db, "--port", str(port), "--workers", str(workers)]
    processes = [
        subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL),
        subprocess.Popen(
            [*upstream, "jobs", "worker", "--db", db, "--poll", "0.2"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        ),
    ]
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600  # minutes on a busy machine
        while True:
            if any(process.poll() is not None for process in processes):
                raise RuntimeError("upstream serve or the job worker stopped while starting")
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("upstream serve did not start")
            time.sleep(0.2)
        yield url
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)


@pytest.fixture
def served(seeded: Seeded, make_app: Callable[..., FastAPI], tmp_path: Path) -> Iterator[str]:
    """The app on the seeded database (SQLite and PostgreSQL), served on 127.0.0.1.

    With ``UPSTREAM_TEST_SERVE_WORKERS=N`` it is ``upstream serve --workers N``
    with a job worker, as a team server runs.
    """
    if SERVE_WORKERS:
        yield from serve_processes(seeded.db, int(SERVE_WORKERS), tmp_path)
        return
    yield from serve(make_app(seeded.db))


@pytest.fixture
def artifacts() -> Path:
    """Where browser tests save screenshots (``test-artifacts/`` at the repository root)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def chromium() -> Iterator[Browser]:
    """A headless Chromium driven by Playwright (fails in CI, skips elsewhere, if missing)."""
    need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()
