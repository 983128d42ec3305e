"""The same question gets the same number in the report, the dashboards, the patterns and peers.

"How many organisations name this barrier, and in how many items?" is read from
the codes in force (a person's decision replaces the machine's) everywhere.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.conftest import DemoNetwork

from upstream.demo.run import DEMO_EMAIL
from upstream.frameworks import load_codebook
from upstream.store import Store
from upstream.store.accounts import Accounts
from upstream.store.coding_repository import CodingStore
from upstream.store.effective_codes import effective_codes
from upstream.workflows.coding import code_workspace
from upstream.workflows.network.peers import code_overview, network_evidence
from upstream.workflows.patterns import workspace_patterns, write_patterns
from upstream.workflows.reports import build_report_data

PASSWORD = "a long enough password"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, demo_network: DemoNetwork) -> tuple[Path, str]:
    """The demo workspace (quick hashing model), coded twice, with a suggestion overruled.

    The second coding run supersedes the first: its suggestions are the ones that count.
    """
    db = demo_network.copy_to(tmp_path_factory.mktemp("demo"))
    with Store(db) as store:
        code_workspace(
            store, demo_network.workspace, load_codebook("dbe"), embedder="hashing", threshold=0.3
        )
        workspace = store.workspace(demo_network.workspace)
        Accounts(store).ensure_user(DEMO_EMAIL, password=PASSWORD)
        coding = CodingStore(workspace)
        found = effective_codes(workspace, "dbe")
        machine = next(i for i, a in found.assigned.items() if a[0].code.startswith("barrier"))
        book = coding.codebook_id("dbe")
        assert book is not None
        coding.decide(machine, book, "recode", actor=DEMO_EMAIL, code="enabler")
        return db, demo_network.workspace


def _most_named_barrier(db: Path, workspace: str) -> tuple[str, int, int]:
    """The barrier named by most organisations, from the report: (code, organisations, items)."""
    with Store(db) as store:
        data = build_report_data(store, workspace, codebook="dbe")
    rows = [row for row in data.patterns if row.kind == "barrier"]
    assert rows, "the report names no barrier"
    top = max(rows, key=lambda row: (row.organisations, row.items))
    return top.code, top.organisations, top.items


def test_report_patterns_peers_and_dashboards_agree(
    demo: tuple[Path, str], tmp_path: Path, make_app: Callable[..., FastAPI], web: type
) -> None:
    db, name = demo
    code, organisations, items = _most_named_barrier(db, name)
    assert organisations >= 2

    with Store(db) as store:
        space = store.workspace(name)
        patterns = workspace_patterns(space, embedder="hashing")
        files = write_patterns(patterns, tmp_path / "patterns")
        overview = code_overview(network_evidence(space), code, visible=set())
        workspace_id = space.id
        pages_offer = network_evidence(space).patterns.peer_enablers
    reach = next(r for r in patterns.patterns.reach if r.code == code)
    assert (len(reach.organisations), reach.items) == (organisations, items)
    # The ways past the command line exports are the ones the organisation pages offer.
    assert pages_offer and patterns.patterns.peer_enablers == pages_offer
    assert (len(overview.organisations), overview.items) == (organisations, items)

    exported = next(p for p in files if p.name == "code_reach.csv")
    with exported.open(encoding="utf-8-sig", newline="") as handle:
        row = next(r for r in csv.DictReader(handle) if r["code"] == code)
    assert int(row["organisations"]) == organisations and int(row["items"]) == items

    client = web.sign_in(TestClient(make_app(str(db))), DEMO_EMAIL, PASSWORD)
    page = client.get(f"/w/{workspace_id}/dashboards?codebook=dbe")
    assert page.status_code == 200, page.text
    flat = " ".join(re.sub(r"<[^>]+>", " ", page.text).split())
    assert f"{organisations} of" in flat
