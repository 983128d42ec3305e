"""How accurate the broader codes are when the coder backs off to them (zero-shot, manifestos).

Same data and split as ``coding_manifesto.py``. For each lift, the items whose
best code is below the threshold but whose domain passes the back-off rule are
given the domain; the table shows how many and how often that domain is right.
The lift is chosen on the training manifestos; the test ones are then scored.

    .venv/bin/python benchmarks/coding_back_off.py
"""

from __future__ import annotations

import numpy as np
from coding_manifesto import THRESHOLD, Corpus, cached, manifesto_codebook, split

from upstream.coding.coder import FrameworkCoder

LIFTS = (1.0, 1.5, 2.0, 3.0)


def score(coder: FrameworkCoder, corpus: Corpus, lift: float) -> tuple[int, float, int, float]:
    """``(backed off, their domain accuracy, coded, their code accuracy)`` on ``corpus``."""
    scored = np.array([c is not None for c in corpus.codes])
    truth = [c for c in corpus.codes if c is not None]
    probabilities, _, _, _ = coder._class_probabilities(corpus.texts, None)
    probabilities = probabilities[scored]
    rollup = coder._rollup
    rolled = probabilities @ rollup.T
    classes = coder.classes_
    share = rollup.sum(axis=1) / len(classes)
    domain = np.array([not coder.codebook.ancestors(c) for c in classes])
    best, confidence = probabilities.argmax(axis=1), probabilities.max(axis=1)
    coded = confidence >= THRESHOLD
    right = [classes[best[i]] == truth[i] for i in np.flatnonzero(coded)]
    eligible = (rolled >= THRESHOLD) & (rolled >= lift * share[None, :]) & domain[None, :]
    backed, correct = 0, 0
    for row in np.flatnonzero(~coded):
        candidates = np.flatnonzero(eligible[row])
        if len(candidates):
            chosen = candidates[np.argmax(rolled[row, candidates])]
            backed += 1
            correct += classes[chosen] == truth[row][0]
    return backed, correct / max(backed, 1), int(coded.sum()), float(np.mean(right))


def main() -> None:
    train, test = split()
    embedder = cached("use", train.texts + test.texts)
    coder = FrameworkCoder(manifesto_codebook(), embedder=embedder, threshold=THRESHOLD)
    coder.fit(train.texts + test.texts)
    print("| documents | lift | backed off | domain accuracy | coded | code accuracy |")
    print("|---|---|---|---|---|---|")
    for name, corpus, lifts in (("training", train, LIFTS), ("test", test, (2.0,))):
        for lift in lifts:
            backed, accuracy, coded, code_accuracy = score(coder, corpus, lift)
            cells = [name, str(lift), f"{backed:,}", f"{accuracy:.3f}", f"{coded:,}"]
            print("| " + " | ".join([*cells, f"{code_accuracy:.3f}"]) + " |")


if __name__ == "__main__":
    main()
