"""Items counted under a barrier on the demo: does each one show that barrier?

A barrier's page and every headline that says "9 of 12 organisations name
funding as a barrier" count the items coded to that barrier. This lists every
such item (as the pages count them: the codes in force, at the coder's default
settings) and scores them against a reader's marks in
``benchmarks/data/barrier_items_judgements.csv`` (column ``verdict``):

* ``barrier``: the item shows this barrier getting in the way;
* ``way past``: it is on the barrier's subject but shows something that helps
  or worked (an enabler, a way past);
* ``other``: it shows neither (another subject, or no direction at all).

The reader judges from the barrier's title and definition and the item alone,
without seeing the codes or the coder's confidence. The share marked
``barrier`` is the figure; ``way past`` counts the direction errors.

    PYTHONPATH=src python benchmarks/barrier_items.py            # list and score
    PYTHONPATH=src python benchmarks/barrier_items.py --record   # and add to docs/benchmarks.md

Items not yet judged are written to ``barrier_items_unjudged.csv`` beside the
judgements, for the reader to mark and append.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from pathlib import Path

from _demo import demo_workspace
from _record import markdown_table, record

from upstream.frameworks import load_codebook
from upstream.signals.dbe import kind_of
from upstream.workflows.network.peers import network_evidence

DATA = Path(__file__).resolve().parent / "data"
JUDGEMENTS = DATA / "barrier_items_judgements.csv"
UNJUDGED = DATA / "barrier_items_unjudged.csv"
FIELDS = ["barrier", "definition", "item_id", "text", "verdict"]
VERDICTS = ("barrier", "way past", "other")


def counted(embedder: str, keep: Path | None) -> list[dict[str, str]]:
    """Every (barrier, item) the demo's barrier pages count."""
    book = {c.id: c for c in load_codebook("dbe").codes}
    with demo_workspace(embedder, keep) as workspace:
        evidence = network_evidence(workspace)
        rows: list[dict[str, str]] = []
        for key, ids in sorted(evidence.under.items()):
            if kind_of(key) != "barrier" or key not in book or key == "barrier":
                continue
            for item_id in ids:
                item = evidence.items[item_id]
                rows.append(
                    {
                        "barrier": book[key].title,
                        "definition": book[key].definition,
                        "item_id": str(item_id),
                        "text": item.text,
                        "organisation": str(item.organisation),
                        "origin": evidence.given_by(item_id, key)[0],
                    }
                )
        return rows


def read_judgements(path: Path = JUDGEMENTS) -> dict[tuple[str, str], str]:
    """The reader's verdicts, by (barrier title, item id)."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        marks: dict[tuple[str, str], str] = {}
        for line, row in enumerate(csv.DictReader(handle), start=2):
            verdict = row["verdict"].strip().lower()
            if verdict not in VERDICTS:
                raise SystemExit(
                    f"{path}, line {line}, column verdict: expected one of "
                    f"{', '.join(VERDICTS)}, found {row['verdict']!r}"
                )
            marks[(row["barrier"], row["item_id"])] = verdict
        return marks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", default="default")
    parser.add_argument("--record", action="store_true", help="append to docs/benchmarks.md")
    parser.add_argument("--db", type=Path, help="keep the demo store here and reuse it")
    parser.add_argument("--note", default="", help="a sentence on what was measured")
    args = parser.parse_args()
    started = time.perf_counter()
    rows = counted(args.embedder, args.db)
    judged = read_judgements()
    missing = [r for r in rows if (r["barrier"], r["item_id"]) not in judged]
    if missing:
        with UNJUDGED.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, FIELDS, extrasaction="ignore")
            writer.writeheader()
            writer.writerows({**r, "verdict": ""} for r in missing)
        print(f"{len(missing)} counted items not judged yet: see {UNJUDGED}")
    by_barrier: dict[str, Counter[str]] = {}
    for row in rows:
        verdict = judged.get((row["barrier"], row["item_id"]), "?")
        by_barrier.setdefault(row["barrier"], Counter())[verdict] += 1
        print(f"{row['barrier']} | {verdict} | {row['organisation']} | {row['text'][:140]}")
    every: Counter[str] = sum(by_barrier.values(), Counter())

    def share(marks: Counter[str]) -> list[str]:
        n = sum(marks[v] for v in VERDICTS)
        return [str(sum(marks.values()))] + [
            f"{marks[v]} ({100 * marks[v] / max(1, n):.0f}%)" for v in VERDICTS
        ]

    table = markdown_table(
        ["barrier", "items counted", "show the barrier", "show a way past", "neither"],
        [[b, *share(m)] for b, m in sorted(by_barrier.items())]
        + [["every barrier", *share(every)]],
    )
    print(f"\n{table}\n{time.perf_counter() - started:.0f} s")
    if args.record and not missing:
        record(
            "Items counted under a barrier on the demo (`barrier_items.py`)",
            f"The demo (`upstream demo`, {args.embedder} text model, default settings). "
            "Every item a barrier's page counts, marked by a reader from the barrier's "
            "title and definition and the item alone "
            f"(`benchmarks/data/{JUDGEMENTS.name}`). {args.note}\n\n{table}\n",
        )
    return 0 if not missing else 1


if __name__ == "__main__":
    sys.exit(main())
