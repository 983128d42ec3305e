"""An organisation admin acts only for their own organisation: roundtables and the library."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from upstream.store import Store
from upstream.store.accounts import Accounts
from upstream.store.library_repository import LibraryStore

NORTH_ADMIN = "admin@northmoor.gov.uk"
SOUTH_ADMIN = "sam@southvale.gov.uk"
Clients = Callable[[str], TestClient]


@pytest.fixture
def clients(seeded_sqlite, make_app: Callable[..., FastAPI], web) -> Iterator[Clients]:
    """Signed-in clients, with an admin for Southvale as well as Northmoor."""
    store = Store(seeded_sqlite.db)
    try:
        accounts = Accounts(store)
        accounts.ensure_user(SOUTH_ADMIN, password=web.password)
        workspace = store.workspace("Learning Network")
        accounts.set_membership(
            workspace, SOUTH_ADMIN, "org_admin", organisation="Southvale Council"
        )
    finally:
        store.close()
    app = make_app(seeded_sqlite.db)
    opened: list[TestClient] = []

    def make(email: str) -> TestClient:
        client = TestClient(app)
        client.__enter__()
        opened.append(client)
        return web.sign_in(client, email)

    yield make
    for client in opened:
        client.__exit__(None, None, None)


def test_an_admin_cannot_close_another_organisations_roundtable(
    clients: Clients, seeded_sqlite, web
) -> None:
    base = f"/w/{seeded_sqlite.workspace_id}/roundtables"
    north = clients(NORTH_ADMIN)
    made = north.post(
        base,
        data={
            "csrf_token": web.page_csrf(north, base),
            "title": "Northmoor winter roundtable",
            "day": "2025-02-03",
            "clock": "14:00",
            "framework": "nom",
            "board": "1",
            "columns": "Keep\nChange",
        },
        follow_redirects=False,
    )
    assert made.status_code == 303, made.text
    path = made.headers["location"]
    south = clients(SOUTH_ADMIN)
    page = south.get(path)
    assert page.status_code == 200 and "Close for responses" not in page.text
    refused = south.post(
        path + "/status",
        data={"csrf_token": web.csrf_of(page.text), "action": "close"},
        follow_redirects=False,
    )
    assert refused.status_code == 403
    assert "Open</span>" in north.get(path).text
    # Its own admin still may.
    closed = north.post(
        path + "/status",
        data={"csrf_token": web.page_csrf(north, path), "action": "close"},
        follow_redirects=False,
    )
    assert closed.status_code == 303


def _add(client: TestClient, w: str, title: str, organisation: str = ""):
    return client.post(
        f"{w}/library",
        data={
            "csrf_token": web_token(client, f"{w}/library"),
            "title": title,
            "kind": "guide",
            "organisation": organisation,
            "body": "How we cut the paperwork for small pilots.",
        },
        follow_redirects=False,
    )


def web_token(client: TestClient, path: str) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text)
    assert found
    return found.group(1)


def test_an_admin_cannot_publish_or_retag_in_another_organisations_name(
    clients: Clients, seeded_sqlite
) -> None:
    w = f"/w/{seeded_sqlite.workspace_id}"
    south = clients(SOUTH_ADMIN)
    refused = _add(south, w, "Pretending to be Northmoor", "Northmoor Council")
    assert refused.status_code == 400
    assert "only in your own organisation" in refused.text
    north = clients(NORTH_ADMIN)
    made = _add(north, w, "Cutting paperwork")
    assert made.status_code == 303, made.text
    product = made.headers["location"].split("?")[0]
    assert 'name="add"' not in south.get(product).text
    retag = south.post(
        f"{product}/tags",
        data={"csrf_token": web_token(south, product), "add": "theme||Hijacked"},
        follow_redirects=False,
    )
    assert retag.status_code == 403
    store = Store(seeded_sqlite.db)
    try:
        products = LibraryStore(store.workspace("Learning Network")).products()
    finally:
        store.close()
    assert [p.title for p in products] == ["Cutting paperwork"]
    assert products[0].organisation == "Northmoor Council"
    assert all(t.value != "Hijacked" for t in products[0].tags)
    # Their own organisation's products are theirs to add.
    assert _add(south, w, "Southvale guide").status_code == 303
