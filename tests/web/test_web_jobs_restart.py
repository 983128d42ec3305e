"""Jobs survive the server: a killed server's jobs show as interrupted and can be restarted.

This starts ``upstream serve`` as a real process on a temporary database, starts
a coding job and a theme job over HTTP, kills the server (SIGKILL) while both
are running, starts it again and restarts them from their job pages.
"""

from __future__ import annotations

import itertools
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from upstream.records.drafts import ItemDraft
from upstream.store import Store
from upstream.store.job_repository import JobRecord, JobStore

SRC = Path(__file__).resolve().parents[2] / "src"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
OWNER = "owner@network.org"
# Enough evidence that neither job can finish in the moment between seeing it
# running and killing the server.
ITEMS = 3000
SUBJECTS = ["The bus", "Our GP surgery", "The housing office", "The youth hub", "Social care"]
PROBLEMS = ["was late again", "never answers the phone", "helped us a lot", "closed early"]
PLACES = ["in Northmoor", "in Southvale", "near the station", "on the estate", "in town"]
WHEN = ["this week", "last winter", "every Monday", "since the restructure", "after the pilot"]


def _texts() -> Iterator[str]:
    combos = itertools.product(SUBJECTS, PROBLEMS, PLACES, WHEN, range(10))
    for subject, problem, place, when, n in combos:
        yield f"{subject} {problem} {place} {when} (note {n})."


def _add_evidence(db: str) -> None:
    with Store(db) as store:
        workspace = store.workspace("Learning Network")
        drafts = [
            ItemDraft(text=text, line=n + 2, organisation="Northmoor Council")
            for n, text in enumerate(itertools.islice(_texts(), ITEMS))
        ]
        with workspace.writer() as writer:
            source = writer.add_source("many-notes.csv", kind="visit notes")
            writer.insert_items(source, drafts, shared=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """``upstream serve`` running as a separate process."""

    def __init__(self, db: str, home: Path, *options: str) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
            "XDG_CACHE_HOME": str(home / "cache"),
        }
        command = [sys.executable, "-m", "upstream", "serve", "--db", db]
        self.process = subprocess.Popen(
            [*command, "--port", str(self.port), *options],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while True:
            assert self.process.poll() is None, "the server stopped while starting"
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.1)

    def kill(self) -> None:
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[list[Server]]:
    started: list[Server] = []
    yield started
    for server in started:
        server.stop()


def _signed_in(url: str, password: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=30)
    page = client.get("/login")
    token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
    sent = client.post("/login", data={"email": OWNER, "password": password, "csrf_token": token})
    assert sent.status_code == 303, sent.text
    return client


def _start(client: httpx.Client, page: str, action: str, form: dict[str, str]) -> str:
    token = CSRF.search(client.get(page).text).group(1)  # type: ignore[union-attr]
    started = client.post(action, data={"csrf_token": token, **form})
    assert started.status_code == 303, started.text
    return started.headers["location"]


def _job(db: str, location: str) -> JobRecord:
    with Store(db) as store:
        found = JobStore(store).get(location.rsplit("/", 1)[1])
    assert found is not None
    return found


def _wait_for_row(db: str, location: str, states: set[str], seconds: float) -> JobRecord:
    deadline = time.monotonic() + seconds
    while True:
        job = _job(db, location)
        if job.state in states:
            return job
        assert time.monotonic() < deadline, f"the job stayed {job.state}: {job}"
        time.sleep(0.05)


def test_jobs_killed_with_the_server_are_interrupted_and_can_be_restarted(
    seeded_sqlite, servers: list[Server], tmp_path: Path, web
) -> None:
    db, w = seeded_sqlite.db, seeded_sqlite.workspace_id
    _add_evidence(db)
    first = Server(db, tmp_path)
    servers.append(first)
    client = _signed_in(first.url, web.password)
    coding = _start(
        client,
        f"/w/{w}/coding",
        f"/w/{w}/coding/run",
        {"codebook": "nom", "embedder": "hashing", "threshold": "0.05"},
    )
    themes = _start(
        client,
        f"/w/{w}/themes",
        f"/w/{w}/themes/run",
        {"evidence": "all", "embedder": "hashing", "seed": "0", "n_themes": "4"},
    )
    assert coding.startswith(f"/w/{w}/jobs/") and themes.startswith(f"/w/{w}/jobs/")
    for location in (coding, themes):
        _wait_for_row(db, location, {"running"}, 60)
    first.kill()
    client.close()

    # The killed server could not say so: the database still calls the jobs running.
    assert _job(db, coding).state == "running" and _job(db, themes).state == "running"
    second = Server(db, tmp_path)
    servers.append(second)
    client = _signed_in(second.url, web.password)
    for location, result in ((coding, "Coding finished"), (themes, "Themes found")):
        page = client.get(location)
        assert page.status_code == 200, page.text
        assert "The job was interrupted" in page.text
        assert "the server stopped while it was running" in page.text
        assert 'http-equiv="refresh"' not in page.text
        assert f'action="{location}/restart"' in page.text and ">Restart</button>" in page.text
        # Restarting without the form's CSRF token is refused.
        assert client.post(f"{location}/restart").status_code in {400, 403}
        token = CSRF.search(page.text).group(1)  # type: ignore[union-attr]
        restarted = client.post(f"{location}/restart", data={"csrf_token": token})
        assert restarted.status_code == 303 and restarted.headers["location"] == location
        done = _wait_for_row(db, location, {"done", "failed"}, 300)
        assert done.state == "done", done.error
        assert done.attempts == 2 and done.result.get("run_id")
        finished = client.get(location)
        assert result in finished.text and "interrupted" not in finished.text
    client.close()


def test_several_server_processes_share_sign_ins_and_jobs(
    seeded_sqlite, servers: list[Server], tmp_path: Path, web
) -> None:
    db, w = seeded_sqlite.db, seeded_sqlite.workspace_id
    server = Server(db, tmp_path, "--workers", "2")
    servers.append(server)
    client = _signed_in(server.url, web.password)
    started = [
        _start(
            client,
            f"/w/{w}/coding",
            f"/w/{w}/coding/run",
            {"codebook": "dbe", "embedder": "hashing"},
        ),
        _start(
            client,
            f"/w/{w}/themes",
            f"/w/{w}/themes/run",
            {"evidence": "all", "embedder": "hashing", "seed": "0", "n_themes": "2"},
        ),
    ]
    # Every request may reach either process: the session and the jobs live in the database.
    for location, result in zip(started, ("Coding finished", "Themes found"), strict=True):
        deadline = time.monotonic() + 300
        while True:
            page = client.get(location)
            assert page.status_code == 200, page.text
            if 'http-equiv="refresh"' not in page.text:
                break
            assert time.monotonic() < deadline, "the job did not finish"
            time.sleep(0.2)
        assert result in page.text and "interrupted" not in page.text
        job = _job(db, location)
        assert job.state == "done" and job.attempts == 1
    client.close()
