"""Import measures over time (KPIs, contacts by channel, volumes, costs) and read them back.

A file is read with the same readers as evidence (CSV, TSV, XLSX, ODS). Rows
that cannot be read go to ``<file>.rejects.csv`` with their line, column and
what was expected; good rows are kept. Values are found again by organisation,
service, measure, channel, kind and date, so importing the same file twice
adds nothing, and a corrected file updates the values it changes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from upstream.evidence.errors import ImportConfigError, ImportFormatError
from upstream.evidence.readers import open_table, resolve_column
from upstream.evidence.rejects import RejectsWriter
from upstream.records.drafts import Reject
from upstream.records.measures import MeasurePoint, SaveCounts, SeriesKey, SeriesSummary
from upstream.store import Store
from upstream.store.measure_repository import MeasureStore
from upstream.workflows.benefits.measure_rows import MEASURE_COLUMNS, MeasureColumns, check_row

__all__ = [
    "MeasureImport",
    "import_measures",
    "list_series",
    "series_points",
]

_SPREADSHEETS_AND_TABLES = {".csv", ".tsv", ".xlsx", ".xlsm", ".ods", ".xls"}
_ALIASES = {"period": ("period", "date", "month"), "organisation": ("organisation", "org")}


@dataclass(frozen=True, slots=True)
class MeasureImport:
    """What an import of measures did.

    Attributes:
        path: The file.
        rows_read: Rows of data read.
        counts: Values added, updated and already stored.
        rejected: Rows that could not be read.
        rejects_path: Where those rows were written, or None when there were none.
        series: How many series the good rows belong to.
    """

    path: Path
    rows_read: int
    counts: SaveCounts
    rejected: int
    rejects_path: Path | None
    series: int


def _columns(
    available: list[str], path: Path, organisation: str | None, only: str | None
) -> MeasureColumns:
    by_field: dict[str, str | None] = {}
    for field in MEASURE_COLUMNS:
        found = None
        for name in _ALIASES.get(field, (field,)):
            found = resolve_column(name, available)
            if found:
                break
        by_field[field] = found
    needed = ["measure", "period", "value"] + ([] if organisation else ["organisation"])
    missing = [f for f in needed if by_field[f] is None]
    if missing:
        hint = (
            " (or give the organisation with --organisation)" if "organisation" in missing else ""
        )
        raise ImportConfigError(
            f"{path.name} has no column called " + ", ".join(repr(f) for f in missing) + hint,
            available=available,
        )
    return MeasureColumns(path.name, by_field, organisation, path.name, only)


def import_measures(
    store: Store,
    path: Path,
    *,
    workspace: str,
    organisation: str | None = None,
    sheet: str | None = None,
    actor: str = "command line",
    only: str | None = None,
    name: str | None = None,
) -> MeasureImport:
    """Import a file of measure values into a workspace.

    Args:
        store: The open store.
        path: A CSV, TSV, XLSX or ODS file with columns ``organisation``, ``service``,
            ``measure``, ``period`` (or ``date``), ``value`` and optionally ``unit``,
            ``channel``, ``kind`` (baseline, target or actual; actual when blank) and
            ``change`` (a change made to the service on that date).
        workspace: The workspace (created if new).
        organisation: The organisation of every row, when the file has no such column.
        sheet: The sheet of a spreadsheet to read.
        actor: Who is importing, for the audit log.
        only: Reject rows of any other organisation than this one (for people who
            act for their own organisation alone).
        name: The file's name as the person knows it (an upload's), for rejects.

    Returns:
        Counts of what was read, added, updated and rejected.

    Raises:
        ImportFormatError: The file is missing, unreadable or of another type.
        ImportConfigError: A needed column is missing.
    """
    path = Path(path)
    if path.suffix.lower() not in _SPREADSHEETS_AND_TABLES:
        raise ImportFormatError(path, "measures are read from CSV, TSV, XLSX or ODS files")
    reader = open_table(path, sheet=sheet)
    columns = _columns(reader.columns, path, organisation, only)
    if name:
        columns = replace(columns, file=name, source=name)
    points: dict[tuple[SeriesKey, str, object], MeasurePoint] = {}
    rows_read = 0
    rejects = RejectsWriter(path)
    try:
        with rejects:
            for row in reader.rows():
                rows_read += 1
                result = row if isinstance(row, Reject) else check_row(row, columns)
                if isinstance(result, Reject):
                    rejects.write(result)
                    continue
                # A later row for the same key wins, as it would in the sheet.
                points[(result.series, result.kind, result.period)] = result
            counts = MeasureStore(store.workspace(workspace, create=True)).save_points(
                list(points.values()), actor=actor
            )
    except BaseException:
        rejects.discard()
        raise
    return MeasureImport(
        path=path,
        rows_read=rows_read,
        counts=counts,
        rejected=rejects.count,
        rejects_path=rejects.path if rejects.count else None,
        series=len({key for key, _, _ in points}),
    )


def list_series(
    store: Store, workspace: str, organisation_ids: list[int] | None = None
) -> list[SeriesSummary]:
    """The series stored in a workspace (only these organisations' when given)."""
    return MeasureStore(store.workspace(workspace)).series(organisation_ids)


def series_points(store: Store, workspace: str, series: SeriesKey) -> list[MeasurePoint]:
    """The values of one series, oldest first."""
    return MeasureStore(store.workspace(workspace)).points(series)
