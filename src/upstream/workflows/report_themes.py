"""The report's themes section: themes found in the evidence, with sizes and quotes.

Themes come from the newest finished theme run
(:class:`upstream.store.theme_repository.ThemeStore`); only top-level themes
are reported. When the report is limited to what one reader may see, sizes
count only visible items and quotes come only from visible items.
"""

from __future__ import annotations

from collections.abc import Sequence

from upstream.policy import Quote
from upstream.records.stored import ItemRecord
from upstream.reports.model import ThemeSummary
from upstream.reports.quotes import quote
from upstream.store import Workspace
from upstream.store.theme_visibility import seen_words

QUOTES_PER_THEME = 2
MAX_THEMES = 12


def themes_section(
    workspace: Workspace, items: Sequence[ItemRecord] | None = None
) -> list[ThemeSummary]:
    """Themes of the newest theme run, largest first, with a few quotes each.

    Args:
        workspace: The workspace the report is about.
        items: The items the reader may see (every item when None).

    Returns:
        Up to 12 top-level themes; empty when no themes have been found yet.
    """
    from upstream.store.theme_repository import ThemeStore  # loads theme code only when needed

    stored = [t for t in ThemeStore(workspace).themes() if t.parent_number is None]
    if not stored:
        return []
    pool = list(items) if items is not None else workspace.items()
    visible = {item.id: item for item in pool}
    kinds = {source.id: source.kind for source in workspace.sources()}
    found: list[ThemeSummary] = []
    for theme in stored:
        members = [i for i in theme.item_ids if i in visible]
        if not members:
            continue
        quotes: list[Quote] = []
        for entry in theme.details.get("quotes", []):
            item = visible.get(int(entry.get("item_id", -1)))
            if item is not None and len(quotes) < QUOTES_PER_THEME:
                similarity = float(entry.get("similarity", 0.0) or 0.0)
                quotes.append(quote(item, similarity, "machine", kinds))
        label, keywords = theme.label, list(theme.keywords)
        if len(members) < len(set(theme.item_ids)):
            # Words drawn from items this reader may not see stay out of the report.
            edited = set(theme.details.get("edited") or [])
            label, keywords = seen_words(
                label,
                keywords,
                (visible[i].text for i in members),
                person_named=bool({"renamed", "merged"} & edited),
            )
        found.append(
            ThemeSummary(
                label=label,
                size=len(members),
                quotes=quotes,
                keywords=[str(k) for k in keywords[:8]],
            )
        )
    found.sort(key=lambda t: -t.size)
    return found[:MAX_THEMES]


__all__ = ["themes_section"]
