"""Read published score tables whatever their layout: CSV, XLSX or ODS; any header row.

A published table of organisation scores may start with title rows, spread its
header over two or three rows (a theme name above each question code), put
organisations in rows or in columns, and give scores as ``0.58``, ``58`` or
``"58%"``. :func:`read_score_tables` finds the header row by counting cells that
are recognisable survey measures, turns the table round when the measures run
down the first column, and reports what it decided (``ScoreTable.detected``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import pandas as pd

from upstream.evidence.detect import detect_encoding, read_sample, sniff_delimiter
from upstream.survey.errors import SurveyFormatError
from upstream.survey.measures import (
    OTHER,
    MeasureMatch,
    clean_header,
    match_measure,
    normalise_text,
    split_code,
)

SPREADSHEETS: Final = (".xlsx", ".xlsm", ".xls", ".ods")
HEADER_SCAN_ROWS: Final = 40
MIN_MEASURES: Final = 3
PERCENT_SHARE: Final = 0.2
_YEAR: Final = re.compile(r"\b(?:19|20)\d{2}\b")
_ORG_HEADER: Final = re.compile(
    r"^(?:organi[sz]ation|org|department|body|council|employer)(?: name)?$", re.I
)
_CODE_HEADER: Final = re.compile(r"^organi[sz]ation[ _]?code$|^org[ _]?code$|^code$", re.I)
_GROUP_HEADER: Final = re.compile(r"^depart(?:ment(?:al)?)?[ _]?group(?:ing)?$", re.I)
_MISSING: Final = re.compile(
    r"^(?:|\.|-|–|\*|x|n/?a|nan|none|n\s*<\s*\d+|suppressed.*|\[.*\])$", re.I
)
_QUESTION_NUMBER: Final = re.compile(r"question\s*(?:number|code|no)|^item(?: name)?$|^code$", re.I)
_QUESTION_TEXT: Final = re.compile(
    r"question\s*(?:text|wording)|^text$|^description$|^wording$", re.I
)
_SHORTHAND: Final = re.compile(r"^\[\s*([a-z]{1,5})\s*\]$", re.I)
_BARE_CODE: Final = re.compile(r"^[A-Za-z][A-Za-z0-9_]{1,24}$")
_NOTES_HEADER: Final = re.compile(r"^notes?\b|\bnotes?$", re.I)
_COUNT_HEADER: Final = re.compile(
    r"^(?:number of )?(?:responses?|respondents?|n|count|headcount|sample size)$", re.I
)
OWN_NUMERIC_SHARE: Final = 0.5
_FIGURE: Final = re.compile(r"figure|score shown|^measure$", re.I)

Rows = list[list[Any]]


@dataclass
class ScoreTable:
    """One table of organisation scores read from a file.

    Attributes:
        path: The file.
        sheet: The sheet name (``""`` for CSV).
        organisations: Raw organisation name per row.
        codes: Organisation code per row (``""`` when none).
        groups: Departmental group per row (``""`` when none).
        measures: One match per recognised measure column.
        values: Scores on 0-1 (None when missing or suppressed), one list per row.
        ignored: Headers of columns that are neither organisation nor measure.
        detected: What was decided: header row, orientation, scale.
        missing: Count of cells per bracketed shorthand (``"c"`` for ``[c]``...).
        respondents: Respondents per row, when the table has a column of them.
        scales: Scale of each measure not on 0-1 (``"0-10"``), by measure id.
    """

    path: Path
    sheet: str
    organisations: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    groups: list[str] = field(default_factory=list)
    measures: list[MeasureMatch] = field(default_factory=list)
    values: list[list[float | None]] = field(default_factory=list)
    respondents: list[int | None] = field(default_factory=list)
    scales: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    detected: dict[str, Any] = field(default_factory=dict)
    missing: dict[str, int] = field(default_factory=dict)


@dataclass
class FileScores:
    """Everything read from one file: its score tables, question texts and notes.

    ``published`` holds figures of published summary tables (e.g. the median
    benchmark of an official workbook) as ``(year, name, measure, value)``.
    """

    path: Path
    tables: list[ScoreTable]
    texts: dict[str, str]
    notes: list[str]
    published: list[tuple[int | None, str, str, float]] = field(default_factory=list)


def read_grids(path: Path) -> dict[str, pd.DataFrame]:
    """Read every sheet of ``path`` as a grid of cells with no header assumed.

    Raises:
        SurveyFormatError: If the file type is not supported or cannot be read.
    """
    suffix = path.suffix.lower()
    try:
        if suffix in SPREADSHEETS:
            sheets = pd.read_excel(path, sheet_name=None, header=None, engine="calamine")
            return {str(name): grid for name, grid in sheets.items()}
        if suffix in {".csv", ".tsv", ".txt"}:
            encoding = detect_encoding(path)
            delimiter = sniff_delimiter(read_sample(path, encoding), suffix=suffix)
            grid = pd.read_csv(
                path,
                header=None,
                dtype=str,
                keep_default_na=False,
                encoding=encoding,
                sep=delimiter,
                engine="python",
            )
            return {"": grid}
    except (ValueError, OSError, UnicodeError) as exc:
        raise SurveyFormatError(path, f"could not be read ({exc})") from exc
    except Exception as exc:  # calamine and odf raise their own error types
        raise SurveyFormatError(path, f"could not be read as a spreadsheet ({exc})") from exc
    raise SurveyFormatError(path, f"unsupported file type {suffix!r}: use CSV, XLSX or ODS")


def text_of(value: Any) -> str:
    """A cell as trimmed text (``""`` for empty; whole floats without ``.0``)."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def parse_value(value: Any) -> tuple[float | None, bool]:
    """Parse one published cell into a number.

    Returns:
        The number (None when missing or suppressed) and whether it carried a ``%`` sign.
    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (None, False) if value != value else (float(value), False)
    text = text_of(value).replace(",", "")
    if _MISSING.match(text):
        return None, False
    percent = text.endswith("%")
    try:
        return float(text.rstrip("%").strip()), percent
    except ValueError:
        return None, False


def shorthand(value: Any) -> str | None:
    """The bracketed shorthand of a cell (``"c"`` for ``"[c]"``), lower-cased, or None."""
    found = _SHORTHAND.match(text_of(value))
    return found[1].lower() if found else None


def to_rows(grid: pd.DataFrame) -> Rows:
    """The grid as lists of cells, without wholly empty rows and columns."""
    rows = [list(r) for r in grid.itertuples(index=False, name=None)]
    rows = [r for r in rows if any(text_of(v) for v in r)]
    if not rows:
        return []
    width = max(len(r) for r in rows)
    rows = [r + [None] * (width - len(r)) for r in rows]
    keep = [j for j in range(width) if any(text_of(r[j]) for r in rows)]
    return [[r[j] for j in keep] for r in rows]


def _transpose(rows: Rows) -> Rows:
    return [list(column) for column in zip(*rows, strict=True)] if rows else []


def _match_cell(value: Any, year: int | None, texts: dict[str, str]) -> MeasureMatch | None:
    text = text_of(value)
    if not text or parse_value(value)[0] is not None:
        return None
    code, _rest = split_code(text)
    return match_measure(text, year=year, text=texts.get(code, "") if code else "")


def best_header(rows: Rows, year: int | None) -> tuple[int, int]:
    """Return (row index, measure columns) of the best header row.

    A header may span two or three rows (a theme name above its question codes),
    so each row is scored by the columns holding a measure in it or the two rows
    above; the first row with the highest score wins.
    """
    found = [[_match_cell(v, year, {}) is not None for v in row] for row in rows[:HEADER_SCAN_ROWS]]
    best, best_count = -1, 0
    for index, row in enumerate(found):
        if not any(row):
            continue
        window = found[max(0, index - 2) : index + 1]
        count = sum(any(column) for column in zip(*window, strict=True))
        if count > best_count:
            best, best_count = index, count
    return best, best_count


def question_texts(grid: pd.DataFrame) -> dict[str, str] | None:
    """Read a metadata sheet (question number, question text) into code → text.

    Returns None when the grid is not such a sheet. The "figure shown" column, when
    present, is appended in brackets (it tells ``% rating 0-3`` from ``% rating 6-10``).
    """
    rows = to_rows(grid)
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        cells = [text_of(v) for v in row]
        number_col = next((j for j, t in enumerate(cells) if _QUESTION_NUMBER.search(t)), None)
        text_col = next((j for j, t in enumerate(cells) if _QUESTION_TEXT.search(t)), None)
        if number_col is None or text_col is None or number_col == text_col:
            continue
        figure_col = next((j for j, t in enumerate(cells) if _FIGURE.search(t)), None)
        texts: dict[str, str] = {}
        for data in rows[index + 1 :]:
            raw = clean_header(text_of(data[number_col]))
            code = split_code(raw)[0] or (raw.upper() if _BARE_CODE.match(raw) else "")
            text = clean_header(text_of(data[text_col]))
            if code and text:
                figure = text_of(data[figure_col]) if figure_col is not None else ""
                texts[code] = f"{text} ({figure})" if figure else text
        return texts
    return None


def _header_block(rows: Rows, header: int) -> list[list[str]]:
    """Header cells of each column: the header row and up to three non-blank rows above."""
    top = header
    while top > 0 and header - top < 3 and any(text_of(v) for v in rows[top - 1]):
        top -= 1
    return [[text_of(rows[r][j]) for r in range(top, header + 1)] for j in range(len(rows[0]))]


def _find_role(cells: list[list[str]], pattern: re.Pattern[str]) -> int | None:
    for j, column in enumerate(cells):
        if any(pattern.match(clean_header(t)) for t in column if t):
            return j
    return None


def _guess_org_column(rows: Rows, header: int, taken: set[int]) -> int | None:
    body = rows[header + 1 :]
    for j in range(len(rows[0])):
        if j in taken:
            continue
        texts = [text_of(r[j]) for r in body]
        words = [t for t in texts if t and parse_value(t)[0] is None]
        if len(words) >= max(3, len(texts) // 2) and len(set(words)) > len(words) * 0.8:
            return j
    return None


def parse_grid(
    grid: pd.DataFrame,
    *,
    path: Path,
    sheet: str = "",
    year: int | None = None,
    texts: dict[str, str] | None = None,
    notes: list[str] | None = None,
) -> ScoreTable | None:
    """Turn one sheet's grid into a :class:`ScoreTable`, or None if it holds no scores.

    A sheet whose title is about another year than ``year`` (an annex of last
    year's figures, say) is skipped with a note rather than mixed into this year.

    Raises:
        SurveyFormatError: If measures were found but no organisation column.
    """
    texts = texts or {}
    rows = to_rows(grid)
    if not rows:
        return None
    header, by_rows = best_header(rows, year)
    _, by_columns = best_header(_transpose(rows), year)
    orientation = "organisations in rows"
    if by_columns > by_rows:
        rows = _transpose(rows)
        header, by_rows = best_header(rows, year)
        orientation = "organisations in columns"
    if by_rows < MIN_MEASURES:
        return None
    title = " ".join(text_of(v) for row in rows[:header] for v in row)
    years = [int(y) for y in _YEAR.findall(title)]
    if year is not None and years and years[0] != year:
        if notes is not None:
            notes.append(f"skipped sheet {sheet!r}: its title is about {years[0]}, not {year}")
        return None
    return table_at(
        rows, header, path=path, sheet=sheet, year=year, texts=texts, orientation=orientation
    )


def _numeric_column(body: Rows, j: int) -> bool:
    cells = [v for v in (r[j] for r in body) if text_of(v) and shorthand(v) is None]
    numbers = sum(parse_value(v)[0] is not None for v in cells)
    return bool(cells) and numbers >= OWN_NUMERIC_SHARE * len(cells)


def own_measure(header: str, *, year: int | None, texts: dict[str, str]) -> MeasureMatch:
    """A measure for a column no rule recognises: by its annex wording, else its own id.

    An official workbook's annex gives the wording of each code; a code such as
    ``wb_perma`` whose wording names a known index or question becomes that stable
    measure, and any other new measure keeps the published code as its id.
    """
    cleaned = clean_header(header)
    text = texts.get(cleaned.upper(), "")
    if text:
        found = match_measure(text, year=year)
        if found is not None:
            return MeasureMatch(found.measure, found.kind, cleaned, text, "annex wording")
    key = re.sub(r"[^A-Z0-9]+", "_", normalise_text(cleaned).upper()).strip("_") or "MEASURE"
    return MeasureMatch(key, OTHER, cleaned, text or cleaned, "new measure")


def table_at(
    rows: Rows,
    header: int,
    *,
    path: Path,
    sheet: str = "",
    year: int | None = None,
    texts: dict[str, str] | None = None,
    orientation: str = "organisations in rows",
    own_measures: bool = False,
) -> ScoreTable | None:
    """Read the table whose header is row ``header`` of ``rows`` (organisations in rows).

    Args:
        rows: The sheet's cells.
        header: Index of the header row.
        path: The file (for messages).
        sheet: The sheet name.
        year: Survey year (renumbers question codes of older questionnaires).
        texts: Question code → text from a metadata sheet.
        orientation: How the table was laid out, for the summary.
        own_measures: Keep numeric columns no rule recognises as measures of their own
            (official workbooks), rather than ignoring them.

    Raises:
        SurveyFormatError: If measures were found but no organisation column.
    """
    texts = texts or {}
    cells = _header_block(rows, header)
    roles = {
        "organisation": _find_role(cells, _ORG_HEADER),
        "code": _find_role(cells, _CODE_HEADER),
        "group": _find_role(cells, _GROUP_HEADER),
        "respondents": _find_role(cells, _COUNT_HEADER) if own_measures else None,
    }
    body = rows[header + 1 :]
    measures: dict[int, MeasureMatch] = {}
    ignored: list[str] = []
    for j, column in enumerate(cells):
        if j in roles.values():
            continue
        # The lowest header cell is the most specific (a code under its theme name).
        match = next(
            (m for m in (_match_cell(t, year, texts) for t in reversed(column) if t) if m), None
        )
        last = next((t for t in reversed(column) if t), "")
        skip = _NOTES_HEADER.search(last) or _COUNT_HEADER.match(clean_header(last))
        if match is None and own_measures and last and not skip and _numeric_column(body, j):
            match = own_measure(last, year=year, texts=texts)
        if match is not None:
            measures[j] = match
        elif any(column):
            ignored.append(" / ".join(t for t in column if t))
    if roles["organisation"] is None:
        roles["organisation"] = _guess_org_column(rows, header, set(measures))
    if roles["organisation"] is None:
        found = ", ".join(repr(" ".join(c).strip()) for c in cells if any(c))[:400]
        raise SurveyFormatError(
            path,
            f"sheet {sheet or '(csv)'}: found {len(measures)} survey measures in row "
            f"{header + 1} but no organisation column (expected a header such as "
            f"'Organisation'); header cells: {found}",
        )
    table = _read_rows(body, ScoreTable(path, sheet), roles, measures)
    if own_measures:
        _keep_out_of_ten(table)
    table.ignored = ignored
    table.detected.update(sheet=sheet, header_row=header + 1, orientation=orientation)
    return table if table.detected["values"] else None


def _keep_out_of_ten(table: ScoreTable) -> None:
    """Give a column of scores out of ten, in a table of percentages, its own scale.

    A new measure such as a mean life-satisfaction score (0-10) can sit among
    percentages; it keeps its values and becomes a measure of its own, so it never
    mixes with a 0-1 measure of the same name from other years.
    """
    if not table.detected.get("scale", "").startswith("percentages"):
        return
    for j, match in enumerate(table.measures):
        raw = [v * 100 for v in (row[j] for row in table.values) if v is not None]
        if not raw or max(raw) > 10 or all(abs(v - round(v)) < 1e-9 for v in raw):
            continue
        key = re.sub(r"[^A-Z0-9]+", "_", normalise_text(match.code or match.label).upper())
        table.measures[j] = MeasureMatch(
            key.strip("_"), OTHER, match.code, match.label, "new measure"
        )
        table.scales[table.measures[j].measure] = "0-10"
        for row in table.values:
            value = row[j]
            if value is not None:
                row[j] = round(value * 100, 10)


def _read_rows(
    body: Rows,
    table: ScoreTable,
    roles: dict[str, int | None],
    measures: dict[int, MeasureMatch],
) -> ScoreTable:
    org_col = roles["organisation"]
    assert org_col is not None  # checked by the caller
    code_col, group_col, count_col = roles["code"], roles["group"], roles["respondents"]
    table.measures = list(measures.values())
    group = ""
    percent_cells = numbers = over_one = 0
    missing: dict[str, int] = {}
    for row in body:
        name = clean_header(text_of(row[org_col]))
        parsed = [parse_value(row[j]) for j in measures]
        if not name:
            continue
        if all(v is None for v, _ in parsed):
            group = name  # a departmental group heading with no scores of its own
            continue
        for j in measures:
            mark = shorthand(row[j])
            if mark is not None:
                missing[mark] = missing.get(mark, 0) + 1
        percent_cells += sum(p for _, p in parsed)
        numbers += sum(v is not None for v, _ in parsed)
        over_one += sum(v is not None and v > 1.5 for v, _ in parsed)
        table.organisations.append(name)
        table.codes.append(text_of(row[code_col]) if code_col is not None else "")
        table.groups.append(text_of(row[group_col]) if group_col is not None else group)
        count = parse_value(row[count_col])[0] if count_col is not None else None
        table.respondents.append(int(count) if count is not None else None)
        table.values.append([v for v, _ in parsed])
    # Proportions never exceed 1, bar the odd response rate over 100%.
    percent = percent_cells > 0 or over_one > PERCENT_SHARE * max(numbers, 1)
    if percent:
        table.values = [[None if v is None else v / 100 for v in row] for row in table.values]
    table.missing = missing
    table.detected = {
        "scale": "percentages (0-100)" if percent else "proportions (0-1)",
        "measures": len(measures),
        "organisations": len(table.organisations),
        "values": numbers,
    }
    return table


def question_texts_in(path: Path) -> dict[str, str]:
    """Question code → text from every metadata sheet of a workbook (empty for CSV)."""
    if path.suffix.lower() not in SPREADSHEETS:
        return {}
    texts: dict[str, str] = {}
    for grid in read_grids(path).values():
        texts.update(question_texts(grid) or {})
    return texts


def read_score_tables(
    path: Path,
    *,
    year: int | None = None,
    texts: dict[str, str] | None = None,
    grids: dict[str, pd.DataFrame] | None = None,
) -> FileScores:
    """Read every table of organisation scores in ``path``.

    Args:
        path: A CSV, XLSX or ODS file.
        year: Survey year (renumbers question codes of older questionnaires).
        texts: Question code → text from a metadata sheet elsewhere.
        grids: The file's sheets when already read.

    Returns:
        The tables found (one per sheet that holds scores), with notes.

    Raises:
        SurveyFormatError: If no sheet holds a recognisable table of scores.
    """
    grids = grids if grids is not None else read_grids(path)
    known = dict(texts or {})
    metadata = {sheet: question_texts(grid) for sheet, grid in grids.items()}
    for found in metadata.values():
        known.update(found or {})
    tables: list[ScoreTable] = []
    notes: list[str] = []
    for sheet, grid in grids.items():
        if metadata[sheet] is not None:
            continue
        table = parse_grid(grid, path=path, sheet=sheet, year=year, texts=known, notes=notes)
        if table is not None:
            tables.append(table)
    if not tables:
        first = to_rows(next(iter(grids.values()), pd.DataFrame()))
        seen = [text_of(v) for row in first[:3] for v in row if text_of(v)][:12]
        raise SurveyFormatError(
            path,
            f"no table of survey scores recognised in sheets {list(grids)}: no header row "
            f"has {MIN_MEASURES}+ measures such as 'B01', 'Employee engagement index' or "
            f"'My work theme score'; the first cells are {seen}",
        )
    return FileScores(path, tables, known, notes)


def detected_summary(tables: Sequence[ScoreTable]) -> str:
    """One line per table: what the reader decided, in plain English."""
    return "; ".join(
        f"{t.sheet or 'CSV'}: header row {t.detected['header_row']}, "
        f"{t.detected['orientation']}, {t.detected['scale']}, "
        f"{t.detected['measures']} measures × {t.detected['organisations']} organisations"
        for t in tables
    )


def read_table(path: Path, *, sheet: str | None = None) -> pd.DataFrame:
    """Read a plain table whose first non-empty row is the header (respondent files).

    Raises:
        SurveyFormatError: If the file is empty or the sheet does not exist.
    """
    grids = read_grids(path)
    if sheet is not None and sheet not in grids:
        raise SurveyFormatError(path, f"no sheet {sheet!r}; sheets: {', '.join(grids)}")
    rows = to_rows(grids[sheet] if sheet is not None else next(iter(grids.values())))
    if len(rows) < 2:
        raise SurveyFormatError(path, "no rows of data under a header row")
    header = [clean_header(text_of(v)) or f"column_{j + 1}" for j, v in enumerate(rows[0])]
    body = [[None if text_of(v) == "" else v for v in row] for row in rows[1:]]
    return pd.DataFrame(body, columns=header)
