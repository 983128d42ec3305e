"""Import published organisation-level survey results (e.g. the Civil Service People Survey).

Give it files, a year folder, or a folder of year folders. For each year it picks
one all-organisation scores file (CSV when present, else XLSX or ODS), reads every
score table in it (:mod:`upstream.survey.tables`), takes question texts from a
metadata sheet of a sibling workbook when the chosen file gives only codes, maps
every column to a stable measure id (:mod:`upstream.survey.measures`), every
organisation name to a canonical name (:mod:`upstream.survey.orgnames`), and
returns a long :class:`~upstream.survey.panel.SurveyPanel`. Summary rows such as
the published median are kept aside in ``panel.published``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Final

import pandas as pd

from upstream.survey.accessible import missing_summary, read_workbook
from upstream.survey.errors import SurveyConfigError, SurveyFormatError
from upstream.survey.measures import THEME_LABELS
from upstream.survey.orgnames import OrganisationMatcher, OrgMatch, aggregate_names
from upstream.survey.panel import SurveyPanel, combine, empty_scores, measures_table
from upstream.survey.tables import SPREADSHEETS, FileScores, question_texts_in

DATA_SUFFIXES: Final = (".csv", *SPREADSHEETS)
_NOT_SCORES: Final = re.compile(
    r"benchmark|median|mean|lookup|licen[cs]e|readme|metadata|codebook|questionnaire", re.I
)
_SCORES_NAME: Final = re.compile(r"all.?org|organi[sz]ation|scores|results", re.I)
_YEAR: Final = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
SUMMARY_ROW: Final = re.compile(
    r"\bbenchmark\b|\bmedian\b|\bmean\b|all civil servants|^civil service(?: overall)?$"
    r"|^total$|^overall$|^all (?:organi[sz]ations|respondents|staff)$",
    re.I,
)
SUMMARY_CODE: Final = re.compile(r"^CS_|^CIVILSERVICE$", re.I)

ProgressCallback = Callable[[int, Path], None]


def year_of(path: Path) -> int | None:
    """The survey year of a file: its folder when named like ``2019``, else its name."""
    if re.fullmatch(r"(?:19|20)\d{2}", path.parent.name):
        return int(path.parent.name)
    found = _YEAR.findall(path.name) or _YEAR.findall(path.parent.name)
    return int(found[0]) if found else None


def _preference(path: Path) -> tuple[int, int, str]:
    named = 0 if _SCORES_NAME.search(path.stem) else 1
    kind = DATA_SUFFIXES.index(path.suffix.lower())
    return named, kind, path.name


def choose_files(paths: Sequence[Path], *, year: int | None = None) -> list[tuple[int, Path]]:
    """Pick one all-organisation scores file per year from files and folders.

    Args:
        paths: Files, year folders (``2019/``) or folders of year folders.
        year: The year of a single file whose name does not say.

    Returns:
        ``(year, file)`` pairs in year order.

    Raises:
        SurveyConfigError: If a year cannot be told or nothing usable was found.
    """
    by_year: dict[int, list[Path]] = {}
    for path in paths:
        if path.is_dir():
            candidates = [p for p in sorted(path.rglob("*")) if p.suffix.lower() in DATA_SUFFIXES]
            candidates = [p for p in candidates if not _NOT_SCORES.search(p.stem)]
        else:
            candidates = [path]
        for candidate in candidates:
            found = year if (year is not None and not path.is_dir()) else year_of(candidate)
            if found is None:
                raise SurveyConfigError(
                    f"{candidate}: cannot tell which survey year this file holds; "
                    "give it with --year or put the year in the file or folder name"
                )
            by_year.setdefault(found, []).append(candidate)
    if not by_year:
        shown = ", ".join(str(p) for p in paths)
        raise SurveyConfigError(f"no CSV, XLSX or ODS files of organisation scores in {shown}")
    return [(y, sorted(files, key=_preference)[0]) for y, files in sorted(by_year.items())]


def _sibling_texts(path: Path) -> dict[str, str]:
    """Question texts from metadata sheets of workbooks beside a CSV."""
    texts: dict[str, str] = {}
    if path.suffix.lower() in SPREADSHEETS:
        return texts
    for sibling in sorted(path.parent.iterdir()):
        if sibling.suffix.lower() in SPREADSHEETS and year_of(sibling) == year_of(path):
            try:
                texts.update(question_texts_in(sibling))
            except SurveyFormatError:
                continue
    return texts


def _panel_from_file(read: FileScores, year: int, matcher: OrganisationMatcher) -> SurveyPanel:
    """Flatten one file's tables into a long panel for ``year``."""
    values: dict[tuple[str, str], float] = {}
    respondents: dict[str, int] = {}
    scales: dict[str, str] = {}
    codes: dict[str, str] = {}
    published = [(y if y is not None else year, n, m, v) for y, n, m, v in read.published]
    measure_rows: list[tuple[str, str, str]] = []
    notes = list(read.notes)
    duplicates = 0
    for table in read.tables:
        if table.missing:
            shown = f" sheet {table.sheet}" if table.sheet else ""
            notes.append(
                f"{read.path.name}{shown}: left as missing: {missing_summary(table.missing)}"
            )
            table.detected["missing"] = dict(table.missing)
        for match in table.measures:
            label = (
                match.label
                if match.label != match.code
                else THEME_LABELS.get(match.measure, match.label)
            )
            measure_rows.append((match.measure, label, match.kind))
        scales.update(table.scales)
        counts = table.respondents or [None] * len(table.organisations)
        for name, code, row, count in zip(
            table.organisations, table.codes, table.values, counts, strict=True
        ):
            if count is not None:
                respondents.setdefault(name, count)
            summary = bool(SUMMARY_ROW.search(name) or SUMMARY_CODE.search(code))
            for match, value in zip(table.measures, row, strict=True):
                if value is None:
                    continue
                if summary:
                    published.append((year, name, match.measure, value))
                    continue
                key = (name, match.measure)
                if key in values:
                    duplicates += 1
                    continue
                values[key] = value
            if not summary:
                codes.setdefault(name, code)
    if duplicates:
        notes.append(
            f"{read.path.name}: {duplicates} repeated organisation/measure values ignored "
            "(the first one read was kept)"
        )
    names = list(dict.fromkeys(name for name, _measure in values))
    mapping = matcher.match_year([(n, codes.get(n, "")) for n in names], year)
    canonical = {m.raw_name: m.canonical_name for m in mapping}
    aggregates = aggregate_names(names)
    if aggregates:
        notes.append(
            f"{year}: {len(aggregates)} rows total other listed organisations and are left "
            f"out of benchmarks: {', '.join(sorted(aggregates))}"
        )
    scores = pd.DataFrame(
        [
            (
                canonical[name],
                year,
                measure,
                value,
                respondents.get(name, pd.NA),
                name,
                read.path.name,
                name in aggregates,
            )
            for (name, measure), value in values.items()
        ],
        columns=list(empty_scores().columns),
    )
    scores = scores.astype(empty_scores().dtypes.to_dict()) if len(scores) else empty_scores()
    detected = [t.detected for t in read.tables]
    return SurveyPanel(
        scores=scores,
        measures=measures_table(measure_rows),
        mapping=mapping,
        published=pd.DataFrame(published, columns=["year", "name", "measure", "value"]),
        files=[{"path": str(read.path), "year": year, "tables": detected}],
        notes=notes,
        scales=scales,
    )


def import_published(
    paths: Sequence[Path],
    *,
    year: int | None = None,
    mapping: Iterable[OrgMatch] = (),
    known: Iterable[str] = (),
    threshold: float | None = None,
    on_file: ProgressCallback | None = None,
) -> SurveyPanel:
    """Read published organisation-level results into a harmonised panel.

    Years are read newest first, so a canonical organisation name is its most
    recent spelling; older spellings are matched to it.

    Args:
        paths: Files, year folders or a folder of year folders.
        year: The year of a single file whose name does not say.
        mapping: Reviewed organisation mapping rows (they win over matching).
        known: Canonical organisation names already stored.
        threshold: Minimum fuzzy similarity for automatic matches (default 90).
        on_file: Called with (files done, file) after each file.

    Returns:
        The panel, with the organisation mapping and notes.

    Raises:
        SurveyConfigError: If no files or years can be found.
        SurveyFormatError: If a file's layout is not recognised.
    """
    chosen = choose_files(paths, year=year)
    matcher = OrganisationMatcher(
        known, mapping, **({} if threshold is None else {"threshold": threshold})
    )
    panels: list[SurveyPanel] = []
    for done, (file_year, path) in enumerate(sorted(chosen, reverse=True), start=1):
        read = read_workbook(path, year=file_year, texts=_sibling_texts(path))
        panels.append(_panel_from_file(read, file_year, matcher))
        if on_file is not None:
            on_file(done, path)
    return combine(panels[::-1])
