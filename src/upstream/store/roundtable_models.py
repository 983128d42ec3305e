"""Tables for roundtables and their responses (migration 0008)."""

from __future__ import annotations

from upstream.store.models import Base

__all__ = ["Base"]
