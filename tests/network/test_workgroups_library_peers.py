"""Workgroups, the library and peer matching over a real store (SQLite and PostgreSQL).

Three councils; Northmoor and Southvale raise the procurement barrier (one of
Southvale's items is private), Eastfield raises capacity, Southvale shows an
enabler the framework links to procurement. Codings are a person's decisions,
plus one machine suggestion that a person's decision must override.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass

import docx
import pytest
from alembic import command
from reportlab.pdfgen import canvas

from upstream.frameworks import load_codebook
from upstream.records.drafts import ItemDraft
from upstream.store import Store, StoreError
from upstream.store.coding_repository import CodingStore, MachineCoding
from upstream.store.engine import alembic_config, current_revision, make_engine
from upstream.store.library_repository import LibraryStore, ProductFile, TagRecord
from upstream.store.repository import Workspace
from upstream.store.workgroup_repository import MemberRecord, WorkgroupStore
from upstream.workflows.network.library import (
    LibraryError,
    extract_text,
    recommend,
    suggest_tags,
)
from upstream.workflows.network.peers import (
    code_overview,
    network_evidence,
    peers_facing_same,
    peers_with_enablers,
)
from upstream.workflows.network.workgroups import related_workgroups, suggest_workgroups

TEXTS = {
    "north-1": ("Northmoor Council", True, "Procurement rules slow down every pilot we try."),
    "north-2": ("Northmoor Council", True, "Tendering took nine months and the partner walked."),
    "south-1": ("Southvale Council", False, "Private: procurement blocked the youth contract."),
    "south-2": (
        "Southvale Council",
        True,
        "Small grants now go to a light-touch panel with a two-page form, so "
        "community groups get funded in weeks.",
    ),
    "east-1": (
        "Eastfield Council",
        True,
        "Nobody has time to run the project alongside the day job.",
    ),
}
CODES = {
    "north-1": "barrier.procurement",
    "north-2": "barrier.procurement",
    "south-1": "barrier.procurement",
    "south-2": "enabler.simpler_commissioning",
    "east-1": "barrier.capacity",
}


@dataclass
class Network:
    store: Store
    workspace: Workspace
    ids: dict[str, int]

    def visible_to(self, *organisations: str) -> set[int]:
        """Shared items and the private items of ``organisations``."""
        return {
            i
            for label, i in self.ids.items()
            if TEXTS[label][1] or TEXTS[label][0] in organisations
        }


@pytest.fixture
def network(db_url: str) -> Iterator[Network]:
    store = Store(db_url)
    workspace = store.workspace("Network", create=True)
    with workspace.writer() as writer:
        source = writer.add_source("notes.csv")
        for line, (org, shared, text) in enumerate(TEXTS.values()):
            draft = ItemDraft(text=text, line=line, organisation=org)
            writer.insert_items(source, [draft], shared=shared)
    ids = {
        label: next(r.id for r in workspace.items() if r.text == TEXTS[label][2]) for label in TEXTS
    }
    coding = CodingStore(workspace)
    book = coding.save_codebook(load_codebook("dbe"))
    run = coding.start_run("coding", parameters={"codebook": "dbe"}, versions={})
    # The machine thinks east-1 is about funding; a person says capacity, and wins.
    coding.add_machine_codings(
        run, book, [MachineCoding(ids["east-1"], "barrier.funding", 0.9, False, {})], coder="m"
    )
    for label, code in CODES.items():
        coding.decide(ids[label], book, "recode", actor="owner@network.org", code=code)
    yield Network(store, workspace, ids)
    store.close()


def test_migration_0007_goes_down_and_up_again(db_url: str) -> None:
    Store(db_url).close()  # a new SQLite file is migrated on opening
    engine = make_engine(db_url)
    config = alembic_config(engine)
    command.downgrade(config, "0006")
    assert current_revision(engine) == "0006"
    command.upgrade(config, "head")
    engine.dispose()
    store = Store(db_url)
    workspace = store.workspace("Again", create=True)
    assert WorkgroupStore(workspace).create("G", actor="a") > 0
    store.close()


def test_counts_include_private_items_but_quotes_follow_visibility(network: Network) -> None:
    evidence = network_evidence(network.workspace)
    assert evidence.codes_of("Southvale Council")["barrier.procurement"] == 1
    assert evidence.codes_of("Eastfield Council") == {"barrier.capacity": 1}  # person wins
    north_view = network.visible_to("Northmoor Council")
    quotes = evidence.quotes("barrier.procurement", north_view, limit=5)
    assert {q.item_id for q in quotes} == {network.ids["north-1"], network.ids["north-2"]}
    # Spread: one per organisation first.
    south_view = network.visible_to("Southvale Council")
    spread = evidence.quotes("barrier.procurement", south_view, limit=2)
    assert {q.organisation for q in spread} == {"Northmoor Council", "Southvale Council"}
    overview = code_overview(evidence, "barrier.procurement", north_view)
    counts = {o.organisation: (o.items, len(o.quotes)) for o in overview.organisations}
    assert counts == {"Northmoor Council": (2, 2), "Southvale Council": (1, 0)}
    assert overview.items == 3
    assert [m.peer for m in overview.enablers] == ["Southvale Council"]
    assert overview.enablers[0].codes == ("enabler.simpler_commissioning",)
    assert overview.enablers[0].linked  # the codebook pairs it with procurement
    assert [q.item_id for q in overview.enablers[0].quotes] == [network.ids["south-2"]]


def test_peers_facing_the_same_barrier_and_with_an_enabler(network: Network) -> None:
    evidence = network_evidence(network.workspace)
    view = network.visible_to("Northmoor Council")
    same = peers_facing_same(evidence, "Northmoor Council", view)
    assert [m.peer for m in same] == ["Southvale Council"]
    assert same[0].codes == ("barrier.procurement",) and same[0].items == 1
    assert same[0].quotes == ()  # Southvale's procurement item is private
    assert peers_facing_same(evidence, "Eastfield Council", view) == []
    enablers = peers_with_enablers(evidence, "Northmoor Council", view)
    assert [(m.peer, m.barrier, m.codes[0]) for m in enablers] == [
        ("Southvale Council", "barrier.procurement", "enabler.simpler_commissioning")
    ]
    assert "light-touch panel" in enablers[0].quotes[0].text


def test_a_broad_barrier_is_counted_but_never_a_headline_or_a_shared_barrier(
    network: Network,
) -> None:
    from upstream.store.account_models import Scope
    from upstream.store.visibility import ScopedEvidence
    from upstream.workflows.overview import top_codes

    # Two items a person could place only as "a barrier", in Eastfield and Northmoor.
    with network.workspace.writer() as writer:
        source = writer.add_source("more.csv")
        for line, org in enumerate(("Eastfield Council", "Northmoor Council")):
            writer.insert_items(
                source, [ItemDraft(text=f"It is hard here ({org})", line=line, organisation=org)]
            )
    coding = CodingStore(network.workspace)
    book = coding.codebook_id("dbe")
    assert book is not None
    for item in network.workspace.items():
        if item.text.startswith("It is hard here"):
            coding.decide(item.id, book, "recode", actor="owner@network.org", code="barrier")
    evidence = network_evidence(network.workspace)
    assert evidence.codes_of("Eastfield Council")["barrier"] == 1
    assert evidence.info("barrier").umbrella and not evidence.info("barrier.capacity").umbrella
    everyone = set(network.ids.values()) | {i.id for i in network.workspace.items()}
    # Eastfield shares only the broad "barrier" with Northmoor: no shared barrier.
    assert peers_facing_same(evidence, "Eastfield Council", everyone) == []
    seen = ScopedEvidence(network.workspace, Scope(see_all=True))
    headlines = [c.code for c in top_codes(seen, "barrier", network=evidence)]
    assert "barrier" not in headlines and "barrier.procurement" in headlines


def test_an_enablers_example_is_a_quote_not_also_coded_as_a_barrier(network: Network) -> None:
    texts = [
        "We have a budget gap and pooling money with the NHS is talked about",  # both ways
        "The pooled budget with the NHS ended the argument about whose savings they are",
    ]
    with network.workspace.writer() as writer:
        source = writer.add_source("pooled.csv")
        for line, text in enumerate(texts):
            writer.insert_items(
                source, [ItemDraft(text=text, line=line, organisation="Southvale Council")]
            )
    ids = [next(r.id for r in network.workspace.items() if r.text == t) for t in texts]
    coding = CodingStore(network.workspace)
    book = coding.codebook_id("dbe")
    assert book is not None
    run = coding.start_run("coding", parameters={"codebook": "dbe"}, versions={})
    coding.add_machine_codings(
        run,
        book,
        [
            MachineCoding(ids[0], "enabler.pooled_budgets", 0.9, False, {}),
            MachineCoding(ids[0], "barrier.funding", 0.8, False, {}),
            MachineCoding(ids[1], "enabler.pooled_budgets", 0.9, False, {}),
        ],
        coder="m",
    )
    coding.finish_run(run, summary={})
    evidence = network_evidence(network.workspace)
    assert set(ids) <= set(evidence.by_code["enabler.pooled_budgets"])
    (example,) = evidence.quotes("enabler.pooled_budgets", set(ids), limit=1)
    assert example.item_id == ids[1]
    # Both are still quoted when more are asked for: the order changes, not what counts.
    assert {q.item_id for q in evidence.quotes("enabler.pooled_budgets", set(ids))} == set(ids)


def test_suggested_workgroups_are_grounded_and_know_existing_groups(network: Network) -> None:
    evidence = network_evidence(network.workspace)
    people = [
        MemberRecord("anna@northmoor.gov.uk", "Northmoor Council"),
        MemberRecord("ben@southvale.gov.uk", "Southvale Council"),
        MemberRecord("eve@eastfield.gov.uk", "Eastfield Council"),
    ]
    view = network.visible_to("Northmoor Council")
    found = suggest_workgroups(evidence, view, people)
    assert [s.info.key for s in found] == ["barrier.procurement"]  # capacity: one council only
    first = found[0]
    assert first.organisations == ("Northmoor Council", "Southvale Council")
    assert first.items == 3 and first.existing is None
    assert {q.item_id for q in first.quotes} <= view
    assert [p.email for p in first.people] == ["anna@northmoor.gov.uk", "ben@southvale.gov.uk"]
    assert "2 organisations" in first.purpose and "3 items" in first.purpose

    groups = WorkgroupStore(network.workspace)
    group_id = groups.create(
        first.name, purpose=first.purpose, focus=[first.info.key], members=first.people, actor="o"
    )
    again = suggest_workgroups(evidence, view, people, groups.workgroups())
    assert again[0].existing == group_id
    assert related_workgroups(groups.workgroups(), ["barrier.procurement"])[0].id == group_id
    assert related_workgroups(groups.workgroups(), ["barrier.capacity"]) == []


def test_workgroup_store_keeps_members_notes_actions_and_links(network: Network) -> None:
    from datetime import date

    groups = WorkgroupStore(network.workspace)
    anna = MemberRecord("anna@northmoor.gov.uk", "Northmoor Council")
    group_id = groups.create(
        "Buying well", focus=["barrier.procurement"], members=[anna], actor="o"
    )
    assert groups.add_member(group_id, MemberRecord("ben@x", "Southvale Council"), actor="o")
    assert not groups.add_member(group_id, anna, actor="o")
    groups.add_note(group_id, "First meeting", actor="anna@northmoor.gov.uk")
    later = groups.add_action(group_id, "Later", owner="", due=date(2026, 9, 1), actor="a")
    sooner = groups.add_action(group_id, "Sooner", owner="ben@x", due=date(2026, 3, 1), actor="a")
    groups.set_action_done(group_id, sooner, True, actor="ben@x")
    assert groups.add_link(group_id, "item", str(network.ids["north-1"]), actor="a")
    assert not groups.add_link(group_id, "item", str(network.ids["north-1"]), actor="a")
    with pytest.raises(StoreError):
        groups.add_link(group_id, "website", "x", actor="a")
    with pytest.raises(StoreError):
        groups.set_action_done(group_id, 999_999, True, actor="a")
    group = groups.workgroup(group_id)
    assert group is not None
    assert [m.email for m in group.members] == ["anna@northmoor.gov.uk", "ben@x"]
    assert [n.text for n in group.notes] == ["First meeting"]
    assert [(a.id, a.done) for a in group.actions] == [(later, False), (sooner, True)]
    assert [(link.kind, link.target) for link in group.links] == [
        ("item", str(network.ids["north-1"]))
    ]
    groups.remove_member(group_id, "ben@x", actor="o")
    assert not groups.workgroup(group_id).has_member("ben@x")  # type: ignore[union-attr]
    actions = [e.action for e in network.workspace.audit_log(50) if e.target_type == "workgroup"]
    assert actions.count("workgroup.action") == 2 and "workgroup.create" in actions
    # Another workspace sees none of it.
    other = WorkgroupStore(network.store.workspace("Other", create=True))
    assert other.workgroups() == [] and other.workgroup(group_id) is None
    with pytest.raises(StoreError):
        other.add_note(group_id, "sneaky", actor="x")


def test_library_store_search_tags_and_files(network: Network) -> None:
    library = LibraryStore(network.workspace)
    guide = library.add(
        title="Buying for pilots",
        kind="guide",
        summary="Procurement without the wait",
        body="Standing orders and 100% of tendering_rules explained.",
        tags=[TagRecord("code", "barrier.procurement", "dbe", "Procurement rules", False, 0.2)],
        file=ProductFile("buying.md", "text/markdown", b"# Buying"),
        actor="admin",
    )
    story = library.add(title="Time to lead", kind="case_study", summary="", body="", actor="a")
    assert [p.id for p in library.products()] == [story, guide]
    assert [p.id for p in library.products(words="standing TENDERING")] == [guide]
    assert library.products(words="standing zebra") == []
    assert [p.id for p in library.products(words="100%")] == [guide]
    assert library.products(words="_") == [p for p in library.products() if "_" in p.body]
    # Suggested tags do not count until confirmed.
    assert library.products(codes=["barrier.procurement"]) == []
    assert recommend(network.workspace, ["barrier.procurement"]) == []
    library.set_tags(
        guide,
        [
            TagRecord("code", "barrier.procurement", "dbe", "Procurement rules", True),
            TagRecord("code", "enabler.permission", "dbe", "Permission to experiment", True),
        ],
        actor="admin",
    )
    library.set_tags(
        story, [TagRecord("code", "barrier.procurement", "dbe", "Procurement", True)], actor="a"
    )
    ranked = recommend(network.workspace, ["barrier.procurement", "enabler.permission"], 5)
    assert [r.product.id for r in ranked] == [guide, story]
    assert len(ranked[0].matched) == 2
    assert [r.product.id for r in recommend(network.workspace, "barrier.procurement", 1)] == [story]
    assert recommend(network.workspace, None) == [] and recommend(network.workspace, []) == []
    # Looking at a broad code finds products tagged with the narrower codes under it.
    assert [r.product.id for r in recommend(network.workspace, ["barrier"], 5)] == [story, guide]
    assert recommend(network.workspace, ["enabler.peer_learning"]) == []
    stored = library.product(guide)
    assert stored is not None and stored.filename == "buying.md" and stored.file_size == 8
    assert library.file(guide) == ProductFile("buying.md", "text/markdown", b"# Buying")
    assert library.file(story) is None
    other = LibraryStore(network.store.workspace("Other", create=True))
    assert other.product(guide) is None and other.file(guide) is None
    library.delete(guide, actor="admin")
    assert library.product(guide) is None and library.file(guide) is None
    audit = [e.action for e in network.workspace.audit_log(50)]
    assert {"library.add", "library.tags", "library.delete"} <= set(audit)


def test_text_is_read_from_markdown_word_and_pdf() -> None:
    assert extract_text("a.md", b"# Title\r\n\r\n\r\nBody  text") == "# Title\n\nBody text"
    assert extract_text("a.txt", "caf\xe9".encode("cp1252")) == "café"
    document = docx.Document()
    document.add_paragraph("Pooled budgets helped.")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Partner"
    table.rows[0].cells[1].text = "NHS"
    buffer = io.BytesIO()
    document.save(buffer)
    word = extract_text("a.docx", buffer.getvalue())
    assert "Pooled budgets helped." in word and "Partner | NHS" in word
    pdf = io.BytesIO()
    page = canvas.Canvas(pdf)
    page.drawString(50, 700, "Shared data agreement with the police")
    page.save()
    assert "Shared data agreement" in extract_text("a.pdf", pdf.getvalue())
    for name, content, status, words in [
        ("a.exe", b"MZ", 415, "Upload a PDF"),
        ("a.pdf", b"not a pdf", 415, "not really a PDF"),
        ("a.docx", b"PK\x03\x04junk", 415, "not really a Word"),
        ("a.md", b"", 415, "empty"),
        ("a.md", b"text\x00with nul", 415, "binary"),
        ("a.md", b"   \n  ", 415, "No text"),
        ("a.md", b"x" * 21, 413, "larger than 20 bytes"),
    ]:
        with pytest.raises(LibraryError) as caught:
            extract_text(name, content, max_bytes=20)
        assert caught.value.status_code == status and words in caught.value.message


def test_tags_are_suggested_from_codes_and_themes() -> None:
    tags = suggest_tags(
        "How we pooled budgets with the NHS: a joint fund and shared commissioning.",
        themes=[("Joint funding", ["pooled", "budgets", "fund"]), ("Housing", ["housing", "rent"])],
    )
    codes = [t.value for t in tags if t.kind == "code"]
    assert codes[0] == "enabler.pooled_budgets"
    assert all(not t.confirmed for t in tags)
    assert ("theme", "Joint funding") in [(t.kind, t.value) for t in tags]
    assert "Housing" not in [t.value for t in tags]
    assert suggest_tags("zzz qqq") == []


def test_finding_themes_does_not_move_the_ways_past(network: Network) -> None:
    from upstream.records.themes import Theme
    from upstream.store.theme_repository import ThemeStore
    from upstream.workflows.network.peers import _gather

    before = [(m.organisation, m.peer, m.quotes, m.relevance) for m in _gather(
        network.workspace
    ).patterns.peer_enablers]  # fmt: skip
    assert before
    with network.workspace.writer() as writer:
        source = writer.add_source("more.csv")
        extra = [
            ItemDraft(text=f"Residents want better bus shelters, note {n}", line=n, organisation=o)
            for n, o in enumerate(["Northmoor Council", "Eastfield Council"] * 3)
        ]
        writer.insert_items(source, extra)
    ids = [i.id for i in network.workspace.items()]
    theme = Theme(
        id=0, label="Bus shelters", keywords=("bus",), size=len(ids), respondents=len(ids),
        organisations=(), engagement_size=None, quotes=(), members=tuple(range(len(ids))),
    )  # fmt: skip
    ThemeStore(network.workspace).save_run(
        [theme], ids, parameters={}, versions={}, seed=0, summary={"items": len(ids)}
    )
    after = [(m.organisation, m.peer, m.quotes, m.relevance) for m in _gather(
        network.workspace
    ).patterns.peer_enablers]  # fmt: skip
    assert after == before
