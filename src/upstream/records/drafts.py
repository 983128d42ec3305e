"""Plain records passed between readers, validation and the store.

Readers turn a file into :class:`RawRow` values (or :class:`Reject` values for
rows they cannot parse). Validation turns a :class:`RawRow` into an
:class:`ItemDraft` ready for the store, or a :class:`Reject` saying why not; a
date or a count it cannot read is left out of the draft and noted as a
:class:`Reject` that says the row was kept.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class RawRow:
    """One row as read from a file, before validation.

    Attributes:
        line: 1-based line number in the file where the row starts (for
            spreadsheets the sheet row number; for JSON arrays the record number).
        values: Column name to raw cell value.
        fields: How many fields the line itself held, when fewer than the header's
            columns (the rest were filled in empty); ``None`` otherwise.
    """

    line: int
    values: dict[str, Any]
    fields: int | None = None


@dataclass(frozen=True, slots=True)
class Reject:
    """A row that could not be imported, and why.

    Attributes:
        file: Path of the source file as the user gave it.
        line: 1-based line (or row/record) number.
        column: Column the problem is in, or "" when it concerns the whole row.
        reason: Plain-English explanation of what was expected.
        raw: The original row content, so nothing is lost.
        kept: The row was imported all the same, without this one value (a date
            or a count that could not be read); False when the row was not imported.
    """

    file: str
    line: int
    column: str
    reason: str
    raw: str
    kept: bool = False


@dataclass(slots=True)
class ItemDraft:
    """A validated unit of evidence, ready to be stored.

    Attributes:
        text: The evidence text (already redacted when redaction was asked for).
        line: Line in the source file it came from.
        external_id: The identifier the source gave the row, if any.
        organisation: Organisation name, if known.
        author_role: Role of the person who said it, if known.
        item_date: Date it was said or written, if known.
        engagement: Named engagement counts such as likes or retweets.
        attributes: Any other columns the user asked to keep.
        redactions: Count of each placeholder type substituted into ``text``.
        left_out: Values that could not be read and were left out, each as a
            :class:`Reject` with ``kept`` set (the row itself is imported).
    """

    text: str
    line: int
    external_id: str | None = None
    organisation: str | None = None
    author_role: str | None = None
    item_date: date | None = None
    engagement: dict[str, int] = field(default_factory=dict)
    attributes: dict[str, str] = field(default_factory=dict)
    redactions: dict[str, int] = field(default_factory=dict)
    left_out: list[Reject] = field(default_factory=list)

    @property
    def content_hash(self) -> str:
        """Stable hash of what makes this item distinct, used to avoid duplicates.

        Who wrote it counts when the file says so: two people who both answered
        "No" are two answers, where the same row read twice is one.
        """
        return item_hash(
            self.text,
            self.organisation,
            self.external_id,
            self.item_date,
            str(self.attributes.get(RESPONDENT_ATTRIBUTE) or ""),
        )


RESPONDENT_ATTRIBUTE = "respondent"
"""The attribute an item keeps who wrote it under (a name, handle, id or stand-in)."""


def item_hash(
    text: str,
    organisation: str | None,
    external_id: str | None,
    item_date: date | None,
    respondent: str = "",
) -> str:
    """The content hash of an item (see :attr:`ItemDraft.content_hash`).

    Args:
        text: The item's (redacted) text.
        organisation: Its organisation's name.
        external_id: Its own reference in the file.
        item_date: Its date.
        respondent: Who wrote it; left out of the hash when unknown, so items
            imported before it counted keep their hashes.

    Returns:
        A hex SHA-256 digest.
    """
    parts = [
        text,
        organisation or "",
        external_id or "",
        item_date.isoformat() if item_date else "",
    ]
    if respondent:
        parts.append(respondent)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
