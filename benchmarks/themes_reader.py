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

   With ``--subthemes`` the names are shown as a report shows them: each theme
   with its lettered sub-themes under it ("4b. Speed bumps"), and the reader
   writes the code of the sub-theme an item fits best, or the theme's number
   when it fits the theme but none of its sub-themes. Agreement is then scored
   on the theme (the top level, as without sub-themes) and on the sub-theme.

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
from string import ascii_lowercase

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
    subthemes: bool = False,
) -> dict[str, int]:
    """Find the themes in ``path`` and write the reader's sheet and the answer key to ``out``.

    Args:
        path: The evidence file.
        out: Folder for the sheet and the key.
        items: Items to sample.
        seed: Seed for the themes and the sample.
        text_column: Column holding the text.
        embedder: Embedding model.
        subthemes: List each theme's sub-themes under it, and key them too.

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
        themes = {t.id: t for t in run.discovery.themes_}
        theme_of = run.theme_of()
        position = {item.id: n for n, item in enumerate(run.items)}
        sublabels = run.discovery.sublabels_
        themed = []
        for item in run.items:
            number = theme_of.get(item.id, -1)
            if number < 0:
                continue
            children = {child.id: child.label for child in themes[number].subthemes}
            sub = children.get(int(sublabels[position[item.id]]), "") if subthemes else ""
            themed.append((item.id, item.text, themes[number].label, sub))
    rng = random.Random(seed)
    sample = rng.sample(themed, min(items, len(themed)))
    out.mkdir(parents=True, exist_ok=True)
    lines = []
    for n, number in enumerate(sorted(themes), start=1):
        lines.append(f"{n}. {themes[number].label}\n")
        if subthemes:
            for letter, child in zip(ascii_lowercase, themes[number].subthemes, strict=False):
                lines.append(f"   {n}{letter}. {child.label}\n")
    (out / "names.txt").write_text("".join(lines), encoding="utf-8")
    with (out / "items.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        writer.writerows([item_id, text] for item_id, text, _, _ in sample)
    with (out / "answer_key.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "theme", "subtheme"] if subthemes else ["id", "theme"])
        writer.writerows(
            [item_id, name, sub] if subthemes else [item_id, name]
            for item_id, _, name, sub in sample
        )
    return {"themes": len(themes), "items": len(sample)}


def _read(path: Path, column: str = "theme") -> dict[str, str]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return {
            row["id"].strip(): (row.get(column) or "").strip() for row in csv.DictReader(handle)
        }


_LISTED = re.compile(r"^\s*(\d+)([a-z]?)\.\s*(.*)$")


def _names(path: Path | None) -> dict[str, tuple[str, str]]:
    """Each code in names.txt ("4", "4b") and the (theme, sub-theme) names it stands for."""
    if path is None or not path.exists():
        return {}
    codes: dict[str, tuple[str, str]] = {}
    theme = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        found = _LISTED.match(line)
        if not found:
            continue
        number, letter, name = found.groups()
        if letter:
            codes[number + letter] = (theme, _norm(name))
        else:
            theme = _norm(name)
            codes[number] = (theme, "")
    return codes


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
        key: ``id,theme`` as the tool placed them (and ``subtheme`` on a sheet
            prepared with sub-themes).
        names: The numbered names, so the reader may answer with a number or a
            sub-theme's code (``names.txt`` beside the key when not given).

    Returns:
        Items scored, agreement, kappa and the share placed (all on the themes),
        and with sub-themes ``subtheme_agreement`` too.
    """
    truth = {item: _norm(name) for item, name in _read(key).items()}
    truth_sub = {item: _norm(name) for item, name in _read(key, "subtheme").items()}
    codes = _names(names if names is not None else key.with_name("names.txt"))
    said = _read(reader)
    tool, person, same_sub = [], [], 0
    for item, name in truth.items():
        answer = said.get(item, "")
        theme, sub = codes.get(answer.rstrip(".").lower(), (_norm(answer), ""))
        tool.append(name)
        person.append(theme if answer else NONE)
        same_sub += bool(answer) and theme == name and sub == truth_sub.get(item, "")
    total = len(tool)
    agree = sum(a == b for a, b in zip(tool, person, strict=True))
    placed = sum(p != NONE for p in person)
    result = {
        "items": float(total),
        "agreement": agree / total if total else 0.0,
        "kappa": kappa(tool, person),
        "placed": placed / total if total else 0.0,
    }
    if any(truth_sub.values()):
        result["subtheme_agreement"] = same_sub / total if total else 0.0
    return result


def main(argv: list[str] | None = None) -> int:
    """Prepare a reader's sheet, or score a reader's answers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, help="File of evidence to theme.")
    parser.add_argument("--out", type=Path, help="Folder for names.txt, items.csv, answer_key.csv.")
    parser.add_argument("--items", type=int, default=60, help="Items to sample.")
    parser.add_argument("--seed", type=int, default=0, help="Seed for the themes and the sample.")
    parser.add_argument("--text-column", default=None, help="Column holding the text.")
    parser.add_argument("--embedder", default="default", help="Embedding model.")
    parser.add_argument(
        "--subthemes", action="store_true", help="List each theme's sub-themes under it."
    )
    parser.add_argument("--score", type=Path, help="The reader's answers (id,theme) to score.")
    parser.add_argument("--key", type=Path, help="The answer key written when preparing.")
    parser.add_argument("--names", type=Path, help="names.txt, to accept numbered answers.")
    args = parser.parse_args(argv)
    if args.score is not None:
        if args.key is None:
            parser.error("--score needs --key DIR/answer_key.csv")
        result = score(args.score, args.key, args.names)
        extra = ""
        if "subtheme_agreement" in result:
            extra = f", sub-theme agreement {result['subtheme_agreement']:.1%}"
        print(
            f"{int(result['items'])} items: agreement {result['agreement']:.1%}, "
            f"Cohen's kappa {result['kappa']:.2f}, placed {result['placed']:.1%}{extra}"
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
        subthemes=args.subthemes,
    )
    print(
        f"Wrote {args.out}/names.txt ({made['themes']} names), items.csv ({made['items']} items) "
        "and answer_key.csv (keep it from the reader)."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
