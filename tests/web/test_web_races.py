"""Limits hold when many requests arrive at once (real HTTP, real threads, both databases)."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import httpx

from upstream.store import Store
from upstream.store.collection_repository import CollectionStore
from upstream.store.rate_limits import RateLimits
from upstream.workflows.network.collections import RATE_LIMIT

WORKERS = 8
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
STORY = "The council asked residents first and we co-designed the youth hub together."


def _ready_client(base: str, path: str) -> tuple[httpx.Client, str]:
    """A visitor with a session cookie and the CSRF token of the form at ``path``."""
    client = httpx.Client(base_url=base, follow_redirects=False, timeout=60)
    page = client.get(path)
    assert page.status_code == 200, page.text
    found = CSRF.search(page.text)
    assert found
    return client, found.group(1)


def _all_at_once(jobs: list[Callable[[], int]]) -> list[int]:
    start = threading.Barrier(len(jobs))

    def run(job: Callable[[], int]) -> int:
        start.wait()
        return job()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


def test_concurrent_wrong_passwords_are_checked_at_most_five_times(served: str) -> None:
    visitors = [_ready_client(served, "/login") for _ in range(WORKERS)]

    def guess(client: httpx.Client, token: str) -> Callable[[], int]:
        data = {"email": "ben@southvale.gov.uk", "password": "guess", "csrf_token": token}
        return lambda: client.post("/login", data=data).status_code

    statuses = _all_at_once([guess(client, token) for client, token in visitors])
    for client, _ in visitors:
        client.close()
    assert sorted(statuses) == [400] * 5 + [429] * 3  # five checked, the rest refused


def test_concurrent_stories_from_one_address_stop_at_the_limit(
    seeded, served: str, client_for, web
) -> None:
    owner = client_for("owner@network.org")
    page = owner.get(f"/w/{seeded.workspace_id}/collections/new")
    form = {
        "csrf_token": web.csrf_of(page.text),
        "title": "Working differently",
        "prompt": "Tell us about a time the council worked differently with your community.",
        "framework": "nom",
        "level": "1",
        "elements_set": "1",
        "elements": ["context", "purpose"],
        "slider_label_1": "How was it done?",
        "slider_left_1": "Done to people",
        "slider_right_1": "Done with people",
        "slider_label_2": "Who decided?",
        "slider_left_2": "The council decided",
        "slider_right_2": "People decided together",
        "anonymous": "yes",
        "consent": "I agree my story may be used without my name.",
    }
    made = owner.post(f"/w/{seeded.workspace_id}/collections/new", data=form)
    token = re.search(r"/s/([A-Za-z0-9_-]{20,})", made.text)
    assert token, made.text
    link = f"/s/{token.group(1)}"
    visitors = [_ready_client(served, link) for _ in range(WORKERS)]

    def send(client: httpx.Client, csrf: str, n: int) -> Callable[[], int]:
        data = {
            "csrf_token": csrf,
            "story": f"{STORY} Copy {n}.",
            "elements": ["purpose"],
            "slider_how_was_it_done": "85",
            "slider_who_decided": "70",
            "consent": "1",
            "website": "",
        }
        return lambda: client.post(link, data=data).status_code

    statuses = _all_at_once([send(c, csrf, n) for n, (c, csrf) in enumerate(visitors)])
    for client, _ in visitors:
        client.close()
    assert sorted(statuses) == [303] * RATE_LIMIT + [429] * (WORKERS - RATE_LIMIT)
    with Store(seeded.db) as store:
        collections = CollectionStore(store.workspace("Learning Network"))
        (collection,) = collections.collections()
        assert len(collections.stories(collection.id)) == RATE_LIMIT


def test_taking_an_allowance_is_atomic_across_threads(db_url: str) -> None:
    store = Store(db_url)
    try:
        limits = RateLimits(store)

        def attempt() -> int:
            return int(limits.take("key", limit=5, window=timedelta(minutes=5)).allowed)

        jobs = [attempt] * (WORKERS * 2)
        assert sum(_all_at_once(jobs)) == 5
    finally:
        store.close()
