"""What a report says, as plain data: every renderer (HTML, PDF, XLSX, web) reads these.

The numbers here are already safe to show: groups too small to report are
marked ``suppressed`` and carry no counts, so a renderer cannot leak them. The
rows that carry counts a reader could add up (codes, patterns, the heatmap,
trends) live in :mod:`upstream.reports.counts`, with the rule that withholds them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from upstream.policy import FEWER_THAN, Quote, shown_count
from upstream.policy import suppressed as too_small
from upstream.reports.checks import Check
from upstream.reports.counts import NOT_SHOWN, Cell, CodeCount, Matrix, MatrixRow, PatternRow, Trend
from upstream.reports.run_scope import left_out_words


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
class WayPast:
    """A peer whose evidence tells of a way past one of the organisation's barriers.

    Attributes:
        barrier: The barrier's title.
        peer: The organisation whose evidence shows the way past.
        enabler: The enabler's title.
        linked: Whether the framework pairs that enabler with the barrier.
        quotes: The peer's words that show it (only ones the report may quote).
    """

    barrier: str
    peer: str
    enabler: str
    linked: bool
    quotes: tuple[Quote, ...]


PRIVATE_NAME = "Named from evidence this report does not quote"
"""A theme's name in a report when its words come only from items the report may not quote."""

WITHHELD_NAMES = (
    "Where a theme reads \u201c" + PRIVATE_NAME + "\u201d, its name and quotes would come "
    "from evidence its organisation has not shared with the whole network, so they are "
    "left out here; the report about that organisation shows them."
)
"""Said once in a report whose themes include one named :data:`PRIVATE_NAME`."""


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
        reactions: Likes, reposts and other reactions on its items, when the data has them.
        code: Its number as the web app shows it ("3"), so a reader can find it there.
        edited: What people did to it ("renamed", "merged", "split"), if anything.
    """

    label: str
    size: int
    quotes: list[Quote] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    description: str = ""
    subthemes: list[SubThemeSummary] = field(default_factory=list)
    repeated: int = 0
    reactions: int | None = None
    code: str = ""
    edited: tuple[str, ...] = ()


@dataclass(frozen=True)
class Agreement:
    """How often the machine's suggestion matched what people decided.

    Attributes:
        decisions: Items with both a machine suggestion and a person's decision.
        agreed: Of those, where the person chose the machine's top code.
        kappa: Cohen's κ between machine and people (None when undefined).
        counted: Of the decisions, those on a suggestion sure enough to count
            (at or above the run's threshold); the review queue asks first about
            the items the machine is least sure of, so these are often few.
        counted_agreed: Of those, where the person accepted a code the machine
            counted (its first choice, or another it counted, as when checking
            the items behind one code's count).
    """

    decisions: int
    agreed: int
    kappa: float | None
    counted: int = 0
    counted_agreed: int = 0

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
        covered: How many items there are, and how many are coded, is withheld:
            beside another view's figures they would give a small group away
            (:mod:`upstream.reports.views`).
        scope: Whose items ``items`` counts when the run left some kinds of evidence
            out by design ("from staff, partners and network members"); "" when it
            counts every item in the report.
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
    covered: bool = False
    scope: str = ""

    @property
    def uncoded(self) -> int:
        """Items left without a code."""
        return self.items - self.coded

    @property
    def not_coded(self) -> str:
        """Which evidence the framework was not applied to, and why ("" when none)."""
        return left_out_words(self.parameters, self.framework)

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
        value: What it is expected to be worth, in pounds a year (None when not valued).
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
    value: float | None = None


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
        themes_run: Which theme run the themes come from, and when ("" without themes).
        evidence_from: The one kind of evidence the report counts, in words
            ("residents"; "" when it counts every kind).
        items_covered: How many items the view holds is withheld: one kind of
            evidence from one organisation, say, whose items would otherwise give
            that organisation's other evidence away (:mod:`upstream.reports.views`).
        method: How the coding was done (None when nothing is coded yet).
        caveats: What to bear in mind, in plain sentences.
        checks: Each framework's coverage and how much of it people coded or checked,
            the report's framework first.
        benefits: The benefits register's entries for what the report covers.
        benefits_value: What those benefits are expected to be worth, in a sentence
            ("" when none has a value).
        culture: The organisation's staff-survey culture themes in their latest
            year (an organisation's report only; empty without survey results).
        ways_past: Peers whose shared evidence shows a way past the organisation's
            barriers (an organisation's report only).
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
    benefits_value: str = ""
    culture: list[CultureLine] = field(default_factory=list)
    ways_past: list[WayPast] = field(default_factory=list)
    themes_from: str = ""
    themes_run: str = ""
    evidence_from: str = ""
    items_covered: bool = False

    @property
    def themes_withheld(self) -> str:
        """:data:`WITHHELD_NAMES` when a theme's name is withheld here, else ""."""
        return WITHHELD_NAMES if any(t.label == PRIVATE_NAME for t in self.themes) else ""

    @property
    def items_shown(self) -> str:
        """How many items, as it may be shown: one organisation's is a small group under 10."""
        if self.items_covered:
            return NOT_SHOWN
        return shown_count(self.items) if self.organisation else f"{self.items:,}"

    @property
    def top_level(self) -> list[CodeCount]:
        """Coverage of the top-level elements only."""
        return [c for c in self.coverage if c.depth == 0]
