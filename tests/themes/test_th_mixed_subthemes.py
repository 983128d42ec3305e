"""A sub-theme left over when a theme is divided is called mixed, not named after one reply."""

from __future__ import annotations

import numpy as np

from upstream.records.themes import EVERYTHING_ELSE
from upstream.themes.describe import Evidence, ThemeBuilder
from upstream.themes.labels import OTHER_LABEL, KeyphraseLabeller
from upstream.themes.quotes import QuoteSelector

BINS = [f"The bin collection was missed again on street {n}" for n in range(6)]
BUSES = [f"The bus service is late every morning on route {n}" for n in range(6)]
SCATTERED = [
    "Lovely photo on the post, where was it taken?",
    "The wardens are out at eight every single morning",
    "More CCTV in the town centre please",
    "The fields I walked my dog on are now a building site",
    "Fireworks on bonfire night were cancelled this year",
]
PARK = [f"The park needs more benches and a cafe near gate {n}" for n in range(8)]


class _Parts(ThemeBuilder):
    """The theme's division fixed by the test: bins, buses, then the scattered rest."""

    def sublabels(self, vectors: np.ndarray, members: np.ndarray) -> np.ndarray:
        if len(members) == len(BINS) + len(BUSES) + len(SCATTERED):
            return np.array([0] * len(BINS) + [1] * len(BUSES) + [2] * len(SCATTERED))
        return np.zeros(len(members), dtype=np.int64)


def _unit(rows: np.ndarray) -> np.ndarray:
    return np.asarray(rows / np.linalg.norm(rows, axis=1, keepdims=True), dtype=np.float32)


def test_a_leftover_sub_theme_is_called_mixed() -> None:
    rng = np.random.default_rng(0)
    texts = BINS + BUSES + SCATTERED + PARK
    axes = np.eye(16)
    vectors = _unit(
        np.vstack(
            [
                axes[0] + rng.normal(0, 0.05, (len(BINS), 16)),
                axes[1] + rng.normal(0, 0.05, (len(BUSES), 16)),
                rng.normal(0, 1.0, (len(SCATTERED), 16)),
                axes[2] + rng.normal(0, 0.05, (len(PARK), 16)),
            ]
        )
    )
    labels = np.array([0] * (len(BINS) + len(BUSES) + len(SCATTERED)) + [1] * len(PARK))
    builder = _Parts(KeyphraseLabeller().fit(texts), QuoteSelector())
    themes, _ = builder.build(labels, vectors, Evidence(texts), {}, {})
    parts = themes[0].subthemes
    assert [p.size for p in parts] == [len(BINS), len(BUSES), len(SCATTERED)]
    # The two subjects keep their own names; the rest is called what it is.
    assert OTHER_LABEL not in (parts[0].label, parts[1].label)
    assert parts[0].label == "Bin collection"
    assert parts[2].label == OTHER_LABEL
    assert "several different subjects" in parts[2].description


def test_a_part_only_one_reply_names_is_mixed_however_alike_its_vectors() -> None:
    rng = np.random.default_rng(1)
    texts = BINS + BUSES + SCATTERED + PARK
    axes = np.eye(16)
    # The model puts the scattered replies close together, but they share no phrase.
    vectors = _unit(
        np.vstack(
            [
                axes[0] + rng.normal(0, 0.05, (len(BINS), 16)),
                axes[1] + rng.normal(0, 0.05, (len(BUSES), 16)),
                axes[3] + rng.normal(0, 0.01, (len(SCATTERED), 16)),
                axes[2] + rng.normal(0, 0.05, (len(PARK), 16)),
            ]
        )
    )
    labels = np.array([0] * (len(BINS) + len(BUSES) + len(SCATTERED)) + [1] * len(PARK))
    builder = _Parts(KeyphraseLabeller().fit(texts), QuoteSelector())
    themes, _ = builder.build(labels, vectors, Evidence(texts), {}, {})
    parts = themes[0].subthemes
    assert parts[0].label == "Bin collection"
    assert parts[2].label == OTHER_LABEL


MORE_SCATTERED = [
    "Is the chemist on the corner closing down?",
    "My neighbour's hedge blocks the whole pavement",
    "Thanks to whoever painted the mural by the station",
    "Can the library open on Sunday mornings",
    "The allotment waiting list is ten years long",
]


class _FourParts(ThemeBuilder):
    """Bins, buses, then two parts of scattered replies."""

    def sublabels(self, vectors: np.ndarray, members: np.ndarray) -> np.ndarray:
        sizes = (len(BINS), len(BUSES), len(SCATTERED), len(MORE_SCATTERED))
        if len(members) == sum(sizes):
            return np.repeat(np.arange(4), sizes)
        return np.zeros(len(members), dtype=np.int64)


def test_several_mixed_parts_are_one_part_of_other_comments() -> None:
    rng = np.random.default_rng(2)
    texts = BINS + BUSES + SCATTERED + MORE_SCATTERED + PARK
    axes = np.eye(16)
    vectors = _unit(
        np.vstack(
            [
                axes[0] + rng.normal(0, 0.05, (len(BINS), 16)),
                axes[1] + rng.normal(0, 0.05, (len(BUSES), 16)),
                rng.normal(0, 1.0, (len(SCATTERED) + len(MORE_SCATTERED), 16)),
                axes[2] + rng.normal(0, 0.05, (len(PARK), 16)),
            ]
        )
    )
    divided = len(BINS) + len(BUSES) + len(SCATTERED) + len(MORE_SCATTERED)
    labels = np.array([0] * divided + [1] * len(PARK))
    builder = _FourParts(KeyphraseLabeller().fit(texts), QuoteSelector())
    themes, sublabels = builder.build(labels, vectors, Evidence(texts), {}, {})
    parts = themes[0].subthemes
    assert parts[0].label == "Bin collection" and parts[1].label != OTHER_LABEL
    assert [p.size for p in parts] == [len(BINS), len(BUSES), len(SCATTERED) + len(MORE_SCATTERED)]
    assert parts[2].label == OTHER_LABEL
    # Each item's sub-theme is the part it is listed under.
    scattered = sublabels[len(BINS) + len(BUSES) : divided]
    assert set(scattered.tolist()) == {parts[2].id}


LOOSE = [
    "What's the point of this consultation, you never listen",
    "Last consultation we all said the same and nothing happened",
    "A bit of kindness would go a long way",
    "Stop closing things, every year something else shuts",
    "Support the food bank, the volunteers are exhausted",
    "Make it easier to start a community group",
    "Listen to residents and do what they say for once",
    "The drug dealing by the garages needs sorting",
    "Loneliness is the real problem round here",
    "Give the library longer hours in winter",
]


class _TwoParts(ThemeBuilder):
    """The mixed theme divided in two: bins, then loosely related replies."""

    def sublabels(self, vectors: np.ndarray, members: np.ndarray) -> np.ndarray:
        if len(members) == len(BINS) + len(LOOSE):
            return np.repeat(np.arange(2), (len(BINS), len(LOOSE)))
        return np.zeros(len(members), dtype=np.int64)


def test_under_the_mixed_theme_a_part_few_of_whose_items_use_its_name_is_mixed() -> None:
    rng = np.random.default_rng(3)
    texts = BINS + LOOSE + PARK
    axes = np.eye(16)
    # The loose replies sit close together (as short replies often do), so only
    # how few of them use their name can tell that they share no subject.
    vectors = _unit(
        np.vstack(
            [
                axes[0] + rng.normal(0, 0.05, (len(BINS), 16)),
                axes[3] + rng.normal(0, 0.02, (len(LOOSE), 16)),
                axes[2] + rng.normal(0, 0.05, (len(PARK), 16)),
            ]
        )
    )
    labels = np.array([0] * (len(BINS) + len(LOOSE)) + [1] * len(PARK))
    builder = _TwoParts(KeyphraseLabeller().fit(texts), QuoteSelector())
    themes, _ = builder.build(labels, vectors, Evidence(texts), {0: OTHER_LABEL}, {})
    parts = themes[0].subthemes
    assert [p.size for p in parts] == [len(BINS), len(LOOSE)]
    # The part its name fits keeps it; the rest is called what it is.
    assert parts[0].label == "Bin collection"
    assert parts[1].label == EVERYTHING_ELSE


FLY_GARAGES = [
    "CCTV at the fly tipping hotspots and prosecute them",
    "Please ring me about the fly tipping behind our house, I have photos",
    "Free bulky collections, people dump things because the fee is too high",
]
FLY_PLAIN = [
    "Stop the fly-tipping!!!",
    "fly tipping everywhere. disgusting",
    "Fly tipping is out of control in Abbotsmead. Fine people properly.",
    "Sort out the fly tipping on Canal Road, it's rats now as well",
    "Tackle fly-tipping. The alley has had the same mattress in it for a month.",
    "Fly tipping behind the garages on Mill Lane again. A fridge this time.",
    "Please do something about the fly tipping in the lanes. It's every week now.",
]


class _FlyParts(ThemeBuilder):
    """The fly-tipping theme divided by the test: three asks, then the plain complaints."""

    def sublabels(self, vectors: np.ndarray, members: np.ndarray) -> np.ndarray:
        if len(members) == len(FLY_GARAGES) + len(FLY_PLAIN):
            return np.array([0] * len(FLY_GARAGES) + [1] * len(FLY_PLAIN))
        return np.zeros(len(members), dtype=np.int64)


def test_a_part_only_the_theme_s_name_fits_is_its_core_not_mixed() -> None:
    """Six replies that only say "fly tipping" are the theme's core, not "Other comments"."""
    rng = np.random.default_rng(1)
    texts = FLY_GARAGES + FLY_PLAIN + PARK
    axes = np.eye(16)
    vectors = _unit(
        np.vstack(
            [
                axes[0] + axes[3] + rng.normal(0, 0.05, (len(FLY_GARAGES), 16)),
                axes[0] + rng.normal(0, 0.6, (len(FLY_PLAIN), 16)),
                axes[2] + rng.normal(0, 0.05, (len(PARK), 16)),
            ]
        )
    )
    labels = np.array([0] * (len(FLY_GARAGES) + len(FLY_PLAIN)) + [1] * len(PARK))
    builder = _FlyParts(KeyphraseLabeller().fit(texts), QuoteSelector())
    themes, _ = builder.build(labels, vectors, Evidence(texts), {}, {})
    fly = themes[0]
    assert fly.label.casefold().startswith("fly tipping")
    labels_of_parts = [p.label for p in fly.subthemes]
    assert OTHER_LABEL not in labels_of_parts, labels_of_parts
    # Both parts are the theme's core, so they are one: the theme is not divided.
    assert labels_of_parts == [], labels_of_parts
