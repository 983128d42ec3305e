"""Streaming CSV/TSV reader that keeps physical line numbers and survives bad quoting.

Python's ``csv`` module cannot say on which physical line a record starts and,
given an unclosed quote, reads the rest of the file into one field. This
reader splits lines itself: a line without a quote character (nearly all of
them) is split with ``str.split``; only lines with quotes go through a small
quote-aware parser that may pull in further lines for multi-line fields.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Generator, Iterator
from itertools import islice
from pathlib import Path

from upstream.evidence.detect import (
    DAMAGED_UTF8,
    DELIMITER_NAMES,
    Encoding,
    read_sample,
    renamed_columns,
    sniff_delimiter,
    sniff_encoding,
    unique_column_names,
)
from upstream.evidence.errors import ImportFormatError
from upstream.evidence.export_headers import ExportHeader, export_header, export_header_rows
from upstream.evidence.limits import MAX_LINE_CHARS, LongLine, bounded_lines, too_long_reason
from upstream.records.drafts import RawRow, Reject

MAX_FIELD_CHARS = 100_000
# A quoted field may span lines, but an unclosed quote must not swallow the
# rest of the file: past these limits the record is declared broken.
MAX_RECORD_LINES = 1_000
MAX_RECORD_CHARS = MAX_LINE_CHARS
HEADER_SEARCH_ROWS = 30

BROKEN_QUOTING = "broken quoting: a quoted field is never closed"

_COMPLETE, _OPEN, _BAD = 0, 1, 2

# One record from the splitter: (first line, fields or None when broken,
# raw text, reason when broken, index of the offending field or -1).
_Record = tuple[int, list[str] | None, str, str, int]


def _strip_eol(text: str) -> str:
    if text.endswith("\n"):
        text = text[:-1]
    if text.endswith("\r"):
        text = text[:-1]
    return text


def parse_record(text: str, delimiter: str) -> tuple[int, list[str], int]:
    """Split one record that may contain quoted fields.

    A quote opens a quoted field only at the start of a field (as in Excel), so
    ``5" screen`` in an unquoted field is kept literally; ``""`` inside a quoted
    field is one quote.

    Args:
        text: The record's physical lines joined, line endings included.
        delimiter: The field separator.

    Returns:
        ``(status, fields, position)``: status is complete, open (a quoted field
        runs to the end of ``text``; more lines are needed) or bad (text follows
        a closing quote at ``position``).
    """
    end = len(text)
    if end and text[end - 1] == "\n":
        end -= 1
    if end and text[end - 1] == "\r":
        end -= 1
    fields: list[str] = []
    i = 0
    while True:
        if i < end and text[i] == '"':
            parts: list[str] = []
            j = i + 1
            while True:
                k = text.find('"', j)
                if k == -1:
                    return _OPEN, fields, i
                parts.append(text[j:k])
                if k + 1 < len(text) and text[k + 1] == '"':
                    parts.append('"')
                    j = k + 2
                    continue
                i = k + 1
                break
            value = "".join(parts)
            if "\r" in value:
                value = value.replace("\r\n", "\n")
            fields.append(value)
            # Tolerate spaces after a closing quote; anything else is an error.
            while i < end and text[i] in " \t" and text[i] != delimiter:
                i += 1
            if i >= end:
                return _COMPLETE, fields, 0
            if text[i] != delimiter:
                return _BAD, fields, i
            i += 1
        else:
            k = text.find(delimiter, i, end)
            if k == -1:
                fields.append(text[i:end])
                return _COMPLETE, fields, 0
            fields.append(text[i:k])
            i = k + 1


class _Pushback:
    """Lines with a way to put back lines read ahead, so they are parsed again."""

    def __init__(self, lines: Iterator[str]) -> None:
        self._lines = lines
        self.pending: deque[str] = deque()

    def __iter__(self) -> _Pushback:
        return self

    def __next__(self) -> str:
        if self.pending:
            return self.pending.popleft()
        return next(self._lines)


def split_records(lines: Iterator[str], delimiter: str) -> Iterator[_Record]:
    """Group physical lines into records, skipping blank lines.

    Args:
        lines: The file's lines with their line endings.
        delimiter: The field separator.

    Yields:
        ``(line, fields, raw, reason, field_index)`` per record; ``fields`` is
        None for a broken record, which then covers only its first line so that
        parsing resumes on the next one.
    """
    # Plain iteration over the file is fastest; switch to the slower pushback
    # wrapper only once a broken record makes us re-read lines.
    source: Iterator[str] = lines
    pushback: _Pushback | None = None
    blank = delimiter + " \t\r\n"
    lineno = 0
    while True:
        restart = False
        for line in source:
            lineno += 1
            if line.__class__ is LongLine:
                assert isinstance(line, LongLine)
                yield lineno, None, str(line), too_long_reason(line.length), -1
                continue
            if '"' not in line:
                # A line of nothing but delimiters is padding from a spreadsheet.
                if line.strip(blank):
                    text = _strip_eol(line)
                    yield lineno, text.split(delimiter), text, "", -1
                continue
            start = lineno
            taken = [line]
            size = len(line)
            status, fields, _ = parse_record(line, delimiter)
            open_field = len(fields)
            while status == _OPEN and len(taken) < MAX_RECORD_LINES and size < MAX_RECORD_CHARS:
                more = next(source, None)
                if more is None:
                    break
                lineno += 1
                taken.append(more)
                if more.__class__ is LongLine:
                    break  # reported on its own when the lines are read again
                size += len(more)
                # Without a quote the open field just grows; no need to re-parse.
                if '"' in more:
                    status, fields, _ = parse_record("".join(taken), delimiter)
            if status == _COMPLETE:
                yield start, fields, _strip_eol("".join(taken)), "", -1
                continue
            if status == _BAD and len(taken) == 1:
                reason = "text after a closing quote: a quoted field must end at a delimiter"
                yield start, None, _strip_eol(line), reason, len(fields) - 1
                continue
            # The quote opened on the first line never closed properly. Blame
            # that line alone and read the lines it swallowed again.
            yield start, None, _strip_eol(line), BROKEN_QUOTING, open_field
            if len(taken) > 1:
                if pushback is None:
                    pushback = _Pushback(lines)
                    source = pushback
                # Ahead of any lines still waiting from an earlier put-back.
                pushback.pending.extendleft(reversed(taken[1:]))
                lineno = start
                restart = True
                break
        if not restart:
            return


def _header_index(records: list[_Record]) -> int:
    """Index of the header among the first records.

    Only single-field lines (a title such as "Replies export" or "Report,,,")
    are skipped, and only when a wider row follows. The wider-row rule used
    for spreadsheets would mistake a header for a title whenever data rows
    have extra fields from unquoted commas, which is common in CSV.
    """
    filled = [sum(1 for f in fields if f.strip()) if fields else 0 for _, fields, *_ in records]
    for index, count in enumerate(filled):
        if count >= 2:
            return index
    return 0


class CsvReader:
    """Read a CSV or TSV file one record at a time.

    Attributes:
        path: The file.
        columns: Column names from the header, made unique.
        detected: What was detected (format, encoding, delimiter, header row).
        text_column: The text column, once known.
        encoding: Codec used to decode the file.
        delimiter: Field separator.
        header_line: 1-based line of the header.
    """

    def __init__(
        self, path: Path, *, encoding: str | None = None, delimiter: str | None = None
    ) -> None:
        self.path = path
        self.text_column: str | None = None
        sniffed = Encoding(encoding) if encoding else sniff_encoding(path)
        self.encoding = sniffed.codec
        self._damaged = sniffed.damaged
        sample = read_sample(path, self.encoding)
        self._skip_first_line = False
        first_line = sample.split("\n", 1)[0].strip()
        if delimiter is None and first_line.lower().startswith("sep=") and len(first_line) == 5:
            # Excel's "sep=;" hint line.
            delimiter = first_line[4]
            self._skip_first_line = True
        self.delimiter = delimiter or sniff_delimiter(sample, suffix=path.suffix)
        self._export: ExportHeader | None = None
        self._data_after = 0
        self.header_line, header = self._find_header()
        self._data_after = max(self._data_after, self.header_line)
        self.columns = unique_column_names(header)
        fmt = "TSV" if self.delimiter == "\t" and path.suffix.lower() == ".tsv" else "CSV"
        self.detected: dict[str, str] = {
            "format": fmt,
            "encoding": sniffed.describe(),
            "delimiter": DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter)),
            "header row": export_header_rows(self.header_line, self._export),
        }
        renamed = renamed_columns(header, self.columns)
        if renamed:
            self.detected["renamed columns"] = renamed

    def _records(self) -> Generator[_Record, None, None]:
        with self.path.open(encoding=self.encoding, errors="replace", newline="") as handle:
            lines: Iterator[str] = bounded_lines(handle)
            if self._skip_first_line:
                next(lines, None)
                records = split_records(lines, self.delimiter)
                for line, fields, raw, reason, index in records:
                    yield line + 1, fields, raw, reason, index
            else:
                yield from split_records(lines, self.delimiter)

    def _find_header(self) -> tuple[int, list[str]]:
        records = self._records()
        try:
            head = list(islice(records, HEADER_SEARCH_ROWS))
        finally:
            records.close()
        if not head:
            raise ImportFormatError(self.path, "the file has no rows")
        index = _header_index(head)
        for line, fields, _, reason, _ in head[: index + 1]:
            if fields is None and reason.startswith("line too long"):
                raise ImportFormatError(
                    self.path,
                    f"line {line} is too long to be a header or a title "
                    f"({reason.split(': ', 1)[1]})",
                )
        line, fields, _, reason, _ = head[index]
        if fields is None:
            raise ImportFormatError(self.path, f"the header on line {line} has {reason}")
        below = [record for record in head[index + 1 : index + 3] if record[1] is not None]
        found = export_header(fields, [record[1] or [] for record in below])
        if found is not None:
            self._export = found
            self._data_after = below[found.extra_rows - 1][0]
            return line, found.names
        return line, fields

    def rows(self) -> Iterator[RawRow | Reject]:
        """Yield each record after the header as a row, or a reject saying what is wrong.

        Yields:
            :class:`RawRow` with 1-based physical line numbers, or :class:`Reject`.
        """
        file = str(self.path)
        columns = self.columns
        width = len(columns)
        header_line = self._data_after
        damaged = self._damaged
        records = self._records()
        try:
            for line, fields, raw, reason, index in records:
                if line <= header_line:
                    continue
                if fields is None:
                    column = columns[index] if 0 <= index < width else ""
                    yield Reject(file, line, column, reason, raw)
                    continue
                if damaged and "\ufffd" in raw:
                    yield Reject(file, line, "", DAMAGED_UTF8, raw)
                    continue
                count = len(fields)
                short = None
                if count != width:
                    if count < width:
                        short = count
                        fields.extend([""] * (width - count))
                    elif any(extra.strip() for extra in fields[width:]):
                        reason = f"too many fields: expected {width} fields, found {count}"
                        yield Reject(file, line, "", reason, raw)
                        continue
                    else:
                        # Trailing empty fields are common in spreadsheet exports.
                        del fields[width:]
                if len(raw) > MAX_FIELD_CHARS:
                    long = next((i for i, f in enumerate(fields) if len(f) > MAX_FIELD_CHARS), -1)
                    if long >= 0:
                        reason = (
                            f"field too long: {len(fields[long]):,} characters in column "
                            f"'{columns[long]}'; the limit is {MAX_FIELD_CHARS:,}"
                        )
                        yield Reject(file, line, columns[long], reason, raw)
                        continue
                yield RawRow(line, dict(zip(columns, fields, strict=True)), short)
        finally:
            records.close()
