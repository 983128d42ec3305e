"""Check one row of a measures file: each column read, or a reject saying what was expected."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from upstream.evidence.validate import ACCEPTED_DATE_FORMATS, parse_date
from upstream.records.drafts import RawRow, Reject
from upstream.records.measures import MEASURE_KINDS, MeasurePoint, SeriesKey

__all__ = ["MEASURE_COLUMNS", "MeasureColumns", "check_row"]

MEASURE_COLUMNS = (
    "organisation",
    "service",
    "measure",
    "period",
    "value",
    "unit",
    "channel",
    "kind",
    "change",
)
"""The columns a measures file may have; ``measure``, ``period`` and ``value`` are needed."""

_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_NUMBER = re.compile(r"^-?(\d+|\d{1,3}(?:,\d{3})+)(\.\d+)?$")
_LIMITS = {"organisation": 300, "service": 200, "measure": 200, "channel": 100, "unit": 50}


@dataclass(frozen=True, slots=True)
class MeasureColumns:
    """Which column of the file holds each field (None when the file has no such column).

    Attributes:
        file: The file's name, for rejects.
        by_field: Field name (one of :data:`MEASURE_COLUMNS`) to the file's column.
        organisation: The organisation for rows without one.
        source: The file name stored with each value.
        only: The only organisation rows may be for (None: any), for people who
            act for their own organisation alone.
    """

    file: str
    by_field: dict[str, str | None]
    organisation: str | None
    source: str
    only: str | None = None


def _cell(values: dict[str, Any], column: str | None) -> Any:
    return None if column is None else values.get(column)


def _text(value: Any) -> str:
    return "" if value is None else str(value).replace("\x00", "").strip()


def _period(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    text = _text(value)
    month = _MONTH.match(text)
    if month:
        return date(int(month.group(1)), int(month.group(2)), 1)
    return parse_date(text)


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = _text(value).replace("£", "").replace(" ", "")
        if not _NUMBER.match(text):
            raise ValueError(text)
        number = float(text.replace(",", ""))
    if not math.isfinite(number):
        raise ValueError(value)
    return number


def check_row(row: RawRow, columns: MeasureColumns) -> MeasurePoint | Reject:
    """Read one row into a value of a series, or say which column is wrong and why.

    Args:
        row: The row as read from the file.
        columns: Where each field is.

    Returns:
        The value, or a reject naming the file, line and column and what was expected.
    """
    values = row.values
    by_field = columns.by_field

    def reject(field: str, reason: str) -> Reject:
        raw = json.dumps(values, ensure_ascii=False, default=str)
        return Reject(columns.file, row.line, by_field.get(field) or field, reason, raw)

    texts = {f: _text(_cell(values, by_field.get(f))) for f in _LIMITS}
    texts["organisation"] = texts["organisation"] or (columns.organisation or "")
    if not texts["organisation"]:
        return reject(
            "organisation", "no organisation: expected the organisation's name in this column"
        )
    if columns.only is not None and texts["organisation"] != columns.only:
        return reject(
            "organisation",
            f"another organisation: you can import measures for {columns.only} only",
        )
    if not texts["measure"]:
        return reject("measure", "no measure: expected what is measured, such as 'contacts'")
    for field, limit in _LIMITS.items():
        if len(texts[field]) > limit:
            return reject(field, f"too long: expected at most {limit} characters")
    raw_period = _cell(values, by_field.get("period"))
    try:
        period = _period(raw_period)
    except ValueError:
        period = None
    if period is None:
        return reject(
            "period",
            f"bad date: '{_text(raw_period)}' is not a date; expected a month such as 2024-04 "
            f"or a date ({ACCEPTED_DATE_FORMATS})",
        )
    raw_value = _cell(values, by_field.get("value"))
    try:
        value = _number(raw_value)
    except ValueError:
        return reject(
            "value", f"bad value: '{_text(raw_value)}' is not a number; expected e.g. 1204 or 3.5"
        )
    kind = _text(_cell(values, by_field.get("kind"))).lower() or "actual"
    if kind not in MEASURE_KINDS:
        return reject("kind", f"bad kind: '{kind}'; expected one of " + ", ".join(MEASURE_KINDS))
    return MeasurePoint(
        series=SeriesKey(
            texts["organisation"], texts["service"], texts["measure"], texts["channel"]
        ),
        kind=kind,
        period=period,
        value=value,
        unit=texts["unit"],
        change=_text(_cell(values, by_field.get("change")))[:2000],
        source=columns.source,
    )
