"""Import any wide table of organisations × years × measures into a survey panel.

One row per organisation and year, one column per measure. Column names become
measure ids, harmonised to the stable ids of :mod:`upstream.survey.measures`
where recognised (so ``"Employee engagement index"`` becomes ``EES``) and kept as
given otherwise. Every numeric column is a measure on its own scale, detected
from its name and values (:func:`detect_scale`) and open to override:
proportions (0-1) and percentages (0-100, stored as 0-1), scores out of ten,
indices (any other number, such as a ratio around 1.0) and counts. A column of
respondents (``Responses``, ``n``, ``Respondents``...) also weights aggregates.
No column is a reason to refuse the file.
"""

from __future__ import annotations

import re
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
PROPORTION: Final = "0-1"
PERCENTAGE: Final = "0-100"
OUT_OF_TEN: Final = "0-10"
INDEX: Final = "index"
COUNT: Final = "count"
SCALE_NAMES: Final[dict[str, str]] = {
    PROPORTION: "proportion (0-1)",
    PERCENTAGE: "percentage (0-100, stored as 0-1)",
    OUT_OF_TEN: "score out of 10",
    INDEX: "index",
    COUNT: "count",
}
_SCALE_WORDS: Final[dict[str, str]] = {
    "proportion": PROPORTION,
    "0-1": PROPORTION,
    "share": PROPORTION,
    "percentage": PERCENTAGE,
    "percent": PERCENTAGE,
    "0-100": PERCENTAGE,
    "%": PERCENTAGE,
    "0-10": OUT_OF_TEN,
    "ten": OUT_OF_TEN,
    "index": INDEX,
    "number": INDEX,
    "count": COUNT,
}
_RESPONDENTS: Final = re.compile(
    r"^(?:number of |no\.? of |n )?(?:responses?|respondents?|n|count|headcount|sample(?: size)?)$",
    re.I,
)
_COUNT_NAME: Final = re.compile(r"\b(?:count|number of|headcount|staff in post|total)\b", re.I)
_RATIO_BAND: Final = (0.2, 5.0)


def scale_name(scale: str) -> str:
    """A scale in plain English, e.g. ``"score out of 10"``."""
    return SCALE_NAMES.get(scale, scale)


def parse_scales(pairs: Iterable[str]) -> dict[str, str]:
    """Read ``Column=scale`` overrides (``Responses=count``, ``Engagement=0-10``).

    Raises:
        SurveyConfigError: If a pair has no ``=`` or names an unknown scale.
    """
    scales: dict[str, str] = {}
    for pair in pairs:
        column, sep, word = pair.rpartition("=")
        scale = _SCALE_WORDS.get(word.strip().lower())
        if not sep or not column.strip() or scale is None:
            raise SurveyConfigError(
                f"cannot read the scale {pair!r}: write COLUMN=SCALE, where SCALE is one of "
                + ", ".join(sorted(_SCALE_WORDS))
            )
        scales[clean_header(column).lower()] = scale
    return scales


def detect_scale(name: str, values: list[float], percent_signs: bool) -> str:
    """The scale of a numeric column, from its name and its values.

    Values with ``%`` or up to 100 are percentages, whole numbers past 100 (or a
    name such as ``Responses``) are counts, values near 1.0 either side are an
    index (a ratio such as a mortality index), values up to 10 are a score out of
    ten, and anything else (negative values, say) is an index.
    """
    if percent_signs:
        return PERCENTAGE
    if not values:
        return PROPORTION
    low, top = min(values), max(values)
    whole = all(float(v).is_integer() for v in values)
    if re.search(r"%|percent|\bpct\b", name):
        return PERCENTAGE
    if _RESPONDENTS.match(name) or (_COUNT_NAME.search(name) and whole and low >= 0):
        return COUNT
    if low >= 0 and top <= 1.0:
        return PROPORTION
    if low < 0:
        return INDEX
    if _RATIO_BAND[0] <= low and top <= _RATIO_BAND[1] and not whole:
        return INDEX
    if top <= 10.0 and not whole:
        return OUT_OF_TEN
    if top <= 100.0:
        return PERCENTAGE
    return COUNT if whole else INDEX


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
    scales: dict[str, str] | None = None,
) -> SurveyPanel:
    """Read a wide table into a panel.

    Args:
        path: CSV, XLSX or ODS file.
        org_column: Column naming the organisation.
        year_column: Column holding the year (or give ``year`` for every row).
        year: The year of every row when there is no year column.
        respondents_column: Column of respondents (or headcount), used as weights
            (default: a column named like ``Responses``, ``Respondents`` or ``n``).
        sheet: Spreadsheet sheet (default: the first holding ``org_column``).
        mapping: Reviewed organisation mapping rows.
        known: Canonical organisation names already stored.
        scales: Scale per column name (lower-cased), overriding detection
            (see :func:`parse_scales`).

    Returns:
        The panel, with each measure's scale; the scales and rows skipped for a bad
        year or no organisation are listed in ``notes``.

    Raises:
        SurveyConfigError: If a named column is missing or no year is available.
        SurveyFormatError: If there is no numeric column besides the named ones.
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
    if respondents_column:
        resp_j: int | None = _column(header, respondents_column)
    else:
        resp_j = next((j for j, h in enumerate(header) if _RESPONDENTS.match(h)), None)
    # A respondents column named by the user only weights; one found by its name is
    # also kept as a count measure, since nobody said it was anything else.
    value_columns = _value_columns(
        header,
        body,
        {org_j, year_j, _column(header, respondents_column) if respondents_column else None},
    )
    if not value_columns:
        raise SurveyFormatError(path, f"no numeric measure columns besides {', '.join(wanted)}")
    notes: list[str] = []
    records: list[tuple[str, int, str, float, int | None]] = []
    measure_rows: list[tuple[str, str, str]] = []
    ids: dict[int, str] = {}
    column_scales = _scales(header, body, value_columns, scales or {})
    if resp_j is not None:
        column_scales[resp_j] = COUNT
    panel_scales: dict[str, str] = {}
    for j in value_columns:
        match = match_measure(header[j]) if column_scales[j] in (PROPORTION, PERCENTAGE) else None
        ids[j] = match.measure if match else header[j]
        measure_rows.append((ids[j], header[j], match.kind if match else OTHER))
        panel_scales[ids[j]] = PROPORTION if column_scales[j] == PERCENTAGE else column_scales[j]
    notes.append(
        f"{path.name}: each column is a measure on its own scale: "
        + "; ".join(f"{header[j]}: {scale_name(column_scales[j])}" for j in value_columns)
        + (
            f". {header[resp_j]} counts respondents and weights aggregates"
            if resp_j is not None
            else ""
        )
        + ". Give --scale COLUMN=SCALE to correct a scale."
    )
    for line, row in enumerate(body, start=header_row + 2):
        name = clean_header(text_of(row[org_j]))
        row_year = _year(row[year_j]) if year_j is not None else year
        if not name or row_year is None:
            notes.append(f"{path.name} row {line}: skipped (no organisation or year)")
            continue
        respondents = parse_value(row[resp_j])[0] if resp_j is not None else None
        weight = int(respondents) if respondents is not None else None
        for j in value_columns:
            value = parse_value(row[j])[0]
            if value is not None:
                divide = 100.0 if column_scales[j] == PERCENTAGE else 1.0
                records.append((name, row_year, ids[j], value / divide, weight))
    panel = _panel(path, sheet_name, records, measure_rows, notes, mapping, known)
    panel.scales = panel_scales
    return panel


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


def _scales(
    header: list[str], body: list[list[Any]], columns: list[int], overrides: dict[str, str]
) -> dict[int, str]:
    scales: dict[int, str] = {}
    for j in columns:
        given = overrides.get(header[j].lower())
        if given is not None:
            scales[j] = given
            continue
        parsed = [parse_value(r[j]) for r in body]
        values = [v for v, _ in parsed if v is not None]
        scales[j] = detect_scale(header[j], values, any(p for _, p in parsed))
    return scales


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
