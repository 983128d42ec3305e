"""Signing in and out, session cookies, CSRF, rate-limiting and security headers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from upstream.store import Store
from upstream.store.rate_limits import RateLimits
from upstream.web.routes.auth import login_keys


def test_sign_in_and_out(seeded, make_app: Callable[..., FastAPI], web) -> None:
    with TestClient(make_app(seeded.db)) as client:
        assert client.get("/", follow_redirects=False).headers["location"] == "/login"
        page = client.get(f"/w/{seeded.workspace_id}/evidence", follow_redirects=False)
        assert page.status_code == 303
        assert page.headers["location"].startswith("/login?next=/w/")

        login = client.get("/login")
        cookie = login.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
        response = client.post(
            "/login",
            data={
                "email": "Anna@Northmoor.gov.uk ",
                "password": web.password,
                "csrf_token": web.csrf_of(login.text),
                "next": "/workspaces",
            },
            follow_redirects=False,
        )
        assert response.status_code == 303 and response.headers["location"] == "/workspaces"
        # A new session id is issued on sign-in.
        assert response.cookies.get("upstream_session") != login.cookies.get("upstream_session")

        home = client.get("/workspaces")
        assert "Learning Network" in home.text and "anna@northmoor.gov.uk" in home.text

        token = web.csrf_of(home.text)
        out = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
        assert out.status_code == 303
        assert client.get("/workspaces", follow_redirects=False).status_code == 303

    with Store(seeded.db) as store:
        actions = [e.action for e in store.workspace("Learning Network").audit_log()]
        with store.engine.connect() as connection:
            account_events = connection.exec_driver_sql(
                "SELECT action, actor FROM audit_log WHERE workspace_id IS NULL ORDER BY id"
            ).all()
    assert "role_change" in actions  # seeding went through the audited path
    assert [tuple(e) for e in account_events] == [
        ("sign_in", "anna@northmoor.gov.uk"),
        ("sign_out", "anna@northmoor.gov.uk"),
    ]


def test_wrong_password_is_refused_plainly(seeded_sqlite, make_app, web) -> None:
    with TestClient(make_app(seeded_sqlite.db)) as client:
        token = web.page_csrf(client, "/login")
        response = client.post(
            "/login",
            data={"email": "anna@northmoor.gov.uk", "password": "nope", "csrf_token": token},
        )
        assert response.status_code == 400
        assert "email address or password is not right" in response.text
        unknown = client.post(
            "/login", data={"email": "nobody@x.org", "password": "nope", "csrf_token": token}
        )
        assert unknown.status_code == 400
        assert "email address or password is not right" in unknown.text


def test_secure_cookies_when_asked(seeded_sqlite, make_app) -> None:
    with TestClient(make_app(seeded_sqlite.db, secure_cookies=True)) as client:
        assert "secure" in client.get("/login").headers["set-cookie"].lower()
    with TestClient(make_app(seeded_sqlite.db), base_url="https://testserver") as client:
        assert "secure" in client.get("/login").headers["set-cookie"].lower()


def test_sixth_attempt_is_rate_limited_even_with_the_right_password(seeded, make_app, web) -> None:
    with TestClient(make_app(seeded.db)) as client:
        token = web.page_csrf(client, "/login")
        for _ in range(5):
            wrong = {"email": "ben@southvale.gov.uk", "password": "guess", "csrf_token": token}
            assert client.post("/login", data=wrong).status_code == 400
        right = {"email": "ben@southvale.gov.uk", "password": web.password, "csrf_token": token}
        refused = client.post("/login", data=right, follow_redirects=False)
        assert refused.status_code == 429
        assert "Too many failed sign-in attempts" in refused.text
        assert "<" not in refused.text  # a plain message
        # Someone else behind the same address is not locked out with them.
        other = {"email": "anna@northmoor.gov.uk", "password": web.password, "csrf_token": token}
        assert client.post("/login", data=other, follow_redirects=False).status_code == 303


def test_guesses_from_elsewhere_do_not_lock_the_real_person_out(
    seeded_sqlite, make_app, web
) -> None:
    app = make_app(seeded_sqlite.db)
    for n in range(5):
        with TestClient(app, client=(f"10.0.0.{n}", 5000)) as client:
            token = web.page_csrf(client, "/login")
            data = {"email": "vic@southvale.gov.uk", "password": "guess", "csrf_token": token}
            assert client.post("/login", data=data).status_code == 400
    with TestClient(app, client=("10.0.0.99", 5000)) as client:
        web.sign_in(client, "vic@southvale.gov.uk")


def test_many_addresses_guessing_one_account_are_slowed_down(seeded_sqlite, make_app, web) -> None:
    app = make_app(seeded_sqlite.db)
    statuses = []
    for n in range(51):  # ten times the per-address limit, from addresses of their own
        with TestClient(app, client=(f"10.0.{n // 250}.{n % 250}", 5000)) as client:
            token = web.page_csrf(client, "/login")
            data = {"email": "vic@southvale.gov.uk", "password": "guess", "csrf_token": token}
            statuses.append(client.post("/login", data=data).status_code)
    assert statuses == [400] * 50 + [429]


def test_lockouts_grow_longer_each_time(seeded_sqlite, make_app, web) -> None:
    with TestClient(make_app(seeded_sqlite.db)) as client:
        token = web.page_csrf(client, "/login")
        wrong = {"email": "ben@southvale.gov.uk", "password": "guess", "csrf_token": token}
        for _ in range(5):
            assert client.post("/login", data=wrong).status_code == 400
        first = client.post("/login", data=wrong)
        assert first.status_code == 429 and "Wait 15 minutes" in first.text
        assert int(first.headers["retry-after"]) > 14 * 60
    with Store(seeded_sqlite.db) as store:
        # The first lock-out has passed, and the next five guesses fail too.
        pair, _account = login_keys("ben@southvale.gov.uk", "testclient")
        with store.engine.begin() as connection:
            connection.exec_driver_sql(
                "UPDATE rate_limit SET locked_until = NULL WHERE key = ?", (pair,)
            )
        limits = RateLimits(store)
        for _ in range(5):
            assert limits.take(pair, limit=5, window=timedelta(minutes=15)).allowed
        assert limits.lock_out_if_spent(pair, limit=5, first_lockout=timedelta(minutes=15))
        second = limits.take(pair, limit=5, window=timedelta(minutes=15))
    assert not second.allowed and second.retry_after > timedelta(minutes=29)


def test_a_success_clears_earlier_failures(seeded_sqlite, make_app, web) -> None:
    with TestClient(make_app(seeded_sqlite.db)) as client:
        token = web.page_csrf(client, "/login")
        bad = {"email": "anna@northmoor.gov.uk", "password": "guess", "csrf_token": token}
        for _ in range(4):
            client.post("/login", data=bad)
        web.sign_in(client, "anna@northmoor.gov.uk")
    with TestClient(make_app(seeded_sqlite.db)) as client:
        token = web.page_csrf(client, "/login")
        bad["csrf_token"] = token
        for _ in range(4):
            assert client.post("/login", data=bad).status_code == 400
        web.sign_in(client, "anna@northmoor.gov.uk")


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_post_without_a_valid_csrf_token_is_refused(client_for, seeded, token) -> None:
    client = client_for("owner@network.org")
    item = seeded.items["north-shared"]
    data = {"shared": "0"} if token is None else {"shared": "0", "csrf_token": token}
    response = client.post(f"/w/{seeded.workspace_id}/evidence/{item}/share", data=data)
    assert response.status_code == 403
    assert "expired or did not come from upstream" in response.text
    # Nothing changed.
    page = client.get(f"/w/{seeded.workspace_id}/evidence/{item}")
    assert "Shared with the workspace" in page.text
    # Sign-out and sign-in forms are protected as well.
    assert client.post("/logout", data={}).status_code == 403
    assert client.get("/workspaces").status_code == 200


def test_login_form_needs_its_csrf_token(seeded_sqlite, make_app, web) -> None:
    with TestClient(make_app(seeded_sqlite.db)) as client:
        data = {"email": "anna@northmoor.gov.uk", "password": web.password}
        assert client.post("/login", data=data).status_code == 403


def test_csrf_header_is_accepted(client_for, seeded, web) -> None:
    client = client_for("owner@network.org")
    item = seeded.items["north-shared"]
    token = web.page_csrf(client, f"/w/{seeded.workspace_id}/evidence/{item}")
    response = client.post(
        f"/w/{seeded.workspace_id}/evidence/{item}/share",
        data={"shared": "0"},
        headers={"X-CSRF-Token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303


def test_security_headers(seeded_sqlite, make_app) -> None:
    with TestClient(make_app(seeded_sqlite.db)) as client:
        for path in ("/login", "/static/app.css", "/api/openapi.json", "/no-such-page"):
            headers = client.get(path).headers
            csp = headers["content-security-policy"]
            assert "default-src 'self'" in csp and "script-src 'self'" in csp
            assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
            assert headers["x-content-type-options"] == "nosniff"
            assert headers["referrer-policy"] == "same-origin"
        assert client.get("/login").headers["cache-control"] == "no-store"


def test_pages_have_no_inline_scripts_or_styles(client_for, seeded) -> None:
    client = client_for("owner@network.org")
    for path in (
        "/workspaces",
        f"/w/{seeded.workspace_id}/evidence",
        f"/w/{seeded.workspace_id}/import",
        f"/w/{seeded.workspace_id}/admin",
    ):
        html = client.get(path).text
        assert "<script>" not in html and "style=" not in html and "<style" not in html
        assert 'class="skip-link" href="#main"' in html and 'id="main"' in html


def test_next_cannot_leave_the_site(seeded_sqlite, make_app, web) -> None:
    with TestClient(make_app(seeded_sqlite.db)) as client:
        token = web.page_csrf(client, "/login")
        for target in (
            "https://evil.example/",
            "//evil.example/",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
        ):
            client.cookies.clear()
            token = web.page_csrf(client, "/login")
            response = client.post(
                "/login",
                data={
                    "email": "anna@northmoor.gov.uk",
                    "password": web.password,
                    "csrf_token": token,
                    "next": target,
                },
                follow_redirects=False,
            )
            assert response.headers["location"] == "/"


def test_looking_at_public_pages_writes_nothing(seeded_sqlite, make_app, web) -> None:
    app = make_app(seeded_sqlite.db)

    def sessions() -> int:
        with Store(seeded_sqlite.db) as store, store.engine.connect() as connection:
            return int(connection.exec_driver_sql("SELECT count(*) FROM web_session").scalar_one())

    before = sessions()
    for _ in range(5):  # five new visitors, each without cookies
        with TestClient(app) as visitor:
            assert visitor.get("/login").status_code == 200
    assert sessions() == before
    with TestClient(app) as visitor:
        page = visitor.get("/login")
        token = web.csrf_of(page.text)
        assert token and "upstream_form" in page.headers["set-cookie"]
        # The form's token must match the visitor's own cookie.
        visitor.cookies.clear()
        forged = visitor.post(
            "/login",
            data={"email": "anna@northmoor.gov.uk", "password": web.password, "csrf_token": token},
            follow_redirects=False,
        )
        assert forged.status_code == 403
    with TestClient(app) as visitor:
        page = visitor.get("/login")
        signed_in = visitor.post(
            "/login",
            data={
                "email": "anna@northmoor.gov.uk",
                "password": web.password,
                "csrf_token": web.csrf_of(page.text),
            },
            follow_redirects=False,
        )
        assert signed_in.status_code == 303
    assert sessions() == before + 1  # only signing in made a session
