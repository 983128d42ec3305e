"""One answer per question, whichever door the question comes through.

The same file fed through the command line, the web app (over HTTP) and the
demo's path gives the same themes and the same codes, asked for the same way:
the command line codes every row of the file it is given, so the workspace
doors are asked to code every kind of evidence too; asked as they are by
default, they leave the residents' replies to themes (ADR 0013), which
``test_a_workspace_leaves_residents_replies_to_themes`` checks.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from upstream.cli import app as cli
from upstream.demo import data_dir
from upstream.demo.run import theme_consultation
from upstream.frameworks import load_codebook
from upstream.records.evidence_types import EVIDENCE_TYPES
from upstream.store import Store
from upstream.store.accounts import Accounts
from upstream.store.effective_codes import effective_codes
from upstream.store.theme_repository import ThemeStore
from upstream.workflows.coding import code_workspace
from upstream.workflows.ingest import ImportOptions, import_file

WORKSPACE = "Replies"
OWNER = "owner@network.org"
PASSWORD = "a long enough password"
THEME_MODEL = "tfidf"
CODE_MODEL = "default"
THRESHOLD = "0.2"  # as the demo codes drivers, barriers and enablers: enough codes to compare

Partition = set[tuple[str, frozenset[str]]]


@pytest.fixture(scope="module")
def replies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("file")
    path = folder / "replies.csv"
    shutil.copy(Path(data_dir()) / "consultation_replies.csv", path)
    return path


def _themes(db: str | Path) -> Partition:
    """Each theme's label and the texts in it, from the newest run."""
    with Store(db) as store:
        space = store.workspace(WORKSPACE)
        texts = {item.id: item.text for item in space.items()}
        return {
            (t.label, frozenset(texts[i] for i in t.item_ids))
            for t in ThemeStore(space).themes()
            if t.parent_number is None
        }


def _codes(db: str | Path) -> dict[str, tuple[str, ...]]:
    """The codes in force for each text (in code order: ties in confidence may swap)."""
    with Store(db) as store:
        space = store.workspace(WORKSPACE)
        found = effective_codes(space, "dbe")
        return {item.text: tuple(sorted(found.codes_of(item.id))) for item in space.items()}


def _through_the_command_line(replies: Path, db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    common = ["--db", str(db), "--workspace", WORKSPACE]
    themed = runner.invoke(
        cli,
        [
            "themes",
            str(replies),
            "--output",
            str(tmp_path / "themes.csv"),
            "--embedder",
            THEME_MODEL,
            *common,
        ],
    )
    assert themed.exit_code == 0, themed.output
    coded = runner.invoke(
        cli,
        [
            "code",
            str(replies),
            "--codebook",
            "dbe",
            "--embedder",
            CODE_MODEL,
            "--threshold",
            THRESHOLD,
            "--output",
            str(tmp_path / "coded.csv"),
            *common,
        ],
    )
    assert coded.exit_code == 0, coded.output


def _through_the_demo_path(replies: Path, db: Path) -> None:
    with Store(db) as store:
        # The file's own references, as the demo's manifest names them and as the
        # command line and the import wizard find them.
        options = ImportOptions(
            workspace=WORKSPACE, kind="consultation replies", id_column="reply_id"
        )
        import_file(store, replies, options)
        theme_consultation(store, WORKSPACE, embedder=THEME_MODEL)
        code_workspace(
            store,
            WORKSPACE,
            load_codebook("dbe"),
            embedder=CODE_MODEL,
            threshold=float(THRESHOLD),
            actor="demo",
            evidence_types=EVIDENCE_TYPES,
        )


def _wait(client: TestClient, location: str, done: str) -> str:
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        page = client.get(location)
        assert page.status_code == 200, page.text
        if 'http-equiv="refresh"' not in page.text:
            assert done in page.text, page.text
            return page.text
        time.sleep(0.2)
    raise AssertionError(f"{location} did not finish")


def _through_the_web_app(
    replies: Path, db: Path, make_app: Callable[..., FastAPI], web: type
) -> None:
    with Store(db) as store:
        accounts = Accounts(store)
        accounts.ensure_user(OWNER, password=PASSWORD)
        accounts.set_membership(store.workspace(WORKSPACE, create=True), OWNER, "owner")
        w = store.workspace(WORKSPACE).id
    client = web.sign_in(TestClient(make_app(str(db))), OWNER, PASSWORD)
    token = web.page_csrf(client, f"/w/{w}/import")
    uploaded = client.post(
        f"/w/{w}/import",
        data={"csrf_token": token},
        files={"file": (replies.name, replies.read_bytes(), "text/csv")},
        follow_redirects=False,
    )
    assert uploaded.status_code == 303, uploaded.text
    base = uploaded.headers["location"].rsplit("/", 1)[0]
    suggested = client.get(f"{base}/map").text
    found = re.search(r'<select id="id_column".*?</select>', suggested, re.S)
    assert found is not None and '<option value="reply_id" selected>' in found.group(0), (
        found.group(0) if found else uploaded.headers["location"]
    )  # the reference column the wizard suggests
    mapped = client.post(
        f"{base}/map",
        data={
            "csrf_token": token,
            "text_column": "text",
            "id_column": "reply_id",  # the wizard's own suggestion for this file
            "shared": "1",
            "kind": "consultation replies",
        },
        follow_redirects=False,
    )
    assert mapped.status_code == 303, mapped.text
    started = client.post(f"{base}/start", data={"csrf_token": token}, follow_redirects=False)
    assert started.status_code == 303, started.text
    _wait(client, started.headers["location"], "Import finished")

    token = web.page_csrf(client, f"/w/{w}/themes")
    themed = client.post(
        f"/w/{w}/themes/run",
        data={"csrf_token": token, "evidence": "all", "embedder": THEME_MODEL, "seed": "0"},
        follow_redirects=False,
    )
    assert themed.status_code == 303, themed.text
    _wait(client, themed.headers["location"], "Themes found")

    token = web.page_csrf(client, f"/w/{w}/coding")
    coded = client.post(
        f"/w/{w}/coding/run",
        data={
            "csrf_token": token,
            "codebook": "dbe",
            "embedder": CODE_MODEL,
            "threshold": THRESHOLD,
            # The command line codes every row of the file it is given; a workspace
            # applies a built-in framework to residents' replies only when asked.
            "evidence": "all",
        },
        follow_redirects=False,
    )
    assert coded.status_code == 303, coded.text
    _wait(client, coded.headers["location"], "items")


def test_the_same_file_gives_the_same_themes_and_codes_everywhere(
    replies: Path, tmp_path: Path, make_app: Callable[..., FastAPI], web: type
) -> None:
    by_cli, by_demo, by_web = (tmp_path / f"{name}.db" for name in ("cli", "demo", "web"))
    _through_the_command_line(replies, by_cli, tmp_path)
    _through_the_demo_path(replies, by_demo)
    _through_the_web_app(replies, by_web, make_app, web)

    themes = _themes(by_cli)
    assert len(themes) >= 2
    assert _themes(by_demo) == themes
    assert _themes(by_web) == themes

    codes = _codes(by_cli)
    assert sum(1 for found in codes.values() if found) >= 40
    assert _codes(by_demo) == codes
    assert _codes(by_web) == codes


def test_a_workspace_leaves_residents_replies_to_themes(replies: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "w.db") as store:
        import_file(store, replies, ImportOptions(workspace=WORKSPACE, kind="consultation replies"))
        outcome = code_workspace(
            store, WORKSPACE, load_codebook("dbe"), embedder="hashing", threshold=0.0
        )
    assert not outcome.results and outcome.left_out["residents"] > 100
