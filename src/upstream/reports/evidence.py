"""The codes each item ends up with in a report, with the run's codebook.

Which codes are in force is decided in one place for every page, report and
export: :func:`upstream.store.effective_codes.effective_codes` (a person's
decision replaces the machine's). This module adds the codebook's hierarchy.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache

from upstream.frameworks import Codebook, load_codebook
from upstream.policy import MIN_GROUP, public_role
from upstream.records.stored import ItemRecord, RunRecord

DBE = "dbe"

CONFIDENT = "confident"
"""Count codes people gave or checked and the machine's confident suggestions (the default)."""
CHECKED = "checked"
"""Count only codes people gave or checked."""
EVERYTHING = "all"
"""Count the machine's tentative guesses (below its threshold) too, knowingly."""
COUNTING = {
    CONFIDENT: "codes people gave or checked and the machine's suggestions at its threshold",
    CHECKED: "only codes people gave or checked",
    EVERYTHING: "all codes, with the machine's less likely guesses too",
}
"""Which codes a report or dashboard counts, with how to say so. The machine's
tentative guesses (below the coder's threshold) count only when asked for."""


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
        machine_top_confidence: How sure the machine was of that suggestion.
        scope_sources: The sources whose items the run set out to code, when it left
            some kinds of evidence out by design (residents' replies, say); None
            when it coded every source.
        scope_words: Whose evidence those sources hold ("staff, partners and
            network members"), when ``scope_sources`` is set.
    """

    codebook: Codebook
    run: RunRecord
    assigned: dict[int, list[Assigned]] = field(default_factory=dict)
    decisions: dict[int, str] = field(default_factory=dict)
    human_codes: dict[int, str] = field(default_factory=dict)
    machine_top: dict[int, str] = field(default_factory=dict)
    machine_top_confidence: dict[int, float] = field(default_factory=dict)
    scope_sources: frozenset[int] | None = None
    scope_words: str = ""

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


def counted(coded: CodedEvidence, counting: str = CONFIDENT) -> CodedEvidence:
    """The codes to count: all codes in force, or only those a person checked.

    Args:
        coded: The codes in force (checked codes and confident suggestions).
        counting: :data:`CONFIDENT`, :data:`CHECKED` or :data:`EVERYTHING`.

    Returns:
        ``coded`` itself, or a copy without the machine's suggestions.

    Raises:
        ValueError: ``counting`` is neither.
    """
    if counting not in COUNTING:
        raise ValueError(f"Count {' or '.join(map(repr, COUNTING))}, not {counting!r}.")
    if counting in {CONFIDENT, EVERYTHING}:
        # Guesses are in ``coded`` only when it was read with them (``EVERYTHING``).
        return coded
    kept = {
        item: checked
        for item, codes in coded.assigned.items()
        if (checked := [a for a in codes if a.origin == "human"])
    }
    return replace(coded, assigned=kept)


def choose_run(runs: Sequence[RunRecord], codebook: str | None = None) -> RunRecord | None:
    """The run a report is about: the newest with ``codebook``, else the newest not ``dbe``.

    Drivers, barriers and enablers are a second lens, so a framework run (NOM,
    HLS, ...) is preferred when both exist.
    """
    if codebook is not None:
        return next((r for r in runs if r.parameters.get("codebook") == codebook), None)
    framework = next((r for r in runs if r.parameters.get("codebook") != DBE), None)
    return framework or (runs[0] if runs else None)


@lru_cache(maxsize=16)
def builtin_codebook(key: str) -> Codebook:
    """A built-in codebook, read once per process (codebooks are immutable)."""
    return load_codebook(key)


def attribution_role(
    item: ItemRecord,
    source_kinds: dict[int, str],
    named_roles: Collection[tuple[str, str]] | None = None,
) -> str:
    """Who said it, without naming anyone: the author's role, else the kind of evidence.

    A post one person is likely to hold ("Chief Executive", "Director of Public
    Health", "Procurement lead") is given as a band ("Senior leader", "Lead
    officer"): beside the organisation's name, the post would name its holder.
    With ``named_roles`` (see :func:`named_roles`), a role is given only when at
    least 10 of its organisation's items share it, as on an item's page: one
    police inspector or data analyst is as identifiable as a chief executive.
    """
    if item.author_role:
        role = public_role(item.author_role)
        if named_roles is None or (item.organisation or "", role) in named_roles:
            return role
    kind = source_kinds.get(item.source_id, "").strip()
    return kind[:1].upper() + kind[1:] if kind else ""


def named_roles(items: Iterable[ItemRecord]) -> frozenset[tuple[str, str]]:
    """(organisation, role as printed) pairs that at least 10 of ``items`` share.

    Args:
        items: The items a report counts.

    Returns:
        The roles a quote may name beside each organisation.
    """
    counts = Counter(
        (item.organisation or "", public_role(item.author_role))
        for item in items
        if item.author_role
    )
    return frozenset(pair for pair, n in counts.items() if n >= MIN_GROUP)


__all__ = [
    "CHECKED",
    "CONFIDENT",
    "COUNTING",
    "DBE",
    "EVERYTHING",
    "Assigned",
    "CodedEvidence",
    "attribution_role",
    "builtin_codebook",
    "choose_run",
    "counted",
    "named_roles",
    "public_role",
]
