"""Turn raw rows into item drafts, or into rejects that say exactly what is wrong."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from upstream.evidence.detect import resolve_column
from upstream.evidence.errors import ImportConfigError
from upstream.evidence.redact import redact
from upstream.records.drafts import ItemDraft, RawRow, Reject

RESPONDENT = "respondent"
NO_TEXT = "no text in column"
"""How a row with an empty text cell is refused: an answer left blank, not a fault."""
"""The attribute that keeps who wrote an item (the first that counting people reads)."""

MAX_TEXT_CHARS = 100_000
ACCEPTED_DATE_FORMATS = (
    "2024-03-01, 01/03/2024 (day first), 1 March 2024, 2024-03-01T10:00, 2024-03-01 00:00:00"
)

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})$", re.I)
_MONTH_DAY_YEAR = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$", re.I)
_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_COUNT = re.compile(r"^(\d+|\d{1,3}(?:,\d{3})+)(?:\.0+)?$")


def parse_date(value: str) -> date | None:
    """Read a date written in one of the accepted formats.

    Accepted: ISO (2024-03-01), UK day-first (01/03/2024, also with dots or
    dashes), written (1 March 2024, 1st Mar 2024, March 1, 2024) and ISO
    date-times (2024-03-01T10:00, 2024-03-01 00:00:00), whose time is dropped.

    Args:
        value: The cell text; blank means no date.

    Returns:
        The date, or None for a blank value.

    Raises:
        ValueError: The value is not a date in an accepted format, or not a real
            date (such as 31/02/2024).
    """
    text = value.strip()
    if not text:
        return None
    if match := _ISO_DATE.match(text):
        year, month, day = (int(g) for g in match.groups())
        return date(year, month, day)
    if _ISO_DATETIME.match(text):
        return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    if match := _DAY_FIRST.match(text):
        day, month, year = (int(g) for g in match.groups())
        return date(year, month, day)
    if match := _DAY_MONTH_YEAR.match(text):
        day_text, month_name, year_text = match.groups()
    elif match := _MONTH_DAY_YEAR.match(text):
        month_name, day_text, year_text = match.groups()
    else:
        raise ValueError(f"not a date: {value!r}")
    month_number = _MONTHS.get(month_name.lower())
    if month_number is None:
        raise ValueError(f"unknown month: {month_name!r}")
    return date(int(year_text), month_number, int(day_text))


def parse_count(value: str) -> int:
    """Read an engagement count such as "12" or "1,204"; blank means 0.

    Raises:
        ValueError: The value is not a whole number of 0 or more.
    """
    text = value.strip()
    if not text:
        return 0
    match = _COUNT.match(text)
    if match is None:
        raise ValueError(f"not a whole number of 0 or more: {value!r}")
    return int(match.group(1).replace(",", ""))


def _cell(value: Any) -> str:
    if value is None:
        return ""
    # PostgreSQL refuses NUL characters in text, and they are never meaningful.
    text = value if isinstance(value, str) else str(value)
    return text.replace("\x00", "") if "\x00" in text else text


@dataclass
class ColumnMapping:
    """Which columns of a file hold what.

    Attributes:
        text_column: Column with the evidence text (required).
        id_column: Column with the source's own identifier for each row.
        org_name: One organisation for every row (instead of ``org_column``).
        org_column: Column naming each row's organisation.
        role_column: Column with the role of the person who said it.
        date_column: Column with the date it was said or written.
        engagement_columns: Columns of counts such as likes or shares.
        attribute_columns: Other columns to keep with each item.
        respondent_column: Column saying who wrote each row, kept as the item's
            ``respondent`` so that people, not only items, can be counted (as a
            pseudonym when personal details are redacted).
        redact: Replace personal details with placeholders (text and attributes).
    """

    text_column: str
    id_column: str | None = None
    org_name: str | None = None
    org_column: str | None = None
    role_column: str | None = None
    date_column: str | None = None
    engagement_columns: list[str] = field(default_factory=list)
    attribute_columns: list[str] = field(default_factory=list)
    respondent_column: str | None = None
    redact: bool = False

    def resolved(self, columns: Sequence[str]) -> ColumnMapping:
        """Check every named column exists and return the mapping with exact names.

        Names match ignoring case and outer spaces when that is unambiguous.

        Args:
            columns: The columns the reader found.

        Returns:
            A copy whose column names are spelled exactly as in the file.

        Raises:
            ImportConfigError: A column is missing (all missing ones are named,
                with the available columns), or both organisation options are set.
        """
        if self.org_name and self.org_column:
            raise ImportConfigError(
                "give either one organisation for all rows or an organisation column, not both"
            )
        missing: list[str] = []

        def find(name: str, role: str) -> str:
            found = resolve_column(name, columns)
            if found is None:
                missing.append(f"{role} '{name}'")
                return name
            return found

        def maybe(name: str | None, role: str) -> str | None:
            return None if not name else find(name, role)

        if not self.text_column or not self.text_column.strip():
            raise ImportConfigError("a text column is required", available=columns)
        result = replace(
            self,
            text_column=find(self.text_column, "text column"),
            id_column=maybe(self.id_column, "id column"),
            org_column=maybe(self.org_column, "organisation column"),
            role_column=maybe(self.role_column, "role column"),
            date_column=maybe(self.date_column, "date column"),
            engagement_columns=[find(c, "engagement column") for c in self.engagement_columns],
            attribute_columns=[find(c, "attribute column") for c in self.attribute_columns],
            respondent_column=maybe(self.respondent_column, "respondent column"),
        )
        if missing:
            plural = "s" if len(missing) > 1 else ""
            raise ImportConfigError(
                f"no such column{plural}: {', '.join(missing)}", available=columns
            )
        return result


class Validator:
    """Check raw rows against a column mapping and build item drafts.

    Attributes:
        mapping: The mapping, with column names as spelled in the file.
        file: Source file name, recorded on every reject.
    """

    def __init__(self, mapping: ColumnMapping, columns: Sequence[str], *, file: str = "") -> None:
        """Check the mapping against the file's columns.

        Raises:
            ImportConfigError: See :meth:`ColumnMapping.resolved`.
        """
        self.mapping = mapping.resolved(columns)
        self.file = file
        self.columns = tuple(columns)

    def _reject(self, row: RawRow, column: str, reason: str, *, kept: bool = False) -> Reject:
        raw = json.dumps(row.values, ensure_ascii=False, default=str)
        return Reject(self.file, row.line, column, reason, raw, kept=kept)

    def validate(self, row: RawRow) -> ItemDraft | Reject:
        """Turn one row into an item draft, or a reject naming the column and the problem.

        A row without text is rejected. A date or a count that cannot be read is
        left out of the draft and listed in its ``left_out``: the row is kept.
        """
        m = self.mapping
        values = row.values
        text = _cell(values.get(m.text_column)).strip()
        if not text:
            reason = f"{NO_TEXT} '{m.text_column}'"
            if row.fields is not None:
                # A short line, not an empty answer: say so, as for a line that is too long.
                reason = (
                    f"too few fields: expected {len(self.columns)} fields, found {row.fields}, "
                    f"so column '{m.text_column}' is empty"
                )
            return self._reject(row, m.text_column, reason)
        if len(text) > MAX_TEXT_CHARS:
            reason = (
                f"text too long: {len(text):,} characters in column '{m.text_column}'; "
                f"the limit is {MAX_TEXT_CHARS:,}"
            )
            return self._reject(row, m.text_column, reason)
        # A date or a count that cannot be read costs that value, not the person's words.
        left_out: list[Reject] = []
        item_date = None
        if m.date_column:
            raw_date = _cell(values.get(m.date_column))
            try:
                item_date = parse_date(raw_date)
            except ValueError:
                reason = (
                    f"bad date: '{raw_date}' in column '{m.date_column}' is not a date; "
                    f"accepted formats: {ACCEPTED_DATE_FORMATS}"
                )
                left_out.append(self._reject(row, m.date_column, reason, kept=True))
        engagement: dict[str, int] = {}
        for column in m.engagement_columns:
            raw_count = _cell(values.get(column))
            try:
                engagement[column] = parse_count(raw_count)
            except ValueError:
                reason = (
                    f"bad count: '{raw_count}' in column '{column}' is not a whole number "
                    "of 0 or more (e.g. 12 or 1,204)"
                )
                left_out.append(self._reject(row, column, reason, kept=True))
        attributes = {}
        for column in m.attribute_columns:
            value = _cell(values.get(column)).strip()
            if value:
                attributes[column] = value
        redactions: dict[str, int] = {}
        if m.redact:
            text, redactions = redact(text)
            # Attributes are redacted too so no detail leaks beside the text;
            # the counts describe the text only, as ItemDraft documents.
            attributes = {k: redact(v)[0] for k, v in attributes.items()}
        if m.respondent_column:
            person = _cell(values.get(m.respondent_column)).strip()
            if person:
                attributes[RESPONDENT] = pseudonym(person) if m.redact else person
        organisation = m.org_name
        if m.org_column:
            organisation = _cell(values.get(m.org_column)).strip() or None
        return ItemDraft(
            text=text,
            line=row.line,
            external_id=_optional(values, m.id_column),
            organisation=organisation,
            author_role=_optional(values, m.role_column),
            item_date=item_date,
            engagement=engagement,
            attributes=attributes,
            redactions=redactions,
            left_out=left_out,
        )


def pseudonym(person: str) -> str:
    """A stand-in for who wrote a row, the same for the same person, that does not name them.

    Redaction would turn every email address into one "[EMAIL]", and so every
    person into one; people are still counted when their names are not kept.
    The stand-in is a digest, not a secret: whoever holds a list of names could
    match them, as with any pseudonym.
    """
    digest = hashlib.blake2b(person.casefold().encode("utf-8"), digest_size=5).hexdigest()
    return f"person {digest}"


def _optional(values: dict[str, Any], column: str | None) -> str | None:
    if not column:
        return None
    return _cell(values.get(column)).strip() or None
