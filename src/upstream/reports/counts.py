"""Count-bearing rows of a report: codes, patterns, the heatmap and trends.

Each row carries its counts and what of them must be withheld (``covered``:
a count of 10 or more hidden so that a smaller one cannot be worked out from
the sums a reader can do, see :mod:`upstream.reports.views`), and gives its
figures only through properties that apply that rule. A renderer reads
``*_shown`` and never the raw count where a count may be hidden.
"""

from __future__ import annotations

from dataclasses import dataclass

from upstream.policy import FEWER_THAN, shown_count
from upstream.policy import suppressed as too_small

Cell = str | int | float | None
"""A table cell: text or a number."""

NOT_SHOWN = "not shown"
"""What a group hidden only to protect a smaller one reads instead of its size."""


def _shown(n: int, *, covered: bool = False) -> str:
    """A count as it may be shown; one withheld to cover a smaller group reads "not shown"."""
    return NOT_SHOWN if covered else shown_count(n)


def _cell(n: int) -> Cell:
    """A count as a table cell: the number, or "fewer than 10" for 1 to 9."""
    return FEWER_THAN if too_small(n) else n


class _CountedItems:
    """What a row of counted items shows: its ``items``, and how many people ``checked``.

    Both are withheld together: 1 to 9 reads "fewer than 10", and a count hidden
    to cover a smaller group (``covered``) reads "not shown", with its checked
    count too.
    """

    items: int
    checked: int
    covered: bool

    @property
    def hidden(self) -> bool:
        """Whether its count of items is withheld: 1 to 9, or covering a smaller group."""
        return self.covered or too_small(self.items)

    @property
    def shown(self) -> str:
        """Its items as they may be shown: ``"12"``, ``"0"``, "fewer than 10" or "not shown".

        The items behind one code are a group like any other: a handful of them,
        often from one organisation, would let a reader pick out who said it.
        """
        return _shown(self.items, covered=self.covered)

    @property
    def checked_shown(self) -> str:
        """How many of its items people coded or checked, withheld with its count.

        1 to 9 reads "fewer than 10" whatever the count beside it, as every
        small group does: the pages say no group under 10 is shown.
        """
        return NOT_SHOWN if self.covered else shown_count(self.checked)


@dataclass(frozen=True)
class CodeCount(_CountedItems):
    """How much evidence one code holds.

    Attributes:
        code: The code's id.
        title: The code's title.
        depth: 0 for a top-level element, 1 for its children, and so on.
        items: Items coded to it or to any code below it.
        organisations: Organisations with at least one such item.
        share: Items as a share of all coded items (0 to 1).
        network_share: The same share across the whole network, when the
            report is about one organisation (None when the network's count is
            1 to 9: with the total known, the share would give it away).
        checked: Of ``items``, how many carry codes a person checked.
        covered: Withheld though 10 or more, so that a smaller count (the same
            count for another kind of evidence, say, or a period's) cannot be
            worked out from it (see :mod:`upstream.reports.views`).
    """

    code: str
    title: str
    depth: int
    items: int
    organisations: int
    share: float
    network_share: float | None = None
    checked: int = 0
    covered: bool = False

    @property
    def share_shown(self) -> float | None:
        """Its share of coded items, or None when its count is withheld."""
        return None if self.hidden else self.share

    @property
    def bar(self) -> tuple[str, int | None]:
        """Its label and length in a bar chart; a withheld count is None and draws no bar.

        A bar's length would give the count away; a chart says "fewer than 10"
        where the bar would be, never 0, which would read as no evidence.
        """
        if self.hidden:
            return self.title, None
        return self.title, self.items

    @property
    def bar_order(self) -> tuple[int, int, str]:
        """Where its bar goes when bars are sorted, largest first: withheld ones last.

        Ordering by the hidden count would give away which small count is larger.
        """
        value = self.bar[1]
        return (value is None, -(value or 0), self.title)


@dataclass(frozen=True)
class PatternRow(_CountedItems):
    """A code named across organisations ("8 of 12 organisations name X as a barrier").

    Attributes:
        kind: ``barrier``, ``enabler`` or ``driver``.
        code: The code's id.
        title: The code's title.
        organisations: How many organisations name it.
        of: How many organisations there are to name it.
        items: Items coded to it.
        named_by_focus: Whether the organisation the report is about names it
            (None when the report covers the whole network).
        checked: Of ``items``, how many carry codes a person checked.
        covered: Its items withheld though 10 or more (as :attr:`CodeCount.covered`).
        focus_coded: How much of the focus organisation's evidence the framework's
            run coded: ``all``, ``part`` or ``none`` (imported since, say), so a
            report never says it does not name what nobody looked for.
    """

    kind: str
    code: str
    title: str
    organisations: int
    of: int
    items: int
    named_by_focus: bool | None = None
    checked: int = 0
    covered: bool = False
    focus_coded: str = "all"


@dataclass(frozen=True)
class MatrixRow:
    """One organisation (or segment) across the top-level elements.

    Attributes:
        name: The organisation or group.
        items: Items from it in the report.
        coded: Of those, items with at least one code.
        counts: Items per element, in the matrix's column order; empty when suppressed.
        suppressed: True when the group is too small to show.
        covering: Columns whose count is withheld though 10 or more, so that the
            column's total less the counts shown cannot give the small ones away.
        totals_covered: Its items and coded items are withheld though 10 or
            more, so that a smaller count cannot be worked out from them (see
            :mod:`upstream.reports.views`).
    """

    name: str
    items: int
    coded: int
    counts: list[int]
    suppressed: bool = False
    covering: frozenset[int] = frozenset()
    totals_covered: bool = False

    @property
    def items_shown(self) -> str:
        """Its items as they may be shown beside its cells."""
        return NOT_SHOWN if self.totals_covered else f"{self.items:,}"

    @property
    def shown(self) -> str:
        """Its size as it may be shown when hidden: "fewer than 10", or "not shown".

        A group of 10 or more is hidden only so that a small one cannot be worked
        out by subtraction; saying "fewer than 10" of it would be untrue.
        """
        return FEWER_THAN if too_small(self.items) else NOT_SHOWN

    @property
    def why_hidden(self) -> str:
        """Why a hidden group's figures are not shown, in words that fit its reason."""
        if too_small(self.items):
            return "Not shown: fewer than 10 items, too few to report safely."
        return "Not shown, so that a smaller group in this table cannot be worked out from it."

    @property
    def coded_shown(self) -> str:
        """How many of its items are coded, as it may be shown: "12", "0" or "fewer than 10".

        Shown as a number below 10, it would give away a withheld cell: with two
        coded items and every other element at 0, the one "fewer than 10" is 2.
        """
        if self.totals_covered:
            return NOT_SHOWN
        return FEWER_THAN if too_small(self.coded) else f"{self.coded:,}"

    def withheld(self, column: int) -> bool:
        """Whether one element's count is too small to show (1 to 9 items).

        Such a cell is shown as "fewer than 10" and not shaded, in the web app
        and in every report format alike, so its share never rests on a handful
        of items and a few people's words cannot be picked out of a table.
        """
        return self.suppressed or too_small(self.counts[column]) or column in self.covering

    def cell(self, column: int) -> str:
        """One element's count as it may be shown: ``"12"``, ``"0"`` or ``"fewer than 10"``.

        A count withheld only to cover a smaller one reads "not shown".
        """
        if self.suppressed or column in self.covering:
            return NOT_SHOWN
        return FEWER_THAN if self.withheld(column) else f"{self.counts[column]:,}"

    def share(self, column: int) -> float | None:
        """Share of the group's coded items in one element (None when not shown)."""
        if self.suppressed or self.totals_covered or not self.coded or self.withheld(column):
            return None
        return self.counts[column] / self.coded


@dataclass(frozen=True)
class Matrix:
    """Groups (rows) against the framework's top-level elements (columns).

    Attributes:
        title: What the rows are ("Organisation", or an attribute's name).
        codes: The column codes' ids.
        titles: The column codes' titles.
        rows: One row per group, largest first.
        hidden_groups: Groups left out beyond the largest shown.
        small_groups: Groups of fewer than 10 left out rather than named (for
            attributes, whose values can name a person).
    """

    title: str
    codes: list[str]
    titles: list[str]
    rows: list[MatrixRow]
    hidden_groups: int = 0
    small_groups: int = 0


@dataclass(frozen=True)
class Trend:
    """Items per period (month, quarter or year) for each top-level element.

    Attributes:
        period: ``"month"``, ``"quarter"`` or ``"year"``: the finest period in
            which most counts are large enough to show (see
            :func:`upstream.reports.analysis.trend`).
        periods: Period labels (``2024-03``, ``2024 Q1`` or ``2024``), oldest
            first, with no gaps.
        codes: Element ids, one series each.
        titles: Element titles.
        series: Items per period, one list per element, aligned with ``periods``.
        totals: All items (coded or not) per period.
        undated: Items left out because they have no date.
        covered: (element, period) positions withheld though 10 or more, so
            that a smaller count cannot be worked out from them (see
            :mod:`upstream.reports.views`).
        totals_covered: Periods whose count of all items is withheld so.
        undated_covered: Whether the count of undated items is withheld so.
    """

    period: str
    periods: list[str]
    codes: list[str]
    titles: list[str]
    series: list[list[int]]
    totals: list[int]
    undated: int
    covered: frozenset[tuple[int, int]] = frozenset()
    totals_covered: frozenset[int] = frozenset()
    undated_covered: bool = False

    @property
    def undated_shown(self) -> str | None:
        """How many items have no date, as it may be shown (None when there are none)."""
        if not self.undated:
            return None
        return _shown(self.undated, covered=self.undated_covered)

    @property
    def series_shown(self) -> list[list[int | None]]:
        """Each element's counts as a chart may draw them: a withheld count is a gap.

        A point's height would give a small count away, as a bar's length would.
        """
        return [
            [None if too_small(v) or (n, p) in self.covered else v for p, v in enumerate(values)]
            for n, values in enumerate(self.series)
        ]

    @property
    def drawn(self) -> list[int]:
        """Positions of the series with at least one point a chart may draw."""
        return [
            n for n, values in enumerate(self.share_series) if any(v is not None for v in values)
        ]

    @property
    def share_series(self) -> list[list[float | None]]:
        """Each element's share of its period's items, in per cent, as a chart draws it.

        A chart of counts makes every element look as if it falls when a period
        simply holds less evidence; shares do not. A share not shown is a gap.
        """
        by_period = self.shares_shown()
        return [
            [None if (share := row[s]) is None else round(100 * share, 1) for row in by_period]
            for s in range(len(self.series))
        ]

    def rows_shown(self) -> list[list[Cell]]:
        """The table's rows: period, all items, then each element; 1 to 9 read "fewer than 10".

        A count withheld to cover a smaller group reads "not shown".
        """
        return [
            [
                label,
                NOT_SHOWN if n in self.totals_covered else _cell(self.totals[n]),
                *(
                    NOT_SHOWN if (s, n) in self.covered else _cell(values[n])
                    for s, values in enumerate(self.series)
                ),
            ]
            for n, label in enumerate(self.periods)
        ]

    def shares_shown(self) -> list[list[float | None]]:
        """Each element's count as a share of its period's items, by period (None: not shown).

        Counts rise and fall with how much evidence a period holds; a share
        does not. A share is given only beside a count and a total that are
        both shown, since with one of them it would give the other away.
        """
        return [
            [
                None
                if n in self.totals_covered
                or too_small(self.totals[n])
                or not self.totals[n]
                or (s, n) in self.covered
                or too_small(values[n])
                else values[n] / self.totals[n]
                for s, values in enumerate(self.series)
            ]
            for n in range(len(self.periods))
        ]


__all__ = [
    "NOT_SHOWN",
    "Cell",
    "CodeCount",
    "Matrix",
    "MatrixRow",
    "PatternRow",
    "Trend",
]
