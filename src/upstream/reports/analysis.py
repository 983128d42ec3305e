"""Counting coded evidence: coverage, organisations against elements, trends, patterns, segments.

Every function takes the items in the report and their codes
(:class:`~upstream.reports.evidence.CodedEvidence`) and returns plain report
data. Items are counted, not people: one person may say several things.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import TypeVar

from upstream.policy import MIN_GROUP, suppressed, withheld
from upstream.records.stored import ItemRecord
from upstream.reports.counted import Counted
from upstream.reports.counts import CodeCount, Matrix, MatrixRow, PatternRow, Trend
from upstream.reports.evidence import CodedEvidence

PATTERN_KINDS = ("barrier", "enabler", "driver")
NO_ORGANISATION = "No organisation recorded"
MAX_GROUPS = 30


_Item = TypeVar("_Item", bound=Counted)


def coverage(
    items: Sequence[Counted],
    coded: CodedEvidence,
    *,
    network: Sequence[Counted] | None = None,
) -> list[CodeCount]:
    """Items per code, each code counting the items coded to it or below it.

    Args:
        items: The items in the report.
        coded: Their codes.
        network: The whole network's items, to compare one organisation with.

    Returns:
        One row per code of the codebook, in codebook (tree) order.
    """
    counts, orgs, total = _code_counts(items, coded)
    checked = _checked_counts(items, coded)
    network_counts, _, network_total = _code_counts(network, coded) if network else ({}, {}, 0)
    rows = []
    for depth, code in coded.codebook.walk():
        n = counts.get(code.id, 0)
        rows.append(
            CodeCount(
                code=code.id,
                title=code.title,
                depth=depth,
                items=n,
                organisations=len(orgs.get(code.id, ())),
                share=n / total if total else 0.0,
                # A share of a known total gives its count away, so a small count has none.
                network_share=(
                    network_counts.get(code.id, 0) / network_total
                    if network is not None
                    and network_total
                    and not suppressed(network_counts.get(code.id, 0))
                    else None
                ),
                checked=checked.get(code.id, 0),
            )
        )
    return rows


def _checked_counts(items: Sequence[Counted], coded: CodedEvidence) -> Counter[str]:
    """Items per code (rolled up) whose codes a person gave or confirmed."""
    counts: Counter[str] = Counter()
    for item in items:
        if item.id in coded.human_codes:
            counts.update(coded.codes_rolled_up(item.id))
    return counts


def _code_counts(
    items: Sequence[Counted] | None, coded: CodedEvidence
) -> tuple[Counter[str], dict[str, set[str]], int]:
    counts: Counter[str] = Counter()
    orgs: dict[str, set[str]] = defaultdict(set)
    total = 0
    for item in items or ():
        codes = coded.codes_rolled_up(item.id)
        if not codes:
            continue
        total += 1
        counts.update(codes)
        for code in codes:
            if item.organisation:
                orgs[code].add(item.organisation)
    return counts, orgs, total


def top_codes(rows: Sequence[CodeCount], coded: CodedEvidence, limit: int = 6) -> list[CodeCount]:
    """The most used codes below the top level (or top-level ones in a flat codebook)."""
    deep = [r for r in rows if r.depth > 0 and r.items and not coded.codebook.children(r.code)]
    pool = deep or [r for r in rows if r.items]
    return sorted(pool, key=lambda r: (-r.items, r.title))[:limit]


def group_matrix(
    items: Sequence[_Item],
    coded: CodedEvidence,
    group: Callable[[_Item], str | None],
    *,
    title: str,
    limit: int = MAX_GROUPS,
    sizes: Mapping[str, int] | None = None,
    name_small: bool = True,
) -> Matrix:
    """Groups of items (organisations, wards, grade bands) against the top-level elements.

    A group with fewer than 10 items is marked suppressed and carries no counts,
    and so is the next smallest when it alone would otherwise be worked out
    from the framework's totals.

    Args:
        items: The items in the report.
        coded: Their codes.
        group: The group of an item (None leaves the item out).
        title: What the groups are, for headings.
        limit: Show at most this many groups, largest first.
        sizes: Each group's number of items, when counted elsewhere (by the
            database); ``items`` then need hold only the items with codes.
        name_small: List groups of fewer than 10 by name. An organisation's
            name is no one's; a value such as a social-media handle or a rare
            team is, so for attributes they are counted, not named.
    """
    roots = [code for code in coded.codebook.roots()]
    index = {code.id: n for n, code in enumerate(roots)}
    counted: Counter[str] = Counter(sizes or {})
    coded_counts: Counter[str] = Counter()
    cells: dict[str, list[int]] = defaultdict(lambda: [0] * len(roots))
    for item in items:
        name = group(item)
        if name is None:
            continue
        if sizes is None:
            counted[name] += 1
        found = coded.roots(item.id)
        if found:
            coded_counts[name] += 1
        for root in found:
            cells[name][index[root]] += 1
    ordered = sorted(counted, key=lambda name: (-counted[name], name))
    hidden = withheld(counted)
    small = 0
    if not name_small:
        small = sum(1 for name in ordered if suppressed(counted[name]))
        ordered = [name for name in ordered if not suppressed(counted[name])]
    listed = {name for name in ordered[:limit] if name not in hidden}
    rows = [
        MatrixRow(name, counted[name], 0, [], suppressed=True)
        if name in hidden
        else MatrixRow(name, counted[name], coded_counts[name], list(cells[name]))
        for name in ordered[:limit]
    ]
    return Matrix(
        title=title,
        codes=[c.id for c in roots],
        titles=[c.title for c in roots],
        rows=_cover_columns(
            rows, [cells[name] for name in counted if name not in listed], len(roots)
        ),
        hidden_groups=max(0, len(ordered) - limit),
        small_groups=small,
    )


def _cover_columns(
    rows: list[MatrixRow], unseen: Sequence[Sequence[int]], width: int
) -> list[MatrixRow]:
    """Withhold more cells where a column's hidden counts would add up to fewer than 10.

    Each column's total is shown elsewhere (the framework's coverage), so the
    counts not shown in it add up to that total less the ones shown. When they
    hold 1 to 9 items between them (three organisations at "fewer than 10"
    beside a total 3 above the rest: each is 1), the smallest count shown in
    the column is withheld too, until they hold 10 or more.
    """
    covering: dict[int, set[int]] = defaultdict(set)
    for column in range(width):
        hidden = sum(cells[column] for cells in unseen)
        shown: list[tuple[int, int]] = []
        for n, row in enumerate(rows):
            if row.suppressed:
                continue
            count = row.counts[column]
            if suppressed(count):
                hidden += count
            elif count:
                shown.append((count, n))
        shown.sort()
        while 0 < hidden < MIN_GROUP and shown:
            count, n = shown.pop(0)
            covering[n].add(column)
            hidden += count
    return [
        replace(row, covering=frozenset(covering[n])) if covering.get(n) else row
        for n, row in enumerate(rows)
    ]


def organisation_of(item: Counted) -> str:
    """An item's organisation, or a label for items without one."""
    return item.organisation or NO_ORGANISATION


def attribute_of(attribute: str) -> Callable[[ItemRecord], str | None]:
    """A grouping by an item attribute (items without it are left out)."""

    def group(item: ItemRecord) -> str | None:
        value = item.attributes.get(attribute)
        if value is None or str(value).strip() == "":
            return None
        return str(value).strip()

    return group


def month_of(value: date) -> str:
    """``YYYY-MM`` of a date."""
    return f"{value.year:04d}-{value.month:02d}"


TREND_PERIODS = ("month", "quarter", "year")
"""The periods a trend may count in, finest first."""


def period_of(value: date, period: str) -> str:
    """The label of the month (``2024-03``), quarter (``2024 Q1``) or year holding a date."""
    if period == "month":
        return month_of(value)
    if period == "quarter":
        return f"{value.year:04d} Q{(value.month - 1) // 3 + 1}"
    return f"{value.year:04d}"


def _periods_between(first: date, last: date, period: str) -> list[str]:
    labels: list[str] = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        label = period_of(date(year, month, 1), period)
        if not labels or labels[-1] != label:
            labels.append(label)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return labels


def _showable(counts: Collection[int]) -> bool:
    """Whether most counts that name anyone are large enough to show."""
    named = [n for n in counts if n > 0]
    return not named or 2 * sum(1 for n in named if n >= MIN_GROUP) >= len(named)


def trend(
    items: Sequence[Counted],
    coded: CodedEvidence,
    *,
    days: Mapping[date, int] | None = None,
    total: int | None = None,
    period: str | None = None,
) -> Trend | None:
    """Items per period per top-level element (None when no item has a date).

    The period is the finest of month, quarter and year in which at least half
    of the element counts that are not 0 can be shown (10 or more items): a
    chart of "fewer than 10" in most months tells a reader nothing and would
    sit beside small groups. Counts of 1 to 9 are still withheld when shown.

    Args:
        items: The items in the report (with ``days``, only those with codes).
        coded: Their codes.
        days: Dated items per day, when counted elsewhere (by the database).
        total: With ``days``, how many items there are, dated or not.
        period: Count in this period rather than choosing one: views that are
            parts of one total must count in the same periods, or one could be
            subtracted from another.
    """
    dated = [item for item in items if item.item_date is not None]
    per_day = Counter(i.item_date for i in dated if i.item_date) if days is None else days
    if not per_day:
        return None
    roots = list(coded.codebook.roots())
    index = {code.id: n for n, code in enumerate(roots)}
    item_roots = [(item.item_date, coded.roots(item.id)) for item in dated]
    for counted_in in TREND_PERIODS if period is None else (period,):
        periods = _periods_between(min(per_day), max(per_day), counted_in)
        position = {label: n for n, label in enumerate(periods)}
        series = [[0] * len(periods) for _ in roots]
        totals = [0] * len(periods)
        for day, n in per_day.items():
            totals[position[period_of(day, counted_in)]] += n
        for when, codes in item_roots:
            assert when is not None
            column = position[period_of(when, counted_in)]
            for root in codes:
                series[index[root]][column] += 1
        if _showable([v for values in series for v in values]):
            break
    keep = [n for n, values in enumerate(series) if any(values)]
    return Trend(
        period=counted_in,
        periods=periods,
        codes=[roots[n].id for n in keep],
        titles=[roots[n].title for n in keep],
        series=[series[n] for n in keep],
        totals=totals,
        undated=(len(items) if total is None else total) - sum(per_day.values()),
    )


def patterns(
    items: Sequence[Counted],
    coded: CodedEvidence,
    *,
    focus: str | None = None,
    organisations: Collection[str] | None = None,
    focus_coded: str = "all",
) -> list[PatternRow]:
    """Barriers, enablers and drivers, with how many organisations name each.

    Args:
        items: The network's items.
        coded: Their codes against the drivers/barriers/enablers codebook (or any
            codebook with top-level ``barrier``/``enabler``/``driver`` codes).
        focus: The organisation the report is about, to mark what it names.
        organisations: The network's organisations, when known without reading
            every item (``items`` then need hold only the items with codes).
        focus_coded: How much of the focus organisation's evidence the run coded
            (``all``, ``part`` or ``none``).

    Returns:
        Rows grouped by kind (barriers first), most organisations first.
    """
    if organisations is None:
        organisations = {item.organisation for item in items if item.organisation}
    naming: dict[str, set[str]] = defaultdict(set)
    counts: Counter[str] = Counter()
    for item in items:
        for code in coded.codes_rolled_up(item.id):
            counts[code] += 1
            if item.organisation:
                naming[code].add(item.organisation)
    checked = _checked_counts(items, coded)
    rows: list[PatternRow] = []
    for kind in PATTERN_KINDS:
        if kind not in coded.codebook:
            continue
        found = [
            PatternRow(
                kind=kind,
                code=code.id,
                title=code.title,
                organisations=len(naming[code.id]),
                of=len(organisations),
                items=counts[code.id],
                named_by_focus=None if focus is None else focus in naming[code.id],
                checked=checked.get(code.id, 0),
                focus_coded=focus_coded,
            )
            for code in coded.codebook.descendants(kind)
            if counts[code.id]
        ]
        rows.extend(sorted(found, key=lambda r: (-r.organisations, -r.items, r.title)))
    return rows


__all__ = [
    "NO_ORGANISATION",
    "PATTERN_KINDS",
    "TREND_PERIODS",
    "Counted",
    "attribute_of",
    "coverage",
    "group_matrix",
    "month_of",
    "organisation_of",
    "patterns",
    "period_of",
    "top_codes",
    "trend",
]
