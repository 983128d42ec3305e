"""Fuzzing every importer: whatever the bytes, an import ends in rows, rejects or one clear line.

Each example is written to a file of a supported type and imported with
``import_file`` into a real SQLite store. The only acceptable outcomes are a
finished import (good rows and rejects) or an :class:`EvidenceImportError`
whose message is a single line; any other exception is a bug.
"""

from __future__ import annotations

import io
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from upstream.evidence.errors import EvidenceImportError
from upstream.evidence.limits import MAX_LINE_CHARS
from upstream.store import Store
from upstream.workflows.ingest import ImportOptions, import_file

TEXT_SUFFIXES = [".csv", ".tsv", ".json", ".jsonl", ".ndjson", ".txt", ".md"]
SHEET_SUFFIXES = [".xlsx", ".ods"]
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)


@pytest.fixture(scope="module")
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


@pytest.fixture(scope="module")
def store(workdir: Path) -> Store:
    return Store(workdir / "fuzz.db")


def _import(store: Store, folder: Path, suffix: str, data: bytes) -> None:
    path = folder / f"input{suffix}"
    path.write_bytes(data)
    try:
        result = import_file(store, path, ImportOptions(organisation="Fuzz"))
    except EvidenceImportError as exc:
        message = str(exc)
        assert message.strip(), "an import error must say what is wrong"
        assert "\n" not in message, f"the message must be one line: {message!r}"
        return
    finally:
        path.unlink(missing_ok=True)
    assert result.rows_read == (
        result.imported + result.duplicates + result.rejected + result.blank
    )


# Building blocks that make the random input look enough like a file to reach
# the deeper parts of each reader.
_cells = st.text(
    alphabet=st.sampled_from([*'ab é,;\t|"\n\r{}[]:\\x0€\ufffd', "\x00", "\u2028"]),
    max_size=30,
)
_encodings = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"])


@st.composite
def _delimited(draw: st.DrawFn) -> bytes:
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    width = draw(st.integers(1, 5))
    rows = draw(st.lists(st.lists(_cells, min_size=0, max_size=width + 2), max_size=8))
    header = delimiter.join(draw(st.lists(_cells, min_size=width, max_size=width)))
    text = header + "\n" + "\n".join(delimiter.join(row) for row in rows)
    return text.encode(draw(_encodings), errors="replace")


@st.composite
def _json_text(draw: st.DrawFn) -> bytes:
    values = st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | _cells,
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_cells, inner, max_size=3),
        max_leaves=12,
    )
    records = draw(st.lists(values, max_size=6))
    if draw(st.booleans()):
        text = "\n".join(json.dumps(r, ensure_ascii=draw(st.booleans())) for r in records)
    else:
        text = json.dumps(records if draw(st.booleans()) else {"items": records})
    data = text.encode("utf-8")
    cut = draw(st.integers(0, len(data)))
    return data[:cut] if draw(st.booleans()) else data


@st.composite
def _nested(draw: st.DrawFn) -> bytes:
    depth = draw(st.integers(1, 5_000))
    opener = draw(st.sampled_from(["[", '{"a":', '[{"text":']))
    closer = {"[": "]", '{"a":': "}", '[{"text":': "}]"}[opener]
    body = opener * depth + '"x"' + closer * draw(st.integers(0, depth))
    return body.encode()


@st.composite
def _damaged(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(_delimited()))
    for _ in range(draw(st.integers(0, 4))):
        if data:
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
    return bytes(data)


_inputs = st.one_of(
    st.binary(max_size=300),
    _delimited(),
    _json_text(),
    _nested(),
    _damaged(),
)


@FUZZ
@given(suffix=st.sampled_from(TEXT_SUFFIXES), data=_inputs)
@example(suffix=".csv", data=b"id,text\n1," + b"x" * (MAX_LINE_CHARS + 1) + b"\n2,ok\n")
@example(suffix=".csv", data=b"x" * (MAX_LINE_CHARS + 1))
@example(suffix=".txt", data=b"y" * (MAX_LINE_CHARS + 1))
@example(suffix=".jsonl", data=b'{"text": "' + b"z" * (MAX_LINE_CHARS + 1) + b'"}\n')
@example(suffix=".json", data=b"[" * 200_000)
@example(suffix=".json", data=b'[{"text": ' + b"[" * 200_000 + b"]" * 200_000 + b"}]")
@example(suffix=".csv", data="id,text\n1,café\n2,bad \xff\n".encode("latin-1"))
def test_text_importers_never_crash(store: Store, workdir: Path, suffix: str, data: bytes) -> None:
    _import(store, workdir, suffix, data)


def _xlsx(rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append([_printable(cell) for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _printable(cell: str) -> str:
    # openpyxl refuses control characters that XML cannot hold.
    return "".join(c for c in cell if c in "\t\n\r" or ord(c) >= 32)


@st.composite
def _spreadsheet(draw: st.DrawFn) -> bytes:
    rows = draw(st.lists(st.lists(_cells, max_size=4), max_size=6))
    data = _xlsx(rows)
    how = draw(st.sampled_from(["whole", "truncated", "flipped"]))
    # Positions are drawn independently of the file's length, which varies
    # with the time stamp openpyxl writes, so every run draws the same way.
    if how == "truncated":
        return data[: draw(st.integers(0, 1 << 20)) % (len(data) + 1)]
    if how == "flipped":
        damaged = bytearray(data)
        for _ in range(draw(st.integers(1, 8))):
            damaged[draw(st.integers(0, 1 << 20)) % len(damaged)] ^= 0xFF
        return bytes(damaged)
    return data


@settings(FUZZ, max_examples=100)
@given(suffix=st.sampled_from(SHEET_SUFFIXES), data=_spreadsheet() | st.binary(max_size=200))
def test_spreadsheet_importers_never_crash(
    store: Store, workdir: Path, suffix: str, data: bytes
) -> None:
    _import(store, workdir, suffix, data)
