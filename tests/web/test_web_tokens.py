"""API tokens (expiry, scope, revocation, API only) and ending people's access."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from upstream.cli.users import app as users_cli
from upstream.store import Store
from upstream.store.accounts import Accounts

runner = CliRunner()


def _token(db: str, email: str, **options: object) -> str:
    with Store(db) as store:
        return Accounts(store).create_token(email, "tests", **options)  # type: ignore[arg-type]


def _user_id(db: str, email: str) -> int:
    with Store(db) as store:
        user = Accounts(store).user(email)
        assert user is not None
        return user.id


def test_pages_ignore_api_tokens(seeded, make_app, web) -> None:
    w = seeded.workspace_id
    owner = _token(seeded.db, "owner@network.org", scope="write")
    vic = _user_id(seeded.db, "vic@southvale.gov.uk")
    auth = {"Authorization": f"Bearer {owner}"}
    with TestClient(make_app(seeded.db)) as client:
        page = client.get(f"/w/{w}/admin", headers=auth, follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"].startswith("/login")
        changed = client.post(
            f"/w/{w}/admin/members/{vic}/role", data={"role": "owner"}, headers=auth
        )
        assert changed.status_code == 403
        assert client.get("/api/workspaces", headers=auth).status_code == 200
    with Store(seeded.db) as store:
        assert Accounts(store).member(w, vic).role == "viewer"  # type: ignore[union-attr]


def test_tokens_read_only_unless_asked_and_revocable(seeded, make_app) -> None:
    reader = _token(seeded.db, "ben@southvale.gov.uk")
    writer = _token(seeded.db, "ben@southvale.gov.uk", scope="write")
    with TestClient(make_app(seeded.db)) as client:
        listed = client.get("/api/tokens", headers={"Authorization": f"Bearer {reader}"}).json()
        assert [t["scope"] for t in listed] == ["write", "read"]
        reader_id = listed[1]["id"]
        expires = listed[1]["expires_at"][:10]
        # A read token may not change anything, not even revoke itself.
        refused = client.delete(
            f"/api/tokens/{reader_id}", headers={"Authorization": f"Bearer {reader}"}
        )
        assert refused.status_code == 403 and "only read" in refused.text
        revoked = client.delete(
            f"/api/tokens/{reader_id}", headers={"Authorization": f"Bearer {writer}"}
        )
        assert revoked.status_code == 200 and revoked.json()["active"] is False
        gone = client.get("/api/workspaces", headers={"Authorization": f"Bearer {reader}"})
        assert gone.status_code == 401
    assert expires == time.strftime("%Y-%m-%d", time.gmtime(time.time() + 90 * 86400))


def test_tokens_expire(seeded_sqlite, make_app) -> None:
    from sqlalchemy import update

    from upstream.store.account_models import ApiToken
    from upstream.store.accounts import token_hash

    with TestClient(make_app(seeded_sqlite.db)) as client:
        token = _token(seeded_sqlite.db, "ben@southvale.gov.uk", lifetime=timedelta(hours=1))
        auth = {"Authorization": f"Bearer {token}"}
        assert client.get("/api/workspaces", headers=auth).status_code == 200
        # Its time runs out (set in the database, so a slow machine cannot decide the test).
        with Store(seeded_sqlite.db) as store, store.session() as session:
            session.execute(
                update(ApiToken)
                .where(ApiToken.token_hash == token_hash(token))
                .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
            )
        assert client.get("/api/workspaces", headers=auth).status_code == 401


def test_cli_lists_and_revokes_tokens_and_makes_write_tokens(seeded, make_app) -> None:
    db = seeded.db
    made = runner.invoke(
        users_cli, ["token", "vic@southvale.gov.uk", "--days", "7", "--write", "--db", db]
    )
    assert made.exit_code == 0, made.output
    secret = made.stdout.strip().splitlines()[0]
    listed = runner.invoke(users_cli, ["tokens", "vic@southvale.gov.uk", "--db", db])
    assert secret[:12] in listed.output and "write" in listed.output
    assert "working" in listed.output
    with TestClient(make_app(db)) as client:
        auth = {"Authorization": f"Bearer {secret}"}
        assert client.get("/api/workspaces", headers=auth).status_code == 200
        revoked = runner.invoke(
            users_cli, ["revoke-token", "vic@southvale.gov.uk", secret[:12], "--db", db]
        )
        assert revoked.exit_code == 0 and "no longer works" in revoked.output
        assert client.get("/api/workspaces", headers=auth).status_code == 401
    listed = runner.invoke(users_cli, ["tokens", "vic@southvale.gov.uk", "--db", db])
    assert "revoked" in listed.output


def test_password_change_ends_sessions_and_tokens(seeded, make_app, web) -> None:
    token = _token(seeded.db, "anna@northmoor.gov.uk")
    app = make_app(seeded.db)
    with TestClient(app) as browser, TestClient(app) as api:
        web.sign_in(browser, "anna@northmoor.gov.uk")
        assert browser.get("/workspaces").status_code == 200
        auth = {"Authorization": f"Bearer {token}"}
        assert api.get("/api/workspaces", headers=auth).status_code == 200
        changed = runner.invoke(
            users_cli,
            [
                "add",
                "anna@northmoor.gov.uk",
                "--workspace",
                "Learning Network",
                "--role",
                "analyst",
                "--org",
                "Northmoor Council",
                "--password",
                "a brand new one",
                "--db",
                seeded.db,
            ],
        )
        assert changed.exit_code == 0, changed.output
        assert browser.get("/workspaces", follow_redirects=False).status_code == 303
        assert api.get("/api/workspaces", headers=auth).status_code == 401
        web.sign_in(browser, "anna@northmoor.gov.uk", "a brand new one")


def test_deactivate_and_remove_members(seeded, client_for, make_app, web) -> None:
    w = seeded.workspace_id
    token = _token(seeded.db, "cara@northmoor.gov.uk")
    cara = client_for("cara@northmoor.gov.uk")
    assert cara.get(f"/w/{w}/evidence").status_code == 200
    out = runner.invoke(users_cli, ["deactivate", "cara@northmoor.gov.uk", "--db", seeded.db])
    assert out.exit_code == 0, out.output
    assert cara.get(f"/w/{w}/evidence", follow_redirects=False).status_code == 303
    with TestClient(make_app(seeded.db)) as client:
        auth = {"Authorization": f"Bearer {token}"}
        assert client.get("/api/workspaces", headers=auth).status_code == 401
        page = client.get("/login")
        refused = client.post(
            "/login",
            data={
                "email": "cara@northmoor.gov.uk",
                "password": web.password,
                "csrf_token": web.csrf_of(page.text),
            },
        )
        assert refused.status_code == 400
    with Store(seeded.db) as store:
        assert Accounts(store).user("cara@northmoor.gov.uk").is_active is False  # type: ignore[union-attr]

    # An organisation admin removes one of their own people from the workspace.
    vic_admin = client_for("admin@northmoor.gov.uk")
    anna = _user_id(seeded.db, "anna@northmoor.gov.uk")
    page = vic_admin.get(f"/w/{w}/admin")
    assert "Remove anna@northmoor.gov.uk from this workspace" in page.text
    removed = vic_admin.post(
        f"/w/{w}/admin/members/{anna}/remove", data={"csrf_token": web.csrf_of(page.text)}
    )
    assert removed.status_code == 200 and "The person was removed." in removed.text
    anna_client = client_for("anna@northmoor.gov.uk")
    assert anna_client.get(f"/w/{w}/evidence").status_code == 404
    vic = _user_id(seeded.db, "vic@southvale.gov.uk")
    other_org = vic_admin.post(
        f"/w/{w}/admin/members/{vic}/remove", data={"csrf_token": web.csrf_of(page.text)}
    )
    assert other_org.status_code == 403
    gone = runner.invoke(
        users_cli,
        ["remove", "vic@southvale.gov.uk", "--workspace", "Learning Network", "--db", seeded.db],
    )
    assert gone.exit_code == 0 and "no longer in 'Learning Network'" in gone.output
