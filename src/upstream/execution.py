"""Where batch steps run: in this process (the default) or on a Dask cluster.

A step that scales with the number of items (predicting codes, for now) is cut
into partitions and each partition is handed to a backend. The local backend
runs them one after another here; the Dask backend runs them on the workers of
a ``dask.distributed`` cluster — a ``LocalCluster`` of worker processes on this
machine, or a scheduler elsewhere — and gathers the results in order, so the
answer does not depend on where it was worked out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

__all__ = [
    "PARTITION_SIZE",
    "Backend",
    "DaskBackend",
    "ExecutionError",
    "LocalBackend",
    "open_backend",
    "partitions",
]

P = TypeVar("P")
R = TypeVar("R")

PARTITION_SIZE = 2_000
"""Items per partition: large enough to keep each task busy, small enough to spread."""

Progress = Callable[[int, int], None]
"""Called with (partitions done, partitions in all)."""


class ExecutionError(RuntimeError):
    """The chosen backend cannot be used (Dask missing, or the scheduler unreachable)."""


class Backend(Protocol):
    """Runs one function over many partitions and returns the results in order."""

    name: str

    def map(
        self,
        function: Callable[[Any, P], R],
        shared: Any,
        parts: Sequence[P],
        progress: Progress | None = None,
    ) -> list[R]:
        """``[function(shared, part) for part in parts]``, wherever the backend runs them."""
        ...

    def close(self) -> None:
        """Release what the backend holds (a cluster it started)."""
        ...


def partitions(count: int, size: int = PARTITION_SIZE) -> list[slice]:
    """Consecutive slices covering ``count`` items, ``size`` at a time."""
    return [slice(start, min(start + size, count)) for start in range(0, count, max(1, size))]


class LocalBackend:
    """Runs every partition in this process, one after another."""

    name = "local"

    def map(
        self,
        function: Callable[[Any, P], R],
        shared: Any,
        parts: Sequence[P],
        progress: Progress | None = None,
    ) -> list[R]:
        """Apply ``function`` to each part here, in order."""
        results: list[R] = []
        for done, part in enumerate(parts, start=1):
            results.append(function(shared, part))
            if progress:
                progress(done, len(parts))
        return results

    def close(self) -> None:
        """Nothing to release."""


class DaskBackend:
    """Runs partitions on a ``dask.distributed`` cluster.

    Args:
        scheduler: Address of a running scheduler (``tcp://host:8786``); None
            starts a ``LocalCluster`` of ``workers`` processes on this machine.
        workers: Worker processes for a local cluster (one thread each).

    Raises:
        ExecutionError: If Dask is not installed or the scheduler cannot be reached.
    """

    def __init__(self, scheduler: str | None = None, workers: int = 2) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:
            raise ExecutionError(
                "Running on Dask needs the dask extra: pip install 'upstream[dask]'"
            ) from exc
        self._cluster: Any = None
        self._shared: tuple[Any, Any] | None = None
        try:
            if scheduler is None:
                # Loopback only, on free ports: a local cluster is private to this computer.
                self._cluster = LocalCluster(
                    n_workers=workers,
                    threads_per_worker=1,
                    processes=True,
                    host="127.0.0.1",
                    dashboard_address="127.0.0.1:0",
                )
                self._client: Any = Client(self._cluster)
                self.name = f"dask (a local cluster of {workers} processes)"
            else:
                self._client = Client(scheduler, timeout="10s")
                self.name = f"dask ({scheduler})"
        except OSError as exc:
            self.close()
            raise ExecutionError(f"Could not reach the Dask scheduler: {exc}") from exc

    def map(
        self,
        function: Callable[[Any, P], R],
        shared: Any,
        parts: Sequence[P],
        progress: Progress | None = None,
    ) -> list[R]:
        """Send ``shared`` to every worker (once), run the parts there, gather them in order."""
        from distributed import as_completed

        if not parts:
            return []
        if self._shared is None or self._shared[0] is not shared:
            # Sent once, however many maps use it: the workers keep their copy, and
            # with it the model each loaded on first use.
            self._shared = (shared, self._client.scatter(shared, broadcast=True))
        sent = self._shared[1]
        futures = [self._client.submit(function, sent, part, pure=False) for part in parts]
        for done, _ in enumerate(as_completed(futures), start=1):
            if progress:
                progress(done, len(parts))
        return list(self._client.gather(futures))

    def on_workers(self, function: Callable[[], R]) -> dict[str, R]:
        """Run ``function()`` once in every worker process; its result by worker address.

        For measuring the workers (their peak memory, say), not for work on items.
        """
        return dict(self._client.run(function))

    def close(self) -> None:
        """Close the client, and the local cluster when this backend started it."""
        client = getattr(self, "_client", None)
        if client is not None:
            client.close()
        if self._cluster is not None:
            self._cluster.close()


def open_backend(scheduler: str | None = None, workers: int | None = None) -> Backend:
    """The backend for the options a person gave: Dask when either is set, else local.

    Args:
        scheduler: Address of a Dask scheduler.
        workers: Worker processes for a local Dask cluster.
    """
    if scheduler is None and (workers is None or workers < 1):
        return LocalBackend()
    return DaskBackend(scheduler, workers or 2)
