"""Meaning search over a workspace: ranking, visibility, filters, paging and indexing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from upstream.frameworks import load_codebook
from upstream.records.drafts import ItemDraft
from upstream.records.themes import Theme
from upstream.store import Store
from upstream.store.account_models import EvidenceQuery, Scope
from upstream.store.coding_repository import CodingStore, MachineCoding
from upstream.store.theme_repository import ThemeStore
from upstream.store.visibility import BrowseQuery, ScopedEvidence
from upstream.workflows import search_index
from upstream.workflows.search import SemanticSearch

MODEL = "hashing"
TEXTS = [
    # (organisation, shared, text, date)
    ("Northmoor", True, "The waiting list for a GP appointment is far too long.", date(2024, 1, 5)),
    ("Northmoor", True, "Procurement rules slow down every pilot we try.", date(2024, 2, 5)),
    ("Northmoor", False, "Our budget gap is four million pounds this year.", date(2024, 3, 5)),
    ("Southvale", True, "Residents co-designed the new youth hub with us.", date(2024, 4, 5)),
    ("Southvale", False, "Private note: people wait far too long for a doctor.", date(2024, 5, 5)),
    ("Southvale", True, "Volunteers rang isolated residents every week.", date(2024, 6, 5)),
]


@dataclass
class World:
    store: Store
    ids: list[int]
    north: int
    south: int

    def evidence(self, scope: Scope) -> ScopedEvidence:
        return ScopedEvidence(self.store.workspace("Search"), scope)


@pytest.fixture
def world(db_url: str) -> World:
    store = Store(db_url)
    workspace = store.workspace("Search", create=True)
    with workspace.writer() as writer:
        source = writer.add_source("notes.csv")
        for n, (org, shared, text, when) in enumerate(TEXTS):
            draft = ItemDraft(text=text, line=n + 2, organisation=org, item_date=when)
            writer.insert_items(source, [draft], shared=shared)
    by_text = {item.text: item.id for item in workspace.items()}
    ids = [by_text[text] for _org, _shared, text, _when in TEXTS]
    with workspace.writer() as writer:
        north = writer.organisation_id("Northmoor")
        south = writer.organisation_id("Southvale")
    yield World(store, ids, north, south)
    store.close()


def _built(world: World, scope: Scope) -> SemanticSearch:
    search = SemanticSearch(world.evidence(scope), MODEL)
    search.build()
    return search


def test_index_job_reports_progress_and_stores_vectors(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    search = SemanticSearch(world.evidence(Scope(see_all=True)), MODEL)
    before = search.status()
    assert (before.indexed, before.total, before.complete) == (0, 6, False)
    reports: list[tuple[int, int]] = []
    assert search.build(progress=lambda done, total: reports.append((done, total)), batch=4) == 6
    assert reports == [(0, 6), (4, 6), (6, 6)]
    assert search.status().complete
    assert search.build() == 0  # nothing left to do
    # The vectors are in the store, so another process (a new Store) finds them indexed.
    # (Read in one pass, as a server starting on a large workspace does.)
    monkeypatch.setattr(search_index, "_BULK", 0)
    fresh = Store(world.store.engine.url.render_as_string(hide_password=False))
    try:
        again = SemanticSearch(
            ScopedEvidence(fresh.workspace("Search"), Scope(see_all=True)), MODEL
        )
        assert again.status().indexed == 6
    finally:
        fresh.close()


def test_paraphrase_ranks_first_and_only_indexed_items_are_searched(world: World) -> None:
    search = SemanticSearch(world.evidence(Scope(see_all=True)), MODEL)
    assert search.search("waiting too long for a GP").items == []  # nothing indexed yet
    search.build()
    page = search.search("patients waiting too long for a GP appointment", limit=3)
    assert page.items[0].id == world.ids[0]
    assert page.scores == sorted(page.scores, reverse=True)
    assert page.total == 6 and page.status.complete
    # A new item is counted as not indexed until the index is built again.
    with world.store.workspace("Search").writer() as writer:
        source = writer.add_source("more.csv")
        writer.insert_items(source, [ItemDraft(text="A brand new note.", line=2)], shared=True)
    status = search.status()
    assert (status.indexed, status.total) == (6, 7)
    assert search.search("new note").total == 6
    search.build()
    assert search.search("a brand new note", limit=1).items[0].text == "A brand new note."


def test_another_organisations_private_item_never_appears(world: World) -> None:
    north = _built(world, Scope(organisation_id=world.north))
    page = north.search("people wait too long for a doctor", limit=50)
    found = {item.id for item in page.items}
    assert world.ids[4] not in found  # Southvale's private note
    assert world.ids[2] in found  # Northmoor's own private note is visible to Northmoor
    assert page.total == 5 and page.status.total == 5
    south = _built(world, Scope(organisation_id=world.south))
    assert south.search("people wait too long for a doctor", limit=1).items[0].id == world.ids[4]
    assert world.ids[2] not in {i.id for i in south.search("budget gap", limit=50).items}
    nobody = _built(world, Scope())
    assert nobody.search("budget", limit=50).total == 4


def test_filters_combine_with_meaning(world: World) -> None:
    search = _built(world, Scope(see_all=True))
    by_org = search.search("waiting for a doctor", EvidenceQuery(organisation="Southvale"))
    assert {i.organisation for i in by_org.items} == {"Southvale"} and by_org.total == 3
    dated = EvidenceQuery(organisation="Southvale", date_from=date(2024, 5, 1))
    assert {i.id for i in search.search("doctor", dated).items} == {world.ids[4], world.ids[5]}

    workspace = world.store.workspace("Search")
    coding = CodingStore(workspace)
    codebook = coding.save_codebook(load_codebook("dbe"))
    run = coding.start_run("coding", parameters={"codebook": "dbe"}, versions={})
    key = load_codebook("dbe").ids()[0]
    suggestions = [
        MachineCoding(world.ids[i], key, 0.9, tentative, {})
        for i, tentative in ((0, False), (3, True))
    ]
    coding.add_machine_codings(run, codebook, suggestions, coder="test")
    coding.finish_run(run, summary={})
    code_id = next(i for i, label in world.evidence(Scope(see_all=True)).code_choices())
    coded = search.search("anything", BrowseQuery(code_id=code_id))
    assert [i.id for i in coded.items] == [world.ids[0]]  # the tentative one is left out

    theme = Theme(
        id=0,
        label="Waiting",
        keywords=("wait",),
        size=2,
        respondents=2,
        organisations=("Northmoor", "Southvale"),
        engagement_size=None,
        quotes=(),
        members=(0, 1),
    )
    ThemeStore(workspace).save_run(
        [theme], [world.ids[0], world.ids[4]], parameters={}, versions={}, seed=0, summary={}
    )
    theme_id = world.evidence(Scope(see_all=True)).theme_choices()[0][0]
    north = _built(world, Scope(organisation_id=world.north))
    in_theme = north.search("doctor", BrowseQuery(theme_id=theme_id))
    assert [i.id for i in in_theme.items] == [world.ids[0]]  # the other member is private


def test_paging(world: World) -> None:
    search = _built(world, Scope(see_all=True))
    everything = search.search("residents and volunteers", limit=6)
    assert len(everything.items) == 6
    pages = [search.search("residents and volunteers", limit=4, offset=o).items for o in (0, 4, 8)]
    assert [len(p) for p in pages] == [4, 2, 0]
    assert [i.id for p in pages for i in p] == [i.id for i in everything.items]


def test_a_kept_ranking_is_never_another_scopes_nor_older_than_the_evidence(world: World) -> None:
    query = "people wait too long for a doctor"
    everyone = _built(world, Scope(see_all=True))
    assert world.ids[4] in {i.id for i in everyone.search(query, limit=50).items}
    # The same words from Northmoor right after: Southvale's private note stays out.
    north = _built(world, Scope(organisation_id=world.north))
    assert world.ids[4] not in {i.id for i in north.search(query, limit=50).items}
    # New evidence makes a new ranking: the new item is found at once.
    workspace = world.store.workspace("Search")
    with workspace.writer() as writer:
        source = writer.add_source("more.csv")
        draft = ItemDraft(text="People wait too long for a doctor here.", line=2)
        writer.insert_items(source, [draft], shared=True)
    newest = max(item.id for item in workspace.items())
    everyone.build()
    assert everyone.search(query, limit=1).items[0].id == newest
