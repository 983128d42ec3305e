"""``upstream serve``: run the web application."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from upstream.cli.common import DB_HELP, console, error_console, friendly_errors, settings
from upstream.store import Store, StoreError

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
WORKER_HEALTHCHECK_SECONDS = 300


def serve(
    db: Annotated[str | None, typer.Option("--db", help=DB_HELP)] = None,
    host: Annotated[
        str | None,
        typer.Option(
            "--host",
            help="Address to listen on. The default, $UPSTREAM_HOST or 127.0.0.1, accepts "
            "only this computer; to serve a team, put it behind an HTTPS reverse proxy.",
        ),
    ] = None,
    port: Annotated[
        int | None, typer.Option("--port", help="Port to listen on ($UPSTREAM_PORT or 8000).")
    ] = None,
    max_upload_mb: Annotated[
        int | None,
        typer.Option(
            "--max-upload-mb",
            help="Largest file the import wizard accepts, in MB ($UPSTREAM_MAX_UPLOAD_MB or 200).",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            help="Processes to run ($UPSTREAM_WORKERS or 1). More than one serves a team "
            "from one database; background jobs and sign-ins are shared through it.",
        ),
    ] = None,
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

    chosen = settings().with_options(
        db=db,
        host=host,
        port=port,
        max_upload_mb=max_upload_mb,
        secure_cookies=secure_cookies,
        workers=workers,
    )
    host, port = chosen.host, chosen.port
    with friendly_errors(StoreError):
        if chosen.workers > 1:
            # Migrate once here, so the workers start on a database that is ready.
            Store(chosen.db).close()
        else:
            app = create_app(chosen.db, settings=chosen)
    if host not in LOOPBACK:
        error_console.print(
            f"Listening on {host}: other computers can reach this server. Serve it over HTTPS "
            "(behind a reverse proxy) so passwords and evidence are encrypted."
        )
    shown = f"[{host}]" if ":" in host else host
    console.print(f"upstream is running at http://{shown}:{port}/ (press Ctrl+C to stop).")
    if chosen.workers > 1:
        console.print(f"Serving with {chosen.workers} processes.")
        os.environ.update(chosen.as_environment())
        uvicorn.run(
            "upstream.web.app:app_from_environment",
            factory=True,
            workers=chosen.workers,
            host=host,
            port=port,
            proxy_headers=True,
            log_level="warning",
            # A worker that has not answered the supervisor's ping within this many
            # seconds is killed and started again. uvicorn's 5 s is shorter than
            # loading the app takes on a busy machine, which then restarts forever.
            timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS,
        )
        return
    uvicorn.run(app, host=host, port=port, proxy_headers=True, log_level="warning")
