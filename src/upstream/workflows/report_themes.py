"""The report's themes section: themes found in the evidence, with sizes and quotes.

Themes come from the newest finished theme run
(:class:`upstream.store.theme_repository.ThemeStore`): each top-level theme
with its description, quotes and the names and sizes of its sub-themes (in a
reader test, people placed comments under the right theme more often when
they saw its sub-themes). When the report is limited to what one reader may
see, sizes count only visible items, quotes come only from visible items, and
names and descriptions keep only words those items bear out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from upstream.policy import Quote, covering
from upstream.records.stored import ItemRecord
from upstream.records.themes import listing_order
from upstream.reports.checks import count_shown
from upstream.reports.evidence import named_roles
from upstream.reports.model import PRIVATE_NAME, SubThemeSummary, ThemeSummary
from upstream.reports.quotes import quote
from upstream.signals.repeats import repeated_items
from upstream.store import Workspace
from upstream.store.theme_visibility import UNNAMED, seen_description, seen_words

if TYPE_CHECKING:
    from upstream.store.theme_repository import StoredTheme

QUOTES_PER_THEME = 2


def themes_section(
    workspace: Workspace,
    items: Sequence[ItemRecord] | None = None,
    *,
    quotable: Sequence[ItemRecord] | None = None,
    nameable: Sequence[ItemRecord] | None = None,
    stored: Sequence[StoredTheme] | None = None,
) -> list[ThemeSummary]:
    """Themes of the newest theme run, largest first, with a few quotes each.

    Args:
        workspace: The workspace the report is about.
        items: The items the reader may see (every item when None).
        quotable: The items whose words may be quoted (every visible item when None).
        nameable: The items, of the whole run, whose words may name a theme (those
            in ``quotable`` when None). An organisation's report quotes only its
            own items, but a theme named from what other organisations shared with
            the network keeps that name.
        stored: The newest run's stored themes, when the caller has read them.

    Returns:
        Every top-level theme (a report that left some out would not say what the
        rest hold); empty when no themes have been found yet.
    """
    every = list(stored) if stored is not None else newest_themes(workspace)
    stored = [t for t in every if t.parent_number is None]
    if not stored:
        return []
    children: dict[int, list[StoredTheme]] = {}
    for theme in every:
        if theme.parent_number is not None:
            children.setdefault(theme.parent_number, []).append(theme)
    pool = list(items) if items is not None else workspace.items()
    visible = {item.id: item for item in pool}
    may_quote = visible if quotable is None else {item.id: item for item in quotable}
    may_name = may_quote if nameable is None else {item.id: item for item in nameable}
    kinds = {source.id: source.kind for source in workspace.sources()}
    roles = named_roles(visible.values())
    found: list[ThemeSummary] = []
    for theme in stored:
        members = [i for i in theme.item_ids if i in visible]
        if not members:
            continue
        quotes: list[Quote] = []
        for entry in theme.details.get("quotes", []):
            item = may_quote.get(int(entry.get("item_id", -1)))
            if item is not None and len(quotes) < QUOTES_PER_THEME:
                similarity = float(entry.get("similarity", 0.0) or 0.0)
                quotes.append(quote(item, similarity, "machine", kinds, roles))
        # A name is words too: it keeps only what the quotable members bear out.
        named = [i for i in theme.item_ids if i in may_name]
        label, keywords, description = _as_seen(theme, named, may_name)
        subthemes = []
        for child in children.get(theme.number, []):
            inside = [i for i in child.item_ids if i in visible]
            if inside:
                words = [i for i in child.item_ids if i in may_name]
                subthemes.append(SubThemeSummary(_as_seen(child, words, may_name)[0], len(inside)))
        subthemes.sort(key=lambda s: listing_order(s.label, s.size))
        hidden = covering(dict(enumerate(s.size for s in subthemes)))
        subthemes = [replace(s, covered=n in hidden) for n, s in enumerate(subthemes)]
        found.append(
            ThemeSummary(
                label=label,
                size=len(members),
                quotes=quotes,
                keywords=[str(k) for k in keywords[:8]],
                description=description,
                subthemes=subthemes,
                repeated=repeated_items([visible[i].text for i in members], range(len(members))),
                reactions=_reactions([visible[i] for i in members]),
                code=theme.code,
                edited=tuple(str(e) for e in theme.details.get("edited") or ()),
            )
        )
    # Largest first, as the app lists them, with the mixed subjects last: nobody raised them.
    found.sort(key=lambda t: listing_order(t.label, t.size))
    return found


def _reactions(items: Sequence[ItemRecord]) -> int | None:
    """Likes, reposts and other reactions on these items; None when none of them has any."""
    counted = [item.engagement for item in items if item.engagement]
    if not counted:
        return None
    return sum(int(v) for found in counted for v in found.values() if isinstance(v, int | float))


def themes_found_in(part: str) -> str:
    """The themes section's sentence on which evidence the themes were found in.

    Args:
        part: What :func:`themed_part` says of the report's items.

    Returns:
        For example "These themes were found in 188 items (consultation replies)
        from London Borough of Larkwell, not in all the evidence this report
        covers.", or "" when the themes cover all of it.
    """
    return (
        f"These themes were found in {part}, not in all the evidence this report covers."
        if part
        else ""
    )


def themed_part(
    workspace: Workspace,
    items: Sequence[ItemRecord],
    *,
    stored: Sequence[StoredTheme] | None = None,
) -> str:
    """Which of ``items`` the newest theme run grouped, in words, when not all of them.

    A theme run over one consultation's replies is that consultation's themes,
    not the network's: a reader of a report over all the evidence needs to know
    which. Only the report's own items are described (their kinds of evidence and
    organisations), so nothing is said of evidence the reader may not see.

    Args:
        workspace: The workspace.
        items: The items the report covers.
        stored: The newest run's stored themes, when the caller has read them.

    Returns:
        For example "188 items (consultation replies) from London Borough of
        Larkwell", or "" when the themes cover every kind of evidence and every
        organisation of the report (or there are no themes).
    """
    visible = {item.id: item for item in items}
    every = stored if stored is not None else newest_themes(workspace)
    themed = {i for t in every if t.parent_number is None for i in t.item_ids}
    members = [visible[i] for i in sorted(themed) if i in visible]
    if not members:
        return ""
    kinds = {source.id: source.kind or "items" for source in workspace.sources()}
    used_kinds = sorted({kinds.get(item.source_id, "items") for item in members})
    all_kinds = {kinds.get(item.source_id, "items") for item in visible.values()}
    organisations = sorted({item.organisation for item in members if item.organisation})
    all_organisations = {item.organisation for item in visible.values() if item.organisation}
    if set(used_kinds) == all_kinds and set(organisations) == all_organisations:
        return ""
    what = " and ".join(used_kinds)
    if not organisations or set(organisations) == all_organisations:
        where = ""
    elif len(organisations) <= 3:
        where = f" from {' and '.join(organisations)}"
    else:
        where = f" from {len(organisations)} organisations"
    return f"{count_shown(len(members), 'item')} ({what}){where}"


def themes_run_line(workspace: Workspace) -> str:
    """The sentence saying which theme run the report's themes come from.

    For example "They are the themes of run 7, found on 7 December 2026, with
    the numbers the web app shows them by."; "" before any theme run.
    """
    from upstream.store.theme_repository import ThemeStore

    run = ThemeStore(workspace).latest_run()
    if run is None:
        return ""
    day = run.finished_at or run.started_at
    return (
        f"They are the themes of run {run.id}, found on {day.day} {day:%B %Y}, "
        "with the numbers the web app shows them by."
    )


def newest_themes(workspace: Workspace) -> list[StoredTheme]:
    """The newest theme run's stored themes (top level and sub-themes)."""
    from upstream.store.theme_repository import ThemeStore  # loads theme code only when needed

    return ThemeStore(workspace).themes()


def _as_seen(
    theme: StoredTheme, members: Sequence[int], visible: dict[int, ItemRecord]
) -> tuple[str, list[object], str]:
    """Label, keywords and description, keeping only words the visible members bear out."""
    label, keywords, description = theme.label, list(theme.keywords), theme.description
    if len(members) < len(set(theme.item_ids)):
        # Words drawn from items this reader may not see, or that the report may not
        # quote, stay out of the report.
        texts = [visible[i].text for i in members]
        edited = set(theme.details.get("edited") or [])
        label, keywords = seen_words(
            label, keywords, texts, person_named=bool({"renamed", "merged"} & edited)
        )
        if label == UNNAMED:
            label = PRIVATE_NAME
        description = seen_description(description, texts) if description else ""
    return label, keywords, description


__all__ = [
    "PRIVATE_NAME",
    "newest_themes",
    "themed_part",
    "themes_found_in",
    "themes_run_line",
    "themes_section",
]
