"""Spreadsheet-safe cells: nothing exported to CSV or Excel can run as a formula.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@``, and
also one that starts with a tab or carriage return followed by a formula
(OWASP, "CSV injection"). Such text is written with an apostrophe in front, so
it shows as text, including text such as ``-3``. Text that already starts with
apostrophes before one of those characters gets one more, so
:func:`restore_cell` gives back exactly what was written. Numbers stay numbers;
tables of figures may also keep text that is just a number (``numeric_text``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Final

__all__ = ["FORMULA_STARTS", "csv_lines", "restore_cell", "safe_cell", "safe_text", "write_csv"]

FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet treat a cell as a formula."""

_NUMBER: Final = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")


def _runs(text: str) -> bool:
    return text.lstrip("'").startswith(FORMULA_STARTS)


def safe_text(text: str) -> str:
    """Text a spreadsheet shows rather than runs: ``=SUM(A1)`` becomes ``'=SUM(A1)``.

    Args:
        text: The cell text.

    Returns:
        The text, with an apostrophe in front when it could run as a formula.
    """
    return "'" + text if _runs(text) else text


def safe_cell(value: object, *, numeric_text: bool = False) -> str:
    """A value as CSV or Excel cell text that can never run as a formula.

    Args:
        value: Any value; ``None`` becomes an empty cell, numbers stay numbers.
        numeric_text: Keep text that is just a number, such as ``"-1"``, as it is
            (a spreadsheet reads it as a number); for tables of figures.

    Returns:
        The cell text (see :func:`safe_text`).
    """
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    text = str(value)
    return text if numeric_text and _NUMBER.match(text) else safe_text(text)


def restore_cell(text: str) -> str:
    """Undo :func:`safe_text` when reading an exported file back.

    Args:
        text: A cell as read from the file.

    Returns:
        The text as it was before it was made safe.
    """
    return text[1:] if text.startswith("'") and _runs(text[1:]) else text


def csv_lines(
    header: Sequence[object], rows: Iterable[Iterable[object]], *, bom: bool = True
) -> Iterator[str]:
    """CSV text, line by line, with every cell made safe (for streaming downloads).

    Args:
        header: Column names.
        rows: The rows, as plain values.
        bom: Start with a byte-order mark, so Excel reads the file as UTF-8.

    Yields:
        The header line, then one line per row.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(h) for h in header])
    yield ("\ufeff" if bom else "") + buffer.getvalue()
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([safe_cell(cell) for cell in row])
        yield buffer.getvalue()


def write_csv(
    path: Path,
    header: Sequence[object],
    rows: Iterable[Iterable[object]],
    *,
    bom: bool = True,
    numeric_text: bool = False,
) -> int:
    """Write a UTF-8 CSV file with every cell made safe.

    Args:
        path: Where to write; parent folders are created.
        header: Column names.
        rows: The rows, as plain values.
        bom: Start with a byte-order mark, so Excel reads the file as UTF-8.
        numeric_text: See :func:`safe_cell`.

    Returns:
        Number of rows written, not counting the header.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8-sig" if bom else "utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([safe_cell(h) for h in header])
        for row in rows:
            writer.writerow([safe_cell(cell, numeric_text=numeric_text) for cell in row])
            count += 1
    return count
