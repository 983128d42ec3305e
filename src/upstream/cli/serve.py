"""``upstream serve``: run the web application."""

from __future__ import annotations

from typing import Annotated

import typer

from upstream.cli.common import DB_HELP, console, default_db, error_console, friendly_errors
from upstream.store import StoreError

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


def serve(
    db: Annotated[str | None, typer.Option("--db", help=DB_HELP)] = None,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="Address to listen on. The default, 127.0.0.1, accepts only this computer; "
            "to serve a team, put it behind an HTTPS reverse proxy.",
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    max_upload_mb: Annotated[
        int, typer.Option("--max-upload-mb", help="Largest file the import wizard accepts, in MB.")
    ] = 200,
    secure_cookies: Annotated[
        bool | None,
        typer.Option(
            "--secure-cookies/--no-secure-cookies",
            help="Mark cookies Secure (HTTPS only). By default they are Secure when the "
            "request came over HTTPS.",
        ),
    ] = None,
) -> None:
    """Run the web app: sign in, import evidence, browse and search it."""
    import uvicorn

    from upstream.web import create_app

    with friendly_errors(StoreError):
        app = create_app(
            db or default_db(), secure_cookies=secure_cookies, max_upload_bytes=max_upload_mb << 20
        )
    if host not in LOOPBACK:
        error_console.print(
            f"Listening on {host}: other computers can reach this server. Serve it over HTTPS "
            "(behind a reverse proxy) so passwords and evidence are encrypted."
        )
    shown = f"[{host}]" if ":" in host else host
    console.print(f"upstream is running at http://{shown}:{port}/ (press Ctrl+C to stop).")
    uvicorn.run(app, host=host, port=port, proxy_headers=True, log_level="warning")
