"""The web app's caches: small, bounded, safe to share between request threads.

Each cache is keyed by something that includes the workspace's data version,
so an entry is never stale: new evidence, a run or a decision makes a new key
and old entries fall off the end.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from upstream.caching import Lru

__all__ = ["COUNTS_SIZE", "DASHBOARDS_SIZE", "Caches", "Lru"]

COUNTS_SIZE = 256
DASHBOARDS_SIZE = 16


@dataclass
class Caches:
    """Every cache the web app keeps, in one place on the app's services."""

    code_counts: Lru[tuple[Any, ...], dict[str, int]] = field(
        default_factory=lambda: Lru(COUNTS_SIZE)
    )
    evidence_counts: Lru[tuple[Any, ...], int] = field(default_factory=lambda: Lru(COUNTS_SIZE))
    dashboards: Lru[tuple[Any, ...], Any] = field(default_factory=lambda: Lru(DASHBOARDS_SIZE))
    cited: Lru[tuple[Any, ...], Any] = field(default_factory=lambda: Lru(DASHBOARDS_SIZE))
    filters: Lru[tuple[Any, ...], Any] = field(default_factory=lambda: Lru(COUNTS_SIZE))
    code_ids: Lru[tuple[Any, ...], dict[str, int]] = field(default_factory=lambda: Lru(COUNTS_SIZE))
