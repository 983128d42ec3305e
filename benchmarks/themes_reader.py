"""Reader test of theme names: can a person sort items under the names alone?

A theme name is good when someone who has never seen the theme can tell which
items belong to it. This script prepares that test and scores it; it does not
play the reader.

Protocol
--------
1. Prepare a sheet (run from the repository root)::

       PYTHONPATH=src python benchmarks/themes_reader.py FILE --out DIR \\
           [--items 60] [--seed 0] [--text-column text] [--embedder default]

   This finds the themes in FILE exactly as ``upstream themes`` does (spam,
   abuse and off-topic replies set aside first), then samples ``--items``
   themed items at random with ``--seed`` and writes three files:

   * ``DIR/names.txt``: the theme names only, numbered, one a line. No
     keywords, descriptions, sizes or quotes: the names are what is tested.
   * ``DIR/items.csv``: ``id,text`` for the sampled items, in random order.
   * ``DIR/answer_key.csv``: ``id,theme`` (the tool's theme name per item).
     Keep it aside: the reader must not see it.

2. Give the reader ``names.txt`` and ``items.csv`` and these instructions:
   "For each item, write in a new column ``theme`` the name (or its number)
   from names.txt that the item belongs under. Leave it blank if none fits.
   Do not look anything up; take about as long as reading the item takes."
   The reader saves the result as ``reader.csv`` with columns ``id,theme``.
   Use a reader who did not build the tool or see its output, one reader per
   sheet; for several readers, prepare with the same seed and score each.

3. Score it::

       PYTHONPATH=src python benchmarks/themes_reader.py --score reader.csv \\
           --key DIR/answer_key.csv [--names DIR/names.txt]

   Reported: *agreement*, the share of all sampled items the reader placed
   under the tool's theme; Cohen's *kappa* between reader and tool over all
   items (an item left blank counts as its own answer, "none"), which
   discounts agreement expected by chance; and *placed*, the share of items
   the reader put under any name. Higher is better for all three; kappa above
   0.6 is usually read as substantial agreement.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import tempfile
from collections import Counter
from pathlib import Path

NONE = "(none)"


def _norm(name: str) -> str:
    return re.sub(r"\s+", " ", name).strip().casefold()


def prepare(
    path: Path,
    out: Path,
    *,
    items: int,
    seed: int,
    text_column: str | None,
    embedder: str,
) -> dict[str, int]:
    """Find the themes in ``path`` and write the reader's sheet and the answer key to ``out``.

    Returns:
        How many themes were named and how many items were sampled.
    """
    from upstream.store import Store
    from upstream.workflows.ingest import ImportOptions
    from upstream.workflows.themes import ThemeSettings, find_themes_in_file

    with (
        tempfile.TemporaryDirectory(prefix="upstream-reader-") as folder,
        Store(Path(folder) / "themes.db") as store,
    ):
        found = find_themes_in_file(
            store,
            path,
            ImportOptions(workspace="reader test", text_column=text_column),
            ThemeSettings(embedder=embedder, seed=seed),
            actor="reader test",
        )
        run = found.run
        labels = {t.id: t.label for t in run.discovery.themes_}
        theme_of = run.theme_of()
        themed = [
            (item.id, item.text, labels[theme_of[item.id]])
            for item in run.items
            if theme_of.get(item.id, -1) >= 0
        ]
    rng = random.Random(seed)
    sample = rng.sample(themed, min(items, len(themed)))
    out.mkdir(parents=True, exist_ok=True)
    names = [labels[number] for number in sorted(labels)]
    (out / "names.txt").write_text(
        "".join(f"{n}. {name}\n" for n, name in enumerate(names, start=1)), encoding="utf-8"
    )
    with (out / "items.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        writer.writerows([item_id, text] for item_id, text, _ in sample)
    with (out / "answer_key.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "theme"])
        writer.writerows([item_id, name] for item_id, _, name in sample)
    return {"themes": len(names), "items": len(sample)}


def _read(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {
            row["id"].strip(): (row.get("theme") or "").strip() for row in csv.DictReader(handle)
        }


def _names(path: Path | None) -> list[str]:
    if path is None or not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [re.sub(r"^\d+\.\s*", "", line) for line in lines if line.strip()]


def kappa(first: list[str], second: list[str]) -> float:
    """Cohen's kappa between two people's labels of the same items."""
    total = len(first)
    if total == 0:
        return 0.0
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / total
    one, two = Counter(first), Counter(second)
    expected = sum(one[c] * two[c] for c in one) / (total * total)
    return 1.0 if expected == 1 else (observed - expected) / (1 - expected)


def score(reader: Path, key: Path, names: Path | None = None) -> dict[str, float]:
    """Compare a reader's placements with the tool's themes.

    Args:
        reader: ``id,theme`` as the reader placed the items (blank = none fits).
        key: ``id,theme`` as the tool placed them.
        names: The numbered names, so the reader may answer with a number
            (``names.txt`` beside the key when not given).

    Returns:
        Items scored, agreement, kappa and the share placed.
    """
    truth = {item: _norm(name) for item, name in _read(key).items()}
    listed = _names(names if names is not None else key.with_name("names.txt"))
    numbered = {str(n): _norm(name) for n, name in enumerate(listed, start=1)}
    said = _read(reader)
    tool, person = [], []
    for item, name in truth.items():
        answer = said.get(item, "")
        answer = numbered.get(answer.rstrip("."), _norm(answer)) if answer else NONE
        tool.append(name)
        person.append(answer)
    total = len(tool)
    agree = sum(a == b for a, b in zip(tool, person, strict=True))
    placed = sum(p != NONE for p in person)
    return {
        "items": float(total),
        "agreement": agree / total if total else 0.0,
        "kappa": kappa(tool, person),
        "placed": placed / total if total else 0.0,
    }


def main(argv: list[str] | None = None) -> int:
    """Prepare a reader's sheet, or score a reader's answers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, help="File of evidence to theme.")
    parser.add_argument("--out", type=Path, help="Folder for names.txt, items.csv, answer_key.csv.")
    parser.add_argument("--items", type=int, default=60, help="Items to sample.")
    parser.add_argument("--seed", type=int, default=0, help="Seed for the themes and the sample.")
    parser.add_argument("--text-column", default=None, help="Column holding the text.")
    parser.add_argument("--embedder", default="default", help="Embedding model.")
    parser.add_argument("--score", type=Path, help="The reader's answers (id,theme) to score.")
    parser.add_argument("--key", type=Path, help="The answer key written when preparing.")
    parser.add_argument("--names", type=Path, help="names.txt, to accept numbered answers.")
    args = parser.parse_args(argv)
    if args.score is not None:
        if args.key is None:
            parser.error("--score needs --key DIR/answer_key.csv")
        result = score(args.score, args.key, args.names)
        print(
            f"{int(result['items'])} items: agreement {result['agreement']:.1%}, "
            f"Cohen's kappa {result['kappa']:.2f}, placed {result['placed']:.1%}"
        )
        return 0
    if args.file is None or args.out is None:
        parser.error("give a FILE and --out DIR to prepare, or --score to score")
    made = prepare(
        args.file,
        args.out,
        items=args.items,
        seed=args.seed,
        text_column=args.text_column,
        embedder=args.embedder,
    )
    print(
        f"Wrote {args.out}/names.txt ({made['themes']} names), items.csv ({made['items']} items) "
        "and answer_key.csv (keep it from the reader)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
