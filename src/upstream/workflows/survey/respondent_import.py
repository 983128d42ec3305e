"""Store respondent-level answers of many organisations and years as a survey panel."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from upstream.store import Store
from upstream.store.survey_repository import SaveCounts
from upstream.survey.panel import SurveyPanel
from upstream.survey.respondent_mapping import RespondentMapping, suggest_mapping
from upstream.survey.respondent_panel import respondent_panel
from upstream.survey.tables import read_table
from upstream.survey.themes import load_themes
from upstream.workflows.survey.storage import save_panel


@dataclass(frozen=True)
class RespondentImport:
    """What storing a respondent-level file did."""

    panel: SurveyPanel
    counts: SaveCounts
    mapping: RespondentMapping
    respondents: int


def import_respondents(
    store: Store,
    path: Path,
    *,
    workspace: str,
    survey: str,
    mapping: RespondentMapping | None = None,
    sheet: str | None = None,
    actor: str = "upstream",
) -> RespondentImport:
    """Read a respondent-level file and store its organisation-by-year results.

    Statements named like the culture statements (their id or wording) are
    labelled with their wording, and the culture engagement statements, when all
    present, make an engagement index.

    Args:
        store: An open store.
        path: CSV, XLSX or ODS file, one row per respondent.
        workspace: Workspace to store in (created when new).
        survey: Survey name within the workspace.
        mapping: How the file is read (guessed from the file when None).
        sheet: The spreadsheet sheet to read.
        actor: Who is importing, for the audit log.

    Raises:
        SurveyError: If the file or the mapping cannot be used (the message says why).
    """
    frame = read_table(path, sheet=sheet)
    chosen = mapping or suggest_mapping(frame)
    culture = load_themes()
    engagement = [i for i in culture.engagement if i in chosen.statements]
    panel = respondent_panel(
        frame,
        chosen,
        labels={k: v for k, v in culture.texts.items() if v},
        engagement=engagement if len(engagement) == len(culture.engagement) else (),
        source=path.name,
    )
    counts = save_panel(
        store,
        panel,
        workspace=workspace,
        survey=survey,
        source_name=path.name,
        source_path=str(path),
        actor=actor,
    )
    return RespondentImport(panel, counts, chosen, len(frame))


__all__ = ["RespondentImport", "import_respondents"]
