"""The review loop on a real store: the coder learns from each batch of decisions."""

from __future__ import annotations

from upstream.frameworks import load_codebook
from upstream.records.drafts import ItemDraft
from upstream.store import Store
from upstream.store.coding_repository import CodingStore
from upstream.workflows.coding import code_workspace
from upstream.workflows.review_loop import BATCH, learning_state, teaching_queue

# Three kinds of note, each plainly about one code of the "dbe" framework.
KINDS = {
    "barrier.procurement": "Procurement rules and the contract tender delayed the {} pilot",
    "barrier.legacy_it": "The old legacy case system and its logins slowed the {} team",
    "enabler.pooled_budgets": "A pooled budget shared with health let the {} service act",
}
PLACES = [f"ward {n}" for n in range(24)]


def _workspace(db_url: str) -> tuple[Store, str]:
    store = Store(db_url)
    ws = store.workspace("Loop", create=True)
    drafts = [
        ItemDraft(text=template.format(place), line=n)
        for n, (template, place) in enumerate((t, p) for p in PLACES for t in KINDS.values())
    ]
    with ws.writer() as writer:
        writer.insert_items(writer.add_source("notes.csv"), drafts)
    code_workspace(store, "Loop", load_codebook("dbe"), embedder="hashing", threshold=0.2)
    return store, "Loop"


def _truth(text: str) -> str:
    return next(code for code, t in KINDS.items() if text.startswith(t.split("{}")[0]))


def test_progress_appears_after_each_batch_and_queue_is_reordered(db_url: str) -> None:
    store, name = _workspace(db_url)
    ws = store.workspace(name)
    coding = CodingStore(ws)
    run = coding.runs(kind="coding")[0]
    book = load_codebook("dbe")
    codebook_id = coding.codebook_id("dbe")
    assert codebook_id is not None
    waiting = coding.review_queue(run.id, limit=200)
    assert learning_state(ws, run, book) is None  # nothing learned before the first batch
    # Before any decision the queue keeps the run's own order.
    assert teaching_queue(ws, run, book, waiting, 5) == waiting[:5]

    decided = []
    for candidate in waiting[: 2 * BATCH + 5]:
        item = candidate.item
        coding.decide(
            item.id, codebook_id, "recode", actor="ana@example.org", code=_truth(item.text)
        )
        decided.append(item.id)
    progress = learning_state(ws, run, book)
    assert progress is not None
    # Learning happens per completed batch: 25 decisions teach the first 20.
    assert progress.decisions == 2 * BATCH
    assert progress.threshold == 0.2
    assert progress.after.decisions == 2 * BATCH
    # The three kinds of note are easy to tell apart once people have shown which is which.
    assert progress.after.accuracy >= 0.9
    assert progress.after.precision is not None and progress.after.precision >= 0.9
    assert progress.before is None or progress.before < progress.after.precision

    # The queue now skips what was decided and asks first about the kinds of note
    # the people have answered least about.
    left = coding.review_queue(run.id, limit=200)
    assert not {c.item.id for c in left} & set(decided)
    ordered = teaching_queue(ws, run, book, left, BATCH)
    assert len(ordered) == BATCH
    assert len({c.item.id for c in ordered}) == BATCH
    asked = {_truth(c.item.text) for c in ordered}
    assert len(asked) >= 2  # a batch is not ten copies of one kind of note

    # Five more decisions complete the third batch and the coder learns again.
    for candidate in left[:5]:
        item = candidate.item
        coding.decide(
            item.id, codebook_id, "recode", actor="ana@example.org", code=_truth(item.text)
        )
    again = learning_state(ws, run, book)
    assert again is not None and again.decisions == 3 * BATCH
    store.close()


def test_before_it_learns_it_says_which_decisions_teach_it() -> None:
    from upstream.workflows.review_loop import BATCH, describe

    # Twelve decisions, eight of which gave a code: rejecting, or finding that no
    # code fits, teaches it nothing, so it has not started learning yet.
    headline, detail = describe(None, 12, 8)
    assert headline == ""
    assert f"after the first {BATCH} that give an item a code" in detail
    assert "8 of your 12 decisions do so far" in detail
    assert describe(None, 3)[1].endswith(f"after the first {BATCH}.")
    assert describe(None, 12, 12) == ("", "")


def test_a_retrained_run_is_judged_on_the_suggestions_people_saw(db_url: str) -> None:
    """ "Retrain now" learns from the decisions; it must not then be scored on them."""
    store, name = _workspace(db_url)
    ws = store.workspace(name)
    coding = CodingStore(ws)
    book = load_codebook("dbe")
    first = coding.runs(kind="coding")[0]
    codebook_id = coding.codebook_id("dbe")
    assert codebook_id is not None
    for candidate in coding.review_queue(first.id, limit=200)[: 2 * BATCH]:
        item = candidate.item
        coding.decide(
            item.id, codebook_id, "recode", actor="ana@example.org", code=_truth(item.text)
        )
    seen = learning_state(ws, first, book)
    assert seen is not None
    code_workspace(store, name, book, embedder="hashing", threshold=0.2)
    retrained = coding.runs(kind="coding")[0]
    assert retrained.id != first.id
    # The new run's suggestions on the decided items play the decisions back ...
    played_back = [
        c
        for c in coding.codings(run_id=retrained.id, origin="machine", codebook_id=codebook_id)
        if c.status == "suggested"
    ]
    assert played_back
    # ... so the figure for "before you decided" is still the first run's.
    again = learning_state(ws, retrained, book)
    assert again is not None
    assert (again.before, again.before_items) == (seen.before, seen.before_items)
    store.close()


def test_it_gives_no_precision_from_a_handful_of_suggestions() -> None:
    from upstream.coding.incremental import HeadQuality
    from upstream.workflows.review_loop import MIN_JUDGED, LearningProgress, describe

    few = LearningProgress(10, 0.0, 1, HeadQuality(10, 0.2, 0.1, 0.0), 0.35)
    headline, detail = describe(few, 18, 16)
    assert headline == (
        "The review queue has learned from 10 of your decisions that give an item a code; "
        "it learns again at 20."
    )
    assert "had one suggestion at 35% sure or more" in detail and "too few to say" in detail
    assert "would code 1 of those it did not learn from" in detail
    assert "1.00" not in headline and "0.00" not in headline
    enough = LearningProgress(40, 0.5, MIN_JUDGED + 2, HeadQuality(40, 0.7, 0.5, 0.8), 0.35)
    headline, detail = describe(enough, 40, 40)
    assert headline == "After your 40 decisions, expected precision 0.50 → 0.80."
    assert "right 6 times out of 12 (12 suggestions at 35% sure or more)" in detail
    assert "best guess matches yours 28 times out of 40" in detail


def test_a_run_records_where_its_threshold_came_from(db_url: str) -> None:
    from upstream.workflows.certainty import THRESHOLD_SOURCES

    store, name = _workspace(db_url)  # coded against "dbe" at 0.2, as asked
    coding = CodingStore(store.workspace(name))
    assert coding.runs(kind="coding")[0].parameters["threshold_source"] == "asked"
    code_workspace(store, name, load_codebook("dbe"), embedder="hashing")
    assert coding.runs(kind="coding")[0].parameters["threshold_source"] == "codebook"
    code_workspace(store, name, load_codebook("nom"), embedder="hashing")
    newest = coding.runs(kind="coding")[0]
    assert newest.parameters["threshold_source"] == "default"
    assert "codebook sets none" in THRESHOLD_SOURCES["default"]
    store.close()


def test_deciding_one_item_leaves_the_rest_of_the_queue_where_it_was(db_url: str) -> None:
    store, name = _workspace(db_url)
    ws = store.workspace(name)
    coding = CodingStore(ws)
    run = coding.runs(kind="coding")[0]
    book = load_codebook("dbe")
    codebook_id = coding.codebook_id("dbe")
    assert codebook_id is not None
    for candidate in coding.review_queue(run.id, limit=200)[:BATCH]:
        item = candidate.item
        coding.decide(
            item.id, codebook_id, "recode", actor="ana@example.org", code=_truth(item.text)
        )
    shown = [
        c.item.id for c in teaching_queue(ws, run, book, coding.review_queue(run.id, limit=200), 8)
    ]
    first = next(c for c in coding.review_queue(run.id, limit=200) if c.item.id == shown[2])
    coding.decide(
        first.item.id, codebook_id, "recode", actor="ana@example.org", code=_truth(first.item.text)
    )
    again = [
        c.item.id for c in teaching_queue(ws, run, book, coding.review_queue(run.id, limit=200), 8)
    ]
    assert again[:7] == [i for i in shown if i != first.item.id]
    assert len(again) == 8 and first.item.id not in again
    store.close()


def test_a_framework_that_states_its_threshold_keeps_it_after_learning(db_url: str) -> None:
    """Decisions measure how often a stated threshold is right; they do not move it.

    A convener's headline counts ("9 of 12 organisations") are counted at the
    framework's threshold; "Retrain now" must not halve them by choosing another.
    """
    from upstream.coding.thresholds import MIN_LABELS

    store, name = _workspace(db_url)
    ws = store.workspace(name)
    coding = CodingStore(ws)
    book = load_codebook("dbe")
    assert book.threshold is not None
    first = coding.runs(kind="coding")[0]
    codebook_id = coding.codebook_id("dbe")
    assert codebook_id is not None
    for candidate in coding.review_queue(first.id, limit=200)[: MIN_LABELS + 10]:
        item = candidate.item
        coding.decide(
            item.id, codebook_id, "recode", actor="ana@example.org", code=_truth(item.text)
        )
    outcome = code_workspace(store, name, book, embedder="hashing")
    assert outcome.mode == "supervised"  # it learned from the decisions on their own
    assert outcome.certainty.threshold == book.threshold
    assert outcome.certainty.expected_precision is not None  # measured there, on held-out folds
    newest = coding.runs(kind="coding")[0]
    assert newest.parameters["threshold_source"] == "codebook"
    assert newest.parameters["threshold"] == book.threshold
    store.close()
