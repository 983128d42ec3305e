"""``upstream survey``: import staff-survey results, benchmark, model and self-assess.

The library is imported inside each command, so ``upstream --help`` stays quick.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, cast

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from upstream.cli.common import DB_HELP, console, default_db, friendly_errors

if TYPE_CHECKING:
    import pandas as pd

    from upstream.store import Store
    from upstream.survey.panel import SurveyPanel
    from upstream.survey.regression import CovType

app = typer.Typer(
    help=(
        "Staff-survey measurement: import organisation-level results for many years, "
        "benchmark organisations, model culture against outcomes, and self-assess "
        "against New Operating Models."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)

Db = Annotated[str | None, typer.Option("--db", help=DB_HELP)]
Workspace = Annotated[
    str, typer.Option("--workspace", help="Workspace the survey belongs to (created if new).")
]
Survey = Annotated[
    str, typer.Option("--survey", help="Name of the survey within the workspace, e.g. csps.")
]
Output = Annotated[Path, typer.Option("--output", help="CSV file to write.")]


def _errors() -> tuple[type[Exception], ...]:
    from upstream.store import StoreError
    from upstream.survey.errors import SurveyError

    return (StoreError, SurveyError)


def _open(db: str | None) -> Store:
    from upstream.store import Store

    return Store(db or default_db())


def _panel(db: str | None, workspace: str, survey: str, measures: list[str]) -> SurveyPanel:
    from upstream.survey.themes import add_theme_measures, load_themes
    from upstream.workflows.survey.storage import load_panel

    with _open(db) as store:
        panel = load_panel(store, workspace=workspace, survey=survey)
    if any(m.startswith("CULT_") for m in measures):  # culture themes are derived on demand
        panel = add_theme_measures(panel, load_themes())
    return panel


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


@app.command("import")
def import_command(
    paths: Annotated[
        list[Path],
        typer.Argument(
            exists=True, help="Files (CSV, XLSX, ODS), year folders, or a folder of year folders."
        ),
    ],
    db: Db = None,
    survey: Survey = "csps",
    year: Annotated[
        int | None, typer.Option("--year", help="Survey year of a file whose name does not say.")
    ] = None,
    org_column: Annotated[
        str | None,
        typer.Option("--org-column", help="Organisation column of a generic wide table."),
    ] = None,
    year_column: Annotated[
        str | None, typer.Option("--year-column", help="Year column of a generic wide table.")
    ] = None,
    respondents_column: Annotated[
        str | None,
        typer.Option("--respondents-column", help="Respondents or headcount column (weights)."),
    ] = None,
    scale: Annotated[
        list[str] | None,
        typer.Option(
            "--scale",
            help="Scale of a column of a generic wide table, overriding detection: "
            "COLUMN=SCALE with SCALE one of proportion, percentage, 0-10, index, count "
            "(repeat for several columns), e.g. --scale Responses=count.",
        ),
    ] = None,
    workspace: Workspace = "default",
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            help="Organisation-name mapping CSV (raw_name, year, canonical_name, score, method): "
            "applied if it exists, then rewritten with the full mapping to review and edit.",
        ),
    ] = None,
) -> None:
    """Import organisation-level survey results; names and measures are harmonised across years."""
    if year_column and not org_column:
        console.print("[red]Error:[/] --year-column needs --org-column (a generic wide table).")
        raise typer.Exit(2)
    from upstream.survey.published import choose_files
    from upstream.survey.wide import parse_scales
    from upstream.workflows.survey.importing import import_survey

    with friendly_errors(*_errors()):
        scales = parse_scales(scale or [])
        total = len(paths) if org_column else len(choose_files(paths, year=year))
        with (
            _open(db) as store,
            Progress(
                TextColumn("Importing"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.description}"),
                TimeElapsedColumn(),
                console=console,
                transient=True,
            ) as progress,
        ):
            task = progress.add_task("", total=total)
            outcome = import_survey(
                store,
                paths,
                workspace=workspace,
                survey=survey,
                year=year,
                org_column=org_column,
                year_column=year_column,
                respondents_column=respondents_column,
                scales=scales,
                mapping_file=mapping,
                on_file=lambda n, p: progress.update(task, completed=n, description=p.name),
            )
    panel, counts = outcome.panel, outcome.counts
    methods: dict[str, int] = {}
    for match in panel.mapping:
        methods[match.method] = methods.get(match.method, 0) + 1
    years = ", ".join(str(y) for y in panel.years)
    console.print(
        f"Read {len(panel.scores):,} scores: {len(panel.organisations)} organisations, "
        f"{len(panel.measure_ids)} measures, years {years} ({outcome.seconds:.1f}s)."
    )
    console.print(
        f"Stored in survey '{survey}' of workspace '{workspace}': {counts.scores_new:,} new "
        f"scores, {counts.scores_updated:,} updated, {counts.organisations} new organisations."
    )
    matched = ", ".join(f"{n} {method}" for method, n in sorted(methods.items()))
    console.print(f"Organisation names matched: {matched}.")
    for note in panel.notes:
        console.print(f"Note: {escape(note)}")  # notes quote shorthands such as [c]
    if outcome.remapped:
        console.print(f"The mapping file moved {outcome.remapped} stored names.")
    if mapping is not None:
        console.print(f"Review the name mapping in {mapping}, edit it and import again.")


@app.command("benchmarks")
def benchmarks_command(
    output: Output,
    db: Db = None,
    survey: Survey = "csps",
    workspace: Workspace = "default",
    measures: Annotated[
        str, typer.Option("--measures", help="Only these measures, comma-separated.")
    ] = "",
    compare: Annotated[
        Path | None,
        typer.Option("--compare", exists=True, help="Published benchmark series to check against."),
    ] = None,
) -> None:
    """Median organisation (the benchmark), upper quartile and means per measure and year."""
    from upstream.survey.benchmarks import BENCHMARK_COLUMNS, benchmarks
    from upstream.survey.export import write_csv

    with friendly_errors(*_errors()):
        wanted = _split(measures)
        table = benchmarks(_panel(db, workspace, survey, wanted), measures=wanted or None)
        write_csv(table[list(BENCHMARK_COLUMNS)], output)
        console.print(
            f"Wrote {len(table):,} benchmarks ({table['measure'].nunique()} measures, "
            f"{table['year'].nunique()} years) to {output}. Values are on each measure's "
            f"scale ({_scales_shown(table)}); rows that total other organisations are left out."
        )
        if compare is not None:
            _print_comparison(table, compare)


def _scales_shown(table: pd.DataFrame) -> str:
    from upstream.survey.wide import scale_name

    by_scale: dict[str, list[str]] = {}
    for measure, scale in table[["measure", "scale"]].drop_duplicates().itertuples(index=False):
        by_scale.setdefault(str(scale), []).append(str(measure))
    if list(by_scale) == ["0-1"]:
        return "all proportions, 0-1"
    return "; ".join(
        f"{scale_name(scale)}: {', '.join(names[:6])}{' and others' if len(names) > 6 else ''}"
        for scale, names in sorted(by_scale.items())
    )


def _print_comparison(table: pd.DataFrame, published_path: Path) -> None:
    from upstream.survey.reference import (
        CSPS_KNOWN_DIFFERENCES,
        compare_with_published,
        match_rates,
        read_published_benchmarks,
    )

    published = read_published_benchmarks(published_path)
    comparison = compare_with_published(table, published, known=CSPS_KNOWN_DIFFERENCES)
    rates = match_rates(comparison)
    console.print(
        f"Against {published_path.name}: {rates['matched']} of {rates['computable']} computable "
        f"medians match to the published rounding ({rates['match_rate_computable']:.1%}); "
        f"{rates['explained']} differ for a known reason; {rates['unexplained']} unexplained."
    )


@app.command("model")
def model_command(
    outcome: Annotated[
        str, typer.Option("--outcome", help="Outcome measure, e.g. LD (learning) or B23.")
    ],
    predictors: Annotated[
        str, typer.Option("--predictors", help="Predictor measures, comma-separated (LM,MW).")
    ],
    output: Output,
    db: Db = None,
    survey: Survey = "csps",
    workspace: Workspace = "default",
    effects: Annotated[
        str,
        typer.Option("--effects", help="Fixed effects: entity,time, entity, time, or none."),
    ] = "entity,time",
    cov: Annotated[
        str, typer.Option("--cov", help="Standard errors: cluster (by organisation), robust.")
    ] = "cluster",
    years: Annotated[str, typer.Option("--years", help="Only these years, comma-separated.")] = "",
) -> None:
    """Regress an outcome on culture measures across organisations and years."""
    from upstream.survey.errors import SurveyConfigError
    from upstream.survey.export import write_csv
    from upstream.survey.regression import fit_model

    with friendly_errors(*_errors()):
        wanted = _split(predictors)
        chosen = () if effects.strip().lower() in {"", "none"} else tuple(_split(effects))
        if cov not in {"cluster", "robust", "classical"}:
            raise SurveyConfigError(f"--cov must be cluster, robust or classical, not {cov!r}")
        if not all(y.isdigit() for y in _split(years)):
            raise SurveyConfigError(f"--years must be comma-separated years, not {years!r}")
        panel = _panel(db, workspace, survey, [outcome, *wanted])
        year_list = [int(y) for y in _split(years)] or None
        result = fit_model(
            panel,
            outcome,
            wanted,
            effects=chosen,
            cov_type=cast("CovType", cov),
            years=year_list,
        )
        write_csv(result.to_frame(), output, decimals=None)  # keep small p-values
    kind = "two-way fixed effects" if len(chosen) == 2 else "OLS"
    if len(chosen) == 1:
        kind = f"{chosen[0]} fixed effects"
    console.print(
        f"{outcome} on {', '.join(wanted)} ({kind}, {cov} standard errors): {result.n_obs:,} "
        f"organisation-years, {result.n_entities} organisations, {result.n_periods} "
        f"year{'s' if result.n_periods != 1 else ''}; "
        f"{'within ' if chosen else ''}R² {result.r2:.3f}."
    )
    for row in result.table.itertuples(index=False):
        console.print(
            f"  {row.term}: {row.coef:+.3f} (SE {row.std_err:.3f}, p={row.p_value:.3g}, 95% CI "
            f"{row.ci_low:+.3f} to {row.ci_high:+.3f}; elasticity at the mean {row.elasticity:.2f})"
        )
    for note in result.notes:
        console.print(f"Note: {note}")
    console.print(f"Wrote {output}.")


@app.command("gaps")
def gaps_command(
    output: Output,
    db: Db = None,
    survey: Survey = "csps",
    workspace: Workspace = "default",
    measures: Annotated[str, typer.Option("--measures", help="Measures, comma-separated.")] = "EES",
    organisation: Annotated[
        str | None, typer.Option("--organisation", help="Only this organisation.")
    ] = None,
) -> None:
    """Each organisation's gap to the benchmark per year, and its trend (slope per year)."""
    from upstream.survey.benchmarks import gaps, trends
    from upstream.survey.export import write_csv

    with friendly_errors(*_errors()):
        wanted = _split(measures)
        panel = _panel(db, workspace, survey, wanted)
        slopes = trends(panel, measures=wanted)
        keep = ["organisation", "measure", "slope_per_year", "benchmark_slope_per_year"]
        table = gaps(panel, measures=wanted).merge(slopes[keep], on=keep[:2], how="left")
        if organisation:
            table = table[table["organisation"] == organisation]
        write_csv(table, output)
    console.print(f"Wrote {len(table):,} rows of gaps and trends to {output}.")


@app.command("organisations")
def organisations_command(
    output: Output, db: Db = None, survey: Survey = "csps", workspace: Workspace = "default"
) -> None:
    """Export how every published organisation name was mapped, for review and editing."""
    from upstream.store.survey_repository import SurveyRepository
    from upstream.survey.orgnames import OrgMatch, write_mapping

    with friendly_errors(*_errors()), _open(db) as store:
        aliases = SurveyRepository(store, workspace).aliases(survey)
        rows = [OrgMatch(a.raw_name, a.year, a.canonical_name, a.score, a.method) for a in aliases]
        write_mapping(output, rows)
    names = len({a.canonical_name for a in aliases})
    console.print(f"Wrote {len(aliases):,} names of {names} organisations to {output}.")


@app.command("assess")
def assess_command(
    organisation: Annotated[str, typer.Option("--organisation", help="Whose report to build.")],
    responses: Annotated[
        Path | None,
        typer.Argument(
            exists=True,
            dir_okay=False,
            help="Responses CSV/XLSX: organisation, respondent, role_group and one column per "
            "element (or element and level columns).",
        ),
    ] = None,
    output_dir: Annotated[
        Path, typer.Option("--output-dir", help="Folder for the tables (CSV) and charts.")
    ] = Path("assessment"),
    demo: Annotated[
        bool, typer.Option("--demo", help="Use the demo self-assessment of fictional councils.")
    ] = False,
    questionnaire: Annotated[
        Path | None,
        typer.Option("--questionnaire", exists=True, help="Questionnaire YAML (default: NOM)."),
    ] = None,
    chart_format: Annotated[str, typer.Option("--format", help="Charts: png or svg.")] = "png",
    db: Db = None,
    workspace: Workspace = "default",
    name: Annotated[
        str | None,
        typer.Option("--name", help="Store the responses under this name (or read them)."),
    ] = None,
) -> None:
    """Self-assessment against New Operating Models: scores, peer benchmarks, gaps and charts."""
    from upstream.survey.assessment import load_questionnaire
    from upstream.survey.assessment_report import assessment_report
    from upstream.workflows.survey.assessment_io import load_responses

    with friendly_errors(*_errors()):
        form = load_questionnaire(questionnaire)
        store = _open(db) if (db or name) else None
        try:
            table = load_responses(
                form, path=responses, demo=demo, store=store, workspace=workspace, name=name
            )
        finally:
            if store is not None:
                store.close()
        report = assessment_report(
            table, form, organisation, output_dir=output_dir, chart_format=chart_format
        )
    people = table.groupby("organisation")["respondent"].nunique()
    console.print(
        f"{people.sum():,} respondents in {len(people)} organisations rated "
        f"{len(form.elements)} elements of {form.title or form.key}. {organisation}:"
    )
    mine = report.scores[report.scores["organisation"] == organisation]
    for row in mine.itertuples(index=False):
        console.print(f"  {row.title}: {row.display}")
    if len(report.weak):
        weak = report.weak.iloc[0]
        console.print(
            f"Weakest against peers: {weak['title']} ({weak['score']:.1f} against a median of "
            f"{weak['median']:.1f}); {len(weak['peers_higher'])} peers score higher."
        )
    console.print(f"Wrote {len(report.files)} files (tables and charts) to {output_dir}.")


# The respondent-level commands live in their own module; importing it registers them.
from upstream.cli import survey_respondents  # noqa: E402, F401
