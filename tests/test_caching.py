"""The shared least-recently-used cache (upstream.caching)."""

from __future__ import annotations

import threading
import time

from upstream.caching import Lru


def test_least_recently_used_entry_is_dropped_first() -> None:
    cache: Lru[str, int] = Lru(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recently used
    cache.put("c", 3)
    assert cache.get("b") is None
    assert (cache.get("a"), cache.get("c"), len(cache)) == (1, 3, 2)


def test_a_missing_value_is_built_once_for_everyone_asking() -> None:
    cache: Lru[str, int] = Lru(4)
    calls: list[int] = []
    results: list[int] = []

    def build() -> int:
        calls.append(1)
        time.sleep(0.05)  # long enough for every thread to be waiting on it
        return 42

    def ask() -> None:
        results.append(cache.get_or_build("key", build))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [42] * 8
    assert len(calls) == 1
    assert cache.building == 0


def test_a_failed_build_is_not_kept_and_can_be_retried() -> None:
    cache: Lru[str, int] = Lru(4)

    def fail() -> int:
        raise RuntimeError("database gone")

    try:
        cache.get_or_build("key", fail)
    except RuntimeError:
        pass
    else:
        raise AssertionError("the build's error should reach the caller")
    assert cache.get("key") is None and cache.building == 0
    assert cache.get_or_build("key", lambda: 7) == 7
