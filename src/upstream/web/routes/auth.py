"""Signing in and out, with rate-limiting of password guesses."""

from __future__ import annotations

import math
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response

from upstream.store.accounts import normalise_email
from upstream.store.rate_limits import RateLimits
from upstream.web.permissions import safe_next, signed_in_user
from upstream.web.security import (
    SESSION_COOKIE,
    clear_session_cookie,
    set_session_cookie,
    start_session,
)
from upstream.web.settings import services
from upstream.web.templating import render

router = APIRouter(include_in_schema=False)
# Guesses at one account from all addresses together may be this many times the
# per-address limit before that account is refused everywhere for a while.
ACCOUNT_LIMIT_FACTOR = 10


def login_keys(email: str, address: str) -> tuple[str, str]:
    """The rate-limit keys of a sign-in: the account with the address, and the account."""
    account = normalise_email(email)
    return f"login:{account}|{address}", f"login-account:{account}"


def client_address(request: Request) -> str:
    """The address the request came from (as the server sees it)."""
    return request.client.host if request.client else "unknown"


@router.get("/")
def home(request: Request) -> Response:
    """Send signed-in people to their workspace, everyone else to sign in."""
    user = signed_in_user(request)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    memberships = services(request).accounts.memberships(user.id)
    if len(memberships) == 1:
        return RedirectResponse(f"/w/{memberships[0].workspace_id}", status_code=303)
    return RedirectResponse("/workspaces", status_code=303)


@router.get("/login")
def login_form(request: Request, next: str = "/", signed_out: bool = False) -> Response:
    """The sign-in form (its CSRF token is kept in a cookie until the person signs in)."""
    if signed_in_user(request) is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(
        request,
        "login.html",
        {
            "title": "Sign in",
            "next": safe_next(next),
            "email": "",
            "error": "",
            "signed_out": signed_out,
        },
    )


@router.post("/login")
def login(
    request: Request,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    """Check the password, unless this account has had too many guesses from here (429).

    Guesses are limited per account *and* address, so someone guessing cannot
    lock the real person (or everyone else behind the same address) out; a much
    larger limit per account alone slows guessing from many addresses.
    """
    svc = services(request)
    settings = svc.settings
    address = client_address(request)
    email = email.strip()
    limits = RateLimits(svc.store)
    pair, account = login_keys(email, address)
    allowance = limits.take(pair, limit=settings.login_max_failures, window=settings.login_window)
    if allowance.allowed:
        allowance = limits.take(
            account,
            limit=settings.login_max_failures * ACCOUNT_LIMIT_FACTOR,
            window=settings.login_window,
        )
    if not allowance.allowed:
        svc.accounts.record_attempt(email, address, "refused")
        wait = max(1, math.ceil(allowance.retry_after.total_seconds() / 60))
        unit = "minute" if wait == 1 else "minutes"
        return PlainTextResponse(
            f"Too many failed sign-in attempts. Wait {wait} {unit}, then try again.",
            status_code=429,
            headers={"Retry-After": str(math.ceil(allowance.retry_after.total_seconds()))},
        )
    user = svc.accounts.check_password(email, password) if email and password else None
    if user is None:
        svc.accounts.record_attempt(email, address, "failure")
        limits.lock_out_if_spent(
            pair, limit=settings.login_max_failures, first_lockout=settings.login_window
        )
        svc.accounts.audit(email or "(blank)", "sign_in_failed", "user", address=address)
        page = render(
            request,
            "login.html",
            {
                "title": "Sign in",
                "next": safe_next(next),
                "email": email,
                "signed_out": False,
                "error": "The email address or password is not right. Check them and try again.",
            },
            status_code=400,
        )
        return page
    svc.accounts.record_attempt(email, address, "success")
    limits.clear(pair)
    limits.clear(account)
    svc.accounts.audit(user.email, "sign_in", "user", user.id, address=address)
    old = request.cookies.get(SESSION_COOKIE)
    if old:
        svc.accounts.close_session(old)  # a new session id on sign-in stops session fixation
    response = RedirectResponse(safe_next(next), status_code=303)
    set_session_cookie(request, response, start_session(request, user.id))
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    """End the session and forget the cookie."""
    svc = services(request)
    user = signed_in_user(request)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        svc.accounts.close_session(token)
    if user is not None:
        svc.accounts.audit(user.email, "sign_out", "user", user.id)
    response = RedirectResponse("/login?signed_out=1", status_code=303)
    clear_session_cookie(request, response)
    return response
