"""Settings for one web application instance, and the services its routes share.

The values people can set come from :mod:`upstream.settings`; :class:`WebSettings`
is the web app's view of them, with the fixed limits beside.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, cast

from starlette.requests import Request

from upstream.settings import Settings
from upstream.store import Store
from upstream.store.accounts import Accounts
from upstream.web.caches import Caches

if TYPE_CHECKING:
    from jinja2 import Environment

    from upstream.jobs import Jobs
    from upstream.web.uploads import UploadStore

MB = 1024 * 1024
DEFAULT_MAX_UPLOAD_BYTES = 200 * MB


@dataclass(frozen=True)
class WebSettings:
    """How the web app behaves.

    Attributes:
        secure_cookies: Mark cookies Secure. None means "when the request came over HTTPS".
        max_upload_bytes: Largest file the import wizard accepts.
        upload_dir: Where uploaded files wait between the wizard's steps.
        session_lifetime: How long a signed-in session lasts without activity.
        anonymous_lifetime: How long a signed-out visitor's sign-in form stays valid.
        login_window: The period failed sign-ins are counted over.
        login_max_failures: Failed sign-ins allowed in that period before refusing.
        page_size: Items per page in the evidence, coding and theme lists.
        upload_max_age: Uploads and rejects files older than this are deleted.
        search_model: The text model meaning search uses.
    """

    secure_cookies: bool | None = None
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    upload_dir: Path = field(default_factory=lambda: Path("upstream-uploads"))
    session_lifetime: timedelta = timedelta(hours=8)
    anonymous_lifetime: timedelta = timedelta(hours=2)
    login_window: timedelta = timedelta(minutes=15)
    login_max_failures: int = 5
    page_size: int = 50
    upload_max_age: timedelta = timedelta(days=1)
    search_model: str = "default"

    @classmethod
    def from_settings(cls, settings: Settings, default_upload_dir: Path) -> WebSettings:
        """The web app's view of the resolved settings.

        Args:
            settings: The resolved settings.
            default_upload_dir: Where uploads wait when no folder is set.
        """
        return cls(
            secure_cookies=settings.secure_cookies,
            max_upload_bytes=settings.max_upload_bytes,
            upload_dir=settings.upload_dir or default_upload_dir,
            page_size=settings.page_size,
            search_model=settings.search_model,
        )


@dataclass
class Services:
    """Everything the routes share, kept on ``app.state.services``."""

    store: Store
    accounts: Accounts
    settings: WebSettings
    templates: Environment
    jobs: Jobs
    uploads: UploadStore
    caches: Caches = field(default_factory=Caches)


def services(request: Request) -> Services:
    """The shared services of the app handling ``request``."""
    return cast(Services, request.app.state.services)
