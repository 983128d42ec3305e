"""Sessions, CSRF protection, cookies and security headers.

* The session cookie holds a random token; the database keeps only its hash,
  the user, and the session's CSRF token (a synchronizer token).
* Every request that can change state (anything but GET, HEAD and OPTIONS) must
  carry that CSRF token in a ``csrf_token`` form field or an ``X-CSRF-Token``
  header, or it is refused with 403. API requests (under ``/api/``) authenticated
  only by an API token (``Authorization: Bearer``, no cookie) are exempt: a
  browser cannot be tricked into sending that header to another site. Pages
  never accept a token, so they are never exempt.
* Every response carries a strict Content-Security-Policy and friends.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Final

from fastapi import HTTPException
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from upstream.store.accounts import SessionRecord
from upstream.web.settings import services

SESSION_COOKIE: Final = "upstream_session"
FORM_COOKIE: Final = "upstream_form"
"""Signed-out visitors' form token (sign-in, story forms): a cookie, never a database row."""
CSRF_FIELD: Final = "csrf_token"
CSRF_HEADER: Final = "x-csrf-token"
SAFE_METHODS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
CONTENT_SECURITY_POLICY: Final = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
_NO_SESSION: Final = object()


def bearer_token(request: Request) -> str | None:
    """The API token from an ``Authorization: Bearer`` header, if there is one."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return token.strip() or None


def current_session(request: Request) -> SessionRecord | None:
    """The live session named by the request's cookie (looked up once per request)."""
    cached = getattr(request.state, "session_record", _NO_SESSION)
    if cached is not _NO_SESSION:
        return cached  # type: ignore[return-value]
    token = request.cookies.get(SESSION_COOKIE)
    found = None
    if token:
        svc = services(request)
        found = svc.accounts.find_session(token, svc.settings.session_lifetime)
    request.state.session_record = found
    return found


def use_secure_cookies(request: Request) -> bool:
    """Whether cookies must be marked Secure for this request."""
    configured = services(request).settings.secure_cookies
    return request.url.scheme == "https" if configured is None else configured


def set_session_cookie(request: Request, response: Response, token: str) -> None:
    """Send the session cookie: HttpOnly, SameSite=Lax, Secure over HTTPS."""
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=use_secure_cookies(request),
        path="/",
    )


def clear_session_cookie(request: Request, response: Response) -> None:
    """Tell the browser to forget the session cookie."""
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=use_secure_cookies(request)
    )


def start_session(request: Request, user_id: int) -> str:
    """Open a new signed-in session.

    Returns:
        The cookie value; send it with :func:`set_session_cookie`.
    """
    svc = services(request)
    token, record = svc.accounts.open_session(user_id, svc.settings.session_lifetime)
    request.state.session_record = record
    return token


def form_token(request: Request) -> str:
    """The CSRF token for this request's forms.

    Signed-in people use their session's token. A signed-out visitor (the sign-in
    form, a public story form) gets a random token in a cookie of its own and the
    same token in the form, and the two must match when the form comes back; so
    looking at a page writes nothing to the database.
    """
    session = current_session(request)
    if session is not None:
        return session.csrf_token
    token = getattr(request.state, "form_token", None)
    if not isinstance(token, str):
        token = request.cookies.get(FORM_COOKIE) or ""
        if len(token) < 32:
            token = secrets.token_urlsafe(32)
            request.state.new_form_token = True
        request.state.form_token = token
    return token


def keep_form_token(request: Request, response: Response) -> None:
    """Send a signed-out visitor's new form token cookie, when this request made one."""
    if getattr(request.state, "new_form_token", False):
        response.set_cookie(
            FORM_COOKIE,
            str(request.state.form_token),
            httponly=True,
            samesite="lax",
            secure=use_secure_cookies(request),
            path="/",
            max_age=int(services(request).settings.anonymous_lifetime.total_seconds()),
        )


async def csrf_protect(request: Request) -> None:
    """Refuse a state-changing request whose CSRF token is missing or wrong (403).

    Installed as a dependency of the whole application, so no route can forget it.
    """
    if request.method in SAFE_METHODS:
        return
    api = request.url.path.startswith("/api/")
    if api and bearer_token(request) and SESSION_COOKIE not in request.cookies:
        return
    session = await run_in_threadpool(current_session, request)
    expected = session.csrf_token if session is not None else request.cookies.get(FORM_COOKIE, "")
    supplied = request.headers.get(CSRF_HEADER)
    if not supplied and len(expected) >= 32:  # nothing to match: refuse without reading the body
        form = await request.form()
        value = form.get(CSRF_FIELD)
        supplied = value if isinstance(value, str) else None
    if (
        len(expected) < 32
        or not supplied
        or not hmac.compare_digest(supplied.encode(), expected.encode())
    ):
        raise HTTPException(
            status_code=403,
            detail=(
                "This form has expired or did not come from upstream. "
                "Go back, reload the page and try again."
            ),
        )


class SecurityHeadersMiddleware:
    """Add the Content-Security-Policy and other protective headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, adding headers to the response as it starts."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = str(scope.get("path", ""))
        https = scope.get("scheme") == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "same-origin"
                headers["X-Frame-Options"] = "DENY"
                headers["Cross-Origin-Opener-Policy"] = "same-origin"
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
                if https:
                    headers["Strict-Transport-Security"] = "max-age=31536000"
                if "cache-control" not in headers:
                    static = path.startswith("/static/")
                    headers["Cache-Control"] = "public, max-age=3600" if static else "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)
