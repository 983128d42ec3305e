"""Roundtables in the library and the store, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import date, datetime

import pytest
from alembic import command

from upstream.store import Store, StoreError, Workspace
from upstream.store.engine import alembic_config, current_revision, make_engine
from upstream.store.roundtable_repository import AGENDA, BOARD, RoundtableStore
from upstream.workflows.network.roundtables import (
    DEFAULT_COLUMNS,
    Answer,
    LiveRefresher,
    answers_from_form,
    create_roundtable,
    read_roundtable_form,
    refresh_live,
    respond,
)

RESPONSES = [
    (BOARD, 0, "Leave behind the paper referral forms that slow every family down."),
    (BOARD, 0, "Leave behind paper referral forms and duplicate paper assessments."),
    (BOARD, 1, "Keep the weekly huddle with housing, health and the police."),
    (BOARD, 1, "Keep the weekly huddle; partners sharing cases every week works."),
    (BOARD, 2, "Share data with the voluntary sector earlier, before a crisis."),
    (AGENDA, 0, "Austerity cuts forced us to rethink budgets and stop salami-slicing."),
]


@pytest.fixture
def workspace(db_url: str) -> Iterator[Workspace]:
    store = Store(db_url)
    yield store.workspace("Network", create=True)
    store.close()


def _draft() -> object:
    draft, problems = read_roundtable_form(
        title="Spring roundtable",
        day="2025-05-14",
        clock="10:30",
        place="Town hall",
        description="What we learnt from the winter.",
        agenda_titles=["Welcome", "What changed", ""],
        agenda_times=["10:30", "10:45", ""],
        agenda_questions=["", "What pushed your council to change?", ""],
    )
    assert problems == []
    return draft


def test_create_roundtable_with_agenda_and_board(workspace: Workspace) -> None:
    draft = _draft()
    rid = create_roundtable(workspace, draft, actor="owner@network.org")  # type: ignore[arg-type]
    found = RoundtableStore(workspace).get(rid)
    assert found is not None
    assert found.title == "Spring roundtable"
    assert found.starts_at == datetime(2025, 5, 14, 10, 30)
    assert found.columns == DEFAULT_COLUMNS
    assert [a.title for a in found.agenda] == ["Welcome", "What changed"]
    assert found.agenda[1].question == "What pushed your council to change?"
    assert found.framework == "nom" and found.is_open
    sources = {s.id: s for s in workspace.sources()}
    assert found.source_id in sources and sources[found.source_id].kind == "roundtable"
    actions = [(e.action, e.target_id) for e in workspace.audit_log()]
    assert ("roundtable.create", str(rid)) in actions


def test_form_problems_are_plain_and_nothing_is_made() -> None:
    draft, problems = read_roundtable_form(
        title=" ",
        day="14/05/2025",
        link="zoom.example/123",
        framework="nope",
        written=True,
        board=True,
        columns="",
    )
    assert draft is None
    assert "Give the roundtable a title." in problems
    assert any("date" in p for p in problems)
    assert any("https://" in p for p in problems)
    assert any("framework" in p for p in problems)
    assert any("column" in p for p in problems)
    assert any("question" in p for p in problems)


def test_responses_are_items_with_attributes_and_close_refuses(workspace: Workspace) -> None:
    rid = create_roundtable(workspace, _draft(), actor="owner@network.org")  # type: ignore[arg-type]
    store = RoundtableStore(workspace)
    roundtable = store.get(rid)
    assert roundtable is not None
    answers, problems = answers_from_form(roundtable, ["Money ran out."], ["", "The huddle", ""])
    assert problems == []
    assert answers == [Answer(AGENDA, 1, "Money ran out."), Answer(BOARD, 1, "The huddle")]
    ids = respond(
        workspace, roundtable, answers, responder="cara@x.gov.uk", organisation="Northmoor"
    )
    first, second = (workspace.item(i) for i in ids)
    assert first is not None and second is not None
    # Each responder's items are a source of their own, imported by them.
    assert first.source_id == second.source_id != roundtable.source_id
    source = next(s for s in workspace.sources() if s.id == first.source_id)
    assert source.kind == "roundtable" and source.imported_by == "cara@x.gov.uk"
    assert first.organisation == "Northmoor"
    # Dated the day they were written, so they sit in trends and date filters.
    assert first.item_date is not None and first.item_date == second.item_date
    assert abs((first.item_date - date.today()).days) <= 1
    assert first.attributes == {
        "roundtable": "Spring roundtable",
        "agenda item": "What changed",
        "question": "What pushed your council to change?",
    }
    assert second.attributes == {"roundtable": "Spring roundtable", "board column": "Keep"}
    stored = store.responses(rid)
    assert [(r.part, r.position, r.label, r.responder) for r in stored] == [
        (AGENDA, 1, "What changed", "cara@x.gov.uk"),
        (BOARD, 1, "Keep", "cara@x.gov.uk"),
    ]
    store.set_open(rid, False, actor="owner@network.org")
    with pytest.raises(StoreError, match="closed"):
        respond(workspace, roundtable, answers, responder="cara@x.gov.uk", organisation=None)
    assert store.response_count(rid) == 2
    logged = [(e.action, e.target_id) for e in workspace.audit_log()]
    assert ("roundtable.close", str(rid)) in logged


def test_empty_or_mismatched_forms_are_refused(workspace: Workspace) -> None:
    rid = create_roundtable(workspace, _draft(), actor="o@x.org")  # type: ignore[arg-type]
    roundtable = RoundtableStore(workspace).get(rid)
    assert roundtable is not None
    assert answers_from_form(roundtable, [" "], ["", "", ""])[1] == [
        "Write at least one response before sending."
    ]
    assert "reload the page" in answers_from_form(roundtable, ["a", "b"], [])[1][0]


def test_live_themes_follow_new_responses(workspace: Workspace) -> None:
    rid = create_roundtable(workspace, _draft(), actor="o@x.org")  # type: ignore[arg-type]
    store = RoundtableStore(workspace)
    roundtable = store.get(rid)
    assert roundtable is not None

    def send(rows: list[tuple[str, int, str]]) -> list[int]:
        answers = [Answer(part, pos if part == BOARD else 1, text) for part, pos, text in rows]
        return respond(workspace, roundtable, answers, responder="a@x.org", organisation="North")

    first = send(RESPONSES[:3])
    assert refresh_live(workspace, rid) == 3
    live = store.get(rid)
    assert live is not None and live.live_responses == 3
    themed = {i for theme in live.live["themes"] for i in theme["item_ids"]}
    assert themed <= set(first) and themed
    assert live.live["model"].startswith("hashing")
    assert set(live.live["item_codes"]) == {str(i) for i in first}
    assert sum(c["count"] + c["tentative"] for c in live.live["codes"]) == 3

    later = send(RESPONSES[3:])
    assert refresh_live(workspace, rid) == len(RESPONSES)
    again = store.get(rid)
    assert again is not None and again.live_responses == len(RESPONSES)
    themed = {i for theme in again.live["themes"] for i in theme["item_ids"]}
    assert set(later) & themed, "new responses join the live themes"
    assert len(again.live["item_codes"]) == len(RESPONSES)
    labels = " ".join(t["label"].lower() for t in again.live["themes"])
    assert "paper" in labels or "huddle" in labels or "referral" in labels


def test_refresher_runs_once_at_a_time_and_reruns_when_asked_meanwhile() -> None:
    threads: list[threading.Thread] = []

    def submit(_key: object, function: Callable[[], None]) -> None:
        thread = threading.Thread(target=function)
        threads.append(thread)
        thread.start()

    refresher = LiveRefresher(submit)
    release = threading.Event()
    started = threading.Event()
    runs: list[int] = []
    at_once = [0, 0]  # now, most
    lock = threading.Lock()

    def work() -> None:
        with lock:
            at_once[0] += 1
            at_once[1] = max(at_once)
        started.set()
        release.wait(timeout=30)
        with lock:
            at_once[0] -= 1
            runs.append(1)

    assert refresher.request("rt-1", work) is True
    assert started.wait(timeout=30)
    # Three more responses arrive while the first run works: one more run, not three.
    assert [refresher.request("rt-1", work) for _ in range(3)] == [False, False, False]
    assert refresher.busy("rt-1")
    release.set()
    for thread in threads:
        thread.join(timeout=30)
    assert len(runs) == 2
    assert at_once[1] == 1
    assert not refresher.busy("rt-1")
    assert len(threads) == 1, "the re-run happens in the same background job"
    # Once idle, the next request starts a fresh run.
    assert refresher.request("rt-1", work) is True
    threads[-1].join(timeout=30)
    assert len(runs) == 3


def test_refresher_survives_a_failing_run() -> None:
    calls: list[str] = []

    def boom() -> None:
        calls.append("x")
        raise RuntimeError("no")

    refresher = LiveRefresher(lambda _key, f: f())
    assert refresher.request("k", boom) is True
    assert calls == ["x"] and not refresher.busy("k")


def test_migration_0008_goes_down_and_up_again(db_url: str) -> None:
    store = Store(db_url)
    workspace = store.workspace("Before", create=True)
    create_roundtable(workspace, _draft(), actor="o@x.org")  # type: ignore[arg-type]
    store.close()
    engine = make_engine(db_url)
    config = alembic_config(engine)
    command.downgrade(config, "0007")
    assert current_revision(engine) == "0007"
    command.upgrade(config, "head")
    engine.dispose()
    store = Store(db_url)
    again = store.workspace("Before")
    assert RoundtableStore(again).all() == []
    assert create_roundtable(again, _draft(), actor="o@x.org") > 0  # type: ignore[arg-type]
    store.close()
