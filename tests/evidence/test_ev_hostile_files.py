"""Hostile and broken files: bounded memory, one bad line costs one row, clear messages."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

import upstream
from upstream.cli import app
from upstream.evidence.csv_reader import CsvReader
from upstream.evidence.errors import ImportFormatError
from upstream.evidence.json_reader import TOO_DEEP, JsonArrayReader, JsonLinesReader
from upstream.evidence.limits import MAX_LINE_CHARS, MAX_UNPACKED_BYTES
from upstream.evidence.readers import open_table
from upstream.evidence.text_reader import TextReader
from upstream.records.drafts import RawRow, Reject
from upstream.store import Store
from upstream.workflows.ingest import ImportOptions, import_file

runner = CliRunner()
MB = 1024 * 1024


def _peak_growth_mb(code: str) -> float:
    """Run ``code`` in a fresh interpreter; return how far its peak memory rose, in MB.

    A fresh process, because the peak resident size of this one may already be
    high from earlier tests and can never go down.
    """
    script = (
        "import resource, upstream.workflows.ingest, upstream.evidence.readers\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        f"{code}\n"
        "after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print((after - before) / 1024)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(Path(upstream.__file__).parents[1])}
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return float(done.stdout.strip().splitlines()[-1])


def _zip_bomb(path: Path) -> None:
    """A real XLSX with one shared-strings part that unpacks far past the limit."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["id", "text"])
    sheet.append([1, "hello"])
    book.save(path)
    with (
        zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/media/padding.xml", "w", force_zip64=True) as part,
    ):
        block = b"<x/>" * (MB // 4)
        for _ in range(MAX_UNPACKED_BYTES // MB + 50):
            part.write(block)


def test_zip_bomb_spreadsheet_is_refused_before_it_is_unpacked(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    _zip_bomb(path)
    assert path.stat().st_size < 2 * MB
    with pytest.raises(ImportFormatError, match="unpacks to more than 200 MB"):
        open_table(path)
    growth = _peak_growth_mb(
        "from upstream.evidence.errors import ImportFormatError\n"
        "try:\n"
        f"    upstream.evidence.readers.open_table(__import__('pathlib').Path({str(path)!r}))\n"
        "except ImportFormatError:\n"
        "    pass\n"
    )
    assert growth < 200


def _long_line_csv(path: Path, length: int = 50 * MB) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("id,text\n1,a short answer\n2,")
        block = "x" * MB
        for _ in range(length // MB):
            out.write(block)
        out.write("\n3,another short answer\n")


def test_fifty_megabyte_line_is_rejected_not_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    _long_line_csv(path)
    rows = list(CsvReader(path).rows())
    assert [r.line for r in rows if isinstance(r, RawRow)] == [2, 4]
    (reject,) = [r for r in rows if isinstance(r, Reject)]
    assert reject.line == 3
    assert reject.reason.startswith("line too long: 52,428,")
    assert len(reject.raw) <= 1000
    growth = _peak_growth_mb(
        "from pathlib import Path\n"
        "from upstream.store import Store\n"
        "store = Store(Path(" + repr(str(tmp_path / "s.db")) + "))\n"
        "result = upstream.workflows.ingest.import_file(store, Path(" + repr(str(path)) + "))\n"
        "assert result.imported == 2 and result.rejected == 1, result\n"
    )
    assert growth < 200


def test_long_lines_in_json_lines_and_text_are_rejected(tmp_path: Path) -> None:
    long = "y" * (MAX_LINE_CHARS + 10)
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_text(f'{{"text": "fine"}}\n{{"text": "{long}"}}\n{{"text": "ok"}}\n', "utf-8")
    rows = list(JsonLinesReader(jsonl).rows())
    assert [type(r).__name__ for r in rows] == ["RawRow", "Reject", "RawRow"]
    assert isinstance(rows[1], Reject) and rows[1].line == 2
    text = tmp_path / "a.txt"
    text.write_text(f"First paragraph.\n\n{long}\n\nLast paragraph.\n", "utf-8")
    rows = list(TextReader(text).rows())
    assert [(type(r).__name__, r.line) for r in rows] == [
        ("RawRow", 1),
        ("Reject", 3),
        ("RawRow", 5),
    ]


def test_over_long_header_is_a_clear_error_with_non_zero_exit(tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_text("," * (MAX_LINE_CHARS + 5) + "\n1,2\n", "utf-8")
    with pytest.raises(ImportFormatError, match="line 1 is too long to be a header"):
        open_table(path)
    result = runner.invoke(app, ["import", str(path), "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 1
    assert "too long to be a header" in result.output
    assert "0 rows" not in result.output


def test_one_bad_byte_keeps_utf8_and_rejects_only_that_line(tmp_path: Path) -> None:
    path = tmp_path / "replies.csv"
    body = "id,text\n1,Café crème à côté\n".encode()
    body += b"2,broken \xff byte\n"
    body += "3,Über naïve façade\n".encode()
    path.write_bytes(body)
    store = Store(tmp_path / "s.db")
    result = import_file(store, path, ImportOptions(organisation="Eastmere"))
    assert result.detected["encoding"].startswith("utf-8 ")
    texts = [i.text for i in store.workspace("default").items()]
    assert texts == ["Café crème à côté", "Über naïve façade"]
    assert result.rejects_path is not None
    with result.rejects_path.open(encoding="utf-8-sig") as handle:
        (reject,) = list(csv.DictReader(handle))
    assert reject["line"] == "3"
    assert reject["reason"].startswith("not valid UTF-8")


def test_one_bad_byte_in_json_lines_and_text(tmp_path: Path) -> None:
    jsonl = tmp_path / "a.jsonl"
    jsonl.write_bytes(
        '{"text": "café"}\n'.encode() + b'{"text": "bad \xff"}\n' + '{"text": "thé"}\n'.encode()
    )
    rows = list(JsonLinesReader(jsonl).rows())
    assert [r.values["text"] for r in rows if isinstance(r, RawRow)] == ["café", "thé"]
    assert [r.line for r in rows if isinstance(r, Reject)] == [2]
    text = tmp_path / "a.txt"
    text.write_bytes("Première.\n\n".encode() + b"Bad \xff.\n\n" + "Dernière.\n".encode())
    rows = list(TextReader(text).rows())
    assert [r.values["text"] for r in rows if isinstance(r, RawRow)] == ["Première.", "Dernière."]
    assert [r.line for r in rows if isinstance(r, Reject)] == [3]


def test_mostly_cp1252_file_is_still_read_as_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes("id,text\n1,Café £5\n2,crème brûlée\n".encode("cp1252"))
    reader = CsvReader(path)
    assert reader.encoding == "cp1252"
    assert [r.values["text"] for r in reader.rows() if isinstance(r, RawRow)] == [
        "Café £5",
        "crème brûlée",
    ]


def test_deeply_nested_json_is_one_clear_reject_or_error(tmp_path: Path) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    array = tmp_path / "a.json"
    array.write_text(f'[{{"text": "fine"}}, {{"text": {deep}}}]', "utf-8")
    rows = list(JsonArrayReader(array).rows())
    assert isinstance(rows[0], RawRow)
    assert isinstance(rows[1], Reject) and TOO_DEEP in rows[1].reason
    lines = tmp_path / "a.jsonl"
    lines.write_text(f'{{"text": "fine"}}\n{{"text": {deep}}}\n', "utf-8")
    rows = list(JsonLinesReader(lines).rows())
    assert isinstance(rows[1], Reject) and rows[1].reason == TOO_DEEP
    only = tmp_path / "b.json"
    only.write_text(deep, "utf-8")
    result = runner.invoke(app, ["import", str(only), "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 1
    assert "nested too deeply" in result.output
    assert "Traceback" not in result.output


def test_nested_objects_just_under_the_parser_limit(tmp_path: Path) -> None:
    record: dict[str, object] = {"text": "deep"}
    for _ in range(900):
        record = {"a": record}
    path = tmp_path / "a.jsonl"
    path.write_text(json.dumps({"text": "fine"}) + "\n" + json.dumps(record) + "\n", "utf-8")
    rows = list(JsonLinesReader(path).rows())
    assert isinstance(rows[0], RawRow)
    assert isinstance(rows[1], RawRow | Reject)


def test_repeated_json_keys_are_kept_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_text('{"text": "first", "text": "second"}\n', "utf-8")
    reader = JsonLinesReader(path)
    (row,) = list(reader.rows())
    assert isinstance(row, RawRow)
    assert row.values == {"text": "first", "text (2)": "second"}
    assert reader.columns == ["text", "text (2)"]


def test_repeated_sheet_headers_are_kept_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "a.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["comment", "comment", "org"])
    sheet.append(["first", "second", "A"])
    book.save(path)
    reader = open_table(path)
    assert reader.columns == ["comment", "comment (2)", "org"]
    assert reader.detected["renamed columns"] == (
        "repeated header names kept as 'comment (2)' (column 2)"
    )
    (row,) = list(reader.rows())
    assert isinstance(row, RawRow) and row.values["comment (2)"] == "second"
