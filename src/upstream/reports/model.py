"""What a report says, as plain data: every renderer (HTML, PDF, XLSX, web) reads these.

The numbers here are already safe to show: groups too small to report are
marked ``suppressed`` and carry no counts, so a renderer cannot leak them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from upstream.policy import FEWER_THAN, Quote, shown_count
from upstream.policy import suppressed as too_small
from upstream.reports.checks import Check

Cell = str | int | float | None


NOT_SHOWN = "not shown"
"""What a group hidden only to protect a smaller one reads instead of its size."""


class ReportError(ValueError):
    """The report cannot be made as asked (unknown organisation, format or codebook)."""


@dataclass(frozen=True)
class Table:
    """One table of a report: a sheet in the workbook, a table beside a chart.

    Attributes:
        key: Short stable name (also the worksheet name).
        title: Heading shown above the table.
        columns: Column headings.
        rows: The rows; cells are text or numbers.
        note: A sentence under the table (what is counted, what is left out).
        percent_columns: Columns holding shares from 0 to 1, shown as percentages.
    """

    key: str
    title: str
    columns: list[str]
    rows: list[list[Cell]]
    note: str = ""
    percent_columns: tuple[int, ...] = ()

    def numeric(self, column: int) -> bool:
        """Whether every filled cell of a column is a number (so it is right-aligned)."""
        values = [row[column] for row in self.rows if row[column] is not None]
        return bool(values) and all(isinstance(v, int | float) for v in values)

    def text(self, row: int, column: int) -> str:
        """A cell as it is shown on screen and paper."""
        value = self.rows[row][column]
        if value is None:
            return "\u2014"
        if isinstance(value, float) and column in self.percent_columns:
            return f"{100 * value:.0f}%"
        if isinstance(value, bool):
            return "yes" if value else "no"
        if isinstance(value, int):
            return f"{value:,}"
        if isinstance(value, float):
            return f"{value:,.2f}"
        return value


def _shown(n: int, *, covered: bool = False) -> str:
    """A count as it may be shown; one withheld to cover a smaller group reads "not shown"."""
    return NOT_SHOWN if covered else shown_count(n)


def _cell(n: int) -> Cell:
    """A count as a table cell: the number, or "fewer than 10" for 1 to 9."""
    return FEWER_THAN if too_small(n) else n


def _checked_shown(items: int, checked: int, *, covered: bool = False) -> str:
    """A checked count beside the count of items it is part of, withheld with it."""
    if covered:
        return NOT_SHOWN
    return shown_count(checked) if too_small(items) else f"{checked:,}"


@dataclass(frozen=True)
class CodeCount:
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
    def hidden(self) -> bool:
        """Whether its count is withheld: 1 to 9 items, or covering a smaller group."""
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
        """How many of its items people coded or checked, withheld with the count it is part of.

        Beside "fewer than 10", a checked count of 3 would say there are at least 3.
        """
        return _checked_shown(self.items, self.checked, covered=self.covered)

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
class PatternRow:
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

    @property
    def hidden(self) -> bool:
        """Whether its count of items is withheld."""
        return self.covered or too_small(self.items)

    @property
    def shown(self) -> str:
        """Its items as they may be shown: ``"12"``, ``"0"``, "fewer than 10" or "not shown"."""
        return _shown(self.items, covered=self.covered)

    @property
    def checked_shown(self) -> str:
        """How many of its items people coded or checked, withheld with the count it is part of."""
        return _checked_shown(self.items, self.checked, covered=self.covered)


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


@dataclass(frozen=True)
class QuoteGroup:
    """Quotes that illustrate one code.

    Attributes:
        code: The code's id.
        title: The code's title.
        items: Items coded to it.
        quotes: The quotes.
        covered: Its count is withheld though 10 or more (see :attr:`CodeCount.covered`).
    """

    code: str
    title: str
    items: int
    quotes: list[Quote]
    covered: bool = False

    @property
    def items_shown(self) -> str:
        """Its items for a heading: "12 items", "fewer than 10 items" or "items not shown"."""
        if self.covered:
            return f"items {NOT_SHOWN}"
        return f"{FEWER_THAN} items" if too_small(self.items) else f"{self.items:,} items"


@dataclass(frozen=True)
class SubThemeSummary:
    """One sub-theme of a reported theme: its name and how many items it holds.

    ``covered`` is true when its size is withheld, though 10 or more, because
    with the theme's size and the other sub-themes' it would give a smaller
    one away.
    """

    label: str
    size: int
    covered: bool = False

    @property
    def size_shown(self) -> str:
        """Its size as it may be shown: "12", "fewer than 10" or "not shown"."""
        return NOT_SHOWN if self.covered else shown_count(self.size)


@dataclass(frozen=True)
class ThemeSummary:
    """A theme found in the evidence, for the report's themes section.

    Attributes:
        label: Its name.
        size: Items in it that the report's reader may see.
        quotes: A few typical quotes.
        keywords: Distinctive words.
        description: One sentence on what its items say.
        subthemes: What it holds, largest first: a reader who sees the sub-themes
            under a theme's name can tell far better what belongs in it.
        repeated: Of its items, those that say word for word what another says.
    """

    label: str
    size: int
    quotes: list[Quote] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    description: str = ""
    subthemes: list[SubThemeSummary] = field(default_factory=list)
    repeated: int = 0


@dataclass(frozen=True)
class Agreement:
    """How often the machine's suggestion matched what people decided.

    Attributes:
        decisions: Items with both a machine suggestion and a person's decision.
        agreed: Of those, where the person chose the machine's top code.
        kappa: Cohen's κ between machine and people (None when undefined).
    """

    decisions: int
    agreed: int
    kappa: float | None

    @property
    def percent(self) -> float:
        """Agreement as a percentage."""
        return 100.0 * self.agreed / self.decisions if self.decisions else 0.0


@dataclass(frozen=True)
class Method:
    """How the coding was done, and how far to trust it.

    Attributes:
        framework: Title of the codebook.
        framework_id: Its id (``nom``, ``hls``, ...).
        framework_version: Its version.
        run_id: The coding run the report uses.
        run_started: When that run started.
        started_by: Who started it.
        mode: ``zero-shot`` (from the codebook alone) or ``supervised``.
        labelled_examples: People's decisions the coder learned from.
        threshold: Confidence below which items were left uncoded.
        parameters: Every parameter of the run.
        versions: Software and model versions of the run.
        seed: Random seed of the run.
        items: Items in the report.
        coded: Items with at least one code.
        reviewed: Items a person has decided on.
        accepted: Suggestions people accepted.
        rejected: Items where people rejected every suggestion.
        recoded: Items people gave a different code.
        agreement: Machine against people, where people decided.
        dbe_run_id: The drivers/barriers/enablers run used, if any.
        placed: Items people coded themselves with no suggestion of the machine's
            to accept (a story's writer placing it on the framework).
    """

    framework: str
    framework_id: str
    framework_version: str
    run_id: int
    run_started: datetime
    started_by: str
    mode: str
    labelled_examples: int
    threshold: float | None
    parameters: dict[str, Any]
    versions: dict[str, Any]
    seed: int | None
    items: int
    coded: int
    reviewed: int
    accepted: int
    rejected: int
    recoded: int
    agreement: Agreement | None
    dbe_run_id: int | None = None
    placed: int = 0

    @property
    def uncoded(self) -> int:
        """Items left without a code."""
        return self.items - self.coded

    @property
    def uncoded_share(self) -> float:
        """Share of items left without a code (0 to 1)."""
        return self.uncoded / self.items if self.items else 0.0


@dataclass(frozen=True)
class BenefitLine:
    """A benefit from the register, as a report shows it.

    Attributes:
        title: What the benefit is.
        organisation: Whose benefit it is.
        category: ``cashable``, ``non-cashable`` or ``social``.
        status: Where it stands (``planned``, ``on track``, ...).
        owner: Who is responsible for it.
        measure: The measure it is tracked by, in words (empty when none).
        baseline: Where the measure started.
        target: Where it should get to.
        due: When the target should be met.
        latest: The latest actual value of the measure.
        evidence: Linked items of evidence the reader may see.
        figures_say: What its figures say beside its owner's status ("" when they cannot).
    """

    title: str
    organisation: str
    category: str
    status: str
    owner: str = ""
    measure: str = ""
    baseline: float | None = None
    target: float | None = None
    due: date | None = None
    latest: float | None = None
    evidence: int = 0
    figures_say: str = ""


@dataclass(frozen=True)
class CultureLine:
    """One culture theme of one organisation's staff survey in its latest year.

    Attributes:
        organisation: The organisation.
        survey: The survey's name.
        theme: The culture theme (or measure) as labelled.
        year: Its latest year with a score.
        score: The score as shown ("41%").
        respondents: How many answered (None when the results do not say).
        change: The change since its previous survey as shown ("-3"), "" in its first.
        reading: "could be chance", "more than chance would explain" or "" (not judged).
        median: The median of comparable organisations that year, as shown.
        gap: Score minus median, as shown ("-18").
    """

    organisation: str
    survey: str
    theme: str
    year: int
    score: str
    respondents: int | None
    change: str
    reading: str
    median: str
    gap: str


@dataclass(frozen=True)
class ReportData:
    """Everything one report says, ready to render.

    Attributes:
        title: The report's title.
        workspace: The workspace it draws on.
        organisation: The organisation it is about (None for the whole network).
        generated_at: When it was made.
        items: Items of evidence in the report.
        organisations: Organisations those items come from.
        sources: Sources (imports) those items come from.
        first_date: Earliest dated item.
        last_date: Latest dated item.
        headlines: Plain sentences, most important first.
        by_organisation: Items per organisation (small ones suppressed).
        coverage: Items per code of the framework, in codebook order.
        top_codes: The most used codes, most items first.
        patterns: Barriers, enablers and drivers named across organisations.
        matrix: Organisations against top-level elements.
        trend: Items per month per top-level element.
        quotes: Quotes for each top code.
        themes: Themes found in the evidence (empty until themes are discovered).
        themes_from: Which of the report's evidence the themes were found in, when
            not all of it ("" when they cover it all).
        method: How the coding was done (None when nothing is coded yet).
        caveats: What to bear in mind, in plain sentences.
        checks: Each framework's coverage and how much of it people coded or checked,
            the report's framework first.
        benefits: The benefits register's entries for what the report covers.
        culture: The organisation's staff-survey culture themes in their latest
            year (an organisation's report only; empty without survey results).
    """

    title: str
    workspace: str
    organisation: str | None
    generated_at: datetime
    items: int
    organisations: int
    sources: int
    first_date: date | None
    last_date: date | None
    headlines: list[str]
    by_organisation: list[MatrixRow]
    coverage: list[CodeCount]
    top_codes: list[CodeCount]
    patterns: list[PatternRow]
    matrix: Matrix | None
    trend: Trend | None
    quotes: list[QuoteGroup]
    themes: list[ThemeSummary]
    method: Method | None
    caveats: list[str]
    checks: list[Check] = field(default_factory=list)
    benefits: list[BenefitLine] = field(default_factory=list)
    culture: list[CultureLine] = field(default_factory=list)
    themes_from: str = ""

    @property
    def items_shown(self) -> str:
        """How many items, as it may be shown: one organisation's is a small group under 10."""
        return shown_count(self.items) if self.organisation else f"{self.items:,}"

    @property
    def top_level(self) -> list[CodeCount]:
        """Coverage of the top-level elements only."""
        return [c for c in self.coverage if c.depth == 0]
