"""Every estimator is a scikit-learn estimator: clone copies it, and it fits real input.

``ESTIMATORS`` lists one configured instance of each estimator class with a fit
(or fit-like) round trip on a tiny real input; a test checks that the list
covers every ``BaseEstimator`` subclass the library defines.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import socket
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from sklearn.base import BaseEstimator, clone

import upstream
from upstream.coding.coder import FrameworkCoder
from upstream.coding.endpoint_coder import EndpointCoder
from upstream.embed.lexical import HashingEmbedder
from upstream.endpoint import ChatEndpoint
from upstream.frameworks import load_codebook
from upstream.records.chat import EndpointError
from upstream.signals.dbe import ZeroShotDbe
from upstream.themes.cluster import Clusterer, KMeansClusterer, WardKMeans
from upstream.themes.discover import ThemeDiscovery
from upstream.themes.labels import KeyphraseLabeller, Labeller
from upstream.themes.llm import LLMLabeller
from upstream.themes.quotes import CentralQuotes, QuoteSelector
from upstream.themes.reduce import Reducer, SVDReducer

TEXTS = [
    "The bus to the hospital is always late in the morning.",
    "Buses to the hospital never come on time.",
    "Late buses make me miss my hospital appointments.",
    "The morning bus is late and the hospital is far away.",
    "More buses please, the hospital route is always late.",
    "The hospital bus service is late every single day.",
    "The park needs more bins and the grass is never cut.",
    "Litter in the park is everywhere and the bins overflow.",
    "Please cut the grass in the park and empty the bins.",
    "The park bins overflow with litter every weekend.",
    "Overflowing bins and long grass spoil our park.",
    "Nobody empties the bins in the park any more.",
]
GROUPS = [list(range(6)), list(range(6, 12))]


def _vectors() -> np.ndarray[Any, np.dtype[np.float32]]:
    return HashingEmbedder().embed(TEXTS)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cluster(estimator: Any) -> None:
    labels = estimator.fit_predict(_vectors())
    assert labels.shape == (len(TEXTS),)
    assert estimator.labels_ is labels
    assert len(estimator.centroids_) == int(labels.max()) + 1


def _two_clusters(estimator: Any) -> None:
    _cluster(estimator)
    # The two topics never share a cluster.
    assert set(estimator.labels_[:6]).isdisjoint(estimator.labels_[6:])


def _reduce(estimator: Any, width: int) -> None:
    out = estimator.fit_transform(_vectors())
    assert out.shape == (len(TEXTS), width)
    assert np.allclose(np.linalg.norm(out, axis=1), 1.0, atol=1e-5)


def _quotes(estimator: Any, expected: int) -> None:
    vectors = _vectors()
    centroid = vectors[:6].mean(axis=0)
    centroid /= np.linalg.norm(centroid)
    quotes = estimator.select(TEXTS, GROUPS[0], vectors, centroid)
    assert len(quotes) == expected
    assert all(quote.text in TEXTS[:6] for quote in quotes)


def _label(estimator: Any) -> list[str]:
    names = estimator.fit(TEXTS).name(GROUPS, [[TEXTS[0]], [TEXTS[6]]])
    assert len(names) == 2
    return [name.label for name in names]


def _keyphrases(estimator: Any) -> None:
    first, second = _label(estimator)
    assert "hospital" in first.lower() or "bus" in first.lower()
    assert "park" in second.lower() or "bins" in second.lower()


def _llm_falls_back(estimator: Any) -> None:
    # Nothing listens on the port: the labeller keeps the extractive labels.
    _keyphrases(estimator)
    assert len(estimator.errors_) == 2


def _discover(estimator: Any) -> None:
    labels = estimator.fit_predict(TEXTS)
    assert labels.shape == (len(TEXTS),)
    assert estimator.n_themes_ == 2
    assert estimator.clusterer_ is not estimator.clusterer  # the parameter is left unfitted
    assert not hasattr(estimator.clusterer, "labels_")


def _code(estimator: Any) -> None:
    results = estimator.fit(TEXTS).predict(TEXTS)
    assert len(results) == len(TEXTS)
    codes = {code.id for code in estimator.codebook.codes}
    assert all(code in codes for result in results for code, _ in result.codes)
    assert any(not result.uncoded for result in results)


def _endpoint_unreachable(estimator: Any) -> None:
    # Nothing listens on the port: with no decisions fitting sends nothing, and
    # coding fails with a plain message rather than storing guesses.
    estimator.fit(TEXTS)
    assert estimator.n_labelled_ == 0 and not estimator.calibrated_
    with pytest.raises(EndpointError, match="Could not reach the model endpoint"):
        estimator.predict(TEXTS[:2])


def _classify(estimator: Any) -> None:
    labels = estimator.classify(TEXTS)
    assert len(labels) == len(TEXTS)


ESTIMATORS: list[tuple[BaseEstimator, Callable[[Any], None]]] = [
    (Clusterer(), _cluster),
    (WardKMeans(n_clusters=2, min_size=2, sample_size=50), _two_clusters),
    (KMeansClusterer(n_clusters=2, min_size=2, n_init=2, seed=1), _two_clusters),
    (Reducer(), lambda e: _reduce(e, 512)),
    (SVDReducer(n_components=3, seed=2), lambda e: _reduce(e, 3)),
    (QuoteSelector(), lambda e: _quotes(e, 0)),
    (CentralQuotes(n_quotes=2, min_words=3), lambda e: _quotes(e, 2)),
    (Labeller(), lambda e: _label(e) == ["Theme 1", "Theme 2"]),
    (KeyphraseLabeller(n_keywords=4, ngram_range=(1, 1), min_df=1), _keyphrases),
    (
        LLMLabeller(
            endpoint=ChatEndpoint(
                f"http://127.0.0.1:{_closed_port()}/v1",
                "test",
                api_key="not-used",
                timeout=2.0,
                retries=0,
            ),
            fallback=KeyphraseLabeller(ngram_range=(1, 1)),
        ),
        _llm_falls_back,
    ),
    (
        ThemeDiscovery(
            embedder="hashing",
            reducer=SVDReducer(n_components=4),
            clusterer=WardKMeans(n_clusters=2, min_size=2),
            labeller=KeyphraseLabeller(ngram_range=(1, 1)),
            quotes=CentralQuotes(n_quotes=2),
            subthemes=False,
            min_theme_size=2,
            max_unassigned=0.0,
            stance=False,
            seed=4,
        ),
        _discover,
    ),
    (
        FrameworkCoder(
            load_codebook("dbe"), embedder="hashing", threshold=0.0, folds=2, explain=False
        ),
        _code,
    ),
    (ZeroShotDbe(embedder="hashing", threshold=0.0, seed=1), _classify),
    (
        EndpointCoder(
            load_codebook("dbe"),
            ChatEndpoint(f"http://127.0.0.1:{_closed_port()}/v1", "test", timeout=2.0, retries=0),
        ),
        _endpoint_unreachable,
    ),
]
IDS = [type(estimator).__name__ for estimator, _ in ESTIMATORS]


def _library_estimators() -> set[type]:
    found: set[type] = set()
    for package in ("themes", "coding", "signals", "embed"):
        module = importlib.import_module(f"upstream.{package}")
        for info in pkgutil.walk_packages(module.__path__, f"{module.__name__}."):
            for _, value in inspect.getmembers(importlib.import_module(info.name), inspect.isclass):
                if issubclass(value, BaseEstimator) and value.__module__.startswith("upstream."):
                    found.add(value)
    return found


def test_the_list_covers_every_estimator_in_the_library() -> None:
    assert upstream.__name__ == "upstream"
    assert _library_estimators() == {type(estimator) for estimator, _ in ESTIMATORS}


def _assert_same_params(original: BaseEstimator, copy: BaseEstimator) -> None:
    assert type(copy) is type(original)
    mine, theirs = original.get_params(deep=False), copy.get_params(deep=False)
    assert mine.keys() == theirs.keys()
    for name, value in mine.items():
        if isinstance(value, BaseEstimator):
            # A nested estimator stays an estimator: cloned, not named or shared.
            assert isinstance(theirs[name], BaseEstimator), name
            assert theirs[name] is not value, name
            _assert_same_params(value, theirs[name])
        else:
            assert theirs[name] == value, name


@pytest.mark.parametrize(("estimator", "round_trip"), ESTIMATORS, ids=IDS)
def test_clone_keeps_every_parameter(
    estimator: BaseEstimator, round_trip: Callable[[Any], None]
) -> None:
    copy = clone(estimator)
    _assert_same_params(estimator, copy)
    assert copy.get_params(deep=True).keys() == estimator.get_params(deep=True).keys()
    assert not [name for name in vars(copy) if name.endswith("_")]  # nothing learned yet


@pytest.mark.parametrize(("estimator", "round_trip"), ESTIMATORS, ids=IDS)
def test_a_clone_fits_and_predicts_on_real_input(
    estimator: BaseEstimator, round_trip: Callable[[Any], None]
) -> None:
    round_trip(clone(estimator))


def test_set_params_reaches_nested_stages() -> None:
    discovery = ThemeDiscovery(clusterer=WardKMeans())
    discovery.set_params(n_themes=5, clusterer__n_clusters=3)
    assert discovery.n_themes == 5
    assert discovery.clusterer.n_clusters == 3
    assert discovery.get_params()["clusterer__n_clusters"] == 3
