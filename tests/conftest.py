"""Shared fixtures: real SQLite files and a real PostgreSQL server started by the tests."""

from __future__ import annotations

import contextlib
import csv
import io
import itertools
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from upstream.store.engine import make_engine, upgrade
from upstream.testing.postgres import PostgresServer, PostgresUnavailable, start_postgres

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
_database_numbers = itertools.count(1)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Shared-data tests skip when the folder is absent (outside CI only)."""
    if SHARED_DATA.is_dir() or IN_CI:
        return
    for item in items:
        if item.get_closest_marker("shared_data"):
            item.add_marker(pytest.mark.skip(reason=f"needs the real data in {SHARED_DATA}"))


def pytest_runtest_setup(item: pytest.Item) -> None:
    """In CI the real data must be there: a shared-data test without it fails."""
    if IN_CI and item.get_closest_marker("shared_data") and not SHARED_DATA.is_dir():
        pytest.fail(f"the real data folder {SHARED_DATA} is missing in CI")


@pytest.fixture(scope="session", autouse=True)
def vector_files_in_a_temporary_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Meaning-search vector files go to a folder of the test run, not the user's cache."""
    previous = os.environ.get("UPSTREAM_VECTOR_DIR")
    os.environ["UPSTREAM_VECTOR_DIR"] = str(tmp_path_factory.mktemp("vectors"))
    yield
    if previous is None:
        os.environ.pop("UPSTREAM_VECTOR_DIR", None)
    else:
        os.environ["UPSTREAM_VECTOR_DIR"] = previous


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The real data folder beside the checkout (../shared/data)."""
    if not SHARED_DATA.is_dir():
        message = f"the real data folder {SHARED_DATA} is missing"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return SHARED_DATA


def _memory_folder() -> Path | None:
    """A folder in memory for the test server's files, when the machine has one with room.

    Each test's database is a copy of about 8 MB; on disk, creating them and
    deleting them all at the end took over a minute of a run.
    """
    folder = Path("/dev/shm")
    if folder.is_dir() and os.access(folder, os.W_OK) and shutil.disk_usage(folder).free > 2**31:
        return folder
    return None


@dataclass(frozen=True)
class DemoNetwork:
    """The demo network as ``upstream demo`` builds it (with the quick text model)."""

    path: Path
    workspace: str
    password: str

    def copy_to(self, folder: Path) -> Path:
        """A copy of the demo's store in ``folder`` that a test may change as it likes."""
        return _copy_sqlite(self.path, folder / "demo.db")


@pytest.fixture(scope="session")
def demo_network(tmp_path_factory: pytest.TempPathFactory) -> DemoNetwork:
    """The demo network built once; each test that changes it works on a copy."""
    from upstream.demo.run import run_demo
    from upstream.store import Store

    path = tmp_path_factory.mktemp("demo-network") / "demo.db"
    with Store(path) as store:
        done = run_demo(store, embedder="hashing")
    return DemoNetwork(path, done.loaded.workspace, done.password)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """One PostgreSQL server for the whole test session."""
    try:
        server = start_postgres(_memory_folder())
    except PostgresUnavailable as exc:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI: {exc}")
        pytest.skip(str(exc))
    yield server
    server.stop()


def _copy_sqlite(source: Path, target: Path) -> Path:
    """Copy a SQLite store whole (through SQLite, so nothing still in its log is left out)."""
    with sqlite3.connect(source) as original, sqlite3.connect(target) as copy:
        original.backup(copy)
    return target


def _admin(server: PostgresServer, *statements: str) -> None:
    import psycopg

    with psycopg.connect(
        f"host=127.0.0.1 port={server.port} user=postgres dbname=postgres", autocommit=True
    ) as connection:
        for statement in statements:
            connection.execute(statement)


def _fresh_postgres_database(server: PostgresServer, template: str | None = None) -> str:
    name = f"upstream_test_{next(_database_numbers)}"
    copied = f" TEMPLATE {template}" if template else ""
    _admin(server, f"DROP DATABASE IF EXISTS {name}", f"CREATE DATABASE {name}{copied}")
    return server.url(name)


def _drop_when_done(server: PostgresServer, url: str) -> None:
    """Drop a test's database once the test is over, so the server's folder stays small."""
    import psycopg

    # One that cannot be dropped is deleted with the server's folder at the end.
    with contextlib.suppress(psycopg.Error):
        _admin(server, f"DROP DATABASE IF EXISTS {url.rsplit('/', 1)[1]} WITH (FORCE)")


@pytest.fixture(scope="session")
def migrated_postgres_template(postgres_server: PostgresServer) -> str:
    """A database migrated once, as `upstream db upgrade` does, that each test's database copies.

    Copying it is a file copy inside the server; migrating every test's
    database anew took about 0.6 s each. The migrations themselves are still
    run here and by the tests that start from an empty database.
    """
    url = _fresh_postgres_database(postgres_server)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    return url.rsplit("/", 1)[1]


@pytest.fixture(scope="session")
def migrated_sqlite_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store migrated once, copied for each test that asks for an empty store."""
    path = tmp_path_factory.mktemp("template") / "store.db"
    engine = make_engine(str(path))
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty store: a new SQLite file, or a new database on the test PostgreSQL server.

    Both are at the newest schema, as a team database is after `upstream db upgrade`.
    """
    if request.param == "sqlite":
        return str(
            _copy_sqlite(request.getfixturevalue("migrated_sqlite_file"), tmp_path / "store.db")
        )
    server: PostgresServer = request.getfixturevalue("postgres_server")
    url = _fresh_postgres_database(server, request.getfixturevalue("migrated_postgres_template"))
    request.addfinalizer(lambda: _drop_when_done(server, url))
    return url


@pytest.fixture
def migrated_postgres_url(
    postgres_server: PostgresServer, migrated_postgres_template: str
) -> Iterator[str]:
    """A new PostgreSQL database at the newest schema and holding nothing."""
    url = _fresh_postgres_database(postgres_server, migrated_postgres_template)
    yield url
    _drop_when_done(postgres_server, url)


@pytest.fixture
def empty_postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """A new PostgreSQL database with no schema at all."""
    url = _fresh_postgres_database(postgres_server)
    yield url
    _drop_when_done(postgres_server, url)


STATEMENTS = (
    "I have a say in decisions that affect my work",
    "I am trusted to use my own judgement",
    "We put residents before internal procedures",
    "I understand what we are trying to achieve",
    "It is safe to try a new idea here",
    "Change is handled well here",
    "I often feel unable to speak up",
)
_NUMBER_OF = {
    "strongly disagree": "1",
    "disagree": "2",
    "neither agree nor disagree": "3",
    "agree": "4",
    "strongly agree": "5",
}


@pytest.fixture
def staff_answers() -> Callable[[str], str]:
    """A 140-person staff survey as CSV: Team, Grade, then seven statements.

    Housing (60 people) agrees with every statement and disagrees with the last
    (which is reversed: agreeing is bad); Parks (50) strongly disagrees with the
    first and is neutral on the rest; Libraries (25) and Post Room (5) agree
    strongly and plainly, in odd cases. Pass ``"numbers"`` for 1-5 instead of words.
    """
    teams = [("Housing", 60), ("Parks", 50), ("Libraries", 25), ("Post Room", 5)]
    plans = {
        "Housing": ["Agree"] * 6 + ["Disagree"],
        "Parks": ["Strongly disagree"] + ["Neither agree nor disagree"] * 5 + ["Strongly agree"],
        "Libraries": ["strongly AGREE"] * 7,
        "Post Room": ["AGREE"] * 7,
    }

    def build(kind: str = "words") -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(["Respondent", "Team", "Grade", *STATEMENTS])
        row = 0
        for team, size in teams:
            for _ in range(size):
                answers = list(plans[team])
                if kind == "numbers":
                    answers = [_NUMBER_OF[a.lower()] for a in answers]
                writer.writerow([f"R{row:03d}", team, "AB"[row % 2], *answers])
                row += 1
        return buffer.getvalue()

    return build
