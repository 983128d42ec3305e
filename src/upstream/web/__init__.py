"""The web application: FastAPI, server-rendered pages, and a JSON API under ``/api/``.

Use :func:`create_app` to build it, or ``upstream serve`` to run it.
"""

from upstream.web.app import create_app

__all__ = ["create_app"]
