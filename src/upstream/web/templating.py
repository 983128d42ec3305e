"""Jinja2 templates (autoescaped) and the helper every page renders through."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse

from upstream import __version__
from upstream.benefits.rounding import pounds
from upstream.coding.thresholds import MIN_LABELS
from upstream.policy import shown_count
from upstream.policy.quotes import mask_swearing
from upstream.reports.headlines import lower_first, upper_first
from upstream.settings import read_setting
from upstream.web.labels import attribute_label, embedder_label, setting_label
from upstream.web.permissions import ROLE_CAPABILITIES, ROLE_LABELS, Can, signed_in_user
from upstream.web.security import form_token, keep_form_token
from upstream.web.settings import services
from upstream.workflows.certainty import THRESHOLD_SOURCES
from upstream.workflows.network.library import recommend
from upstream.workflows.network.peers import CONFIDENT_ADVICE

TEMPLATES = Path(__file__).parent / "templates"


def _when(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%-d %b %Y, %H:%M")
    return value.strftime("%-d %b %Y")


def _number(value: int | float | str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):  # already as it may be shown ("fewer than 10")
        return value
    return f"{value:,}" if isinstance(value, int) else f"{value:,.2f}"


def _filesize(size: int) -> str:
    if size < 1024:
        return f"{size:,} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:,.1f} KB"
    return f"{size / (1024 * 1024):,.1f} MB"


def _query(args: dict[str, Any], **changes: Any) -> str:
    merged = {**args, **changes}
    return urlencode({k: v for k, v in merged.items() if v not in (None, "")})


def make_environment() -> Environment:
    """The template environment: autoescaping on for every template, unknown names fail."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["when"] = _when
    env.filters["number"] = _number
    env.filters["pounds"] = pounds
    env.filters["group_size"] = shown_count  # a group's size, "fewer than 10" when small
    env.filters["filesize"] = _filesize
    env.filters["quoted"] = mask_swearing  # an item's text shown as a quote
    # The server's folders are not the reader's business; the file's name is enough.
    env.filters["file_name"] = lambda value: PurePath(str(value)).name or str(value)
    env.filters["attribute_label"] = attribute_label
    env.filters["setting_label"] = setting_label
    env.filters["sentence_start"] = upper_first  # keeps the case of names after the first letter
    env.filters["mid_sentence"] = lower_first  # "Legacy IT" -> "legacy IT", not "legacy it"
    env.globals["query"] = _query
    env.globals["role_label"] = lambda role: ROLE_LABELS.get(role, role)
    env.globals["Can"] = Can
    env.globals["confident_advice"] = CONFIDENT_ADVICE  # a way past needs this much, or a person
    env.globals["capabilities"] = lambda role: ROLE_CAPABILITIES.get(role, frozenset())
    env.globals["version"] = __version__
    env.globals["min_labels"] = MIN_LABELS
    env.globals["threshold_sources"] = THRESHOLD_SOURCES
    env.globals["embedder_label"] = embedder_label
    env.globals["recommend_products"] = recommend  # for _recommendations.html
    return env


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    status_code: int = 200,
    active: str = "",
) -> HTMLResponse:
    """Render a page with the layout's shared context (user, workspace, CSRF token, nav).

    Args:
        request: The request being answered.
        template: Template file name under ``web/templates``.
        context: Values for the template.
        status_code: HTTP status of the response.
        active: Which navigation entry is the current page.
    """
    svc = services(request)
    user = signed_in_user(request)
    actor = getattr(request.state, "actor", None)
    memberships = svc.accounts.memberships(user.id) if user is not None else []
    values: dict[str, Any] = {
        "request": request,
        "user": user,
        "actor": actor,
        "memberships": memberships,
        "csrf_token": form_token(request),
        "active": active,
        "title": "",
        # The footer must not promise that nothing leaves the server when something does.
        "model_endpoint": read_setting("endpoint"),
        **(context or {}),
    }
    html = svc.templates.get_template(template).render(values)
    response = HTMLResponse(html, status_code=status_code)
    keep_form_token(request, response)
    return response
