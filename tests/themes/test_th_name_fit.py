"""Items end up under the theme whose name they match; general words do not name themes."""

from __future__ import annotations

import numpy as np

from upstream.themes import ThemeDiscovery
from upstream.themes.labels import OTHER_LABEL, KeyphraseLabeller
from upstream.themes.name_fit import NameFit, name_uses
from upstream.themes.readability import name_agreement


def test_an_item_uses_a_name_when_it_uses_either_of_its_phrases() -> None:
    uses = name_uses(
        ["The parking charges are too high", "No car park near the station", "Buses are late"],
        ["Parking charges and car park", "Buses"],
    )
    assert uses.tolist() == [[True, False], [True, False], [False, True]]


def test_items_move_to_the_name_they_match_and_misfits_go_to_other() -> None:
    axes = np.eye(4, dtype=np.float32)
    # Two themes along axes 0 and 1; item 2 sits in theme 0 but says what theme 1's name says.
    vectors = np.array(
        [axes[0], axes[0], 0.6 * axes[0] + 0.8 * axes[1], axes[1], axes[1], axes[3]],
        dtype=np.float32,
    )
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    labels = np.array([0, 0, 0, 1, 1, 1], dtype=np.int64)
    names = np.array([axes[0], 0.2 * axes[0] + 0.98 * axes[1]], dtype=np.float32)
    names /= np.linalg.norm(names, axis=1, keepdims=True)
    uses = np.zeros((6, 2), dtype=bool)
    rule = NameFit(max_other=0.5)
    moved = rule.assign(vectors, labels, uses, names, other=None)
    assert moved[:5].tolist() == [0, 0, 1, 1, 1]
    # The item on an axis of its own fits neither name: it is "other" (number 2 here).
    assert moved[5] == 2
    # A theme people edited keeps its items.
    assert rule.assign(vectors, labels, uses, names, other=None, frozen={0})[2] == 0


def test_the_demo_replies_sit_under_names_they_match(
    reply_texts: list[str], reply_vectors: np.ndarray
) -> None:
    plain = ThemeDiscovery(match_names=False).fit(reply_texts, vectors=reply_vectors)
    matched = ThemeDiscovery(match_names=True).fit(reply_texts, vectors=reply_vectors)
    again = ThemeDiscovery(match_names=True).fit(reply_texts, vectors=reply_vectors)

    def agreement(discovery: ThemeDiscovery) -> float:
        names = [t.label for t in discovery.themes_]
        return name_agreement(reply_texts, discovery.labels_.tolist(), names)

    assert agreement(matched) > agreement(plain)
    # The same input and settings give the same themes.
    assert matched.labels_.tolist() == again.labels_.tolist()
    assert [t.label for t in matched.themes_] == [t.label for t in again.themes_]
    other = [t for t in matched.themes_ if t.label == OTHER_LABEL]
    assert len(other) <= 1 and all(t.size <= 0.15 * len(reply_texts) for t in other)
    assert len(matched.unassigned_) <= 0.05 * len(reply_texts)


def test_a_word_every_theme_uses_does_not_name_one() -> None:
    subjects = ["bus", "school", "hospital", "police", "library", "park"]
    texts: list[str] = []
    groups: list[list[int]] = []
    for subject in subjects:
        start = len(texts)
        texts += [f"Change is needed for the {subject} {n}" for n in range(4)]
        texts += [f"The {subject} service here {n}" for n in range(6)]
        groups.append(list(range(start, len(texts))))
    names = KeyphraseLabeller().fit(texts).name(groups)
    labels = [name.label.casefold() for name in names]
    assert not any(label == "change" for label in labels)
    assert all(subject in label for subject, label in zip(subjects, labels, strict=True))
