"""The review loop, simulated: does asking in teaching order beat asking at random?

Data: ../shared/data/manifesto (MARPOR coding of UK manifestos, extracted in
GavinAbercrombie/motion_policy_detection, MIT; Manifesto Project Dataset, WZB).

Every coded sentence of the ten manifestos is a workspace item waiting for
review (56 codes; headings and 000 are left out). A simulated person answers
each question with the trained human coder's code. After every batch of ten
answers the incremental head (:class:`upstream.coding.incremental.IncrementalHead`,
MiniLM + LSA vectors computed once) is refitted, and at 50, 200, 500 and 1,000
answers Cohen's κ of its forced top code is measured on the sentences not yet
asked about. Orders compared, each starting from the same ten random items:

* ``teaching``: :func:`upstream.coding.active.teaching_order` (typical items
  of the parts with fewest decisions, TypiClust, below 100 decisions; then
  BADGE: k-means++ seeding over the gradient embeddings of the head, on the
  same vectors the head reads);
* ``margin``: uncertainty alone (:func:`upstream.coding.active.review_order`);
* ``random``: a random order.

    nice .venv/bin/python benchmarks/review_loop.py [--seeds 3] [--orders teaching random]
        [--representative-until 100] [--no-record]

Linear algebra runs on one thread: the head's solves are small, and on a
shared 2-core machine a second BLAS thread made each one about 15 times slower.
"""

from __future__ import annotations

import argparse
import os

# Before numpy loads: small solves are fastest, and steadiest, on one thread.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import random
import sys
import time

import numpy as np
from _record import markdown_table, record
from coding_manifesto import DATA, cached, load
from sklearn.metrics import cohen_kappa_score

from upstream.coding.active import REPRESENTATIVE_UNTIL, review_order, teaching_order
from upstream.coding.features import code_prototypes
from upstream.coding.incremental import IncrementalHead
from upstream.embed.lexical import TfidfEmbedder
from upstream.frameworks import Codebook, load_codebook

BUDGETS = (50, 200, 500, 1000)
BATCH = 10
ORDERS = ("teaching", "margin", "random")
# The coder's scale for codebook similarity (FrameworkCoder: 0.1 / temperature 0.05).
PRIOR_SCALE = 2.0


def flat_codebook() -> Codebook:
    book = load_codebook(str(DATA / "codebook.csv"))
    codes = tuple(c for c in book.codes if c.id != "000")
    return Codebook("manifesto", book.title, book.description, "5", codes)


class Simulation:
    """Vectors of every sentence and codebook text, computed once per run."""

    def __init__(self) -> None:
        names = sorted(p.stem for p in DATA.glob("5*.csv"))
        corpus = load(names)
        keep = [i for i, c in enumerate(corpus.codes) if c is not None]
        book = flat_codebook()
        self.classes = [c.id for c in book.codes]
        position = {c: i for i, c in enumerate(self.classes)}
        keep = [i for i in keep if corpus.codes[i] in position]
        texts = [corpus.texts[i] for i in keep]
        self.labels = np.array([position[str(corpus.codes[i])] for i in keep], dtype=np.intp)
        prototypes = code_prototypes(book.codes)
        started = time.perf_counter()
        embedder = cached("minilm", texts + list(prototypes.texts))
        semantic = embedder.embed(texts)
        proto_semantic = embedder.embed(list(prototypes.texts))
        lexical = TfidfEmbedder(dim=300, seed=0).fit([*prototypes.texts, *texts])
        self.design = np.hstack([semantic, lexical.embed(texts)]).astype(np.float32)
        proto_design = np.hstack([proto_semantic, lexical.embed(list(prototypes.texts))])
        owner = np.array([position[c] for c in prototypes.codes], dtype=np.intp)
        averaging = np.zeros((len(owner), len(self.classes)))
        averaging[np.arange(len(owner)), owner] = 1.0
        averaging /= averaging.sum(axis=0).clip(min=1.0)
        self.prior = PRIOR_SCALE * (semantic.astype(np.float64) @ proto_semantic.T) @ averaging
        self.semantic = semantic
        self.proto_design = proto_design.astype(np.float32)
        self.owner = owner
        print(
            f"{len(texts):,} sentences, {len(self.classes)} codes, vectors in "
            f"{time.perf_counter() - started:.0f} s",
            file=sys.stderr,
        )

    def run(
        self, order: str, seed: int, representative_until: int = REPRESENTATIVE_UNTIL
    ) -> dict[int, float]:
        """κ on the remaining sentences at each budget, asking in the given order."""
        n = len(self.labels)
        rng = random.Random(seed)
        asked = rng.sample(range(n), BATCH)
        shuffled = list(range(n))
        rng.shuffle(shuffled)
        out: dict[int, float] = {}
        head = IncrementalHead(self.proto_design, self.owner, len(self.classes))
        while len(asked) < max(BUDGETS):
            head.fit(self.design[asked], self.labels[asked], self.prior[asked])
            mask = np.ones(n, dtype=bool)
            mask[asked] = False
            rest = np.flatnonzero(mask)
            if len(asked) in BUDGETS:
                out[len(asked)] = self.kappa(head, rest)
            if order == "random":
                taken = set(asked)
                asked += [i for i in shuffled if i not in taken][:BATCH]
                continue
            probabilities = head.predict_proba(self.design[rest], self.prior[rest])
            if order == "margin":
                ranked = review_order(probabilities)
            else:
                counts = np.bincount(self.labels[asked], minlength=len(self.classes))
                ranked = teaching_order(
                    probabilities,
                    self.design[rest],
                    counts,
                    batch=BATCH,
                    seed=1000 * seed + len(asked),
                    decided_vectors=self.design[asked],
                    representative_until=representative_until,
                )
            asked += [int(rest[i]) for i in ranked[:BATCH]]
        head.fit(self.design[asked], self.labels[asked], self.prior[asked])
        mask = np.ones(n, dtype=bool)
        mask[asked] = False
        out[len(asked)] = self.kappa(head, np.flatnonzero(mask))
        return out

    def kappa(self, head: IncrementalHead, rows: np.ndarray) -> float:
        predicted = head.predict_proba(self.design[rows], self.prior[rows]).argmax(axis=1)
        return float(cohen_kappa_score(self.labels[rows], predicted))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--orders", nargs="+", choices=ORDERS, default=["teaching", "random"])
    parser.add_argument(
        "--representative-until",
        type=int,
        default=REPRESENTATIVE_UNTIL,
        help="teaching order asks typical items below this many decisions (1: BADGE throughout)",
    )
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    orders = list(args.orders)
    simulation = Simulation()
    results: dict[str, list[dict[int, float]]] = {order: [] for order in orders}
    started = time.perf_counter()
    for seed in range(args.seeds):
        for order in orders:
            began = time.perf_counter()
            results[order].append(simulation.run(order, seed, args.representative_until))
            print(
                order,
                seed,
                {k: round(v, 3) for k, v in results[order][-1].items()},
                f"{time.perf_counter() - began:.0f} s",
                file=sys.stderr,
            )
    rows = []
    for order in orders:
        cells = [order]
        for budget in BUDGETS:
            values = np.array([r[budget] for r in results[order]])
            cells.append(f"{values.mean():.3f} ± {values.std():.3f}")
        rows.append(cells)
    verdict = ""
    ours = "teaching"
    if {ours, "random"} <= set(orders):
        gaps = [
            np.mean([t[b] - r[b] for t, r in zip(results[ours], results["random"], strict=True)])
            for b in BUDGETS
        ]
        rows.append([f"{ours} − random", *(f"{g:+.3f}" for g in gaps)])
        wins = [
            budget
            for budget in BUDGETS
            if all(
                t[budget] > r[budget] for t, r in zip(results[ours], results["random"], strict=True)
            )
        ]
        ahead = [b for b, g in zip(BUDGETS, gaps, strict=True) if g > 0]
        verdict = (
            "On average, teaching order beats random order at "
            + (
                "every budget"
                if len(ahead) == len(BUDGETS)
                else ", ".join(map(str, ahead)) or "no budget"
            )
            + "; at every seed, at "
            + (
                "every budget"
                if len(wins) == len(BUDGETS)
                else ", ".join(map(str, wins)) or "no budget"
            )
            + ".\n\n"
        )
    early = "TypiClust (typical items of the largest k-means clusters with fewest decisions)"
    how = (
        "Teaching order: BADGE (k-means++ seeding over the gradient embeddings of the head's "
        "linear layer, on the vectors the head reads; seeded per batch)"
        + (
            f"; {early} below {args.representative_until} decisions"
            if args.representative_until > BATCH
            else ""
        )
        + ". "
    )
    body = (
        f"{len(simulation.labels):,} human-coded sentences of the ten shared manifestos, "
        f"{len(simulation.classes)} codes; answers from the human codes; the incremental head "
        f"refitted after every {BATCH} answers; Cohen's κ of the forced top code on the "
        f"sentences not yet asked about (mean ± standard deviation over {args.seeds} seeds, "
        f"each order starting from the same {BATCH} random sentences). Text model: MiniLM "
        f"(numpy) + TF-IDF/LSA. {how}Whole run: {time.perf_counter() - started:.0f} s "
        "(linear algebra on one thread).\n\n"
        + markdown_table(["order", *(f"κ after {b}" for b in BUDGETS)], rows)
        + f"\n\n{verdict}"
        "Data: Manifesto Project (WZB) via GavinAbercrombie/motion_policy_detection (MIT)."
    )
    print(body)
    if not args.no_record:
        variant = (
            f", {early.split(' (')[0]} below {args.representative_until} decisions"
            if args.representative_until > BATCH
            else ""
        )
        record(f"Review loop, BADGE teaching order{variant} (`review_loop.py`)", body)


if __name__ == "__main__":
    main()
