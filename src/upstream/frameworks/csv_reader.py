"""Read a codebook from a CSV (or TSV) spreadsheet export.

Two layouts are accepted:

* with a header row naming the columns: ``code`` (or ``id``), ``title`` (or
  ``name``/``label``), ``description`` (or ``definition``), and optionally
  ``parent``, ``include``, ``exclude`` and ``examples`` (several examples
  separated by ``|``). Other columns are ignored.
* without a header: exactly three columns ``code, title, description`` (the
  layout of the Manifesto Project codebook).

Problems name the physical line a row starts on, counting the lines inside
quoted multi-line cells, so they match what a text editor shows.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from upstream.frameworks.model import Codebook, CodebookError, title_from_name
from upstream.frameworks.validate import RawCode, build_codebook
from upstream.policy import restore_cell

__all__ = ["COLUMN_ALIASES", "read_csv"]

COLUMN_ALIASES: dict[str, str] = {
    "code": "code",
    "id": "code",
    "code id": "code",
    "title": "title",
    "name": "title",
    "label": "title",
    "description": "description",
    "definition": "description",
    "parent": "parent",
    "parent code": "parent",
    "include": "include",
    "exclude": "exclude",
    "examples": "examples",
    "example": "examples",
}


def _delimiter(text: str, path: str) -> str:
    if Path(path).suffix.lower() == ".tsv":
        return "\t"
    first = text.split("\n", 1)[0]
    if "," not in first:
        if "\t" in first:
            return "\t"
        if ";" in first:
            return ";"
    return ","


def _rows(text: str, delimiter: str) -> list[tuple[int, list[str]]]:
    """Return ``(starting line, cells)`` for every non-blank row."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    start = 1
    for cells in reader:
        if any(cell.strip() for cell in cells):
            rows.append((start, [restore_cell(cell.strip()) for cell in cells]))
        start = reader.line_num + 1
    return rows


def _header(cells: list[str]) -> dict[str, int] | None:
    """Map canonical column names to positions, or ``None`` if this is not a header."""
    names = [COLUMN_ALIASES.get(cell.strip().lower()) for cell in cells]
    if "code" not in names or "title" not in names:
        return None
    columns: dict[str, int] = {}
    for index, name in enumerate(names):
        if name is not None and name not in columns:
            columns[name] = index
    return columns


def read_csv(text: str, path: str) -> Codebook:
    """Parse and validate a codebook from CSV text.

    Args:
        text: The CSV content.
        path: File name to use in error messages; its stem becomes the codebook id.

    Returns:
        The validated codebook.

    Raises:
        InvalidCodebook: Listing every problem found, each with its line.
    """
    problems: list[CodebookError] = []
    try:
        rows = _rows(text, _delimiter(text, path))
    except csv.Error as error:
        rows = []
        problems.append(CodebookError(path, None, f"CSV syntax error: {error}"))
    columns = _header(rows[0][1]) if rows else None
    if columns is not None:
        width, body, has_header = len(rows[0][1]), rows[1:], True
    else:
        columns, width, body, has_header = {"code": 0, "title": 1, "description": 2}, 3, rows, False

    codes: list[RawCode] = []
    for line, cells in body:
        if has_header and len(cells) > width and any(cells[width:]):
            problems.append(
                CodebookError(path, line, f"row has {len(cells)} cells but the header has {width}")
            )
            continue
        if not has_header and (len(cells) < 2 or any(cells[width:])):
            message = f"expected 3 columns (code, title, description), found {len(cells)}"
            problems.append(CodebookError(path, line, message))
            continue

        def cell(name: str, cells: list[str] = cells) -> str:
            index = columns.get(name)
            return cells[index] if index is not None and index < len(cells) else ""

        examples = tuple(part.strip() for part in cell("examples").split("|") if part.strip())
        codes.append(
            RawCode(
                line=line,
                id=cell("code") or None,
                title=cell("title") or None,
                definition=cell("description"),
                parent=cell("parent") or None,
                include=cell("include"),
                exclude=cell("exclude"),
                examples=examples,
            )
        )
    stem = Path(path).stem
    return build_codebook(
        path=path,
        id=stem,
        title=title_from_name(stem),
        description="",
        version="",
        source=path,
        codes=codes,
        problems=problems,
        codes_line=1,
    )
