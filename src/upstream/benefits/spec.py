"""Read an appraisal SPEC: costs and benefits by year, one line each, from CSV or XLSX.

The header must have the columns in :data:`SPEC_COLUMNS` (in any order, any case);
``low`` and ``high`` (a range for the amount, used by the sensitivity tests and the
Monte Carlo) and ``organisation`` (who pays or gains) are optional; any other
column is read past (:func:`unused_columns` names them, so people can be told).
Every problem is reported with the file, the line and the column, and what was
expected.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal

from upstream.benefits.errors import SpecError
from upstream.benefits.tables import blank, number, read_rows

Kind = Literal["cost", "benefit"]
Category = Literal["fiscal", "economic", "social"]

KINDS: Final[tuple[Kind, ...]] = ("cost", "benefit")
CATEGORIES: Final[tuple[Category, ...]] = ("fiscal", "economic", "social")
SPEC_COLUMNS: Final = (
    "item",
    "kind",
    "category",
    "year",
    "amount",
    "optimism_bias",
    "deadweight",
    "attribution",
)
"""The columns every SPEC must have (the command-line contract)."""

RANGE_COLUMNS: Final = ("low", "high")
"""Optional columns: the lowest and highest plausible amount for the line."""

ORGANISATION_COLUMN: Final = "organisation"
"""Optional column: who bears a cost or whose budget a fiscal benefit reaches."""

KNOWN_COLUMNS: Final = (*SPEC_COLUMNS, *RANGE_COLUMNS, ORGANISATION_COLUMN)
"""Every column a SPEC can use; any other is read past, and said so."""

COST_OPTIMISM_BIAS_LIMIT: Final = 2.0
"""The most optimism bias a cost may carry: the Green Book's upper bound for equipment
and development projects is 200%, so a cost can more than double; a benefit's
optimism bias is a share of it, at most 1."""

SHARE_DEFAULTS: Final = {"optimism_bias": 0.0, "deadweight": 0.0, "attribution": 1.0}
"""What an empty share means: no optimism bias, no deadweight, all attributed."""


@dataclass(frozen=True)
class Line:
    """One cost or benefit in one year, as written in the SPEC.

    Attributes:
        item: What the cost or benefit is, e.g. ``"Caseworkers"``.
        kind: ``"cost"`` or ``"benefit"``.
        category: ``"fiscal"``, ``"economic"`` or ``"social"``.
        year: Years from the start; 0 is the first year.
        amount: £ in real prices, before any adjustment.
        optimism_bias: Share added to a cost, or taken off a benefit (0–1).
        deadweight: Share of a benefit that would have happened anyway (0–1).
        attribution: Share of a benefit due to this programme (0–1).
        low: Lowest plausible amount, or ``None`` when no range was given.
        high: Highest plausible amount, or ``None`` when no range was given.
        source_line: The line of the file it came from (header is line 1), or 0.
        organisation: Who bears the cost, or whose budget the benefit reaches
            (``""`` when not given, as for most economic and social benefits).
    """

    item: str
    kind: Kind
    category: Category
    year: int
    amount: float
    optimism_bias: float = 0.0
    deadweight: float = 0.0
    attribution: float = 1.0
    low: float | None = None
    high: float | None = None
    source_line: int = 0
    organisation: str = ""


class _Row:
    """One data line being parsed, so every message carries its place."""

    def __init__(self, source: Path | str, line: int, cells: Mapping[str, object]) -> None:
        self.source = source
        self.line = line
        self.cells = cells

    def fail(self, column: str, message: str) -> SpecError:
        return SpecError(self.source, message, line=self.line, column=column)

    def text(self, column: str) -> str:
        value = self.cells.get(column)
        return "" if blank(value) else str(value).strip()

    def choice(self, column: str, allowed: Sequence[str]) -> str:
        value = self.text(column).lower()
        if value not in allowed:
            shown = repr(self.text(column)) if self.text(column) else "nothing"
            raise self.fail(column, f"found {shown}; expected one of {', '.join(allowed)}")
        return value

    def amount(self, column: str, *, required: bool) -> float | None:
        value = self.cells.get(column)
        if blank(value):
            if required:
                raise self.fail(column, "is empty; expected an amount in £, such as 12500")
            return None
        found = number(value)
        if found is None:
            raise self.fail(column, f"found {value!r}; expected an amount in £, such as 12500")
        return found

    def year(self) -> int:
        value = self.cells.get("year")
        found = None if blank(value) else number(value)
        if found is None or not found.is_integer() or found < 0:
            shown = "nothing" if blank(value) else repr(value)
            raise self.fail(
                "year", f"found {shown}; expected a whole number of 0 or more (0 is the first year)"
            )
        return int(found)

    def share(self, column: str, upper: float = 1.0) -> float:
        value = self.cells.get(column)
        if blank(value):
            return SHARE_DEFAULTS[column]
        found = number(value)
        if found is None or not 0.0 <= found <= upper:
            raise self.fail(
                column,
                f"found {value!r}; expected a share from 0 to {upper:g} (such as 0.2), or empty "
                f"for {SHARE_DEFAULTS[column]:g}",
            )
        return found


def _line(row: _Row) -> Line:
    item = row.text("item")
    if not item:
        raise row.fail("item", "is empty; expected the name of the cost or benefit")
    kind = row.choice("kind", KINDS)
    category = row.choice("category", CATEGORIES)
    year = row.year()
    amount = row.amount("amount", required=True)
    assert amount is not None  # required=True never returns None
    low = row.amount("low", required=False)
    high = row.amount("high", required=False)
    if low is not None and low > amount:
        raise row.fail("low", f"is {low:g}, above the amount {amount:g}; expected it at or below")
    if high is not None and high < amount:
        raise row.fail("high", f"is {high:g}, below the amount {amount:g}; expected it at or above")
    return Line(
        item=item,
        kind=kind,  # type: ignore[arg-type]  # checked against KINDS above
        category=category,  # type: ignore[arg-type]  # checked against CATEGORIES above
        year=year,
        amount=amount,
        optimism_bias=row.share(
            "optimism_bias", COST_OPTIMISM_BIAS_LIMIT if kind == "cost" else 1.0
        ),
        deadweight=row.share("deadweight"),
        attribution=row.share("attribution"),
        low=low,
        high=high,
        source_line=row.line,
        organisation=row.text(ORGANISATION_COLUMN)[:200],
    )


def parse_rows(rows: Iterable[Sequence[object]], source: Path | str = "SPEC") -> list[Line]:
    """Check and convert the rows of a SPEC table, the first row being the header.

    Args:
        rows: The table, header first, as a reader gives it (text or numbers).
        source: The file name to put in messages.

    Returns:
        One :class:`Line` per non-empty data row, in file order.

    Raises:
        SpecError: Naming the line and column of the first problem found.
    """
    iterator = iter(rows)
    header_row = next(iterator, None)
    if header_row is None:
        raise SpecError(source, f"is empty; expected a header row: {','.join(SPEC_COLUMNS)}")
    header = ["" if blank(cell) else str(cell).strip().lower() for cell in header_row]
    for column in SPEC_COLUMNS:
        if column not in header:
            raise SpecError(
                source,
                f"the header has no {column!r} column; expected {','.join(SPEC_COLUMNS)}",
                line=1,
            )
    lines: list[Line] = []
    for line_number, cells in enumerate(iterator, start=2):
        if all(blank(cell) for cell in cells):
            continue
        named = {name: cells[i] for i, name in enumerate(header) if name and i < len(cells)}
        lines.append(_line(_Row(source, line_number, named)))
    if not lines:
        raise SpecError(source, "has a header but no lines; expected at least one cost or benefit")
    return lines


def unused_columns(rows: Iterable[Sequence[object]]) -> list[str]:
    """The header's columns that a SPEC does not use, as written, so a reader can be told.

    Args:
        rows: The table, header first.

    Returns:
        The unused column names in file order (blank headings left out).
    """
    header = next(iter(rows), None) or []
    names = ["" if blank(cell) else str(cell).strip() for cell in header]
    return [name for name in names if name and name.lower() not in KNOWN_COLUMNS]


def spec_csv(lines: Sequence[Line]) -> str:
    """The lines as the text of a SPEC CSV file that :func:`parse_rows` reads back.

    Args:
        lines: The lines to write.

    Returns:
        CSV text: the required columns, then ``low``/``high`` and ``organisation``
        when any line has them.
    """
    ranged = any(line.low is not None or line.high is not None for line in lines)
    named = any(line.organisation for line in lines)
    columns = list(SPEC_COLUMNS) + (list(RANGE_COLUMNS) if ranged else [])
    columns += [ORGANISATION_COLUMN] if named else []
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for line in lines:
        row: list[object] = [getattr(line, c) for c in SPEC_COLUMNS]
        row[SPEC_COLUMNS.index("amount")] = _pounds(line.amount)
        if ranged:
            row += ["" if line.low is None else _pounds(line.low)]
            row += ["" if line.high is None else _pounds(line.high)]
        if named:
            row.append(line.organisation)
        writer.writerow(row)
    return out.getvalue()


def _pounds(amount: float) -> str:
    """An amount to the penny, without a float's trailing noise ("171924.3", "100")."""
    return f"{amount:.2f}".rstrip("0").rstrip(".")


def read_spec(path: Path | str) -> list[Line]:
    """Read and check a SPEC file (``.csv`` or ``.xlsx``; the first sheet of a workbook).

    Args:
        path: The file.

    Returns:
        The lines, in file order.

    Raises:
        SpecError: If the file cannot be read or any line is not as expected.
    """
    return parse_rows(read_rows(path), path)
