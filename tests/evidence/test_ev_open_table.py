from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from upstream.evidence.csv_reader import CsvReader
from upstream.evidence.detect import detect_text_column
from upstream.evidence.errors import ImportConfigError, ImportFormatError
from upstream.evidence.json_reader import JsonArrayReader, JsonLinesReader
from upstream.evidence.readers import TableReader, open_table
from upstream.evidence.sheet_reader import SheetReader
from upstream.evidence.text_reader import TextReader
from upstream.evidence.validate import ColumnMapping, Validator
from upstream.records.drafts import RawRow

CSV = (
    "response_id,submitted,channel,score,free_text\n"
    "R1,2024-03-01,web,4,The bus stop by the school needs a shelter for rainy days.\n"
    "R2,2024-03-02,paper,2,Nobody answered the phone when I rang about my repair.\n"
)


def test_dispatch_by_extension(tmp_path: Path) -> None:
    files = {
        "a.csv": CsvReader,
        "a.tsv": CsvReader,
        "a.json": JsonArrayReader,
        "a.jsonl": JsonLinesReader,
        "a.ndjson": JsonLinesReader,
        "a.txt": TextReader,
        "a.md": TextReader,
        "a.markdown": TextReader,
        "a.xlsx": SheetReader,
    }
    for name, kind in files.items():
        path = tmp_path / name
        if name.endswith(".xlsx"):
            book = openpyxl.Workbook()
            sheet = book.active
            assert sheet is not None
            sheet.append(["text"])
            sheet.append(["hello there"])
            book.save(path)
        elif name.endswith(".json"):
            path.write_text(json.dumps([{"text": "hello there"}]), encoding="utf-8")
        elif "json" in name:
            path.write_text('{"text": "hello there"}\n', encoding="utf-8")
        else:
            path.write_text("text\nhello there\n", encoding="utf-8")
        reader = open_table(path)
        assert isinstance(reader, kind), name
        assert isinstance(reader, TableReader)
        assert reader.text_column == "text", name


def test_text_column_detected_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    path.write_text(CSV, encoding="utf-8")
    reader = open_table(path)
    assert reader.text_column == "free_text"
    assert reader.detected["text column"] == "free_text"
    assert detect_text_column(reader) == "free_text"


def test_text_column_hint_matched_ignoring_case(tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    path.write_text(CSV, encoding="utf-8")
    reader = open_table(path, text_column_hint="Channel")
    assert reader.text_column == "channel"


def test_text_column_hint_missing(tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    path.write_text(CSV, encoding="utf-8")
    with pytest.raises(ImportConfigError, match="available columns: 'response_id'"):
        open_table(path, text_column_hint="comment")


def test_mapping_to_missing_column_lists_available(tmp_path: Path) -> None:
    path = tmp_path / "survey.csv"
    path.write_text(CSV, encoding="utf-8")
    reader = open_table(path)
    mapping = ColumnMapping(text_column="free_text", org_column="organisation")
    with pytest.raises(ImportConfigError) as caught:
        Validator(mapping, reader.columns, file=str(path))
    assert "organisation column 'organisation'" in str(caught.value)
    assert caught.value.available == reader.columns


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("notes.docx", "could not be read as a Word document"),
        ("notes.odt", r"save the document as Word \(\.docx\)"),
        ("data.avro", "supported types"),
        ("data.parquet", "not a readable Parquet file"),
        ("README", "extension"),
    ],
)
def test_unsupported_types(tmp_path: Path, name: str, message: str) -> None:
    path = tmp_path / name
    path.write_text("x", encoding="utf-8")
    with pytest.raises(ImportFormatError, match=message):
        open_table(path)


def test_empty_and_missing_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(ImportFormatError, match="empty"):
        open_table(empty)
    with pytest.raises(ImportFormatError, match="does not exist"):
        open_table(tmp_path / "nope.csv")


def test_empty_json_array_has_no_columns(tmp_path: Path) -> None:
    path = tmp_path / "none.json"
    path.write_text("[]", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="no columns"):
        open_table(path)


def test_sheet_option_only_for_spreadsheets(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("text\nhi\n", encoding="utf-8")
    with pytest.raises(ImportConfigError, match="sheet"):
        open_table(path, sheet="Sheet1")


def test_json_lines_named_json(tmp_path: Path) -> None:
    path = tmp_path / "lines.json"
    path.write_text('{"text": "a"}\n{"text": "b"}\n', encoding="utf-8")
    reader = open_table(path)
    assert isinstance(reader, JsonLinesReader)
    assert [r.line for r in reader.rows() if isinstance(r, RawRow)] == [1, 2]
