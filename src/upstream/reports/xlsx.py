"""The report's tables as an Excel workbook: one worksheet per table, every formula made inert."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from upstream.policy import safe_text
from upstream.reports.counts import Cell
from upstream.reports.model import ReportData, Table
from upstream.reports.tables import report_tables

_BAD_SHEET_CHARACTERS = re.compile(r"[\[\]:*?/\\]")
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


def _sheet_name(key: str, used: set[str]) -> str:
    base = _BAD_SHEET_CHARACTERS.sub(" ", key)[:31] or "table"
    name, n = base, 2
    while name.lower() in used:
        suffix = f" {n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def _write_cell(sheet: Any, row: int, column: int, value: Cell, percent: bool) -> None:
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = safe_text(value)
        cell.data_type = "s"  # never a formula, whatever the text looks like
    else:
        cell.value = value
        if percent and isinstance(value, float):
            cell.number_format = "0%"


def _write_table(sheet: Any, table: Table) -> None:
    for column, heading in enumerate(table.columns, start=1):
        _write_cell(sheet, 1, column, heading, False)
        sheet.cell(row=1, column=column).font = _BOLD
    for r, values in enumerate(table.rows, start=2):
        for c, value in enumerate(values, start=1):
            _write_cell(sheet, r, c, value, c - 1 in table.percent_columns)
    sheet.freeze_panes = "A2"
    for column, heading in enumerate(table.columns, start=1):
        longest = max(
            [len(heading), *(len(str(row[column - 1] or "")) for row in table.rows[:200])]
        )
        sheet.column_dimensions[get_column_letter(column)].width = min(max(10, longest + 2), 80)
        if longest > 80:
            for r in range(2, len(table.rows) + 2):
                sheet.cell(row=r, column=column).alignment = _WRAP


def render_xlsx(data: ReportData, path: str | Path) -> Path:
    """Write the report's tables as an XLSX workbook.

    The first sheet says what the workbook is and lists the other sheets; each
    other sheet holds one table with its headings in row 1. Text that a
    spreadsheet would run as a formula is prefixed with an apostrophe.

    Args:
        data: The report's data (see :func:`upstream.workflows.reports.build_report_data`).
        path: Where to write the ``.xlsx`` file.

    Returns:
        The path written.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tables = report_tables(data)
    book = Workbook()
    about = book.active
    about.title = "About"
    used = {"about"}
    names = [_sheet_name(table.key, used) for table in tables]
    lines: list[list[Cell]] = [
        [data.title],
        [f"Workspace: {data.workspace}"],
        [f"Made on {data.generated_at:%-d %B %Y at %H:%M} UTC by upstream."],
        [],
        ["Sheet", "What it holds", "Note"],
    ]
    lines += [[name, table.title, table.note] for name, table in zip(names, tables, strict=True)]
    for r, values in enumerate(lines, start=1):
        for c, value in enumerate(values, start=1):
            _write_cell(about, r, c, value, False)
    about.cell(row=1, column=1).font = Font(bold=True, size=14)
    for column in range(1, 4):
        about.cell(row=5, column=column).font = _BOLD
    about.column_dimensions["A"].width = 26
    about.column_dimensions["B"].width = 50
    about.column_dimensions["C"].width = 90
    for name, table in zip(names, tables, strict=True):
        _write_table(book.create_sheet(name), table)
    book.save(target)
    return target


__all__ = ["render_xlsx"]
