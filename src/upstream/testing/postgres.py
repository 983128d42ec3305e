"""Start a throwaway PostgreSQL server for tests: initdb into a temporary folder.

The server listens on 127.0.0.1 on a free port and trusts local connections.
PostgreSQL refuses to run as root, so when the tests run as root the server
runs as the ``postgres`` system account instead.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from upstream.settings import read_setting


class PostgresUnavailable(RuntimeError):
    """PostgreSQL's server programs are not installed on this machine."""


def find_bin_dir() -> Path:
    """Locate the folder holding ``initdb`` and ``pg_ctl``.

    Raises:
        PostgresUnavailable: If no PostgreSQL server installation is found.
    """
    candidates = [str(read_setting("pg_bin") or "")]
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(str(Path(on_path).resolve().parent))
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    for folder in filter(None, candidates):
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    raise PostgresUnavailable(
        "PostgreSQL server programs (initdb, pg_ctl) were not found. "
        "Install them with: apt-get install postgresql"
    )


def free_port() -> int:
    """Ask the operating system for a free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class PostgresServer:
    """A running temporary PostgreSQL server."""

    bin_dir: Path
    data_dir: Path
    port: int
    run_as: str | None

    def url(self, database: str = "postgres") -> str:
        """SQLAlchemy URL for ``database`` on this server."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str) -> None:
        command = [str(self.bin_dir / args[0]), *args[1:]]
        if self.run_as:
            command = ["runuser", "-u", self.run_as, "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True)

    def stop(self) -> None:
        """Stop the server and delete its files."""
        try:
            self._run("pg_ctl", "-D", str(self.data_dir), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.data_dir.parent, ignore_errors=True)


def start_postgres(parent: Path | None = None) -> PostgresServer:
    """Initialise and start a temporary server; the caller must call ``stop()``.

    Args:
        parent: The folder to keep the server's files in (the system's
            temporary folder when not given).

    Raises:
        PostgresUnavailable: If PostgreSQL is not installed.
        subprocess.CalledProcessError: If initdb or the server fails to start.
    """
    bin_dir = find_bin_dir()
    root = Path(tempfile.mkdtemp(prefix="upstream-pg-", dir=parent))
    data_dir = root / "data"
    run_as = "postgres" if os.geteuid() == 0 else None
    if run_as:
        shutil.chown(root, user=run_as)
    server = PostgresServer(bin_dir, data_dir, free_port(), run_as)
    server._run("initdb", "-D", str(data_dir), "-U", "postgres", "--auth=trust", "-E", "UTF8")
    options = f"-p {server.port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
    server._run(
        "pg_ctl", "-D", str(data_dir), "-o", options, "-l", str(root / "log"), "-w", "start"
    )
    return server
