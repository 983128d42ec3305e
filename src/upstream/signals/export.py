"""Writing signal tables to CSV safely: no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from upstream.evidence.rejects import neutralise

__all__ = ["safe_cell", "write_csv"]

_NUMBER = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")


def safe_cell(value: Any) -> str:
    """Render a value for a CSV cell, neutralising text that starts like a formula.

    Numbers (including negative ones such as the ``-1`` of an unassigned item)
    are written as numbers; any other text starting with ``= + - @`` (or a tab
    or carriage return) gets a leading quote so spreadsheets show it as text.

    Args:
        value: Any value; ``None`` becomes an empty cell.

    Returns:
        The cell text.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    text = str(value)
    return text if _NUMBER.match(text) else neutralise(text)


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write a UTF-8 (with BOM, for Excel) CSV with every cell made safe.

    Args:
        path: Where to write; parent folders are created.
        header: Column names.
        rows: The rows.

    Returns:
        Number of data rows written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([safe_cell(h) for h in header])
        for row in rows:
            writer.writerow([safe_cell(v) for v in row])
            count += 1
    return count
