"""A bounded least-recently-used cache shared by every layer that keeps results in memory.

Callers key entries by something that includes the data version, so an entry
is never stale: new evidence makes a new key and old entries fall off the end.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["Lru"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Lru(Generic[K, V]):
    """A bounded least-recently-used cache that builds each missing value once.

    When many people ask for the same missing value at once (the dashboards of
    a large workspace), one of them builds it and the rest wait for that result
    rather than each doing the same work.
    """

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._building: dict[K, threading.Lock] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    @property
    def building(self) -> int:
        """How many values are being built now."""
        with self._lock:
            return len(self._building)

    def get(self, key: K) -> V | None:
        """The value kept for ``key``, if any."""
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def put(self, key: K, value: V) -> None:
        """Keep ``value`` for ``key``, dropping the least recently used beyond the size."""
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def get_or_build(self, key: K, build: Callable[[], V]) -> V:
        """The value for ``key``, built by one caller when missing."""
        found = self.get(key)
        if found is not None:
            return found
        with self._lock:
            building = self._building.setdefault(key, threading.Lock())
        with building:
            found = self.get(key)
            if found is not None:
                return found
            try:
                value = build()
            finally:
                with self._lock:
                    self._building.pop(key, None)
            self.put(key, value)
            return value
