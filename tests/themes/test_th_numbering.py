"""Theme numbers carry over from one run to the next."""

from __future__ import annotations

import numpy as np

from upstream.themes import ThemeDiscovery
from upstream.themes.describe import Evidence, _steady
from upstream.themes.labels import OTHER_LABEL, ThemeName
from upstream.themes.numbering import numbers_following


def test_a_theme_that_grows_past_another_keeps_its_number() -> None:
    # Before: buses (10 items) were theme 0, parks (8) theme 1. Now parks has 12.
    previous = {0: {f"bus{i}" for i in range(10)}, 1: {f"park{i}" for i in range(8)}}
    keys = [f"park{i}" for i in range(12)] + [f"bus{i}" for i in range(10)] + ["new1", "new2"]
    # In order of size, parks now comes first.
    labels = np.array([0] * 12 + [1] * 10 + [2, 2], dtype=np.int64)
    assert numbers_following(labels, keys, previous).numbers == {0: 1, 1: 0, 2: 2}


def test_a_theme_with_no_clear_predecessor_takes_a_number_no_theme_has_had() -> None:
    previous = {0: {"a", "b", "c"}, 1: {"d", "e", "f"}, 2: {"g", "h", "i"}}
    # Theme 0 holds one item of each old theme: not clearly any of them.
    keys = ["a", "d", "g", "b", "c", "e", "f"]
    labels = np.array([0, 0, 0, 1, 1, 2, 2], dtype=np.int64)
    numbering = numbers_following(labels, keys, previous)
    assert numbering.numbers == {0: 3, 1: 0, 2: 1}
    assert numbering.came_from == {}, "a mix of three earlier themes is no one's part"
    # Numbers up to 5 were given before (to themes since merged away): 6 is next.
    assert numbers_following(labels, keys, previous, next_number=6).numbers == {0: 6, 1: 0, 2: 1}


def test_a_merge_takes_the_lowest_of_its_numbers_and_leaves_the_rest_alone() -> None:
    previous = {
        0: {"a1", "a2", "a3"},
        2: {"b1", "b2"},
        3: {"c1", "c2", "c3", "c4", "c5", "c6"},
        5: {"d1", "d2", "d3"},
    }
    # Themes 2 and 3 are now one (3 is the larger part); 0 and 5 carry on.
    keys = ["c1", "c2", "c3", "c4", "c5", "c6", "b1", "b2", "a1", "a2", "a3", "d1", "d2", "d3"]
    labels = np.array([0] * 8 + [1] * 3 + [2] * 3, dtype=np.int64)
    numbering = numbers_following(labels, keys, previous)
    assert numbering.numbers == {0: 2, 1: 0, 2: 5}
    assert numbering.merged_into == {3: 2} and numbering.came_from == {}


def test_a_split_keeps_the_number_for_its_larger_part_and_numbers_the_other_anew() -> None:
    previous = {0: {"a1", "a2", "a3", "a4", "a5"}, 1: {"b1", "b2", "b3"}}
    keys = ["a1", "a2", "a3", "a4", "a5", "b1", "b2", "b3"]
    labels = np.array([1, 1, 0, 0, 0, 2, 2, 2], dtype=np.int64)
    numbering = numbers_following(labels, keys, previous, next_number=4)
    assert numbering.numbers == {0: 0, 1: 4, 2: 1}
    # The new part came from theme 0, which carries on.
    assert numbering.came_from == {4: 0} and numbering.merged_into == {}


def test_with_nothing_to_follow_themes_are_numbered_in_order() -> None:
    labels = np.array([0, 0, 1, -1], dtype=np.int64)
    assert numbers_following(labels, ["a", "b", "c", "d"], {}).numbers == {0: 0, 1: 1}
    assert numbers_following(labels, ["a", "b", "c", "d"], {0: {"x", "y"}}).numbers == {0: 1, 1: 2}


def test_a_rerun_on_new_evidence_keeps_the_numbers_of_themes_that_carry_on(
    reply_texts: list[str], reply_vectors: np.ndarray
) -> None:
    keys = [str(i) for i in range(len(reply_texts))]
    first = ThemeDiscovery(n_themes=8).fit(reply_texts, vectors=reply_vectors, keys=keys)
    previous = {t.number: {keys[i] for i in t.members} for t in first.themes_}
    # The next run sees 90% of the replies, in another order, with another seed.
    rng = np.random.default_rng(7)
    chosen = sorted(rng.permutation(len(keys))[: int(0.9 * len(keys))].tolist(), reverse=True)
    texts, vectors = [reply_texts[i] for i in chosen], reply_vectors[chosen]
    sub_keys = [keys[i] for i in chosen]
    again = ThemeDiscovery(n_themes=8, seed=3).fit(
        texts, vectors=vectors, keys=sub_keys, previous=previous
    )
    carried = 0
    for theme in again.themes_:
        members = {sub_keys[i] for i in theme.members}
        best = max(range(len(previous)), key=lambda n: len(members & previous[n]))
        if len(members & previous[best]) >= 0.8 * len(members):
            carried += 1
            assert theme.number == best or (theme.label == "Other comments (mixed subjects)"), (
                theme.label,
                theme.number,
                best,
            )
    assert carried >= 4


def test_a_theme_that_keeps_its_number_keeps_its_name_while_the_name_fits(
    reply_texts: list[str], reply_vectors: np.ndarray
) -> None:
    keys = [str(i) for i in range(len(reply_texts))]
    first = ThemeDiscovery(n_themes=8).fit(reply_texts, vectors=reply_vectors, keys=keys)
    previous = {t.number: {keys[i] for i in t.members} for t in first.themes_}
    name = first.theme(0).label
    # The same words in other capitals fit as many replies: that name stays.
    earlier = {0: name.upper(), 1: "Quantum chromodynamics seminars"}
    again = ThemeDiscovery(n_themes=8).fit(
        reply_texts, vectors=reply_vectors, keys=keys, previous=previous, earlier_names=earlier
    )
    assert again.theme(0).label == name.upper()
    # A name that fits none of the theme's replies gives way to a new one.
    assert again.theme(1).label == first.theme(1).label


def test_the_mix_of_subjects_stays_so_while_a_new_name_fits_few_of_its_items() -> None:
    texts = ["Fix the potholes", "More buses", "Plant trees", "Potholes again", "Cheaper parking"]
    evidence = Evidence(texts)
    members = np.arange(len(texts))
    # "Potholes" fits 2 of 5 (40%): the group now has a subject.
    assert _steady(ThemeName("Potholes", ()), OTHER_LABEL, evidence, members) == "Potholes"
    # "Buses" fits 1 of 5 (20%, under a quarter): it is still a mix.
    assert _steady(ThemeName("Buses", ()), OTHER_LABEL, evidence, members) == OTHER_LABEL
    # An earlier name that fits as many items stays; one that fits fewer gives way.
    assert _steady(ThemeName("Potholes", ()), "Cheaper parking", evidence, members) == "Potholes"
    assert _steady(ThemeName("Potholes", ()), "POTHOLES", evidence, members) == "POTHOLES"
    # A model endpoint's name is its own.
    named = ThemeName("Roads", (), named_by="local-model")
    assert _steady(named, "Potholes", evidence, members) == "Roads"
