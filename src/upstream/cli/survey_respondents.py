"""``upstream survey respondents`` and ``upstream survey template``: any respondent-level file.

Registered on :data:`upstream.cli.survey.app` when that module is imported.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer
from rich.markup import escape

from upstream.cli.common import console, friendly_errors
from upstream.cli.survey import Db, Workspace, _errors, _open, _split, app

if TYPE_CHECKING:
    import pandas as pd

    from upstream.survey.respondent_mapping import RespondentMapping


@app.command("respondents")
def respondents_command(
    path: Annotated[
        Path,
        typer.Argument(exists=True, dir_okay=False, help="One row per respondent, Likert items."),
    ],
    output_dir: Annotated[
        Path, typer.Option("--output-dir", help="Folder for items, themes and engagement CSVs.")
    ] = Path("survey-results"),
    themes: Annotated[
        Path | None,
        typer.Option("--themes", exists=True, help="Themes YAML (default: culture themes)."),
    ] = None,
    by: Annotated[
        str, typer.Option("--by", help="Group by these columns, comma-separated (e.g. team).")
    ] = "",
    sheet: Annotated[str | None, typer.Option("--sheet", help="Spreadsheet sheet.")] = None,
    statements: Annotated[
        str,
        typer.Option(
            "--statements", help="Columns holding agree/disagree answers, comma-separated."
        ),
    ] = "",
    groups: Annotated[
        str | None,
        typer.Option(
            "--groups",
            help="Columns to break results down by, comma-separated; each gets its own files.",
        ),
    ] = None,
    answers: Annotated[
        str, typer.Option("--answers", help="How answers are given: words or numbers.")
    ] = "",
    points: Annotated[
        int | None, typer.Option("--points", help="Points on the answer scale: 5 or 7.")
    ] = None,
    reverse: Annotated[
        str,
        typer.Option("--reverse", help="Statements where agreeing is bad, comma-separated."),
    ] = "",
    theme: Annotated[
        list[str] | None,
        typer.Option(
            "--theme",
            help="Group statements into a theme: NAME=COLUMN,COLUMN (repeat). Empowerment, "
            "Focus, Priorities and 'Attitude to risk and change' are the culture themes; "
            "any other name is your own theme.",
        ),
    ] = None,
    mapping: Annotated[
        Path | None,
        typer.Option("--mapping", exists=True, dir_okay=False, help="Mapping YAML to use."),
    ] = None,
    save_mapping: Annotated[
        Path | None,
        typer.Option("--save-mapping", help="Write the mapping used as YAML, to edit and reuse."),
    ] = None,
    store_as: Annotated[
        str | None,
        typer.Option(
            "--store",
            help="Also store results by organisation and year as this survey in the workspace "
            "(for culture over time, benchmarks and models); needs organisation and year columns.",
        ),
    ] = None,
    organisation_column: Annotated[
        str | None, typer.Option("--organisation-column", help="Organisation column (--store).")
    ] = None,
    year_column: Annotated[
        str | None, typer.Option("--year-column", help="Survey year column (--store).")
    ] = None,
    db: Db = None,
    workspace: Workspace = "default",
) -> None:
    """Analyse a respondent-level staff survey: % positive, themes and engagement (n<10 hidden).

    Say which columns are statements and groups, how answers are given and which
    statements are reversed; whatever you leave out is guessed from the file and
    printed. Files whose columns are the culture-theme ids are read as before.
    """
    from upstream.survey.export import write_csv
    from upstream.survey.respondents import analyse
    from upstream.survey.tables import read_table
    from upstream.survey.themes import load_themes

    chosen = any([statements, groups is not None, answers, points, reverse, theme, mapping])
    options: dict[str, object] = {
        "statements": _split(statements),
        "groups": None if groups is None else _split(groups),
        "answers": answers.strip().lower(),
        "points": points,
        "reverse": _split(reverse),
    }
    with friendly_errors(*_errors()):
        frame = read_table(path, sheet=sheet)
        theme_set = load_themes(themes)
        if not chosen and any(i in frame.columns for i in theme_set.items):
            results = analyse(frame, theme_set, by=_split(by))
            files = {key: table for key, table in results.items()}
        else:
            files = _mapped_results(
                frame,
                path,
                by=_split(by),
                options=options,
                theme=theme or [],
                mapping=mapping,
                save_mapping=save_mapping,
            )
        for key, table in files.items():
            write_csv(table, output_dir / f"{key}.csv", decimals=2)
        if store_as:
            _store_respondents(
                frame,
                path,
                sheet=sheet,
                survey=store_as,
                columns=(organisation_column, year_column),
                mapping=mapping,
                options=options,
                theme=theme or [],
                db=db,
                workspace=workspace,
            )
    hidden = sum(int(t["suppressed"].sum()) for t in files.values())
    console.print(
        f"Analysed {len(frame):,} respondents: {', '.join(files)} written to {output_dir}; "
        f"{hidden} results suppressed because fewer than 10 people answered or because they "
        "would let a smaller group be worked out."
    )


def _chosen_mapping(
    frame: pd.DataFrame, options: dict[str, object], theme: list[str], mapping: Path | None
) -> RespondentMapping:
    from upstream.survey.respondent_mapping import (
        mapping_from_options,
        parse_theme_options,
        read_mapping_file,
    )

    if mapping is not None:
        return read_mapping_file(mapping, frame)
    return mapping_from_options(
        frame,
        statements=cast("list[str]", options["statements"]),
        groups=cast("list[str] | None", options["groups"]),
        answers=str(options["answers"]),
        points=cast("int | None", options["points"]),
        reverse=cast("list[str]", options["reverse"]),
        themes=parse_theme_options(theme) if theme else None,
    )


def _mapped_results(
    frame: pd.DataFrame,
    path: Path,
    *,
    by: list[str],
    options: dict[str, object],
    theme: list[str],
    mapping: Path | None,
    save_mapping: Path | None,
) -> dict[str, pd.DataFrame]:
    from upstream.survey.respondent_mapping import analyse_mapped, write_mapping_file

    chosen = _chosen_mapping(frame, options, theme, mapping)
    console.print(f"Reading {escape(path.name)}: {escape(chosen.describe())}")
    if save_mapping is not None:
        write_mapping_file(chosen, save_mapping)
        console.print(f"Wrote the mapping to {save_mapping}; edit it and pass --mapping.")
    source = path.name
    files = {
        key: table for key, table in analyse_mapped(frame, chosen, by=by, source=source).items()
    }
    for group in chosen.groups:
        slug = "".join(c if c.isalnum() else "-" for c in group.lower()).strip("-")
        for key, table in analyse_mapped(frame, chosen, by=[group], source=source).items():
            files[f"{key}-by-{slug}"] = table
    return files


def _store_respondents(
    frame: pd.DataFrame,
    path: Path,
    *,
    sheet: str | None,
    survey: str,
    columns: tuple[str | None, str | None],
    mapping: Path | None,
    options: dict[str, object],
    theme: list[str],
    db: str | None,
    workspace: str,
) -> None:
    from dataclasses import replace

    from upstream.workflows.survey.respondent_import import import_respondents

    chosen = _chosen_mapping(frame, options, theme, mapping)
    organisation, year = columns
    chosen = replace(
        chosen, organisation=organisation or chosen.organisation, year=year or chosen.year
    )
    with _open(db) as store:
        done = import_respondents(
            store, path, workspace=workspace, survey=survey, mapping=chosen, sheet=sheet
        )
    panel = done.panel
    count = len(panel.organisations)
    years = ", ".join(str(y) for y in panel.years)
    console.print(
        f"Stored survey '{survey}' of workspace '{workspace}': {count} "
        f"organisation{'' if count == 1 else 's'}, years {years}, "
        f"{done.counts.scores_new:,} new scores."
    )
    for note in panel.notes:
        console.print(f"Note: {escape(note)}")


@app.command("template")
def template_command(
    output: Annotated[Path, typer.Argument(help="CSV file to write.")] = Path(
        "staff-survey-template.csv"
    ),
) -> None:
    """Write a template respondent file: one row per person, groups, then the statements."""
    from upstream.survey.respondent_template import template_csv

    output.write_text(template_csv(), encoding="utf-8")
    console.print(
        f"Wrote {output}: fill in one row per person, keep or rename the Team and Grade "
        "columns, answer each statement from Strongly disagree to Strongly agree (or 1 to 5), "
        f"then run: upstream survey respondents {output} --groups Team,Grade"
    )
