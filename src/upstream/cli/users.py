"""``upstream users``: people, their roles, deactivation, and API tokens (made and revoked)."""

from __future__ import annotations

from datetime import timedelta

import typer
from rich.table import Table

from upstream.cli.common import DB_HELP, console, default_db, error_console, friendly_errors
from upstream.store import Store, StoreError
from upstream.store.accounts import ROLES, AccountError, Accounts, MemberRecord

app = typer.Typer(
    help="Manage who can sign in to the web app and what they may do in each workspace.",
    no_args_is_help=True,
)

MIN_PASSWORD = 8
ROLE_HELP = (
    "Role in the workspace: owner (network convener: sees everything), org_admin "
    "(manages their organisation's people and evidence), analyst (imports and analyses), "
    "contributor (submits evidence through a form and sees only their own), or viewer "
    "(reads only)."
)
EMAIL_HELP = "The person's email address; they sign in with it."
WORKSPACE_HELP = "The workspace's name (created if it does not exist yet)."
ORG_HELP = (
    "The organisation they belong to in the workspace (created if new). They see their "
    "organisation's private evidence plus everything shared with the workspace."
)


def _check_role(role: str) -> str:
    role = role.strip().lower().replace("-", "_")
    if role not in ROLES:
        error_console.print(
            f"[bold red]Error:[/] unknown role {role!r}; use one of: {', '.join(ROLES)}."
        )
        raise typer.Exit(2)
    return role


def _ask_password() -> str:
    while True:
        password: str = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        if len(password) >= MIN_PASSWORD:
            return password
        error_console.print(f"Use at least {MIN_PASSWORD} characters.")


@app.command("add")
def add(
    email: str = typer.Argument(..., help=EMAIL_HELP),
    workspace: str = typer.Option(..., "--workspace", help=WORKSPACE_HELP),
    role: str = typer.Option(..., "--role", help=ROLE_HELP),
    org: str = typer.Option(None, "--org", help=ORG_HELP),
    password: str = typer.Option(
        None,
        "--password",
        help=(
            "Their password (at least 8 characters). Asked for when left out and they have "
            "none yet; prefer the prompt, as a password typed here stays in the shell history."
        ),
    ),
    name: str = typer.Option("", "--name", help="The name shown in the web app."),
    db: str = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Add a person to a workspace with a role (creating their account if new)."""
    role = _check_role(role)
    if password is not None and len(password) < MIN_PASSWORD:
        error_console.print(
            f"[bold red]Error:[/] use a password of at least {MIN_PASSWORD} characters."
        )
        raise typer.Exit(2)
    with friendly_errors(StoreError):
        store = Store(db or default_db())
        accounts = Accounts(store)
        existing = accounts.user(email)
        if password is None and (existing is None or not existing.has_password):
            password = _ask_password()
        user, created = accounts.ensure_user(email, password=password, display_name=name)
        known = {w.name for w in store.workspaces()}
        space = store.workspace(workspace, create=True)
        member = accounts.set_membership(space, user.email, role, organisation=org)
        store.close()
    if workspace not in known:
        console.print(f"Created the workspace '{workspace}'.")
    what = "Added" if created else "Updated"
    where = f" for {member.organisation}" if member.organisation else ""
    console.print(f"{what} {user.email}: {member.role}{where} in '{member.workspace}'.")


@app.command("list")
def list_users(
    workspace: str = typer.Option(None, "--workspace", help="Only people in this workspace."),
    db: str = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """List people, their workspaces, roles and organisations."""
    with friendly_errors(StoreError):
        store = Store(db or default_db())
        accounts = Accounts(store)
        if workspace:
            members = accounts.members(store.workspace(workspace))
            users = {m.user_id for m in members}
        else:
            members = accounts.memberships()
            users = {u.id for u in accounts.users()}
        everyone = [u for u in accounts.users() if u.id in users]
        store.close()
    if not everyone:
        console.print(
            "No people yet. Add one with: upstream users add EMAIL --workspace W --role R"
        )
        return
    table = Table()
    table.add_column("Email", no_wrap=True)  # what people are found by: never broken
    for heading in ("Name", "Workspace", "Role", "Organisation", "Can sign in"):
        table.add_column(heading)
    for user in everyone:
        theirs: list[MemberRecord | None] = [m for m in members if m.user_id == user.id]
        theirs = theirs or [None]
        for m in theirs:
            table.add_row(
                user.email,
                user.display_name,
                m.workspace if m else "—",
                m.role if m else "—",
                (m.organisation or "—") if m else "—",
                "yes"
                if user.is_active and user.has_password
                else ("no (deactivated)" if not user.is_active else "no (no password)"),
            )
    console.print(table)


@app.command("set-role")
def set_role(
    email: str = typer.Argument(..., help=EMAIL_HELP),
    workspace: str = typer.Option(..., "--workspace", help="The workspace's name."),
    role: str = typer.Option(..., "--role", help=ROLE_HELP),
    org: str = typer.Option(
        None, "--org", help="Move them to this organisation too (kept as it is when left out)."
    ),
    db: str = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Change a person's role in a workspace (the change is written to the audit log)."""
    role = _check_role(role)
    with friendly_errors(StoreError):
        store = Store(db or default_db())
        member = Accounts(store).set_membership(
            store.workspace(workspace), email, role, organisation=org, keep_organisation=org is None
        )
        store.close()
    where = f" for {member.organisation}" if member.organisation else ""
    console.print(f"{member.email} is now {member.role}{where} in '{member.workspace}'.")


@app.command("token")
def token(
    email: str = typer.Argument(..., help="Whose token: it acts with their roles."),
    name: str = typer.Option("", "--name", help="A label to recognise the token by later."),
    days: int = typer.Option(
        90, "--days", min=1, max=3650, help="How many days the token works for (default 90)."
    ),
    write: bool = typer.Option(
        False,
        "--write",
        help="Let the token change things too. Without this it may only read.",
    ),
    db: str = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Create an API token; send it as 'Authorization: Bearer TOKEN'. It is shown only once."""
    scope = "write" if write else "read"
    with friendly_errors(StoreError):
        store = Store(db or default_db())
        secret = Accounts(store).create_token(
            email, name, lifetime=timedelta(days=days), scope=scope
        )
        store.close()
    console.print(secret, soft_wrap=True)
    error_console.print(
        "Keep this token secret: it is shown only once and works like a password for the API. "
        f"It works for {days} days and may {'read and change' if write else 'only read'}. "
        f"Stop it working with: upstream users revoke-token {email} {secret[:12]}"
    )


@app.command("tokens")
def tokens(
    email: str = typer.Argument(..., help="Whose tokens."),
    db: str = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """List a person's API tokens: their start, scope and when they stop working."""
    with friendly_errors(StoreError):
        store = Store(db or default_db())
        accounts = Accounts(store)
        user = accounts.user(email)
        if user is None:
            raise AccountError(f"No user with the email {email!r}.")
        found = accounts.tokens(user.id)
        store.close()
    if not found:
        console.print(f"{user.email} has no API tokens.")
        return
    table = Table()
    for heading in ("Starts with", "Name", "Scope", "Created", "Works until", "State"):
        table.add_column(heading)
    for t in found:
        state = "revoked" if t.revoked_at else ("working" if t.active else "expired")
        table.add_row(
            t.prefix,
            t.name,
            t.scope,
            f"{t.created_at:%Y-%m-%d}",
            f"{t.expires_at:%Y-%m-%d}" if t.expires_at else "—",
            state,
        )
    console.print(table)


@app.command("revoke-token")
def revoke_token(
    email: str = typer.Argument(..., help="Whose token."),
    start: str = typer.Argument(..., help="The start of the token, as 'users tokens' lists it."),
    db: str = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Stop an API token working, straight away."""
    with friendly_errors(StoreError):
        store = Store(db or default_db())
        accounts = Accounts(store)
        user = accounts.user(email)
        if user is None:
            raise AccountError(f"No user with the email {email!r}.")
        revoked = accounts.revoke_token(user.id, start, actor="command line")
        store.close()
    console.print(f"The token {revoked.prefix}… of {user.email} no longer works.")


@app.command("remove")
def remove(
    email: str = typer.Argument(..., help=EMAIL_HELP),
    workspace: str = typer.Option(..., "--workspace", help="The workspace's name."),
    db: str = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Take a person out of a workspace (written to the audit log)."""
    with friendly_errors(StoreError):
        store = Store(db or default_db())
        removed = Accounts(store).remove_membership(store.workspace(workspace), email)
        store.close()
    console.print(f"{removed.email} is no longer in '{removed.workspace}'.")


@app.command("deactivate")
def deactivate(
    email: str = typer.Argument(..., help=EMAIL_HELP),
    db: str = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Stop a person signing in; their sessions and API tokens stop working at once."""
    with friendly_errors(StoreError):
        store = Store(db or default_db())
        user = Accounts(store).set_active(email, False)
        store.close()
    console.print(f"{user.email} can no longer sign in. Undo with: upstream users reactivate")


@app.command("reactivate")
def reactivate(
    email: str = typer.Argument(..., help=EMAIL_HELP),
    db: str = typer.Option(None, "--db", help=DB_HELP),
) -> None:
    """Let a deactivated person sign in again (they need new API tokens)."""
    with friendly_errors(StoreError):
        store = Store(db or default_db())
        user = Accounts(store).set_active(email, True)
        store.close()
    console.print(f"{user.email} can sign in again.")
