"""Reading the rows to code (or to learn from) out of any importable file.

Coding answers one row per input row, in input order, so unlike an import
nothing is dropped here: a row that cannot be read keeps its place with no text
and is simply left uncoded.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from upstream.evidence.detect import detect_text_column, resolve_column
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
    reader = open_table(path, text_column_hint=text_column)
    text = (text_column and resolve_column(text_column, reader.columns)) or detect_text_column(
        reader
    )
    id_col = _column(id_column, reader.columns, "id")
    label_col = _column(label_column, reader.columns, "label")
    rows: list[InputRow] = []
    rejected: list[Reject] = []
    for number, row in enumerate(reader.rows(), start=1):
        if isinstance(row, Reject):
            rejected.append(row)
            rows.append(InputRow(str(number), "", None, None))
            continue
        identifier = _cell(row.values.get(id_col)) if id_col else ""
        label = _cell(row.values.get(label_col)) if label_col else None
        rows.append(InputRow(identifier or str(number), _cell(row.values.get(text)), label, row))
    return InputTable(Path(path), rows, list(reader.columns), text, dict(reader.detected), rejected)


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
