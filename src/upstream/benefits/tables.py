"""Reading small input tables (CSV or the first sheet of an XLSX) and their cells.

A workbook upstream wrote for an appraisal is read from its Inputs sheet, the
lines as a person may have changed them, so it can be appraised again.
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

from upstream.benefits.errors import SpecError

INPUTS_SHEET = "Inputs"
INPUTS_COLUMNS = {
    "Item": "item",
    "Cost or benefit": "kind",
    "Category": "category",
    "Year (0 is the first year)": "year",
    "Amount (£, real prices)": "amount",
    "Optimism bias": "optimism_bias",
    "Deadweight": "deadweight",
    "Attribution": "attribution",
    "Organisation (who pays or gains)": "organisation",
    "Low (£, for the simulation)": "low",
    "High (£, for the simulation)": "high",
}
"""The Inputs sheet's headings that hold a SPEC's columns; the rest are its formulas."""


def blank(value: object) -> bool:
    """Whether a cell is empty (nothing, or only spaces)."""
    return value is None or (isinstance(value, str) and not value.strip())


def number(value: object) -> float | None:
    """A finite number from a cell, allowing ``£``, thousands commas and ``%``.

    Args:
        value: The cell as read (text or a number).

    Returns:
        The number (``"20%"`` gives 0.2), or ``None`` when the cell is not a number.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    text = str(value).strip().replace("£", "").replace(",", "").replace(" ", "")
    scale = 1.0
    if text.endswith("%"):
        text, scale = text[:-1], 0.01
    try:
        result = float(text) * scale
    except ValueError:
        return None
    return result if math.isfinite(result) else None


def _xlsx_rows(path: Path) -> list[tuple[object, ...]]:
    from openpyxl import load_workbook  # type: ignore[import-untyped]

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise SpecError(path, f"cannot be opened as an Excel workbook ({exc})") from exc
    try:
        sheet = book.worksheets[0]
        if INPUTS_SHEET in book.sheetnames:
            inputs = book[INPUTS_SHEET]
            heading = next(inputs.iter_rows(min_row=1, max_row=1, values_only=True), ())
            if tuple(heading[:2]) == ("Item", "Cost or benefit"):
                return _spec_columns(list(inputs.iter_rows(min_row=1, values_only=True)))
        return [tuple(row) for row in sheet.iter_rows(min_row=1, values_only=True)]
    finally:
        book.close()


def _spec_columns(rows: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    """An appraisal workbook's Inputs sheet as a SPEC table: its columns renamed, formulas left."""
    header = [str(cell or "").strip() for cell in rows[0]]
    keep = [n for n, name in enumerate(header) if name in INPUTS_COLUMNS]
    named = tuple(INPUTS_COLUMNS[header[n]] for n in keep)
    return [named] + [tuple(row[n] if n < len(row) else None for n in keep) for row in rows[1:]]


def read_rows(path: Path | str) -> list[tuple[object, ...]]:
    """All rows of a ``.csv`` file or of the first sheet of an ``.xlsx`` workbook.

    Args:
        path: The file.

    Returns:
        The rows, header first, as text (CSV) or cell values (XLSX).

    Raises:
        SpecError: If the file is missing, of another type or cannot be read.
    """
    path = Path(path)
    if not path.is_file():
        raise SpecError(path, "no such file")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return _xlsx_rows(path)
    if suffix != ".csv":
        raise SpecError(path, f"is a {suffix or 'file with no'} type; expected .csv or .xlsx")
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return [tuple(row) for row in csv.reader(handle)]
    except UnicodeDecodeError as exc:
        raise SpecError(path, "is not UTF-8 text; save it as CSV UTF-8") from exc
