"""One call to import survey files into the store: read, harmonise, map names, save.

This is what ``upstream survey import`` runs. Published all-organisation tables
(the Civil Service People Survey and anything laid out like it) are read with
:func:`~upstream.survey.published.import_published`; a generic wide table is read
when ``org_column`` is given. Organisation names are matched against the names
already stored, reviewed mapping rows (from the store and from a mapping file)
win over automatic matching, and the complete mapping is written back to the
mapping file for review.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from upstream.store import Store
from upstream.store.survey_repository import SaveCounts, SurveyRepository
from upstream.survey.orgnames import OrgMatch, read_mapping, write_mapping
from upstream.survey.panel import SurveyPanel, combine
from upstream.survey.published import ProgressCallback, import_published
from upstream.survey.wide import import_wide
from upstream.workflows.survey.storage import (
    DEFAULT_SURVEY,
    DEFAULT_WORKSPACE,
    remap,
    save_panel,
    stored_mapping,
)


@dataclass
class ImportOutcome:
    """What an import read and stored.

    Attributes:
        panel: The panel read from the files.
        counts: What was stored (new and updated scores, new organisations...).
        mapping_path: Where the reviewed mapping was written, if asked.
        remapped: Stored names moved to another organisation by the mapping file.
        seconds: Wall-clock time of the import.
    """

    panel: SurveyPanel
    counts: SaveCounts
    mapping_path: Path | None
    remapped: int
    seconds: float


def import_survey(
    store: Store,
    paths: Sequence[Path],
    *,
    workspace: str = DEFAULT_WORKSPACE,
    survey: str = DEFAULT_SURVEY,
    year: int | None = None,
    org_column: str | None = None,
    year_column: str | None = None,
    respondents_column: str | None = None,
    scales: dict[str, str] | None = None,
    mapping_file: Path | None = None,
    actor: str = "upstream",
    on_file: ProgressCallback | None = None,
) -> ImportOutcome:
    """Import published or wide survey tables into the store, in one transaction.

    Args:
        store: An open store.
        paths: Files, year folders or a folder of year folders.
        workspace: Workspace to import into (created if new).
        survey: Survey name (created if new).
        year: Year of a single file that does not name it (or of every row of a wide table).
        org_column: Organisation column of a generic wide table (switches to the wide reader).
        year_column: Year column of a generic wide table.
        respondents_column: Respondents (or headcount) column of a generic wide table.
        scales: Scale per column of a generic wide table, overriding detection
            (column name lower-cased → ``"0-1"``, ``"0-100"``, ``"0-10"``, ``"index"``
            or ``"count"``; see :func:`upstream.survey.wide.parse_scales`).
        mapping_file: Reviewed organisation mapping CSV: applied when it exists, then
            rewritten with the complete mapping for the next review.
        actor: Who imports, for the audit log.
        on_file: Called with (files done, file) after each file.

    Returns:
        What was read and stored.
    """
    start = time.perf_counter()
    known, manual = stored_mapping(store, workspace=workspace, survey=survey)
    reviewed: list[OrgMatch] = []
    if mapping_file is not None and mapping_file.exists():
        reviewed = read_mapping(mapping_file)
    overrides = [*manual, *reviewed]
    if org_column:
        panels = []
        for done, path in enumerate(paths, start=1):
            panels.append(
                import_wide(
                    path,
                    org_column=org_column,
                    year_column=year_column,
                    year=year,
                    respondents_column=respondents_column,
                    scales=scales,
                    mapping=overrides,
                    known=known,
                )
            )
            known = sorted({*known, *panels[-1].organisations})
            if on_file is not None:
                on_file(done, path)
        panel = combine(panels)
    else:
        panel = import_published(paths, year=year, mapping=overrides, known=known, on_file=on_file)
    counts = save_panel(store, panel, workspace=workspace, survey=survey, actor=actor)
    remapped = remap(store, reviewed, workspace=workspace, survey=survey) if reviewed else 0
    if mapping_file is not None:
        aliases = SurveyRepository(store, workspace).aliases(survey)
        write_mapping(
            mapping_file,
            [OrgMatch(a.raw_name, a.year, a.canonical_name, a.score, a.method) for a in aliases],
        )
    return ImportOutcome(panel, counts, mapping_file, remapped, time.perf_counter() - start)
