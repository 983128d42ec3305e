"""Theme discovery on the demo's consultation replies: contract, determinism, hierarchy."""

from __future__ import annotations

import numpy as np
import pytest

from upstream.themes import (
    CentralQuotes,
    Clusterer,
    KMeansClusterer,
    Labeller,
    NoQuotes,
    SVDReducer,
    ThemeDiscovery,
    WardKMeans,
)


@pytest.fixture(scope="module")
def fitted(replies, reply_texts, reply_vectors):
    return ThemeDiscovery(seed=0).fit(
        reply_texts,
        vectors=reply_vectors,
        respondents=[r["respondent"] or None for r in replies],
        organisations=["London Borough of Larkwell"] * len(replies),
        engagement=[
            {"likes": int(r["likes"] or 0), "reposts": int(r["reposts"] or 0)} for r in replies
        ],
    )


def test_follows_scikit_learn_conventions(reply_texts, reply_vectors):
    discovery = ThemeDiscovery(n_themes=6, seed=3)
    params = discovery.get_params()
    assert params["n_themes"] == 6 and params["seed"] == 3 and params["embedder"] == "default"
    assert not any(name.endswith("_") for name in vars(discovery))  # nothing learned yet
    assert discovery.fit(reply_texts, vectors=reply_vectors) is discovery
    assert discovery.n_themes_ == 6
    assert discovery.labels_.shape == (len(reply_texts),)
    with pytest.raises(ValueError, match="Invalid parameter 'colour'"):
        discovery.set_params(colour="red")


def test_every_item_is_accounted_for(fitted, reply_texts):
    labels = fitted.labels_
    assert len(labels) == len(reply_texts)
    assert set(np.unique(labels)) <= {-1, *range(fitted.n_themes_)}
    assert len(fitted.unassigned_) <= 0.05 * len(reply_texts)
    assert sum(t.size for t in fitted.themes_) + len(fitted.unassigned_) == len(reply_texts)
    # Themes are numbered by size, largest first; the one of mixed subjects, if any, is last.
    from upstream.themes.labels import OTHER_LABEL

    sizes = [t.size for t in fitted.themes_ if t.label != OTHER_LABEL]
    assert sizes == sorted(sizes, reverse=True)
    assert all(t.label != OTHER_LABEL for t in fitted.themes_[:-1])


def test_themes_are_described(fitted, reply_texts):
    for theme in fitted.themes_:
        assert theme.label and theme.keywords
        assert theme.respondents <= theme.size
        assert theme.organisations == ("London Borough of Larkwell",)
        assert theme.engagement_size is not None and theme.engagement_size >= theme.size
        assert theme.stance is not None
        if theme.size >= 8:
            assert 3 <= len(theme.quotes) <= 5
        quoted = [q.index for q in theme.quotes]
        assert len(set(quoted)) == len(quoted) and set(quoted) <= set(theme.members)
        texts = [reply_texts[i].lower() for i in quoted]
        assert len(set(texts)) == len(texts)  # no repeated quote
    weighted = max(fitted.themes_, key=lambda t: t.engagement_size or 0)
    assert weighted.engagement_size and weighted.engagement_size > weighted.size


def test_two_level_hierarchy(fitted):
    divided = [t for t in fitted.themes_ if t.subthemes]
    assert divided, "larger themes are divided into sub-themes"
    for theme in divided:
        assert len(theme.subthemes) >= 2
        inner = [i for s in theme.subthemes for i in s.members]
        assert sorted(inner) == sorted(theme.members)
        assert all(s.parent == theme.id and not s.subthemes for s in theme.subthemes)
    assigned = fitted.labels_ >= 0
    assert (fitted.sublabels_[assigned] >= 0).all() and (fitted.sublabels_[~assigned] == -1).all()


def test_same_input_and_seed_give_the_same_themes(reply_texts, reply_vectors):
    first = ThemeDiscovery(seed=7).fit(reply_texts, vectors=reply_vectors)
    again = ThemeDiscovery(seed=7).fit(reply_texts, vectors=reply_vectors)
    assert np.array_equal(first.labels_, again.labels_)
    assert [t.label for t in first.themes_] == [t.label for t in again.themes_]
    assert [t.quotes for t in first.themes_] == [t.quotes for t in again.themes_]


def test_default_clusterer_does_not_depend_on_seed_or_row_order(reply_vectors):
    one = WardKMeans(n_clusters=8).fit(reply_vectors)
    order = np.random.default_rng(0).permutation(len(reply_vectors))
    shuffled = WardKMeans(n_clusters=8).fit(reply_vectors[order])
    back = np.empty_like(shuffled.labels_)
    back[order] = shuffled.labels_
    from sklearn.metrics import adjusted_rand_score

    assert adjusted_rand_score(one.labels_, back) == pytest.approx(1.0)


def test_stages_can_be_skipped_or_swapped(reply_texts, reply_vectors):
    plain = ThemeDiscovery(
        clusterer=Clusterer(), labeller=Labeller(), quotes=NoQuotes(), stance=False, subthemes=False
    ).fit(reply_texts, vectors=reply_vectors)
    assert plain.n_themes_ == 1 and plain.themes_[0].label == "Theme 1"
    assert plain.themes_[0].quotes == () and plain.themes_[0].stance is None
    seeded = ThemeDiscovery(
        reducer=SVDReducer(32, seed=1),
        clusterer=KMeansClusterer(n_clusters=5, seed=1),
        quotes=CentralQuotes(n_quotes=3),
    ).fit(reply_texts, vectors=reply_vectors)
    assert seeded.n_themes_ == 5 and seeded.vectors_.shape[1] == 32
    assert all(len(t.quotes) <= 3 for t in seeded.themes_)


def test_items_without_words_are_unassigned_not_dropped():
    texts = [
        "",
        "Fix the potholes on Mill Lane",
        "Potholes everywhere",
        "More buses please",
        "Buses are late",
        "   ",
        "Pothole repairs",
        "A better bus service",
    ]
    discovery = ThemeDiscovery(embedder="hashing", n_themes=2, min_theme_size=2).fit(texts)
    assert discovery.labels_[0] == -1 and discovery.labels_[5] == -1
    assert discovery.label_of(0) == "unassigned"
    assert (discovery.labels_[[1, 2, 3, 4, 6, 7]] >= 0).all()


def test_lengths_must_match(reply_texts):
    with pytest.raises(ValueError, match="organisations has 1 entries"):
        ThemeDiscovery().fit(reply_texts, organisations=["x"])
