"""Tone of short replies: does the tone scorer agree with a reader?

A theme's tone sentence ("most were negative in tone") is only as good as the
scorer behind it. ``benchmarks/data/tone_judgements.csv`` holds a blind reader's
labels for 130 short texts (45 demo consultation replies, 60 town comments, 25
staff-survey comments, in random order): ``positive``, ``negative`` or
``neutral``, judged from the words' tone alone, not from whether the writer is
for or against something ("a calm 'Please install a crossing' is neutral; 'The
buses are rubbish' is negative; 'Thank you for the free parking' is positive").

    PYTHONPATH=src python benchmarks/tone_reader.py            # score
    PYTHONPATH=src python benchmarks/tone_reader.py --record   # and add to docs/benchmarks.md
"""

from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

from _record import markdown_table, record
from sklearn.metrics import accuracy_score, cohen_kappa_score, f1_score  # type: ignore[import-untyped]

from upstream.signals.sentiment import sentiment

JUDGEMENTS = Path(__file__).resolve().parent / "data" / "tone_judgements.csv"
LABELS = ("negative", "neutral", "positive")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--record", action="store_true", help="append to docs/benchmarks.md")
    parser.add_argument("--note", default="", help="a sentence on what was measured")
    args = parser.parse_args()
    with JUDGEMENTS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    gold = [row["tone"].strip() for row in rows]
    said = [sentiment(row["text"]).label for row in rows]
    kappa = cohen_kappa_score(gold, said)
    table = markdown_table(
        [
            "texts",
            "agreement",
            "Cohen's κ",
            "macro-F1",
            *(f"{label} (reader / scorer)" for label in LABELS),
        ],
        [
            [
                str(len(rows)),
                f"{accuracy_score(gold, said):.3f}",
                f"{kappa:.3f}",
                f"{f1_score(gold, said, average='macro'):.3f}",
                *(f"{gold.count(label)} / {said.count(label)}" for label in LABELS),
            ]
        ],
    )
    print(table)
    if args.record:
        record(
            "Tone of short replies against a reader (`tone_reader.py`)",
            f"{args.note}\n\n{table}\n".lstrip(),
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
