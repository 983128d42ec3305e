"""Codebooks, runs, machine codings, the review queue and human decisions in the store."""

from __future__ import annotations

import pytest

from upstream.frameworks import load_codebook
from upstream.records.drafts import ItemDraft
from upstream.store import Store, StoreError
from upstream.store.coding_repository import CodingStore, MachineCoding

TEXTS = [
    "Procurement rules meant the pilot waited six months for a contract",
    "We pooled the budget with the NHS so the team could act quickly",
    "The old case system needs three logins",
    "Volunteers rang every resident on the shielding list",
]


def _setup(db_url: str) -> tuple[Store, CodingStore, list[int], int]:
    store = Store(db_url)
    ws = store.workspace("Network", create=True)
    with ws.writer() as writer:
        source = writer.add_source("notes.csv")
        writer.insert_items(source, [ItemDraft(text=t, line=n) for n, t in enumerate(TEXTS, 2)])
    ids = [item.id for item in ws.items()]
    coding = CodingStore(ws)
    codebook_id = coding.save_codebook(load_codebook("dbe"))
    return store, coding, ids, codebook_id


def test_codebook_copy_is_idempotent_and_keeps_hierarchy(db_url: str) -> None:
    store, coding, _, codebook_id = _setup(db_url)
    assert coding.save_codebook(load_codebook("dbe")) == codebook_id
    assert coding.codebook_id("dbe") == codebook_id
    store.close()


def test_machine_codings_review_and_decisions(db_url: str) -> None:
    store, coding, ids, codebook_id = _setup(db_url)
    book = load_codebook("dbe")
    barrier_leaf = next(c.id for c in book.leaves() if c.parent == "barrier")
    enabler_leaf = next(c.id for c in book.leaves() if c.parent == "enabler")
    run = coding.start_run("coding", parameters={"codebook": "dbe"}, versions={"upstream": "t"})
    stored = coding.add_machine_codings(
        run,
        codebook_id,
        [
            MachineCoding(ids[0], barrier_leaf, 0.91, False, {"priority": 0.1}),
            MachineCoding(ids[1], enabler_leaf, 0.55, False, {"priority": 0.8}),
            MachineCoding(ids[2], barrier_leaf, 0.20, True, {"priority": 0.95}),
        ],
        coder="test-coder",
    )
    assert stored == 3
    coding.finish_run(run, summary={"coded": 2, "uncoded": 1})
    assert coding.runs()[0].summary == {"coded": 2, "uncoded": 1}

    queue = coding.review_queue(run)
    assert [c.item.id for c in queue] == [ids[2], ids[1], ids[0]]
    assert queue[0].suggestions[0].status == "tentative"

    coding.decide(ids[1], codebook_id, "accept", actor="ana@example.org")
    coding.decide(ids[2], codebook_id, "recode", code=enabler_leaf, actor="ana@example.org")
    coding.decide(ids[0], codebook_id, "reject", actor="ana@example.org")

    assert coding.review_queue(run) == []
    labels = {item.id: code for item, code in coding.human_labels(codebook_id)}
    assert labels == {ids[1]: enabler_leaf, ids[2]: enabler_leaf}
    machine = {c.item_id: c.status for c in coding.codings(run_id=run, origin="machine")}
    assert machine == {ids[0]: "rejected", ids[1]: "accepted", ids[2]: "rejected"}
    human = coding.codings(origin="human")
    assert {c.coder for c in human} == {"ana@example.org"}
    # Changing one's mind replaces the earlier decision rather than adding a second.
    coding.decide(ids[1], codebook_id, "recode", code=barrier_leaf, actor="ana@example.org")
    labels = {item.id: code for item, code in coding.human_labels(codebook_id)}
    assert labels[ids[1]] == barrier_leaf
    actions = [entry.action for entry in coding.workspace.audit_log()]
    assert actions.count("coding.recode") == 2
    store.close()


def test_codings_cannot_touch_other_workspaces(db_url: str) -> None:
    store, _, ids, codebook_id = _setup(db_url)
    other = CodingStore(store.workspace("Other", create=True))
    run = other.start_run("coding", parameters={}, versions={})
    with pytest.raises(StoreError):
        other.add_machine_codings(
            run, codebook_id, [MachineCoding(ids[0], "barrier", 0.9, False, {})], coder="x"
        )
    other_book = other.save_codebook(load_codebook("dbe"))
    with pytest.raises(StoreError, match="not in this workspace"):
        other.add_machine_codings(
            run, other_book, [MachineCoding(ids[0], "barrier", 0.9, False, {})], coder="x"
        )
    with pytest.raises(StoreError):
        other.decide(ids[0], other_book, "reject", actor="x")
    store.close()


def test_bad_decisions_are_clear(db_url: str) -> None:
    store, coding, ids, codebook_id = _setup(db_url)
    with pytest.raises(StoreError, match="needs the code"):
        coding.decide(ids[0], codebook_id, "recode", actor="x")
    with pytest.raises(StoreError, match="not in this codebook"):
        coding.decide(ids[0], codebook_id, "recode", code="nope", actor="x")
    with pytest.raises(StoreError, match="no machine suggestion"):
        coding.decide(ids[0], codebook_id, "accept", actor="x")
    store.close()


def test_the_evidence_behind_a_code_includes_codes_below_it_however_keyed(db_url: str) -> None:
    from upstream.frameworks import Code, Codebook
    from upstream.store.account_models import Scope
    from upstream.store.visibility import BrowseQuery, ScopedEvidence

    # A person's codebook keys its children without dots: the tree is in "parent".
    book = Codebook(
        "town",
        "Town",
        "",
        "1",
        (
            Code("getting_around", "Getting around", "Travel."),
            Code("parking", "Parking", "Car parks.", parent="getting_around"),
            Code("getting_aroundx", "Not below", "Keys alike."),
        ),
    )
    store, coding, ids, _ = _setup(db_url)
    codebook_id = coding.save_codebook(book)
    run = coding.start_run("coding", parameters={"codebook": "town"}, versions={"upstream": "t"})
    coding.add_machine_codings(
        run,
        codebook_id,
        [
            MachineCoding(ids[0], "parking", 0.9, False, {}),
            MachineCoding(ids[1], "getting_around", 0.8, False, {}),
            MachineCoding(ids[2], "getting_aroundx", 0.8, False, {}),
        ],
        coder="test-coder",
    )
    coding.finish_run(run, summary={"coded": 3})
    ids_of = coding._code_ids
    with store.session() as session:
        parent = ids_of(session, codebook_id)["getting_around"]
    evidence = ScopedEvidence(coding.workspace, Scope(see_all=True))
    found, total = evidence.search(BrowseQuery(code_id=parent))
    assert total == 2 and {item.id for item in found} == {ids[0], ids[1]}
    store.close()


def test_codes_in_force_for_many_items_are_read_without_binding_every_id(db_url: str) -> None:
    from upstream.store.effective_codes import effective_codes

    store, coding, ids, codebook_id = _setup(db_url)
    book = load_codebook("dbe")
    leaf = next(c.id for c in book.leaves() if c.parent == "barrier")
    run = coding.start_run("coding", parameters={"codebook": "dbe"}, versions={"upstream": "t"})
    coding.add_machine_codings(
        run, codebook_id, [MachineCoding(ids[0], leaf, 0.9, False, {})], coder="test-coder"
    )
    coding.finish_run(run, summary={"coded": 1})
    # A report asks for every item of a large workspace: more ids than a query may bind
    # (SQLite 32,766; PostgreSQL 65,535).
    many = [*ids, *range(10**6, 10**6 + 70_000)]
    found = effective_codes(coding.workspace, "dbe", item_ids=many)
    assert found.codes_of(ids[0]) == (leaf,)
    assert effective_codes(coding.workspace, "dbe", item_ids=ids[:1]).codes_of(ids[0]) == (leaf,)
    store.close()


def test_a_decision_can_give_two_codes_and_undo_takes_both_back(db_url: str) -> None:
    from upstream.store.coding_undo import undo_last

    store, coding, ids, codebook_id = _setup(db_url)
    book = load_codebook("dbe")
    barrier_leaf = next(c.id for c in book.leaves() if c.parent == "barrier")
    enabler_leaf = next(c.id for c in book.leaves() if c.parent == "enabler")
    run = coding.start_run("coding", parameters={"codebook": "dbe"}, versions={"upstream": "t"})
    coding.add_machine_codings(
        run,
        codebook_id,
        [
            MachineCoding(ids[0], barrier_leaf, 0.61, False, {"priority": 0.4}),
            MachineCoding(ids[0], enabler_leaf, 0.30, False, {"priority": 0.4}),
        ],
        coder="test-coder",
    )
    coding.decide(ids[0], codebook_id, "accept", also=[enabler_leaf], actor="ana@example.org")
    given = sorted(code for item, code in coding.human_labels(codebook_id) if item.id == ids[0])
    assert given == sorted([barrier_leaf, enabler_leaf])
    # Both suggestions were right, so both count as accepted when precision is measured.
    machine = {c.code: c.status for c in coding.codings(run_id=run, origin="machine")}
    assert machine == {barrier_leaf: "accepted", enabler_leaf: "accepted"}
    entry = next(e for e in coding.workspace.audit_log() if e.action == "coding.accept")
    assert entry.detail["codes"] == [barrier_leaf, enabler_leaf]

    assert undo_last(coding.workspace, "ana@example.org") == ids[0]
    assert coding.human_labels(codebook_id) == []
    machine = {c.code: c.status for c in coding.codings(run_id=run, origin="machine")}
    assert machine == {barrier_leaf: "suggested", enabler_leaf: "suggested"}
    # A rejection gives no code, so a second code alongside it is ignored.
    coding.decide(ids[0], codebook_id, "reject", also=[enabler_leaf], actor="ana@example.org")
    assert coding.human_labels(codebook_id) == []
    with pytest.raises(StoreError, match="not in this codebook"):
        coding.decide(ids[0], codebook_id, "accept", also=["nope"], actor="ana@example.org")
    store.close()


def test_a_decision_in_one_framework_leaves_another_s_suggestions_waiting(db_url: str) -> None:
    store, coding, ids, dbe_id = _setup(db_url)
    nom_id = coding.save_codebook(load_codebook("nom"))
    nom_code = load_codebook("nom").leaves()[0].id
    run = coding.start_run("coding", parameters={"codebook": "dbe"}, versions={})
    coding.add_machine_codings(
        run, dbe_id, [MachineCoding(i, "barrier.procurement", 0.4, False, {}) for i in ids],
        coder="test",
    )  # fmt: skip
    coding.finish_run(run, summary={})
    nom_run = coding.start_run("coding", parameters={"codebook": "nom"}, versions={})
    coding.add_machine_codings(
        nom_run, nom_id, [MachineCoding(ids[0], nom_code, 0.5, False, {})], coder="test"
    )
    coding.finish_run(nom_run, summary={})
    coding.decide(ids[0], nom_id, "accept", actor="ana@example.org")
    coding.decide(ids[1], dbe_id, "reject", actor="ana@example.org")
    waiting = {c.item.id for c in coding.review_queue(run, limit=10)}
    assert waiting == {ids[0], ids[2], ids[3]}
    assert coding.review_queue(nom_run, limit=10) == []
    store.close()
