"""``upstream agreement``: how far human coders, and a machine, agree on a judgements file.

Thin: reads the file, calls :func:`upstream.coding.agreement.agreement_report`,
prints a plain-English summary and, with ``--output``, writes the tables as CSV.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from upstream.cli.common import console, friendly_errors

if TYPE_CHECKING:
    from upstream.coding.agreement import AgreementReport, CoderAgreement

__all__ = ["agreement"]

_SHOWN_CODERS = 5


def _number(value: float, digits: int = 3) -> str:
    return "–" if math.isnan(value) else f"{value:.{digits}f}"


def _interval(ci: tuple[float, float] | None) -> str:
    if ci is None or math.isnan(ci[0]):
        return ""
    return f"{_number(ci[0])} to {_number(ci[1])}"


def kappa_words(kappa: float) -> str:
    """Landis and Koch's words for a κ (or α) value."""
    if math.isnan(kappa):
        return "undefined (one label only, or nothing to compare)"
    bands = ((0.0, "poor"), (0.2, "slight"), (0.4, "fair"), (0.6, "moderate"), (0.8, "substantial"))
    return next((word for top, word in bands if kappa <= top), "almost perfect")


def alpha_words(alpha: float) -> str:
    """Krippendorff's advice for a value of α."""
    if math.isnan(alpha):
        return "undefined (one label only, or no item coded twice)"
    if alpha >= 0.8:
        return "reliable (0.800 or more)"
    if alpha >= 0.667:
        return "tentative conclusions only (0.667 to 0.800)"
    return "too low to rely on (under 0.667)"


def _overview(report: AgreementReport, file: Path, n_rows: int) -> None:
    s = report.summary
    console.print(
        f"Read {n_rows:,} rows from {escape(file.name)}: {s.n_judgements:,} judgements of "
        f"{s.n_items:,} items by {s.n_coders:,} human coders, {s.n_labels} labels; "
        f"{s.n_items_compared:,} items were coded by two or more people."
    )
    if s.n_missing or s.n_repeats:
        console.print(
            f"Left out: {s.n_missing:,} rows without an item, coder or label; "
            f"{s.n_repeats:,} repeat judgements (a coder coding an item again: the first counts)."
        )
    if math.isfinite(s.fleiss_kappa) and s.fleiss_kappa < 1:
        # Fleiss' κ = (observed − chance) / (1 − chance), solved for chance.
        chance = (s.percent_agreement - s.fleiss_kappa) / (1 - s.fleiss_kappa)
        console.print(
            f"Coders agree on {s.percent_agreement:.1%} of pairs, but with these label "
            f"frequencies chance alone would give {chance:.1%}; κ and α correct for chance."
        )


def _summary_table(report: AgreementReport) -> Table:
    s, ci = report.summary, report.summary.intervals
    table = Table(title="Agreement among the human coders")
    table.add_column("measure")
    table.add_column("value", justify="right")
    if ci is not None:
        table.add_column(f"{ci.level:.0%} interval", justify="right")
    table.add_column("what it means")
    alpha = s.krippendorff_alpha
    fleiss = s.fleiss_kappa
    pair = s.median_pair_kappa
    coder = s.median_coder_kappa
    rows = [
        (
            "Krippendorff's α (nominal)",
            alpha,
            ci.krippendorff_alpha if ci else None,
            alpha_words(alpha),
        ),
        ("Fleiss' κ", fleiss, ci.fleiss_kappa if ci else None, kappa_words(fleiss)),
        (
            "Percent agreement",
            s.percent_agreement,
            ci.percent_agreement if ci else None,
            "share of coder pairs agreeing on an item",
        ),
        (
            "Median Cohen's κ of coder pairs",
            pair,
            None,
            f"{kappa_words(pair)}; {s.n_pairs:,} pairs with {report.min_items}+ items",
        ),
        (
            "Median κ of a coder vs the others",
            coder,
            None,
            f"{kappa_words(coder)}; {s.n_coders_ranked:,} coders with {report.min_items}+ items",
        ),
    ]
    for name, value, interval, meaning in rows:
        cells = [name, _number(value)]
        if ci is not None:
            cells.append(_interval(interval))
        table.add_row(*cells, meaning)
    return table


def _coder_table(title: str, coders: list[CoderAgreement], gold: bool) -> Table:
    table = Table(title=title)
    table.add_column("coder")
    table.add_column("items", justify="right")
    table.add_column("agree", justify="right")
    table.add_column("κ", justify="right")
    if any(c.kappa_ci for c in coders):
        table.add_column("95% interval", justify="right")
    if gold:
        table.add_column("κ vs gold", justify="right")
    for c in coders:
        agree = "–" if math.isnan(c.percent_agreement) else f"{c.percent_agreement:.1%}"
        cells = [escape(str(c.coder)), f"{c.n_compared:,}", agree, _number(c.kappa)]
        if any(x.kappa_ci for x in coders):
            cells.append(_interval(c.kappa_ci))
        if gold:
            cells.append(f"{_number(c.gold_kappa)} ({c.n_gold})" if c.n_gold else "–")
        table.add_row(*cells)
    return table


def _coders(report: AgreementReport, gold: bool) -> None:
    ranked = report.ranked_coders()
    if not ranked:
        console.print(
            f"No human coder shares {report.min_items}+ items with the others; "
            "lower --min-items to rank coders."
        )
    else:
        shown = min(_SHOWN_CODERS, len(ranked) // 2) or 1
        title = "Coders closest to the majority of the other coders"
        console.print(_coder_table(title, ranked[:shown], gold))
        if len(ranked) > shown:
            title = "Coders furthest from the majority of the other coders"
            console.print(_coder_table(title, ranked[-shown:][::-1], gold))
    machine = next((c for c in report.coders if c.is_machine), None)
    if machine is not None:
        console.print(_coder_table("The machine against the human majority", [machine], gold))
        s = report.summary
        if not math.isnan(s.machine_rank):
            console.print(
                f"The machine agrees with the human majority at κ = {_number(machine.kappa)} "
                f"({kappa_words(machine.kappa)}): as well as or better than "
                f"{s.machine_rank:.0%} of the {s.n_coders_ranked} human coders ranked "
                f"(median human κ {_number(s.median_coder_kappa)})."
            )


def _per_code(report: AgreementReport) -> None:
    names = ["machine vs gold", "humans vs gold", "human majority vs gold"]
    if report.comparison("machine vs gold") is None:
        names.insert(0, "machine vs human majority")
    for name in names:
        comparison = report.comparison(name)
        if comparison is None or comparison.n == 0:
            continue
        table = Table(
            title=f"Per code, {name} ({comparison.n:,} compared)",
            caption=(
                f"accuracy {comparison.accuracy:.1%} · macro F1 {_number(comparison.macro_f1)}"
                f" · κ {_number(comparison.kappa)}"
            ),
        )
        reference = "gold" if name.endswith("gold") else "majority"
        for column in ("code", "precision", "recall", "F1", f"{reference} count"):
            table.add_column(column, justify="left" if column == "code" else "right")
        for score in comparison.per_code:
            table.add_row(
                escape(str(score.label)),
                _number(score.precision),
                _number(score.recall),
                _number(score.f1),
                f"{score.support:,}",
            )
        console.print(table)


def agreement(
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="Judgements, one row per judgement: CSV, TSV (also .gz) or XLSX/ODS.",
        ),
    ],
    item_column: Annotated[
        str, typer.Option("--item-column", help="Column naming the item judged (e.g. sentence id).")
    ],
    coder_column: Annotated[
        str, typer.Option("--coder-column", help="Column naming who made the judgement.")
    ],
    label_column: Annotated[
        str, typer.Option("--label-column", help="Column holding the label (code) given.")
    ],
    gold_column: Annotated[
        str | None,
        typer.Option(
            "--gold-column",
            help="Column holding a trusted (gold) label for the item; blank where unknown.",
        ),
    ] = None,
    machine_coder: Annotated[
        str | None,
        typer.Option(
            "--machine-coder",
            help=(
                "Coder id of the machine: left out of the human figures and compared with "
                "the human majority like each human coder."
            ),
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            help=(
                "Folder for the CSV tables (summary, pairwise_kappa, coder_vs_majority, "
                "per_code, confusion, majority_labels); created if needed."
            ),
        ),
    ] = None,
    min_items: Annotated[
        int,
        typer.Option(
            "--min-items",
            min=1,
            help=(
                "Leave coder pairs and coders with fewer items in common out of the pairwise "
                "table, medians and rankings: their κ is too noisy to read."
            ),
        ),
    ] = 10,
    bootstrap: Annotated[
        int,
        typer.Option(
            "--bootstrap",
            min=0,
            help="Bootstrap draws for 95% intervals (items resampled); 0 skips them.",
        ),
    ] = 0,
    seed: Annotated[int, typer.Option("--seed", help="Seed for the bootstrap.")] = 0,
) -> None:
    """Measure agreement between coders: Krippendorff's α, Fleiss' κ, Cohen's κ per pair.

    Each coder (and the machine) is compared with the majority of the other
    coders, and with gold labels when given, with precision, recall and F1 per code.
    """
    # numpy and the statistics load only when this command runs.
    from upstream.coding.agreement import Judgements, agreement_report
    from upstream.coding.agreement.files import JudgementFileError, read_judgements, write_tables

    with friendly_errors(JudgementFileError, ValueError):
        table = read_judgements(
            file,
            item_column=item_column,
            coder_column=coder_column,
            label_column=label_column,
            gold_column=gold_column,
        )
        judgements = Judgements.from_columns(table.items, table.coders, table.labels)
        report = agreement_report(
            judgements,
            gold=table.gold,
            machine_coder=machine_coder,
            min_items=min_items,
            n_bootstrap=bootstrap,
            seed=seed,
        )
    _overview(report, file, table.n_rows)
    console.print(_summary_table(report))
    _coders(report, gold=bool(table.gold))
    _per_code(report)
    if output is not None:
        written = write_tables(report.to_tables(), output)
        console.print(f"Wrote {len(written)} tables to {escape(str(output))}.")
