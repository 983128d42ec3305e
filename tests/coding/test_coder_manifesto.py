"""The coder on a small real sample of human-coded manifestos (Manifesto Project, WZB)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from upstream.coding.coder import FrameworkCoder
from upstream.embed import CachedEmbedder, InMemoryCache, USEEmbedder
from upstream.frameworks import Code, Codebook, load_codebook

pytestmark = pytest.mark.shared_data

Sample = tuple[Codebook, list[str], list[str | None], list[str], list[str | None]]


def _rows(path: Path, limit: int) -> tuple[list[str], list[str | None]]:
    texts: list[str] = []
    codes: list[str | None] = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["cmp_code"].strip()
            texts.append(row.get("text") or row.get("content") or "")
            codes.append(None if code in {"NA", "0", "000", ""} else code)
            if len(texts) == limit:
                break
    return texts, codes


@pytest.fixture(scope="module")
def sample(shared_data: Path) -> Sample:
    folder = shared_data / "manifesto"
    flat = load_codebook(str(folder / "codebook.csv"))
    domains = tuple(Code(d, f"Domain {d}", f"Policy domain {d}.") for d in "1234567")
    codes = tuple(
        Code(c.id, c.title, c.definition, parent=c.id[0]) for c in flat.codes if c.id != "000"
    )
    codebook = Codebook("manifesto", "Manifesto Project", "", "5", domains + codes)
    train_texts, train_codes = _rows(folder / "51320_200106.csv", 400)  # Labour 2001
    test_texts, test_codes = _rows(folder / "51421_199705.csv", 200)  # Liberal Democrats 1997
    return codebook, train_texts, train_codes, test_texts, test_codes


def _accuracy(
    coder: FrameworkCoder, texts: list[str], truth: list[str | None], level: int | None
) -> float:
    coder.set_params(level=level)
    proba = coder.predict_proba(texts, documents=["test"] * len(texts))
    assert np.allclose(proba.sum(axis=1), 1.0)
    codes = coder.output_codes()
    columns = [i for i, c in enumerate(codes) if level is not None or len(c) == 3]
    predicted = [codes[columns[i]] for i in proba[:, columns].argmax(axis=1)]
    pairs = [(p, t if level is None else t[0]) for p, t in zip(predicted, truth, strict=True) if t]
    return float(np.mean([p == t for p, t in pairs]))


def test_real_manifesto_sample(sample: Sample) -> None:
    codebook, train_texts, train_codes, test_texts, test_codes = sample
    embedder = CachedEmbedder(USEEmbedder(), InMemoryCache())
    zero = FrameworkCoder(codebook, embedder=embedder).fit(train_texts + test_texts)
    supervised = FrameworkCoder(codebook, embedder=embedder).fit(
        train_texts, train_codes, documents=["train"] * len(train_texts)
    )
    assert zero.mode_ == "zero-shot" and supervised.mode_ == "supervised"
    assert supervised.n_labelled_ == sum(c is not None for c in train_codes)
    # Chance is 1/56 for codes and 1/7 for domains; the coder must do far better.
    zero_codes = _accuracy(zero, test_texts, test_codes, None)
    supervised_codes = _accuracy(supervised, test_texts, test_codes, None)
    supervised_domains = _accuracy(supervised, test_texts, test_codes, 1)
    assert zero_codes >= 0.15
    assert supervised_codes >= 0.25
    assert supervised_domains >= 0.45
    results = supervised.set_params(level=None).predict(test_texts[:20], ["test"] * 20)
    assert results == supervised.predict(test_texts[:20], ["test"] * 20)  # deterministic
    coded = [r for r in results if r.code is not None]
    assert coded and all(r.confidence >= supervised.threshold for r in coded)
    assert all(r.path[0] == r.code[0] for r in coded if r.code)  # domain is the ancestor
    assert any(r.explanation.neighbours for r in coded)
    print(
        f"zero-shot codes {zero_codes:.3f}, supervised codes {supervised_codes:.3f}, "
        f"supervised domains {supervised_domains:.3f}"
    )
