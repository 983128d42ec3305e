"""``upstream benefits``: cost–benefit appraisal and channel shift from files.

The library is imported inside each command, so ``upstream --help`` stays quick.
Nothing is written unless every input is good and every figure is worked out.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from upstream.cli.benefits_store import measures_app, register_app
from upstream.cli.common import console, friendly_errors

if TYPE_CHECKING:
    from upstream.benefits import Appraisal, ChannelShiftResult
    from upstream.benefits.full import FullAppraisal

app = typer.Typer(
    help=(
        "Benefits: cost–benefit appraisal on the HM Treasury Green Book conventions, "
        "and the savings of moving contact to cheaper channels."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)


def _errors() -> tuple[type[Exception], ...]:
    from upstream.benefits import BenefitsError

    return (BenefitsError,)


def _money(value: float) -> str:
    return f"-£{-value:,.0f}" if value < 0 else f"£{value:,.0f}"


def _check_folders(*paths: Path | None) -> None:
    from upstream.benefits import BenefitsError

    for path in paths:
        if path is not None and not path.parent.is_dir():
            raise BenefitsError(f"{path}: the folder {path.parent} does not exist.")


def _write(outputs: dict[Path, bytes]) -> None:
    """Write every file in full beside its target first, then move them all into place."""
    from upstream.benefits import BenefitsError

    partials = {path: path.with_name(path.name + ".partial") for path in outputs}
    try:
        for path, data in outputs.items():
            partials[path].write_bytes(data)
        for path, partial in partials.items():
            partial.replace(path)
    except OSError as exc:
        raise BenefitsError(f"Cannot write {exc.filename or 'the output'}: {exc.strerror}") from exc
    finally:
        for partial in partials.values():
            partial.unlink(missing_ok=True)


def _show_appraisal(result: Appraisal, flips: list[str]) -> None:
    table = Table(title="Cost–benefit appraisal (present values, real prices)")
    table.add_column("Measure")
    table.add_column("Value", justify="right")
    table.add_row("Present value of costs", _money(result.pv_costs))
    table.add_row("Present value of benefits", _money(result.pv_benefits))
    for category, value in result.pv_benefits_by_category.items():
        table.add_row(f"  of which {category}", _money(value))
    table.add_row("Net present value", _money(result.npv))
    table.add_row("Benefit–cost ratio", "no costs" if result.bcr is None else f"{result.bcr:.2f}")
    table.add_row(
        "Payback year", "never" if result.payback_year is None else str(result.payback_year)
    )
    console.print(table)
    if flips:
        console.print(
            "Assumptions that flip the sign of NPV on their own: " + escape(", ".join(flips))
        )
    else:
        console.print("No single assumption, moved across its tested range, flips the sign of NPV.")


def _figures_table(title: str, columns: tuple[str, ...]) -> Table:
    """A table whose first column names things and whose others hold figures."""
    table = Table(title=title)
    for n, column in enumerate(columns):
        table.add_column(column, justify="right" if n else "left")
    return table


def _show_fiscal(full: FullAppraisal) -> None:
    """The case counting only savings to public budgets, beside the whole case."""
    result = full.appraisal
    if result.fiscal_bcr is None:
        return
    payback = (
        "no payback within the years given"
        if full.fiscal_payback_year is None
        else f"pays back in year {full.fiscal_payback_year}"
    )
    console.print(
        f"Counting only fiscal benefits (savings to public budgets, cashable or not): net "
        f"present value {_money(result.fiscal_npv)}, benefit–cost ratio "
        f"{result.fiscal_bcr:.2f}, {payback}."
    )


def _show_partners(full: FullAppraisal) -> None:
    """Who pays and who gains, when the SPEC names organisations."""
    if not full.partners:
        return
    table = _figures_table(
        "Who pays and who gains (present values, fiscal benefits)",
        ("Organisation", "Costs it bears", "Fiscal benefits", "Net to its budget"),
    )
    for share in full.partners:
        table.add_row(
            escape(share.organisation),
            _money(share.pv_costs),
            _money(share.pv_fiscal_benefits),
            _money(share.net_fiscal),
        )
    console.print(table)


def _show_risk(full: FullAppraisal) -> None:
    """How far the case could slip, and the range to quote from the simulation."""
    if full.turning_points:
        console.print(
            "Net present value would fall to zero if " + " or if ".join(full.turning_points) + "."
        )
    mc = full.monte_carlo
    together = mc.npv_percentiles_together
    if together:
        console.print(
            f"With the benefits moving together and the costs moving together, net present "
            f"value was below zero "
            f"in {mc.probability_npv_below_zero_together:.0%} of {mc.runs:,} simulated "
            f"appraisals; 90% of them lay between {_money(together['p5'])} and "
            f"{_money(together['p95'])}."
        )


@app.command("appraise")
def appraise_command(
    spec: Annotated[
        Path, typer.Argument(help="SPEC file (.csv or .xlsx) of costs and benefits by year.")
    ],
    output: Annotated[Path, typer.Option("--output", help="JSON file to write.")],
    xlsx: Annotated[
        Path | None,
        typer.Option("--xlsx", help="Also write the appraisal as a workbook of formulas."),
    ] = None,
    seed: Annotated[
        int,
        typer.Option("--seed", min=0, help="Seed for the Monte Carlo (same seed, same figures)."),
    ] = 0,
    runs: Annotated[int, typer.Option("--runs", min=1, help="Monte Carlo runs.")] = 10_000,
    amount_change: Annotated[
        float,
        typer.Option(
            "--amount-change", min=0.0, help="± share tried for amounts with no low/high range."
        ),
    ] = 0.2,
    share_change: Annotated[
        float,
        typer.Option("--share-change", min=0.0, max=1.0, help="± change tried for each share."),
    ] = 0.1,
) -> None:
    """Appraise costs and benefits: NPV, benefit–cost ratio, payback year, sensitivity."""
    from upstream.benefits import full_appraisal, read_spec
    from upstream.benefits.spec import unused_columns
    from upstream.benefits.tables import read_rows

    with friendly_errors(*_errors()):
        _check_folders(output, xlsx)
        lines = read_spec(spec)
        unused = unused_columns(read_rows(spec))
        full = full_appraisal(
            lines,
            seed=seed,
            runs=runs,
            amount_change=amount_change,
            share_change=share_change,
            source=str(spec),
        )
        outputs = {output: (json.dumps(full.to_dict(), indent=2) + "\n").encode()}
        if xlsx is not None:
            outputs[xlsx] = full.workbook_bytes()
        _write(outputs)
    _show_appraisal(full.appraisal, full.flipping)
    _show_fiscal(full)
    _show_partners(full)
    _show_risk(full)
    if unused:
        console.print(
            f"These columns were not used: {escape(', '.join(unused))}. To say who pays for a "
            "cost or whose budget a benefit reaches, use a column called organisation."
        )
    console.print(f"Wrote {escape(str(output))}" + (f" and {escape(str(xlsx))}" if xlsx else ""))


def _show_channel_shift(result: ChannelShiftResult) -> None:
    channels = _figures_table(
        "Contact now", ("Channel", "Contacts a year", "£ per contact", "Cost a year")
    )
    for c in result.channels:
        channels.add_row(
            escape(c.channel),
            f"{c.contacts:,.0f}",
            f"£{c.unit_cost:.2f}",
            _money(c.contacts * c.unit_cost),
        )
    channels.add_row("Total", "", "", _money(result.baseline_cost))
    console.print(channels)
    from upstream.benefits.rounding import whole_pounds

    savings = Table(title="Savings by year (in the unit costs' prices, not discounted)")
    savings.add_column("Year")
    for scenario in result.scenarios:
        s = scenario.scenario
        savings.add_column(f"{escape(s.name)} ({s.shift_share:.0%} shift)", justify="right")
    # Whole pounds that add up to each total, as the web app shows them.
    shown = [whole_pounds([y.saving for y in r.years]) for r in result.scenarios]
    for year in range(len(result.scenarios[0].years) if result.scenarios else 0):
        savings.add_row(f"Year {year}", *(_money(column[year]) for column in shown))
    savings.add_row("Total", *(_money(sum(column)) for column in shown))
    console.print(savings)
    console.print(
        "Year 0 is the first year, as in the appraisal. The savings are in the prices of the "
        "unit costs (Socitm's defaults are 2012 prices): bring them to today's prices before "
        "you set them against today's costs."
    )
    if result.scenarios:
        central = result.scenarios[len(result.scenarios) // 2]
        parts = result.saving_by_channel(central)
        pounds = whole_pounds(list(parts.values()))
        said = ", ".join(
            f"{escape(name)} {_money(amount)}" for name, amount in zip(parts, pounds, strict=True)
        )
        console.print(f"The {escape(central.scenario.name)} saving comes from: {said}.")


@app.command("channel-shift")
def channel_shift_command(
    volumes: Annotated[
        Path, typer.Argument(help="CSV or XLSX with header channel,contacts[,unit_cost].")
    ],
    to: Annotated[str, typer.Option("--to", help="Channel contacts move to.")] = "web",
    low: Annotated[
        float, typer.Option("--low", help="Low scenario: share of contacts that move.")
    ] = 0.1,
    central: Annotated[float, typer.Option("--central", help="Central scenario share.")] = 0.2,
    high: Annotated[float, typer.Option("--high", help="High scenario share.")] = 0.3,
    years: Annotated[
        int, typer.Option("--years", min=1, help="Years to model (0 is the first).")
    ] = 5,
    ramp_years: Annotated[
        int, typer.Option("--ramp-years", min=1, help="Years for take-up to reach the full shift.")
    ] = 3,
    assisted_digital: Annotated[
        float,
        typer.Option(
            "--assisted-digital", help="Share of the shift kept on its channel, with help."
        ),
    ] = 0.1,
    output: Annotated[Path | None, typer.Option("--output", help="JSON file to write.")] = None,
    spec: Annotated[
        Path | None,
        typer.Option(
            "--spec",
            help="Also write the savings as appraisal lines (a SPEC CSV): add the costs of "
            "making the change, then run 'upstream benefits appraise' on it.",
        ),
    ] = None,
) -> None:
    """Savings from moving contact to a cheaper channel, in low, central and high scenarios."""
    from upstream.benefits import model_channel_shift, read_channel_volumes, scenarios
    from upstream.benefits.channel_shift import appraisal_lines
    from upstream.benefits.spec import spec_csv

    with friendly_errors(*_errors()):
        _check_folders(output, spec)
        channels = read_channel_volumes(volumes)
        result = model_channel_shift(
            channels,
            scenarios(
                {"low": low, "central": central, "high": high},
                years=years,
                ramp_years=ramp_years,
                assisted_digital_share=assisted_digital,
                target=to,
            ),
        )
        outputs = {}
        if output is not None:
            outputs[output] = (json.dumps(result.to_dict(), indent=2) + "\n").encode()
        if spec is not None:
            outputs[spec] = spec_csv(appraisal_lines(result)).encode()
        _write(outputs)
    _show_channel_shift(result)
    for path in outputs:
        console.print(f"Wrote {escape(str(path))}")
    if spec is not None:
        console.print(
            "Fill in the cost of making the change in the SPEC before you appraise it: the "
            "savings are not yet weighed against it."
        )


app.add_typer(measures_app, name="measures")
app.add_typer(register_app, name="register")
