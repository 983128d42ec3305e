"""Direction apart from topic: a way past a barrier is not counted as the barrier."""

from __future__ import annotations

from pathlib import Path

import pytest

from upstream.coding.coder import FrameworkCoder
from upstream.coding.direction import HELPS, HINDERS, code_directions, prompt_direction
from upstream.frameworks import Code, Codebook, load_codebook
from upstream.records.drafts import ItemDraft
from upstream.store import Store
from upstream.store.coding_repository import CodingStore
from upstream.workflows.coding import code_workspace


def test_codes_take_the_direction_of_their_barrier_or_enabler_root() -> None:
    directions = code_directions(load_codebook("dbe"))
    assert directions["barrier.procurement"] == HINDERS
    assert directions["enabler.simpler_commissioning"] == HELPS
    assert directions["barrier"] == HINDERS
    assert "driver.crisis" not in directions  # a driver is neither
    own = Codebook(
        id="own",
        title="Implementation",
        description="",
        version="1",
        codes=(
            Code("b", "Barriers", "What got in the way."),
            Code("b.cost", "Cost", "Money.", parent="b"),
            Code("f", "Facilitators", "What helped."),
            Code("f.champion", "A champion", "Someone who pushed it.", parent="f"),
            Code("ctx", "Context", "Where it happened."),
        ),
    )
    assert code_directions(own) == {
        "b": HINDERS,
        "b.cost": HINDERS,
        "f": HELPS,
        "f.champion": HELPS,
    }


@pytest.mark.parametrize(
    ("prompt", "direction"),
    [
        ("Barrier", HINDERS),
        ("What gets in the way of doing your best work?", HINDERS),
        ("Enabler", HELPS),
        ("What one change would most help you support residents better?", HELPS),
        ("What should we keep from how we worked during the pandemic?", HELPS),
        ("What one thing would make your neighbourhood a better place to live?", None),
        ("What helps, and what gets in the way?", None),  # names both: the text decides
        (None, None),
    ],
)
def test_a_prompt_counts_only_when_it_names_a_direction(
    prompt: str | None, direction: str | None
) -> None:
    assert prompt_direction(prompt) == direction


@pytest.fixture(scope="module")
def coder() -> FrameworkCoder:
    return FrameworkCoder(load_codebook("dbe"), context=False, explain=False).fit([])


def _top(coder: FrameworkCoder, texts: list[str], prompts: list[str | None] | None = None) -> list:
    return [r.code for r in coder.predict(texts, prompts=prompts)]


def test_a_way_past_procurement_rules_is_not_coded_as_the_barrier(coder: FrameworkCoder) -> None:
    fixed, stuck = _top(
        coder,
        [
            "We rewrote the contract rules, and grants to local groups now go to a simple panel.",
            "A forty-page tender for a tiny befriending contract. The charity gave up.",
        ],
    )
    assert fixed == "enabler.simpler_commissioning"
    assert stuck == "barrier.procurement"


def test_the_column_a_sticky_note_sits_in_decides_its_direction(coder: FrameworkCoder) -> None:
    note = "Procurement and small grants"
    as_barrier, as_enabler = _top(coder, [note, note], prompts=["Barrier", "Enabler"])
    assert as_barrier == "barrier.procurement"
    assert as_enabler == "enabler.simpler_commissioning"
    # The explanation says so, and only where the prompt names the code's direction.
    explained = FrameworkCoder(load_codebook("dbe"), context=False).fit([])
    named, unnamed = explained.predict([note, note], prompts=["Barrier", "Comments"])
    assert named.explanation.prompt == "Barrier" and unnamed.explanation.prompt == ""


def test_a_note_under_leave_behind_is_something_to_stop_however_it_is_worded() -> None:
    coder = FrameworkCoder(load_codebook("dbe"), context=False, explain=False, threshold=0.2)
    coder.fit([])
    # Warm words ("communities", "engagement") read as helping; the column says otherwise,
    # so no code that points the other way is given beside the barrier.
    note = "Doing things to communities and calling it engagement"
    (result,) = coder.predict([note], prompts=["Leave behind"])
    assert result.code is not None and result.code.startswith("barrier")
    assert not [c for c, _ in result.codes if c.startswith("enabler")]
    (unprompted,) = coder.predict([note])
    assert any(c.startswith("enabler") for c, _ in unprompted.codes)


def test_direction_stays_once_people_have_coded_a_few_items() -> None:
    decided = [
        ("Our budget was cut by a third this year.", "barrier.funding"),
        ("Nobody has time to think beyond the next case.", "barrier.capacity"),
        ("The pooled fund with health pays for the hub.", "enabler.pooled_budgets"),
        ("The chief executive backs the team in public.", "enabler.leadership"),
    ]
    # Four decisions are examples beside the codebook's; allowed to, the coder also
    # learns from them on their own (supervised). Either way direction stays.
    for min_labels, mode in ((30, "zero-shot"), (2, "supervised")):
        coder = FrameworkCoder(
            load_codebook("dbe"), context=False, explain=False, min_labels=min_labels
        ).fit([text for text, _ in decided], [code for _, code in decided])
        assert coder.mode_ == mode and coder.direction_ is not None
        note = "Procurement and small grants"
        assert _top(coder, [note, note], prompts=["Barrier", "Enabler"]) == [
            "barrier.procurement",
            "enabler.simpler_commissioning",
        ]


def test_without_direction_the_subject_alone_decides(coder: FrameworkCoder) -> None:
    plain = FrameworkCoder(load_codebook("dbe"), context=False, explain=False, direction=False).fit(
        []
    )
    note = "Procurement and small grants"
    assert _top(plain, [note, note], prompts=["Barrier", "Enabler"]) == _top(plain, [note, note])
    assert plain.direction_ is None and coder.direction_ is not None


def test_a_workspace_run_reads_each_item_s_prompt(tmp_path: Path) -> None:
    note = "Procurement and small grants"
    with Store(str(tmp_path / "w.db")) as store:
        with store.writer("Network") as writer:
            board = writer.add_source("stickies.csv", kind="workshop notes")
            writer.insert_items(
                board,
                [
                    ItemDraft(
                        text=f"{note}.", line=2, organisation="A", attributes={"column": "Barrier"}
                    ),
                    ItemDraft(
                        text=f"{note}!", line=3, organisation="B", attributes={"Column": "Enabler"}
                    ),
                ],
            )
            survey = writer.add_source(
                "comments.csv",
                kind="survey comments",
                options={"question": "What gets in the way of doing your best work?"},
            )
            writer.insert_items(survey, [ItemDraft(text=note, line=2, organisation="C")])
        outcome = code_workspace(store, "Network", load_codebook("dbe"), threshold=0.0)
        by_id = {str(item.id): item.organisation for item in store.workspace("Network").items()}
        stored = CodingStore(store.workspace("Network")).codings()
        prompts = {c.explanation.get("prompt") for c in stored if c.explanation.get("prompt")}
    coded = {by_id[i]: r.code for i, r in zip(outcome.ids, outcome.results, strict=True)}
    assert coded == {
        "A": "barrier.procurement",
        "B": "enabler.simpler_commissioning",
        "C": "barrier.procurement",
    }
    assert prompts == {"What gets in the way of doing your best work?", "Barrier", "Enabler"}


def test_an_imported_file_keeps_its_question_column_for_the_coder(tmp_path: Path) -> None:
    from upstream.workflows.ingest import ImportOptions, import_file

    note = "Procurement and small grants"
    path = tmp_path / "comments.csv"
    path.write_text(
        "text,Question\n"
        f"{note},What gets in the way of doing your best work?\n"
        f"{note}.,What one change would most help you support residents?\n",
        encoding="utf-8",
    )
    with Store(str(tmp_path / "w.db")) as store:
        # Nobody asked to keep the question, and it reads like free text.
        import_file(store, path, ImportOptions(workspace="Network", organisation="A"))
        items = store.workspace("Network").items()
        assert [item.attributes.get("Question", "")[:8] for item in items] == [
            "What get",
            "What one",
        ]
        outcome = code_workspace(store, "Network", load_codebook("dbe"), threshold=0.0)
    assert [r.code for r in outcome.results] == [
        "barrier.procurement",
        "enabler.simpler_commissioning",
    ]


def test_an_answer_to_what_helped_backs_off_to_enabler_as_a_barrier_backs_off_to_barrier(
    coder: FrameworkCoder,
) -> None:
    # The framework has more enablers than barriers, so by its share of all codes
    # "Enabler of change" would be harder to back off to; a question that names the
    # direction is evidence enough for the top-level code.
    note = "Clinical supervision every month has been a life saver"
    helped, hindered = coder.predict(
        [note, note],
        prompts=["What has helped you most in the last year?", "What gets in the way?"],
    )
    assert helped.code == "enabler"
    assert hindered.code is None or hindered.code.startswith("barrier")


def test_every_way_of_coding_with_a_framework_counts_at_its_own_threshold() -> None:
    from upstream.coding.coder import make_coder
    from upstream.signals.dbe import ZeroShotDbe

    dbe = load_codebook("dbe")
    assert dbe.threshold == 0.2
    assert make_coder(dbe, embedder="hashing").threshold == 0.2
    assert make_coder(dbe, embedder="hashing", threshold=0.5).threshold == 0.5
    assert make_coder(load_codebook("nom"), embedder="hashing").threshold == 0.35
    notes = ["Procurement rules slow every small grant", "Pooled budgets with health helped"]
    classified = ZeroShotDbe("hashing").classify(notes)
    coder = make_coder(dbe, embedder="hashing").set_params(explain=False).fit(notes)
    assert [label.code for label in classified] == [r.code for r in coder.predict(notes)]


def test_a_broad_code_beside_the_top_one_must_be_nearly_as_likely() -> None:
    """At 0.2, "Driver of change 22%" passed on complaints about IT; it no longer counts."""
    coder = FrameworkCoder(load_codebook("dbe"), context=False, explain=False).fit([])
    coder.set_params(threshold=0.2)
    book = coder.codebook
    texts = [
        "Still the IT. The new system is promised for 2027. It was promised for 2024 as well.",
        "Systems that don't match up. I reconcile housing and council tax records by hand.",
        "Short staffing. Everyone is doing two jobs and it isn't sustainable.",
        "Approvals. Anything slightly out of the ordinary goes up four levels.",
        "The pandemic forced us to work with the charities, and the budget cuts keep us at it.",
    ]
    roots = {code.id for code in book.roots()}
    coded = [r for r in coder.predict(texts) if r.code is not None]
    assert len(coded) >= 3
    for result in coded:
        assert result.code is not None
        path = {result.code, *(a.id for a in book.ancestors(result.code))}
        for code, confidence in result.codes:
            if code in roots and code not in path:
                assert confidence >= 0.5 * result.confidence, (result.code, result.codes)
