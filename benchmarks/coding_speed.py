"""How fast the coder codes, once loaded, on this 2-core machine.

For each embedder and size, a fresh process (so peak memory is its own):
loads the model (timed separately), fits a supervised coder on the manifesto
training split (timed separately), then codes N unseen sentences (crowd-coded
2010 manifesto sentences, cycled to reach N) without document context, with
and without explanations. Target: at least 2,000 items/s once loaded.

    .venv/bin/python benchmarks/coding_speed.py [--embedders use,tfidf] [--sizes 10000,100000]
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

from _record import markdown_table, record

HERE = Path(__file__).resolve().parent
CROWD = HERE.parents[1] / "shared" / "data" / "coders" / "immigration_judgements.csv.gz"


def unseen_texts(n: int) -> list[str]:
    seen: dict[str, None] = {}
    with gzip.open(CROWD, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            seen.setdefault(row["sentence_text"], None)
    texts = list(seen)
    return [texts[i % len(texts)] for i in range(n)]


def measure(embedder_name: str, n: int) -> dict[str, float]:
    sys.path.insert(0, str(HERE))
    from coding_manifesto import manifesto_codebook, split

    from upstream.coding.coder import FrameworkCoder
    from upstream.embed import DEFAULT_EMBEDDER, get_embedder

    name = DEFAULT_EMBEDDER if embedder_name == "default" else embedder_name
    started = time.perf_counter()
    embedder: object = "tfidf"
    if name != "tfidf":
        embedder = get_embedder(name)
        load = getattr(embedder, "load", None)
        if load is not None:
            load()
        embedder.embed(["warm up"])  # type: ignore[attr-defined]
    load_seconds = time.perf_counter() - started
    train, _ = split()
    started = time.perf_counter()
    coder = FrameworkCoder(manifesto_codebook(), embedder=embedder)  # type: ignore[arg-type]
    coder.fit(train.texts, train.codes, documents=train.documents)
    fit_seconds = time.perf_counter() - started
    texts = unseen_texts(n)
    started = time.perf_counter()
    coder.set_params(explain=False).predict(texts)
    plain = time.perf_counter() - started
    explained = float("nan")
    if n <= 10_000:
        started = time.perf_counter()
        coder.set_params(explain=True).predict(texts)
        explained = time.perf_counter() - started
    return {
        "load_s": load_seconds,
        "fit_s": fit_seconds,
        "items_per_s": n / plain,
        "items_per_s_explained": n / explained,
        "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedders", default="default,tfidf")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--child", nargs=2, metavar=("EMBEDDER", "N"), help=argparse.SUPPRESS)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.child[0], int(args.child[1]))))
        return
    rows = []
    for name in args.embedders.split(","):
        for n in (int(s) for s in args.sizes.split(",")):
            output = subprocess.run(
                [sys.executable, __file__, "--child", name, str(n)],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
            r = json.loads(output.strip().splitlines()[-1])
            rows.append(
                [
                    name,
                    f"{n:,}",
                    f"{r['load_s']:.1f}",
                    f"{r['fit_s']:.0f}",
                    f"{r['items_per_s']:,.0f}",
                    "—"
                    if r["items_per_s_explained"] != r["items_per_s_explained"]
                    else f"{r['items_per_s_explained']:,.0f}",
                    f"{r['peak_mib']:,.0f}",
                ]
            )
            print(rows[-1], file=sys.stderr)
    body = (
        "Supervised coder fitted on the manifesto training split (8 manifestos, 9,587 rows, "
        "56 codes under 7 domains); then N unseen sentences coded without document context. "
        "Load = importing and loading the embedder's model; fit includes embedding the "
        "training text. Items/s is for `predict` once loaded (embedding included). "
        "Target: ≥ 2,000 items/s.\n\n"
        + markdown_table(
            [
                "embedder",
                "items",
                "load s",
                "fit s",
                "items/s",
                "items/s with explanations",
                "peak MiB",
            ],
            rows,
        )
    )
    print(body)
    if not args.no_record:
        record("Coding speed (`coding_speed.py`)", body)


if __name__ == "__main__":
    main()
