"""Streaming Parquet reader: one record batch in memory at a time, whatever the file's size.

Parquet has no lines, so a row's "line" is its 1-based row number in the file,
as for the records of a JSON array. Values are given as cell text, the way the
other readers give them: null is blank, numbers and dates are written out, and
nested values (lists, structs) stay JSON so nothing is lost.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from upstream.evidence.errors import ImportFormatError
from upstream.records.drafts import RawRow, Reject

__all__ = ["BATCH_ROWS", "ParquetReader", "cell_text"]

BATCH_ROWS = 10_000
"""Rows decoded at once: bounds memory however large the file or its row groups."""


def cell_text(value: Any) -> str:
    """A Parquet value as cell text (null is blank; nested values stay JSON)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return json.dumps(value, ensure_ascii=False, default=str)


class ParquetReader:
    """Read a Parquet file batch by batch.

    Attributes:
        path: The file.
        columns: Column names in file order.
        detected: Format, row count and row groups.
        text_column: The text column, once known.
    """

    def __init__(self, path: Path) -> None:
        import pyarrow.parquet as pq  # type: ignore[import-untyped]

        self.path = path
        self.text_column: str | None = None
        try:
            self._file = pq.ParquetFile(path)
        except Exception as exc:  # pyarrow raises several unrelated types for bad files
            raise ImportFormatError(path, f"not a readable Parquet file ({exc})") from exc
        meta = self._file.metadata
        self.columns: list[str] = list(self._file.schema_arrow.names)
        self.detected: dict[str, str] = {
            "format": "Parquet",
            "rows": f"{meta.num_rows:,}",
            "row groups": str(meta.num_row_groups),
        }

    def rows(self) -> Iterator[RawRow | Reject]:
        """Yield every row, numbered from 1 in file order.

        Yields:
            :class:`RawRow` with cell text values.
        """
        number = 0
        for batch in self._file.iter_batches(batch_size=BATCH_ROWS):
            columns = [batch.column(i).to_pylist() for i in range(batch.num_columns)]
            names = batch.schema.names
            for values in zip(*columns, strict=True):
                number += 1
                yield RawRow(number, {n: cell_text(v) for n, v in zip(names, values, strict=True)})
