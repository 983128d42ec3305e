"""Cross-organisation patterns on the demo learning network, and ``upstream patterns``."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from upstream.cli.themes import patterns as patterns_command
from upstream.demo import load_demo
from upstream.records.drafts import ItemDraft
from upstream.signals import CodedItem, barrier_enabler_links, build_patterns
from upstream.signals.dbe import topic_pairs
from upstream.store import Store
from upstream.themes import ThemeDiscovery
from upstream.workflows.patterns import workspace_patterns, write_patterns
from upstream.workflows.themes import run_themes, theme_items


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    """The demo network, with one theme run on its visit notes."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with Store(path) as store:
        load_demo(store)
        space = store.workspace("Demo learning network")
        visits = [i for i in theme_items(space) if i.attributes.get("visit")]
        run_themes(space, ThemeDiscovery(embedder="tfidf", n_themes=6), items=visits)
    return path


@pytest.fixture(scope="module")
def demo_patterns(demo_db):
    # Hashed n-grams keep the test quick; the default embedder finds the same headline patterns.
    with Store(demo_db) as store:
        return workspace_patterns(store.workspace("Demo learning network"), embedder="hashing")


def test_links_come_from_the_codebook():
    links = barrier_enabler_links()
    assert links["barrier.funding"] == ["enabler.pooled_budgets"]
    assert links["barrier.data_sharing"] == ["enabler.shared_data"]
    assert "enabler.permission" in links["barrier.risk_aversion"]
    assert all(links[b] for b in links)  # every barrier has at least one enabler


def test_procurement_is_a_common_barrier(demo_patterns):
    p = demo_patterns.patterns
    assert demo_patterns.source == "classified now" and demo_patterns.excluded >= 10
    assert len(p.organisations) == 12
    procurement = p.reach_of("barrier.procurement")
    assert procurement is not None and len(procurement.organisations) >= 4
    assert procurement.kind == "barrier" and procurement.title == "Procurement rules"
    assert (
        sum(p.matrix.get((o, "barrier.procurement"), 0) for o in p.organisations)
        == procurement.items
    )
    counts = [len(r.organisations) for r in p.reach]
    assert counts == sorted(counts, reverse=True)


def test_peers_with_an_enabler_are_found_with_quotes(demo_patterns):
    p = demo_patterns.patterns
    pairs = topic_pairs()
    helping = [e for e in p.peer_enablers if e.barrier == "barrier.funding"]
    assert helping, "someone facing funding pressure is pointed to a peer's pooled budget"
    for e in p.peer_enablers:
        assert e.peer != e.organisation and e.quotes and all(t for _, t in e.quotes)
        assert e.enabler.startswith("enabler.")  # never the barrier itself
        assert e.barrier != "barrier"  # the bare code has no topic to find a way past on
        # A barrier the codebook pairs with enablers is answered only by those.
        assert not pairs[e.barrier] or e.enabler in pairs[e.barrier]
    assert any(e.linked for e in p.peer_enablers)


def test_alike_and_cooccurrence(demo_patterns):
    p = demo_patterns.patterns
    alike = p.most_alike("Tullworth Borough Council")
    assert len(alike) == 3 and alike[0][1] >= alike[-1][1]
    assert all(-1.0 <= s <= 1.0001 for _, _, s in p.similarity)
    a, b, orgs, _items = p.cooccurrence[0]
    assert orgs >= 2 and a != b


def test_build_patterns_by_hand():
    items = [
        CodedItem(1, "A", "Tendering takes nine months", ("barrier.procurement",), -0.4),
        CodedItem(
            2, "B", "Procurement rules block small charities", ("barrier.procurement",), -0.5
        ),
        CodedItem(
            3,
            "C",
            "We rewrote the contract rules; grants now take a week",
            ("enabler.simpler_commissioning",),
            0.5,
        ),
        CodedItem(4, "C", "Data sharing is impossible", ("barrier.data_sharing",), -0.6),
        CodedItem(5, None, "No organisation", ("barrier.funding",), 0.0),
    ]
    vectors = np.array([[1, 0], [0.9, 0.1], [0.8, 0.2], [0, 1], [0.5, 0.5]], dtype=np.float32)
    p = build_patterns(items, links=barrier_enabler_links(), vectors=vectors)
    assert p.organisations == ["A", "B", "C"] and p.reach[0].code == "barrier.procurement"
    assert p.reach_of("barrier.funding") is None  # items without an organisation are left out
    peers = [e for e in p.peer_enablers if e.organisation == "A"]
    assert peers[0].peer == "C" and peers[0].linked and peers[0].quotes[0][0] == 3


@pytest.fixture
def small_db(tmp_path) -> Path:
    path = tmp_path / "small.db"
    said = {
        "Tullworth": [
            "Contract rules rewritten so small charities can bid for grants",
            "=cmd| a formula-looking note about procurement",
        ],
        "Kestlebury": [
            "Procurement takes nine months for a tiny grant",
            "Tendering rules lock out local groups",
        ],
        "Mardenholt": [
            "Forty-page tender for a small service",
            "Our pooled budget with health works",
        ],
    }
    with Store(path) as store, store.writer("net") as writer:
        source = writer.add_source("notes")
        drafts = [
            ItemDraft(text=t, line=n, organisation=org)
            for org, texts in said.items()
            for n, t in enumerate(texts)
        ]
        writer.insert_items(source, drafts)
    return path


def test_patterns_command_writes_safe_csvs(small_db, tmp_path):
    app = typer.Typer()
    app.command("patterns")(patterns_command)
    app.command("other")(lambda: None)
    out = tmp_path / "patterns"
    result = CliRunner().invoke(
        app,
        [
            "patterns",
            "--db",
            str(small_db),
            "--workspace",
            "net",
            "--output",
            str(out),
            "--embedder",
            "hashing",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Compared 3 organisations" in result.output
    names = {p.name for p in out.iterdir()}
    assert {
        "organisation_by_code.csv",
        "code_reach.csv",
        "code_cooccurrence.csv",
        "organisation_similarity.csv",
        "peer_enablers.csv",
    } <= names
    for path in out.iterdir():
        with path.open(encoding="utf-8-sig") as handle:
            for row in csv.reader(handle):
                assert not any(cell.startswith(("=", "+", "@")) for cell in row)
    missing = CliRunner().invoke(
        app, ["patterns", "--db", str(small_db), "--workspace", "nope", "--output", str(out)]
    )
    assert missing.exit_code == 1 and "No workspace called 'nope'" in missing.output


def test_theme_matrix_is_written_after_a_theme_run(demo_patterns, tmp_path):
    assert demo_patterns.theme_matrix
    files = write_patterns(demo_patterns, tmp_path)
    assert (tmp_path / "organisation_by_theme.csv") in files
    with (tmp_path / "organisation_by_theme.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert len(rows[0]) >= 4 and len(rows) == 13  # a column per theme; twelve organisations


def test_a_way_past_is_a_peers_enabler_on_the_same_topic_never_a_barrier():
    from sklearn.feature_extraction.text import TfidfVectorizer

    from upstream.evidence.stopwords import STOP_WORDS

    said = [
        (
            1,
            "Northmoor",
            "Our case management system is twenty years old and cannot share records with the NHS.",
            ("barrier.legacy_it",),
        ),
        (2, "Northmoor", "Change is hard here.", ("barrier",)),
        # Southvale also struggles with old systems: a barrier, however upbeat, is no way past.
        (
            3,
            "Southvale",
            "Our old case management system cannot share records with the NHS "
            "either, though we are hopeful.",
            ("barrier.legacy_it",),
        ),
        (
            4,
            "Southvale",
            "We replaced our old case management system with one that can share "
            "records with the NHS.",
            ("enabler.flexible_technology",),
        ),
        (
            5,
            "Southvale",
            "National policy on sharing records with the NHS pushes us to "
            "replace the case management system.",
            ("driver.national_policy",),
        ),
        (6, "Southvale", "Change is easier here now.", ("enabler",)),
        (
            7,
            "Southvale",
            "Our allotment volunteers run the lunch club.",
            ("enabler.community_assets",),
        ),
    ]
    items = [CodedItem(i, org, text, codes, 0.5) for i, org, text, codes in said]
    texts = [item.text for item in items]
    # Word vectors without stop words: closeness in meaning for these short quotes.
    vectors = TfidfVectorizer(stop_words=sorted(STOP_WORDS)).fit_transform(texts).toarray()
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    titles = {
        "barrier": "Barrier to change",
        "enabler": "Enabler of change",
        "barrier.legacy_it": "Legacy IT",
        "enabler.flexible_technology": "Flexible technology",
        "enabler.community_assets": "Community assets and capacity",
        "driver.national_policy": "National policy and legislation",
    }
    # The codebook pairs legacy IT with flexible technology.
    p = build_patterns(items, titles=titles, links=topic_pairs(), vectors=vectors)
    ways = [e for e in p.peer_enablers if e.organisation == "Northmoor"]
    offered = {item_id for e in ways for item_id, _ in e.quotes}
    assert [(e.barrier, e.peer, e.enabler) for e in ways] == [
        ("barrier.legacy_it", "Southvale", "enabler.flexible_technology")
    ]
    assert offered == {4}  # not the barrier (3), the driver (5), the repeat (6) or off-topic (7)
    assert not any(e.enabler == e.barrier for e in p.peer_enablers)


def test_only_paired_enablers_answer_a_paired_barrier_and_others_must_be_close():
    items = [
        CodedItem(1, "A", "Old IT", ("barrier.legacy_it",)),
        CodedItem(2, "B", "Shared records", ("enabler.shared_data",)),
        CodedItem(3, "C", "Shared records too", ("enabler.shared_data",)),
        CodedItem(4, "D", "A digital team", ("enabler.dedicated_capacity",)),
    ]
    # Cosines to A: 0.4 (B), 0.6 (C), 0 (D).
    vectors = np.array([[1, 0], [0.4, 0.9165], [0.6, 0.8], [0, 1]], dtype=np.float32)
    paired = {"barrier.legacy_it": ["enabler.dedicated_capacity"]}
    p = build_patterns(items, links=paired, vectors=vectors)
    assert [(e.peer, e.linked) for e in p.peer_enablers] == [("D", True)]
    # With no pair in the codebook, only a quote close in meaning (at least 0.5) counts.
    p = build_patterns(items, links={}, vectors=vectors)
    assert [(e.peer, e.linked) for e in p.peer_enablers] == [("C", False)]
