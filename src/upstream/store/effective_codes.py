"""The codes in force: a person's decision replaces the machine's suggestion.

Every page, report and export that counts codes reads them through
:func:`effective_codes`, so the same question gets the same number wherever it
is asked. For one codebook and one coding run (the newest finished run of that
codebook unless another is named), an item's codes are

* the codes a person gave it (accepted or recoded), if anyone decided on it;
* nothing, if a person rejected the machine's suggestion and gave no code;
* otherwise the machine's suggestions from that run that reached the coder's
  confidence threshold. Tentative best guesses below the threshold count only
  when asked for (``guesses=True``), and suggestions from older runs are
  superseded by the newer run.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import aliased

from upstream.records.stored import RunRecord
from upstream.store import models as m
from upstream.store.account_models import Scope
from upstream.store.coding_repository import (
    _CODING_COLUMNS,
    CodingRecord,
    CodingStore,
    _coding_record,
)
from upstream.store.repository import Workspace
from upstream.store.visibility import ScopedEvidence

__all__ = [
    "AppliedCode",
    "EffectiveCodes",
    "code_parents",
    "coded_titles",
    "effective_codes",
    "latest_coding_run",
    "umbrella_codes",
]

_ASK_BY_ID = 500
"""Items whose codings are read by id; more are read with the whole codebook's."""

COUNTED = frozenset({"suggested", "accepted"})
WITH_GUESSES = COUNTED | {"tentative"}
DECIDED = frozenset({"accepted", "rejected"})


@dataclass(frozen=True, slots=True)
class AppliedCode:
    """A code an item carries, who gave it (``machine`` or ``human``) and how sure they were."""

    code: str
    confidence: float
    origin: str


@dataclass
class EffectiveCodes:
    """The codes in force for one codebook, item by item.

    Attributes:
        codebook: The codebook's key (``nom``, ``dbe``, ...).
        run: The coding run whose suggestions count, or None when there is none.
        assigned: Codes per item id (only items that have any).
        decisions: Per item a person decided on: ``accept``, ``recode``, ``reject`` or
            ``not_relevant`` (no code of this framework fits it).
        human_codes: The code a person chose, per accepted or recoded item.
        machine_top: The machine's top suggestion that people decided on, per reviewed item.
        machine_top_confidence: How sure the machine was of that suggestion.
        titles: Each code's title as stored.
        records: Every stored coding read (both origins), for rebuilding a codebook.
    """

    codebook: str
    run: RunRecord | None
    assigned: dict[int, list[AppliedCode]] = field(default_factory=dict)
    decisions: dict[int, str] = field(default_factory=dict)
    human_codes: dict[int, str] = field(default_factory=dict)
    machine_top: dict[int, str] = field(default_factory=dict)
    machine_top_confidence: dict[int, float] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    records: list[CodingRecord] = field(default_factory=list)

    def codes_of(self, item_id: int) -> tuple[str, ...]:
        """The codes an item carries, without repeats, in the order given."""
        return tuple(dict.fromkeys(a.code for a in self.assigned.get(item_id, [])))

    @property
    def threshold(self) -> float | None:
        """The confidence a suggestion of :attr:`run` needed to count (None when unknown)."""
        value = self.run.parameters.get("threshold") if self.run is not None else None
        return float(value) if isinstance(value, int | float) else None

    def standing(
        self, item_id: int, code: str, origin: str, status: str, run_id: int | None
    ) -> str:
        """Whether a stored coding of this codebook counts, and if not, why.

        Args:
            item_id: The coded item.
            code: The code's key.
            origin: ``machine`` or ``human``.
            status: The coding's status (``suggested``, ``tentative``, ...).
            run_id: The run that made it, if any.

        Returns:
            ``counted``; ``replaced`` (a person decided on the item); ``earlier``
            (a suggestion or best guess of a run that is not the one counted); or
            ``guess`` (a best guess of the run counted, below the threshold).
        """
        carried = {(a.code, a.origin) for a in self.assigned.get(item_id, [])}
        current = self.run is not None and run_id == self.run.id
        if status == "tentative":
            return "guess" if current else "earlier"
        if origin == "human":
            return "counted" if (code, "human") in carried else "replaced"
        if item_id in self.decisions:
            return "replaced"
        if current:
            return "counted" if (code, "machine") in carried else "replaced"
        return "earlier"


def latest_coding_run(workspace: Workspace, codebook: str) -> RunRecord | None:
    """The newest finished coding run of ``codebook`` in a workspace, if any."""
    return next(
        (
            run
            for run in CodingStore(workspace).runs(kind="coding", limit=1000)
            if run.status == "finished" and run.parameters.get("codebook") == codebook
        ),
        None,
    )


def effective_codes(
    workspace: Workspace,
    codebook: str,
    run: RunRecord | None = None,
    *,
    item_ids: Iterable[int] | None = None,
    known: Iterable[str] | None = None,
    guesses: bool = False,
    scope: Scope | None = None,
    source_ids: Sequence[int] | None = None,
) -> EffectiveCodes:
    """The codes each item carries after a coding run and people's decisions.

    Args:
        workspace: The workspace.
        codebook: The codebook's key.
        run: The coding run whose suggestions count (default: the newest finished
            run of ``codebook``). People's decisions count whichever run they followed.
        item_ids: Only these items (every item when None).
        known: Only these codes (e.g. the codes of the codebook the run used).
        guesses: Also count the machine's tentative best guesses below its threshold
            on items it left uncoded (only when a person asks to see them).
        scope: Read, in the database, only the codings that can count for the items
            this scope may see: people's codes and decisions, and the chosen run's
            suggestions of the statuses counted. Nothing else of the workspace's
            codings leaves the database, and ``records`` holds only what was read.
        source_ids: With ``scope``, only items of these sources.

    Returns:
        The codes in force.
    """
    store = CodingStore(workspace)
    chosen = run if run is not None else latest_coding_run(workspace, codebook)
    result = EffectiveCodes(codebook=codebook, run=chosen)
    book_id = store.codebook_id(codebook)
    if book_id is None:
        return result
    counted = WITH_GUESSES if guesses else COUNTED
    if scope is None:
        # A page's few items are asked for by id; a report's thousands are filtered
        # below instead, since a query may bind only so many values.
        few = None if item_ids is None else sorted(set(item_ids))
        if few is not None and len(few) > _ASK_BY_ID:
            few = None
        records = store.codings(codebook_id=book_id, item_ids=few)
    else:
        records = _codings_that_count(workspace, book_id, chosen, counted, scope, source_ids)
    result.records = records
    wanted = None if item_ids is None else set(item_ids)
    allowed = None if known is None else set(known)

    def keep(coding: CodingRecord) -> bool:
        return (wanted is None or coding.item_id in wanted) and (
            allowed is None or coding.code in allowed
        )

    by_person: dict[int, list[CodingRecord]] = defaultdict(list)
    decided: dict[int, list[CodingRecord]] = defaultdict(list)
    for coding in filter(keep, records):
        result.titles.setdefault(coding.code, coding.code_title)
        if coding.origin == "human":
            by_person[coding.item_id].append(coding)
        elif coding.status in DECIDED:
            decided[coding.item_id].append(coding)
    for coding in filter(keep, records):
        if coding.origin == "human" or coding.item_id in by_person:
            continue
        if chosen is not None and coding.run_id == chosen.id and coding.status in counted:
            result.assigned.setdefault(coding.item_id, []).append(
                AppliedCode(coding.code, float(coding.confidence or 0.0), "machine")
            )
    for item_id, codings in by_person.items():
        result.assigned[item_id] = [AppliedCode(c.code, 1.0, "human") for c in codings]
        result.human_codes[item_id] = codings[-1].code
        result.decisions[item_id] = str(codings[-1].explanation.get("decision", "accept"))
    for item_id, codings in decided.items():
        latest = max(c.run_id or 0 for c in codings)
        seen = [c for c in codings if (c.run_id or 0) == latest]
        top = max(seen, key=lambda c: c.confidence or 0.0)
        result.machine_top[item_id] = top.code
        result.machine_top_confidence[item_id] = float(top.confidence or 0.0)
        if item_id not in by_person:
            # "not_relevant": a person found no code of this framework fits the item.
            result.decisions[item_id] = str(seen[0].explanation.get("decision", "reject"))
            result.assigned.pop(item_id, None)
    return result


def _codings_that_count(
    workspace: Workspace,
    book_id: int,
    run: RunRecord | None,
    counted: frozenset[str],
    scope: Scope,
    source_ids: Sequence[int] | None,
) -> list[CodingRecord]:
    """The codings :func:`effective_codes` can use, for the items ``scope`` may see, oldest first.

    Those are every person's coding and every machine coding a person decided on
    (whichever run), and the chosen run's suggestions of the ``counted`` statuses;
    no other coding changes the answer. The run's suggestions carry no explanation
    (only decisions read it), so 100,000 of them cost little to read.
    """
    items = select(m.Item.id).where(ScopedEvidence(workspace, scope).visible())
    if source_ids is not None:
        items = items.where(m.Item.source_id.in_(list(source_ids)))
    decided = [m.CodingStatus(status) for status in DECIDED]
    base = (
        select(*_CODING_COLUMNS, m.Code.key, m.Code.title)
        .join(m.Code, m.Coding.code_id == m.Code.id)
        .where(
            m.Coding.workspace_id == workspace.id,
            m.Code.codebook_id == book_id,
            m.Coding.item_id.in_(items),
        )
        .order_by(m.Coding.id)
    )
    queries = [base.where(or_(m.Coding.origin == m.Origin.HUMAN, m.Coding.status.in_(decided)))]
    if run is not None:
        # Without the explanation column: suggestions are counted, never explained here.
        columns = [c for c in _CODING_COLUMNS if c is not m.Coding.explanation]
        queries.append(
            base.with_only_columns(*columns, m.Code.key, m.Code.title).where(
                m.Coding.origin == m.Origin.MACHINE,
                m.Coding.run_id == run.id,
                m.Coding.status.in_([m.CodingStatus(s) for s in counted - DECIDED]),
            )
        )
    with workspace.store.session() as session:
        connection = session.connection()
        found = [_coding_record(row, row.key, row.title) for row in connection.execute(queries[0])]
        for row in connection.execute(queries[1]) if len(queries) > 1 else ():
            found.append(
                CodingRecord(
                    id=row.id,
                    item_id=row.item_id,
                    code=row.key,
                    code_title=row.title,
                    origin=row.origin.value,
                    status=row.status.value,
                    coder=row.coder,
                    confidence=row.confidence,
                    explanation={},
                    run_id=row.run_id,
                    created_at=row.created_at,
                )
            )
    return sorted(found, key=lambda coding: coding.id)


def coded_titles(workspace: Workspace, codebook: str) -> dict[str, str]:
    """Each code of ``codebook`` that any item of the workspace was coded with, and its title.

    The same codes and titles as the ``records`` of :func:`effective_codes`
    read without a scope, asked of the database without reading the codings.
    """
    book_id = CodingStore(workspace).codebook_id(codebook)
    if book_id is None:
        return {}
    used = select(m.Coding.code_id).where(m.Coding.workspace_id == workspace.id)
    query = select(m.Code.key, m.Code.title).where(
        m.Code.codebook_id == book_id, m.Code.id.in_(used)
    )
    with workspace.store.session() as session:
        return {key: title for key, title in session.execute(query)}


def code_parents(workspace: Workspace, codebook: str) -> dict[str, str]:
    """Each code of ``codebook`` that sits under another, and the code it sits under."""
    book_id = CodingStore(workspace).codebook_id(codebook)
    if book_id is None:
        return {}
    parent = aliased(m.Code)
    query = (
        select(m.Code.key, parent.key)
        .join(parent, m.Code.parent_id == parent.id)
        .where(m.Code.codebook_id == book_id)
    )
    with workspace.store.session() as session:
        return {str(key): str(up) for key, up in session.execute(query)}


def umbrella_codes(workspace: Workspace, codebook: str) -> set[str]:
    """The codes of ``codebook`` that have codes under them ("Barrier to change").

    An item coded with such a code is one the coder could place only broadly
    (a barrier, but which?): worth counting, but not a finding to headline.
    """
    book_id = CodingStore(workspace).codebook_id(codebook)
    if book_id is None:
        return set()
    parents = select(m.Code.parent_id).where(
        m.Code.codebook_id == book_id, m.Code.parent_id.is_not(None)
    )
    query = select(m.Code.key).where(m.Code.codebook_id == book_id, m.Code.id.in_(parents))
    with workspace.store.session() as session:
        return {str(key) for key in session.scalars(query)}
