"""``upstream users``: add, list, set-role and token, against a real store."""

from __future__ import annotations

import typer
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from upstream.cli.users import app
from upstream.store import Store
from upstream.store.accounts import Accounts

runner = CliRunner()


def test_add_list_set_role_and_token(db_url: str, make_app, web) -> None:
    added = runner.invoke(
        app,
        [
            "add",
            "Dee@Northmoor.gov.uk",
            "--workspace",
            "Pilots",
            "--role",
            "org_admin",
            "--org",
            "Northmoor Council",
            "--password",
            "a long password",
            "--name",
            "Dee",
            "--db",
            db_url,
        ],
    )
    assert added.exit_code == 0, added.output
    assert "Created the workspace 'Pilots'" in added.output
    assert "Added dee@northmoor.gov.uk: org_admin for Northmoor Council in 'Pilots'" in added.output

    prompted = runner.invoke(
        app,
        ["add", "eve@x.org", "--workspace", "Pilots", "--role", "viewer", "--db", db_url],
        input="short\nshort\nanother long one\nanother long one\n",
    )
    assert prompted.exit_code == 0, prompted.output
    assert "at least 8 characters" in prompted.output

    listed = runner.invoke(app, ["list", "--db", db_url])
    assert listed.exit_code == 0
    assert "dee@northmoor.gov.uk" in listed.output and "Northmoor" in listed.output
    assert "eve@x.org" in listed.output

    changed = runner.invoke(
        app, ["set-role", "eve@x.org", "--workspace", "Pilots", "--role", "analyst", "--db", db_url]
    )
    assert changed.exit_code == 0 and "eve@x.org is now analyst in 'Pilots'" in changed.output

    bad_role = runner.invoke(
        app, ["set-role", "eve@x.org", "--workspace", "Pilots", "--role", "king", "--db", db_url]
    )
    assert bad_role.exit_code == 2 and "unknown role" in bad_role.output
    nobody = runner.invoke(
        app,
        ["set-role", "nobody@x.org", "--workspace", "Pilots", "--role", "viewer", "--db", db_url],
    )
    assert nobody.exit_code == 1 and "No user with the email" in nobody.output

    made = runner.invoke(app, ["token", "eve@x.org", "--name", "laptop", "--db", db_url])
    assert made.exit_code == 0
    token = made.stdout.strip().splitlines()[0]
    assert token.startswith("ups_")
    with Store(db_url) as store:
        workspace = store.workspace("Pilots")
        actions = [e.action for e in workspace.audit_log()]
    assert actions.count("role_change") == 3

    with TestClient(make_app(db_url)) as client:
        spaces = client.get("/api/workspaces", headers={"Authorization": f"Bearer {token}"})
        assert spaces.json()[0]["role"] == "analyst"
        web.sign_in(client, "dee@northmoor.gov.uk", "a long password")
        assert "Pilots" in client.get("/workspaces").text


def test_every_option_has_help() -> None:
    commands = typer.main.get_command(app).commands  # type: ignore[attr-defined]
    assert set(commands) == {
        "add",
        "list",
        "set-role",
        "token",
        "tokens",
        "revoke-token",
        "remove",
        "deactivate",
        "reactivate",
    }
    for name, command in commands.items():
        assert command.help, name
        for param in command.params:
            if param.name == "help":
                continue
            assert getattr(param, "help", None), f"{name}: {param.name} has no help"


def test_real_argon2_hashes(tmp_path, monkeypatch) -> None:
    # The autouse fixture makes hashing cheap; check the production hasher too.
    from argon2 import PasswordHasher

    from upstream.store import accounts as module

    monkeypatch.setattr(module, "_hasher", PasswordHasher())
    with Store(tmp_path / "a.db") as store:
        accounts = Accounts(store)
        accounts.ensure_user("x@y.org", password="s3cret password")
        with store.engine.connect() as connection:
            stored = connection.exec_driver_sql("SELECT password_hash FROM user_account").scalar()
        assert str(stored).startswith("$argon2id$") and "s3cret" not in str(stored)
        assert accounts.check_password("X@Y.org", "s3cret password") is not None
        assert accounts.check_password("x@y.org", "wrong") is None
