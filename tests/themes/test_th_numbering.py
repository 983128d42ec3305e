"""Theme numbers carry over from one run to the next."""

from __future__ import annotations

import numpy as np

from upstream.themes import ThemeDiscovery
from upstream.themes.numbering import follow_previous


def test_a_theme_that_grows_past_another_keeps_its_number() -> None:
    # Before: buses (10 items) were theme 0, parks (8) theme 1. Now parks has 12.
    previous = [{f"bus{i}" for i in range(10)}, {f"park{i}" for i in range(8)}]
    keys = [f"park{i}" for i in range(12)] + [f"bus{i}" for i in range(10)] + ["new1", "new2"]
    # Numbered by size, parks would now come first.
    labels = np.array([0] * 12 + [1] * 10 + [2, 2], dtype=np.int64)
    assert follow_previous(labels, keys, previous) == [1, 0, 2]


def test_a_theme_with_no_clear_predecessor_takes_a_number_after_the_others() -> None:
    previous = [{"a", "b", "c"}, {"d", "e", "f"}, {"g", "h", "i"}]
    # Theme 0 holds one item of each old theme: not clearly any of them.
    keys = ["a", "d", "g", "b", "c", "e", "f"]
    labels = np.array([0, 0, 0, 1, 1, 2, 2], dtype=np.int64)
    assert follow_previous(labels, keys, previous) == [1, 2, 0]


def test_nothing_to_follow_keeps_the_order_by_size() -> None:
    labels = np.array([0, 0, 1, -1], dtype=np.int64)
    assert follow_previous(labels, ["a", "b", "c", "d"], []) == [0, 1]
    assert follow_previous(labels, ["a", "b", "c", "d"], [{"x", "y"}]) == [0, 1]


def test_a_rerun_on_new_evidence_keeps_the_numbers_of_themes_that_carry_on(
    reply_texts: list[str], reply_vectors: np.ndarray
) -> None:
    keys = [str(i) for i in range(len(reply_texts))]
    first = ThemeDiscovery(n_themes=8).fit(reply_texts, vectors=reply_vectors, keys=keys)
    previous = [{keys[i] for i in t.members} for t in first.themes_]
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
            assert theme.id == best or (theme.label == "Other comments (mixed subjects)"), (
                theme.label,
                theme.id,
                best,
            )
    assert carried >= 4
