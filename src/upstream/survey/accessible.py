"""Read official statistics workbooks in the government's accessible-spreadsheet layout.

Since 2021 official results come as one workbook a year: a cover sheet, a
contents sheet and a notes sheet, then one table per sheet with a few lines of
title and notes (in the first column only) above the header row, and an annex of
question codes and wording. Cells hold bracketed shorthands instead of numbers
where a figure is withheld: ``[c]`` suppressed to protect anonymity, ``[z]`` not
applicable, ``[x]`` not available, ``[low]`` too few responses.

:func:`read_accessible` skips the front sheets (by name, or by what they hold),
reads each table below its title lines, and decides from the table's content
whether it is organisation scores (organisations in rows, measures in columns)
or a published summary (measures down the rows, one column of figures per year
or group, such as the median benchmark).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

import pandas as pd

from upstream.survey.errors import SurveyFormatError
from upstream.survey.measures import match_measure, split_code
from upstream.survey.tables import (
    MIN_MEASURES,
    SPREADSHEETS,
    FileScores,
    Rows,
    ScoreTable,
    best_header,
    own_measure,
    parse_value,
    question_texts,
    read_grids,
    read_score_tables,
    shorthand,
    table_at,
    text_of,
    to_rows,
)

SHORTHANDS: Final[dict[str, str]] = {
    "c": "suppressed to protect anonymity",
    "z": "not applicable (not asked that year)",
    "x": "not available",
    "low": "too few responses to publish",
    "u": "low reliability",
    "w": "no data",
    "k": "rounds to zero",
    "b": "break in the series",
}
"""Plain meaning of each shorthand of the accessible-spreadsheet guidance."""

_FRONT_NAME: Final = re.compile(
    r"^(?:cover(?:[ _]?(?:sheet|page))?|contents|table[ _]of[ _]contents|notes?"
    r"|notes?[ _]and[ _]definitions|about(?:[ _]this[ _](?:data|release))?|read[ _]?me"
    r"|definitions|glossary|information)$",
    re.I,
)
_CONTENTS_HEADER: Final = re.compile(r"^(?:sheet|worksheet|table)[ _]?(?:name|number)?$", re.I)
_NOTES_HEADER: Final = re.compile(r"^note[ _]?(?:number|text)?$", re.I)
_TABLE_NAME: Final = re.compile(r"^(?:table|annex|data)[ _]?\d", re.I)
_YEAR_HEADER: Final = re.compile(r"^(?:19|20)\d{2}$")
_MEDIAN: Final = re.compile(r"median|benchmark", re.I)
_MEAN: Final = re.compile(r"\bmean\b|\baverage\b", re.I)


def front_sheet(name: str, rows: Rows) -> bool:
    """Whether a sheet is a cover, contents or notes sheet rather than a table of figures."""
    if _FRONT_NAME.match(name.strip()):
        return True
    firsts = [text_of(row[0]) for row in rows[:12] if row]
    if any(_CONTENTS_HEADER.match(t) or _NOTES_HEADER.match(t) for t in firsts):
        return True
    # A cover sheet: words down one or two columns and hardly a number.
    numbers = sum(parse_value(v)[0] is not None for row in rows for v in row if text_of(v))
    return bool(rows) and len(rows[0]) <= 2 and numbers <= 2


def is_accessible(sheets: list[str], grids: dict[str, pd.DataFrame]) -> bool:
    """Whether a workbook follows the accessible layout (front sheets, then tables)."""
    names = [s.strip().lower() for s in sheets]
    front = sum(bool(_FRONT_NAME.match(n)) for n in names)
    tables = sum(bool(_TABLE_NAME.match(n)) for n in names)
    return front >= 1 and (tables >= 1 or len(grids) > front)


def table_top(rows: Rows) -> int:
    """Where the table starts: the first row with two or more cells (titles fill only one)."""
    for index, row in enumerate(rows):
        if sum(bool(text_of(v)) for v in row) >= 2:
            return index
    return 0


def header_row(rows: Rows, top: int, year: int | None) -> int:
    """The header row: the table's first row, or a row of codes under theme names below it."""
    best, count = best_header(rows[top : top + 4], year)
    return top + best if count >= MIN_MEASURES else top


def _summary_table(
    rows: Rows, header: int, year: int | None, texts: dict[str, str], title: str
) -> tuple[list[tuple[int | None, str, str, float]], dict[str, int], int] | None:
    """Read a table with measures down the rows: (figures, shorthands, measure column)."""
    body = rows[header + 1 :]
    if not body:
        return None
    width = len(rows[header])

    def matches(j: int) -> int:
        return sum(measure_in_cell(text_of(r[j]), year, texts) is not None for r in body)

    measure_col = max(range(min(width, 3)), key=matches)
    if matches(measure_col) < MIN_MEASURES:
        return None
    name = (
        "Civil Service benchmark (median)"
        if _MEDIAN.search(title)
        else "All respondents (mean)"
        if _MEAN.search(title)
        else title[:80] or "published summary"
    )
    figures: list[tuple[int | None, str, str, float]] = []
    missing: dict[str, int] = {}
    for j in range(width):
        head = text_of(rows[header][j])
        if j == measure_col or not head or re.search(r"note|question|text|wording", head, re.I):
            continue
        column_year = int(head) if _YEAR_HEADER.match(head) else year
        cells = [(measure_in_cell(text_of(r[measure_col]), year, texts), r[j]) for r in body]
        values = [(m, parse_value(v)) for m, v in cells if m is not None]
        if not any(v is not None for _, (v, _p) in values):
            continue
        numbers = [v for _, (v, _p) in values if v is not None]
        divide = 100.0 if any(p for _, (_v, p) in values) or max(numbers) > 1.5 else 1.0
        label = name if _YEAR_HEADER.match(head) else f"{name}: {head}"
        for measure, (value, _percent) in values:
            if value is not None:
                figures.append((column_year, label, measure, value / divide))
        for _m, cell in cells:
            mark = shorthand(cell)
            if mark is not None:
                missing[mark] = missing.get(mark, 0) + 1
    return (figures, missing, measure_col) if figures else None


def measure_in_cell(cell: str, year: int | None, texts: dict[str, str]) -> str | None:
    """The measure id of a cell naming a measure down a summary table's rows, or None."""
    if not cell or parse_value(cell)[0] is not None or len(cell) > 200:
        return None
    code, _rest = split_code(cell)
    found = match_measure(cell, year=year, text=texts.get(code, "") if code else "")
    if found is not None:
        return found.measure
    if cell.upper() in texts:
        return own_measure(cell, year=year, texts=texts).measure
    return None


def missing_summary(missing: dict[str, int]) -> str:
    """``"12 cells [c] (suppressed to protect anonymity), 1 cell [z] (...)"``."""
    return ", ".join(
        f"{n} {'cell' if n == 1 else 'cells'} [{mark}] ({SHORTHANDS.get(mark, 'withheld')})"
        for mark, n in sorted(missing.items())
    )


def read_accessible(
    path: Path, grids: dict[str, pd.DataFrame], *, year: int | None, texts: dict[str, str]
) -> FileScores:
    """Read an accessible-layout workbook's tables (see the module docstring).

    Returns:
        Organisation-score tables in ``tables``, published summary figures in
        ``published``, and a note for every sheet saying how it was read.
    """
    known = dict(texts)
    annexes: set[str] = set()
    for sheet, grid in grids.items():
        found = question_texts(grid)
        if found:
            known.update(found)
            annexes.add(sheet)
    tables: list[ScoreTable] = []
    published: list[tuple[int | None, str, str, float]] = []
    notes: list[str] = []
    skipped: list[str] = []
    for sheet, grid in grids.items():
        rows = to_rows(grid)
        if sheet in annexes or not rows or front_sheet(sheet, rows):
            skipped.append(sheet)
            continue
        top = table_top(rows)
        header = header_row(rows, top, year)
        title = " ".join(text_of(r[0]) for r in rows[:top] if text_of(r[0]))
        heading = text_of(rows[0][0]) if top else ""  # the table's title; notes follow it
        shown = f"{sheet} ({heading[:90]})" if heading else sheet
        summary = _summary_table(rows, header, year, known, title)
        table = (
            None
            if summary
            else _organisation_table(rows[top:], header - top, path, sheet, year, known)
        )
        if table is not None:
            tables.append(table)
            note = (
                f"{path.name}: read sheet {shown} as organisation scores: "
                f"{table.detected['measures']} measures × "
                f"{table.detected['organisations']} organisations"
            )
            notes.append(note)
            continue
        if summary is not None:
            figures, missing, _col = summary
            published.extend(figures)
            note = f"{path.name}: read sheet {shown} as published figures ({len(figures)} values)"
            if missing:
                note += f"; missing: {missing_summary(missing)}"
            notes.append(note)
        else:
            skipped.append(sheet)
    if skipped:
        notes.append(f"{path.name}: sheets not holding scores were skipped: {', '.join(skipped)}")
    return FileScores(path, tables, known, notes, published)


def _organisation_table(
    rows: Rows, header: int, path: Path, sheet: str, year: int | None, texts: dict[str, str]
) -> ScoreTable | None:
    try:
        table = table_at(
            rows, header, path=path, sheet=sheet, year=year, texts=texts, own_measures=True
        )
    except SurveyFormatError:
        return None  # measures but no organisations: a summary table
    if table is None or len(table.measures) < 1:
        return None
    return table


def read_workbook(path: Path, *, year: int | None, texts: dict[str, str]) -> FileScores:
    """Read a file of scores: accessible-layout workbooks here, anything else as before.

    Raises:
        SurveyFormatError: If no sheet holds organisation scores.
    """
    grids = read_grids(path)
    if path.suffix.lower() in SPREADSHEETS and is_accessible(list(grids), grids):
        read = read_accessible(path, grids, year=year, texts=texts)
        if read.tables:
            return read
        raise SurveyFormatError(
            path,
            "no sheet of this workbook holds organisation scores (organisations in rows, "
            "measures in columns); " + " ".join(read.notes),
        )
    return read_score_tables(path, year=year, texts=texts, grids=grids)
