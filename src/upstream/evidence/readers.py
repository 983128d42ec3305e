"""One interface over every file format, and :func:`open_table` to pick the reader.

Each reader streams: ``rows()`` opens the file afresh and yields one row at a
time, so it can be called again (the text-column guess reads a sample first).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Protocol, runtime_checkable

from upstream.evidence.csv_reader import CsvReader
from upstream.evidence.detect import (
    detect_encoding,
    guess_text_column,
    resolve_column,
    sample_rows,
)
from upstream.evidence.docx_reader import DocxReader
from upstream.evidence.errors import ImportConfigError, ImportFormatError
from upstream.evidence.json_reader import JsonArrayReader, JsonLinesReader, looks_like_json_lines
from upstream.evidence.parquet_reader import ParquetReader
from upstream.evidence.sheet_reader import SheetReader
from upstream.evidence.text_reader import TextReader
from upstream.records.drafts import RawRow, Reject

__all__ = [
    "SUPPORTED_SUFFIXES",
    "TableReader",
    "evidence_files",
    "open_table",
    "resolve_column",
]


@runtime_checkable
class TableReader(Protocol):
    """What every reader offers.

    Attributes:
        path: The file being read.
        columns: Column names, unique and non-blank, in file order.
        detected: Human-readable facts found about the file, e.g.
            ``{"format": "CSV", "encoding": "cp1252", "delimiter": "semicolon"}``.
        text_column: The column holding the free text, once known.
    """

    path: Path
    columns: list[str]
    detected: dict[str, str]
    text_column: str | None

    def rows(self) -> Iterator[RawRow | Reject]:
        """Yield every row of the file, or a reject for a row that cannot be read."""
        ...


_SPREADSHEETS = {".xlsx": "XLSX", ".xlsm": "XLSM", ".xlsb": "XLSB", ".xls": "XLS", ".ods": "ODS"}
_DELIMITED = {".csv", ".tsv"}
_JSON_LINES = {".jsonl", ".ndjson"}
_TEXT = {".txt", ".md", ".markdown"}
_PARQUET = {".parquet", ".pq"}
SUPPORTED_SUFFIXES = tuple(
    sorted({*_SPREADSHEETS, *_DELIMITED, *_JSON_LINES, *_TEXT, *_PARQUET, ".json", ".docx"})
)
# What a directory of evidence is read from: table formats, not documents or sheets.
DIRECTORY_SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet", ".pq")
_HINTS = {
    ".doc": "save the document as Word (.docx) or plain text (.txt) first",
    ".odt": "save the document as Word (.docx) or plain text (.txt) first",
    ".pdf": "copy the text into a .txt file first",
    ".numbers": "export the sheet from Numbers as XLSX or CSV first",
}


def _make_reader(path: Path, sheet: str | None) -> TableReader:
    suffix = path.suffix.lower()
    if sheet is not None and suffix not in _SPREADSHEETS:
        raise ImportConfigError(f"a sheet name only applies to spreadsheets, not {suffix} files")
    if suffix in _SPREADSHEETS:
        return SheetReader(path, sheet=sheet, kind=_SPREADSHEETS[suffix])
    if suffix in _DELIMITED:
        return CsvReader(path)
    if suffix == ".json":
        # JSON Lines saved with a .json name is a common slip; read it as meant.
        if looks_like_json_lines(path, detect_encoding(path)):
            return JsonLinesReader(path)
        return JsonArrayReader(path)
    if suffix in _JSON_LINES:
        return JsonLinesReader(path)
    if suffix in _TEXT:
        return TextReader(path, markdown=suffix != ".txt")
    if suffix == ".docx":
        return DocxReader(path)
    if suffix in _PARQUET:
        return ParquetReader(path)
    what = f"'{suffix}' files are" if suffix else "files without an extension are"
    hint = _HINTS.get(suffix, "supported types: " + ", ".join(SUPPORTED_SUFFIXES))
    raise ImportFormatError(path, f"{what} not supported; {hint}")


def evidence_files(path: Path) -> list[Path]:
    """The files to read for ``path``: the file itself, or a directory's data files.

    A directory is searched through its sub-directories too (partitioned Parquet
    keeps its parts in ``key=value`` folders), in sorted order so every run reads
    the same files in the same order. Hidden files, rejects files left by an
    earlier import and files of other types are skipped.

    Args:
        path: A file, or a directory of CSV, TSV, JSON Lines, JSON or Parquet files.

    Returns:
        The files, in reading order.

    Raises:
        ImportFormatError: The path does not exist, or the directory holds no data files.
    """
    path = Path(path)
    if not path.exists():
        raise ImportFormatError(path, "the file or directory does not exist")
    if not path.is_dir():
        return [path]
    found = sorted(
        p
        for p in path.rglob("*")
        if p.is_file()
        and p.suffix.lower() in DIRECTORY_SUFFIXES
        and not p.name.endswith(".rejects.csv")
        and not any(part.startswith((".", "_")) for part in p.relative_to(path).parts)
        and p.stat().st_size > 0
    )
    if not found:
        kinds = ", ".join(DIRECTORY_SUFFIXES)
        raise ImportFormatError(path, f"the directory holds no data files ({kinds})")
    return found


def open_table(
    path: Path, *, text_column_hint: str | None = None, sheet: str | None = None
) -> TableReader:
    """Open a file of evidence with the reader its extension calls for.

    Args:
        path: CSV, TSV, XLSX, XLSM, ODS, JSON, JSONL/NDJSON, TXT or Markdown file.
        text_column_hint: The column holding the text, when the user knows it;
            matched ignoring case. Otherwise the text column is guessed from the
            first rows and reported in ``detected["text column"]``.
        sheet: For spreadsheets, the sheet to read (default: first with data).

    Returns:
        A reader whose ``columns`` and ``detected`` are filled in.

    Raises:
        ImportFormatError: Missing, empty, unsupported or unreadable file.
        ImportConfigError: The hinted text column or the sheet does not exist.
    """
    path = Path(path)
    if not path.exists():
        raise ImportFormatError(path, "the file does not exist")
    if not path.is_file():
        raise ImportFormatError(path, "this is not a file")
    if path.stat().st_size == 0:
        raise ImportFormatError(path, "the file is empty")
    reader = _make_reader(path, sheet)
    if not reader.columns:
        raise ImportFormatError(path, "no columns found: the file has no header or no data")
    if text_column_hint is not None:
        found = resolve_column(text_column_hint, reader.columns)
        if found is None:
            raise ImportConfigError(
                f"the text column '{text_column_hint}' is not in {path.name}",
                available=reader.columns,
            )
        reader.text_column = found
        reader.detected["text column"] = f"{found} (given)"
    elif reader.text_column is None:
        guess = guess_text_column(reader.columns, sample_rows(reader))
        if guess is not None:
            reader.text_column = guess
            reader.detected["text column"] = guess
    else:
        reader.detected["text column"] = reader.text_column
    return reader
