"""Does "not relevant to this framework" teach the coder? Town comments, simulated review.

Data: ``benchmarks/data/town_comments.csv`` and its writer's subject for each
reply (``town_comments_subjects.csv``). The codebook has one code per subject,
titled by the subject; "off-topic" and "the consultation itself" have no code,
so a reply on them should be left uncoded.

A simulated person decides ``--decisions`` replies picked at random (per seed):
a reply on a subject gets that subject's code, an off-topic one is marked "not
relevant" (an empty label). The coder is then fitted again, as "Retrain now"
does, in two ways: the not-relevant decisions given as they are (now), and
left out as if nobody had looked (before). Measured on the replies nobody
decided, among those the rules do not set aside as spam or off-topic (as the
tool does before coding): how many off-topic replies still get a code, how
many replies on a subject are coded and right, and how often the coder expects
its codes to be right (from its own held-out folds, once it learns from the
decisions) against how often they are, off-topic replies included.

    PYTHONPATH=src .venv/bin/python benchmarks/coding_no_code_fits.py [--seeds 5] [--record]
"""

from __future__ import annotations

import argparse
import csv
import random
from pathlib import Path

from _record import markdown_table, record

from upstream.coding.coder import FrameworkCoder
from upstream.embed import CachedEmbedder, InMemoryCache, get_embedder
from upstream.frameworks import Code, Codebook
from upstream.signals.flags import flag_items
from upstream.workflows.certainty import choose_for

DATA = Path(__file__).resolve().parent / "data"
NO_CODE = {"off-topic", "the consultation itself"}


def _load() -> tuple[list[str], list[str]]:
    with (DATA / "town_comments.csv").open(encoding="utf-8") as handle:
        texts = {row["id"]: row["text"] for row in csv.DictReader(handle)}
    with (DATA / "town_comments_subjects.csv").open(encoding="utf-8") as handle:
        subjects = {row["id"]: row["subject"] for row in csv.DictReader(handle)}
    ids = [i for i in texts if i in subjects]
    return [texts[i] for i in ids], [subjects[i] for i in ids]


def _codebook(subjects: list[str]) -> Codebook:
    names = sorted({s for s in subjects if s not in NO_CODE})
    codes = tuple(
        Code(f"s{n}", name[:1].upper() + name[1:], f"Replies about {name}.")
        for n, name in enumerate(names)
    )
    return Codebook("town", "Town subjects", "One code per subject.", "1", codes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--decisions", type=int, nargs="+", default=[20, 40])
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    texts, subjects = _load()
    book = _codebook(subjects)
    code_of = {code.title.lower(): code.id for code in book.codes}
    truth = [code_of.get(s.lower()) for s in subjects]
    set_aside = {n for n, flag in enumerate(flag_items(texts)) if flag.spam or flag.off_topic}
    embedder = CachedEmbedder(get_embedder("default"), InMemoryCache())
    rows: list[list[str]] = []
    for decided_count in args.decisions:
        totals = {"before": [0, 0, 0, 0, 0], "now": [0, 0, 0, 0, 0]}
        expected: dict[str, list[float]] = {"before": [], "now": []}
        for seed in range(args.seeds):
            order = list(range(len(texts)))
            random.Random(seed).shuffle(order)
            decided = set(order[:decided_count])
            for way in totals:
                labels: list[tuple[str, ...] | None] = []
                for n in range(len(texts)):
                    if n not in decided:
                        labels.append(None)
                    elif truth[n] is not None:
                        labels.append((str(truth[n]),))
                    else:
                        labels.append(() if way == "now" else None)
                coder = FrameworkCoder(book, embedder=embedder).fit(texts, labels)
                promised = choose_for(coder, threshold=float(coder.threshold)).expected_precision
                if promised is not None:
                    expected[way].append(promised)
                asked = [n for n in range(len(texts)) if n not in decided and n not in set_aside]
                results = coder.predict([texts[n] for n in asked])
                for n, result in zip(asked, results, strict=True):
                    count = totals[way]
                    if truth[n] is None:
                        count[0] += 1
                        count[1] += int(result.code is not None)
                    else:
                        count[2] += 1
                        count[3] += int(result.code is not None)
                        count[4] += int(result.code == truth[n])
        for way, (off, off_coded, on, on_coded, right) in totals.items():
            promised = expected[way]
            rows.append(
                [
                    str(decided_count),
                    way,
                    f"{off_coded:,} of {off:,} ({off_coded / max(off, 1):.1%})",
                    f"{on_coded / max(on, 1):.1%}",
                    f"{right / max(on_coded, 1):.3f}",
                    f"{sum(promised) / len(promised):.3f}" if promised else "not measured",
                    f"{right / max(on_coded + off_coded, 1):.3f}",
                ]
            )
    table = markdown_table(
        [
            "decisions",
            "not relevant decisions",
            "off-topic replies coded (all seeds)",
            "replies on a subject coded",
            "of those, right",
            "expected precision (held out)",
            "precision, off-topic included",
        ],
        rows,
    )
    print(table)
    if args.record:
        record(
            "A decision that no code fits, taught to the coder (`coding_no_code_fits.py`)",
            f"Town comments, {len(texts)} replies with the writer's subject, a code per subject, "
            f"default text model and threshold; {args.seeds} seeds of random decisions. "
            "'before': not-relevant decisions left out; 'now': given as empty labels.\n\n" + table,
        )


if __name__ == "__main__":
    main()
