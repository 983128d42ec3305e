"""The codes each item ends up with in a report, with the run's codebook.

Which codes are in force is decided in one place for every page, report and
export: :func:`upstream.store.effective_codes.effective_codes` (a person's
decision replaces the machine's). This module adds the codebook's hierarchy.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from upstream.frameworks import Code, Codebook, builtin_names, load_codebook
from upstream.store import Workspace
from upstream.store.coding_repository import CodingRecord, CodingStore
from upstream.store.effective_codes import effective_codes
from upstream.store.records import ItemRecord, RunRecord

DBE = "dbe"


@dataclass(frozen=True)
class Assigned:
    """A code an item carries in a report, with who gave it and how sure they were."""

    code: str
    confidence: float
    origin: str


@dataclass
class CodedEvidence:
    """One coding run's codes for a set of items, with people's decisions applied.

    Attributes:
        codebook: The run's codebook (hierarchy included).
        run: The run.
        assigned: Codes per item id (only items that have any).
        decisions: Per reviewed item: ``accept``, ``recode`` or ``reject``.
        human_codes: The code a person chose, per accepted or recoded item.
        machine_top: The machine's top suggestion that people decided on, per reviewed item.
    """

    codebook: Codebook
    run: RunRecord
    assigned: dict[int, list[Assigned]] = field(default_factory=dict)
    decisions: dict[int, str] = field(default_factory=dict)
    human_codes: dict[int, str] = field(default_factory=dict)
    machine_top: dict[int, str] = field(default_factory=dict)

    def root_of(self, code: str) -> str:
        """The top-level element a code belongs to."""
        ancestors = self.codebook.ancestors(code)
        return ancestors[-1].id if ancestors else code

    def with_ancestors(self, code: str) -> list[str]:
        """The code and every code above it."""
        return [code, *(a.id for a in self.codebook.ancestors(code))]

    def roots(self, item_id: int) -> set[str]:
        """Top-level elements an item is coded to."""
        return {self.root_of(a.code) for a in self.assigned.get(item_id, [])}

    def codes_rolled_up(self, item_id: int) -> set[str]:
        """Every code an item counts towards: its own codes and all their ancestors."""
        return {c for a in self.assigned.get(item_id, []) for c in self.with_ancestors(a.code)}


def coding_runs(workspace: Workspace) -> list[RunRecord]:
    """Finished coding runs of a workspace, newest first."""
    return [
        run
        for run in CodingStore(workspace).runs(kind="coding", limit=1000)
        if run.status == "finished"
    ]


def choose_run(runs: Sequence[RunRecord], codebook: str | None = None) -> RunRecord | None:
    """The run a report is about: the newest with ``codebook``, else the newest not ``dbe``.

    Drivers, barriers and enablers are a second lens, so a framework run (NOM,
    HLS, ...) is preferred when both exist.
    """
    if codebook is not None:
        return next((r for r in runs if r.parameters.get("codebook") == codebook), None)
    framework = next((r for r in runs if r.parameters.get("codebook") != DBE), None)
    return framework or (runs[0] if runs else None)


def load_coded(
    workspace: Workspace, run: RunRecord, item_ids: Iterable[int] | None = None
) -> CodedEvidence:
    """The codes each item carries after ``run`` and people's decisions.

    Args:
        workspace: The workspace.
        run: A finished coding run.
        item_ids: Only these items (all items of the run when None).

    Returns:
        The coded evidence.
    """
    key = str(run.parameters.get("codebook", ""))
    item_ids = None if item_ids is None else list(item_ids)
    found = effective_codes(workspace, key, run, item_ids=item_ids)
    codebook = _codebook(key, run, found.records)
    known = {code for code in found.titles if code in codebook}
    if len(known) < len(found.titles):
        found = effective_codes(workspace, key, run, item_ids=item_ids, known=known)
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
    )


@lru_cache(maxsize=16)
def builtin_codebook(key: str) -> Codebook:
    """A built-in codebook, read once per process (codebooks are immutable)."""
    return load_codebook(key)


def _codebook(key: str, run: RunRecord, codings: Sequence[CodingRecord]) -> Codebook:
    """The run's codebook: the built-in one, or rebuilt from the stored codes' ids."""
    if key in builtin_names():
        book = builtin_codebook(key)
        if str(run.parameters.get("codebook_version", book.version)) == book.version:
            return book
    titles = {c.code: c.code_title for c in codings}
    codes = []
    for code_id in sorted(titles):
        parent = code_id.rpartition(".")[0]
        codes.append(Code(code_id, titles[code_id], "", parent if parent in titles else None))
    version = str(run.parameters.get("codebook_version", ""))
    return Codebook(id=key, title=key, description="", version=version, codes=tuple(codes))


def attribution_role(item: ItemRecord, source_kinds: dict[int, str]) -> str:
    """Who said it, without naming anyone: the author's role, else the kind of evidence."""
    if item.author_role:
        return item.author_role.strip()
    kind = source_kinds.get(item.source_id, "").strip()
    return kind[:1].upper() + kind[1:] if kind else ""


__all__ = [
    "DBE",
    "Assigned",
    "CodedEvidence",
    "attribution_role",
    "builtin_codebook",
    "choose_run",
    "coding_runs",
    "load_coded",
]
