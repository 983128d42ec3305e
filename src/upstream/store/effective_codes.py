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
from collections.abc import Iterable
from dataclasses import dataclass, field

from upstream.records.stored import RunRecord
from upstream.store.coding_repository import CodingRecord, CodingStore
from upstream.store.repository import Workspace

__all__ = ["AppliedCode", "EffectiveCodes", "effective_codes", "latest_coding_run"]

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
        titles: Each code's title as stored.
        records: Every stored coding read (both origins), for rebuilding a codebook.
    """

    codebook: str
    run: RunRecord | None
    assigned: dict[int, list[AppliedCode]] = field(default_factory=dict)
    decisions: dict[int, str] = field(default_factory=dict)
    human_codes: dict[int, str] = field(default_factory=dict)
    machine_top: dict[int, str] = field(default_factory=dict)
    titles: dict[str, str] = field(default_factory=dict)
    records: list[CodingRecord] = field(default_factory=list)

    def codes_of(self, item_id: int) -> tuple[str, ...]:
        """The codes an item carries, without repeats, in the order given."""
        return tuple(dict.fromkeys(a.code for a in self.assigned.get(item_id, [])))


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

    Returns:
        The codes in force.
    """
    store = CodingStore(workspace)
    chosen = run if run is not None else latest_coding_run(workspace, codebook)
    result = EffectiveCodes(codebook=codebook, run=chosen)
    book_id = store.codebook_id(codebook)
    if book_id is None:
        return result
    records = store.codings(codebook_id=book_id)
    result.records = records
    wanted = None if item_ids is None else set(item_ids)
    counted = WITH_GUESSES if guesses else COUNTED
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
        result.machine_top[item_id] = max(seen, key=lambda c: c.confidence or 0.0).code
        if item_id not in by_person:
            # "not_relevant": a person found no code of this framework fits the item.
            result.decisions[item_id] = str(seen[0].explanation.get("decision", "reject"))
            result.assigned.pop(item_id, None)
    return result
