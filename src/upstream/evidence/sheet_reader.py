"""Spreadsheet reader (XLSX, XLSM, XLSB, XLS, ODS) through python-calamine.

One code path serves every spreadsheet format. calamine parses a sheet in Rust
and hands rows to Python one at a time, so Python never builds the whole sheet
as objects; the parsed sheet itself is kept for the reader's lifetime so that
sampling and importing do not parse it twice. Because that parsed sheet is held
whole, the file's unpacked size is limited first (:func:`check_archive`).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date, datetime, time, timedelta
from itertools import islice
from pathlib import Path
from typing import Any

import python_calamine

from upstream.evidence.detect import choose_header_row, renamed_columns, unique_column_names
from upstream.evidence.errors import ImportConfigError, ImportFormatError
from upstream.evidence.export_headers import export_header, export_header_rows
from upstream.evidence.limits import check_archive
from upstream.records.drafts import RawRow, Reject

HEADER_SEARCH_ROWS = 30


def cell_text(value: Any) -> str:
    """Render a spreadsheet cell as text the way a person would read it.

    Whole numbers lose their ".0", dates become ISO dates, date-times at
    midnight become plain dates, booleans become TRUE/FALSE.
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0) and value.tzinfo is None:
            return value.date().isoformat()
        return value.isoformat(timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def column_letter(index: int) -> str:
    """Spreadsheet letters for a 0-based column index: 0 → A, 27 → AB."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _is_blank(row: Sequence[Any]) -> bool:
    return all(v is None or v == "" or (isinstance(v, str) and not v.strip()) for v in row)


class SheetReader:
    """Read one sheet of a workbook, finding the header below any title rows.

    Line numbers are sheet row numbers (1-based), as shown in the spreadsheet.

    Attributes:
        path: The file.
        columns: Header names, made unique and non-blank.
        detected: Format, sheet, header row (and other sheets, if any).
        text_column: The text column, once known.
        sheet_name: The sheet being read.
        header_row: 1-based row number of the header.
    """

    def __init__(self, path: Path, *, sheet: str | None = None, kind: str = "XLSX") -> None:
        self.path = path
        self.text_column: str | None = None
        # calamine unpacks a whole sheet into memory, so its size is checked first.
        check_archive(path, kind)
        try:
            book = python_calamine.CalamineWorkbook.from_path(str(path))
        except python_calamine.PasswordError as exc:
            raise ImportFormatError(path, "the spreadsheet is password-protected") from exc
        except python_calamine.CalamineError as exc:
            raise ImportFormatError(path, f"cannot read this as a {kind} file ({exc})") from exc
        names = [
            meta.name
            for meta in book.sheets_metadata
            if meta.typ == python_calamine.SheetTypeEnum.WorkSheet
        ]
        self.sheet_name, self._sheet = self._choose_sheet(book, names, sheet)
        head = list(islice(self._sheet.iter_rows(), HEADER_SEARCH_ROWS))
        index = choose_header_row(head)
        if index < 0:
            raise ImportFormatError(path, f"sheet '{self.sheet_name}' has no data")
        # calamine yields rows from row 1 of the sheet, but columns only from
        # the first used one; remember that offset for column letters.
        self._first_column = (self._sheet.start or (0, 0))[1]
        self.header_row = index + 1
        header = [cell_text(v).strip() for v in head[index]]
        below = [[cell_text(v).strip() for v in row] for row in head[index + 1 : index + 3]]
        found = export_header(header, below)
        while header and not header[-1] and not (found and found.names[len(header) - 1]):
            header.pop()
        if found:
            del found.names[len(header) :]
        self._data_row = self.header_row + (found.extra_rows if found else 0)
        self.columns = unique_column_names(found.names if found else header)
        self.detected: dict[str, str] = {
            "format": kind,
            "sheet": self.sheet_name,
            "header row": export_header_rows(self.header_row, found),
        }
        renamed = renamed_columns(header, self.columns)
        if renamed:
            self.detected["renamed columns"] = renamed
        others = [n for n in names if n != self.sheet_name]
        if others:
            self.detected["other sheets"] = ", ".join(others)

    def _choose_sheet(self, book: Any, names: list[str], wanted: str | None) -> tuple[str, Any]:
        if wanted is not None:
            folded = [n for n in names if n.strip().casefold() == wanted.strip().casefold()]
            name = wanted if wanted in names else folded[0] if len(folded) == 1 else None
            if name is not None:
                return name, book.get_sheet_by_name(name)
            raise ImportConfigError(
                f"there is no sheet '{wanted}' in {self.path.name}", available=names, what="sheets"
            )
        for name in names:
            sheet = book.get_sheet_by_name(name)
            if any(not _is_blank(row) for row in sheet.iter_rows()):
                return name, sheet
        raise ImportFormatError(self.path, "every sheet is empty")

    def rows(self) -> Iterator[RawRow | Reject]:
        """Yield each non-blank row below the header.

        Yields:
            :class:`RawRow` (line = sheet row number), or :class:`Reject` for a row
            with values beyond the header's last column.
        """
        file = str(self.path)
        columns = self.columns
        width = len(columns)
        for number, cells in enumerate(self._sheet.iter_rows(), start=1):
            if number <= self._data_row or _is_blank(cells):
                continue
            values = [cell_text(v) for v in cells]
            extra = [i for i in range(width, len(values)) if values[i].strip()]
            if extra:
                letter = column_letter(self._first_column + extra[0])
                reason = (
                    f"too many fields: expected {width} columns, found a value in column "
                    f"{letter}, which has no header"
                )
                yield Reject(file, number, "", reason, "\t".join(values))
                continue
            if len(values) < width:
                values.extend([""] * (width - len(values)))
            yield RawRow(number, dict(zip(columns, values[:width], strict=True)))
