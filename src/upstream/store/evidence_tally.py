"""The evidence a person may see, counted by the database: :func:`item_tally`, :func:`item_facts`.

The dashboards count items per organisation, source and month; grouping in SQL
sends a few hundred rows to Python instead of every item of the workspace.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Text, cast, func, select

from upstream.records.tallies import ItemFacts, ItemTally
from upstream.store import models as m
from upstream.store.visibility import ScopedEvidence

_CHUNK = 5000


def _condition(evidence: ScopedEvidence, source_ids: Sequence[int] | None) -> ColumnElement[bool]:
    visible = evidence.visible()
    if source_ids is not None:
        visible = visible & m.Item.source_id.in_(list(source_ids))
    return visible


def item_tally(evidence: ScopedEvidence, source_ids: Sequence[int] | None = None) -> ItemTally:
    """The items ``evidence``'s scope may see, counted per organisation, source and day.

    Args:
        evidence: A workspace's evidence under one scope.
        source_ids: Only items of these sources (every source when None).

    Returns:
        The counts.
    """
    where = _condition(evidence, source_ids)
    count = func.count(m.Item.id)
    by_organisation = (
        select(m.Organisation.name, count)
        .select_from(m.Item)
        .join(m.Organisation, m.Item.organisation_id == m.Organisation.id, isouter=True)
        .where(where)
        .group_by(m.Organisation.name)
    )
    by_source = select(m.Item.source_id, count).where(where).group_by(m.Item.source_id)
    by_day = (
        select(m.Item.item_date, count)
        .where(where, m.Item.item_date.is_not(None))
        .group_by(m.Item.item_date)
    )
    with evidence.workspace.store.session() as session:
        connection = session.connection()
        organisations: dict[str | None, int] = {}
        for name, n in connection.execute(by_organisation):
            organisations[name] = organisations.get(name, 0) + int(n)
        sources = {int(source): int(n) for source, n in connection.execute(by_source)}
        days = {day: int(n) for day, n in connection.execute(by_day) if day is not None}
    return ItemTally(
        total=sum(organisations.values()), organisations=organisations, sources=sources, days=days
    )


def item_facts(
    evidence: ScopedEvidence, item_ids: Iterable[int], source_ids: Sequence[int] | None = None
) -> list[ItemFacts]:
    """Source, organisation and date of those of ``item_ids`` the scope may see, by id.

    Args:
        evidence: A workspace's evidence under one scope.
        item_ids: The items wanted (in chunks: PostgreSQL takes at most 65,535
            parameters in one statement).
        source_ids: Only items of these sources.

    Returns:
        One record per visible item, in id order.
    """
    where = _condition(evidence, source_ids)
    wanted = sorted(set(item_ids))
    found: list[ItemFacts] = []
    with evidence.workspace.store.session() as session:
        connection = session.connection()
        for start in range(0, len(wanted), _CHUNK):
            query = (
                select(m.Item.id, m.Item.source_id, m.Organisation.name, m.Item.item_date)
                .join(m.Organisation, m.Item.organisation_id == m.Organisation.id, isouter=True)
                .where(where, m.Item.id.in_(wanted[start : start + _CHUNK]))
                .order_by(m.Item.id)
            )
            found.extend(ItemFacts(*row) for row in connection.execute(query))
    return found


def _attribute(attribute: str) -> ColumnElement[str]:
    """An item's attribute as JSON text, so that values group exactly as Python tells them apart."""
    return cast(m.Item.attributes[attribute], Text)


def _label(raw: str | None) -> str | None:
    """The group an attribute's JSON text falls in (None: no value), as the reports name it."""
    value: Any = None if raw is None else json.loads(raw)
    if value is None or str(value).strip() == "":
        return None
    return str(value).strip()


def attribute_tally(
    evidence: ScopedEvidence, attribute: str, source_ids: Sequence[int] | None = None
) -> dict[str, int]:
    """Items per value of one attribute (items without a value left out), counted in SQL.

    Args:
        evidence: A workspace's evidence under one scope.
        attribute: The attribute's name (``ward``, ``grade``, ...).
        source_ids: Only items of these sources.

    Returns:
        Items per value, the value trimmed as the reports show it.
    """
    value = _attribute(attribute)
    query = (
        select(value, func.count(m.Item.id)).where(_condition(evidence, source_ids)).group_by(value)
    )
    counts: dict[str, int] = {}
    with evidence.workspace.store.session() as session:
        for raw, n in session.connection().execute(query):
            label = _label(raw)
            if label is not None:
                counts[label] = counts.get(label, 0) + int(n)
    return counts


def attribute_groups(evidence: ScopedEvidence, attribute: str) -> dict[tuple[str | None, str], int]:
    """Items per organisation and value of one attribute, counted in SQL.

    A value is shown beside an organisation's name, so the group it describes
    is that organisation's items with that value.

    Args:
        evidence: A workspace's evidence under one scope.
        attribute: The attribute's name.

    Returns:
        Items per (organisation name or None, value), the value trimmed as shown.
    """
    value = _attribute(attribute)
    query = (
        select(m.Organisation.name, value, func.count(m.Item.id))
        .select_from(m.Item)
        .join(m.Organisation, m.Item.organisation_id == m.Organisation.id, isouter=True)
        .where(evidence.visible())
        .group_by(m.Organisation.name, value)
    )
    counts: dict[tuple[str | None, str], int] = {}
    with evidence.workspace.store.session() as session:
        for name, raw, n in session.connection().execute(query):
            label = _label(raw)
            if label is not None:
                counts[name, label] = counts.get((name, label), 0) + int(n)
    return counts


def attribute_source_groups(
    evidence: ScopedEvidence, attribute: str
) -> tuple[dict[tuple[int, str], int], dict[int, int]]:
    """Items per source and value of one attribute, and items per source.

    A value every item of a source shares (the question asked, the survey's
    year) describes the source, not the person who wrote an item of it.

    Returns:
        Items per (source id, value), and items per source id.
    """
    value = _attribute(attribute)
    by_value = (
        select(m.Item.source_id, value, func.count(m.Item.id))
        .where(evidence.visible())
        .group_by(m.Item.source_id, value)
    )
    values: dict[tuple[int, str], int] = {}
    sources: dict[int, int] = {}
    with evidence.workspace.store.session() as session:
        for source, raw, n in session.connection().execute(by_value):
            sources[int(source)] = sources.get(int(source), 0) + int(n)
            label = _label(raw)
            if label is not None:
                values[int(source), label] = values.get((int(source), label), 0) + int(n)
    return values, sources


def role_groups(evidence: ScopedEvidence) -> dict[tuple[str | None, str], int]:
    """Items per organisation and role of the person who said it, counted in SQL.

    Returns:
        Items per (organisation name or None, role as stored, trimmed).
    """
    query = (
        select(m.Organisation.name, m.Item.author_role, func.count(m.Item.id))
        .select_from(m.Item)
        .join(m.Organisation, m.Item.organisation_id == m.Organisation.id, isouter=True)
        .where(evidence.visible(), m.Item.author_role.is_not(None))
        .group_by(m.Organisation.name, m.Item.author_role)
    )
    counts: dict[tuple[str | None, str], int] = {}
    with evidence.workspace.store.session() as session:
        for name, role, n in session.connection().execute(query):
            label = str(role).strip()
            if label:
                counts[name, label] = counts.get((name, label), 0) + int(n)
    return counts


def attribute_values(
    evidence: ScopedEvidence,
    attribute: str,
    item_ids: Iterable[int],
    source_ids: Sequence[int] | None = None,
) -> dict[int, str]:
    """One attribute's value for those of ``item_ids`` the scope may see and that have one."""
    where = _condition(evidence, source_ids)
    wanted = sorted(set(item_ids))
    found: dict[int, str] = {}
    with evidence.workspace.store.session() as session:
        connection = session.connection()
        for start in range(0, len(wanted), _CHUNK):
            query = select(m.Item.id, _attribute(attribute)).where(
                where, m.Item.id.in_(wanted[start : start + _CHUNK])
            )
            for item_id, raw in connection.execute(query):
                label = _label(raw)
                if label is not None:
                    found[int(item_id)] = label
    return found


__all__ = [
    "attribute_groups",
    "attribute_source_groups",
    "attribute_tally",
    "attribute_values",
    "item_facts",
    "item_tally",
    "role_groups",
]
