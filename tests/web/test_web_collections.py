"""Story collections through the web app (TestClient), on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from upstream.store import Store
from upstream.store.coding_repository import CodingStore
from upstream.store.collection_repository import CollectionStore
from upstream.workflows.network.collections import RATE_LIMIT

STORY = "The council asked residents first and we co-designed the youth hub together."
TOKEN = re.compile(r"/s/([A-Za-z0-9_-]{20,})")


def _setup(client: TestClient, web, workspace_id: int, **changes: str) -> str:
    """Create a collection through the set-up form; return its token."""
    path = f"/w/{workspace_id}/collections/new"
    page = client.get(path)
    assert page.status_code == 200 and "Done with people" in page.text
    form = {
        "csrf_token": web.csrf_of(page.text),
        "title": "Working differently",
        "prompt": "Tell us about a time the council worked differently with your community.",
        "framework": "nom",
        "level": "1",
        "elements_set": "1",
        "elements": ["context", "purpose", "capabilities", "external_actors"],
        "slider_label_1": "How was it done?",
        "slider_left_1": "Done to people",
        "slider_right_1": "Done with people",
        "slider_label_2": "Who decided?",
        "slider_left_2": "The council decided",
        "slider_right_2": "People decided together",
        "question_label_1": "Which best describes you?",
        "question_options_1": "Resident\nCouncil staff\nOther",
        "anonymous": "yes",
        "organisation": "Northmoor Council",
        "consent": "I agree my story may be used without my name.",
        **changes,
    }
    response = client.post(path, data=form, follow_redirects=False)
    assert response.status_code == 303, response.text
    listing = client.get(response.headers["location"])
    found = TOKEN.search(listing.text)
    assert found, listing.text
    return found.group(1)


def _story(client: TestClient, web, token: str, **changes: object) -> tuple[int, str]:
    page = client.get(f"/s/{token}")
    assert page.status_code == 200
    data: dict[str, object] = {
        "csrf_token": web.csrf_of(page.text),
        "story": STORY,
        "elements": ["external_actors", "purpose"],
        "slider_how_was_it_done": "85",
        "slider_who_decided": "70",
        "answer_which_best_describes_you": "Resident",
        "consent": "1",
        "website": "",
        **changes,
    }
    response = client.post(f"/s/{token}", data=data, follow_redirects=False)
    return response.status_code, response.text


@contextmanager
def _anonymous(app: Any, address: str) -> Iterator[TestClient]:
    """A visitor from ``address`` who is not signed in.

    Not entered as a context manager: that would run the app's shutdown, which
    the signed-in clients' app still needs.
    """
    client = TestClient(app, client=(address, 50000))
    try:
        yield client
    finally:
        client.close()


def test_setup_needs_convene_and_the_public_form_works_without_signing_in(
    seeded, client_for: Callable[[str], TestClient], web
) -> None:
    owner = client_for("owner@network.org")
    analyst = client_for("anna@northmoor.gov.uk")
    assert analyst.get(f"/w/{seeded.workspace_id}/collections/new").status_code == 403
    token = _setup(owner, web, seeded.workspace_id)
    with _anonymous(owner.app, "192.0.2.10") as visitor:
        page = visitor.get(f"/s/{token}")
        assert page.status_code == 200
        assert 'type="range"' in page.text and "Done to people" in page.text
        assert "Done with people" in page.text and 'name="website"' in page.text
        # The form token lives in a cookie of its own: looking at the form stores nothing.
        assert "upstream_form" in visitor.cookies and "upstream_session" not in visitor.cookies
        status, text = _story(visitor, web, token)
        assert status == 303, text
        assert visitor.get(f"/s/{token}/thanks").status_code == 200
    store = Store(seeded.db)
    try:
        workspace = store.workspace("Learning Network")
        (collection,) = CollectionStore(workspace).collections()
        (story,) = CollectionStore(workspace).stories(collection.id)
        assert story.text == STORY and story.submitted_by == ""
        assert story.sliders == {"how_was_it_done": 85, "who_decided": 70}
        assert story.answers == {"Which best describes you?": "Resident"}
        codings = CodingStore(workspace).codings(item_ids=[story.item_id])
        assert {(c.code, c.origin, c.coder) for c in codings} == {
            ("external_actors", "human", "self-signified"),
            ("purpose", "human", "self-signified"),
        }
    finally:
        store.close()


def test_redaction_before_anyone_reads_it(
    seeded, client_for: Callable[[str], TestClient], web
) -> None:
    owner = client_for("owner@network.org")
    token = _setup(owner, web, seeded.workspace_id)
    with _anonymous(owner.app, "192.0.2.11") as visitor:
        status, _ = _story(
            visitor,
            web,
            token,
            story="Mr Hughes from the council rang me on 07700 900456 and wrote to jo@example.org.",
        )
        assert status == 303
    page = owner.get(f"/w/{seeded.workspace_id}/collections/1/stories")
    assert page.status_code == 200
    assert "07700" not in page.text and "jo@example.org" not in page.text
    assert "Hughes" not in page.text and "[NAME]" in page.text and "[PHONE]" in page.text
    # "Resident" is the one story's answer: beside it and its organisation, not shown.
    assert "Which best describes you?" in page.text and ">Resident<" not in page.text
    assert "fewer than 10 stories from this organisation give this answer" in page.text


def test_contributor_sees_only_their_own_stories(
    seeded, client_for: Callable[[str], TestClient], web
) -> None:
    owner = client_for("owner@network.org")
    token = _setup(owner, web, seeded.workspace_id, anonymous="no")
    # Signing in is needed: an anonymous visitor is sent to the sign-in page.
    with _anonymous(owner.app, "192.0.2.12") as visitor:
        response = visitor.get(f"/s/{token}", follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/login")
    cara = client_for("cara@northmoor.gov.uk")
    # A story names nobody (a writer's own name would be redacted): the words mark whose it is.
    status, _ = _story(cara, web, token, story="The contributor's own story about residents.")
    assert status == 303
    admin = client_for("admin@northmoor.gov.uk")
    status, _ = _story(admin, web, token, story="The admin's story about the new youth hub plans.")
    assert status == 303
    mine = cara.get(f"/w/{seeded.workspace_id}/evidence")
    assert "contributor&#39;s own story" in mine.text and "admin&#39;s story" not in mine.text
    assert "Procurement rules" not in mine.text
    # Contributors cannot open the results or the story list.
    assert cara.get(f"/w/{seeded.workspace_id}/collections/1/results").status_code == 403
    assert cara.get(f"/w/{seeded.workspace_id}/collections/1/stories").status_code == 403
    everything = owner.get(f"/w/{seeded.workspace_id}/collections/1/stories")
    assert "contributor&#39;s own story" in everything.text
    assert "admin&#39;s story" in everything.text


def test_closed_and_not_yet_open_collections_refuse_stories(
    seeded, client_for: Callable[[str], TestClient], web
) -> None:
    owner = client_for("owner@network.org")
    yesterday = (datetime.now(UTC) - timedelta(days=1)).date().isoformat()
    earlier = (datetime.now(UTC) - timedelta(days=9)).date().isoformat()
    token = _setup(owner, web, seeded.workspace_id, opens_at=earlier, closes_at=yesterday)
    tomorrow = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    later = _setup(owner, web, seeded.workspace_id, opens_at=tomorrow)
    with _anonymous(owner.app, "192.0.2.13") as visitor:
        page = visitor.get(f"/s/{token}")
        assert page.status_code == 410 and "This collection has closed" in page.text
        assert 'type="range"' not in page.text
        # A story sent after closing is refused, but shown back so it is not lost.
        csrf = web.csrf_of(visitor.get("/login").text)
        refused = visitor.post(
            f"/s/{token}", data={"csrf_token": csrf, "story": STORY, "consent": "1"}
        )
        assert refused.status_code == 410 and STORY in refused.text
        page = visitor.get(f"/s/{later}")
        assert page.status_code == 403 and "not open yet" in page.text
        refused = visitor.post(f"/s/{later}", data={"csrf_token": csrf, "story": STORY})
        assert refused.status_code == 403
    store = Store(seeded.db)
    try:
        collections = CollectionStore(store.workspace("Learning Network"))
        assert all(c.stories == 0 for c in collections.collections())
    finally:
        store.close()


def test_a_flood_is_rate_limited_and_keeps_the_text_while_others_still_get_through(
    seeded, client_for: Callable[[str], TestClient], web
) -> None:
    owner = client_for("owner@network.org")
    token = _setup(owner, web, seeded.workspace_id)
    with _anonymous(owner.app, "198.51.100.7") as flood:
        for n in range(RATE_LIMIT):
            status, _ = _story(flood, web, token, story=f"{STORY} Copy {n}.")
            assert status == 303
        status, text = _story(flood, web, token, story="My real story, typed carefully by hand.")
        assert status == 429
        assert "My real story, typed carefully by hand." in text
        assert 'value="85"' in text and 'Resident" selected' in text
        assert "Wait 10 minutes" in text
    with _anonymous(owner.app, "203.0.113.5") as neighbour:
        status, _ = _story(neighbour, web, token, story="A story from someone else entirely.")
        assert status == 303
    store = Store(seeded.db)
    try:
        collections = CollectionStore(store.workspace("Learning Network"))
        (collection,) = collections.collections()
        texts = [s.text for s in collections.stories(collection.id)]
        assert len(texts) == RATE_LIMIT + 1 and texts[-1].startswith("A story from someone")
    finally:
        store.close()


def test_honeypot_invalid_input_and_csrf(
    seeded, client_for: Callable[[str], TestClient], web
) -> None:
    owner = client_for("owner@network.org")
    token = _setup(owner, web, seeded.workspace_id)
    with _anonymous(owner.app, "192.0.2.20") as bot:
        status, text = _story(bot, web, token, website="http://spam.example")
        assert status == 200 and "Thank you" in text
        # A story without consent comes back with everything kept and a plain message.
        status, text = _story(bot, web, token, consent="")
        assert status == 400 and "Tick the consent box" in text and STORY in text
        assert 'value="external_actors" checked' in text
        # No CSRF token, or a wrong one: refused before anything is read.
        bot.get(f"/s/{token}")
        assert bot.post(f"/s/{token}", data={"story": STORY, "consent": "1"}).status_code == 403
        wrong = bot.post(
            f"/s/{token}", data={"csrf_token": "forged", "story": STORY, "consent": "1"}
        )
        assert wrong.status_code == 403
    with _anonymous(owner.app, "192.0.2.21") as stranger:
        # No session at all (a cross-site post): refused.
        assert stranger.post(f"/s/{token}", data={"story": STORY}).status_code == 403
        assert stranger.get("/s/not-a-real-token").status_code == 404
    store = Store(seeded.db)
    try:
        collections = CollectionStore(store.workspace("Learning Network"))
        assert [c.stories for c in collections.collections()] == [0]
    finally:
        store.close()


def test_results_show_kappa_per_element(
    seeded, client_for: Callable[[str], TestClient], web
) -> None:
    owner = client_for("owner@network.org")
    token = _setup(owner, web, seeded.workspace_id)
    for n, address in enumerate(["192.0.2.30", "192.0.2.31", "192.0.2.32"]):
        with _anonymous(owner.app, address) as visitor:
            story = [
                STORY,
                "Austerity and budget cuts forced the council to change how it works.",
                "New data systems and technology helped us measure what matters.",
            ][n]
            elements = [["external_actors"], ["context"], ["capabilities"]][n]
            assert _story(visitor, web, token, story=story, elements=elements)[0] == 303
    analyst = client_for("anna@northmoor.gov.uk")
    base = f"/w/{seeded.workspace_id}/collections/1"
    page = analyst.get(f"{base}/results")
    assert page.status_code == 200 and "not coded these stories yet" in page.text
    csrf = web.csrf_of(page.text)
    started = analyst.post(
        f"{base}/code",
        data={"csrf_token": csrf, "embedder": "hashing", "threshold": "0"},
        follow_redirects=False,
    )
    assert started.status_code == 303
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        page = analyst.get(f"{base}/results")
        if "The machine last coded" in page.text or "could not code" in page.text:
            break
        time.sleep(0.2)
    assert "The machine last coded these stories" in page.text, page.text
    assert "3 of 3 received a code" in page.text
    assert "Cohen's κ" in page.text
    kappas = re.findall(r'<td class="num kappa">([^<]+)</td>', page.text)
    assert len(kappas) == 4
    # Three stories: with the totals, any κ would give away how 1 to 9 stories split.
    assert all(k in ("not defined", "not shown") for k in kappas)
    assert "not shown" in kappas
    assert 'role="img"' in page.text and "<table" in page.text
    # Three stories: where each person put a slider is not shown.
    assert "Where they placed it is not shown" in page.text
    assert "Groups of fewer than 10 are not shown" in page.text
    behind = analyst.get(f"{base}/stories?element=context&who=contributor")
    assert behind.status_code == 200 and "Austerity and budget cuts" in behind.text
    assert "youth hub" not in behind.text
    band = analyst.get(f"{base}/stories?slider=how_was_it_done&band=4")
    assert band.status_code == 200 and "3 stories" in band.text
    # A viewer may not see results; the analyst cannot edit the set-up.
    assert client_for("vic@southvale.gov.uk").get(f"{base}/results").status_code == 403
    assert analyst.get(f"{base}/edit").status_code == 403


def test_organisation_admins_run_collections_for_their_own_organisation(
    seeded, client_for: Callable[[str], TestClient], web
) -> None:
    owner = client_for("owner@network.org")
    _setup(owner, web, seeded.workspace_id, organisation="")
    admin = client_for("admin@northmoor.gov.uk")
    page = admin.get(f"/w/{seeded.workspace_id}/collections/new")
    assert page.status_code == 200 and "The whole network" not in page.text
    assert "Southvale Council" not in page.text
    _setup(admin, web, seeded.workspace_id, title="Northmoor stories")
    listing = admin.get(f"/w/{seeded.workspace_id}/collections")
    assert listing.text.count("Edit set-up") == 1
    # The network-wide collection is the owner's: the admin may not change it.
    # Its stories are shared with the network, so an analyst elsewhere reads them.
    listing = owner.get(f"/w/{seeded.workspace_id}/collections").text
    network_wide = re.search(r'id="collection-1".*?/s/([A-Za-z0-9_-]{20,})', listing, re.S)
    assert network_wide is not None
    with _anonymous(owner.app, "192.0.2.40") as visitor:
        story = "A story for the whole network."
        assert _story(visitor, web, network_wide.group(1), story=story)[0] == 303
    ben = client_for("ben@southvale.gov.uk")
    assert (
        "A story for the whole network."
        in ben.get(f"/w/{seeded.workspace_id}/collections/1/stories").text
    )
    assert admin.get(f"/w/{seeded.workspace_id}/collections/1/edit").status_code == 403
    assert admin.get(f"/w/{seeded.workspace_id}/collections/2/edit").status_code == 200
    store = Store(seeded.db)
    try:
        collections = CollectionStore(store.workspace("Learning Network")).collections()
        assert [(c.spec.title, c.spec.organisation) for c in collections] == [
            ("Northmoor stories", "Northmoor Council"),
            ("Working differently", None),
        ]
    finally:
        store.close()
