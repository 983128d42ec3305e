"""Errors raised by the benefits package, with messages a user can act on."""

from __future__ import annotations

from pathlib import Path


class BenefitsError(Exception):
    """Base class for benefits problems a user can fix (bad input or options)."""


class SpecError(BenefitsError):
    """A line of an input file is not what was expected.

    The message names the file, the line (as a spreadsheet or text editor counts
    it, the header being line 1), the column and what was expected.

    Attributes:
        path: The file concerned.
        line: The line number, or ``None`` for a problem with the whole file.
        column: The column name, or ``None``.
        message: What was wrong and what was expected, without the location.
    """

    def __init__(
        self, path: Path | str, message: str, *, line: int | None = None, column: str | None = None
    ) -> None:
        self.path = Path(path)
        self.line = line
        self.column = column
        self.message = message
        where = str(path)
        if line is not None:
            where += f", line {line}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}")
