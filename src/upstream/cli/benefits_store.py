"""``upstream benefits measures`` and ``upstream benefits register``: kept in the store.

Measures over time are imported from files like evidence; the benefits register
records each benefit with its owner, measure, baseline, target and the evidence
that explains it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from upstream.cli.common import DB_HELP, console, default_db, friendly_errors

measures_app = typer.Typer(
    help="Measures over time: KPIs, contacts by channel, volumes and costs.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
register_app = typer.Typer(
    help="The benefits register: each benefit, its measure and the evidence behind it.",
    no_args_is_help=True,
    rich_markup_mode=None,
)

_WORKSPACE_HELP = "Workspace to use."


def _errors() -> tuple[type[Exception], ...]:
    from upstream.evidence.errors import EvidenceImportError
    from upstream.store import StoreError
    from upstream.workflows.benefits.register import RegisterError

    return (EvidenceImportError, StoreError, RegisterError)


def _due(due: str | None) -> date | None:
    """``--due`` as a date, or a clear error naming what was expected."""
    from upstream.workflows.benefits.register import RegisterError

    try:
        return date.fromisoformat(due) if due else None
    except ValueError as exc:
        raise RegisterError(f"--due '{due}' is not a date; expected YYYY-MM-DD.") from exc


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:,.10g}"


@measures_app.command("import")
def import_command(
    file: Path = typer.Argument(..., help="CSV, TSV, XLSX or ODS file of measure values."),
    db: str = typer.Option(None, "--db", help=DB_HELP),
    workspace: str = typer.Option("default", "--workspace", help="Workspace to import into."),
    organisation: str = typer.Option(
        None, "--organisation", help="Organisation of every row, when the file has no column."
    ),
    sheet: str = typer.Option(None, "--sheet", help="Spreadsheet sheet to read."),
) -> None:
    """Import measure values: organisation, service, measure, period, value, unit, channel, kind."""
    from upstream.store import Store
    from upstream.workflows.benefits.measures import import_measures

    with friendly_errors(*_errors()), Store(db or default_db()) as store:
        result = import_measures(
            store, file, workspace=workspace, organisation=organisation, sheet=sheet
        )
    counts = result.counts
    console.print(
        f"Read {result.rows_read:,} rows of {escape(file.name)}: {counts.added:,} values added, "
        f"{counts.updated:,} updated, {counts.unchanged:,} already stored, "
        f"{result.rejected:,} rejected, in {result.series:,} series."
    )
    if result.rejects_path is not None:
        console.print(f"Rejected rows and why: {escape(str(result.rejects_path))}")


@measures_app.command("list")
def list_command(
    db: str = typer.Option(None, "--db", help=DB_HELP),
    workspace: str = typer.Option("default", "--workspace", help=_WORKSPACE_HELP),
) -> None:
    """List the measure series of a workspace with their latest actual and target."""
    from upstream.store import Store
    from upstream.workflows.benefits.measures import list_series

    with friendly_errors(*_errors()), Store(db or default_db()) as store:
        summaries = list_series(store, workspace)
    if not summaries:
        console.print("No measures yet. Import some with: upstream benefits measures import FILE")
        return
    table = Table("Organisation", "Measure", "Unit", "Values", "From", "To", "Latest", "Target")
    for s in summaries:
        table.add_row(
            escape(s.series.organisation),
            escape(s.series.label),
            escape(s.unit),
            str(s.points),
            s.first.isoformat(),
            s.last.isoformat(),
            _number(s.latest_actual),
            _number(s.latest_target),
        )
    console.print(table)


@register_app.command("add")
def add_command(
    title: str = typer.Argument(..., help="What the benefit is, in a few words."),
    organisation: str = typer.Option(..., "--organisation", help="Whose benefit it is."),
    category: str = typer.Option(..., "--category", help="cashable, non-cashable or social."),
    db: str = typer.Option(None, "--db", help=DB_HELP),
    workspace: str = typer.Option("default", "--workspace", help=_WORKSPACE_HELP),
    owner: str = typer.Option("", "--owner", help="Who is responsible for it."),
    measure: str = typer.Option("", "--measure", help="The measure it is tracked by."),
    service: str = typer.Option("", "--service", help="The measure's service."),
    channel: str = typer.Option("", "--channel", help="The measure's channel."),
    baseline: float = typer.Option(None, "--baseline", help="Where the measure started."),
    target: float = typer.Option(None, "--target", help="Where it should get to."),
    due: str = typer.Option(None, "--due", help="When, as YYYY-MM-DD."),
    status: str = typer.Option("planned", "--status", help="planned, on track, at risk, ..."),
    description: str = typer.Option("", "--description", help="More about it."),
    value: float = typer.Option(
        None, "--value", help="What the business case says it is worth, in £ a year."
    ),
) -> None:
    """Add a benefit to the register."""
    from upstream.records.measures import BenefitDraft, SeriesKey
    from upstream.store import Store
    from upstream.workflows.benefits.register import add_benefit

    with friendly_errors(*_errors()):
        due_date = _due(due)
        draft = BenefitDraft(
            organisation=organisation,
            title=title,
            category=category,
            status=status,
            owner=owner,
            series=SeriesKey(organisation, service, measure, channel) if measure else None,
            baseline=baseline,
            target=target,
            due=due_date,
            description=description,
            value=value,
        )
        with Store(db or default_db()) as store:
            benefit_id = add_benefit(store, workspace, draft, actor="command line")
    console.print(f"Added benefit {benefit_id}: {escape(title)}")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


@register_app.command("list")
def register_list_command(
    db: str = typer.Option(None, "--db", help=DB_HELP),
    workspace: str = typer.Option("default", "--workspace", help=_WORKSPACE_HELP),
) -> None:
    """List the benefits register with each benefit's links."""
    from upstream.benefits.rounding import pounds
    from upstream.store import Store
    from upstream.workflows.benefits.register import register, value_summary

    with friendly_errors(*_errors()), Store(db or default_db()) as store:
        views = register(store, workspace)
    if not views:
        console.print("The register is empty. Add a benefit with: upstream benefits register add")
        return
    table = Table(
        "Id", "Organisation", "Benefit", "Owner", "Category", "Status", "£ a year", "Baseline"
    )
    table.add_column("Target")
    table.add_column("Latest")
    table.add_column("Due")
    table.add_column("Evidence")
    for view in views:
        d = view.record.draft
        latest = view.latest_actual
        table.add_row(
            str(view.record.id),
            escape(d.organisation),
            escape(d.title),
            escape(d.owner),
            d.category,
            f"{d.status} (owner's view)",
            "" if d.value is None else pounds(d.value),
            _number(d.baseline),
            _number(d.target),
            _number(latest.value) if latest else "",
            # Its own date, else when its measure's target falls due, as the web app shows.
            view.due.isoformat() if view.due else "",
            f"{_count(len(view.items), 'item')}, {_count(len(view.themes), 'theme')}",
        )
    console.print(table)
    if valued := value_summary([view.record.draft for view in views]):
        console.print(valued, highlight=False)
    for view in views:
        if view.figures_say:
            console.print(f"{view.record.id}: {escape(view.figures_say)}", highlight=False)


@register_app.command("update")
def update_command(
    benefit: int = typer.Argument(..., help="The benefit's id."),
    db: str = typer.Option(None, "--db", help=DB_HELP),
    workspace: str = typer.Option("default", "--workspace", help=_WORKSPACE_HELP),
    status: str = typer.Option(None, "--status", help="planned, on track, at risk, ..."),
    owner: str = typer.Option(None, "--owner", help="Who is responsible for it now."),
    target: float = typer.Option(None, "--target", help="Where it should get to."),
    due: str = typer.Option(None, "--due", help="When, as YYYY-MM-DD."),
    value: float = typer.Option(None, "--value", help="What it is worth, in £ a year."),
    description: str = typer.Option(None, "--description", help="More about it."),
) -> None:
    """Record where a benefit stands now; what is not given stays as it was."""
    from dataclasses import replace

    from upstream.store import Store
    from upstream.workflows.benefits.register import RegisterError, benefit_view, update_benefit

    with friendly_errors(*_errors()):
        due_date = _due(due)
        with Store(db or default_db()) as store:
            draft = benefit_view(store, workspace, benefit).record.draft
            changed = [
                name
                for name, new in (
                    ("status", status),
                    ("owner", owner),
                    ("target", target),
                    ("due", due_date),
                    ("value", value),
                    ("description", description),
                )
                if new is not None
            ]
            if not changed:
                raise RegisterError("Give at least one change, such as --status 'at risk'.")
            kept = replace(
                draft,
                status=draft.status if status is None else status,
                owner=draft.owner if owner is None else owner,
                target=draft.target if target is None else target,
                due=draft.due if due_date is None else due_date,
                value=draft.value if value is None else value,
                description=draft.description if description is None else description,
            )
            update_benefit(store, workspace, benefit, kept, actor="command line")
    console.print(f"Updated benefit {benefit}: {', '.join(changed)}.")


@register_app.command("remove")
def remove_command(
    benefit: int = typer.Argument(..., help="The benefit's id."),
    db: str = typer.Option(None, "--db", help=DB_HELP),
    workspace: str = typer.Option("default", "--workspace", help=_WORKSPACE_HELP),
    yes: bool = typer.Option(False, "--yes", help="Confirm: remove it and its links."),
) -> None:
    """Take a benefit and its links to evidence out of the register."""
    from upstream.store import Store
    from upstream.workflows.benefits.register import RegisterError, remove_benefit

    with friendly_errors(*_errors()):
        if not yes:
            raise RegisterError(f"Add --yes to remove benefit {benefit} and its links.")
        with Store(db or default_db()) as store:
            title = remove_benefit(store, workspace, benefit, actor="command line")
    console.print(f"Removed benefit {benefit}: {escape(title)}")


@register_app.command("link")
def link_command(
    benefit: int = typer.Argument(..., help="The benefit's id."),
    db: str = typer.Option(None, "--db", help=DB_HELP),
    workspace: str = typer.Option("default", "--workspace", help=_WORKSPACE_HELP),
    item: list[int] = typer.Option([], "--item", help="An item of evidence that explains it."),
    theme: list[int] = typer.Option([], "--theme", help="A theme that explains it."),
    note: str = typer.Option("", "--note", help="Why they explain it."),
) -> None:
    """Link items of evidence or themes to a benefit."""
    from upstream.store import Store
    from upstream.workflows.benefits.register import RegisterError, link_item, link_theme

    with friendly_errors(*_errors()):
        if not item and not theme:
            raise RegisterError("Give at least one --item or --theme to link.")
        with Store(db or default_db()) as store:
            for item_id in item:
                link_item(store, workspace, benefit, item_id, actor="command line", note=note)
            for theme_id in theme:
                link_theme(store, workspace, benefit, theme_id, actor="command line", note=note)
    console.print(f"Linked {len(item)} items and {len(theme)} themes to benefit {benefit}.")
