"""Measures over time and the benefits register, for one workspace.

Values are found again by series, kind and date, so importing the same file
twice stores nothing new. Benefits belong to one organisation; which linked
items a person sees is decided by :class:`~upstream.store.visibility.ScopedEvidence`
above this layer, never here.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import delete, select

from upstream.records.measures import (
    BenefitDraft,
    BenefitLinkRecord,
    BenefitRecord,
    MeasurePoint,
    SaveCounts,
    SeriesKey,
    SeriesSummary,
)
from upstream.store import models as m
from upstream.store.benefit_models import BenefitLinkRow, BenefitRow, MeasurePointRow
from upstream.store.engine import StoreError
from upstream.store.repository import Workspace

__all__ = ["MeasureStore"]


def _point(row: MeasurePointRow, organisation: str) -> MeasurePoint:
    return MeasurePoint(
        series=SeriesKey(organisation, row.service, row.measure, row.channel),
        kind=row.kind,
        period=row.period,
        value=row.value,
        unit=row.unit,
        change=row.change,
        source=row.source,
    )


def _benefit(row: BenefitRow, organisation: str, links: Sequence[BenefitLinkRow]) -> BenefitRecord:
    series = SeriesKey(organisation, row.service, row.measure, row.channel) if row.measure else None
    draft = BenefitDraft(
        organisation=organisation,
        title=row.title,
        category=row.category,
        status=row.status,
        owner=row.owner,
        series=series,
        baseline=row.baseline,
        target=row.target,
        due=row.due,
        description=row.description,
        value=row.value,
    )
    return BenefitRecord(
        id=row.id,
        organisation_id=row.organisation_id,
        draft=draft,
        created_by=row.created_by,
        created_at=row.created_at,
        links=tuple(
            BenefitLinkRecord(
                link.id, link.item_id, link.theme_id, link.note, link.created_by, link.created_at
            )
            for link in links
        ),
    )


class MeasureStore:
    """The measure series and benefits of one workspace."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self._store = workspace.store

    def save_points(self, points: Sequence[MeasurePoint], *, actor: str) -> SaveCounts:
        """Store values in one transaction, updating any already stored for the same key.

        Args:
            points: The values.
            actor: Who is importing them, for the audit log.

        Returns:
            How many were added, updated and already there.
        """
        added = updated = unchanged = 0
        with self.workspace.writer() as writer:
            session = writer.session
            for point in points:
                org_id = writer.organisation_id(point.series.organisation)
                key = point.series
                row = session.scalar(
                    select(MeasurePointRow).where(
                        MeasurePointRow.workspace_id == self.workspace.id,
                        MeasurePointRow.organisation_id == org_id,
                        MeasurePointRow.service == key.service,
                        MeasurePointRow.measure == key.measure,
                        MeasurePointRow.channel == key.channel,
                        MeasurePointRow.kind == point.kind,
                        MeasurePointRow.period == point.period,
                    )
                )
                if row is None:
                    session.add(
                        MeasurePointRow(
                            workspace_id=self.workspace.id,
                            organisation_id=org_id,
                            service=key.service,
                            measure=key.measure,
                            channel=key.channel,
                            kind=point.kind,
                            period=point.period,
                            value=point.value,
                            unit=point.unit,
                            change=point.change,
                            source=point.source,
                        )
                    )
                    session.flush()
                    added += 1
                elif (row.value, row.unit, row.change) == (point.value, point.unit, point.change):
                    unchanged += 1
                else:
                    row.value, row.unit, row.change = point.value, point.unit, point.change
                    row.source = point.source
                    updated += 1
            if added or updated:
                writer.audit(actor, "import", "measures", "", added=added, updated=updated)
        return SaveCounts(added=added, updated=updated, unchanged=unchanged)

    def series(self, organisation_ids: Sequence[int] | None = None) -> list[SeriesSummary]:
        """Every stored series with its latest values, sorted by organisation and measure.

        Args:
            organisation_ids: Only these organisations' series; every one when None.
        """
        query = (
            select(MeasurePointRow, m.Organisation.name)
            .join(m.Organisation, m.Organisation.id == MeasurePointRow.organisation_id)
            .where(MeasurePointRow.workspace_id == self.workspace.id)
            .order_by(MeasurePointRow.period)
        )
        if organisation_ids is not None:
            query = query.where(MeasurePointRow.organisation_id.in_(list(organisation_ids)))
        grouped: dict[SeriesKey, list[MeasurePoint]] = {}
        with self._store.session() as session:
            for row, organisation in session.execute(query).all():
                point = _point(row, organisation)
                grouped.setdefault(point.series, []).append(point)
        summaries = []
        for key in sorted(grouped):
            points = grouped[key]
            actuals = [p.value for p in points if p.kind == "actual"]
            targets = [p.value for p in points if p.kind == "target"]
            summaries.append(
                SeriesSummary(
                    series=key,
                    unit=next((p.unit for p in reversed(points) if p.unit), ""),
                    points=len(points),
                    first=points[0].period,
                    last=points[-1].period,
                    latest_actual=actuals[-1] if actuals else None,
                    latest_target=targets[-1] if targets else None,
                )
            )
        return summaries

    def points(self, series: SeriesKey) -> list[MeasurePoint]:
        """The values of one series, oldest first (empty when there is no such series)."""
        query = (
            select(MeasurePointRow, m.Organisation.name)
            .join(m.Organisation, m.Organisation.id == MeasurePointRow.organisation_id)
            .where(
                MeasurePointRow.workspace_id == self.workspace.id,
                m.Organisation.name == series.organisation,
                MeasurePointRow.service == series.service,
                MeasurePointRow.measure == series.measure,
                MeasurePointRow.channel == series.channel,
            )
            .order_by(MeasurePointRow.period, MeasurePointRow.kind)
        )
        with self._store.session() as session:
            return [_point(row, org) for row, org in session.execute(query).all()]

    def add_benefit(self, draft: BenefitDraft, *, actor: str) -> int:
        """Add a benefit to its organisation's register; return its id."""
        series = draft.series
        with self.workspace.writer() as writer:
            row = BenefitRow(
                workspace_id=self.workspace.id,
                organisation_id=writer.organisation_id(draft.organisation),
                title=draft.title,
                owner=draft.owner,
                service=series.service if series else "",
                measure=series.measure if series else "",
                channel=series.channel if series else "",
                baseline=draft.baseline,
                target=draft.target,
                due=draft.due,
                category=draft.category,
                status=draft.status,
                description=draft.description,
                value=draft.value,
                created_by=actor,
            )
            writer.session.add(row)
            writer.session.flush()
            writer.audit(actor, "add", "benefit", row.id, title=draft.title)
            return row.id

    def update_benefit(self, benefit_id: int, draft: BenefitDraft, *, actor: str) -> None:
        """Change where a benefit stands: everything but its organisation and measure.

        Raises:
            StoreError: The benefit is not in this workspace.
        """
        with self.workspace.writer() as writer:
            row = writer.session.get(BenefitRow, benefit_id)
            if row is None or row.workspace_id != self.workspace.id:
                raise StoreError(f"No benefit {benefit_id} in this workspace.")
            fields: tuple[str, ...] = ("title", "category", "status", "owner", "baseline")
            fields += ("target", "due", "description", "value")
            before = {name: getattr(row, name) for name in fields}
            for name in fields:
                setattr(row, name, getattr(draft, name))
            changed = {
                name: [_plain(before[name]), _plain(getattr(row, name))]
                for name in fields
                if before[name] != getattr(row, name)
            }
            writer.audit(actor, "update", "benefit", benefit_id, changed=changed)

    def remove_benefit(self, benefit_id: int, *, actor: str) -> None:
        """Take a benefit and its links out of the register (the audit log keeps its title).

        Raises:
            StoreError: The benefit is not in this workspace.
        """
        with self.workspace.writer() as writer:
            row = writer.session.get(BenefitRow, benefit_id)
            if row is None or row.workspace_id != self.workspace.id:
                raise StoreError(f"No benefit {benefit_id} in this workspace.")
            title = row.title
            writer.session.execute(
                delete(BenefitLinkRow).where(BenefitLinkRow.benefit_id == row.id)
            )
            writer.session.delete(row)
            writer.audit(actor, "remove", "benefit", benefit_id, title=title)

    def benefits(
        self, organisation_ids: Sequence[int] | None = None, *, benefit_id: int | None = None
    ) -> list[BenefitRecord]:
        """The register, by organisation then title, with each benefit's links.

        Args:
            organisation_ids: Only these organisations' benefits; every one when None.
            benefit_id: Only this benefit.
        """
        query = (
            select(BenefitRow, m.Organisation.name)
            .join(m.Organisation, m.Organisation.id == BenefitRow.organisation_id)
            .where(BenefitRow.workspace_id == self.workspace.id)
            .order_by(m.Organisation.name, BenefitRow.title, BenefitRow.id)
        )
        if organisation_ids is not None:
            query = query.where(BenefitRow.organisation_id.in_(list(organisation_ids)))
        if benefit_id is not None:
            query = query.where(BenefitRow.id == benefit_id)
        with self._store.session() as session:
            rows = session.execute(query).all()
            ids = [row.id for row, _ in rows]
            links: dict[int, list[BenefitLinkRow]] = {}
            if ids:
                found = session.scalars(
                    select(BenefitLinkRow)
                    .where(BenefitLinkRow.benefit_id.in_(ids))
                    .order_by(BenefitLinkRow.id)
                )
                for link in found:
                    links.setdefault(link.benefit_id, []).append(link)
            return [_benefit(row, org, links.get(row.id, [])) for row, org in rows]

    def benefit(self, benefit_id: int) -> BenefitRecord | None:
        """One benefit of this workspace, or None."""
        found = self.benefits(benefit_id=benefit_id)
        return found[0] if found else None

    def item_organisation(self, item_id: int) -> tuple[int | None, bool] | None:
        """An item's organisation and whether it is shared, or None when not in the workspace."""
        with self._store.session() as session:
            row = session.execute(
                select(m.Item.organisation_id, m.Item.shared).where(
                    m.Item.id == item_id, m.Item.workspace_id == self.workspace.id
                )
            ).first()
            return None if row is None else (row[0], bool(row[1]))

    def theme_exists(self, theme_id: int) -> bool:
        """Whether a theme of this workspace has this id."""
        with self._store.session() as session:
            return (
                session.scalar(
                    select(m.Theme.id).where(
                        m.Theme.id == theme_id, m.Theme.workspace_id == self.workspace.id
                    )
                )
                is not None
            )

    def link(
        self,
        benefit_id: int,
        *,
        actor: str,
        item_id: int | None = None,
        theme_id: int | None = None,
        note: str = "",
    ) -> int:
        """Link an item or a theme to a benefit (once); return the link's id.

        Raises:
            StoreError: The benefit is not in this workspace, or neither or both
                of ``item_id`` and ``theme_id`` are given.
        """
        if (item_id is None) == (theme_id is None):
            raise StoreError("Link either one item or one theme.")
        with self.workspace.writer() as writer:
            session = writer.session
            benefit = session.get(BenefitRow, benefit_id)
            if benefit is None or benefit.workspace_id != self.workspace.id:
                raise StoreError(f"No benefit {benefit_id} in this workspace.")
            existing = session.scalar(
                select(BenefitLinkRow.id).where(
                    BenefitLinkRow.benefit_id == benefit_id,
                    BenefitLinkRow.item_id == item_id
                    if item_id is not None
                    else BenefitLinkRow.item_id.is_(None),
                    BenefitLinkRow.theme_id == theme_id
                    if theme_id is not None
                    else BenefitLinkRow.theme_id.is_(None),
                )
            )
            if existing is not None:
                return int(existing)
            link = BenefitLinkRow(
                benefit_id=benefit_id,
                item_id=item_id,
                theme_id=theme_id,
                note=note,
                created_by=actor,
            )
            session.add(link)
            session.flush()
            writer.audit(actor, "link", "benefit", benefit_id, item_id=item_id, theme_id=theme_id)
            return link.id

    def organisation_ids(self) -> dict[str, int]:
        """The workspace's organisations by name."""
        with self._store.session() as session:
            rows = session.execute(
                select(m.Organisation.name, m.Organisation.id).where(
                    m.Organisation.workspace_id == self.workspace.id
                )
            ).all()
            return {str(name): int(org_id) for name, org_id in rows}


def _plain(value: object) -> object:
    """A value as the audit log's JSON can hold it (a date as its ISO text)."""
    return value.isoformat() if isinstance(value, date) else value
