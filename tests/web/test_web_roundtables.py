"""Roundtable pages through the real app, on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from fastapi.testclient import TestClient

from upstream.store import Store
from upstream.store.roundtable_repository import RoundtableStore

OWNER = "owner@network.org"
ANALYST = "anna@northmoor.gov.uk"
OTHER_ANALYST = "ben@southvale.gov.uk"
CONTRIBUTOR = "cara@northmoor.gov.uk"
VIEWER = "vic@southvale.gov.uk"
ADMIN = "admin@northmoor.gov.uk"

Clients = Callable[[str], TestClient]


def _create(client: TestClient, web, seeded, **overrides: object) -> int:
    base = f"/w/{seeded.workspace_id}/roundtables"
    data: dict[str, object] = {
        "csrf_token": web.page_csrf(client, base),
        "title": "Winter learning roundtable",
        "day": "2025-02-03",
        "clock": "14:00",
        "place": "Civic centre",
        "framework": "nom",
        "written": "1",
        "board": "1",
        "columns": "Leave behind\nKeep\nDo differently",
        "agenda_title": ["Welcome", "What we learnt"],
        "agenda_time": ["14:00", "14:15"],
        "agenda_question": ["", "What surprised you this winter?"],
    }
    data.update(overrides)
    response = client.post(base, data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    found = re.search(r"/roundtables/(\d+)$", response.headers["location"])
    assert found
    return int(found.group(1))


def _respond(client: TestClient, web, path: str, agenda: list[str], board: list[str]):
    return client.post(
        path + "/responses",
        data={"csrf_token": web.page_csrf(client, path), "agenda": agenda, "board": board},
        follow_redirects=False,
    )


def test_only_conveners_create(client_for: Clients, seeded, web) -> None:
    base = f"/w/{seeded.workspace_id}/roundtables"
    for email in (VIEWER, CONTRIBUTOR, ANALYST):
        client = client_for(email)
        page = client.get(base)
        assert page.status_code == 200 and "Create a roundtable" not in page.text
        refused = client.post(
            base,
            data={"csrf_token": web.csrf_of(page.text), "title": "Mine"},
            follow_redirects=False,
        )
        assert refused.status_code == 403, email
    admin = client_for(ADMIN)
    rid = _create(admin, web, seeded)
    page = admin.get(f"{base}/{rid}")
    assert page.status_code == 200
    assert (
        "Winter learning roundtable" in page.text and "What surprised you this winter?" in page.text
    )
    assert "quick themes" in page.text.lower() or "Quick themes" in page.text
    store = Store(seeded.db)
    try:
        log = store.workspace("Learning Network").audit_log()
        assert ("roundtable.create", str(rid), ADMIN) in [
            (e.action, e.target_id, e.actor) for e in log
        ]
    finally:
        store.close()


def test_bad_form_keeps_what_was_typed(client_for: Clients, seeded, web) -> None:
    owner = client_for(OWNER)
    base = f"/w/{seeded.workspace_id}/roundtables"
    response = owner.post(
        base,
        data={
            "csrf_token": web.page_csrf(owner, base),
            "title": "",
            "description": "Keep this description",
            "link": "not a link",
            "board": "1",
            "columns": "Stop\nStart",
        },
    )
    assert response.status_code == 400
    assert "Give the roundtable a title." in response.text
    assert "Keep this description" in response.text and "Stop\nStart" in response.text


def test_responses_escaped_own_only_for_contributors_and_closing(
    client_for: Clients, seeded, web
) -> None:
    owner = client_for(OWNER)
    rid = _create(owner, web, seeded)
    path = f"/w/{seeded.workspace_id}/roundtables/{rid}"

    cara = client_for(CONTRIBUTOR)
    sent = _respond(
        cara, web, path, ["<script>alert(1)</script> winter surprised us"], ["", "", ""]
    )
    assert sent.status_code == 303 and "sent=1" in sent.headers["location"]
    ben = client_for(OTHER_ANALYST)
    assert _respond(ben, web, path, [""], ["Paper forms", "Weekly huddle", ""]).status_code == 303

    # Text is escaped wherever it is shown.
    page = owner.get(path).text
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; winter surprised us" in page
    assert "Paper forms" in page and "Weekly huddle" in page

    # A contributor sees only what they wrote.
    mine = cara.get(path).text
    assert "winter surprised us" in mine
    assert "Paper forms" not in mine and "Weekly huddle" not in mine
    assert "You see the responses you wrote." in mine
    submissions = cara.get(f"/w/{seeded.workspace_id}/evidence").text
    assert "winter surprised us" in submissions and "Paper forms" not in submissions

    # Responses are evidence with their place on the event as attributes.
    store = Store(seeded.db)
    try:
        workspace = store.workspace("Learning Network")
        responses = RoundtableStore(workspace).responses(rid)
        items = {r.label: workspace.item(r.item_id) for r in responses}
    finally:
        store.close()
    assert items["Keep"] is not None and items["Keep"].attributes["board column"] == "Keep"
    assert items["Keep"].organisation == "Southvale Council"
    evidence = owner.get(f"/w/{seeded.workspace_id}/evidence", params={"q": "Weekly huddle"})
    assert "Weekly huddle" in evidence.text

    # Empty forms lose nothing and say why.
    empty = _respond(cara, web, path, ["  "], ["", "", ""])
    assert empty.status_code == 400 and "Write at least one response" in empty.text

    # Closing refuses further responses, and keeps what was typed.
    closed = owner.post(
        path + "/status",
        data={"csrf_token": web.page_csrf(owner, path), "action": "close"},
        follow_redirects=False,
    )
    assert closed.status_code == 303
    late = _respond(ben, web, path, ["Too late to say this"], ["", "", ""])
    assert late.status_code == 409
    assert "closed to responses" in late.text and "Too late to say this" in late.text
    store = Store(seeded.db)
    try:
        workspace = store.workspace("Learning Network")
        assert RoundtableStore(workspace).response_count(rid) == 3
        log = [(e.action, e.target_id) for e in workspace.audit_log()]
        assert ("roundtable.close", str(rid)) in log
    finally:
        store.close()


def test_csrf_is_required(client_for: Clients, seeded, web) -> None:
    owner = client_for(OWNER)
    rid = _create(owner, web, seeded)
    path = f"/w/{seeded.workspace_id}/roundtables/{rid}"
    cara = client_for(CONTRIBUTOR)
    refused = cara.post(path + "/responses", data={"agenda": ["Hello"], "board": ["", "", ""]})
    assert refused.status_code == 403
    wrong = cara.post(
        path + "/responses",
        data={"csrf_token": "forged", "agenda": ["Hello"], "board": ["", "", ""]},
    )
    assert wrong.status_code == 403
    create = owner.post(f"/w/{seeded.workspace_id}/roundtables", data={"title": "No token"})
    assert create.status_code == 403
    viewer = client_for(VIEWER)
    assert _respond(viewer, web, path, ["Hello"], ["", "", ""]).status_code == 403


def test_live_panel_themes_new_responses(client_for: Clients, seeded, web) -> None:
    owner = client_for(OWNER)
    rid = _create(owner, web, seeded, written="", agenda_question=["", ""])
    path = f"/w/{seeded.workspace_id}/roundtables/{rid}"
    assert "No responses yet." in owner.get(path + "/live").text
    anna = client_for(ANALYST)
    for board in (
        ["Paper referral forms", "Weekly huddle with health", ""],
        ["Paper referral forms and duplicate assessments", "", "Share data earlier"],
    ):
        assert _respond(anna, web, path, [], board).status_code == 303
    deadline = time.monotonic() + 120
    panel = owner.get(path + "/live").text
    while "Themes of all 4 responses." not in panel and time.monotonic() < deadline:
        time.sleep(0.3)
        panel = owner.get(path + "/live").text
    assert "Themes of all 4 responses." in panel
    assert "<h3>" in panel and "Key words" in panel
    assert "Codes of the responses (New Operating Models)" in panel
    page = owner.get(path).text
    assert "Themes of all 4 responses." in page and "Refresh" in page
    assert '<script src="/static/roundtables.js"' in page


def test_live_panel_gives_a_contributor_no_one_elses_words(
    client_for: Clients, seeded, web
) -> None:
    owner = client_for(OWNER)
    rid = _create(owner, web, seeded, written="", agenda_question=["", ""])
    path = f"/w/{seeded.workspace_id}/roundtables/{rid}"
    anna = client_for(ANALYST)
    for board in (
        ["Paper referral forms", "Weekly huddle with health", ""],
        ["Paper referral forms and duplicate assessments", "", "Share data earlier"],
    ):
        assert _respond(anna, web, path, [], board).status_code == 303
    cara = client_for(CONTRIBUTOR)
    assert _respond(cara, web, path, [], ["", "", "Ask families first"]).status_code == 303
    deadline = time.monotonic() + 120
    panel = owner.get(path + "/live").text
    while "Themes of all 5 responses." not in panel and time.monotonic() < deadline:
        time.sleep(0.3)
        panel = owner.get(path + "/live").text
    assert "<h3>" in panel and "referral" in panel  # the convener sees the quick themes

    mine = cara.get(path + "/live").text
    assert "Themes of all 5 responses." in mine
    assert "<h3>" not in mine and "Key words" not in mine
    for word in ("referral", "huddle", "duplicate", "Paper"):
        assert word not in mine, word
    assert "fewer than 10" in mine
    assert "Groups of fewer than 10 are not shown" in mine
    assert "Of which tentative" not in mine
    assert not re.search(r'class="num">[1-9]</td>', mine)
    page = cara.get(path).text
    assert "referral" not in page and "Ask families first" in page
