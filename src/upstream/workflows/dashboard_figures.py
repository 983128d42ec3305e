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
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from upstream.records.stored import RunRecord
from upstream.records.tallies import ItemFacts, ItemTally
from upstream.reports.analysis import (
    NO_ORGANISATION,
    coverage,
    group_matrix,
    organisation_of,
    patterns,
    top_codes,
    trend,
)
from upstream.reports.checks import check_for
from upstream.reports.evidence import CONFIDENT, EVERYTHING, CodedEvidence, choose_run
from upstream.reports.headlines import DBE_LENS, headlines
from upstream.reports.method import caveats, method
from upstream.reports.model import CodeCount, Matrix, ReportData, ReportError
from upstream.reports.sources import source_groups
from upstream.store import Workspace
from upstream.store.accounts import Scope
from upstream.store.evidence_tally import (
    attribute_tally,
    attribute_values,
    item_facts,
    item_tally,
)
from upstream.store.visibility import ScopedEvidence
from upstream.workflows.reports import (
    coded_with_barriers,
    coding_runs,
    load_coded,
    organisation_rows,
)

__all__ = ["DashboardFigures", "dashboard_figures", "segment_matrix"]


@dataclass(frozen=True)
class DashboardFigures:
    """What the dashboards show one scope.

    Attributes:
        data: The network-wide figures (no quotes, themes or benefits).
        organisations: Organisations among the items the scope may see, A to Z.
        codebooks: Ids of the codebooks with a finished run, newest run first.
        coded: The codes counted on the items the scope may see (None if nothing
            is coded), for breaking the figures down by an attribute.
    """

    data: ReportData
    organisations: list[str]
    codebooks: list[str]
    coded: CodedEvidence | None = None


def dashboard_figures(
    workspace: Workspace,
    scope: Scope,
    *,
    codebook: str | None = None,
    counting: str = CONFIDENT,
    source_ids: Sequence[int] | None = None,
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

    Raises:
        ReportError: No finished run used ``codebook``, or ``counting`` is unknown.
    """
    evidence = ScopedEvidence(workspace, scope)
    tally = item_tally(evidence, source_ids)
    runs = coding_runs(workspace)
    run = choose_run(runs, codebook)
    if codebook is not None and run is None:
        raise ReportError(f"No finished coding run used the codebook {codebook!r}.")
    guesses = counting == EVERYTHING

    def read(chosen: RunRecord) -> CodedEvidence:
        return load_coded(workspace, chosen, guesses=guesses, scope=scope, source_ids=source_ids)

    coded, barriers = coded_with_barriers(runs, run, read, counting)
    facts = item_facts(evidence, _touched(coded, barriers), source_ids)
    scoped = not scope.see_all or source_ids is not None
    names = sorted(name for name in tally.organisations if name)
    codebooks = list(dict.fromkeys(str(r.parameters.get("codebook", "")) for r in runs))
    return DashboardFigures(
        _figures(workspace, tally, facts, coded, barriers, counting, scoped),
        names,
        codebooks,
        coded,
    )


def segment_matrix(
    workspace: Workspace,
    scope: Scope,
    attribute: str,
    coded: CodedEvidence | None,
    *,
    source_ids: Sequence[int] | None = None,
    limit: int = 30,
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
    """
    if coded is None:
        return None
    evidence = ScopedEvidence(workspace, scope)
    sizes = attribute_tally(evidence, attribute, source_ids)
    values = attribute_values(evidence, attribute, _touched(coded), source_ids)
    facts = [f for f in item_facts(evidence, list(values), source_ids)]
    return group_matrix(
        facts,
        coded,
        lambda f: values.get(f.id),
        title=attribute,
        limit=limit,
        sizes=sizes,
        name_small=False,
    )


def _touched(*books: CodedEvidence | None) -> set[int]:
    """Items with a code, a decision or a machine suggestion someone decided on."""
    ids: set[int] = set()
    for book in books:
        if book is not None:
            ids.update(book.assigned, book.decisions, book.human_codes, book.machine_top)
    return ids


def _figures(
    workspace: Workspace,
    tally: ItemTally,
    facts: list[ItemFacts],
    coded: CodedEvidence | None,
    barriers: CodedEvidence | None,
    counting: str,
    scoped: bool,
) -> ReportData:
    """The report's figures (as :func:`report_from` for the whole network) from counts."""
    total = tally.total
    sizes: Counter[str] = Counter()
    for name, n in tally.organisations.items():
        sizes[name or NO_ORGANISATION] += n
    organisations = {name for name in tally.organisations if name}
    rows: list[CodeCount] = []
    top: list[CodeCount] = []
    matrix = trend_data = figures = None
    if coded is not None:
        rows = coverage(facts, coded)
        top = top_codes(rows, coded)
        matrix = group_matrix(facts, coded, organisation_of, title="Organisation", sizes=sizes)
        trend_data = trend(facts, coded, days=tally.days, total=total)
        dbe_run = barriers.run.id if barriers else None
        figures = method(facts, coded, dbe_run_id=dbe_run, total=total)
    pattern_rows = (
        patterns(facts, barriers, organisations=organisations) if barriers is not None else []
    )
    by_org = organisation_rows(sizes)
    dates = sorted(tally.days)
    groups = source_groups(workspace.sources())
    sources = len({groups.get(source_id, str(source_id)) for source_id in tally.sources})
    checks = [check_for(facts, coded, coded.codebook.title, total=total)] if coded else []
    if barriers is not None and barriers is not coded and pattern_rows:
        checks.append(check_for(facts, barriers, DBE_LENS, total=total))
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
    )
