"""Renames, merges and splits are recorded and survive a re-run on new data."""

from __future__ import annotations

import numpy as np
import pytest

from upstream.embed import get_embedder
from upstream.themes import ThemeDiscovery, ThemeEdit

NEW_REPLIES = [
    "A zebra crossing outside the primary school on Northgate Road please",
    "Plant more trees on the high street, it is all concrete",
    "Bring back the youth club on Friday nights",
    "Fix the potholes on Canal Road before someone gets hurt",
]


@pytest.fixture(scope="module")
def new_vectors():
    return get_embedder("default").embed(NEW_REPLIES)


def _theme_with(discovery: ThemeDiscovery, index: int):
    return discovery.themes_[int(discovery.labels_[index])]


def test_edits_round_trip_as_json(reply_texts, reply_vectors):
    discovery = ThemeDiscovery().fit(reply_texts, vectors=reply_vectors)
    edit = discovery.rename(0, "Community life", actor="analyst@example.org")
    again = ThemeEdit.from_json(edit.to_json())
    assert again.to_json() == edit.to_json() and again.describe().startswith("renamed")
    with pytest.raises(ValueError, match="unknown theme edit"):
        ThemeEdit.from_json({"action": "delete"})


def test_edits_survive_a_rerun_on_new_data(reply_texts, reply_vectors, new_vectors):
    first = ThemeDiscovery().fit(reply_texts, vectors=reply_vectors)
    assert first.n_themes_ >= 6
    renamed = first.rename(0, "Community life")
    # The two smallest themes (the mixed "Other comments" theme is numbered last, not by size).
    smallest = sorted(first.themes_, key=lambda t: (t.size, t.id))[:2]
    merged = first.merge([t.id for t in smallest], label="Smaller ideas")
    big = first.themes_[1]
    split = first.split(1, 2, labels=["Part one", "Part two"])
    labels = [t.label for t in first.themes_]
    assert "Community life" in labels and "Smaller ideas" in labels
    assert {"Part one", "Part two"} <= set(labels)
    count = first.n_themes_

    texts = reply_texts + NEW_REPLIES
    vectors = np.vstack([reply_vectors, new_vectors])
    # Same number of clusters as before, as the stored-run workflow does for re-runs.
    clusters = len(first.clusterer_.centroids_)
    again = ThemeDiscovery(n_themes=clusters).fit(
        texts, vectors=vectors, edits=[renamed, merged, split]
    )
    assert again.edits_unmatched_ == [] and len(again.edits_applied_) == 3
    relabelled = {t.label: t for t in again.themes_}
    assert {"Community life", "Smaller ideas", "Part one", "Part two"} <= set(relabelled)
    assert again.n_themes_ == count
    assert relabelled["Smaller ideas"].edited == ("merged",)
    # The split parts hold the old theme's members between them.
    parts = set(relabelled["Part one"].members) | set(relabelled["Part two"].members)
    assert len(parts & set(big.members)) >= 0.8 * big.size


def test_an_edit_whose_theme_has_gone_is_reported_not_misapplied(reply_texts, reply_vectors):
    first = ThemeDiscovery().fit(reply_texts, vectors=reply_vectors)
    edit = first.rename(0, "Community life")
    unrelated = [
        "The printer on floor two is jammed",
        "Canteen coffee is cold",
        "Lifts are slow",
    ] * 3
    other = ThemeDiscovery(embedder="hashing", min_theme_size=2).fit(unrelated, edits=[edit])
    assert other.edits_unmatched_ == [edit]
    assert "Community life" not in [t.label for t in other.themes_]


def test_merge_needs_two_themes(reply_texts, reply_vectors):
    discovery = ThemeDiscovery().fit(reply_texts, vectors=reply_vectors)
    with pytest.raises(ValueError, match="at least two"):
        discovery.merge([1, 1])
    with pytest.raises(KeyError):
        discovery.rename(99, "Nothing")


def test_merging_and_splitting_leave_the_other_themes_numbers_alone(reply_texts, reply_vectors):
    discovery = ThemeDiscovery(n_themes=8).fit(reply_texts, vectors=reply_vectors)
    before = {t.number: (t.label, t.members) for t in discovery.themes_}
    assert sorted(before) == list(range(8))
    discovery.merge([1, 4], label="Merged")
    after = {t.number: (t.label, t.members) for t in discovery.themes_}
    assert after[1][0] == "Merged" and set(after[1][1]) == set(before[1][1]) | set(before[4][1])
    # Number 4 is gone and every other theme keeps its number and its items.
    assert sorted(after) == [0, 1, 2, 3, 5, 6, 7]
    for number in (0, 2, 3, 5, 6, 7):
        assert after[number] == before[number]
    assert discovery.theme(5).members == before[5][1]
    with pytest.raises(KeyError, match="no theme 4"):
        discovery.theme(4)
    discovery.split(0, parts=2)
    split = {t.number: t.members for t in discovery.themes_}
    # The split's new part takes a number no theme has had (not the merged-away 4).
    assert sorted(split) == [0, 1, 2, 3, 5, 6, 7, 8]
    assert set(split[0]) | set(split[8]) == set(after[0][1])
    for number in (1, 2, 3, 5, 6, 7):
        assert split[number] == after[number][1]
    # Items' theme numbers agree with the themes'.
    for theme in discovery.themes_:
        assert (discovery.numbers_[list(theme.members)] == theme.number).all()


def test_a_splits_names_go_to_the_parts_they_describe_whatever_their_order() -> None:
    buses = [
        "The 47 bus never comes on time in the evening",
        "More buses to the hospital please",
        "Bus fares are too expensive for young people",
        "The bus stop on Mill Lane has no shelter",
        "Buses should run after seven at night",
        "Cheaper bus tickets for pensioners",
    ]
    trees = [
        "Plant more trees along the high street",
        "The park needs more trees and flower beds",
        "Stop cutting down the old oak trees",
        "Green spaces and trees make the town nicer",
        "Trees on every street would cool it in summer",
        "Keep the park green, plant trees not car parks",
    ]
    texts = buses + trees
    # The names are given in the opposite order to the parts the split finds.
    for names in (["Trees and green spaces", "Buses"], ["Buses", "Trees and green spaces"]):
        again = ThemeDiscovery(n_themes=1, subthemes=False, min_theme_size=2).fit(texts)
        again.split(0, parts=2, labels=names)
        named = {t.label: {texts[i] for i in t.members} for t in again.themes_}
        assert set(named) == set(names)
        assert named["Buses"] == set(buses) and named["Trees and green spaces"] == set(trees)
