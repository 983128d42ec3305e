"""The application factory: wires settings, security, routes and error pages together."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exception_handlers import (
    http_exception_handler,
    request_validation_exception_handler,
)
from fastapi.exceptions import RequestValidationError
from fastapi.responses import PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from platformdirs import user_cache_path
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from upstream import __version__
from upstream.jobs import Jobs
from upstream.settings import Settings, resolve_settings
from upstream.store import Store
from upstream.store.accounts import Accounts
from upstream.web.background import register_job_kinds
from upstream.web.forms import MAX_ID
from upstream.web.permissions import LoginRequired, is_api, login_url
from upstream.web.routes import (
    admin,
    api,
    appraisal,
    auth,
    benefits,
    coding,
    collection_logo,
    collections,
    dashboards,
    evidence,
    imports,
    jobs,
    library,
    peers,
    roundtables,
    survey_respondents,
    surveys,
    theme_export,
    theme_parts,
    theme_report,
    themes,
    workgroups,
    workspaces,
)
from upstream.web.security import SecurityHeadersMiddleware, csrf_protect
from upstream.web.settings import MB, Services, WebSettings
from upstream.web.templating import make_environment, render
from upstream.web.uploads import UploadStore
from upstream.workflows.network.collection_logo import LOGO_LIMIT_BYTES

STATIC = Path(__file__).parent / "static"
FORM_BODY_LIMIT = 1 * MB
HEADINGS = {
    400: "Please check what you sent",
    403: "You cannot do that",
    404: "Page not found",
    405: "That is not possible here",
    413: "The file is too large",
    415: "That type of file cannot be used",
    422: "Please check what you sent",
    429: "Too many attempts",
}


def make_services(
    db: str | Path,
    *,
    settings: Settings | None = None,
    secure_cookies: bool | None = None,
    max_upload_bytes: int | None = None,
    upload_dir: str | Path | None = None,
    run_jobs_here: bool | None = None,
    job_threads: int = 2,
) -> Services:
    """What the web app and a job worker share: the store, accounts, settings, jobs.

    Args:
        db: A SQLite file path or a PostgreSQL URL.
        settings: The resolved settings (default: resolved from the environment now).
        secure_cookies: See :func:`create_app`.
        max_upload_bytes: See :func:`create_app`.
        upload_dir: See :func:`create_app`.
        run_jobs_here: Run background jobs in this process (default: unless the
            ``jobs`` setting is ``queue``); a job worker always does.
        job_threads: Jobs this process runs at once.

    Raises:
        StoreError: If the database cannot be opened or needs migrating.
        SettingsError: If ``settings`` is not given and an environment variable is wrong.
    """
    resolved = settings or resolve_settings()
    run_here = resolved.jobs != "queue" if run_jobs_here is None else run_jobs_here
    store = Store(db)
    view = WebSettings.from_settings(resolved, user_cache_path("upstream") / "uploads")
    settings_view = replace(
        view,
        secure_cookies=view.secure_cookies if secure_cookies is None else secure_cookies,
        max_upload_bytes=max_upload_bytes or view.max_upload_bytes,
        upload_dir=Path(upload_dir) if upload_dir else view.upload_dir,
    )
    svc = Services(
        store=store,
        accounts=Accounts(store),
        settings=settings_view,
        templates=make_environment(),
        jobs=Jobs(store, workers=job_threads, run_here=run_here),
        uploads=UploadStore(
            settings_view.upload_dir,
            max_bytes=settings_view.max_upload_bytes,
            max_age=settings_view.upload_max_age,
        ),
    )

    register_job_kinds(svc)
    return svc


def create_app(
    db: str | Path,
    *,
    settings: Settings | None = None,
    secure_cookies: bool | None = None,
    max_upload_bytes: int | None = None,
    upload_dir: str | Path | None = None,
) -> FastAPI:
    """Build the upstream web application for one store.

    Args:
        db: A SQLite file path or a PostgreSQL URL (see :class:`upstream.store.Store`).
        settings: The resolved settings (default: resolved from the environment now).
            The arguments below, when given, take precedence over them.
        secure_cookies: Mark cookies Secure. None decides per request: Secure when
            it came over HTTPS.
        max_upload_bytes: Largest file the import wizard accepts (default 200 MB).
        upload_dir: Where uploads wait between the wizard's steps (default: the
            user's cache folder).

    Returns:
        A FastAPI app; serve it with uvicorn (``upstream serve`` does this).

    Raises:
        StoreError: If the database cannot be opened or needs migrating.
        SettingsError: If ``settings`` is not given and an environment variable is wrong.
    """
    svc = make_services(
        db,
        settings=settings,
        secure_cookies=secure_cookies,
        max_upload_bytes=max_upload_bytes,
        upload_dir=upload_dir,
    )
    store = svc.store
    # Jobs this database shows as going were left by a server that stopped: say so.
    svc.jobs.recover()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        svc.jobs.shutdown()
        store.close()

    app = FastAPI(
        title="upstream",
        version=__version__,
        description=(
            "Evidence, codings, themes and runs of the workspaces you belong to. "
            "Send `Authorization: Bearer <token>`; create a token with `upstream users token`."
        ),
        openapi_url="/api/openapi.json",
        docs_url=None,  # the interactive docs load scripts from a CDN, which we never do
        redoc_url=None,
        lifespan=lifespan,
        dependencies=[Depends(ids_in_range), Depends(csrf_protect)],
        max_body_size=FORM_BODY_LIMIT,
    )
    app.state.services = svc
    app.add_middleware(SecurityHeadersMiddleware)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(auth.router)
    app.include_router(workspaces.router)
    app.include_router(evidence.router)
    app.include_router(imports.router)
    upload_limit = svc.settings.max_upload_bytes + FORM_BODY_LIMIT
    app.include_router(imports.upload_router, max_body_size=upload_limit)
    app.include_router(jobs.router)
    app.include_router(coding.router)
    app.include_router(dashboards.router)
    # Before the themes routes, whose /themes/{theme_id} would take "report" for an id.
    app.include_router(theme_report.router)
    app.include_router(theme_export.router)
    app.include_router(themes.router)
    app.include_router(theme_parts.router)
    app.include_router(surveys.router)
    app.include_router(survey_respondents.router)
    app.include_router(surveys.upload_router, max_body_size=upload_limit)
    app.include_router(collections.router)
    app.include_router(collection_logo.public_router)
    app.include_router(
        collection_logo.upload_router, max_body_size=LOGO_LIMIT_BYTES + FORM_BODY_LIMIT
    )
    app.include_router(workgroups.router)
    app.include_router(library.router)
    app.include_router(peers.router)
    app.include_router(roundtables.router)
    app.include_router(benefits.router)
    app.include_router(appraisal.router)
    app.include_router(admin.router)
    app.include_router(api.router)
    _add_error_pages(app)

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> PlainTextResponse:
        return PlainTextResponse("ok")

    return app


async def ids_in_range(request: Request) -> None:
    """Answer 404 for an address whose id is larger than any id can be.

    Runs before every route's own dependencies, so an id such as
    ``99999999999999999999`` never reaches the database (where SQLite cannot
    bind it and PostgreSQL calls it out of range).
    """
    for value in request.path_params.values():
        if isinstance(value, str) and value.isdigit() and int(value) > MAX_ID:
            raise StarletteHTTPException(status_code=404)


def _add_error_pages(app: FastAPI) -> None:
    @app.exception_handler(OverflowError)
    async def too_large(request: Request, _exc: Exception) -> Response:
        # A number in the query string too large for the database, e.g. ?offset=10**30.
        message = "A number in the address is too large."
        if is_api(request):
            return PlainTextResponse(
                '{"detail":"' + message + '"}', status_code=400, media_type="application/json"
            )
        return await _error_page(request, 400, message, [])

    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, _exc: Exception) -> Response:
        if is_api(request):
            return PlainTextResponse(
                '{"detail":"Sign in with an API token: Authorization: Bearer <token>."}',
                status_code=401,
                media_type="application/json",
                headers={"WWW-Authenticate": "Bearer"},
            )
        return RedirectResponse(login_url(request), status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, StarletteHTTPException)
        if is_api(request):
            return await http_exception_handler(request, exc)
        message = exc.detail if isinstance(exc.detail, str) else "The request was not right."
        if exc.status_code == 404 and message == "Not Found":
            message = "There is nothing at this address. Check it, or go back and try again."
        if exc.status_code == 413 and message == "Content Too Large":
            message = "What you sent is larger than this server accepts."
        return await _error_page(request, exc.status_code, message, [])

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        if is_api(request):
            return await request_validation_exception_handler(request, exc)
        if any(error.get("loc", ("",))[0] == "path" for error in exc.errors()):
            # "/evidence/new" is not an item number: no such page, not a bad form.
            message = "There is nothing at this address. Check it, or go back and try again."
            return await _error_page(request, 404, message, [])
        problems = [
            f"{' '.join(str(p) for p in error.get('loc', ())[1:]) or 'value'}: {error.get('msg')}"
            for error in exc.errors()
        ]
        return await _error_page(request, 400, "Some of what was sent was not valid.", problems)


async def _error_page(request: Request, status: int, message: str, problems: list[str]) -> Response:
    heading = HEADINGS.get(status, "Something went wrong")

    def page() -> Response:
        return render(
            request,
            "error.html",
            {"title": heading, "heading": heading, "message": message, "problems": problems},
            status_code=status,
        )

    return await run_in_threadpool(page)


def app_from_environment() -> FastAPI:
    """The web app for the settings in the environment (each ``serve --workers`` process).

    Raises:
        StoreError: If the database cannot be opened or needs migrating.
        SettingsError: If an environment variable is wrong.
    """
    settings = resolve_settings()
    return create_app(settings.db, settings=settings)
