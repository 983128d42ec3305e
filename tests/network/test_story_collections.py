"""Story collections in the library and the store, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from upstream.policy import FEWER_THAN
from upstream.store import Store
from upstream.store.coding_repository import CodingStore
from upstream.store.collection_repository import SELF_SIGNIFIED, CollectionStore, find_by_token
from upstream.workflows.network.collections import (
    DEFAULT_SLIDERS,
    RATE_LIMIT,
    CheckedStory,
    StoryForm,
    default_spec,
    element_choices,
    parse_story,
    read_story_form,
    redact_story,
    save_story,
    spec_from_form,
    take_story_slot,
)
from upstream.workflows.network.signification import (
    band_of,
    code_collection,
    latest_run,
    machine_elements,
    results,
    stories_matching,
)


def test_elements_offered_stay_short() -> None:
    top = element_choices("nom", 1)
    both = element_choices("nom", 2)
    assert [e.id for e in top][:2] == ["context", "purpose"] and len(top) == 8
    assert len(both) == 8 + 31 and all(e.depth in (1, 2) for e in both)
    with pytest.raises(KeyError):
        element_choices("nope", 1)


def test_set_up_form_checks_and_keeps_what_was_typed() -> None:
    form = {
        "title": "Working differently",
        "prompt": "Tell us about a time...",
        "framework": "hls",
        "level": "1",
        "elements": ["nonsense"],
        "elements_set": "1",
        "slider_label_1": "How was it done?",
        "slider_left_1": "Done to",
        "slider_right_1": "",
        "opens_at": "2026-05-01",
        "closes_at": "2026-04-01",
        "organisation": "Atlantis",
    }
    spec, problems = spec_from_form(form, ["Northmoor Council"])
    assert spec.title == "Working differently" and spec.framework == "hls"
    assert spec.elements == tuple(e.id for e in element_choices("hls", 1))
    text = " ".join(problems)
    assert "at least one element" in text
    assert "both ends" in text and "between 2 and 4 sliders" in text
    assert "closing date must be after" in text and "organisation from the list" in text


def test_story_checks_say_what_to_fix() -> None:
    from upstream.store.collection_repository import CollectionRecord

    record = CollectionRecord(1, 1, "t", default_spec(), "me", datetime.now(UTC))
    form = read_story_form(
        record,
        {
            "story": "Too short",
            "slider_with": "abc",
            "answer_role": "Martian",
            "elements": "purpose",
        },
    )
    checked, problems = parse_story(record, form)
    assert checked is None and form.text == "Too short" and form.elements == ["purpose"]
    joined = " ".join(problems)
    assert "at least 20 characters" in joined
    assert "number from 0" in joined and "from the list" in joined and "consent" in joined
    good = StoryForm(
        text="The council asked us first and we designed the hub together.",
        elements=["purpose", "not-offered"],
        sliders={"with": "130", "power": "20"},
        skipped={"lasting"},
        answers={"role": "Resident"},
        consent=True,
    )
    checked, problems = parse_story(record, good)
    assert problems == [] and checked is not None
    assert checked.elements == ("purpose",)
    assert checked.sliders == {"with": 100, "power": 20}
    assert checked.answers == {"Which best describes you?": "Resident"}


def test_redaction_removes_names_emails_and_phones() -> None:
    text, counts = redact_story(
        "Mrs Patel rang 07700 900123 and emailed sam@example.org. My name is Jo Bloggs."
    )
    assert "Patel" not in text and "07700" not in text and "sam@example.org" not in text
    assert "Bloggs" not in text and "[NAME]" in text and "[EMAIL]" in text
    assert counts["NAME"] == 2 and counts["EMAIL"] == 1 and counts["PHONE"] == 1


def test_bands() -> None:
    assert [band_of(v) for v in (0, 19, 20, 59, 80, 100)] == [0, 0, 1, 2, 4, 4]


STORIES = [
    (
        "Residents co-designed the youth hub with council staff over many workshops.",
        ("external_actors",),
        90,
    ),
    ("Budget cuts and austerity forced us to rethink every service we run.", ("context",), 10),
    ("We used data and new technology to measure outcomes for people.", ("capabilities",), 55),
]


def test_collection_stories_codings_and_agreement(db_url: str) -> None:
    store = Store(db_url)
    try:
        workspace = store.workspace("Network", create=True)
        collections = CollectionStore(workspace)
        spec = default_spec("Northmoor Council")
        spec = type(spec)(**{**{f: getattr(spec, f) for f in spec.__slots__}, "title": "Stories"})
        collection = collections.create(spec, actor="owner@network.org")
        assert len(collection.token) >= 32
        found = find_by_token(store, collection.token)
        assert found is not None and found[1].id == collection.id and found[0].id == workspace.id
        assert find_by_token(store, "not-a-token") is None
        assert collection.state() == "open"
        assert collection.spec.sliders == DEFAULT_SLIDERS

        item_ids = []
        for n, (text, elements, slider) in enumerate(STORIES):
            checked = CheckedStory(
                text + " Call 07700 900123.",
                elements,
                {"with": slider},
                {"Which best describes you?": "Resident"},
            )
            item_ids.append(
                save_story(
                    collections, collection, checked, submitted_by="cara@x.org" if n == 0 else ""
                )
            )
        stories = collections.stories(collection.id)
        assert [s.item_id for s in stories] == item_ids
        assert all("07700" not in s.text and s.redacted for s in stories)
        assert (
            stories[0].submitted_by == "cara@x.org"
            and stories[0].organisation == "Northmoor Council"
        )
        item = workspace.item(item_ids[0])
        assert item is not None and item.attributes["Which best describes you?"] == "Resident"
        assert item.attributes["How was it done? (0-100)"] == "90"
        assert not item.shared

        # Self-signified codings are human, kept apart from the machine's.
        human = CodingStore(workspace).codings(origin="human")
        assert {(c.item_id, c.code) for c in human} == {
            (i, e) for i, (_, els, _) in zip(item_ids, STORIES, strict=True) for e in els
        }
        assert all(c.coder == SELF_SIGNIFIED and c.status == "suggested" for c in human)
        codebook_id = CodingStore(workspace).codebook_id("nom")
        assert codebook_id is not None and CodingStore(workspace).human_labels(codebook_id) == []

        # The machine codes at the same level, from the framework alone.
        summary = code_collection(workspace, collection, embedder="hashing", threshold=0.0)
        assert summary["stories"] == 3 and summary["coded"] == 3
        run = latest_run(workspace, collection.id)
        assert run is not None and run.id == summary["run_id"] and run.kind == "collection coding"
        machine = machine_elements(workspace, collection, run)
        assert set(machine) == set(item_ids)
        roots = {e.id for e in element_choices("nom", 1)}
        assert all(codes <= roots for codes in machine.values())
        data = results(collection, stories, machine, machine_ran=True)
        assert data.stories == 3 and data.compared == 3
        by_element = {a.element: a for a in data.agreements}
        assert by_element["context"].contributors == 1
        for agreement in data.agreements:
            assert agreement.both + agreement.neither <= 3
            assert agreement.kappa is None or -1.0 <= agreement.kappa <= 1.0
        placed = data.sliders[0]
        # Three stories: too few to show where anyone put the slider, overall or by group.
        assert placed.answered == 3 and placed.bands == () and placed.mean is None
        assert placed.by_organisation == [] and placed.by_answer == {}
        assert (
            stories_matching(collection, stories, machine, slider="with", band=4)[0].item_id
            == item_ids[0]
        )
        chosen = stories_matching(
            collection, stories, machine, element="context", who="contributor"
        )
        assert [s.item_id for s in chosen] == [item_ids[1]]

        # A story sent after the run was never shown to the machine: left out, not "none".
        save_story(collections, collection, CheckedStory(STORIES[0][0] + " Again.", (), {}, {}))
        later = collections.stories(collection.id)
        data = results(collection, later, machine, machine_ran=True, cutoff=run.started_at)
        assert (data.stories, data.compared, data.waiting) == (4, 3, 1)

        # A reviewer's decision on a story replaces earlier decisions, not the writer's codes.
        coding = CodingStore(workspace)
        coding.decide(item_ids[1], codebook_id, "recode", code="purpose", actor="anna@x.org")
        coding.decide(item_ids[1], codebook_id, "reject", actor="ben@x.org")
        kept = [c for c in coding.codings(origin="human") if c.item_id == item_ids[1]]
        assert {c.code for c in kept} == set(STORIES[1][1])
        assert all(c.coder == SELF_SIGNIFIED for c in kept)
    finally:
        store.close()


def test_groups_of_ten_are_shown_and_kappa_is_exact(db_url: str) -> None:
    store = Store(db_url)
    try:
        workspace = store.workspace("Network", create=True)
        collections = CollectionStore(workspace)
        collection = collections.create(default_spec(), actor="owner")
        for n in range(12):
            save_story(
                collections,
                collection,
                CheckedStory(
                    f"Story number {n} about working with residents.",
                    ("context",) if n < 6 else (),
                    {"with": 10 * n},
                    {},
                ),
                organisation="Southvale Council",
            )
        stories = collections.stories(collection.id)
        # A made-up machine that agrees on 10 of 12 stories.
        machine = {
            s.item_id: ({"context"} if n < 5 or n == 11 else set()) for n, s in enumerate(stories)
        }
        data = results(collection, stories, machine, machine_ran=True)
        context = next(a for a in data.agreements if a.element == "context")
        assert (context.contributors, context.machine, context.both, context.neither) == (
            6,
            6,
            5,
            5,
        )
        assert context.kappa == pytest.approx(2 / 3)
        # Every split is 1 to 9 stories, which κ beside the totals would give away.
        assert context.kappa_text == "not shown" and context.agreement_words.startswith("not shown")
        purpose = next(a for a in data.agreements if a.element == "purpose")
        assert purpose.kappa is None
        row = data.sliders[0].by_organisation[0]
        assert row.group == "Southvale Council" and row.stories == 12 and not row.suppressed
        assert row.bands == (2, 2, 2, 2, 4)
    finally:
        store.close()


def test_no_small_group_of_stories_can_be_seen_or_worked_out(db_url: str) -> None:
    store = Store(db_url)
    try:
        workspace = store.workspace("Network", create=True)
        collections = CollectionStore(workspace)
        collection = collections.create(default_spec(), actor="owner")
        save_story(
            collections,
            collection,
            CheckedStory("The only story so far, about residents.", (), {"with": 85}, {}),
            organisation="Northmoor Council",
        )
        alone = results(collection, collections.stories(collection.id), {}, machine_ran=False)
        slider = alone.sliders[0]
        assert slider.answered == 1 and slider.bands == () and slider.mean is None
        assert slider.by_organisation == []
        for n in range(12):
            save_story(
                collections,
                collection,
                CheckedStory(f"Story {n} about residents.", (), {"with": 10 * n}, {}),
                organisation="Southvale Council",
            )
        data = results(collection, collections.stories(collection.id), {}, machine_ran=False)
        slider = data.sliders[0]
        assert slider.answered == 13 and slider.mean is not None
        rows = {r.group: r for r in slider.by_organisation}
        # Southvale's 12 beside the overall 13 would give Northmoor's one story away.
        assert rows["Northmoor Council"].suppressed and rows["Northmoor Council"].note == FEWER_THAN
        assert (
            rows["Southvale Council"].suppressed and rows["Southvale Council"].note == "not shown"
        )
        assert rows["Southvale Council"].bands is None and rows["Southvale Council"].mean is None
    finally:
        store.close()


def test_rate_limit_takes_one_slot_per_story_per_address(db_url: str) -> None:
    store = Store(db_url)
    try:
        collections = CollectionStore(store.workspace("Network", create=True))
        collection = collections.create(default_spec(), actor="owner")
        for _ in range(RATE_LIMIT - 1):
            assert take_story_slot(collections, collection, "10.0.0.1")
        # A story refused for its content gives its slot back.
        assert take_story_slot(collections, collection, "10.0.0.1")
        collections.give_back_slot(collection.id, "10.0.0.1")
        assert take_story_slot(collections, collection, "10.0.0.1")
        assert not take_story_slot(collections, collection, "10.0.0.1")
        assert take_story_slot(collections, collection, "10.0.0.2")
        collections.record_attempt(collection.id, "10.0.0.1", "accepted")
        later = datetime.now(UTC) + timedelta(minutes=1)
        assert collections.recent_attempts(collection.id, "10.0.0.1", later) == 0
    finally:
        store.close()


def test_editing_and_closing(db_url: str) -> None:
    store = Store(db_url)
    try:
        collections = CollectionStore(store.workspace("Network", create=True))
        collection = collections.create(default_spec(), actor="owner")
        past = datetime.now(UTC) - timedelta(days=1)
        spec = default_spec("Southvale Council")
        closed = type(spec)(
            **{
                **{f: getattr(spec, f) for f in spec.__slots__},
                "title": "Closed",
                "closes_at": past,
            }
        )
        updated = collections.update(collection.id, closed, actor="owner")
        assert updated.token == collection.token and updated.state() == "closed"
        again = collections.collection(collection.id)
        assert (
            again is not None
            and again.spec.title == "Closed"
            and again.spec.organisation == "Southvale Council"
        )
        assert again.state() == "closed"
        future = type(spec)(
            **{
                **{f: getattr(spec, f) for f in spec.__slots__},
                "opens_at": datetime.now(UTC) + timedelta(days=1),
            }
        )
        assert collections.update(collection.id, future, actor="owner").state() == "not yet open"
    finally:
        store.close()


def test_agreement_withholds_what_its_totals_and_kappa_would_give_away() -> None:
    """Contributors 12, both 5: the 7 who chose it alone, and κ, would name small groups."""
    from upstream.workflows.network.signification import Agreement

    small = Agreement(
        "mindset", "Mindset", 0, contributors=12, machine=15, both=5, neither=40, kappa=0.31
    )
    assert small.shown("both") == "fewer than 10"
    assert small.shown("contributors-only") == "fewer than 10"
    # Machine 15 = both 5 + 10 alone: the 10 is hidden too, or 15 - 10 gives the 5 away.
    assert small.shown("machine-only") == "not shown"
    assert small.kappa_text == "not shown" and "not shown" in small.agreement_words
    # Contributors 12 = both 5 + 7 alone: both hidden, so the total 12 may stay.
    assert small.shown("contributors") == "12"
    large = Agreement(
        "purpose", "Purpose", 0, contributors=30, machine=25, both=15, neither=40, kappa=0.52
    )
    assert [large.shown(f) for f in ("contributors", "machine", "both")] == ["30", "25", "15"]
    assert large.shown("contributors-only") == "15" and large.shown("machine-only") == "10"
    assert large.kappa_text == "0.52" and large.agreement_words == "moderate"
    # Only 4 stories neither: the story count less the rest gives them away.
    few_neither = Agreement("x", "X", 0, contributors=30, machine=25, both=15, neither=4, kappa=0.1)
    assert few_neither.kappa_text == "not shown"
    assert "not shown" in [few_neither.shown(f) for f in ("contributors-only", "machine-only")]
