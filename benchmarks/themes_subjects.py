"""Themes against known subjects: model, number of themes and stability.

Runs on ``benchmarks/data/town_comments.csv``, whose writer recorded each reply's
subject. Off-topic replies are left out (the themes workflow sets them aside).
For each text model, themes are found with the number chosen by the old
criterion (cosine silhouette, up to 40) and by the current one (how well the
names sort the items, 5 to 15); agreement with the subjects is NMI and ARI.
Stability is the mean ARI between runs on four 90% subsamples (shared items):
each clustering afresh, and as a re-run that refines the previous run's themes
(what a workspace does when new evidence arrives).

Run from the repository root::

    PYTHONPATH=src python benchmarks/themes_subjects.py [--record]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

from upstream.embed import get_embedder
from upstream.themes import ThemeDiscovery
from upstream.themes.cluster import WardKMeans

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _record import markdown_table, record  # noqa: E402

DATA = HERE / "data"


def load() -> tuple[list[str], list[str]]:
    """The on-topic replies and their subjects."""
    with (DATA / "town_comments_subjects.csv").open(encoding="utf-8") as handle:
        subjects = {row["id"]: row["subject"] for row in csv.DictReader(handle)}
    texts, truth = [], []
    with (DATA / "town_comments.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if subjects[row["id"]] != "off-topic":
                texts.append(row["text"])
                truth.append(subjects[row["id"]])
    return texts, truth


def stability(texts: list[str], vectors: np.ndarray) -> tuple[float, float]:
    """Mean ARI between runs on four 90% subsamples, on the items each pair shares.

    Returns:
        Independent runs (each clusters afresh), and re-runs: the second sample
        refines the first sample's themes, as a stored workspace does when new
        evidence arrives (``run_themes`` starts from the previous centroids).
    """
    samples = []
    for seed in range(4):
        rng = np.random.default_rng(seed)
        samples.append(np.sort(rng.choice(len(texts), int(0.9 * len(texts)), replace=False)))
    fresh = [ThemeDiscovery().fit([texts[i] for i in c], vectors=vectors[c]) for c in samples]

    def agreement(one: ThemeDiscovery, first: np.ndarray, two: ThemeDiscovery, second: np.ndarray):
        a = dict(zip(first.tolist(), one.labels_.tolist(), strict=True))
        b = dict(zip(second.tolist(), two.labels_.tolist(), strict=True))
        shared = sorted(set(a) & set(b))
        return adjusted_rand_score([a[i] for i in shared], [b[i] for i in shared])

    independent, rerun = [], []
    for i, j in itertools.permutations(range(len(samples)), 2):
        if i < j:
            independent.append(agreement(fresh[i], samples[i], fresh[j], samples[j]))
        again = ThemeDiscovery().fit(
            [texts[k] for k in samples[j]],
            vectors=vectors[samples[j]],
            start=fresh[i].clusterer_.centroids_,
        )
        rerun.append(agreement(fresh[i], samples[i], again, samples[j]))
    return float(np.mean(independent)), float(np.mean(rerun))


def main() -> None:
    """Print (and optionally record) the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help="append to docs/benchmarks.md")
    args = parser.parse_args()
    texts, truth = load()
    rows = []
    for model in ("use", "minilm"):
        started = time.perf_counter()
        vectors = get_embedder(model).embed(texts)
        seconds = time.perf_counter() - started
        min_size = max(3, round(0.002 * len(texts)))
        for criterion, discovery in (
            (
                "silhouette",
                ThemeDiscovery(clusterer=WardKMeans(max_clusters=40, min_size=min_size)),
            ),
            ("names sort the items", ThemeDiscovery()),
        ):
            labels = discovery.fit(texts, vectors=vectors).labels_
            rows.append([
                model, criterion, str(discovery.n_themes_),
                f"{normalized_mutual_info_score(truth, labels):.3f}",
                f"{adjusted_rand_score(truth, labels):.3f}",
                *(
                    [f"{v:.2f}" for v in stability(texts, vectors)]
                    if criterion != "silhouette" else ["", ""]
                ),
                f"{seconds:.1f} s",
            ])  # fmt: skip
    table = markdown_table(
        [
            "model",
            "number of themes by",
            "themes",
            "NMI",
            "ARI",
            "ARI 90% samples, fresh",
            "ARI 90% samples, re-run",
            "embed time",
        ],
        rows,
    )
    print(table)
    if args.record:
        body = (
            f"{len(texts)} on-topic replies in "
            f"`benchmarks/data/town_comments.csv`, {len(set(truth))} subjects recorded by "
            "their writer.\n\n" + table
        )
        record("Themes against known subjects (`themes_subjects.py`)", body)


if __name__ == "__main__":
    main()
