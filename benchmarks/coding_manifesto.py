"""Deductive coding quality on human-coded UK manifestos (Manifesto Project).

Data: ../shared/data/manifesto (MARPOR coding of UK manifestos, extracted in
GavinAbercrombie/motion_policy_detection, MIT; Manifesto Project Dataset, WZB).

Split: train on the 1997 and 2001 manifestos plus four 2015 ones (Greens 51110,
Liberal Democrats 51421, 51621 and 51903); test on two 2015 manifestos chosen
before any model was tried: Conservatives (51620) and UKIP (51951), two large
manifestos from parties with no other manifesto in training.

Rows: headings (`cmp_code` NA) are never scored but stay in the documents as
context; `000` ("no meaningful category", 1.4% of rows) is not one of the 56
codes, so those rows are not scored either (they also stay as context).
Codes are scored as the forced top code (threshold 0), plus coverage and
accuracy at the coder's default abstain threshold.

    .venv/bin/python benchmarks/coding_manifesto.py [--embedders tfidf,use,minilm]
    .venv/bin/python benchmarks/coding_manifesto.py --embedders minilm --zero-shot
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from _record import markdown_table, record
from sklearn.metrics import accuracy_score, cohen_kappa_score, f1_score

from upstream.coding.coder import FrameworkCoder
from upstream.embed import CachedEmbedder, InMemoryCache, get_embedder
from upstream.frameworks import Code, Codebook, load_codebook

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "manifesto"
TEST = ("51620_201505", "51951_201505")
DOMAINS = {
    "1": "External relations",
    "2": "Freedom and democracy",
    "3": "Political system",
    "4": "Economy",
    "5": "Welfare and quality of life",
    "6": "Fabric of society",
    "7": "Social groups",
}
THRESHOLD = 0.35


class DiskCache(InMemoryCache):
    """An EmbeddingCache kept in one .npz per model under the system temp folder.

    Benchmarks re-embed the same 13,000 sentences on every run; with MiniLM on
    two cores that is ten minutes, so vectors are kept between runs (keyed by
    model id and sha256 of the text, as the store's cache is).
    """

    def __init__(self, model_id: str) -> None:
        super().__init__()
        safe = "".join(ch if ch.isalnum() else "_" for ch in model_id)
        self.path = Path(tempfile.gettempdir()) / "upstream-bench-cache" / f"{safe}.npz"
        if self.path.exists():
            with np.load(self.path) as stored:
                self.put_many(model_id, dict(zip(stored["keys"], stored["vectors"], strict=True)))

    def save(self, model_id: str) -> None:
        keys = [key for (model, key) in self._store if model == model_id]
        self.path.parent.mkdir(parents=True, exist_ok=True)
        vectors = np.stack([self._store[(model_id, key)] for key in keys])
        np.savez(self.path, keys=np.array(keys), vectors=vectors)


def cached(name: str, texts: list[str]) -> CachedEmbedder:
    """The named embedder behind a disk cache that already holds these texts."""
    inner = get_embedder(name)
    cache = DiskCache(inner.model_id)
    embedder = CachedEmbedder(inner, cache)
    started = time.perf_counter()
    embedder.embed(texts)
    if cache.misses:
        cache.save(inner.model_id)
    print(
        f"{name}: {len(texts)} texts ready in {time.perf_counter() - started:.0f} s "
        f"({cache.misses} embedded)",
        file=sys.stderr,
    )
    return embedder


@dataclass
class Corpus:
    texts: list[str]
    codes: list[str | None]  # None: a heading or "no category" (context only)
    documents: list[str]


def manifesto_codebook() -> Codebook:
    """The 56 codes under their 7 domains (000 left out)."""
    flat = load_codebook(str(DATA / "codebook.csv"))
    domains = tuple(Code(d, t, f"Statements about {t.lower()}.") for d, t in DOMAINS.items())
    codes = tuple(
        Code(c.id, c.title, c.definition, parent=c.id[0]) for c in flat.codes if c.id != "000"
    )
    return Codebook("manifesto", "Manifesto Project", flat.description, "5", domains + codes)


def load(names: list[str]) -> Corpus:
    corpus = Corpus([], [], [])
    for name in names:
        with (DATA / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                code = row["cmp_code"].strip()
                corpus.texts.append(row.get("text") or row.get("content") or "")
                corpus.codes.append(None if code in {"NA", "", "0", "000"} else code)
                corpus.documents.append(name)
    return corpus


def split() -> tuple[Corpus, Corpus]:
    names = sorted(p.stem for p in DATA.glob("5*.csv"))
    return load([n for n in names if n not in TEST]), load(list(TEST))


def scores(truth: list[str], predicted: list[str]) -> dict[str, float]:
    return {
        "acc": accuracy_score(truth, predicted),
        "macro_f1": f1_score(truth, predicted, average="macro", zero_division=0),
        "kappa": cohen_kappa_score(truth, predicted),
    }


def expected_calibration_error(confidence: np.ndarray, correct: np.ndarray) -> float:
    bins = np.minimum((confidence * 10).astype(int), 9)
    return float(
        sum(
            abs(confidence[bins == b].mean() - correct[bins == b].mean()) * (bins == b).mean()
            for b in range(10)
            if (bins == b).any()
        )
    )


def evaluate(coder: FrameworkCoder, test: Corpus, context: bool) -> dict[str, float]:
    documents = test.documents if context else None
    scored = np.array([c is not None for c in test.codes])
    truth = [c for c in test.codes if c is not None]
    coder.set_params(level=None)
    proba = coder.predict_proba(test.texts, documents)[scored]
    leaves = [i for i, c in enumerate(coder.classes_) if c not in DOMAINS]
    leaf_proba = proba[:, leaves]
    predicted = [coder.classes_[leaves[i]] for i in leaf_proba.argmax(axis=1)]
    out = {f"code_{k}": v for k, v in scores(truth, predicted).items()}
    coder.set_params(level=1)
    domain_proba = coder.predict_proba(test.texts, documents)[scored]
    domains = coder.output_codes()
    predicted_domain = [domains[i] for i in domain_proba.argmax(axis=1)]
    out |= {f"domain_{k}": v for k, v in scores([t[0] for t in truth], predicted_domain).items()}
    coder.set_params(level=None)
    confidence = leaf_proba.max(axis=1)
    correct = np.array(predicted) == np.array(truth)
    kept = confidence >= THRESHOLD
    out["coverage"] = float(kept.mean())
    out["acc_kept"] = float(correct[kept].mean()) if kept.any() else float("nan")
    out["mean_conf"] = float(confidence.mean())
    out["ece"] = expected_calibration_error(confidence, correct)
    return out


def run(
    name: str,
    train: Corpus,
    test: Corpus,
    codebook: Codebook,
    curve: bool,
    zero_shot_only: bool = False,
) -> list[tuple[str, str, dict[str, float]]]:
    embedder: object = "tfidf"
    if name != "tfidf":
        embedder = cached(name, train.texts + test.texts)

    rows = []

    def one(
        setting: str, labels: list[str | None] | None, context: bool, self_training: bool = True
    ) -> None:
        started = time.perf_counter()
        coder = FrameworkCoder(
            codebook,
            embedder=embedder,  # type: ignore[arg-type]
            threshold=THRESHOLD,
            context=context,
            self_training=self_training,
        )
        if labels is None:
            coder.fit(train.texts + test.texts)  # corpus only: codebook text is all it learns from
        else:
            coder.fit(train.texts, labels, documents=train.documents if context else None)
        result = evaluate(coder, test, context)
        result["seconds"] = time.perf_counter() - started
        rows.append((name, setting, result))
        print(name, setting, {k: round(v, 3) for k, v in result.items()}, file=sys.stderr)

    one("zero-shot, context", None, True)
    one("zero-shot, no context", None, False)
    if zero_shot_only:
        one("zero-shot, no context, codebook only (no self-training)", None, False, False)
        return rows
    one("supervised, context", train.codes, True)
    one("supervised, no context", train.codes, False)
    if curve:
        labelled = [i for i, c in enumerate(train.codes) if c is not None]
        for n in (50, 200, 1000):
            chosen = set(random.Random(n).sample(labelled, n))
            subset = [c if i in chosen else None for i, c in enumerate(train.codes)]
            one(f"curve: {n} labels, context", subset, True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedders", default="tfidf,use,minilm")
    parser.add_argument("--curve", default="use,minilm", help="embedders with a learning curve")
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument("--zero-shot", action="store_true", help="zero-shot rows only")
    args = parser.parse_args()
    train, test = split()
    codebook = manifesto_codebook()
    rows = []
    for name in args.embedders.split(","):
        curve = name in args.curve.split(",") and not args.zero_shot
        rows += run(name, train, test, codebook, curve, args.zero_shot)
    headers = [
        "embedder",
        "setting",
        "code acc",
        "code macro-F1",
        "code κ",
        "domain acc",
        "domain macro-F1",
        "domain κ",
        f"coverage@{THRESHOLD}",
        f"acc@{THRESHOLD}",
        "mean conf",
        "ECE",
        "s",
    ]
    keys = [
        "code_acc",
        "code_macro_f1",
        "code_kappa",
        "domain_acc",
        "domain_macro_f1",
        "domain_kappa",
        "coverage",
        "acc_kept",
        "mean_conf",
        "ece",
    ]
    table = [[n, s] + [f"{r[k]:.3f}" for k in keys] + [f"{r['seconds']:.0f}"] for n, s, r in rows]
    scored = sum(c is not None for c in test.codes)
    body = (
        f"Train: {len(train.texts):,} rows of 8 manifestos "
        f"({sum(c is not None for c in train.codes):,} coded); test: {', '.join(TEST)} "
        f"({scored:,} coded rows scored; headings and 000 kept as context only). "
        "56 codes under 7 domains; domains are the coder's roll-up (`level=1`). "
        "Codes are the forced top code; coverage/accuracy are at the abstain threshold. "
        "Zero-shot learns from the codebook text and the unlabelled text of train and test "
        "manifestos (TF-IDF vocabulary; without context, self-training on its own most "
        "confident items, constants chosen on the training manifestos only). "
        "Learning-curve rows keep all training text as unlabelled context.\n\n"
        + markdown_table(headers, table)
        + "\n\nData: Manifesto Project (WZB) via GavinAbercrombie/motion_policy_detection (MIT)."
    )
    print(body)
    if not args.no_record:
        title = "Deductive coding on UK manifestos (`coding_manifesto.py`)"
        record(title + (", zero-shot rows" if args.zero_shot else ""), body)


if __name__ == "__main__":
    main()
