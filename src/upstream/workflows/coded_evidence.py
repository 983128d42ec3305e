"""The codes that count, read from stored coding runs, for reports and dashboards.

A report or a dashboard counts each item's codes in force after the newest run
of a framework and people's decisions (:mod:`upstream.store.effective_codes`),
in the framework's own codebook, beside the barriers' codes that patterns count.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from upstream.frameworks import Code, Codebook, builtin_names
from upstream.records.evidence_types import type_of_source, types_covered
from upstream.records.stored import RunRecord
from upstream.reports.evidence import (
    DBE,
    Assigned,
    CodedEvidence,
    builtin_codebook,
    choose_run,
    counted,
)
from upstream.reports.model import ReportError
from upstream.store import Workspace
from upstream.store.accounts import Scope
from upstream.store.coding_repository import CodingStore
from upstream.store.effective_codes import EffectiveCodes, coded_titles, effective_codes
from upstream.store.exchange_repository import ExchangeStore

__all__ = ["coded_with_barriers", "coding_runs", "load_coded"]


def coded_with_barriers(
    runs: Sequence[RunRecord],
    run: RunRecord | None,
    read: Callable[[RunRecord], CodedEvidence],
    counting: str,
) -> tuple[CodedEvidence | None, CodedEvidence | None]:
    """The chosen framework's codes and the barriers' codes, each counted as asked.

    Barriers come from the latest drivers, barriers and enablers run, or from
    the chosen run when its codebook has a barrier code; a run read once is
    not read again.

    Args:
        runs: Finished coding runs, newest first.
        run: The run of the chosen framework, if any.
        read: Reads one run's codes for the viewer.
        counting: Which codes count (confident ones, or everything).

    Returns:
        The chosen framework's codes and the barriers' codes (either may be absent).

    Raises:
        ReportError: If ``counting`` is not a known choice.
    """
    coded = read(run) if run is not None else None
    dbe_run = choose_run(runs, DBE)
    barriers = coded if coded is not None and dbe_run == run else None
    if barriers is None and dbe_run is not None:
        barriers = read(dbe_run)
    elif barriers is None and coded is not None and "barrier" in coded.codebook:
        barriers = coded
    try:
        coded = counted(coded, counting) if coded is not None else None
        barriers = counted(barriers, counting) if barriers is not None else None
    except ValueError as exc:
        raise ReportError(str(exc)) from exc
    if barriers is not None and coded is not None and barriers.run.id == coded.run.id:
        barriers = coded
    return coded, barriers


def coding_runs(workspace: Workspace) -> list[RunRecord]:
    """Finished coding runs of a workspace, newest first."""
    return [
        run
        for run in CodingStore(workspace).runs(kind="coding", limit=1000)
        if run.status == "finished"
    ]


def load_coded(
    workspace: Workspace,
    run: RunRecord,
    item_ids: Iterable[int] | None = None,
    *,
    guesses: bool = False,
    scope: Scope | None = None,
    source_ids: Sequence[int] | None = None,
) -> CodedEvidence:
    """The codes each item carries after ``run`` and people's decisions.

    Args:
        workspace: The workspace.
        run: A finished coding run.
        item_ids: Only these items (all items of the run when None).
        guesses: Count the machine's guesses below its threshold too.
        scope: Only the items this scope may see, chosen by the database, which
            then sends only the codings that count (see :func:`effective_codes`).
        source_ids: With ``scope``, only items of these sources.

    Returns:
        The coded evidence.
    """
    key = str(run.parameters.get("codebook", ""))
    item_ids = None if item_ids is None else list(item_ids)

    def read(known: set[str] | None = None) -> EffectiveCodes:
        return effective_codes(
            workspace,
            key,
            run,
            item_ids=item_ids,
            known=known,
            guesses=guesses,
            scope=scope,
            source_ids=source_ids,
        )

    found = read()
    titles = (
        {c.code: c.code_title for c in found.records}
        if scope is None
        else coded_titles(workspace, key)
    )
    codebook = _codebook(key, run, titles, workspace)
    known = {code for code in found.titles if code in codebook}
    if len(known) < len(found.titles):
        found = read(known)
    return CodedEvidence(
        codebook=codebook,
        run=run,
        assigned={
            item: [Assigned(a.code, a.confidence, a.origin) for a in codes]
            for item, codes in found.assigned.items()
        },
        decisions=found.decisions,
        human_codes=found.human_codes,
        machine_top=found.machine_top,
        machine_top_confidence=found.machine_top_confidence,
        **_scope(workspace, run),
    )


def _scope(workspace: Workspace, run: RunRecord) -> dict[str, Any]:
    """The sources a run set out to code, when it left some kinds of evidence out.

    A count of what the run coded is then given out of those sources' items
    ("357 of 441 items from staff, partners and network members"), not out of
    residents' replies it never tried to code.
    """
    left = run.parameters.get("left_out")
    chosen = run.parameters.get("evidence_types")
    if not isinstance(left, dict) or not any(left.values()) or not isinstance(chosen, list):
        return {}
    kinds = {str(kind) for kind in chosen}
    sources = frozenset(
        s.id for s in workspace.sources() if type_of_source(s.kind, s.options) in kinds
    )
    return {"scope_sources": sources, "scope_words": f"from {types_covered(kinds)}"}


def _codebook(key: str, run: RunRecord, titles: dict[str, str], workspace: Workspace) -> Codebook:
    """The run's codebook: built in, stored in the workspace, or rebuilt from codes' titles.

    Rebuilding is for runs from before codebooks were kept with them.
    """
    version = str(run.parameters.get("codebook_version", ""))
    if key in builtin_names():
        book = builtin_codebook(key)
        if version in {"", book.version}:
            return book
    stored = CodingStore(workspace).codebook_id(key, version or None)
    if stored is not None:
        return ExchangeStore(workspace).codebook(stored)
    codes = []
    for code_id in sorted(titles):
        parent = code_id.rpartition(".")[0]
        codes.append(Code(code_id, titles[code_id], "", parent if parent in titles else None))
    return Codebook(id=key, title=key, description="", version=version, codes=tuple(codes))
