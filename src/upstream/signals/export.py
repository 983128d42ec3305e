"""Writing signal tables to CSV safely: no cell a spreadsheet would run as a formula."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from upstream import policy

__all__ = ["safe_cell", "write_csv"]


def _plain(value: Any) -> Any:
    return ("yes" if value else "no") if isinstance(value, bool) else value


def safe_cell(value: Any) -> str:
    """Render a value for a CSV cell, neutralising text that starts like a formula.

    Numbers (including negative ones such as the ``-1`` of an unassigned item)
    are written as numbers and yes/no stand for true/false; any other text is
    made safe by :func:`upstream.policy.safe_cell`. Text that is just a number,
    such as ``"-1"``, stays as it is: these are tables of figures.

    Args:
        value: Any value; ``None`` becomes an empty cell.

    Returns:
        The cell text.
    """
    return policy.safe_cell(_plain(value), numeric_text=True)


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Write a UTF-8 (with BOM, for Excel) CSV with every cell made safe.

    Args:
        path: Where to write; parent folders are created.
        header: Column names.
        rows: The rows.

    Returns:
        Number of data rows written.
    """
    plain_rows = ([_plain(v) for v in row] for row in rows)
    return policy.write_csv(path, header, plain_rows, numeric_text=True)
