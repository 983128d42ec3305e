"""Stand-in readers for theme names: how well items sit under the names, with and without matching.

A person's reader test (``themes_reader.py``) is the measure; this script is the
quick check used to choose the rule that moves items to the theme whose name
they match (``upstream.themes.name_fit``). Two stand-in readers see only the
names and each themed item:

* *literal*: places an item under the name most of whose content words it uses
  (at least half), or nowhere (``upstream.themes.readability.name_agreement``);
* *USE*: places an item under the name nearest to it in another text model (the
  Universal Sentence Encoder, not the MiniLM the themes are found with) when the
  cosine is at least ``--tau``, else under "Other comments" when there is one.

Reported per file: themes, agreement of each reader with the tool (share of all
themed items), and the share of items in "Other comments".

Run from the repository root::

    PYTHONPATH=src python benchmarks/themes_name_fit.py FILE[:TEXT_COLUMN] ... [--seed 3]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np


def _texts(path: Path, column: str | None) -> list[str]:
    """The texts of a file exactly as a theme run sees them (spam and abuse set aside)."""
    from upstream.store import Store
    from upstream.workflows.ingest import ImportOptions, import_file
    from upstream.workflows.themes import set_aside, theme_items

    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "x.db") as store:
        options = ImportOptions(workspace="names", text_column=column)
        imported = import_file(store, path, options, track_rows=True)
        items = theme_items(
            store.workspace("names"), [r.item_id for r in imported.rows if r.item_id is not None]
        )
        kept, _ = set_aside(items)
        return [item.text for item in kept]


def _use_reader(texts: list[str], labels: np.ndarray, names: list[str], tau: float) -> float:
    from upstream.embed import USEEmbedder
    from upstream.themes.labels import OTHER_LABEL

    other = [n for n, name in enumerate(names) if name == OTHER_LABEL]
    subjects = [n for n in range(len(names)) if n not in other]
    themed = np.flatnonzero(labels >= 0)
    model = USEEmbedder()
    sims = model.embed([texts[i] for i in themed]) @ model.embed([names[n] for n in subjects]).T
    placed = np.where(
        sims.max(axis=1) >= tau,
        np.asarray(subjects)[sims.argmax(axis=1)],
        other[0] if other else -1,
    )
    return float(np.mean(placed == labels[themed]))


def main() -> None:
    """Print both readers' agreement with matching to names off and on."""
    from upstream.embed import MiniLMEmbedder
    from upstream.themes import ThemeDiscovery
    from upstream.themes.labels import OTHER_LABEL
    from upstream.themes.readability import name_agreement

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", help="FILE or FILE:TEXT_COLUMN")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--tau", type=float, default=0.15)
    args = parser.parse_args()
    print("| file | matching | themes | literal reader | USE reader | Other comments |")
    print("|---|---|---|---|---|---|")
    for spec in args.files:
        path, _, column = spec.partition(":")
        texts = _texts(Path(path), column or None)
        vectors = MiniLMEmbedder().embed(texts)
        for match in (False, True):
            found = ThemeDiscovery(seed=args.seed, match_names=match).fit(texts, vectors=vectors)
            names = [theme.label for theme in found.themes_]
            labels = found.labels_
            other = sum(t.size for t in found.themes_ if t.label == OTHER_LABEL) / len(texts)
            print(
                f"| {Path(path).name} | {'on' if match else 'off'} | {len(names)} "
                f"| {name_agreement(texts, labels.tolist(), names):.1%} "
                f"| {_use_reader(texts, labels, names, args.tau):.1%} | {other:.1%} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
