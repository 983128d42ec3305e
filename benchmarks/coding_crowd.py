"""Machine coding against the crowd: is a 2010 manifesto sentence about immigration?

Data: ../shared/data/coders/immigration_judgements.csv.gz (Benoit, Conway,
Lauderdale, Laver & Mikhaylov, APSR 2016; kbenoit/CSTA-APSR, MIT).

Truth is the majority `policy_area` of each sentence over the crowd's
non-golden judgements (golden rows are screening questions and are excluded;
sentences whose judgements tie are left out). Sentences are split in half at
random (seed 0); the coder learns from one half's labels and codes the other.
With context, every sentence stays in its manifesto in `sentenceid` order (the
crowd coders also saw the sentences before and after), unlabelled if it is in
the scored half; without context, each sentence is coded alone.

    .venv/bin/python benchmarks/coding_crowd.py [--embedders tfidf,use,minilm]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from _record import markdown_table, record
from coding_manifesto import cached
from sklearn.metrics import accuracy_score, cohen_kappa_score, f1_score

from upstream.coding.coder import FrameworkCoder
from upstream.frameworks import Code, Codebook

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "coders"
CODEBOOK = Codebook(
    "immigration",
    "Is it about immigration?",
    "Crowd-coding task of Benoit et al. (2016).",
    "1",
    (
        Code(
            "immigration",
            "Immigration",
            "The sentence is about immigration policy: immigrants, migrants, asylum "
            "seekers and refugees, border controls, visas, citizenship and integration.",
        ),
        Code("other", "Not immigration", "The sentence is about any other policy area."),
    ),
)


def sentences() -> tuple[list[str], list[str], list[str], int]:
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    info: dict[str, tuple[str, str]] = {}
    with gzip.open(DATA / "immigration_judgements.csv.gz", "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["golden"].strip().lower() in {"true", "1"}:
                continue
            votes[row["sentenceid"]][row["policy_area"]] += 1
            info[row["sentenceid"]] = (row["sentence_text"], row["manifestoid"])
    texts, labels, documents, ties = [], [], [], 0
    for sid in sorted(votes, key=int):
        (first, n1), *rest = votes[sid].most_common()
        if rest and rest[0][1] == n1:
            ties += 1
            continue
        texts.append(info[sid][0])
        labels.append("immigration" if first == "4" else "other")
        documents.append(info[sid][1])
    return texts, labels, documents, ties


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedders", default="tfidf,use,minilm")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    texts, labels, documents, ties = sentences()
    order = list(range(len(texts)))
    random.Random(0).shuffle(order)
    train = sorted(order[: len(order) // 2])
    test = sorted(order[len(order) // 2 :])
    truth = [labels[i] for i in test]
    rows = []
    for name in args.embedders.split(","):
        embedder: object = "tfidf"
        if name != "tfidf":
            embedder = cached(name, texts)
        for context in (True, False):
            started = time.perf_counter()
            coder = FrameworkCoder(CODEBOOK, embedder=embedder, context=context)  # type: ignore[arg-type]
            if context:
                # Every sentence stays in its manifesto, in order, as context; only
                # the training half carries labels, and only the other half is scored.
                hidden = set(test)
                coder.fit(
                    texts,
                    [None if i in hidden else labels[i] for i in range(len(texts))],
                    documents=documents,
                )
                proba = coder.predict_proba(texts, documents)[test]
            else:
                coder.fit([texts[i] for i in train], [labels[i] for i in train])
                proba = coder.predict_proba([texts[i] for i in test])
            predicted = [coder.classes_[i] for i in proba.argmax(axis=1)]
            seconds = time.perf_counter() - started
            result = [
                cohen_kappa_score(truth, predicted),
                accuracy_score(truth, predicted),
                f1_score(truth, predicted, pos_label="immigration", average="binary"),
                float(np.mean(proba.max(axis=1) >= coder.threshold)),
            ]
            rows.append(
                [name, "yes" if context else "no"]
                + [f"{v:.3f}" for v in result]
                + [f"{seconds:.0f}"]
            )
            print(rows[-1], file=sys.stderr)
    share = sum(label == "immigration" for label in labels) / len(labels)
    body = (
        f"{len(texts):,} sentences with a crowd majority ({ties} tied sentences left out; "
        f"golden screening rows excluded); {share:.1%} about immigration. Seeded half split: "
        f"{len(train):,} to learn from, {len(test):,} scored against the majority. "
        "A single crowd coder scores κ≈0.60 against the majority (target κ ≥ 0.75).\n\n"
        + markdown_table(
            [
                "embedder",
                "context",
                "κ vs majority",
                "accuracy",
                "F1 (immigration)",
                "coverage@0.35",
                "s",
            ],
            rows,
        )
        + "\n\nData: Benoit et al. (APSR 2016), kbenoit/CSTA-APSR (MIT)."
    )
    print(body)
    if not args.no_record:
        record("Machine vs crowd majority on immigration sentences (`coding_crowd.py`)", body)


if __name__ == "__main__":
    main()
