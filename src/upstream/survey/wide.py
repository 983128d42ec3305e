"""Import any wide table of organisations × years × measures into a survey panel.

One row per organisation and year, one column per measure (plus, optionally, a
column of respondents or headcount). Column names become measure ids, harmonised
to the stable ids of :mod:`upstream.survey.measures` where recognised (so
``"Employee engagement index"`` becomes ``EES``) and kept as given otherwise.
Values may be proportions (0-1) or percentages (0-100); anything else is refused
with the column named.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Final

import pandas as pd

from upstream.survey.errors import SurveyConfigError, SurveyFormatError
from upstream.survey.measures import OTHER, clean_header, match_measure
from upstream.survey.orgnames import OrganisationMatcher, OrgMatch, aggregate_names
from upstream.survey.panel import SurveyPanel, empty_scores, measures_table
from upstream.survey.tables import HEADER_SCAN_ROWS, parse_value, read_grids, text_of, to_rows

NUMERIC_SHARE: Final = 0.5


def _find_header(rows: list[list[Any]], wanted: list[str]) -> int | None:
    lowered = [w.lower() for w in wanted]
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        cells = {clean_header(text_of(v)).lower() for v in row}
        if all(w in cells for w in lowered):
            return index
    return None


def _column(header: list[str], name: str) -> int:
    lowered = [h.lower() for h in header]
    return lowered.index(clean_header(name).lower())


def import_wide(
    path: Path,
    *,
    org_column: str,
    year_column: str | None = None,
    year: int | None = None,
    respondents_column: str | None = None,
    sheet: str | None = None,
    mapping: Iterable[OrgMatch] = (),
    known: Iterable[str] = (),
) -> SurveyPanel:
    """Read a wide table into a panel.

    Args:
        path: CSV, XLSX or ODS file.
        org_column: Column naming the organisation.
        year_column: Column holding the year (or give ``year`` for every row).
        year: The year of every row when there is no year column.
        respondents_column: Column of respondents (or headcount), used as weights.
        sheet: Spreadsheet sheet (default: the first holding ``org_column``).
        mapping: Reviewed organisation mapping rows.
        known: Canonical organisation names already stored.

    Returns:
        The panel; rows with a bad year or no organisation are listed in ``notes``.

    Raises:
        SurveyConfigError: If a named column is missing or no year is available.
        SurveyFormatError: If no measure column holds numbers on a 0-1 or 0-100 scale.
    """
    if year_column is None and year is None:
        raise SurveyConfigError("give --year-column, or --year when every row is the same year")
    wanted = [c for c in (org_column, year_column, respondents_column) if c]
    grids = read_grids(path)
    if sheet is not None and sheet not in grids:
        raise SurveyConfigError(f"{path}: no sheet {sheet!r}; sheets: {', '.join(grids)}")
    found: tuple[str, list[list[Any]], int] | None = None
    for name, grid in grids.items():
        if sheet is not None and name != sheet:
            continue
        rows = to_rows(grid)
        header_row = _find_header(rows, wanted)
        if header_row is not None:
            found = (name, rows, header_row)
            break
    if found is None:
        first = to_rows(next(iter(grids.values())))
        seen = [clean_header(text_of(v)) for v in (first[0] if first else []) if text_of(v)]
        raise SurveyConfigError(
            f"{path}: no header row has all of {', '.join(repr(w) for w in wanted)}; "
            f"the first row holds {seen[:20]}"
        )
    sheet_name, rows, header_row = found
    header = [clean_header(text_of(v)) for v in rows[header_row]]
    body = rows[header_row + 1 :]
    org_j = _column(header, org_column)
    year_j = _column(header, year_column) if year_column else None
    resp_j = _column(header, respondents_column) if respondents_column else None
    value_columns = _value_columns(header, body, {org_j, year_j, resp_j})
    if not value_columns:
        raise SurveyFormatError(path, f"no numeric measure columns besides {', '.join(wanted)}")
    notes: list[str] = []
    records: list[tuple[str, int, str, float, int | None]] = []
    measure_rows: list[tuple[str, str, str]] = []
    ids: dict[int, str] = {}
    for j in value_columns:
        match = match_measure(header[j])
        ids[j] = match.measure if match else header[j]
        measure_rows.append((ids[j], header[j], match.kind if match else OTHER))
    divide = _scale(path, header, body, value_columns)
    for line, row in enumerate(body, start=header_row + 2):
        name = clean_header(text_of(row[org_j]))
        row_year = _year(row[year_j]) if year_j is not None else year
        if not name or row_year is None:
            notes.append(f"{path.name} row {line}: skipped (no organisation or year)")
            continue
        respondents = parse_value(row[resp_j])[0] if resp_j is not None else None
        for j in value_columns:
            value = parse_value(row[j])[0]
            if value is not None:
                weight = int(respondents) if respondents is not None else None
                records.append((name, row_year, ids[j], value / divide[j], weight))
    return _panel(path, sheet_name, records, measure_rows, notes, mapping, known)


def _value_columns(header: list[str], body: list[list[Any]], taken: set[int | None]) -> list[int]:
    columns = []
    for j, name in enumerate(header):
        if j in taken or not name:
            continue
        cells = [text_of(r[j]) for r in body if text_of(r[j])]
        numbers = [c for c in cells if parse_value(c)[0] is not None]
        if cells and len(numbers) >= NUMERIC_SHARE * len(cells):
            columns.append(j)
    return columns


def _scale(
    path: Path, header: list[str], body: list[list[Any]], columns: list[int]
) -> dict[int, float]:
    divide: dict[int, float] = {}
    for j in columns:
        parsed = [parse_value(r[j]) for r in body]
        values = [v for v, _ in parsed if v is not None]
        top = max(values, default=0.0)
        if any(p for _, p in parsed) or 1.0 < top <= 100.0:
            divide[j] = 100.0
        elif top <= 1.0 and min(values, default=0.0) >= 0.0:
            divide[j] = 1.0
        else:
            raise SurveyFormatError(
                path,
                f"column {header[j]!r} holds values up to {top:g}: survey scores must be "
                "proportions (0-1) or percentages (0-100)",
            )
    return divide


def _year(value: Any) -> int | None:
    number = parse_value(value)[0]
    if number is None or not number.is_integer() or not 1900 <= number <= 2200:
        return None
    return int(number)


def _panel(
    path: Path,
    sheet: str,
    records: list[tuple[str, int, str, float, int | None]],
    measure_rows: list[tuple[str, str, str]],
    notes: list[str],
    mapping: Iterable[OrgMatch],
    known: Iterable[str],
) -> SurveyPanel:
    matcher = OrganisationMatcher(known, mapping)
    matches: list[OrgMatch] = []
    aggregates: set[tuple[str, int]] = set()
    by_year: dict[int, list[str]] = {}
    for name, row_year, *_ in records:
        by_year.setdefault(row_year, [])
        if name not in by_year[row_year]:
            by_year[row_year].append(name)
    for row_year in sorted(by_year, reverse=True):
        names = by_year[row_year]
        matches += matcher.match_year([(n, "") for n in names], row_year)
        aggregates |= {(n, row_year) for n in aggregate_names(names)}
    canonical = {(m.raw_name, m.year): m.canonical_name for m in matches}
    scores = pd.DataFrame(
        [
            (
                canonical[(name, y)],
                y,
                measure,
                value,
                respondents,
                name,
                path.name,
                (name, y) in aggregates,
            )
            for name, y, measure, value, respondents in records
        ],
        columns=list(empty_scores().columns),
    )
    scores = scores.drop_duplicates(subset=["raw_name", "year", "measure"], keep="first")
    scores = scores.astype(empty_scores().dtypes.to_dict()) if len(scores) else empty_scores()
    return SurveyPanel(
        scores=scores,
        measures=measures_table(measure_rows),
        mapping=matches,
        files=[{"path": str(path), "sheet": sheet, "layout": "wide"}],
        notes=notes,
    )
