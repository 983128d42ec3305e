"""One workspace's evidence as one person may see it: the visibility rule, in one place.

:class:`ScopedEvidence` reads (and makes the few web edits to) a workspace's
evidence *through a* :class:`Scope`, so an item a person may not see is never
returned — owners see everything, contributors their own submissions, everyone
else shared items and their own organisation's private ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVarTuple

from sqlalchemy import ColumnElement, Select, case, false, func, not_, or_, select, true
from sqlalchemy.orm import aliased

from upstream.records.stored import AuditRecord, ItemRecord, RunRecord
from upstream.store import models as m
from upstream.store.account_models import (
    EvidenceQuery,
    OrganisationSummary,
    Scope,
)
from upstream.store.code_filters import carries_code, code_and_below
from upstream.store.coding_repository import run_record
from upstream.store.repository import ITEM_COLUMNS, Workspace, _item_record
from upstream.store.run_visibility import run_as_seen
from upstream.store.scoped_codings import ScopedCodings
from upstream.store.scoped_edits import ScopedEdits
from upstream.store.source_names import source_label

_Row = TypeVarTuple("_Row")
_CHUNK = 500
_HIDDEN_STATUSES = (m.CodingStatus.REJECTED, m.CodingStatus.TENTATIVE)


@dataclass(frozen=True, slots=True)
class BrowseQuery(EvidenceQuery):
    """The evidence browser's filters: :class:`EvidenceQuery` plus a code and a theme.

    Attributes:
        code_id: Only items given this code or one below it (suggested or
            accepted, not rejected), as the dashboards count an element.
        theme_id: Only items in this theme.
        source_ids: Only items from these sources (None: any source).
        organisations_out: Leave out the items of these organisations ("" for
            items without one): their group is too small to list.
    """

    code_id: int | None = None
    theme_id: int | None = None
    source_ids: tuple[int, ...] | None = None
    organisations_out: tuple[str, ...] = ()


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class ScopedEvidence(ScopedEdits, ScopedCodings):
    """One workspace's evidence, filtered to what one :class:`Scope` allows.

    The few edits made from the web app come from :class:`ScopedEdits`, and
    what was coded from :class:`ScopedCodings`, under the same rule.

    Args:
        workspace: The workspace.
        scope: What the person may see.
    """

    def __init__(self, workspace: Workspace, scope: Scope) -> None:
        self.workspace = workspace
        self.scope = scope

    def visible(self, *, by_id: bool = False) -> ColumnElement[bool]:
        """The SQL condition an item must meet to be seen under this scope.

        Args:
            by_id: The query finds items by id: a few given ids, or newest first
                stopping after one page. SQLite would otherwise pick the workspace
                index and read every item of the workspace; written so that it
                cannot use that index, it goes by id and stops early.
        """
        unindexed = by_id and self.workspace.store.dialect == "sqlite"
        ws = (m.Item.workspace_id + 0 if unindexed else m.Item.workspace_id) == self.workspace.id
        if self.scope.see_all:
            return ws & true()
        if self.scope.submitted_by is not None:
            own = select(m.Source.id).where(
                m.Source.workspace_id == self.workspace.id,
                m.Source.imported_by == self.scope.submitted_by,
            )
            return ws & m.Item.source_id.in_(own)
        if self.scope.organisation_id is not None:
            return ws & or_(
                m.Item.shared.is_(True), m.Item.organisation_id == self.scope.organisation_id
            )
        return ws & m.Item.shared.is_(True)

    def _filtered(
        self, query: Select[*_Row], q: EvidenceQuery, *, by_id: bool = False
    ) -> Select[*_Row]:
        query = query.where(self.visible(by_id=by_id))
        if q.text.strip():
            pattern = _like(q.text.strip())
            if self.workspace.store.dialect == "sqlite":
                # SQLite's LIKE already ignores case (for ASCII letters); ILIKE would add
                # lower() on every row, which costs a third of a search over 100,000 items.
                query = query.where(m.Item.text.like(pattern, escape="\\"))
            else:
                query = query.where(m.Item.text.ilike(pattern, escape="\\"))
        if q.organisation:
            # By id, so the (workspace, organisation) index does the work; no join needed.
            named = select(m.Organisation.id).where(
                m.Organisation.workspace_id == self.workspace.id,
                m.Organisation.name == q.organisation,
            )
            query = query.where(m.Item.organisation_id.in_(named))
        if q.source_id is not None:
            query = query.where(m.Item.source_id == q.source_id)
        if q.date_from is not None:
            query = query.where(m.Item.item_date >= q.date_from)
        if q.date_to is not None:
            query = query.where(m.Item.item_date <= q.date_to)
        if q.attribute:
            value = m.Item.attributes[q.attribute].as_string()
            query = query.where(
                value == q.attribute_value if q.attribute_value else value.is_not(None)
            )
        if isinstance(q, BrowseQuery) and q.code_id is not None:
            query = query.where(carries_code(self.workspace.id, q.code_id))
        if isinstance(q, BrowseQuery) and q.source_ids is not None:
            query = query.where(m.Item.source_id.in_(q.source_ids))
        if isinstance(q, BrowseQuery) and q.organisations_out:
            named = select(m.Organisation.id).where(
                m.Organisation.workspace_id == self.workspace.id,
                m.Organisation.name.in_([n for n in q.organisations_out if n]),
            )
            outside: ColumnElement[bool] = m.Item.organisation_id.not_in(named)
            if "" not in q.organisations_out:
                outside = or_(m.Item.organisation_id.is_(None), outside)
            query = query.where(outside)
        if isinstance(q, BrowseQuery) and q.theme_id is not None:
            member = select(m.ThemeMember.item_id).where(
                m.ThemeMember.item_id == m.Item.id, m.ThemeMember.theme_id == q.theme_id
            )
            query = query.where(member.exists())
        return query

    def _counted(self, q: EvidenceQuery) -> Select[int]:
        return self._filtered(select(func.count(m.Item.id)).select_from(m.Item), q)

    def _base(self) -> Select[m.Item, str]:
        return select(m.Item, m.Organisation.name).join(
            m.Organisation, m.Item.organisation_id == m.Organisation.id, isouter=True
        )

    @staticmethod
    def _order(q: EvidenceQuery) -> tuple[ColumnElement[Any], ...]:
        """Newest first; items of one code, those people coded or checked and the surest first.

        Someone following "see the evidence" for a code reads the first few
        items as what the code means, so the clearest examples lead.
        """
        newest = m.Item.id.desc()
        if not isinstance(q, BrowseQuery) or q.code_id is None:
            return (newest,)
        sure = (
            select(
                func.max(case((m.Coding.origin == m.Origin.HUMAN, 2.0), else_=m.Coding.confidence))
            )
            .where(
                m.Coding.item_id == m.Item.id,
                m.Coding.code_id.in_(code_and_below(q.code_id)),
                m.Coding.status.not_in(_HIDDEN_STATUSES),
            )
            .scalar_subquery()
        )
        return (func.coalesce(sure, 0.0).desc(), newest)

    def search(
        self, q: EvidenceQuery, *, limit: int = 50, offset: int = 0
    ) -> tuple[list[ItemRecord], int]:
        """A page of matching items (see :meth:`_order`) and the total number that match."""
        base = self._filtered(self._base(), q, by_id=True)
        with self.workspace.store.reading() as session:
            total = int(session.scalar(self._counted(q)) or 0)
            rows = session.execute(base.order_by(*self._order(q)).limit(limit).offset(offset))
            return [_item_record(item, org) for item, org in rows.all()], total

    def iter_items(self, q: EvidenceQuery, batch: int = 5000) -> Iterator[ItemRecord]:
        """Every matching item, oldest first, fetched in batches (for exports and reports)."""
        last = 0
        columns = select(*ITEM_COLUMNS, m.Organisation.name.label("organisation_name")).join(
            m.Organisation, m.Item.organisation_id == m.Organisation.id, isouter=True
        )
        while True:
            query = self._filtered(columns, q, by_id=True).where(m.Item.id > last)
            with self.workspace.store.session() as session:
                rows = session.execute(query.order_by(m.Item.id).limit(batch)).all()
            if not rows:
                return
            for row in rows:
                yield _item_record(row, row.organisation_name)
            last = rows[-1].id

    def page(self, q: EvidenceQuery, *, limit: int = 50, offset: int = 0) -> list[ItemRecord]:
        """A page of matching items (see :meth:`_order`), without counting them all."""
        query = self._filtered(self._base(), q, by_id=True).order_by(*self._order(q))
        with self.workspace.store.reading() as session:
            rows = session.execute(query.limit(limit).offset(offset)).all()
            return [_item_record(item, org) for item, org in rows]

    def count(self, q: EvidenceQuery, *, up_to: int | None = None) -> int:
        """How many visible items match ``q``.

        Args:
            q: The filters.
            up_to: Stop counting here (newest first): a text search through
                100,000 items can stop at the first thousand matches.
        """
        if up_to is None:
            query = self._counted(q)
        else:
            found = self._filtered(select(m.Item.id), q, by_id=True).order_by(m.Item.id.desc())
            query = select(func.count()).select_from(found.limit(up_to).subquery())
        with self.workspace.store.reading() as session:
            return int(session.scalar(query) or 0)

    def date_range(self) -> tuple[date | None, date | None]:
        """The earliest and latest dates of the visible items (None when none is dated)."""
        query = select(func.min(m.Item.item_date), func.max(m.Item.item_date)).where(self.visible())
        with self.workspace.store.reading() as session:
            row = session.execute(query).one()
        return row[0], row[1]

    def matching_ids(self, q: EvidenceQuery) -> list[int]:
        """The ids of every visible item matching ``q``, ascending (ids only, so it stays cheap)."""
        query = self._filtered(select(m.Item.id), q).order_by(m.Item.id)
        with self.workspace.store.reading() as session:
            return [int(i) for i in session.scalars(query)]

    def hidden_ids(self) -> list[int]:
        """The ids of the workspace's items this scope may not see, ascending.

        Usually a small share of the workspace (other organisations' private
        items), so reading these is far quicker than reading every visible id.
        """
        if self.scope.see_all:
            return []
        seen = func.coalesce(self.visible(), false())
        query = select(m.Item.id).where(m.Item.workspace_id == self.workspace.id, not_(seen))
        with self.workspace.store.engine.connect() as connection:
            return [int(row[0]) for row in connection.execute(query.order_by(m.Item.id))]

    def private_ids(self) -> set[int]:
        """The ids of the items this scope may see that are private to one organisation.

        A page that quotes them marks them, so that nobody copies an
        organisation's private words into something shared.
        """
        seen = func.coalesce(self.visible(), false())
        query = select(m.Item.id).where(
            m.Item.workspace_id == self.workspace.id, seen, m.Item.shared.is_(False)
        )
        with self.workspace.store.engine.connect() as connection:
            return {int(row[0]) for row in connection.execute(query)}

    def items_by_id(self, item_ids: Sequence[int]) -> list[ItemRecord]:
        """The visible items among ``item_ids``, in the order given."""
        found: dict[int, ItemRecord] = {}
        with self.workspace.store.reading() as session:
            for start in range(0, len(item_ids), _CHUNK):
                chunk = list(item_ids[start : start + _CHUNK])
                query = self._base().where(self.visible(by_id=True), m.Item.id.in_(chunk))
                for item, org in session.execute(query).all():
                    found[item.id] = _item_record(item, org)
        return [found[i] for i in item_ids if i in found]

    def theme_choices(self) -> list[tuple[int, str]]:
        """Themes holding an item this scope may see, as (id, "Run N: label"), newest run first.

        A sub-theme is named under its theme ("Run 4: Park › Skatepark"), since a
        sub-theme often shares its theme's name.
        """
        parent = aliased(m.Theme)
        query = (
            select(m.Theme.id, m.Theme.run_id, m.Theme.label, parent.label)
            .outerjoin(parent, parent.id == m.Theme.parent_id)
            .where(m.Theme.workspace_id == self.workspace.id)
        )
        if not self.scope.see_all:
            seen = (
                select(m.ThemeMember.item_id)
                .join(m.Item, m.Item.id == m.ThemeMember.item_id)
                .where(m.ThemeMember.theme_id == m.Theme.id, self.visible())
            )
            query = query.where(seen.exists())
        # Each theme, then its sub-themes.
        query = query.order_by(
            m.Theme.run_id.desc(),
            func.coalesce(parent.number, m.Theme.number),
            m.Theme.parent_id.is_not(None),
            m.Theme.number,
        )
        with self.workspace.store.reading() as session:
            choices = []
            for i, run, label, above in session.execute(query):
                named = f"{above} › {label}" if above else str(label)
                choices.append((int(i), f"Run {run}: {named}" if run else named))
            return choices

    def data_version(self) -> tuple[int, ...]:
        """Changes whenever items, runs or audited edits change (a cache key).

        Three lookups of a largest id in one statement, each stopping at the
        first row found, so it is cheap enough for every request. New items
        raise the newest item id; sharing, making private, deleting and
        decisions are audited; coding and theme runs add a run.
        """
        ws = self.workspace.id
        newest = select(m.Item.id).where(
            ScopedEvidence(self.workspace, Scope(see_all=True)).visible(by_id=True)
        )
        newest = newest.order_by(m.Item.id.desc()).limit(1)
        run = select(func.max(m.Run.id)).where(m.Run.workspace_id == ws)
        audit = select(func.max(m.AuditEntry.id)).where(m.AuditEntry.workspace_id == ws)
        # One statement, one round trip: every page asks for it.
        query = select(newest.scalar_subquery(), run.scalar_subquery(), audit.scalar_subquery())
        with self.workspace.store.reading() as session:
            item, last_run, last_audit = session.execute(query).one()
        return (int(item or 0), int(last_run or 0), int(last_audit or 0))

    def item(self, item_id: int) -> ItemRecord | None:
        """One item by id, or None when it does not exist *or* may not be seen."""
        query = self._base().where(self.visible(by_id=True), m.Item.id == item_id)
        with self.workspace.store.reading() as session:
            row = session.execute(query).first()
            return None if row is None else _item_record(row[0], row[1])

    def visible_ids(self, item_ids: Iterable[int]) -> set[int]:
        """Which of ``item_ids`` this scope may see (for themes computed over more)."""
        wanted = sorted({int(i) for i in item_ids})
        found: set[int] = set()
        with self.workspace.store.reading() as session:
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                query = select(m.Item.id).where(self.visible(by_id=True), m.Item.id.in_(chunk))
                found.update(int(i) for i in session.scalars(query))
        return found

    def organisations(self) -> list[OrganisationSummary]:
        """Organisations in the workspace with visible item and member counts."""
        items = (
            select(m.Item.organisation_id, func.count(m.Item.id).label("n"))
            .where(self.visible())
            .group_by(m.Item.organisation_id)
            .subquery()
        )
        members = (
            select(m.Membership.organisation_id, func.count(m.Membership.id).label("n"))
            .where(m.Membership.workspace_id == self.workspace.id)
            .group_by(m.Membership.organisation_id)
            .subquery()
        )
        query = (
            select(m.Organisation, items.c.n, members.c.n)
            .join(items, items.c.organisation_id == m.Organisation.id, isouter=True)
            .join(members, members.c.organisation_id == m.Organisation.id, isouter=True)
            .where(m.Organisation.workspace_id == self.workspace.id)
            .order_by(m.Organisation.name)
        )
        with self.workspace.store.reading() as session:
            return [
                OrganisationSummary(o.id, o.name, o.kind, int(n or 0), int(k or 0))
                for o, n, k in session.execute(query).all()
            ]

    def sources(self) -> list[tuple[int, str]]:
        """Sources that hold at least one visible item, as (id, name as shown).

        A source's name can itself be telling, so sources of items one may not
        see are left out. Each check stops at the first visible item.
        """
        query = select(m.Source.id, m.Source.name, m.Source.kind).where(
            m.Source.workspace_id == self.workspace.id
        )
        # A scalar subquery with LIMIT 1, not EXISTS: PostgreSQL turns EXISTS into a
        # join that reads every visible item (50 ms at 100,000 items, on every page),
        # while this stops at each source's first visible item. A source with no
        # items at all (a roundtable nobody answered) is left out for everyone.
        held = [m.Item.source_id == m.Source.id]
        if not self.scope.see_all:
            held.append(self.visible())
        first_visible = select(m.Item.id).where(*held).limit(1).scalar_subquery()
        query = query.where(first_visible.is_not(None))
        with self.workspace.store.reading() as session:
            rows = session.execute(query.order_by(m.Source.id))
            return [(int(i), source_label(str(n), k)) for i, n, k in rows]

    def organisation_names(self) -> list[str]:
        """Names of the workspace's organisations, A to Z (for filters)."""
        query = (
            select(m.Organisation.name)
            .where(m.Organisation.workspace_id == self.workspace.id)
            .order_by(m.Organisation.name)
        )
        with self.workspace.store.reading() as session:
            return [str(name) for name in session.scalars(query)]

    def source_name(self, source_id: int) -> str:
        """The name of a source of this workspace ("" when unknown)."""
        query = select(m.Source.name, m.Source.kind).where(
            m.Source.id == source_id, m.Source.workspace_id == self.workspace.id
        )
        with self.workspace.store.reading() as session:
            row = session.execute(query).first()
        return source_label(str(row[0]), row[1]) if row else ""

    def attribute_names(self, source_ids: list[int] | None = None) -> list[str]:
        """Attribute columns kept by the imports this person can see items from.

        Args:
            source_ids: The visible sources, when already known (saves a query).
        """
        ids = source_ids if source_ids is not None else [i for i, _ in self.sources()]
        query = select(m.Source.options).where(m.Source.id.in_(ids))
        with self.workspace.store.reading() as session:
            names = {
                str(name)
                for options in session.scalars(query)
                for name in (options or {}).get("attribute_columns") or []
            }
        return sorted(names)

    def runs(self, limit: int = 200) -> list[RunRecord]:
        """The most recent analysis runs, newest first, as this scope may see them."""
        query = (
            select(m.Run).where(m.Run.workspace_id == self.workspace.id).order_by(m.Run.id.desc())
        )
        with self.workspace.store.reading() as session:
            runs = [run_record(r) for r in session.scalars(query.limit(limit))]
        return [run_as_seen(run, self) for run in runs]

    def run(self, run_id: int) -> RunRecord | None:
        """One run by id, or None."""
        with self.workspace.store.reading() as session:
            row = session.get(m.Run, run_id)
            found = (
                None if row is None or row.workspace_id != self.workspace.id else run_record(row)
            )
        return None if found is None else run_as_seen(found, self)

    def themes(self) -> list[dict[str, Any]]:
        """Themes in the workspace with how many visible items each holds.

        A theme with no visible item is listed as ``hidden``, without its label or keywords.
        """
        sizes = (
            select(m.ThemeMember.theme_id, func.count().label("n"))
            .join(m.Item, m.Item.id == m.ThemeMember.item_id)
            .where(self.visible())
            .group_by(m.ThemeMember.theme_id)
            .subquery()
        )
        query = (
            select(m.Theme, sizes.c.n)
            .join(sizes, sizes.c.theme_id == m.Theme.id, isouter=True)
            .where(m.Theme.workspace_id == self.workspace.id)
            .order_by(m.Theme.run_id, m.Theme.number)
        )
        with self.workspace.store.reading() as session:
            rows = session.execute(query).all()
        numbers = {t.id: t.number for t, _ in rows}
        # A theme of items one may not see is named by their words: no label, no keywords.
        return [
            {
                "id": t.id,
                "run_id": t.run_id,
                "parent_id": t.parent_id,
                "number": t.number,
                "code": (
                    f"{numbers[t.parent_id] + 1}.{t.number + 1}"
                    if t.parent_id in numbers
                    else str(t.number + 1)
                ),
                "label": t.label if n or self.scope.see_all else "",
                "keywords": t.keywords if n or self.scope.see_all else [],
                "size": int(n or 0),
                "hidden": not (n or self.scope.see_all),
            }
            for t, n in rows
        ]

    def audit_log(self, limit: int = 200) -> list[AuditRecord]:
        """The workspace's most recent audit entries, newest first."""
        return self.workspace.audit_log(limit)
