"""Gather everything a report says from the store: :func:`build_report_data`.

Two steps, so the web app can reuse the first: :func:`gather` reads the items
and their codes once (:class:`ReportEvidence`); :func:`report_from` turns that
into a :class:`~upstream.reports.model.ReportData` for the whole network or one
organisation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from upstream.policy import FEWER_THAN, public_role, suppressed, withheld
from upstream.records.stored import ItemRecord, RunRecord
from upstream.reports.analysis import (
    attribute_of,
    coverage,
    group_matrix,
    organisation_of,
    patterns,
    top_codes,
    trend,
)
from upstream.reports.checks import check_for
from upstream.reports.counts import CodeCount, Matrix, MatrixRow
from upstream.reports.evidence import (
    CONFIDENT,
    EVERYTHING,
    CodedEvidence,
    choose_run,
    named_roles,
)
from upstream.reports.headlines import (
    DBE_LENS,
    culture_headline,
    headlines,
    liked_headline,
    themes_headline,
)
from upstream.reports.method import caveats, method
from upstream.reports.model import BenefitLine, QuoteGroup, ReportData, ReportError, WayPast
from upstream.reports.quotes import quotes_for
from upstream.reports.sources import count_sources, source_groups
from upstream.reports.views import (
    Key,
    cover_checks,
    cover_codes,
    cover_matrix,
    cover_patterns,
    cover_trend,
    covered_lenses,
    withheld_in,
)
from upstream.store import Store, Workspace
from upstream.store.run_coverage import coverage_of_run
from upstream.workflows.benefits.register import register, value_summary
from upstream.workflows.coded_evidence import coded_with_barriers, coding_runs, load_coded
from upstream.workflows.network.peers import network_evidence, peers_with_enablers
from upstream.workflows.report_themes import (
    newest_themes,
    themed_part,
    themes_found_in,
    themes_run_line,
    themes_section,
)
from upstream.workflows.survey.culture import culture_lines

if TYPE_CHECKING:
    from upstream.store.theme_repository import StoredTheme

NETWORK = "All organisations"


@dataclass(frozen=True)
class ReportEvidence:
    """The items a report draws on and their codes, read once from the store.

    Attributes:
        workspace: The workspace.
        items: Every item the reader may see.
        scoped: True when ``items`` is a reader's view rather than the whole workspace.
        kinds: Each source's kind, for attributing quotes.
        runs: Finished coding runs, newest first.
        coded: Codes from the framework run the report is about (None if nothing is coded).
        barriers: Codes from the drivers/barriers/enablers run, when there is one.
        counting: Which codes are counted: ``confident`` (codes people gave or checked and
            the machine's confident suggestions) or ``checked`` (people's only).
        source_groups: Per source id, the source it is counted as (see
            :func:`source_groups`).
        benefits: The benefits register, with the linked evidence the reader may see.
    """

    workspace: Workspace
    items: list[ItemRecord]
    scoped: bool
    kinds: dict[int, str]
    runs: list[RunRecord]
    coded: CodedEvidence | None
    barriers: CodedEvidence | None
    counting: str = CONFIDENT
    source_groups: dict[int, str] = field(default_factory=dict)
    benefits: list[BenefitLine] = field(default_factory=list)

    @property
    def codebooks(self) -> list[str]:
        """Ids of the codebooks with a finished run, newest run first."""
        return list(dict.fromkeys(str(r.parameters.get("codebook", "")) for r in self.runs))

    def segments(self, attribute: str, *, limit: int = 30) -> Matrix | None:
        """Items grouped by an attribute's values against the elements (small groups hidden)."""
        if self.coded is None:
            return None
        return group_matrix(
            self.items,
            self.coded,
            attribute_of(attribute),
            title=attribute,
            limit=limit,
            name_small=False,
        )


def gather(
    store: Store,
    workspace: str | Workspace,
    *,
    items: Iterable[ItemRecord] | None = None,
    codebook: str | None = None,
    counting: str = CONFIDENT,
) -> ReportEvidence:
    """Read the items and their codes for a report.

    Args:
        store: The open store.
        workspace: The workspace (its name, or the object).
        items: Only these items (what the reader may see); every item when None.
        codebook: Use the newest run with this codebook id; by default the newest
            run of a framework other than ``dbe``.
        counting: ``confident`` (default: codes people gave or checked and the machine's
            confident suggestions), ``checked`` (only codes people gave or checked) or
            ``all`` (the machine's tentative guesses below its threshold too).

    Raises:
        ReportError: No finished run used ``codebook``, or ``counting`` is unknown.
        StoreError: The workspace does not exist.
    """
    ws = store.workspace(workspace) if isinstance(workspace, str) else workspace
    network = list(items) if items is not None else ws.items()
    runs = coding_runs(ws)
    run = choose_run(runs, codebook)
    if codebook is not None and run is None:
        used = sorted({str(r.parameters.get("codebook", "")) for r in runs} - {""})
        raise ReportError(
            f"No finished coding run used the codebook {codebook!r}"
            + (f"; the runs here used {', '.join(used)}." if used else "; nothing is coded yet.")
        )
    ids = [item.id for item in network]
    guesses = counting == EVERYTHING
    coded, barriers = coded_with_barriers(
        runs, run, lambda chosen: load_coded(ws, chosen, ids, guesses=guesses), counting
    )
    return ReportEvidence(
        workspace=ws,
        items=network,
        scoped=items is not None,
        kinds={source.id: source.kind for source in ws.sources()},
        source_groups=source_groups(ws.sources()),
        runs=runs,
        coded=coded,
        barriers=barriers,
        counting=counting,
        benefits=benefit_lines(store, ws.name, {item.id for item in network}),
    )


def benefit_lines(store: Store, workspace: str, readable: set[int]) -> list[BenefitLine]:
    """The register's benefits for a report: linked evidence counted only where readable.

    Args:
        store: The open store.
        workspace: The workspace's name.
        readable: Ids of the items the reader may see.

    Returns:
        One line per benefit, in the register's order.
    """
    lines = []
    for view in register(store, workspace):
        draft = view.record.draft
        linked = {link.item_id for link in view.record.links if link.item_id is not None}
        lines.append(
            BenefitLine(
                title=draft.title,
                organisation=draft.organisation,
                category=draft.category,
                status=draft.status,
                # A report travels beyond the register: a post beside the
                # organisation's name names its holder, so it goes as a band.
                owner=public_role(draft.owner) if draft.owner else "",
                measure=draft.series.label if draft.series is not None else "",
                baseline=draft.baseline,
                target=draft.target,
                due=view.due,
                latest=view.latest_actual.value if view.latest_actual is not None else None,
                evidence=len(linked & readable),
                figures_say=view.figures_say,
                value=draft.value,
            )
        )
    return lines


@dataclass(frozen=True)
class OneKind:
    """One kind of evidence for a network report to count, as a dashboard view counts it.

    A one-kind view's figures are parts of the figures for everyone, so the
    report withholds what the view withholds (worked out beside every other
    kind's view by :func:`upstream.workflows.dashboard_figures.dashboard_figures`),
    and counts its trend in the same periods.

    Attributes:
        words: The kind in words, as a sentence ends with it ("residents").
        source_ids: The sources of that kind.
        covered: Figures to withhold so that no other view can be subtracted.
        period: The trend's period that every kind's view shares (None: no trend).
    """

    words: str
    source_ids: frozenset[int]
    covered: frozenset[Key]
    period: str | None


def report_from(
    evidence: ReportEvidence,
    *,
    org: str | None = None,
    title: str | None = None,
    one_kind: OneKind | None = None,
) -> ReportData:
    """Turn gathered evidence into a report, for the network or one organisation.

    Args:
        evidence: What :func:`gather` read.
        org: Make the report about this organisation, compared with the network.
        title: The report's title (made from the workspace or organisation when None).
        one_kind: Count only this kind of evidence, across the network.

    Raises:
        ReportError: ``org`` has no evidence among the items, or both ``org``
            and ``one_kind`` are given (an organisation's report covers all its
            evidence).
    """
    network = evidence.items
    if one_kind is not None:
        if org is not None:
            raise ReportError(
                "A report about one organisation covers all of its evidence, "
                "not one kind of evidence."
            )
        network = [item for item in network if item.source_id in one_kind.source_ids]
    focus = network
    if org is not None:
        known = sorted({i.organisation for i in network if i.organisation})
        if org not in known:
            raise ReportError(
                f"No evidence from an organisation called {org!r} "
                f"(organisations: {', '.join(known) or 'none yet'})."
            )
        focus = [item for item in network if item.organisation == org]
        if suppressed(len(focus)):
            return _small_organisation(evidence, org, len(focus), title)
    coded = evidence.coded
    rows: list[CodeCount] = []
    top: list[CodeCount] = []
    matrix = trend_data = figures = None
    quotes: list[QuoteGroup] = []
    barriers = evidence.barriers
    # An organisation's report lists the network's barriers, not its own: they are not
    # its figures, and are withheld as the network's report withholds them.
    counted_barriers = barriers if org is None else None
    covered: frozenset[Key] = frozenset()
    if coded is not None:
        shared_period = one_kind.period if one_kind is not None else None
        trend_data = trend(focus, coded, period=shared_period)
        period = trend_data.period if trend_data is not None else None
        covered = withheld_in(focus, coded, counted_barriers, period=period)
        if one_kind is not None:
            covered |= one_kind.covered
        if trend_data is not None and covered:
            trend_data = cover_trend(trend_data, covered)
        rows = cover_codes(coverage(focus, coded, network=network if org else None), covered)
        top = top_codes(rows, coded)
        matrix = cover_matrix(_matrix(focus, network, coded, org), covered)
        quotes = quotes_for(
            top[:5],
            quotable(focus, org),
            coded,
            evidence.kinds,
            named_roles=named_roles(network),
        )
        dbe_run = evidence.barriers.run.id if evidence.barriers else None
        figures = method(focus, coded, dbe_run_id=dbe_run)
        if ("items",) in covered or ("coded", coded.codebook.id) in covered:
            figures = replace(figures, covered=True)
    pattern_rows = (
        patterns(
            network,
            barriers,
            focus=org,
            focus_coded=coverage_of_run(
                evidence.workspace, barriers.run.id, (item.id for item in focus)
            )
            if org
            else "all",
        )
        if barriers is not None
        else []
    )
    if org is None and covered:
        pattern_rows = cover_patterns(
            pattern_rows, covered, "code" if barriers is coded else "pattern"
        )
    by_org = [
        replace(row, totals_covered=("org", row.name) in covered) for row in _by_organisation(focus)
    ]
    dates = [i.item_date for i in focus if i.item_date is not None]
    hidden_groups = sum(r.suppressed for r in by_org)
    organisations = len({i.organisation for i in focus if i.organisation})
    sources = count_sources(focus, evidence.source_groups)
    name = evidence.workspace.name
    checks = [check_for(focus, coded, coded.codebook.title)] if coded is not None else []
    if barriers is not None and barriers is not coded and pattern_rows:
        checks.append(check_for(focus, barriers, DBE_LENS))
    checks = cover_checks(checks, covered)
    if figures is not None and checks and checks[0].scope:
        # Out of the items the run set out to code, as the coverage sentence counts them.
        figures = replace(figures, items=checks[0].items, scope=checks[0].scope)
    lenses = covered_lenses(covered)
    culture = culture_lines(evidence.workspace.store, name, org) if org else []
    ways_past = _ways_past(evidence, org) if org and barriers is not None else []
    said = headlines(
        focus,
        org,
        organisations,
        sources,
        dates,
        rows,
        top,
        pattern_rows,
        figures,
        coded,
        barriers,
        evidence.counting,
        covered=lenses,
        size_covered=("items",) in covered,
    )
    if (survey := culture_headline(culture)) is not None:
        said.insert(min(2, len(said)), survey)  # after what the evidence is and its coverage
    stored_themes = newest_themes(evidence.workspace)
    if one_kind is not None and _beyond(stored_themes, evidence.items, network):
        # Themes counted over several kinds of evidence would, beside the report on all
        # of it, give the other kinds' share of each theme away.
        stored_themes = []
    kind_words = one_kind.words if one_kind is not None else ""
    themes = themes_section(
        evidence.workspace,
        focus,
        quotable=quotable(focus, org),
        nameable=quotable(evidence.items, org),
        stored=stored_themes,
    )
    found_in = themed_part(evidence.workspace, focus, stored=stored_themes)
    if (largest := themes_headline(themes, found_in)) is not None:
        # After what the evidence is, its coverage and any survey line: what people raised.
        at = min(2 if survey is None else 3, len(said))
        said.insert(at, largest)
        if (liked := liked_headline(themes)) is not None:
            said.insert(at + 1, liked)
    benefits = (
        []
        if one_kind is not None
        else [b for b in evidence.benefits if org is None or b.organisation == org]
    )
    return ReportData(
        title=title
        or (
            f"{org}: what the evidence says"
            if org
            else f"{name}: learning report"
            + (f", evidence from {kind_words}" if kind_words else "")
        ),
        workspace=name,
        organisation=org,
        generated_at=datetime.now(UTC),
        items=len(focus),
        organisations=organisations,
        sources=sources,
        first_date=min(dates, default=None),
        last_date=max(dates, default=None),
        headlines=said,
        by_organisation=by_org,
        coverage=rows,
        top_codes=top,
        patterns=pattern_rows,
        matrix=matrix,
        trend=trend_data,
        quotes=quotes,
        themes=themes,
        themes_from=themes_found_in(found_in),
        themes_run=themes_run_line(evidence.workspace) if themes else "",
        method=figures,
        caveats=caveats(
            focus,
            figures,
            trend_data,
            suppressed_groups=hidden_groups,
            scoped=evidence.scoped,
            checks=checks,
            evidence_from=kind_words,
        ),
        checks=checks,
        benefits=benefits,
        benefits_value=value_summary(benefits),
        culture=culture,
        ways_past=ways_past,
        evidence_from=kind_words,
        items_covered=("items",) in covered,
    )


def _beyond(
    themes: Sequence[StoredTheme], readable: Sequence[ItemRecord], kept: Sequence[ItemRecord]
) -> bool:
    """Whether any theme holds a readable item outside ``kept``."""
    outside = {item.id for item in readable} - {item.id for item in kept}
    return any(not outside.isdisjoint(theme.item_ids) for theme in themes)


def _ways_past(evidence: ReportEvidence, org: str) -> list[WayPast]:
    """Peers whose evidence shows a way past ``org``'s barriers, as its page shows them.

    Only a peer's words shared with the network are quoted (a report travels), and
    a peer with none to quote is left out: its way past cannot be shown here.
    """
    network = network_evidence(evidence.workspace)
    allowed = {i.id for i in quotable(evidence.items, None)}
    found = []
    for match in peers_with_enablers(network, org, allowed):
        if match.barrier is None or not match.quotes:
            continue
        found.append(
            WayPast(
                barrier=network.info(match.barrier).title,
                peer=match.peer,
                enabler=network.info(match.codes[0]).title,
                linked=match.linked,
                quotes=match.quotes,
            )
        )
    return found


def quotable(items: Sequence[ItemRecord], org: str | None) -> list[ItemRecord]:
    """The items whose words a report may quote: shared ones, and its own organisation's.

    A report is a file that travels: a network's report goes to its board, an
    organisation's to its peers. Whoever downloads it, an organisation's private
    words appear only in that organisation's own report, never in the network's
    or another organisation's (figures still count every item the reader may see).

    Args:
        items: The items the report is about.
        org: The report's organisation, or None for the whole network.
    """
    return [i for i in items if i.shared or (org is not None and i.organisation == org)]


SMALL_GROUPS = (
    "Groups of fewer than 10 are not shown, and neither is any figure that would let "
    "you work one out."
)


def _small_organisation(
    evidence: ReportEvidence, org: str, size: int, title: str | None
) -> ReportData:
    """A report on an organisation with fewer than 10 items: it says so and shows nothing else.

    So few items would let a reader recognise the people behind them, so neither
    their figures nor their words are shown, nor any comparison that would give
    them away.
    """
    return ReportData(
        title=title or f"{org}: what the evidence says",
        workspace=evidence.workspace.name,
        organisation=org,
        generated_at=datetime.now(UTC),
        items=size,
        organisations=1,
        sources=count_sources(
            [i for i in evidence.items if i.organisation == org], evidence.source_groups
        ),
        first_date=None,
        last_date=None,
        headlines=[
            f"{org} has {FEWER_THAN} items of evidence, so this report does not show its "
            f"figures or quotes. {SMALL_GROUPS}"
        ],
        by_organisation=[MatrixRow(org, size, 0, [], suppressed=True)],
        coverage=[],
        top_codes=[],
        patterns=[],
        matrix=None,
        trend=None,
        quotes=[],
        themes=[],
        method=None,
        caveats=[SMALL_GROUPS],
    )


def build_report_data(
    store: Store,
    workspace: str | Workspace,
    *,
    org: str | None = None,
    items: Iterable[ItemRecord] | None = None,
    codebook: str | None = None,
    title: str | None = None,
    counting: str = CONFIDENT,
) -> ReportData:
    """Collect a report's findings, figures, quotes, method and caveats.

    Args:
        store: The open store.
        workspace: The workspace (its name, or the object).
        org: Make the report about this organisation's evidence, compared with
            the whole network.
        items: Only these items (what the reader may see); every item of the
            workspace when None.
        codebook: Report on the newest coding run with this codebook id; by
            default the newest run of a framework other than ``dbe``.
        title: The report's title (made from the workspace or organisation when None).
        counting: ``confident`` (default) or ``checked``: see :func:`gather`.

    Returns:
        The report's data, with small groups already suppressed.

    Raises:
        ReportError: ``org`` is not an organisation with evidence, or no run used ``codebook``.
        StoreError: The workspace does not exist.
    """
    evidence = gather(store, workspace, items=items, codebook=codebook, counting=counting)
    return report_from(evidence, org=org, title=title)


def _matrix(
    focus: Sequence[ItemRecord],
    network: Sequence[ItemRecord],
    coded: CodedEvidence,
    org: str | None,
) -> Matrix:
    own = group_matrix(focus, coded, organisation_of, title="Organisation")
    if org is None:
        return own
    whole = group_matrix(network, coded, lambda _item: NETWORK, title="Organisation")
    return Matrix(own.title, own.codes, own.titles, own.rows + whole.rows)


def _by_organisation(items: Sequence[ItemRecord]) -> list[MatrixRow]:
    return organisation_rows(Counter(organisation_of(item) for item in items))


def organisation_rows(sizes: Mapping[str, int]) -> list[MatrixRow]:
    """Items per organisation, largest first, small ones (and any that give one away) hidden."""
    hidden = withheld(sizes)
    return [
        MatrixRow(name, n, 0, [], suppressed=name in hidden)
        for name, n in sorted(sizes.items(), key=lambda pair: (-pair[1], pair[0]))
    ]


__all__ = [
    "NETWORK",
    "SMALL_GROUPS",
    "ReportError",
    "ReportEvidence",
    "build_report_data",
    "gather",
    "organisation_rows",
    "report_from",
]
