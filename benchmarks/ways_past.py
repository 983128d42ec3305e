"""Ways past a barrier on the demo: does each suggested quote show one?

Builds the demo as ``upstream demo`` does (default text model), then lists
every quote an organisation page offers under "Peers whose evidence shows a
way past its barriers", with the barrier it is offered for. A reader marks
each (barrier, quote) pair in ``benchmarks/data/ways_past_judgements.csv``
(column ``shows_way_past``: yes or no, judged from the barrier's title and the
quote alone, without seeing the codes); the share of yes is the figure. The
question put to the reader: does the quote tell of something an organisation
has done, does or has in place that gets past or around that barrier, even
partly? A wish, request or suggestion of what should happen is "no", as are
the barrier itself, another problem and another subject.

    PYTHONPATH=src python benchmarks/ways_past.py            # list and score
    PYTHONPATH=src python benchmarks/ways_past.py --record   # and add to docs/benchmarks.md

Pairs not yet judged are written to ``ways_past_unjudged.csv`` beside the
judgements, for the reader to mark and append.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

from _demo import demo_workspace
from _record import markdown_table, record

from upstream.store.repository import Workspace
from upstream.workflows.network.peers import network_evidence, peers_with_enablers

DATA = Path(__file__).resolve().parent / "data"
JUDGEMENTS = DATA / "ways_past_judgements.csv"
UNJUDGED = DATA / "ways_past_unjudged.csv"
FIELDS = ["barrier", "item_id", "quote", "shows_way_past"]


def suggested(embedder: str, keep: Path | None) -> list[dict[str, str]]:
    """Every (organisation, barrier, peer, enabler, quote) the organisation pages offer."""
    with demo_workspace(embedder, keep) as workspace:
        return _offered(workspace)


def _offered(workspace: Workspace) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    evidence = network_evidence(workspace)
    visible = set(evidence.items)
    for organisation in evidence.patterns.organisations:
        for match in peers_with_enablers(evidence, organisation, visible):
            for quote in match.quotes:
                rows.append(
                    {
                        "organisation": organisation,
                        "barrier": evidence.info(match.barrier or "").title,
                        "peer": match.peer,
                        "enabler": evidence.info(match.codes[0]).title,
                        "item_id": str(quote.item_id),
                        "quote": quote.text,
                    }
                )
    return rows


def read_judgements(path: Path = JUDGEMENTS) -> dict[tuple[str, str], bool]:
    """The reader's marks, by (barrier title, item id)."""
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {
            (row["barrier"], row["item_id"]): row["shows_way_past"].strip().lower() == "yes"
            for row in csv.DictReader(handle)
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embedder", default="default")
    parser.add_argument("--record", action="store_true", help="append to docs/benchmarks.md")
    parser.add_argument("--db", type=Path, help="keep the demo store here and reuse it")
    parser.add_argument(
        "--judgements",
        type=Path,
        default=JUDGEMENTS,
        help="a reader's marks (default: a blind reader's, to the question above; "
        "benchmarks/data/ways_past_blind_reader.csv holds an earlier reader's, who counted "
        "asks as ways past)",
    )
    args = parser.parse_args()
    started = time.perf_counter()
    rows = suggested(args.embedder, args.db)
    judged = read_judgements(args.judgements)
    missing = [r for r in rows if (r["barrier"], r["item_id"]) not in judged]
    if missing:
        with UNJUDGED.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, FIELDS, extrasaction="ignore")
            writer.writeheader()
            unique = {(r["barrier"], r["item_id"]): r for r in missing}
            writer.writerows({**r, "shows_way_past": ""} for r in unique.values())
        print(f"{len(missing)} suggested quotes not judged yet: see {UNJUDGED}")
    by_org: dict[str, list[bool]] = {}
    for row in rows:
        mark = judged.get((row["barrier"], row["item_id"]))
        if mark is not None:
            by_org.setdefault(row["organisation"], []).append(mark)
        print(
            f"{row['organisation']} | {row['barrier']} <- {row['peer']} ({row['enabler']}): "
            f"{'yes' if mark else 'no' if mark is not None else '?'} | {row['quote']}"
        )
    marks = [m for ms in by_org.values() for m in ms]
    pairs = {(r["barrier"], r["item_id"]) for r in rows}
    total = f"{sum(marks)} of {len(marks)} ({100 * sum(marks) / max(1, len(marks)):.0f}%)"
    print(f"\nShows a way past: {total}; {len(pairs)} distinct (barrier, quote) pairs")
    print(f"{time.perf_counter() - started:.0f} s")
    if args.record and not missing:
        table = markdown_table(
            ["organisation", "quotes that show a way past"],
            [
                [org, f"{sum(ms)} of {len(ms)} ({100 * sum(ms) / len(ms):.0f}%)"]
                for org, ms in sorted(by_org.items())
            ]
            + [["every organisation", total]],
        )
        record(
            '"Ways past a barrier" on the demo, every organisation page (`ways_past.py`)',
            f"The demo (`upstream demo`, {args.embedder} text model). Every quote offered on "
            "any organisation page as a peer's way past one of its barriers, marked by a "
            "reader from the barrier's title and the quote alone "
            f"(`benchmarks/data/{args.judgements.name}`).\n\n{table}\n",
        )
    return 0 if not missing else 1


if __name__ == "__main__":
    sys.exit(main())
