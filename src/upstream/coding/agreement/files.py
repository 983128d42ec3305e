"""Read a table of judgements (CSV, TSV, gzipped, or a spreadsheet) and write report CSVs.

A judgements file is a plain table with one row per judgement, so a plain
reader is right: the evidence importers (header detection, rejects, de-duplication)
are for evidence items. Cells are compared as text, after trimming and writing
whole numbers without a decimal part, so ``4`` in one column and ``4.0`` in
another (as spreadsheets and pandas write them) are the same label.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import re
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from upstream.coding.agreement.judgements import is_missing
from upstream.coding.agreement.tables import TABLE_COLUMNS
from upstream.evidence.detect import sniff_delimiter
from upstream.policy import safe_cell

__all__ = ["JudgementFileError", "JudgementTable", "read_judgements", "write_tables"]

SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"})
TEXT_SUFFIXES = frozenset({".csv", ".tsv", ".tab", ".txt"})
_WHOLE_NUMBER = re.compile(r"^[-+]?\d+\.0*$")


class JudgementFileError(ValueError):
    """A judgements file cannot be read or lacks a column; the message says how to fix it."""


def canonical(value: object) -> str | None:
    """A cell as trimmed text, ``None`` when empty; whole numbers lose any ``.0``."""
    if is_missing(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value).strip()
    return text.split(".")[0] if _WHOLE_NUMBER.match(text) else text


def _split_suffix(path: Path) -> tuple[str, bool]:
    suffixes = [s.lower() for s in path.suffixes]
    compressed = bool(suffixes) and suffixes[-1] == ".gz"
    if compressed:
        suffixes = suffixes[:-1]
    return (suffixes[-1] if suffixes else ""), compressed


def _open_text(path: Path, compressed: bool, encoding: str) -> IO[str]:
    if compressed:
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding=encoding, newline="")
    return path.open(encoding=encoding, newline="")


def _read_text_table(path: Path, suffix: str, compressed: bool) -> list[list[str]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            with _open_text(path, compressed, encoding) as handle:
                delimiter = sniff_delimiter(handle.read(64 * 1024), suffix=suffix)
                handle.seek(0)
                return list(csv.reader(handle, delimiter=delimiter))
        except UnicodeDecodeError:
            continue
        except (OSError, EOFError, csv.Error) as exc:
            raise JudgementFileError(f"cannot read {path.name}: {exc}") from exc
    raise JudgementFileError(f"cannot read {path.name}: it is neither UTF-8 nor Windows-1252 text")


def _read_spreadsheet(path: Path) -> Sequence[Sequence[object]]:
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        rows: Sequence[Sequence[object]] = book.get_sheet_by_index(0).to_python(
            skip_empty_area=True
        )
    except (python_calamine.CalamineError, OSError) as exc:
        raise JudgementFileError(f"cannot read {path.name} as a spreadsheet: {exc}") from exc
    return rows


def _rows(path: Path) -> Sequence[Sequence[object]]:
    if not path.is_file():
        raise JudgementFileError(f"{path} does not exist or is not a file")
    suffix, compressed = _split_suffix(path)
    if suffix in SPREADSHEET_SUFFIXES and not compressed:
        return _read_spreadsheet(path)
    if suffix in TEXT_SUFFIXES or not suffix:
        return _read_text_table(path, suffix, compressed)
    known = ", ".join(sorted(TEXT_SUFFIXES | SPREADSHEET_SUFFIXES))
    raise JudgementFileError(f"{path.name}: unknown file type {suffix!r}; use one of {known}")


@dataclass(frozen=True)
class JudgementTable:
    """The judgement columns of a file, as canonical text (``None`` where empty).

    Attributes:
        items: The item of each row.
        coders: The coder of each row.
        labels: The label of each row.
        gold: The gold label per item, when a gold column was named.
        n_rows: Data rows read.
    """

    items: list[str | None]
    coders: list[str | None]
    labels: list[str | None]
    gold: dict[Hashable, Hashable] | None
    n_rows: int


def _gold_per_item(items: list[str | None], values: list[str | None]) -> dict[Hashable, Hashable]:
    gold: dict[Hashable, Hashable] = {}
    for row, (item, value) in enumerate(zip(items, values, strict=True), start=2):
        if item is None or value is None:
            continue
        known = gold.setdefault(item, value)
        if known != value:
            raise JudgementFileError(
                f"row {row}: item {item!r} has gold label {value!r}, but an earlier row says "
                f"{known!r}; an item can have only one gold label"
            )
    return gold


def read_judgements(
    path: Path,
    *,
    item_column: str,
    coder_column: str,
    label_column: str,
    gold_column: str | None = None,
) -> JudgementTable:
    """Read the judgement columns of a CSV, TSV (optionally ``.gz``) or spreadsheet file.

    Args:
        path: The file; a spreadsheet's first sheet is read, its first row is the header.
        item_column: Column naming the item (sentence, comment, ...) judged.
        coder_column: Column naming the coder.
        label_column: Column holding the label (code) given.
        gold_column: Optional column with the trusted label of the item.

    Returns:
        The columns as canonical text.

    Raises:
        JudgementFileError: The file cannot be read, a column is missing (the
            message lists the available ones), or an item has two gold labels.
    """
    rows = _rows(path)
    if not rows:
        raise JudgementFileError(f"{path.name} is empty")
    header = [str(cell).strip() if cell is not None else "" for cell in rows[0]]
    wanted = [item_column, coder_column, label_column]
    if gold_column is not None:
        wanted.append(gold_column)
    missing = [name for name in wanted if name not in header]
    if missing:
        names = ", ".join(repr(m) for m in missing)
        available = ", ".join(name for name in header if name)
        raise JudgementFileError(f"{path.name} has no column {names}; the columns are: {available}")
    positions = [header.index(name) for name in wanted]
    columns: list[list[str | None]] = [[] for _ in wanted]
    for row in rows[1:]:
        for column, position in zip(columns, positions, strict=True):
            column.append(canonical(row[position]) if position < len(row) else None)
    gold = _gold_per_item(columns[0], columns[3]) if gold_column is not None else None
    return JudgementTable(
        items=columns[0],
        coders=columns[1],
        labels=columns[2],
        gold=gold,
        n_rows=len(rows) - 1,
    )


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{round(value, 6) + 0.0:.6g}"
    return safe_cell(value, numeric_text=True)


def _write_csv(path: Path, rows: list[dict[str, object]], header: Sequence[str]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows([_cell(row.get(column)) for column in header] for row in rows)


def write_tables(tables: Mapping[str, list[dict[str, object]]], directory: Path) -> list[Path]:
    """Write each table as ``<name>.csv`` in ``directory`` (created if needed).

    Numbers are written plainly (6 significant digits, empty when undefined) and
    text a spreadsheet would run as a formula is neutralised. A known table that
    has no rows still gets its header.

    Args:
        tables: Rows per table name, as from ``AgreementReport.to_tables()``.
        directory: Where to write.

    Returns:
        The files written.
    """
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in tables.items():
        path = directory / f"{name}.csv"
        _write_csv(path, rows, TABLE_COLUMNS.get(name) or (list(rows[0]) if rows else []))
        written.append(path)
    return written
