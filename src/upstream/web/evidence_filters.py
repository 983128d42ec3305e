"""The evidence browser's filter choices, worked out once per person's view and data version.

Every page of the evidence browser offers the same pickers (organisations,
sources, their columns, codes, themes, evidence types). Reading them costs six
database queries, more than the page of items itself, so they are kept per
workspace, visibility scope and data version: new evidence, a run or an audited
edit makes a new key, and a person never sees choices from outside their scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from fastapi import Request

from upstream.store.theme_repository import ThemeStore
from upstream.store.theme_visibility import theme_as_seen
from upstream.web.evidence_types import sources_by_type
from upstream.web.permissions import Actor
from upstream.web.settings import services

__all__ = ["FilterChoices", "code_ids", "filter_choices"]


@dataclass(frozen=True)
class FilterChoices:
    """What the evidence browser's pickers offer one person.

    Attributes:
        by_type: The workspace's source ids for each evidence type it holds.
        organisations: Organisation names (none for contributors).
        sources: ``(id, name)`` of the sources the person can see items of, one
            per name as shown: a roundtable keeps each participant's notes as a
            source of its own, but people choose the roundtable.
        source_groups: For a choice that stands for several sources, its id ->
            every source id shown under that name.
        attributes: Column names kept from those sources.
        codes: ``(id, "framework: code")`` choices.
        themes: ``(id, label)`` choices.
    """

    by_type: dict[str, tuple[int, ...]]
    organisations: tuple[str, ...]
    sources: tuple[tuple[int, str], ...]
    source_groups: dict[int, tuple[int, ...]]
    attributes: tuple[str, ...]
    codes: tuple[tuple[int, str], ...]
    themes: tuple[tuple[int, str], ...]


def filter_choices(request: Request, actor: Actor, version: tuple[int, ...]) -> FilterChoices:
    """The pickers for ``actor``, from the app's cache when the data has not changed.

    Args:
        request: The request (for the app's caches).
        actor: The signed-in person in this workspace.
        version: The workspace's data version (:meth:`ScopedEvidence.data_version`).

    Returns:
        The choices; contributors, who see only their own submissions, get no
        organisation, source, code or theme choices.
    """
    evidence = actor.evidence
    contributor = actor.own_submissions_only
    key = (actor.workspace.id, evidence.scope, contributor, version)

    def build() -> FilterChoices:
        sources = () if contributor else tuple(evidence.sources())
        choices, groups = _one_per_name(sources)
        return FilterChoices(
            by_type=sources_by_type(actor.workspace),
            organisations=() if contributor else tuple(evidence.organisation_names()),
            sources=choices,
            source_groups=groups,
            attributes=tuple(evidence.attribute_names([i for i, _ in sources] or None)),
            codes=() if contributor else tuple(evidence.code_choices()),
            themes=() if contributor else _theme_choices(actor),
        )

    return cast(FilterChoices, services(request).caches.filters.get_or_build(key, build))


def _one_per_name(
    sources: tuple[tuple[int, str], ...],
) -> tuple[tuple[tuple[int, str], ...], dict[int, tuple[int, ...]]]:
    by_name: dict[str, list[int]] = {}
    for source_id, name in sources:
        by_name.setdefault(name, []).append(source_id)
    choices = tuple((ids[0], name) for name, ids in by_name.items())
    groups = {ids[0]: tuple(ids) for ids in by_name.values() if len(ids) > 1}
    return choices, groups


def _theme_choices(actor: Actor) -> tuple[tuple[int, str], ...]:
    """The theme picker's choices, named as the themes page names them for this person.

    A theme's stored name may come from words in items this person may not see;
    the themes page then names it from the words they may see, and so does the
    picker. Such a person is offered the newest run's themes, the ones that page
    shows (older runs' names would each need the same reading).
    """
    evidence = actor.evidence
    if evidence.scope.see_all:
        return tuple(evidence.theme_choices())
    allowed = {theme_id for theme_id, _ in evidence.theme_choices()}
    # Each theme, then its sub-themes.
    themes = sorted(
        ThemeStore(actor.workspace).themes(),
        key=lambda t: (
            t.number if t.parent_number is None else t.parent_number,
            t.parent_number is not None,
            t.number,
        ),
    )
    # Each theme is read once: a sub-theme's parent holds its items, so is allowed too.
    shown = {t.id: theme_as_seen(t, evidence).label for t in themes if t.id in allowed}
    parents = {t.number: shown[t.id] for t in themes if t.parent_number is None and t.id in shown}
    choices = []
    for theme in themes:
        if theme.id not in shown:
            continue
        label = shown[theme.id]
        if theme.parent_number is not None:
            label = f"{parents.get(theme.parent_number, '')} › {label}"
        choices.append((theme.id, f"Run {theme.run_id}: {label}"))
    return tuple(choices)


def code_ids(
    request: Request, actor: Actor, framework: str, version: tuple[int, ...]
) -> dict[str, int]:
    """The ids of a framework's codes by key (for links to their evidence), kept per data version.

    Code ids say nothing about any item, so they are kept per workspace, not per scope.
    """
    key = (actor.workspace.id, framework, version)
    return services(request).caches.code_ids.get_or_build(
        key, lambda: actor.evidence.code_ids(framework)
    )
