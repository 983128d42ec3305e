"""Tables for story collections and contributors' self-signification (migration 0006)."""

from __future__ import annotations

from upstream.store.models import Base

__all__ = ["Base"]
