"""Writing results partition by partition: one CSV, or a directory of Parquet parts.

Parquet parts are numbered in input order (``part-00000.parquet``, ...), so a
reader that lists them in name order sees the rows in input order; a run
replaces the parts an earlier run left in the same directory. Text cells in
CSV are made safe to open in a spreadsheet; Parquet keeps values as they are
(it is read by programs, not spreadsheets).
"""

from __future__ import annotations

import csv
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from upstream.policy import safe_text

__all__ = ["FORMATS", "ResultWriter"]

FORMATS = ("csv", "parquet")


class ResultWriter:
    """Append rows of results, a partition at a time, in CSV or partitioned Parquet.

    Args:
        output: The CSV file, or the directory of Parquet parts.
        columns: Column names, in order.
        fmt: ``"csv"`` or ``"parquet"``.
        types: Each column's type: ``"string"``, ``"float"`` (four decimals in
            CSV), ``"int"`` or ``"list"`` (of text: joined with ``;`` in CSV).
    """

    def __init__(self, output: Path, columns: dict[str, str], fmt: str) -> None:
        if fmt not in FORMATS:
            raise ValueError(f"unknown output format {fmt!r}: choose csv or parquet")
        self.output = Path(output)
        self.columns = list(columns)
        self.types = columns
        self.fmt = fmt
        self.parts = 0
        self._handle: IO[str] | None = None
        self._csv: Any = None

    def __enter__(self) -> ResultWriter:
        if self.fmt == "csv":
            self.output.parent.mkdir(parents=True, exist_ok=True)
            self._handle = self.output.open("w", newline="", encoding="utf-8")
            self._csv = csv.writer(self._handle)
            self._csv.writerow(self.columns)
        else:
            if self.output.exists() and not self.output.is_dir():
                raise ValueError(f"{self.output} is a file: Parquet output needs a directory")
            self.output.mkdir(parents=True, exist_ok=True)
            for old in self.output.glob("part-*.parquet"):
                old.unlink()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._handle is not None:
            self._handle.close()

    def write(self, rows: list[list[Any]]) -> None:
        """Write one partition's rows (values in column order)."""
        if self.fmt == "csv":
            for row in rows:
                self._csv.writerow(
                    [
                        _csv_cell(self.types[name], v)
                        for name, v in zip(self.columns, row, strict=True)
                    ]
                )
        else:
            import pyarrow as pa  # type: ignore[import-untyped]
            import pyarrow.parquet as pq  # type: ignore[import-untyped]

            kinds = {"string": pa.string(), "float": pa.float64(), "int": pa.int64()}
            schema = pa.schema(
                [
                    (name, kinds.get(kind, pa.list_(pa.string())))
                    for name, kind in self.types.items()
                ]
            )
            table = pa.table(
                {name: [row[n] for row in rows] for n, name in enumerate(self.columns)},
                schema=schema,
            )
            pq.write_table(table, self.output / f"part-{self.parts:05d}.parquet")
        self.parts += 1


def _csv_cell(kind: str, value: Any) -> Any:
    if kind == "list":
        return ";".join(value)
    if kind == "float":
        return f"{value:.4f}"
    if kind == "string":
        return safe_text(value or "")
    return value
