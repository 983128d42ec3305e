"""Which evidence to theme: everything, one kind of voice or evidence, one source or organisation.

The web app's themes form and ``upstream themes --db`` offer the same choices
and describe them in the same words, so a run started from either door over the
same evidence finds the same themes and says what it themed alike. A network's
own notes and a borough's public replies say different things in different
words; themed together, the many short replies take over the themes, which is
why one kind of voice can be chosen. One kind of evidence ("consultation replies",
as given when each file was imported) gathers the files of one exercise: May's
replies and June's, imported apart, are themed together.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from upstream.records.evidence_types import EVIDENCE_TYPES, type_of_source, types_covered
from upstream.records.stored import ItemRecord
from upstream.store.account_models import Scope
from upstream.store.repository import Workspace
from upstream.store.visibility import BrowseQuery, ScopedEvidence

__all__ = [
    "ALL_EVIDENCE",
    "EvidenceChoice",
    "kind_choice",
    "kind_choices",
    "organisation_choice",
    "source_choice",
    "sources_by_type",
    "stored_choice",
    "voice_choice",
    "voice_choices",
]

ALL_EVIDENCE = "All the evidence the person running it may see"


@dataclass(frozen=True)
class EvidenceChoice:
    """Which evidence to theme: everything the person may see, some sources or one organisation.

    Attributes:
        source_ids: Only these sources (one name, such as a roundtable's
            responses, may stand for several; a kind of voice stands for every
            source of that kind); every source when empty.
        organisation: Only this organisation's items.
        description: The choice in words (kept with the run).
    """

    source_ids: tuple[int, ...] = ()
    organisation: str = ""
    description: str = ALL_EVIDENCE

    def items(self, evidence: ScopedEvidence) -> list[ItemRecord]:
        """The chosen items that ``evidence``'s scope allows, oldest first."""
        query = BrowseQuery(source_ids=self.source_ids or None, organisation=self.organisation)
        return list(evidence.iter_items(query))

    def workspace_items(self, workspace: Workspace) -> list[ItemRecord]:
        """The chosen items of the whole workspace (the command line sees everything)."""
        if not self.source_ids and not self.organisation:
            return workspace.items()
        return self.items(ScopedEvidence(workspace, Scope(see_all=True)))


def sources_by_type(workspace: Workspace) -> dict[str, tuple[int, ...]]:
    """The workspace's source ids for each evidence type that has any."""
    found: dict[str, list[int]] = {}
    for source in workspace.sources():
        found.setdefault(type_of_source(source.kind, source.options), []).append(source.id)
    return {key: tuple(found[key]) for key in EVIDENCE_TYPES if key in found}


def _voice_words(keys: Sequence[str], present: Sequence[str]) -> str:
    others = [key for key in present if key != "residents"]
    if "residents" in present and len(others) > 1 and set(keys) == set(others):
        return f"What {types_covered(keys)} said (not residents)"
    return f"What {types_covered(keys)} said"


def voice_choices(by_type: dict[str, tuple[int, ...]]) -> list[tuple[str, str]]:
    """(value, words) for theming one kind of voice: each evidence type, and all but residents'.

    Args:
        by_type: The workspace's source ids for each evidence type (:func:`sources_by_type`).

    Returns:
        ``("types:staff", "What staff said")`` and so on; nothing when the
        workspace holds one kind of voice, since "all the evidence" already is it.
    """
    present = [key for key, ids in by_type.items() if ids]
    if len(present) < 2:
        return []
    found = [(f"types:{key}", _voice_words([key], present)) for key in present]
    others = [key for key in present if key != "residents"]
    if "residents" in present and len(others) > 1:
        found.append((f"types:{','.join(others)}", _voice_words(others, present)))
    return found


def voice_choice(by_type: dict[str, tuple[int, ...]], keys: Sequence[str]) -> EvidenceChoice:
    """The evidence of the kinds of voice named, described as the themes form describes it.

    Args:
        by_type: The workspace's source ids for each evidence type (:func:`sources_by_type`).
        keys: Evidence type keys (``residents``, ``staff``, ``partners``, ``network``).

    Returns:
        The choice of every source of those kinds.

    Raises:
        ValueError: If a key is not an evidence type, or the workspace holds no
            evidence of the kinds named (theming everything instead would
            mislead).
    """
    unknown = [key for key in keys if key not in EVIDENCE_TYPES]
    if unknown:
        raise ValueError(
            f"'{unknown[0]}' is not a kind of voice: expected one of {', '.join(EVIDENCE_TYPES)}"
        )
    chosen = [key for key in EVIDENCE_TYPES if key in set(keys)]
    ids = tuple(i for key in chosen for i in by_type.get(key, ()))
    if not ids:
        held = types_covered(key for key, found in by_type.items() if found)
        raise ValueError(
            f"The workspace holds no evidence from {types_covered(chosen)}; it holds evidence "
            f"from {held}."
        )
    present = [key for key, found in by_type.items() if found]
    return EvidenceChoice(source_ids=ids, description=_voice_words(chosen, present))


def _sources_of_kind(evidence: ScopedEvidence) -> dict[str, dict[int, str]]:
    """The sources the scope shows, by the kind of evidence given when each was imported.

    Each kind maps its sources' ids to their names as shown.
    """
    shown = dict(evidence.sources())
    kinds: dict[str, dict[int, str]] = {}
    for source in evidence.workspace.sources():
        if source.id in shown and source.kind.strip():
            kinds.setdefault(source.kind.strip(), {})[source.id] = shown[source.id]
    return kinds


def _kind_words(kind: str, sources: dict[int, str]) -> str:
    # Counted by name: a roundtable keeps each participant's notes as a source of
    # its own under one name, and the form offers that name as one source.
    return f"The {kind} from {len(set(sources.values()))} sources"


def kind_choices(evidence: ScopedEvidence) -> list[tuple[str, str]]:
    """(value, words) for each kind of evidence that two or more sources hold.

    ``("kind:consultation replies", "The consultation replies from 2 sources")``;
    a kind that one source (or one name, such as a roundtable's) holds is already
    offered as that source.
    """
    return [
        (f"kind:{kind}", _kind_words(kind, sources))
        for kind, sources in sorted(_sources_of_kind(evidence).items())
        if len(set(sources.values())) >= 2
    ]


def kind_choice(evidence: ScopedEvidence, kind: str) -> EvidenceChoice:
    """The items of every source of one kind of evidence the scope shows.

    Raises:
        ValueError: If no source the scope shows is of that kind.
    """
    kinds = _sources_of_kind(evidence)
    sources = kinds.get(kind.strip(), {})
    if not sources:
        held = ", ".join(f"'{k}'" for k in sorted(kinds)) or "none"
        raise ValueError(f"No source holds evidence of the kind '{kind}'; the kinds are {held}.")
    return EvidenceChoice(source_ids=tuple(sources), description=_kind_words(kind.strip(), sources))


def source_choice(evidence: ScopedEvidence, name: str) -> EvidenceChoice:
    """The items of the source(s) with this name, as the themes form offers them.

    A roundtable keeps each participant's notes as a source of its own under one
    name, so a name may stand for several sources.

    Raises:
        ValueError: If no source the scope allows has that name.
    """
    ids = tuple(source_id for source_id, shown in evidence.sources() if shown == name)
    if not ids:
        raise ValueError(f"There is no source called '{name}' in this workspace.")
    return EvidenceChoice(source_ids=ids, description=f"Items from {name}")


def organisation_choice(evidence: ScopedEvidence, name: str) -> EvidenceChoice:
    """One organisation's items, as the themes form offers them.

    Raises:
        ValueError: If no organisation the scope allows has that name.
    """
    if name not in evidence.organisation_names():
        raise ValueError(f"There is no organisation called '{name}' in this workspace.")
    return EvidenceChoice(organisation=name, description=f"Items from {name}")


def stored_choice(
    workspace: Workspace,
    *,
    voices: Sequence[str] = (),
    organisation: str | None = None,
    source: str | None = None,
    kind: str | None = None,
) -> EvidenceChoice:
    """The evidence of a whole workspace chosen by voice, organisation, source or kind.

    Args:
        workspace: The workspace.
        voices: Evidence type keys; every kind when empty.
        organisation: Only this organisation's items.
        source: Only the items of the source(s) with this name.
        kind: Only the items of sources of this kind of evidence.

    Returns:
        The choice, described as the themes form describes it; everything in
        the workspace when nothing narrows it.

    Raises:
        ValueError: If more than one way of choosing is given, or what is named
            is not in the workspace.
    """
    if sum([bool(voices), organisation is not None, source is not None, kind is not None]) > 1:
        raise ValueError(
            "Choose evidence by kind of voice, organisation, source or kind of evidence: "
            "one of them."
        )
    everything = ScopedEvidence(workspace, Scope(see_all=True))
    if voices:
        return voice_choice(sources_by_type(workspace), [v.strip().lower() for v in voices])
    if organisation is not None:
        return organisation_choice(everything, organisation)
    if source is not None:
        return source_choice(everything, source)
    if kind is not None:
        return kind_choice(everything, kind)
    return EvidenceChoice(description=f"Everything in the workspace {workspace.name}")
