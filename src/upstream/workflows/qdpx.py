"""Move coded work to and from other QDA tools as REFI-QDA projects (``.qdpx``).

Export: the workspace's items a person may see become text sources (their stored
text, so redacted text stays redacted), the stored codebook keeps its GUIDs,
each person's coding becomes a selection of the whole item under their name,
and the machine's newest suggestions can ride along under a separate user.
Organisation, role, date and kept attributes become variables.

Import: every coded span of a source becomes an item (a source coded as a whole,
or never coded, becomes one item), the codebook is stored with its GUIDs, and
each coding becomes a human coding by the person the file names, so agreement
between someone in NVivo and the machine can be measured here
(:func:`coder_judgements`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from upstream.exchange.project import Project, Selection, TextSource, User, stable_guid
from upstream.exchange.qdpx_read import read_qdpx
from upstream.exchange.qdpx_write import ORGANISATION, write_qdpx
from upstream.frameworks.refiqda import export_warnings, guid_of
from upstream.records.drafts import ItemDraft
from upstream.records.stored import ItemRecord
from upstream.store import Workspace
from upstream.store.account_models import EvidenceQuery, Scope
from upstream.store.coding_repository import CodingStore
from upstream.store.effective_codes import latest_coding_run
from upstream.store.engine import StoreError
from upstream.store.exchange_repository import ExchangeStore, HumanCoding
from upstream.store.visibility import ScopedEvidence

__all__ = [
    "MACHINE_USER",
    "QdpxExport",
    "QdpxImport",
    "coder_judgements",
    "export_qdpx",
    "import_qdpx",
]

MACHINE_USER = "upstream (machine suggestions)"
_UNKNOWN_CODER = "unknown coder"


@dataclass
class QdpxExport:
    """What an export wrote.

    Attributes:
        path: The file written.
        sources: Items written as sources.
        codings: Human codings written.
        suggestions: Machine suggestions written.
        warnings: What other tools will not keep.
    """

    path: Path
    sources: int
    codings: int
    suggestions: int
    warnings: list[str] = field(default_factory=list)


@dataclass
class QdpxImport:
    """What an import brought in.

    Attributes:
        codebook: Key of the stored codebook.
        items: Items made from the project's sources and spans (new or found).
        new_items: Of those, items not stored before.
        codings: New human codings stored.
        coders: The people whose codings were stored.
        warnings: What was not imported.
    """

    codebook: str
    items: int
    new_items: int
    codings: int
    coders: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _visible_items(workspace: Workspace, scope: Scope | None) -> list[ItemRecord]:
    if scope is None:
        return workspace.items()
    return list(ScopedEvidence(workspace, scope).iter_items(EvidenceQuery()))


def _variables(item: ItemRecord) -> dict[str, str]:
    values: dict[str, str] = {}
    if item.organisation:
        values[ORGANISATION] = item.organisation
    if item.author_role:
        values["Role"] = item.author_role
    if item.item_date:
        values["Date"] = item.item_date.isoformat()
    for name, value in item.attributes.items():
        values.setdefault(str(name), str(value))
    return values


def export_qdpx(
    workspace: Workspace,
    codebook_key: str,
    path: Path,
    *,
    scope: Scope | None = None,
    include_machine: bool = False,
    for_nvivo: bool = False,
) -> QdpxExport:
    """Write a workspace's coded items as a ``.qdpx`` project.

    Args:
        workspace: The workspace.
        codebook_key: The stored codebook to write (``nom``, ``dbe``, ...).
        path: Where to write the file.
        scope: What the person exporting may see (None: everything, as the
            workspace's owner on the command line).
        include_machine: Also write the newest run's suggestions, under the user
            :data:`MACHINE_USER`.
        for_nvivo: Count offsets in UTF-16 units, as NVivo does.

    Returns:
        What was written.

    Raises:
        StoreError: The codebook is not stored in this workspace.
        ValueError: A code's title or definition holds a character XML cannot hold.
    """
    coding = CodingStore(workspace)
    codebook_id = coding.codebook_id(codebook_key)
    if codebook_id is None:
        raise StoreError(
            f"Codebook {codebook_key!r} is not in workspace {workspace.name!r}: "
            "code the workspace with it first (upstream code --db ...)."
        )
    exchange = ExchangeStore(workspace)
    codebook = exchange.codebook(codebook_id)
    items = _visible_items(workspace, scope)
    visible = {item.id for item in items}
    spans: dict[int, list[tuple[str, str]]] = {item.id: [] for item in items}
    for human in exchange.human_codings(codebook_id):
        if human.item_id in visible:
            spans[human.item_id].append((human.code, human.coder or _UNKNOWN_CODER))
    run = latest_coding_run(workspace, codebook_key) if include_machine else None
    if run is not None:
        for record in coding.codings(run_id=run.id, origin="machine"):
            if record.item_id in visible and record.status in {"suggested", "accepted"}:
                spans[record.item_id].append((record.code, MACHINE_USER))
    names = sorted({coder for pairs in spans.values() for _, coder in pairs})
    users = {name: User(stable_guid("user", name), name) for name in names}
    sources = []
    for item in items:
        text = item.text
        guid = stable_guid("item", workspace.name, item.id)
        selections = tuple(
            Selection(
                guid=stable_guid("selection", guid, code, coder),
                start=0,
                end=len(text),
                code_guid=guid_of(codebook.id, codebook.code(code)),
                user_guid=users[coder].guid,
            )
            for code, coder in dict.fromkeys(spans[item.id])
            if code in codebook
        )
        name = item.external_id or f"Item {item.id}"
        sources.append(TextSource(guid, name, text, selections, _variables(item)))
    project = Project(workspace.name, codebook, tuple(users.values()), tuple(sources))
    written = write_qdpx(project, path, for_nvivo=for_nvivo)
    machine_guid = stable_guid("user", MACHINE_USER)
    written_all = [sel for source in sources for sel in source.selections]
    suggestions = sum(1 for sel in written_all if sel.user_guid == machine_guid)
    people = len(written_all) - suggestions
    warnings = export_warnings(codebook)
    return QdpxExport(written, len(sources), people, suggestions, warnings)


def _spans(source: TextSource) -> list[tuple[int, int]]:
    found = list(dict.fromkeys((s.start, s.end) for s in source.selections if s.end > s.start))
    return found or [(0, len(source.text))]


def import_qdpx(workspace: Workspace, path: Path, *, actor: str) -> QdpxImport:
    """Bring a ``.qdpx`` project's sources, codebook and codings into a workspace.

    Args:
        workspace: The workspace to import into.
        path: The ``.qdpx`` file.
        actor: Who is importing, for the audit log.

    Returns:
        What was brought in.

    Raises:
        CodebookError: The file is not a readable project.
        InvalidCodebook: Its codebook has problems.
    """
    exchange = ExchangeStore(workspace)
    first = read_qdpx(path)
    known = exchange.guid_keys(first.project.codebook.id)
    reading = read_qdpx(path, known=known) if known else first
    project = reading.project
    warnings = list(reading.warnings)
    codebook_id = CodingStore(workspace).save_codebook(project.codebook)
    drafts: list[ItemDraft] = []
    for source in project.sources:
        organisation = source.variables.get(ORGANISATION) or None
        attributes = {k: v for k, v in source.variables.items() if k != ORGANISATION}
        for start, end in _spans(source):
            whole = (start, end) == (0, len(source.text))
            drafts.append(
                ItemDraft(
                    text=source.text[start:end],
                    line=0,
                    external_id=source.name if whole else f"{source.name} [{start}:{end}]",
                    organisation=organisation,
                    attributes=attributes,
                )
            )
    drafts = [d for d in drafts if d.text.strip()]
    before = exchange.item_ids_by_text([d.text for d in drafts])
    new = [d for d in drafts if d.text not in before]
    if new:
        with workspace.writer() as writer:
            source_id = writer.add_source(Path(path).name)
            writer.insert_items(source_id, new)
            writer.audit(actor, "import.qdpx", "source", source_id, items=len(new))
    ids = exchange.item_ids_by_text([d.text for d in drafts])
    users = {user.guid: user.name for user in project.users}
    codings: list[HumanCoding] = []
    machine = 0
    for source in project.sources:
        for selection in source.selections:
            coder = users.get(selection.user_guid or "", "") or _UNKNOWN_CODER
            if coder == MACHINE_USER:
                machine += 1
                continue
            code = reading.code_ids.get(selection.code_guid)
            text = source.text[selection.start : selection.end]
            if code is None or text not in ids:
                continue
            codings.append(HumanCoding(ids[text], code, coder))
    if machine:
        warnings.append(
            f"{machine} machine suggestion(s) in the file were left out: "
            "only people's codings are imported."
        )
    added = exchange.add_human_codings(codebook_id, codings, actor=actor) if codings else 0
    return QdpxImport(
        codebook=project.codebook.id,
        items=len(set(ids.values())),
        new_items=len({d.text for d in new}),
        codings=added,
        coders=sorted({c.coder for c in codings}),
        warnings=warnings,
    )


def coder_judgements(workspace: Workspace, codebook_key: str) -> list[tuple[int, str, str]]:
    """Every person's codes, and the machine's top code, as ``(item, coder, code)`` rows.

    The rows feed :func:`upstream.coding.agreement.agreement_report` with
    ``machine_coder="machine"``, or a judgements file for ``upstream agreement``.

    Args:
        workspace: The workspace.
        codebook_key: The codebook.

    Returns:
        The judgements: people's (imported or decided here) and the machine's.

    Raises:
        StoreError: The codebook is not stored in this workspace.
    """
    coding = CodingStore(workspace)
    codebook_id = coding.codebook_id(codebook_key)
    if codebook_id is None:
        raise StoreError(f"Codebook {codebook_key!r} is not in workspace {workspace.name!r}.")
    rows = [
        (h.item_id, h.coder, h.code) for h in ExchangeStore(workspace).human_codings(codebook_id)
    ]
    run = latest_coding_run(workspace, codebook_key)
    if run is not None:
        best: dict[int, tuple[float, str]] = {}
        for record in coding.codings(run_id=run.id, origin="machine"):
            if record.status == "tentative":
                continue
            score = record.confidence or 0.0
            if record.item_id not in best or score > best[record.item_id][0]:
                best[record.item_id] = (score, record.code)
        rows.extend((item, "machine", code) for item, (_, code) in sorted(best.items()))
    return rows
