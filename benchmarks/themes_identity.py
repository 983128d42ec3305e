"""Theme identity: do numbers and people's edits stay with their themes?

A person finds themes in 80% of the replies, then in 90% as more arrive (the
run refines the first one's themes), renames the largest theme,
merges the third and fifth largest, and splits the second largest in two, each through
the workflows the web app uses (every edit is stored and the run redone).
Then the rest of the replies arrive and the themes are found again, as a
workspace does. For each sample the table says:

* how many themes an edit did not touch kept their number through the edits
  (the target is all of them), and how many kept exactly their items;
* how many themes of the edited run are found again with the same number once
  the new replies are in (matched by the theme that holds most of their items);
* how many themes nobody edited keep their name once the new replies are in;
* how many of the three edits the new run re-applied;
* the adjusted Rand index between the edited run and the new run on the items
  they share.

Evidence: the town comments (``benchmarks/data/town_comments.csv``) and the
demo's consultation replies. Run from the repository root::

    PYTHONPATH=src python benchmarks/themes_identity.py [--samples 3] [--record]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.metrics import adjusted_rand_score

from upstream.store import Store
from upstream.store.repository import Workspace
from upstream.store.theme_repository import StoredTheme, ThemeStore
from upstream.themes.labels import OTHER_LABEL
from upstream.workflows.ingest import ImportOptions, import_file
from upstream.workflows.theme_edits import merge_themes, split_theme
from upstream.workflows.themes import ThemeSettings, find_themes, theme_items

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _record import markdown_table, record  # noqa: E402

ROOT = HERE.parent
EVIDENCE = {
    "Town comments": HERE / "data" / "town_comments.csv",
    "Demo replies": ROOT / "src" / "upstream" / "demo" / "data" / "consultation_replies.csv",
}


@dataclass
class Outcome:
    """What one sample showed."""

    untouched_kept: int
    untouched_same: int
    untouched: int
    carried: int
    themes: int
    names_kept: int
    unedited: int
    edits_applied: int
    edits: int
    ari: float


def top_level(workspace: Workspace) -> list[StoredTheme]:
    """The newest run's top-level themes."""
    return [t for t in ThemeStore(workspace).themes() if t.parent_number is None]


def holder(themes: list[StoredTheme], members: set[int]) -> StoredTheme | None:
    """The theme holding most of ``members``."""
    best = max(themes, key=lambda t: len(members & set(t.item_ids)), default=None)
    return best if best is not None and members & set(best.item_ids) else None


def one_sample(path: Path, seed: int) -> Outcome:
    """Theme 90%, edit, add the rest, theme again; measure what stayed."""
    with tempfile.TemporaryDirectory() as folder, Store(Path(folder) / "b.db") as store:
        import_file(store, path, ImportOptions(workspace="Bench", text_column="text"))
        workspace = store.workspace("Bench")
        everything = theme_items(workspace)
        rng = np.random.default_rng(seed)
        order = rng.permutation(len(everything))
        # Replies arrive in instalments: the themes of the first 80% are refined when
        # the next 10% arrive, and the person edits those refined themes.
        earliest = sorted(order[: int(0.8 * len(everything))].tolist())
        first = sorted(order[: int(0.9 * len(everything))].tolist())
        settings = ThemeSettings(seed=seed)
        find_themes(workspace, [everything[i] for i in earliest], settings, actor="bench")
        find_themes(workspace, [everything[i] for i in first], settings, actor="bench")
        before = top_level(workspace)
        themes = ThemeStore(workspace)
        run = themes.latest_run()
        assert run is not None
        ordinary = sorted(
            (t for t in before if t.label != OTHER_LABEL), key=lambda t: (-t.size, t.number)
        )
        renamed, to_split, merged = ordinary[0], ordinary[1], [ordinary[2], ordinary[4]]
        themes.rename(renamed, "Renamed by a person", actor="bench")
        merge_themes(workspace, run, merged, "Merged by a person", actor="bench")
        run = themes.latest_run()
        assert run is not None
        after_merge = top_level(workspace)
        split = holder(after_merge, set(to_split.item_ids))
        assert split is not None
        split_theme(workspace, run, split, 2, ["Split part one", "Split part two"], actor="bench")
        edited = top_level(workspace)
        touched = {renamed.id, to_split.id, *(t.id for t in merged)}
        untouched = [t for t in before if t.id not in touched]
        kept = sum(
            1
            for t in untouched
            if (now := holder(edited, set(t.item_ids))) is not None and now.number == t.number
        )
        by_number = {t.number: set(t.item_ids) for t in edited}
        same = sum(1 for t in untouched if by_number.get(t.number) == set(t.item_ids))
        find_themes(workspace, everything, settings, actor="bench")
        latest = themes.latest_run()
        assert latest is not None
        again = top_level(workspace)
        carried = sum(
            1
            for t in edited
            if (now := holder(again, set(t.item_ids))) is not None and now.number == t.number
        )
        unedited = [t for t in edited if not t.details.get("edited")]
        labels = {t.number: t.label for t in again}
        names_kept = sum(1 for t in unedited if labels.get(t.number) == t.label)
        applied = len(latest.summary.get("edits_applied") or [])
        of_edited = {i: t.number for t in edited for i in t.item_ids}
        of_again = {i: t.number for t in again for i in t.item_ids}
        shared = sorted(set(of_edited) & set(of_again))
        ari = adjusted_rand_score([of_edited[i] for i in shared], [of_again[i] for i in shared])
        return Outcome(
            kept, same, len(untouched), carried, len(edited), names_kept, len(unedited), applied, 3,
            float(ari),
        )  # fmt: skip


def main() -> None:
    """Print the table; with ``--record``, add it to ``docs/benchmarks.md``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=3)
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args()
    rows = []
    started = time.perf_counter()
    for name, path in EVIDENCE.items():
        outcomes = [one_sample(path, seed) for seed in range(args.samples)]
        for seed, o in enumerate(outcomes):
            print(name, seed, o, flush=True)

        def total(part: str, whole: str, of: list[Outcome] = outcomes) -> str:
            return f"{sum(getattr(o, part) for o in of)} of {sum(getattr(o, whole) for o in of)}"

        rows.append(
            [
                name,
                str(args.samples),
                total("untouched_kept", "untouched"),
                total("untouched_same", "untouched"),
                total("carried", "themes"),
                total("names_kept", "unedited"),
                total("edits_applied", "edits"),
                f"{np.mean([o.ari for o in outcomes]):.2f}",
            ]
        )
    header = [
        "Evidence",
        "Samples",
        "Untouched themes keeping their number through the edits",
        "Untouched themes keeping exactly their items",
        "Edited run's themes found again with the same number",
        "Unedited themes keeping their name",
        "Edits re-applied",
        "ARI, edited run vs new run",
    ]
    table = markdown_table(header, rows)
    print(table)
    print(f"({time.perf_counter() - started:.0f} s)")
    if args.record:
        record(
            "Theme identity through edits and new evidence (`themes_identity.py`)",
            table + "\n\nEach sample themes 90% of the replies, renames the largest theme, merges "
            "the third and fifth largest and splits the second largest through the web app's "
            "workflows, then themes all the replies again.",
        )


if __name__ == "__main__":
    main()
