"""One kind of evidence at a time, without letting the kinds be subtracted from each other.

The dashboards count everyone's evidence, or one kind of voice at a time
(residents, staff, partners, network members). Each count in a one-kind view is
a part of the same count for everyone: "Everyone 25, network members 11,
residents 13" gives the staff's 1 away, though the staff view says "fewer than
10". So every figure of a one-kind view is treated as one part of a total that
is shown, beside the sums that hold within the view (an element's cells across
organisations and periods): :func:`upstream.policy.withheld_in_sums` decides
which figures to hide, and one of 10 or more hidden to cover a smaller one
reads "not shown". Every kind's view makes the same decision about the same
figure, since each works it out from the same counts.

A figure is named by a key: ``("coded", framework)`` for the items coded
against a framework, ``("code", id)`` for a code's items,
``("org", name)``, ``("org-coded", name)`` and ``("org-cell", name, element)``
for an organisation's row of the heatmap (or ``value`` for an attribute's
group), ``("pattern", id)`` for a barrier or enabler, and ``("period", label)``,
``("trend", label, element)`` and ``("undated",)`` for trends.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Final

from upstream.policy import suppressed, withheld_in_sums
from upstream.reports.analysis import organisation_of, period_of
from upstream.reports.checks import Check
from upstream.reports.counted import Counted
from upstream.reports.counts import CodeCount, Matrix, PatternRow, Trend
from upstream.reports.evidence import CodedEvidence
from upstream.reports.headlines import DBE_LENS

Key = tuple[Hashable, ...]
"""A figure's name, the same in every kind's view."""

__all__ = [
    "Key",
    "cover_checks",
    "cover_codes",
    "cover_matrix",
    "cover_patterns",
    "cover_trend",
    "covered_lenses",
    "figure_counts",
    "group_counts",
    "view_relations",
    "withheld_figures",
    "withheld_in",
]


def figure_counts(
    items: Sequence[Counted],
    coded: CodedEvidence | None,
    barriers: CodedEvidence | None,
    *,
    organisations: Mapping[str, int],
    days: Mapping[date, int],
    total: int,
    period: str | None,
) -> Counter[Key]:
    """Every figure one kind's view shows, as it would be before any is withheld.

    Args:
        items: The kind's items that carry a code (others count only in totals).
        coded: Their codes against the dashboard's framework.
        barriers: Their codes against drivers, barriers and enablers, if counted.
        organisations: The kind's items per organisation (the heatmap's rows,
            named as :func:`~upstream.reports.analysis.organisation_of` names them).
        days: The kind's dated items per day.
        total: The kind's items, dated or not.
        period: The trend's period (``month``, ``quarter`` or ``year``), or None.

    Returns:
        Each figure's count by its key.
    """
    counts: Counter[Key] = Counter()
    lenses = [] if coded is None else [(coded.codebook.title, coded)]
    if barriers is not None and barriers is not coded:
        lenses.append((DBE_LENS, barriers))
    for lens, book in lenses:
        counts[("coded", lens)] = sum(1 for item in items if book.assigned.get(item.id))
    counts[("items",)] = total
    if coded is not None:
        counts.update(group_counts(items, coded, organisation_of, "org", organisations))
        for item in items:
            counts.update(("code", code) for code in coded.codes_rolled_up(item.id))
            if period is not None:
                label = None if item.item_date is None else period_of(item.item_date, period)
                counts.update(
                    ("trend-undated", root) if label is None else ("trend", label, root)
                    for root in coded.roots(item.id)
                )
    if barriers is not None and barriers is not coded:
        for item in items:
            counts.update(("pattern", code) for code in barriers.codes_rolled_up(item.id))
    if period is not None:
        for day, n in days.items():
            counts[("period", period_of(day, period))] += n
        counts[("undated",)] += total - sum(days.values())
    return counts


Relation = tuple[Key, tuple[Key, ...]]
"""A figure and the figures that add up to it, in one view."""

PUBLIC: Final = frozenset({("items",)})
"""Figures a view states (its number of items): never withheld in a view alone or in
everyone's; one kind of evidence's number of items is withheld when only that can
cover a smaller group."""

NEVER_SHOWN: Final = "trend-undated"
"""A key for a count no page shows (an element's undated items), which hides its share of a sum."""


def view_relations(counts: Mapping[Key, int]) -> list[Relation]:
    """The sums that hold between one view's figures, which a reader could use to subtract.

    An element's coded items are its cells across the organisations, and its
    counts across the periods (with its undated items, never shown); the view's
    items are its periods' (with the undated) and its organisations'; its
    coded items are its organisations' coded items.

    Args:
        counts: The view's figures (:func:`figure_counts`).

    Returns:
        The relations, in a fixed order.
    """
    orgs = sorted(str(key[1]) for key in counts if key[0] == "org")
    periods = sorted(str(key[1]) for key in counts if key[0] == "period")
    roots = sorted({str(key[-1]) for key in counts if key[0] in ("org-cell", "trend", NEVER_SHOWN)})
    relations: list[Relation] = []
    for root in roots:
        relations.append((("code", root), tuple(("org-cell", org, root) for org in orgs)))
        if periods:
            relations.append(
                (
                    ("code", root),
                    (*(("trend", label, root) for label in periods), (NEVER_SHOWN, root)),
                )
            )
    if periods:
        relations.append((("items",), (*(("period", label) for label in periods), ("undated",))))
    if orgs:
        relations.append((("items",), tuple(("org", org) for org in orgs)))
    # Organisations' coded items are coded against the view's own framework, not the
    # drivers, barriers and enablers counted beside it.
    lenses = sorted(str(key[1]) for key in counts if key[0] == "coded" and key[1] != DBE_LENS)
    if lenses and any(key[0] == "org-coded" for key in counts):
        relations.append((("coded", lenses[0]), tuple(("org-coded", org) for org in orgs)))
    return relations


def withheld_figures(counts: Mapping[str, Counter[Key]], chosen: str) -> frozenset[Key]:
    """Figures of 10 or more to withhold in one view, so that no small group can be worked out.

    With one view (``counts`` holds only ``chosen``), its own sums are
    protected: where a sum is shown, the figures hidden in it hold 10 or more
    and are at least two (or the sum is hidden too); where a sum is hidden, at
    least one of its figures is too. With several kinds of evidence, each
    figure for everyone is also the sum of the kinds' figures: everyone's
    figures count as shown (unless under 10; everyone's view protects its own
    sums itself) and the kinds' are withheld as needed, with each kind's own
    sums protected as above. Every kind's view reaches the same decision, since
    each works from the same counts in the same order.

    Args:
        counts: Each kind's figures (:func:`figure_counts`), ``chosen`` among them.
        chosen: The view being shown.

    Returns:
        Keys of ``chosen``'s figures of 10 or more to withhold (figures of 1 to 9
        are withheld anyway).
    """
    kinds = sorted(counts) if len(counts) > 1 else []
    everyone = "\0everyone"
    values: dict[tuple[str, Key], int] = {
        (view, key): n for view, figures in counts.items() for key, n in figures.items()
    }
    relations: list[tuple[tuple[str, Key], tuple[tuple[str, Key], ...]]] = []
    if kinds:
        keys = sorted({key for view in kinds for key in counts[view]}, key=repr)
        for key in keys:
            if key[0] == NEVER_SHOWN:
                continue
            values[(everyone, key)] = sum(counts[view][key] for view in kinds)
            relations.append(((everyone, key), tuple((view, key) for view in kinds)))
    for view in kinds or list(counts):
        relations.extend(
            ((view, total), tuple((view, part) for part in parts))
            for total, parts in view_relations(counts[view])
        )
    fixed = {everyone} if kinds else set()
    never = {name for name, n in values.items() if n and name[1][0] == NEVER_SHOWN}
    hidden = withheld_in_sums(
        values,
        relations,
        unshown=never,
        # A kind's number of items is withheld too when nothing else can cover a
        # smaller group: with one organisation, its items are that organisation's.
        fixed={name for name in values if name[0] in fixed or (not kinds and name[1] in PUBLIC)},
    )
    return frozenset(
        key
        for view, key in hidden
        if view == chosen and not suppressed(values.get((view, key), 0)) and key[0] != NEVER_SHOWN
    )


def group_counts(
    items: Sequence[Counted],
    coded: CodedEvidence,
    group: Callable[[Counted], str | None],
    name: str,
    sizes: Mapping[str, int],
) -> Counter[Key]:
    """A breakdown's figures: each group's items, coded items and cells, before withholding.

    Args:
        items: The items that carry a code.
        coded: Their codes.
        group: Each item's group (None leaves it out).
        name: What the groups are, for the keys (``org`` or ``value``).
        sizes: Items per group, coded or not.
    """
    counts: Counter[Key] = Counter({(name, group_name): n for group_name, n in sizes.items()})
    for item in items:
        found = group(item)
        if found is None:
            continue
        roots = coded.roots(item.id)
        if roots:
            counts[(f"{name}-coded", found)] += 1
        counts.update((f"{name}-cell", found, root) for root in roots)
    return counts


def withheld_in(
    items: Sequence[Counted],
    coded: CodedEvidence | None,
    barriers: CodedEvidence | None,
    *,
    period: str | None,
) -> frozenset[Key]:
    """One report's figures of 10 or more to withhold, counted from all its items.

    For a report that reads every item (:func:`upstream.workflows.reports.report_from`);
    the dashboards count in the database and call :func:`withheld_figures` themselves.

    Args:
        items: Every item the report counts.
        coded: Their codes against the report's framework.
        barriers: Their codes against drivers, barriers and enablers, when the
            report counts them over the same items.
        period: The period its trend counts in (None: no trend).
    """
    sizes = Counter(organisation_of(item) for item in items)
    days = Counter(item.item_date for item in items if item.item_date is not None)
    counts = figure_counts(
        items, coded, barriers, organisations=sizes, days=days, total=len(items), period=period
    )
    return withheld_figures({"": counts}, "")


def covered_lenses(covered: frozenset[Key]) -> set[str]:
    """The frameworks whose count of coded items is withheld (see ``Check.covered``)."""
    return {str(key[1]) for key in covered if key[0] == "coded"}


def cover_checks(checks: Sequence[Check], covered: frozenset[Key]) -> list[Check]:
    """Each framework's reach, with its count of coded items withheld where it is covered."""
    if ("items",) in covered:
        return [replace(c, covered=True, items_covered=True) for c in checks]
    lenses = covered_lenses(covered)
    return [replace(c, covered=True) if c.lens in lenses else c for c in checks]


def cover_codes(rows: Sequence[CodeCount], covered: frozenset[Key]) -> list[CodeCount]:
    """Coverage rows with the covered codes' counts withheld."""
    return [replace(r, covered=True) if ("code", r.code) in covered else r for r in rows]


def cover_patterns(
    rows: Sequence[PatternRow], covered: frozenset[Key], name: str = "pattern"
) -> list[PatternRow]:
    """Barrier and enabler rows with the covered ones' item counts withheld.

    ``name`` is ``code`` when the barriers are the view's own framework, whose
    codes' counts they are.
    """
    return [replace(r, covered=True) if (name, r.code) in covered else r for r in rows]


def cover_matrix(matrix: Matrix, covered: frozenset[Key], name: str = "org") -> Matrix:
    """A breakdown with covered totals and cells withheld.

    Args:
        matrix: Organisations (or an attribute's groups) against the elements.
        covered: The keys to withhold (:func:`withheld_figures`).
        name: What the rows are in the keys (``org`` or ``value``).
    """
    rows = []
    for row in matrix.rows:
        if row.suppressed:
            rows.append(row)
            continue
        cells = {
            n for n, code in enumerate(matrix.codes) if (f"{name}-cell", row.name, code) in covered
        }
        totals = (name, row.name) in covered or (f"{name}-coded", row.name) in covered
        rows.append(replace(row, covering=row.covering | cells, totals_covered=totals))
    return replace(matrix, rows=rows)


def cover_trend(trend: Trend, covered: frozenset[Key]) -> Trend:
    """A trend with covered counts withheld (not drawn, and "not shown" in its table)."""
    return replace(
        trend,
        covered=frozenset(
            (s, p)
            for s, code in enumerate(trend.codes)
            for p, label in enumerate(trend.periods)
            if ("trend", label, code) in covered
        ),
        totals_covered=frozenset(
            p for p, label in enumerate(trend.periods) if ("period", label) in covered
        ),
        undated_covered=("undated",) in covered,
    )
