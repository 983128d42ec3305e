"""Quick live themes of a roundtable's responses, worked out as background jobs.

After responses arrive, :func:`refresh_soon` asks the app's
:class:`~upstream.network.roundtables.LiveRefresher` for a run; it runs as a
job on the app's :class:`~upstream.web.jobs.JobRunner`, at most one per
roundtable at a time, and once more if responses came in while it worked.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any

from starlette.requests import Request

from upstream.network.roundtables import LiveRefresher, refresh_live
from upstream.web.jobs import Progress
from upstream.web.permissions import Actor
from upstream.web.settings import services

_LOCK = threading.Lock()

__all__ = ["refresh_soon", "refreshing"]


def _refresher(request: Request) -> LiveRefresher:
    """The app's refresher (made on first use), submitting to the app's job runner."""
    with _LOCK:
        found = getattr(request.app.state, "roundtable_refresher", None)
        if isinstance(found, LiveRefresher):
            return found
        jobs = services(request).jobs
        # Whoever last asked for a key's run owns its job (jobs need a person and a workspace).
        owners: dict[Hashable, tuple[int, int]] = {}

        def submit(key: Hashable, function: Callable[[], None]) -> None:
            user_id, workspace_id = owners[key]

            def job(_progress: Progress) -> dict[str, Any]:
                function()
                return {}

            jobs.submit(
                job, user_id=user_id, workspace_id=workspace_id, label="Quick roundtable themes"
            )

        refresher = LiveRefresher(submit)
        request.app.state.roundtable_refresher = refresher
        request.app.state.roundtable_owners = owners
        return refresher


def refresh_soon(request: Request, actor: Actor, roundtable_id: int) -> bool:
    """Re-theme a roundtable's responses in the background; return whether a run started."""
    workspace = actor.workspace
    refresher = _refresher(request)
    key = (workspace.id, roundtable_id)
    request.app.state.roundtable_owners[key] = (actor.user.id, workspace.id)
    return refresher.request(key, lambda: refresh_live(workspace, roundtable_id))


def refreshing(request: Request, actor: Actor, roundtable_id: int) -> bool:
    """Whether the roundtable's live themes are being worked out now."""
    return _refresher(request).busy((actor.workspace.id, roundtable_id))
