"""The dashboards' figures for one visibility scope, counted by the database.

:func:`dashboard_figures` gives the same numbers as
:func:`upstream.workflows.reports.report_from` over everything the scope may
see (the same codes in force, the same small-group rule), without reading every
item into Python: the database counts items per organisation, source and day,
and sends only the codings that count and the few facts of the items that carry
a code or a person's decision. A workspace of 100,000 items, of which a few
thousand are coded, sends a few thousand rows instead of every item and coding.

Quotes, themes and the benefits register are not part of the dashboards; the
downloaded report still reads them (:func:`upstream.workflows.reports.gather`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from upstream.records.stored import RunRecord
from upstream.records.tallies import ItemFacts, ItemTally
from upstream.reports.analysis import (
    NO_ORGANISATION,
    TREND_PERIODS,
    coverage,
    group_matrix,
    organisation_of,
    patterns,
    top_codes,
    trend,
)
from upstream.reports.checks import check_for
from upstream.reports.counted import Counted
from upstream.reports.counts import CodeCount, Matrix
from upstream.reports.evidence import CONFIDENT, EVERYTHING, CodedEvidence, choose_run
from upstream.reports.headlines import DBE_LENS, headlines
from upstream.reports.method import caveats, method
from upstream.reports.model import ReportData, ReportError
from upstream.reports.sources import source_groups
from upstream.reports.views import (
    Key,
    cover_checks,
    cover_codes,
    cover_matrix,
    cover_patterns,
    cover_trend,
    covered_lenses,
    figure_counts,
    group_counts,
    withheld_figures,
)
from upstream.store import Workspace
from upstream.store.accounts import Scope
from upstream.store.evidence_tally import (
    attribute_tally,
    attribute_values,
    item_facts,
    item_tally,
)
from upstream.store.visibility import ScopedEvidence
from upstream.workflows.coded_evidence import coded_with_barriers, coding_runs, load_coded
from upstream.workflows.reports import organisation_rows

__all__ = ["DashboardFigures", "ViewCounts", "dashboard_figures", "segment_matrix"]


@dataclass(frozen=True)
class DashboardFigures:
    """What the dashboards show one scope.

    Attributes:
        data: The network-wide figures (no quotes, themes or benefits).
        organisations: Organisations among the items the scope may see, A to Z.
        codebooks: Ids of the codebooks with a finished run, newest run first.
        coded: The codes counted on the items the scope may see (None if nothing
            is coded), for breaking the figures down by an attribute.
        beside: For one evidence type's view, what each other type's view
            counts, so that a breakdown can withhold what would give them away.
        covered: The figures withheld so that no view gives another's small
            groups away, for a downloaded report to withhold too.
        period: The trend's period every view shares (None: no trend).
    """

    data: ReportData
    organisations: list[str]
    codebooks: list[str]
    coded: CodedEvidence | None = None
    beside: Mapping[str, ViewCounts] = field(default_factory=dict)
    covered: frozenset[Key] = frozenset()
    period: str | None = None


def dashboard_figures(
    workspace: Workspace,
    scope: Scope,
    *,
    codebook: str | None = None,
    counting: str = CONFIDENT,
    source_ids: Sequence[int] | None = None,
    beside: Mapping[str, Sequence[int]] | None = None,
    kind: str = "",
) -> DashboardFigures:
    """The dashboards' figures over what ``scope`` may see.

    Args:
        workspace: The workspace.
        scope: What the person may see.
        codebook: Use the newest run with this codebook id; by default the newest
            run of a framework other than ``dbe``.
        counting: ``confident``, ``checked`` or ``all`` (see
            :func:`upstream.workflows.reports.gather`).
        source_ids: Only items of these sources (one evidence type).
        beside: With ``source_ids``, the sources of every other evidence type,
            by type: a figure is withheld where, with the same figure for the
            other types and for everyone, it would give a small group away
            (:mod:`upstream.reports.views`). Trends then count in the coarsest
            period any type's view would choose, so that every view's periods
            are the same.
        kind: With ``beside``, the evidence type ``source_ids`` holds, named as
            ``beside`` names types: every type's view must weigh the same
            figures under the same names to reach the same decisions.

    Whatever the view, no figure is shown that its own sums would give away
    (an element's cells across organisations or periods, say, when the
    element's count is withheld): see :func:`upstream.reports.views.withheld_figures`.

    Raises:
        ReportError: No finished run used ``codebook``, or ``counting`` is unknown.
    """
    runs = coding_runs(workspace)
    run = choose_run(runs, codebook)
    if codebook is not None and run is None:
        raise ReportError(f"No finished coding run used the codebook {codebook!r}.")
    mine = _count(workspace, scope, runs, run, counting, source_ids)
    others: dict[str, ViewCounts] = {}
    views = {kind: mine}
    if beside and source_ids is not None:
        if not kind or kind in beside:
            raise ValueError("Name the evidence type of the view, apart from those beside it.")
        others = {
            other: _count(workspace, scope, runs, run, counting, ids)
            for other, ids in beside.items()
        }
        views.update(others)
    period = _common_period(views.values())
    counts = {name: _figure_counts(view, period) for name, view in views.items()}
    covered = withheld_figures(counts, kind)
    scoped = not scope.see_all or source_ids is not None
    names = sorted(name for name in mine.tally.organisations if name)
    codebooks = list(dict.fromkeys(str(r.parameters.get("codebook", "")) for r in runs))
    return DashboardFigures(
        _figures(workspace, mine, counting, scoped, covered=covered, period=period),
        names,
        codebooks,
        mine.coded,
        others,
        covered,
        period,
    )


@dataclass(frozen=True)
class ViewCounts:
    """What one view counts: its items in groups, and the facts and codes of those coded.

    Attributes:
        source_ids: The view's sources (None: every source).
        tally: Its items, counted per organisation, source and day.
        facts: Facts of its items that carry a code or a decision.
        coded: Their codes against the dashboard's framework (None: nothing coded).
        barriers: Their codes against drivers, barriers and enablers, if counted.
    """

    source_ids: Sequence[int] | None
    tally: ItemTally
    facts: list[ItemFacts]
    coded: CodedEvidence | None
    barriers: CodedEvidence | None

    @property
    def sizes(self) -> Counter[str]:
        """Items per organisation, as the heatmap names its rows."""
        sizes: Counter[str] = Counter()
        for name, n in self.tally.organisations.items():
            sizes[name or NO_ORGANISATION] += n
        return sizes


def _count(
    workspace: Workspace,
    scope: Scope,
    runs: Sequence[RunRecord],
    run: RunRecord | None,
    counting: str,
    source_ids: Sequence[int] | None,
) -> ViewCounts:
    evidence = ScopedEvidence(workspace, scope)
    tally = item_tally(evidence, source_ids)
    guesses = counting == EVERYTHING

    def read(chosen: RunRecord) -> CodedEvidence:
        return load_coded(workspace, chosen, guesses=guesses, scope=scope, source_ids=source_ids)

    coded, barriers = coded_with_barriers(runs, run, read, counting)
    facts = item_facts(evidence, _touched(coded, barriers), source_ids)
    return ViewCounts(source_ids, tally, facts, coded, barriers)


def _common_period(views: Iterable[ViewCounts]) -> str | None:
    """The coarsest period any view's trend would choose on its own (None: nothing dated)."""
    chosen = [
        found.period
        for view in views
        if view.coded is not None
        and (found := trend(view.facts, view.coded, days=view.tally.days, total=view.tally.total))
    ]
    return max(chosen, key=TREND_PERIODS.index) if chosen else None


def _figure_counts(view: ViewCounts, period: str | None) -> Counter[Key]:
    return figure_counts(
        view.facts,
        view.coded,
        view.barriers,
        organisations=view.sizes,
        days=view.tally.days,
        total=view.tally.total,
        period=period,
    )


def segment_matrix(
    workspace: Workspace,
    scope: Scope,
    attribute: str,
    coded: CodedEvidence | None,
    *,
    source_ids: Sequence[int] | None = None,
    limit: int = 30,
    beside: Mapping[str, ViewCounts] | None = None,
    kind: str = "",
) -> Matrix | None:
    """Items grouped by an attribute's values against the elements (small groups hidden).

    The same figures as ``ReportEvidence.segments`` over what ``scope`` may see,
    with the groups' sizes counted by the database.

    Args:
        workspace: The workspace.
        scope: What the person may see.
        attribute: The attribute to group by.
        coded: The codes counted (:attr:`DashboardFigures.coded`); None gives None.
        source_ids: Only items of these sources.
        limit: Show at most this many groups, largest first.
        beside: With ``source_ids``, what each other evidence type's view
            counts (:attr:`DashboardFigures.beside`): a figure that would give
            their small groups away is withheld.
        kind: With ``beside``, the evidence type ``source_ids`` holds.
    """
    if coded is None:
        return None
    evidence = ScopedEvidence(workspace, scope)
    sizes, values, facts = _grouped(evidence, attribute, coded, source_ids)
    matrix = group_matrix(
        facts,
        coded,
        lambda f: values.get(f.id),
        title=attribute,
        limit=limit,
        sizes=sizes,
        name_small=False,
    )
    if not beside or source_ids is None:
        return matrix
    counts = {kind: group_counts(facts, coded, _value_in(values), "value", sizes)}
    for other, view in beside.items():
        if view.coded is None:
            continue
        their_sizes, their_values, their_facts = _grouped(
            evidence, attribute, view.coded, view.source_ids
        )
        counts[other] = group_counts(
            their_facts, view.coded, _value_in(their_values), "value", their_sizes
        )
    return cover_matrix(matrix, withheld_figures(counts, kind), "value")


def _value_in(values: Mapping[int, str]) -> Callable[[Counted], str | None]:
    """An item's group: its value of the attribute (None: it has none)."""
    return lambda item: values.get(item.id)


def _grouped(
    evidence: ScopedEvidence,
    attribute: str,
    coded: CodedEvidence,
    source_ids: Sequence[int] | None,
) -> tuple[dict[str, int], dict[int, str], list[ItemFacts]]:
    """One attribute's groups: their sizes, each coded item's value, and those items' facts."""
    sizes = attribute_tally(evidence, attribute, source_ids)
    values = attribute_values(evidence, attribute, _touched(coded), source_ids)
    return sizes, values, item_facts(evidence, list(values), source_ids)


def _touched(*books: CodedEvidence | None) -> set[int]:
    """Items with a code, a decision or a machine suggestion someone decided on."""
    ids: set[int] = set()
    for book in books:
        if book is not None:
            ids.update(book.assigned, book.decisions, book.human_codes, book.machine_top)
    return ids


def _figures(
    workspace: Workspace,
    view: ViewCounts,
    counting: str,
    scoped: bool,
    *,
    covered: frozenset[Key] = frozenset(),
    period: str | None = None,
) -> ReportData:
    """The report's figures (as :func:`report_from` for the whole network) from counts.

    ``covered`` names figures withheld to cover another view's small groups,
    and ``period`` the trend's period when views must share one.
    """
    tally, facts, coded, barriers = view.tally, view.facts, view.coded, view.barriers
    total = tally.total
    sizes = view.sizes
    organisations = {name for name in tally.organisations if name}
    rows: list[CodeCount] = []
    top: list[CodeCount] = []
    matrix = trend_data = figures = None
    if coded is not None:
        rows = cover_codes(coverage(facts, coded), covered)
        top = top_codes(rows, coded)
        matrix = cover_matrix(
            group_matrix(facts, coded, organisation_of, title="Organisation", sizes=sizes),
            covered,
        )
        trend_data = trend(facts, coded, days=tally.days, total=total, period=period)
        if trend_data is not None and covered:
            trend_data = cover_trend(trend_data, covered)
        dbe_run = barriers.run.id if barriers else None
        figures = method(facts, coded, dbe_run_id=dbe_run, total=total)
    pattern_rows = (
        cover_patterns(
            patterns(facts, barriers, organisations=organisations),
            covered,
            "code" if barriers is coded else "pattern",
        )
        if barriers is not None
        else []
    )
    by_org = organisation_rows(sizes)
    dates = sorted(tally.days)
    groups = source_groups(workspace.sources())
    sources = len({groups.get(source_id, str(source_id)) for source_id in tally.sources})
    per_source = tally.sources
    checks = (
        [check_for(facts, coded, coded.codebook.title, total=total, per_source=per_source)]
        if coded
        else []
    )
    if barriers is not None and barriers is not coded and pattern_rows:
        checks.append(check_for(facts, barriers, DBE_LENS, total=total, per_source=per_source))
    checks = cover_checks(checks, covered)
    lenses = covered_lenses(covered)
    return ReportData(
        title=f"{workspace.name}: learning report",
        workspace=workspace.name,
        organisation=None,
        generated_at=datetime.now(UTC),
        items=total,
        organisations=len(organisations),
        sources=sources,
        first_date=dates[0] if dates else None,
        last_date=dates[-1] if dates else None,
        headlines=headlines(
            facts,
            None,
            len(organisations),
            sources,
            dates,
            rows,
            top,
            pattern_rows,
            figures,
            coded,
            barriers,
            counting,
            total=total,
            per_source=per_source,
            covered=lenses,
            size_covered=("items",) in covered,
        ),
        by_organisation=by_org,
        coverage=rows,
        top_codes=top,
        patterns=pattern_rows,
        matrix=matrix,
        trend=trend_data,
        quotes=[],
        themes=[],
        method=figures,
        caveats=caveats(
            facts,
            figures,
            trend_data,
            suppressed_groups=sum(r.suppressed for r in by_org),
            scoped=scoped,
            checks=checks,
            without_organisation=sum(n for name, n in tally.organisations.items() if not name),
        ),
        checks=checks,
        benefits=[],
        items_covered=("items",) in covered,
    )
