"""The web app's themes job names themes through the model endpoint configured in the settings.

A fake OpenAI-compatible server on 127.0.0.1 writes the names and cited
summaries; the pages say a model endpoint wrote them and never show a summary
to someone who may not see every quote it was written from.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.web.test_web_themes import SOUTH_SECRET, add_replies, first_replies, latest, start

from upstream.testing.fake_endpoint import FakeEndpoint, FakeReply, user_message


def naming_model(request: dict[str, Any]) -> FakeReply:
    keyword = user_message(request).split("Keywords: ", 1)[1].split(",")[0].strip()
    answer = {
        "name": f"People asked about {keyword}",
        "summary": [
            {"sentence": f"Several replies raise {keyword}.", "quotes": [1, 2]},
            {"sentence": "A claim resting on no quote sent.", "quotes": [42]},
        ],
    }
    return FakeReply(json.dumps(answer))


def test_theme_job_uses_the_configured_endpoint_and_says_so(
    seeded_sqlite, make_app: Callable[..., FastAPI], web, monkeypatch: pytest.MonkeyPatch
) -> None:
    w = seeded_sqlite.workspace_id
    add_replies(seeded_sqlite.db, w, first_replies())
    with FakeEndpoint(naming_model) as server:
        monkeypatch.setenv("UPSTREAM_ENDPOINT", server.url)
        monkeypatch.setenv("UPSTREAM_ENDPOINT_MODEL", "tiny-model")
        monkeypatch.setenv("UPSTREAM_LLM_API_KEY", "sk-web-secret")
        app = make_app(seeded_sqlite.db)
        with TestClient(app) as ben, TestClient(app) as anna:
            web.sign_in(ben, "ben@southvale.gov.uk")
            web.sign_in(anna, "anna@northmoor.gov.uk")
            form = ben.get(f"/w/{w}/themes").text
            assert f"will be written by the model endpoint at {server.url}" in form
            assert f"redacted quotes to the model endpoint at {server.url}" in form  # footer
            assert "nothing is sent anywhere else" not in form
            start(ben, web, w, n_themes="3")
            themes = latest(seeded_sqlite.db, w)
            assert server.requests, "the job asked the endpoint"
            assert all(r["_authorization"] == "Bearer sk-web-secret" for r in server.requests)
            assert all(t.named_by == "tiny-model" for t in themes)
            assert all(t.label.startswith("People asked about ") for t in themes)
            for theme in themes:
                sentences = theme.details["summary"]
                assert [s["text"] for s in sentences] == [sentences[0]["text"]]  # [42] removed
                assert sentences[0]["text"].startswith("Several replies raise ")

            page = ben.get(f"/w/{w}/themes").text
            assert page.count("Written by a model endpoint") >= 3
            assert "Several replies raise " in page
            cited = re.findall(rf'<span class="cites">\(<a href="/w/{w}/evidence/(\d+)"', page)
            assert cited, "each summary sentence links to the quotes it rests on"

            # Anna may not see Southvale's private replies: a summary drawn from
            # quotes she cannot see is not shown to her, and no secret leaks.
            seen = anna.get(f"/w/{w}/themes").text
            assert "Written by a model endpoint" in seen
            assert all(secret not in seen for secret in SOUTH_SECRET)
            for theme in themes:
                detail = anna.get(f"/w/{w}/themes/{theme.id}").text
                assert all(secret not in detail for secret in SOUTH_SECRET)
    stored = json.dumps([t.details for t in themes])
    assert "sk-web-secret" not in stored


def test_codes_from_an_endpoint_show_the_models_quoted_reason(
    seeded_sqlite, make_app: Callable[..., FastAPI], web
) -> None:
    from upstream.frameworks import load_codebook
    from upstream.store import Store
    from upstream.workflows.coding import code_items

    codebook = load_codebook("nom")
    code = next(c.id for c in codebook.codes if c.codable and c.parent is not None)

    def coding_model(request: dict[str, Any]) -> FakeReply:
        items = re.findall(r"^\[\d+\] (.*)$", user_message(request), flags=re.MULTILINE)
        lines = [
            {"item": n, "code": code, "confidence": 90, "quote": " ".join(text.split()[:3])}
            for n, text in enumerate(items, start=1)
        ]
        return FakeReply("\n".join(json.dumps(line) for line in lines))

    from upstream.endpoint import ChatEndpoint

    with FakeEndpoint(coding_model) as server, Store(seeded_sqlite.db) as store:
        space = next(
            store.workspace(x.name)
            for x in store.workspaces()
            if x.id == seeded_sqlite.workspace_id
        )
        items = space.items()
        outcome = code_items(space, items, codebook, endpoint=ChatEndpoint(server.url, "tiny"))
    w = seeded_sqlite.workspace_id
    with TestClient(make_app(seeded_sqlite.db)) as anna:
        web.sign_in(anna, "anna@northmoor.gov.uk")
        listing = anna.get(f"/w/{w}/coding?run={outcome.run_id}").text
    assert "The model endpoint's reason, in the item's own words" in listing
    assert "nothing is sent anywhere else" in listing  # no endpoint is configured here
    shared = next(i for i in items if i.text.startswith("Residents co-designed"))
    assert f"<mark>{' '.join(shared.text.split()[:3])}</mark>" in listing
