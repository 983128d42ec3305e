"""A team server: ``upstream serve --workers 2`` and a job worker on one real PostgreSQL database.

The web processes only queue background jobs (``UPSTREAM_JOBS=queue``); a
separate ``upstream jobs worker`` process runs them. People sign in, browse,
search by words, open the dashboards and search by meaning, which queues the
search index job that the worker runs; the ranking then comes from the vector
file both web processes map.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "correct horse battery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def team(seeded: object, tmp_path: Path) -> Iterator[tuple[str, int]]:
    db = seeded.db  # type: ignore[attr-defined]
    workspace_id = seeded.workspace_id  # type: ignore[attr-defined]
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "UPSTREAM_UPLOAD_DIR": str(tmp_path / "uploads"),
        "UPSTREAM_JOBS": "queue",
        "UPSTREAM_SEARCH_MODEL": "hashing",
    }
    upstream = [sys.executable, "-m", "upstream"]
    web = subprocess.Popen(
        [*upstream, "serve", "--db", db, "--port", str(port), "--workers", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    worker = subprocess.Popen(
        [*upstream, "jobs", "worker", "--db", db, "--poll", "0.2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600  # minutes on a busy machine
        while True:
            assert web.poll() is None, "the web server stopped while starting"
            assert worker.poll() is None, "the job worker stopped while starting"
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the web server did not start"
            time.sleep(0.2)
        yield url, workspace_id
    finally:
        for process in (web, worker):
            process.terminate()
        for process in (web, worker):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=30)


def _signed_in(url: str, email: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=60, follow_redirects=False)
    token = CSRF.search(client.get("/login").text).group(1)  # type: ignore[union-attr]
    sent = client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})
    assert sent.status_code == 303, sent.text
    return client


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_two_web_processes_and_a_job_worker_serve_a_team(team: tuple[str, int]) -> None:
    url, workspace_id = team
    w = f"/w/{workspace_id}"
    # Several clients, each with its own connections, land on either process:
    # sign-ins and pages must work whichever process answers.
    clients = [_signed_in(url, "owner@network.org") for _ in range(4)]
    analyst = _signed_in(url, "anna@northmoor.gov.uk")
    for client in clients:
        page = client.get(f"{w}/evidence")
        assert page.status_code == 200
        assert "Procurement rules slow down our pilots." in page.text
    words = analyst.get(f"{w}/evidence", params={"q": "budget"})
    assert words.status_code == 200 and "budget gap" in words.text
    hidden = analyst.get(f"{w}/evidence", params={"q": "morale"})
    # Southvale's private note is not shown to a Northmoor analyst.
    assert hidden.status_code == 200 and "morale is low after" not in hidden.text
    assert clients[0].get(f"{w}/dashboards").status_code == 200
    # The first meaning search queues the index job; the worker process runs it.
    query = {"mode": "meaning", "q": "youth hub designed with residents"}
    deadline = time.monotonic() + 120
    while True:
        found = clients[1].get(f"{w}/evidence", params=query)
        assert found.status_code == 200
        first = found.text.find("Residents co-designed the new youth hub.")
        if first >= 0 and "Procurement rules" in found.text:
            assert first < found.text.find("Procurement rules")  # closest first
            break
        assert time.monotonic() < deadline, "the search index job never finished"
        time.sleep(0.5)
    # Every process now answers from the same vectors.
    for client in clients:
        again = client.get(f"{w}/evidence", params=query)
        assert "Residents co-designed the new youth hub." in again.text
    private = analyst.get(f"{w}/evidence", params={"mode": "meaning", "q": "staff morale"})
    assert private.status_code == 200 and "morale is low after" not in private.text
