"""Theme runs and edits in the store, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sklearn.metrics import adjusted_rand_score

from upstream.records.drafts import ItemDraft
from upstream.store import Store, StoreError
from upstream.store.account_models import Scope
from upstream.store.theme_repository import ThemeStore
from upstream.store.visibility import ScopedEvidence
from upstream.themes import ThemeDiscovery
from upstream.themes.labels import OTHER_LABEL
from upstream.workflows.themes import run_themes


def _load(store: Store, replies: list[dict[str, str]], count: int) -> None:
    with store.writer("consultation") as writer:
        source = writer.add_source("replies")
        drafts = [
            ItemDraft(
                text=r["text"],
                line=n,
                external_id=r["reply_id"],
                organisation="London Borough of Larkwell",
                engagement={"likes": int(r["likes"] or 0)},
                attributes={"respondent": r["respondent"]} if r["respondent"] else {},
            )
            for n, r in enumerate(replies[:count], start=2)
        ]
        writer.insert_items(source, drafts)


def test_theme_runs_and_edits_round_trip(db_url, replies):
    with Store(db_url) as store:
        _load(store, replies, 190)
        space = store.workspace("consultation")
        first = run_themes(space, ThemeDiscovery(embedder="hashing"), actor="analyst")
        themes = ThemeStore(space)
        stored = themes.themes(first.run_id)
        top = [t for t in stored if t.parent_number is None]
        assert [t.number for t in top] == list(range(first.discovery.n_themes_))
        assert sum(len(t.item_ids) for t in top) + len(first.discovery.unassigned_) == 190
        assert top[0].details["quotes"] and top[0].details["size"] == len(top[0].item_ids)
        # The description is kept in the theme's details: no new column is needed.
        assert all(t.description == t.details["description"] for t in stored)
        assert all(
            " items mention “" in t.description or t.label == OTHER_LABEL
            for t in top
            if t.label[:6] != "Theme "
        )
        assert any(t.parent_number is not None for t in stored)
        run = themes.latest_run()
        assert run is not None and run.id == first.run_id and run.summary["items"] == 190
        assert run.parameters["embedder"] == "hashing"

        edit = first.discovery.rename(0, "Community life", actor="analyst")
        edit_id = themes.add_edit(edit)
        assert [e.id for e in themes.edits()] == [edit_id]

        # New replies arrive; the re-run keeps the number of themes and the rename.
        _load(store, replies, len(replies))
        second = run_themes(space, ThemeDiscovery(embedder="hashing"))
        summary = themes.latest_run().summary  # type: ignore[union-attr]
        assert summary["clusters_from_previous_run"] is True
        assert summary["refined_previous_themes"] is True
        assert summary["edits_applied"] == [edit.describe()]
        assert "Community life" in [t.label for t in themes.themes(second.run_id)]
        # The re-run refined the first run's themes: items in both runs mostly stay together.
        before = {i: t.number for t in top for i in t.item_ids}
        after = {
            i: t.number
            for t in themes.themes(second.run_id)
            if t.parent_number is None
            for i in t.item_ids
        }
        shared = sorted(set(before) & set(after))
        assert adjusted_rand_score([before[i] for i in shared], [after[i] for i in shared]) > 0.8
        # The centroids that let it do so stay in the store: no viewer sees them.
        assert summary["centroids"] and all(
            "centroids" not in r.summary
            for scope in (Scope(see_all=True), Scope(organisation_id=1))
            for r in ScopedEvidence(space, scope).runs(10)
        )

        themes.withdraw_edit(edit_id, actor="analyst")
        assert themes.edits() == []
        with pytest.raises(StoreError):
            themes.withdraw_edit(edit_id + 1000)
        with pytest.raises(StoreError):
            themes.themes(run_id=first.run_id + 1000)
        assert [a.action for a in space.audit_log()][:2] == ["theme.withdraw", "theme.rename"]


def test_items_by_content_hash(db_url, replies):
    with Store(db_url) as store:
        _load(store, replies, 5)
        space = store.workspace("consultation")
        stored = {i.id for i in space.items()}
        draft = ItemDraft(
            text=replies[0]["text"],
            line=2,
            external_id=replies[0]["reply_id"],
            organisation="London Borough of Larkwell",
            # Who wrote it is part of what makes it the same item.
            attributes={"respondent": replies[0]["respondent"]} if replies[0]["respondent"] else {},
        )
        found = ThemeStore(space).item_ids_by_hash([draft.content_hash, "0" * 64])
        assert list(found) == [draft.content_hash] and found[draft.content_hash] in stored


def test_a_theme_says_how_many_of_its_items_repeat_another_word_for_word(db_url, replies):
    campaign = "Keep Millbrook pool open: our children learn to swim there every week."
    copies = [
        {**replies[n], "reply_id": f"copy-{n}", "text": campaign, "respondent": ""}
        for n in range(6)
    ]
    with Store(db_url) as store:
        _load(store, [*replies[:120], *copies], 126)
        space = store.workspace("consultation")
        run = run_themes(space, ThemeDiscovery(embedder="hashing"), actor="analyst")
        top = [t for t in ThemeStore(space).themes(run.run_id) if t.parent_number is None]
        texts = {item.id: item.text for item in space.items()}
    # Identical words have identical vectors, so the six copies share one theme.
    (holding,) = [t for t in top if campaign in {texts[i] for i in t.item_ids}]
    assert holding.details["repeated"] >= 6
    assert holding.details["respondents"] == holding.details["size"]  # still one each


def test_a_run_refines_only_a_run_over_much_the_same_evidence(db_url, replies):
    with Store(db_url) as store:
        _load(store, replies, 190)
        space = store.workspace("consultation")
        items = space.items()
        first_half, second_half = items[:95], items[95:]
        first = run_themes(space, ThemeDiscovery(embedder="hashing"), items=first_half)
        # Other evidence (here, the other replies) starts afresh: it does not take
        # the first run's number of themes or start from its clusters.
        other = run_themes(space, ThemeDiscovery(embedder="hashing"), items=second_half)
        summary = ThemeStore(space).run(other.run_id).summary  # type: ignore[union-attr]
        assert summary["clusters_from_previous_run"] is False
        assert summary["refined_previous_themes"] is False
        # The first evidence again, with a few more replies, refines the first run,
        # though another run came between.
        again = run_themes(space, ThemeDiscovery(embedder="hashing"), items=items[:105])
        summary = ThemeStore(space).run(again.run_id).summary  # type: ignore[union-attr]
        assert summary["clusters_from_previous_run"] is True
        assert summary["clusters"] == len(first.discovery.clusterer_.centroids_)


def test_an_edit_changes_only_the_themes_it_names(db_url, replies):
    """A split or merge re-runs the themes: every other theme keeps exactly its items.

    The run that is edited refined an earlier run (new replies arrived), so its
    settings once carried the number of themes; its re-run must still refine
    its clusters rather than cluster afresh at that number.
    """
    from upstream.workflows.theme_edits import merge_themes, split_theme

    with Store(db_url) as store:
        _load(store, replies, 170)
        space = store.workspace("consultation")
        run_themes(space, ThemeDiscovery(embedder="hashing"), actor="analyst")
        _load(store, replies, len(replies))
        run_themes(space, ThemeDiscovery(embedder="hashing"), actor="analyst")
        themes = ThemeStore(space)

        def top(run_id: int) -> dict[int, frozenset[int]]:
            return {
                t.number: frozenset(t.item_ids)
                for t in themes.themes(run_id)
                if t.parent_number is None
            }

        edited = themes.latest_run()
        assert edited is not None and edited.parameters["n_themes"] is None
        before = top(edited.id)
        largest = max(
            (t for t in themes.themes(edited.id) if t.parent_number is None),
            key=lambda t: (t.size, -t.number),
        )
        split = split_theme(space, edited, largest, 2, [], actor="analyst")
        # The edit is recorded under the name the person saw, not a refit's.
        assert themes.edits()[-1].describe() == f'split "{largest.label}" into 2'
        after = top(split.run_id)
        assert themes.latest_run().summary["refined_previous_themes"] is True  # type: ignore[union-attr]
        untouched = {n: items for n, items in before.items() if n != largest.number}
        assert {n: after[n] for n in untouched} == untouched
        parts = [n for n in after if n not in before]
        assert len(parts) == 1
        assert after[largest.number] | after[parts[0]] == before[largest.number]

        # A merge of two others likewise leaves the rest alone.
        current = [t for t in themes.themes(split.run_id) if t.parent_number is None]
        pair = sorted((t for t in current if t.number not in (largest.number, parts[0])),
                      key=lambda t: t.number)[:2]  # fmt: skip
        merged = merge_themes(space, themes.latest_run(), pair, "Joined", actor="analyst")  # type: ignore[arg-type]
        final = top(merged.run_id)
        kept = {n: items for n, items in after.items() if n not in {t.number for t in pair}}
        assert {n: final[n] for n in kept} == kept
        assert final[min(t.number for t in pair)] == after[pair[0].number] | after[pair[1].number]
