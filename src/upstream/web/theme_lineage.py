"""Where theme numbers went from run to run, as the theme pages tell it.

Each run keeps its lineage in its summary (0-based numbers): which numbers
were merged into which theme, and which themes split off which. These helpers
read it and put it in the numbers people see (counting from 1).
"""

from __future__ import annotations

from collections import defaultdict

from upstream.records.stored import RunRecord
from upstream.records.wording import listed
from upstream.store import Workspace
from upstream.store.theme_repository import StoredTheme, ThemeStore


def lineage(run: RunRecord) -> tuple[dict[int, int], dict[int, int]]:
    """A run's lineage (0-based numbers): numbers merged into a theme, and parts' origins."""
    kept = run.summary.get("lineage") or {}
    merged = {int(k): int(v) for k, v in (kept.get("merged_into") or {}).items()}
    came = {int(k): int(v) for k, v in (kept.get("came_from") or {}).items()}
    return merged, came


def newest_holder(
    workspace: Workspace, newest: RunRecord, number: int
) -> tuple[dict[int, StoredTheme], StoredTheme | None]:
    """The newest run's top-level themes by number, and the one now holding theme ``number``.

    That is the theme with the number, or the theme it was merged into.
    """
    top = {t.number: t for t in ThemeStore(workspace).themes(newest.id) if t.parent_number is None}
    merged, _ = lineage(newest)
    return top, top.get(number if number in top else merged.get(number, -1))


def missing_numbers(themes: list[StoredTheme], run: RunRecord) -> list[dict[str, str]]:
    """Numbers given before that no theme of the run has, each with where it went.

    Each is ``{"code": "8", "into": "7"}`` (as people read numbers); ``into``
    is ``""`` when the theme was not found again rather than merged.
    """
    numbers = {t.number for t in themes if t.parent_number is None}
    merged, _ = lineage(run)
    given = run.summary.get("next_number")
    highest = int(given) if isinstance(given, int) else max(numbers, default=-1) + 1
    return [
        {"code": str(n + 1), "into": str(merged[n] + 1) if n in merged else ""}
        for n in range(highest)
        if n not in numbers
    ]


def split_parts(themes: list[StoredTheme], run: RunRecord, origin: int) -> list[StoredTheme]:
    """The run's top-level themes that split off theme ``origin`` (0-based), by number."""
    _, came = lineage(run)
    return sorted(
        (t for t in themes if t.parent_number is None and came.get(t.number) == origin),
        key=lambda t: t.number,
    )


def parts_of(themes: list[StoredTheme], run: RunRecord) -> list[dict[str, str]]:
    """Themes that split off another, as people read the numbers: ``{"origin": "4", ...}``."""
    _, came = lineage(run)
    present = {t.number for t in themes if t.parent_number is None}
    parts: dict[int, list[int]] = defaultdict(list)
    for number, origin in sorted(came.items()):
        if number in present:
            parts[origin].append(number + 1)
    return [
        {"origin": str(origin + 1), "parts": and_list(found), "many": "s" if len(found) > 1 else ""}
        for origin, found in sorted(parts.items())
    ]


def and_list(numbers: list[int]) -> str:
    """``"12"``, ``"12 and 13"``, ``"12, 13 and 14"``."""
    return listed([str(n) for n in numbers])


def split_from(themes: list[StoredTheme], run: RunRecord) -> dict[int, str]:
    """The themes that split off another, by row id: the other's number as people read it."""
    _, came = lineage(run)
    return {
        t.id: str(came[t.number] + 1)
        for t in themes
        if t.parent_number is None and t.number in came
    }
