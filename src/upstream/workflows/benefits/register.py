"""The benefits register: add benefits, link the evidence that explains them, read them back.

A benefit belongs to one organisation. An item may be linked to it only when it
is shared with the workspace or private to that same organisation, so one
organisation's private evidence is never attached to another's benefit. Reading
the register goes through the reader's :class:`Scope`, so each person sees only
the linked items (and theme words) they may see anyway.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Protocol

from upstream.benefits.rounding import pounds
from upstream.records.measures import (
    BENEFIT_CATEGORIES,
    BENEFIT_STATUSES,
    BenefitDraft,
    BenefitRecord,
    MeasurePoint,
)
from upstream.records.stored import ItemRecord
from upstream.store import Store
from upstream.store.account_models import Scope
from upstream.store.measure_repository import MeasureStore
from upstream.store.theme_repository import ThemeStore
from upstream.store.theme_visibility import theme_as_seen
from upstream.store.visibility import ScopedEvidence
from upstream.workflows.benefits.progress import MISSED, figures_say, target_date

__all__ = [
    "EVERYTHING",
    "BenefitView",
    "LinkedTheme",
    "RegisterError",
    "Valued",
    "add_benefit",
    "benefit_view",
    "link_item",
    "link_theme",
    "register",
    "remove_benefit",
    "update_benefit",
    "value_summary",
]

EVERYTHING = Scope(see_all=True)
"""The scope of the command line, which reads the whole store."""
HIDDEN_THEME = "A theme of items you cannot see"


class RegisterError(ValueError):
    """A benefit or a link that cannot be recorded, in plain English."""


@dataclass(frozen=True, slots=True)
class LinkedTheme:
    """A theme linked to a benefit, as the reader may see it.

    Attributes:
        id: The theme's id.
        label: Its label (or a note that its items cannot be seen).
        note: Why it was linked.
        visible: Whether the reader may see any of its items (and so open it).
    """

    id: int
    label: str
    note: str
    visible: bool = True


@dataclass(frozen=True, slots=True)
class BenefitView:
    """A benefit with what the reader may see of its links and its measure.

    Attributes:
        record: The benefit.
        items: Linked items the reader may see, with why each was linked.
        themes: Linked themes.
        hidden_links: Linked items the reader may not see (counted, never shown).
        latest_actual: The latest actual value of its measure, if stored.
        due: When its target falls due: its own date, else its measure's target date.
        figures_say: What its figures say, beside the owner's status ("" when
            they cannot say).
    """

    record: BenefitRecord
    items: tuple[tuple[ItemRecord, str], ...]
    themes: tuple[LinkedTheme, ...]
    hidden_links: int
    latest_actual: MeasurePoint | None
    due: date | None = None
    figures_say: str = ""

    @property
    def missed(self) -> bool:
        """Whether its figures say the target was missed (whatever its owner's status)."""
        return self.figures_say.startswith(MISSED)


def _check(draft: BenefitDraft) -> None:
    """Refuse a benefit that could not be read back or counted, in plain English."""
    if not draft.title.strip():
        raise RegisterError("Enter what the benefit is.")
    if not draft.organisation.strip():
        raise RegisterError("Enter the organisation whose benefit it is.")
    if draft.category not in BENEFIT_CATEGORIES:
        raise RegisterError(
            f"Category '{draft.category}' is not known; use one of "
            + ", ".join(BENEFIT_CATEGORIES)
            + "."
        )
    if draft.status not in BENEFIT_STATUSES:
        raise RegisterError(
            f"Status '{draft.status}' is not known; use one of " + ", ".join(BENEFIT_STATUSES) + "."
        )
    if draft.value is not None and not math.isfinite(draft.value):
        raise RegisterError("Enter the value as a number of pounds a year, like 16500.")


def add_benefit(store: Store, workspace: str, draft: BenefitDraft, *, actor: str) -> int:
    """Check a benefit and add it to the register; return its id.

    Raises:
        RegisterError: No title or organisation, an unknown category or status, or
            a value that is not a finite number of pounds.
    """
    _check(draft)
    return MeasureStore(store.workspace(workspace, create=True)).add_benefit(draft, actor=actor)


def update_benefit(
    store: Store, workspace: str, benefit_id: int, draft: BenefitDraft, *, actor: str
) -> None:
    """Record where a benefit stands now: its status, owner, target, date, value, words.

    Its organisation and measure stay as they were (links rest on them); the
    audit log keeps what changed and who changed it.

    Raises:
        RegisterError: No such benefit, or the new details fail :func:`add_benefit`'s checks.
    """
    measures = MeasureStore(store.workspace(workspace))
    record = _benefit(measures, benefit_id)
    _check(draft)
    kept = replace(draft, organisation=record.draft.organisation, series=record.draft.series)
    measures.update_benefit(benefit_id, kept, actor=actor)


def remove_benefit(store: Store, workspace: str, benefit_id: int, *, actor: str) -> str:
    """Take a benefit, and its links to evidence, out of the register; return its title.

    Raises:
        RegisterError: There is no such benefit in the workspace.
    """
    measures = MeasureStore(store.workspace(workspace))
    record = _benefit(measures, benefit_id)
    measures.remove_benefit(benefit_id, actor=actor)
    return record.draft.title


def _benefit(measures: MeasureStore, benefit_id: int) -> BenefitRecord:
    record = measures.benefit(benefit_id)
    if record is None:
        raise RegisterError(f"There is no benefit {benefit_id} in this workspace.")
    return record


def link_item(
    store: Store,
    workspace: str,
    benefit_id: int,
    item_id: int,
    *,
    actor: str,
    scope: Scope = EVERYTHING,
    note: str = "",
) -> int:
    """Link an item of evidence to a benefit; return the link's id.

    Args:
        store: The open store.
        workspace: The workspace.
        benefit_id: The benefit.
        item_id: The item that explains it.
        actor: Who links it.
        scope: What the person linking may see; an item they cannot see cannot be linked.
        note: Why it is linked.

    Raises:
        RegisterError: No such benefit or item, or the item is private to another
            organisation than the benefit's.
    """
    space = store.workspace(workspace)
    measures = MeasureStore(space)
    benefit = _benefit(measures, benefit_id)
    found = measures.item_organisation(item_id)
    if found is None or ScopedEvidence(space, scope).item(item_id) is None:
        raise RegisterError(f"There is no item {item_id} you can see in this workspace.")
    organisation_id, shared = found
    if not shared and organisation_id != benefit.organisation_id:
        raise RegisterError(
            f"Item {item_id} is private to another organisation, so it cannot explain "
            f"a benefit of {benefit.draft.organisation}. Share it with the workspace first."
        )
    return measures.link(benefit_id, actor=actor, item_id=item_id, note=note)


def link_theme(
    store: Store, workspace: str, benefit_id: int, theme_id: int, *, actor: str, note: str = ""
) -> int:
    """Link a theme to a benefit; return the link's id.

    Raises:
        RegisterError: No such benefit or theme.
    """
    measures = MeasureStore(store.workspace(workspace))
    _benefit(measures, benefit_id)
    if not measures.theme_exists(theme_id):
        raise RegisterError(f"There is no theme {theme_id} in this workspace.")
    return measures.link(benefit_id, actor=actor, theme_id=theme_id, note=note)


def _view(
    record: BenefitRecord,
    evidence: ScopedEvidence,
    themes: ThemeStore,
    measures: MeasureStore,
) -> BenefitView:
    item_links = [link for link in record.links if link.item_id is not None]
    wanted = [link.item_id for link in item_links if link.item_id is not None]
    seen = {item.id: item for item in evidence.items_by_id(wanted)}
    # The item must also still fit the benefit's organisation (it may have been unshared since).
    items = tuple(
        (seen[link.item_id], link.note)
        for link in item_links
        if link.item_id in seen
        and (
            seen[link.item_id].shared
            or seen[link.item_id].organisation == record.draft.organisation
        )
    )
    linked_themes = []
    for link in record.links:
        if link.theme_id is None:
            continue
        stored = themes.theme(link.theme_id)
        if stored is None:
            continue
        visible = evidence.scope.see_all or bool(evidence.visible_ids(stored.item_ids))
        label = theme_as_seen(stored, evidence).label if visible else HIDDEN_THEME
        linked_themes.append(LinkedTheme(link.theme_id, label, link.note, visible))
    latest = None
    points: list[MeasurePoint] = []
    if record.draft.series is not None:
        points = list(measures.points(record.draft.series))
        actuals = [p for p in points if p.kind == "actual"]
        latest = actuals[-1] if actuals else None
    due = target_date(record.draft, points)
    return BenefitView(
        record=record,
        items=items,
        themes=tuple(linked_themes),
        hidden_links=len(item_links) - len(items),
        latest_actual=latest,
        due=due,
        figures_say=figures_say(record.draft, latest, due, date.today()),
    )


def register(store: Store, workspace: str, *, scope: Scope = EVERYTHING) -> list[BenefitView]:
    """The benefits register of a workspace as one person may see it."""
    space = store.workspace(workspace)
    measures = MeasureStore(space)
    evidence = ScopedEvidence(space, scope)
    themes = ThemeStore(space)
    return [_view(r, evidence, themes, measures) for r in measures.benefits()]


def benefit_view(
    store: Store, workspace: str, benefit_id: int, *, scope: Scope = EVERYTHING
) -> BenefitView:
    """One benefit as one person may see it.

    Raises:
        RegisterError: There is no such benefit in the workspace.
    """
    space = store.workspace(workspace)
    measures = MeasureStore(space)
    record = _benefit(measures, benefit_id)
    return _view(record, ScopedEvidence(space, scope), ThemeStore(space), measures)


class Valued(Protocol):
    """A benefit with a category and, perhaps, a value in pounds a year."""

    @property
    def category(self) -> str:
        """``cashable``, ``non-cashable`` or ``social``."""

    @property
    def value(self) -> float | None:
        """Pounds a year, or None when it has no value."""


def value_summary(benefits: Sequence[Valued]) -> str:
    """What the benefits are expected to be worth, in one sentence.

    Cashable savings are kept apart from the rest, as a finance officer would
    keep them: only they can come off a budget.

    Args:
        benefits: The benefits (drafts, or a report's lines), as one person sees them.

    Returns:
        For example "Valued at £46,000 a year: £16,500 cashable and £29,500
        non-cashable or social (2 of 3 benefits have a value).", or "" when no
        benefit has a value.
    """
    valued = [b for b in benefits if b.value is not None]
    if not valued:
        return ""
    cashable = sum(b.value or 0.0 for b in valued if b.category == "cashable")
    other = sum(b.value or 0.0 for b in valued if b.category != "cashable")
    parts = []
    if any(b.category == "cashable" for b in valued):
        parts.append(f"{pounds(cashable)} cashable")
    if any(b.category != "cashable" for b in valued):
        parts.append(f"{pounds(other)} non-cashable or social")
    which = (
        "every benefit has a value"
        if len(valued) == len(benefits)
        else f"{len(valued)} of {len(benefits)} benefits have a value"
    )
    return f"Valued at {pounds(cashable + other)} a year: {' and '.join(parts)} ({which})."
