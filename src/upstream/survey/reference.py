"""Check computed benchmarks against a published benchmark table.

A published series such as the Civil Service People Survey "median benchmark
scores 2009 to 2020" lists one row per measure and one column per year, rounded
to two decimals. :func:`compare_with_published` lines our medians up with it and
calls a value a match when it is within half a unit of the published rounding.
Differences with a known cause are listed in :data:`CSPS_KNOWN_DIFFERENCES`, each
with the reason, so a report can show every published figure as matched,
explained or unexplained.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pandas as pd

from upstream.survey.errors import SurveyFormatError
from upstream.survey.measures import canonical_code
from upstream.survey.tables import read_grids

_YEAR_COLUMN: Final = re.compile(r"^(?:19|20)\d{2}$")


@dataclass(frozen=True, slots=True)
class KnownDifference:
    """Published figures our medians cannot or do not reproduce, and why.

    Attributes:
        measures: Regular expression matched against the whole stable measure id.
        years: The survey years concerned.
        cause: Plain-English reason.
    """

    measures: str
    years: tuple[int, ...]
    cause: str

    def covers(self, measure: str, year: int) -> bool:
        """Whether this entry explains ``measure`` in ``year``."""
        return year in self.years and re.fullmatch(self.measures, measure) is not None


def _years(first: int, last: int) -> tuple[int, ...]:
    return tuple(range(first, last + 1))


CSPS_KNOWN_DIFFERENCES: Final[tuple[KnownDifference, ...]] = (
    KnownDifference(
        r"C01_[1-4]",
        _years(2009, 2018),
        "Not in the organisation tables: future intentions (C01) were published per "
        "organisation only from 2019; the series gives earlier years from the microdata.",
    ),
    KnownDifference(
        r"E0[1356](?:_[A-D])?_(?:NO|PNTS)",
        _years(2009, 2020),
        "Not in the organisation tables: only the 'yes' share of yes/no questions is "
        "published per organisation.",
    ),
    KnownDifference(
        r"E02_\d+|E03A_\d+|E04_\d+",
        _years(2009, 2020),
        "Not in the organisation tables: follow-up detail asked only of people who "
        "reported discrimination or bullying (grounds, nature, source).",
    ),
    KnownDifference(
        r"HSE",
        _years(2009, 2017),
        "Not in the organisation tables: the proxy stress index was first published per "
        "organisation in 2018; earlier years are back-calculated in the series.",
    ),
    KnownDifference(
        r"PERMA",
        _years(2012, 2017),
        "Not in the organisation tables: the PERMA index was first published per "
        "organisation in 2018; earlier years are back-calculated in the series.",
    ),
    KnownDifference(
        r"J04B",
        (2019,),
        "Not in the organisation tables: the mental-health question first appears "
        "per organisation in 2020.",
    ),
    KnownDifference(
        r"W04",
        _years(2012, 2017),
        "Different measure: organisation tables gave the share rating anxiety 0-3 "
        "(imported as W04_LOW); the series gives the share rating it 6-10.",
    ),
    KnownDifference(
        r"W04",
        (2020,),
        "The 2020 organisation table's W04 column (and its own median row, 0.44) does "
        "not match the series (0.35); the two use different definitions.",
    ),
    KnownDifference(
        r"OP|RW",
        _years(2009, 2016),
        "Theme redefined in 2017 when questions were dropped; the series recalculates "
        "earlier years on the new definition, the year's own table used the old one "
        "(the median of the mean of the current items reproduces the series).",
    ),
    KnownDifference(
        r"LMC",
        (2015,),
        "Theme redefined in 2017 (a question dropped); the series recalculates 2015 on "
        "the new definition.",
    ),
    KnownDifference(
        r"LMC|B38|B51",
        (2011,),
        "The series revised these 2011 figures by one point; the 2011 table's own "
        "median row agrees with our median.",
    ),
    KnownDifference(
        r"E05",
        (2017,),
        "Small-base question (asked only of people bullied or harassed): organisations "
        "with fewer than 10 answers are suppressed in the table but count in the "
        "published median; the 2017 table's own median row shows 0.36.",
    ),
    KnownDifference(
        r"E06_[CD]",
        (2020,),
        "Small-base question (asked only of people who reported bullying): suppressed "
        "organisations count in the published median but are blank in the table.",
    ),
)
"""Every Civil Service People Survey median (2009-2020 series) we do not reproduce."""


def read_published_benchmarks(path: Path) -> pd.DataFrame:
    """Read a published benchmark series: a measure column, a label and one column per year.

    Returns:
        Long table with columns ``measure`` (stable id), ``published_id``,
        ``label``, ``year``, ``value`` and ``decimals`` (the published rounding).

    Raises:
        SurveyFormatError: If no measure column or year columns are found.
    """
    grid = next(iter(read_grids(path).values()))
    header = [str(v).strip() for v in grid.iloc[0]]
    years = [j for j, h in enumerate(header) if _YEAR_COLUMN.match(h)]
    if not years:
        raise SurveyFormatError(path, f"no year columns (such as '2019') in header {header}")
    label_col = next((j for j, h in enumerate(header) if h.lower() == "label"), None)
    rows = []
    for _, row in grid.iloc[1:].iterrows():
        published_id = str(row.iloc[0]).strip()
        if not published_id:
            continue
        label = str(row.iloc[label_col]).strip() if label_col is not None else published_id
        for j in years:
            text = str(row.iloc[j]).strip()
            try:
                value = float(text)
            except ValueError:
                continue
            decimals = len(text.split(".")[1]) if "." in text else 0
            rows.append(
                (canonical_code(published_id), published_id, label, int(header[j]), value, decimals)
            )
    return pd.DataFrame(
        rows, columns=["measure", "published_id", "label", "year", "value", "decimals"]
    )


def compare_with_published(
    computed: pd.DataFrame,
    published: pd.DataFrame,
    *,
    known: Sequence[KnownDifference] = (),
    column: str = "median",
) -> pd.DataFrame:
    """Line computed benchmarks up with published ones.

    Args:
        computed: Output of :func:`upstream.survey.benchmarks.benchmarks`.
        published: Output of :func:`read_published_benchmarks`.
        known: Differences with a known cause.
        column: Which computed statistic to compare (``median`` by default).

    Returns:
        One row per published figure: ``measure, year, published, computed,
        difference, n_orgs, status, cause``. ``status`` is ``match`` (within half a
        unit of the published rounding), ``explained`` (listed in ``known``) or
        ``unexplained``.
    """
    ours = {
        (str(row["measure"]), int(row["year"])): (float(row[column]), int(row["n_orgs"]))
        for row in computed.to_dict("records")
    }
    rows = []
    for item in published.to_dict("records"):
        measure, year = str(item["measure"]), int(item["year"])
        value, n_orgs = ours.get((measure, year), (float("nan"), 0))
        tolerance = 0.5 * 10.0 ** (-int(item["decimals"])) + 1e-9
        difference = value - float(item["value"])
        status, cause = "unexplained", ""
        if value == value and abs(difference) <= tolerance:
            status = "match"
        else:
            reason = next((k for k in known if k.covers(measure, year)), None)
            if reason is not None:
                status, cause = "explained", reason.cause
            elif value != value:
                cause = "not computed: no organisation scores for this measure and year"
        published_value = float(item["value"])
        rows.append((measure, year, published_value, value, difference, n_orgs, status, cause))
    return pd.DataFrame(
        rows,
        columns=[
            "measure",
            "year",
            "published",
            "computed",
            "difference",
            "n_orgs",
            "status",
            "cause",
        ],
    )


def match_rates(comparison: pd.DataFrame) -> dict[str, float | int]:
    """Summarise a comparison: counts per status and the match rates.

    Returns:
        ``published`` (figures), ``computable`` (figures we computed), ``matched``,
        ``explained``, ``unexplained``, ``match_rate_computable`` (matched /
        computable) and ``match_rate_all`` (matched / published).
    """
    computable = int(comparison["computed"].notna().sum())
    matched = int((comparison["status"] == "match").sum())
    total = len(comparison)
    return {
        "published": total,
        "computable": computable,
        "matched": matched,
        "explained": int((comparison["status"] == "explained").sum()),
        "unexplained": int((comparison["status"] == "unexplained").sum()),
        "match_rate_computable": matched / computable if computable else 0.0,
        "match_rate_all": matched / total if total else 0.0,
    }
