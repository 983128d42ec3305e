"""Read a new file the way an earlier file of the same shape was read.

Evidence often arrives in instalments: May's consultation replies, then June's,
exported from the same system with the same columns. The second import should
not start from scratch (private, no kind, no "who wrote it"), or the two halves
end up read differently and cannot be themed as one kind of evidence. This
finds the newest earlier import whose columns the new file has, and gives its
choices as the starting point for the new file's mapping.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from upstream.evidence.errors import ImportConfigError
from upstream.evidence.readers import open_table
from upstream.records.stored import SourceInfo
from upstream.workflows.ingest import ImportOptions

# The recorded choices that name one column each, and those that name several.
_ONE_COLUMN = (
    "text_column",
    "id_column",
    "org_column",
    "date_column",
    "role_column",
    "respondent_column",
)
_SEVERAL_COLUMNS = ("engagement_columns", "attribute_columns")
# A reading that names only the text column says nothing about a file's shape:
# most files have a column called "text" or "comment".
_MIN_NAMED = 2


@dataclass(frozen=True, slots=True)
class EarlierReading:
    """An earlier import whose columns a new file has, and the choices it made.

    Attributes:
        source: The earlier import.
        mapping: Its choices, in the import wizard's terms (``text_column``,
            ``engagement_columns``, ``shared``, ``kind`` …).
        same_columns: The earlier file had exactly these columns (known for
            imports that recorded their columns); otherwise the new file has
            every column the earlier reading used, and perhaps more.
    """

    source: SourceInfo
    mapping: dict[str, Any]
    same_columns: bool


def _named_columns(options: dict[str, Any]) -> list[str]:
    named = [options.get(key) for key in _ONE_COLUMN]
    for key in _SEVERAL_COLUMNS:
        named.extend(options.get(key) or [])
    return [str(c) for c in named if c]


def earlier_reading(sources: Iterable[SourceInfo], columns: Sequence[str]) -> EarlierReading | None:
    """The newest earlier import that read a file of this shape, if there is one.

    An earlier import matches when the new file has every column it used
    (text, reference, date, who wrote it, engagement, kept columns), and it
    used at least two. One that recorded exactly these columns is preferred.

    Args:
        sources: Earlier imports the person may see (callers leave out sources
            of items hidden from them: a source's choices describe its file).
        columns: The new file's columns.

    Returns:
        The match and its choices, or None.
    """
    have = set(columns)
    best: tuple[bool, int, SourceInfo] | None = None
    for source in sources:
        options = source.options or {}
        named = _named_columns(options)
        if not options.get("text_column") or len(set(named)) < _MIN_NAMED:
            continue
        if not set(named) <= have:
            continue
        same = list(options.get("columns") or []) == list(columns)
        key = (same, source.id, source)
        if best is None or key[:2] > best[:2]:
            best = key
    if best is None:
        return None
    choices = _choices(best[2])
    mapping = {key: "" if value is None else value for key, value in choices.items()}
    return EarlierReading(source=best[2], mapping=mapping, same_columns=best[0])


def _choices(source: SourceInfo) -> dict[str, Any]:
    """An earlier import's choices, named as :class:`ImportOptions` names them."""
    recorded = source.options
    choices: dict[str, Any] = {key: recorded.get(key) or None for key in _ONE_COLUMN}
    choices.update({key: list(recorded.get(key) or []) for key in _SEVERAL_COLUMNS})
    choices["organisation"] = recorded.get("organisation") or None
    choices["kind"] = source.kind
    choices["evidence_type"] = str(recorded.get("evidence_type") or "")
    choices["question"] = str(recorded.get("question") or "")
    choices["shared"] = bool(recorded.get("shared", True))
    choices["redact"] = bool(recorded.get("redact"))
    return choices


def read_like(
    options: ImportOptions, sources: Iterable[SourceInfo], name: str, path: Path
) -> ImportOptions:
    """Options for reading ``path`` as the earlier import called ``name`` was read.

    Choices given in ``options`` win; the rest (columns, kind, question,
    redaction, sharing) come from the newest earlier import of that name.

    Args:
        options: The choices given for the new file.
        sources: The workspace's earlier imports.
        name: The earlier import's name (its file name, unless one was given).
        path: The new file.

    Returns:
        The options to import the new file with.

    Raises:
        ImportConfigError: No earlier import has that name, or the new file
            lacks a column the earlier reading used.
    """
    known = [s for s in sources if s.options.get("text_column")]
    found = [s for s in known if s.name == name]
    if not found:
        raise ImportConfigError(
            f"No earlier import is called '{name}'",
            available=sorted({s.name for s in known}),
            what="imports",
        )
    source = max(found, key=lambda s: s.id)
    columns = open_table(path, sheet=options.sheet).columns
    missing = [c for c in _named_columns(source.options) if c not in columns]
    if missing:
        raise ImportConfigError(
            f"{path.name} has no column {', '.join(repr(c) for c in missing)}, "
            f"which '{name}' was read with",
            available=columns,
        )
    like = _choices(source)
    given = {key: value for key, value in vars(options).items() if value not in (None, "", [])}
    if options.org_column or options.organisation:
        del like["organisation"]
    # Redaction and sharing are on/off flags: the earlier choice holds unless asked otherwise.
    redact = options.redact or bool(like.pop("redact"))
    shared = options.shared and bool(like.pop("shared"))
    merged = replace(options, **{k: v for k, v in like.items() if k not in given})
    return replace(merged, redact=redact, shared=shared)
