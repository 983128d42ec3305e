"""Import a file of evidence into the store: read, validate, redact, de-duplicate, record.

The whole import runs in one transaction, so a failure part-way leaves the
store exactly as it was. Rows that cannot be imported go to a rejects CSV
beside the source file; good rows are kept.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from upstream.evidence.column_questions import header_question
from upstream.evidence.detect import detect_text_column, prompt_columns
from upstream.evidence.readers import evidence_files, open_table
from upstream.evidence.rejects import RejectsWriter
from upstream.evidence.validate import NO_TEXT, ColumnMapping, Validator
from upstream.records.drafts import ItemDraft, RawRow, Reject
from upstream.records.stored import SourceInfo
from upstream.store import Store

BATCH_SIZE = 2_000
DEFAULT_WORKSPACE = "default"


@dataclass
class ImportOptions:
    """How to read a file and where to put its items.

    Attributes:
        workspace: Workspace to import into (created if new).
        organisation: One organisation for every row.
        org_column: Column naming each row's organisation (instead of ``organisation``).
        text_column: Column holding the evidence text; detected when not given.
        id_column: Column holding the source's own identifier for each row.
        id_column_found: A column found to hold each row's identifier, used as
            ``id_column`` when none is given and the file is new here (a file
            imported before is read as it was then, so it stays one source).
        date_column: Column holding the date each row was said or written.
        role_column: Column holding the role of the person who said it.
        engagement_columns: Columns of counts such as likes or reposts.
        attribute_columns: Other columns to keep with each item.
        respondent_column: Column saying who wrote each row, so people can be counted.
        redact: Replace personal details in the text with typed placeholders.
        shared: Share the items with the whole workspace (otherwise private to their
            organisation).
        source_name: Name for the source; the file name when not given.
        kind: What sort of evidence this is (e.g. "consultation replies").
        evidence_type: Whose words these are (a key of
            :data:`~upstream.records.evidence_types.EVIDENCE_TYPES`: residents,
            staff, partners or network members); worked out from ``kind`` when "".
        question: The question people were answering, when there was one.
        sheet: Sheet to read from a spreadsheet; the first with data when not given.
        actor: Who is importing, for the audit log.
    """

    workspace: str = DEFAULT_WORKSPACE
    organisation: str | None = None
    org_column: str | None = None
    text_column: str | None = None
    id_column: str | None = None
    id_column_found: str | None = None
    date_column: str | None = None
    role_column: str | None = None
    engagement_columns: list[str] = field(default_factory=list)
    attribute_columns: list[str] = field(default_factory=list)
    respondent_column: str | None = None
    redact: bool = False
    shared: bool = True
    source_name: str | None = None
    kind: str = ""
    evidence_type: str = ""
    question: str = ""
    sheet: str | None = None
    actor: str = "command line"


@dataclass
class ImportResult:
    """What an import did, for the summary shown to the user."""

    source_id: int
    path: Path
    detected: dict[str, str]
    text_column: str
    text_column_detected: bool
    rows_read: int
    imported: int
    duplicates: int
    rejected: int
    rejects_path: Path | None
    redactions: dict[str, int]
    reject_reasons: dict[str, int]
    left_out: int = 0
    left_out_reasons: dict[str, int] = field(default_factory=dict)
    blank: int = 0
    """Rows with nothing in the text column (an answer left blank): not items, not errors."""
    rows: list[ImportedRow] = field(default_factory=list)
    again: bool = False
    """The same bytes were imported into the workspace before, and read the same way:
    that import's source and items were used, not a second copy."""


@dataclass(frozen=True, slots=True)
class ImportedRow:
    """One row of an imported file and where it went (kept when ``track_rows`` is asked).

    Attributes:
        number: The row's number in the file (1 is the first row of data).
        external_id: The row's own id (from ``id_column``), or "".
        item_id: The stored item holding its text (an earlier item for a
            duplicate), or None when the row was rejected.
        problem: Why the row was rejected, or "".
    """

    number: int
    external_id: str
    item_id: int | None
    problem: str = ""


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def import_file(
    store: Store,
    path: Path,
    options: ImportOptions | None = None,
    *,
    on_progress: Callable[[int], None] | None = None,
    track_rows: bool = False,
) -> ImportResult:
    """Import one file of evidence into a workspace.

    Args:
        store: The open store.
        path: File to import (CSV, TSV, XLSX, ODS, JSON, JSONL, text or Markdown).
        options: Column mapping and destination; defaults detect everything.
        on_progress: Called with the number of rows read so far, every batch.
        track_rows: Also say, row by row, which stored item holds each row
            (for callers that answer per input row, such as ``upstream themes``).

    Returns:
        Counts of what was read, imported, skipped as duplicate and rejected.

    Raises:
        ImportFormatError: The file type is unsupported or the file is unreadable.
        ImportConfigError: A named column does not exist, or the options conflict.
    """
    options = options or ImportOptions()
    path = Path(path)
    digest = file_sha256(path)
    earlier = _earlier_import(store, options, digest)
    if earlier is not None:
        # One file is one source, whichever command names it: "upstream themes" and
        # then "upstream code" on the same file would otherwise count every row twice.
        options = _as_before(options, earlier.options)
    elif options.id_column is None and options.id_column_found:
        options = replace(options, id_column=options.id_column_found)
    reader = open_table(path, text_column_hint=options.text_column, sheet=options.sheet)
    text_column = options.text_column or detect_text_column(reader)
    named = {
        options.id_column,
        options.org_column,
        options.role_column,
        options.date_column,
        options.respondent_column,
    }
    # The prompt a row answers (a survey's question, a board's column) tells the coder
    # which way it points, so it is kept with every item whatever else is chosen.
    prompts = [
        c
        for c in prompt_columns(reader.columns, text_column)
        if c not in options.attribute_columns and c not in named
    ]
    mapping = ColumnMapping(
        text_column=text_column,
        id_column=options.id_column,
        org_name=options.organisation,
        org_column=options.org_column,
        role_column=options.role_column,
        date_column=options.date_column,
        engagement_columns=list(options.engagement_columns),
        attribute_columns=[*options.attribute_columns, *prompts],
        respondent_column=options.respondent_column,
        redact=options.redact,
    )
    validator = Validator(mapping, reader.columns, file=str(path))
    recorded = _recorded_options(options, text_column, reader.columns)
    detected = dict(reader.detected)
    if not options.question and header_question(text_column):
        detected["question"] = "taken from the text column's name"

    rows_read = blank = 0
    redactions: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    gaps: Counter[str] = Counter()
    batch: list[ItemDraft] = []
    # Per row: (external id, content hash or None, reject reason), when tracking.
    tracked: list[tuple[str, str | None, str]] = []
    rejects = RejectsWriter(path)
    try:
        with rejects, store.writer(options.workspace) as writer:
            source_id = (
                earlier.id
                if earlier is not None
                else writer.add_source(
                    options.source_name or _default_name(store, options, path, digest, text_column),
                    kind=options.kind,
                    path=str(path.resolve()),
                    file_sha256=digest,
                    detected=dict(detected),
                    options=recorded,
                    imported_by=options.actor,
                )
            )
            before = writer.item_count(source_id) if earlier is not None else 0
            for row in reader.rows():
                rows_read += 1
                result = row if isinstance(row, Reject) else validator.validate(row)
                if isinstance(result, Reject):
                    if result.reason.startswith(NO_TEXT):
                        # An answer left blank (an optional question): nothing was
                        # said, so nothing is wrong and nothing is listed.
                        blank += 1
                    else:
                        rejects.write(result)
                        reasons[result.reason.split(":")[0]] += 1
                    if track_rows:
                        tracked.append((_own_id(row, options.id_column), None, result.reason))
                    continue
                if track_rows:
                    tracked.append((result.external_id or "", result.content_hash, ""))
                for value in result.left_out:
                    rejects.write(value)
                    gaps[value.reason.split(":")[0]] += 1
                redactions.update(result.redactions)
                batch.append(result)
                if len(batch) >= BATCH_SIZE:
                    writer.insert_items(source_id, batch, shared=options.shared)
                    batch.clear()
                    if on_progress:
                        on_progress(rows_read)
            writer.insert_items(source_id, batch, shared=options.shared)
            if on_progress:
                on_progress(rows_read)
            imported = writer.item_count(source_id) - before
            valid = rows_read - rejects.count - blank
            if earlier is None:
                writer.update_source(
                    source_id,
                    # How many left the question blank, for reports on its answers.
                    options={**recorded, "left_blank": blank},
                    rows_read=rows_read,
                    rows_imported=imported,
                    rows_duplicate=valid - imported,
                    rows_rejected=rejects.count,
                    redactions=dict(redactions),
                )
            writer.audit(
                options.actor,
                "import again" if earlier is not None else "import",
                "source",
                source_id,
                file=str(path),
                imported=imported,
                rejected=rejects.count,
            )
    except BaseException:
        rejects.discard()
        raise
    return ImportResult(
        rows=_stored_rows(store, options.workspace, tracked),
        source_id=source_id,
        path=path,
        detected=dict(detected),
        text_column=text_column,
        text_column_detected=options.text_column is None,
        rows_read=rows_read,
        imported=imported,
        duplicates=valid - imported,
        rejected=rejects.count,
        rejects_path=rejects.path if rejects.count or rejects.left_out else None,
        redactions=dict(redactions),
        reject_reasons=dict(reasons),
        left_out=rejects.left_out,
        left_out_reasons=dict(gaps),
        blank=blank,
        again=earlier is not None,
    )


@dataclass
class DirectoryImport:
    """What importing a directory did, file by file.

    Attributes:
        imported: The result of each file imported now, in reading order.
        skipped: Files skipped because the same bytes were imported into the
            workspace before (re-importing a directory adds nothing).
    """

    imported: list[ImportResult] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)


def import_directory(
    store: Store,
    path: Path,
    options: ImportOptions | None = None,
    *,
    on_file: Callable[[Path], None] | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> DirectoryImport:
    """Import every data file of a directory, one transaction per file.

    Files are read in sorted order (sub-directories too: partitioned Parquet
    keeps its parts in ``key=value`` folders), a partition of rows at a time.
    A file whose exact bytes were already imported into the workspace is
    skipped, so importing a directory again adds nothing; a file that fails
    leaves the files imported before it in place, and importing again picks up
    where it stopped. Each file's bad rows go to its own rejects CSV.

    Args:
        store: The open store.
        path: A directory of CSV, TSV, JSON Lines, JSON or Parquet files.
        options: Column mapping and destination, the same for every file.
        on_file: Called with each file as its import starts.
        on_progress: Called with the rows read so far in the current file.

    Returns:
        Each file's result, and the files skipped.
    """
    options = options or ImportOptions()
    root = Path(path)
    done = {
        source.file_sha256
        for source in store.workspace(options.workspace, create=True).sources()
        if source.file_sha256
    }
    outcome = DirectoryImport()
    for file in evidence_files(root):
        digest = file_sha256(file)
        if digest in done:
            outcome.skipped.append(file)
            continue
        if on_file:
            on_file(file)
        named = replace(
            options, source_name=options.source_name or file.relative_to(root).as_posix()
        )
        outcome.imported.append(import_file(store, file, named, on_progress=on_progress))
        done.add(digest)
    return outcome


def _own_id(row: RawRow | Reject, id_column: str | None) -> str:
    """A rejected row's own id, when it has one."""
    if not id_column or not isinstance(row, RawRow):
        return ""
    return str(row.values.get(id_column) or "")


def _stored_rows(
    store: Store, workspace: str, tracked: list[tuple[str, str | None, str]]
) -> list[ImportedRow]:
    if not tracked:
        return []
    hashes = [content_hash for _, content_hash, _ in tracked if content_hash]
    ids = store.workspace(workspace).item_ids_by_hash(hashes)
    return [
        ImportedRow(number, own, ids.get(content_hash) if content_hash else None, problem)
        for number, (own, content_hash, problem) in enumerate(tracked, start=1)
    ]


# What decides how a file's rows become items: an import that set these the same way
# (or a later one that leaves them to be detected) reads the same items.
_READ_AS = (
    "text_column",
    "id_column",
    "organisation",
    "org_column",
    "respondent_column",
    "date_column",
    "role_column",
    "sheet",
)


def _default_name(
    store: Store, options: ImportOptions, path: Path, digest: str, text_column: str
) -> str:
    """The file's name, and the text column's when the file was read before for another.

    A survey export holds a column per open question; each is imported as its own
    source, and lists name them apart ("park.csv: Anything else about the park?").
    """
    if options.workspace in {w.name for w in store.workspaces()} and any(
        source.file_sha256 == digest and source.options.get("text_column") != text_column
        for source in store.workspace(options.workspace).sources()
    ):
        return f"{path.name}: {text_column}"
    return path.name


def _earlier_import(store: Store, options: ImportOptions, digest: str) -> SourceInfo | None:
    """The workspace's earlier import of the same bytes that these options read alike, if any.

    Options left unset (a column to detect, no redaction asked for) read alike
    with whatever the earlier import set. Asking for a different column, for
    redaction the earlier import did not do, or for private items where they
    were shared (or the reverse) is a different reading: the file is imported
    again.
    """
    if options.workspace not in {w.name for w in store.workspaces()}:
        return None  # nothing imported yet, and a failed import leaves no workspace behind
    for source in store.workspace(options.workspace).sources():
        if source.file_sha256 != digest:
            continue
        recorded = source.options
        if any(
            getattr(options, name) not in (None, "")
            and getattr(options, name) != recorded.get(name)
            for name in _READ_AS
        ):
            continue
        if any(
            getattr(options, name)
            and list(getattr(options, name)) != list(recorded.get(name) or [])
            for name in ("engagement_columns", "attribute_columns")
        ):
            continue
        if (options.redact and not recorded.get("redact")) or options.shared != recorded.get(
            "shared", True
        ):
            continue
        return source
    return None


def _as_before(options: ImportOptions, recorded: dict[str, Any]) -> ImportOptions:
    """The options of an earlier import of the same file, for reading it the same way."""
    read_as: dict[str, Any] = {name: recorded.get(name) for name in _READ_AS}
    read_as["engagement_columns"] = list(recorded.get("engagement_columns") or [])
    read_as["attribute_columns"] = list(recorded.get("attribute_columns") or [])
    read_as["redact"] = bool(recorded.get("redact"))
    return replace(options, **read_as)


def _recorded_options(
    options: ImportOptions, text_column: str, columns: Sequence[str]
) -> dict[str, object]:
    return {
        # The file's columns, so that a later file of the same shape can be read alike.
        "columns": list(columns),
        "text_column": text_column,
        "id_column": options.id_column,
        "organisation": options.organisation,
        "org_column": options.org_column,
        "respondent_column": options.respondent_column,
        "date_column": options.date_column,
        "role_column": options.role_column,
        "engagement_columns": options.engagement_columns,
        "attribute_columns": options.attribute_columns,
        "redact": options.redact,
        "shared": options.shared,
        "sheet": options.sheet,
        "question": options.question or header_question(text_column) or "",
        **({"evidence_type": options.evidence_type} if options.evidence_type else {}),
    }
