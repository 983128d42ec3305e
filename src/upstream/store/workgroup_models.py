"""Tables for workgroups and learning products (migration 0007)."""

from __future__ import annotations

from upstream.store.models import Base

__all__ = ["Base"]
