"""JSON and JSON Lines readers.

``.json`` holds an array of objects, or an object with exactly one list of
objects (``{"items": [...]}``). The array is read one element at a time with
``json.JSONDecoder.raw_decode`` over a sliding buffer, so a large export is
never held in memory whole. ``.jsonl``/``.ndjson`` hold one object per line; a
broken line is rejected on its own and the rest still import.

Nested objects become dotted column names (``author.role``); lists become JSON
text. Columns are the keys of the first 1,000 records in order of first
appearance; keys first seen later are appended to ``columns`` as they appear.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from itertools import islice
from pathlib import Path
from typing import IO, Any

from upstream.evidence.detect import DAMAGED_UTF8, sniff_encoding
from upstream.evidence.errors import ImportFormatError
from upstream.evidence.limits import MAX_LINE_CHARS, LongLine, bounded_lines, too_long_reason
from upstream.records.drafts import RawRow, Reject

COLUMN_SAMPLE = 1_000
CHUNK_CHARS = 1 << 20
# One record of a JSON array may not be larger than this.
MAX_RECORD_CHARS = 10 * MAX_LINE_CHARS
TOO_DEEP = "nested too deeply: objects or lists inside each other more than about 1,000 levels"
_WHITESPACE = re.compile(r"[ \t\r\n]*")


def _keep_repeated_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """Build an object keeping every value of a repeated key: "a", "a (2)", ..."""
    result: dict[str, Any] = {}
    for key, value in pairs:
        name, number = key, 1
        while name in result:
            number += 1
            name = f"{key} ({number})"
        result[name] = value
    return result


_DECODER = json.JSONDecoder(object_pairs_hook=_keep_repeated_keys)


def _loads(text: str) -> Any:
    return _DECODER.decode(text)


_TYPE_NAMES = {str: "a string", int: "a number", float: "a number", bool: "true or false"}


def to_text(value: Any) -> str:
    """Render a JSON value as cell text: null is blank, anything else but text stays JSON."""
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def flatten(record: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """Flatten nested objects to dotted keys: ``{"a": {"b": 1}}`` → ``{"a.b": "1"}``."""
    flat: dict[str, str] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and value:
            flat.update(flatten(value, name + "."))
        else:
            flat[name] = to_text(value)
    return flat


def _flat_or_none(record: Mapping[str, Any]) -> dict[str, str] | None:
    """Flatten a record; None when it is nested too deeply to flatten or write out."""
    try:
        return flatten(record)
    except RecursionError:
        return None


def _raw(value: Any) -> str:
    """A record as JSON text for the rejects file; blank when it is nested too deeply."""
    try:
        return to_text(value)
    except RecursionError:
        return ""


def _not_an_object(value: Any) -> str:
    kind = "a list" if isinstance(value, list) else _TYPE_NAMES.get(type(value), "null")
    return f"not an object: expected named fields, found {kind}"


def _add_columns(columns: list[str], seen: set[str], row: Mapping[str, str]) -> None:
    for key in row:
        if key not in seen:
            seen.add(key)
            columns.append(key)


class _BadJson(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


class _Stream:
    """A read position in a JSON text that pulls more characters when needed."""

    def __init__(self, handle: IO[str]) -> None:
        self._handle = handle
        self.buf = ""
        self.pos = 0
        self.eof = False
        self._lines_dropped = 0

    def _more(self, at_least: int = 0) -> bool:
        data = self._handle.read(max(CHUNK_CHARS, at_least))
        if not data:
            self.eof = True
            return False
        if self.pos:
            self._lines_dropped += self.buf.count("\n", 0, self.pos)
            self.buf = self.buf[self.pos :]
            self.pos = 0
        self.buf += data
        return True

    def line_at(self, pos: int) -> int:
        return self._lines_dropped + self.buf.count("\n", 0, pos) + 1

    def peek(self) -> str:
        """Skip whitespace; return the next character, or "" at the end."""
        while True:
            match = _WHITESPACE.match(self.buf, self.pos)
            self.pos = match.end() if match else self.pos
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self._more():
                return ""

    def expect(self, char: str, what: str) -> None:
        if self.peek() != char:
            raise _BadJson(f"expected {what}", self.line_at(self.pos))
        self.pos += 1

    def value(self) -> Any:
        """Decode the value at the read position, reading further when it is cut off."""
        self.peek()  # raw_decode does not skip leading whitespace
        want = 0
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buf, self.pos)
            except RecursionError as exc:
                raise _BadJson(TOO_DEEP, self.line_at(self.pos)) from exc
            except json.JSONDecodeError as exc:
                cut_off = exc.msg.startswith("Unterminated string") or exc.pos >= len(self.buf) - 64
                if self.eof or not cut_off:
                    raise _BadJson(exc.msg, self.line_at(exc.pos)) from exc
                if len(self.buf) - self.pos > MAX_RECORD_CHARS:
                    raise _BadJson(
                        f"a record is larger than {MAX_RECORD_CHARS:,} characters",
                        self.line_at(self.pos),
                    ) from exc
                # Grow geometrically so one huge value costs linear time overall.
                want = max(want * 2, len(self.buf))
                self._more(want)
                continue
            # A number at the very end of the buffer may be cut short.
            if end >= len(self.buf) and not self.eof and self._more():
                continue
            self.pos = end
            return value

    def array(self) -> Iterator[Any]:
        """Yield the elements of the array at the read position."""
        self.expect("[", "'['")
        if self.peek() == "]":
            self.pos += 1
            return
        while True:
            yield self.value()
            char = self.peek()
            self.pos += 1
            if char == "]":
                return
            if char != ",":
                raise _BadJson("expected ',' or ']' between records", self.line_at(self.pos - 1))

    def skip(self) -> None:
        """Pass over one value; arrays element by element so a big one is not held."""
        if self.peek() == "[":
            for _ in self.array():
                pass
        else:
            self.value()

    def object_keys(self) -> Iterator[str]:
        """Yield the keys of the object at the read position; the caller reads each value."""
        self.expect("{", "'{'")
        if self.peek() == "}":
            self.pos += 1
            return
        while True:
            if self.peek() != '"':
                raise _BadJson("expected a quoted key", self.line_at(self.pos))
            key = self.value()
            self.expect(":", "':' after a key")
            yield key
            char = self.peek()
            self.pos += 1
            if char == "}":
                return
            if char != ",":
                raise _BadJson("expected ',' or '}' in an object", self.line_at(self.pos - 1))


def looks_like_json_lines(path: Path, encoding: str = "utf-8") -> bool:
    """True when a .json file is really JSON Lines (an object on each line)."""
    with path.open(encoding=encoding, errors="replace") as handle:
        head = islice(bounded_lines(handle), 20)
        lines = [line.strip() for line in head if line.strip() and not isinstance(line, LongLine)]
    if len(lines) < 2 or not lines[1].startswith("{"):
        return False
    try:
        return isinstance(_loads(lines[0]), dict)
    except (json.JSONDecodeError, RecursionError):
        return False


class JsonArrayReader:
    """Read a .json file holding an array of objects, or one list of objects in an object.

    Row numbers are record numbers (1-based position in the array).

    Attributes:
        path: The file.
        columns: Flattened keys in order of first appearance.
        detected: Format, encoding and where the records were found.
        text_column: The text column, once known.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.text_column: str | None = None
        sniffed = sniff_encoding(path)
        self.encoding = sniffed.codec
        self._damaged = sniffed.damaged
        self.columns: list[str] = []
        self._seen: set[str] = set()
        self._key: str | None = None
        try:
            self._survey()
        except _BadJson as exc:
            if not self.columns:
                raise ImportFormatError(path, f"invalid JSON on line {exc.line}: {exc}") from exc
        self.detected: dict[str, str] = {"format": "JSON", "encoding": sniffed.describe()}
        self.detected["records"] = f"list under '{self._key}'" if self._key else "top-level array"

    def _survey(self) -> None:
        with self.path.open(encoding=self.encoding, errors="replace") as handle:
            stream = _Stream(handle)
            first = stream.peek()
            if first == "[":
                for record in islice(stream.array(), COLUMN_SAMPLE):
                    if isinstance(record, dict):
                        _add_columns(self.columns, self._seen, _flat_or_none(record) or {})
                return
            if first != "{":
                raise ImportFormatError(self.path, "expected a JSON array of objects")
            # Walk every top-level value: exactly one must be a list of objects.
            found: list[str] = []
            for key in stream.object_keys():
                if stream.peek() != "[":
                    stream.value()
                    continue
                elements = stream.array()
                head = next(elements, None)
                if isinstance(head, dict):
                    found.append(key)
                    if len(found) == 1:
                        self._key = key
                        _add_columns(self.columns, self._seen, _flat_or_none(head) or {})
                        for record in islice(elements, COLUMN_SAMPLE - 1):
                            if isinstance(record, dict):
                                _add_columns(self.columns, self._seen, _flat_or_none(record) or {})
                for _ in elements:
                    pass
        if len(found) != 1:
            what = "no list of records" if not found else f"several lists: {', '.join(found)}"
            raise ImportFormatError(
                self.path, f"expected one list of objects in the top-level object, found {what}"
            )
        self._key = found[0]

    def _records(self, stream: _Stream) -> Iterator[Any]:
        if self._key is None:
            yield from stream.array()
            return
        for key in stream.object_keys():
            if key == self._key:
                yield from stream.array()
                return
            stream.skip()

    def rows(self) -> Iterator[RawRow | Reject]:
        """Yield one row per object; a non-object element is rejected.

        Invalid JSON ends the file's structure, so it yields one reject for the
        record where the error is and stops.

        Yields:
            :class:`RawRow` (line = record number) or :class:`Reject`.
        """
        file = str(self.path)
        number = 0
        with self.path.open(encoding=self.encoding, errors="replace") as handle:
            stream = _Stream(handle)
            try:
                for record in self._records(stream):
                    number += 1
                    if not isinstance(record, dict):
                        yield Reject(file, number, "", _not_an_object(record), _raw(record))
                        continue
                    row = _flat_or_none(record)
                    if row is None:
                        yield Reject(file, number, "", TOO_DEEP, "")
                        continue
                    if self._damaged and any("\ufffd" in value for value in row.values()):
                        yield Reject(file, number, "", DAMAGED_UTF8, _raw(record))
                        continue
                    _add_columns(self.columns, self._seen, row)
                    yield RawRow(number, row)
            except _BadJson as exc:
                reason = (
                    f"invalid JSON: {exc.message} on line {exc.line}; "
                    "the records after this point could not be read"
                )
                raw = stream.buf[stream.pos : stream.pos + 1000]
                yield Reject(file, number + 1, "", reason, raw)


class JsonLinesReader:
    """Read a .jsonl/.ndjson file: one JSON object per line.

    Attributes:
        path: The file.
        columns: Flattened keys in order of first appearance.
        detected: Format and encoding.
        text_column: The text column, once known.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.text_column: str | None = None
        sniffed = sniff_encoding(path)
        self.encoding = sniffed.codec
        self._damaged = sniffed.damaged
        self.columns: list[str] = []
        self._seen: set[str] = set()
        with path.open(encoding=self.encoding, errors="replace") as handle:
            for line in islice(bounded_lines(handle), COLUMN_SAMPLE):
                if isinstance(line, LongLine) or not line.strip():
                    continue
                try:
                    record = _loads(line)
                except (json.JSONDecodeError, RecursionError):
                    continue
                if isinstance(record, dict):
                    _add_columns(self.columns, self._seen, _flat_or_none(record) or {})
        self.detected: dict[str, str] = {"format": "JSON Lines", "encoding": sniffed.describe()}

    def rows(self) -> Iterator[RawRow | Reject]:
        """Yield one row per line; a broken line becomes a reject and reading goes on.

        Yields:
            :class:`RawRow` (line = physical line) or :class:`Reject`.
        """
        file = str(self.path)
        with self.path.open(encoding=self.encoding, errors="replace") as handle:
            for number, line in enumerate(bounded_lines(handle), start=1):
                if isinstance(line, LongLine):
                    yield Reject(file, number, "", too_long_reason(line.length), str(line))
                    continue
                if not line.strip():
                    continue
                raw = line.rstrip("\r\n")
                if self._damaged and "\ufffd" in raw:
                    yield Reject(file, number, "", DAMAGED_UTF8, raw)
                    continue
                try:
                    record = _loads(line)
                except RecursionError:
                    yield Reject(file, number, "", TOO_DEEP, raw[:1000])
                    continue
                except json.JSONDecodeError as exc:
                    reason = f"invalid JSON: {exc.msg} at column {exc.colno}"
                    yield Reject(file, number, "", reason, raw)
                    continue
                if not isinstance(record, dict):
                    yield Reject(file, number, "", _not_an_object(record), raw)
                    continue
                row = _flat_or_none(record)
                if row is None:
                    yield Reject(file, number, "", TOO_DEEP, raw[:1000])
                    continue
                _add_columns(self.columns, self._seen, row)
                yield RawRow(number, row)
