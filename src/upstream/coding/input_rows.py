"""Reading the rows to code (or to learn from) out of any importable file.

Coding answers one row per input row, in input order, so unlike an import
nothing is dropped here: a row that cannot be read keeps its place with no text
and is simply left uncoded.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from upstream.evidence.detect import (
    detect_text_column,
    guess_named_columns,
    resolve_column,
    sample_rows,
)
from upstream.evidence.errors import ImportConfigError
from upstream.evidence.readers import open_table
from upstream.records.drafts import RawRow, Reject

# Labels that mean "no code" in the files people bring (e.g. headings coded NA).
EMPTY_LABELS = frozenset({"", "na", "n/a", "nan", "none", "null", "-"})


@dataclass(frozen=True, slots=True)
class InputRow:
    """One row of an input file.

    Attributes:
        id: The id column's value, or the 1-based row number.
        text: The text to code ("" when the row could not be read).
        label: The label column's value, when a label column was asked for.
        raw: The row as read, or None when the reader rejected it.
    """

    id: str
    text: str
    label: str | None
    raw: RawRow | None


@dataclass(frozen=True, slots=True)
class InputTable:
    """Every row of a file, in order, with the columns that were used."""

    path: Path
    rows: list[InputRow]
    columns: list[str]
    text_column: str
    detected: dict[str, str]
    rejected: list[Reject]


def read_rows(
    path: Path,
    *,
    text_column: str | None = None,
    id_column: str | None = None,
    label_column: str | None = None,
) -> InputTable:
    """Read every row of ``path`` in order.

    Args:
        path: Any file the importers read.
        text_column: Column with the text; detected when not given.
        id_column: Column with each row's id; row numbers when not given.
        label_column: Column with a human label, for training files.

    Returns:
        The rows and what was detected.

    Raises:
        ImportFormatError: The file cannot be read.
        ImportConfigError: A named column does not exist.
    """
    source = RowSource(
        path, text_column=text_column, id_column=id_column, label_column=label_column
    )
    rows = list(source.rows())
    return InputTable(
        Path(path), rows, source.columns, source.text_column, source.detected, source.rejected
    )


class RowSource:
    """The rows of one file, read lazily: for files too large to hold at once.

    Args:
        path: Any file the importers read.
        text_column: Column with the text; detected when not given.
        id_column: Column with each row's id; row numbers when not given.
        label_column: Column with a human label, for training files.

    Raises:
        ImportFormatError: The file cannot be read.
        ImportConfigError: A named column does not exist.
    """

    def __init__(
        self,
        path: Path,
        *,
        text_column: str | None = None,
        id_column: str | None = None,
        label_column: str | None = None,
    ) -> None:
        self.path = Path(path)
        self._reader = open_table(self.path, text_column_hint=text_column)
        self.columns = list(self._reader.columns)
        self.detected = dict(self._reader.detected)
        # Read once, for whichever columns are to be detected.
        self._sample = list(sample_rows(self._reader))
        self.text_column = (
            text_column and resolve_column(text_column, self.columns)
        ) or detect_text_column(self._reader, self._sample)
        self._id = (
            _column(id_column, self.columns, "id") if id_column is not None else self._own_ids()
        )
        self._label = _column(label_column, self.columns, "label")
        self.rejected: list[Reject] = []

    def _own_ids(self) -> str | None:
        """The column of the rows' own references ("id", "reply_id"), when the file has one.

        Output rows carry the file's own ids, so they join back to it; without
        such a column they are numbered.
        """
        others = [c for c in self.columns if c != self.text_column]
        found = guess_named_columns(others, self._sample).get("id_column")
        if found is not None:
            self.detected["id column"] = found
        return found

    def rows(self) -> Iterator[InputRow]:
        """Yield every row in order; a row that cannot be read keeps its place, without text."""
        for number, row in enumerate(self._reader.rows(), start=1):
            if isinstance(row, Reject):
                self.rejected.append(row)
                yield InputRow(str(number), "", None, None)
                continue
            identifier = _cell(row.values.get(self._id)) if self._id else ""
            label = _cell(row.values.get(self._label)) if self._label else None
            yield InputRow(
                identifier or str(number), _cell(row.values.get(self.text_column)), label, row
            )


def _column(name: str | None, columns: list[str], role: str) -> str | None:
    if name is None:
        return None
    found = resolve_column(name, columns)
    if found is None:
        raise ImportConfigError(f"no {role} column called {name!r}", available=columns)
    return found


def _cell(value: object) -> str:
    return "" if value is None else str(value).strip()


def clean_label(label: str | None, codes: set[str]) -> str | None:
    """Return the label when it is a code of the codebook, None when it means "no code".

    Numbers written by spreadsheets ("504.0") are matched to their code ("504").

    Raises:
        KeyError: The label is neither empty nor a code (the caller counts these).
    """
    if label is None or label.strip().lower() in EMPTY_LABELS:
        return None
    value = label.strip()
    if value in codes:
        return value
    if value.endswith(".0") and value[:-2] in codes:
        return value[:-2]
    raise KeyError(value)
