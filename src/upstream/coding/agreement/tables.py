"""Plain rows (lists of dicts) from an agreement report, ready for CSV or a spreadsheet."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from upstream.coding.agreement.report import AgreementReport

__all__ = ["TABLE_COLUMNS", "report_tables"]

Row = dict[str, object]
_NAN = float("nan")

TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "summary": ("measure", "value", "ci_low", "ci_high", "n", "note"),
    "pairwise_kappa": ("coder_a", "coder_b", "n_items", "percent_agreement", "kappa"),
    "coder_vs_majority": (
        *("coder", "machine", "n_judgements", "n_compared", "n_tied", "percent_agreement"),
        *("kappa", "kappa_ci_low", "kappa_ci_high", "n_gold", "gold_percent_agreement"),
        "gold_kappa",
    ),
    "per_code": ("comparison", "code", "precision", "recall", "f1", "support", "predicted"),
    "confusion": ("comparison", "reference", "compared", "count"),
    "majority_labels": ("item", "label", "votes", "n_judgements", "tied", "tied_labels"),
}
"""The columns of each table, in order."""


def _measure(
    measure: str,
    value: float,
    note: str,
    *,
    n: int | None = None,
    ci: tuple[float, float] | None = None,
) -> Row:
    low, high = ci if ci is not None else (_NAN, _NAN)
    return {
        "measure": measure,
        "value": value,
        "ci_low": low,
        "ci_high": high,
        "n": n,
        "note": note,
    }


def _summary_rows(report: AgreementReport) -> list[Row]:
    s = report.summary
    ci = s.intervals
    rows = [
        _measure("judgements", s.n_judgements, "judgements used"),
        _measure("items", s.n_items, "items with at least one judgement"),
        _measure("items_compared", s.n_items_compared, "items coded by two or more humans"),
        _measure("coders", s.n_coders, "human coders"),
        _measure("labels", s.n_labels, "distinct labels (codes)"),
        _measure("missing_dropped", s.n_missing, "rows without an item, coder or label"),
        _measure("repeats_dropped", s.n_repeats, "second judgements of an item by one coder"),
        _measure(
            "percent_agreement",
            s.percent_agreement,
            "share of human pairs agreeing per item, averaged over items",
            n=s.n_items_compared,
            ci=ci.percent_agreement if ci else None,
        ),
        _measure(
            "fleiss_kappa",
            s.fleiss_kappa,
            "Fleiss' kappa among humans (varying coders per item)",
            n=s.n_items_compared,
            ci=ci.fleiss_kappa if ci else None,
        ),
        _measure(
            "krippendorff_alpha",
            s.krippendorff_alpha,
            "Krippendorff's alpha (nominal) among humans; 0.667+ tentative, 0.8+ good",
            n=s.n_items_compared,
            ci=ci.krippendorff_alpha if ci else None,
        ),
        _measure(
            "median_pair_kappa",
            s.median_pair_kappa,
            f"median Cohen's kappa over human pairs with {report.min_items}+ shared items",
            n=s.n_pairs,
        ),
        _measure(
            "median_coder_kappa",
            s.median_coder_kappa,
            "median kappa of a human coder with the majority of the other humans",
            n=s.n_coders_ranked,
        ),
        _measure("majority_ties", s.n_majority_tied, "items whose human majority label is a tie"),
    ]
    machine = next((c for c in report.coders if c.is_machine), None)
    if machine is not None:
        rows += [
            _measure(
                "machine_kappa",
                machine.kappa,
                f"kappa of the machine ({machine.coder}) with the human majority",
                n=machine.n_compared,
                ci=machine.kappa_ci,
            ),
            _measure(
                "machine_rank",
                s.machine_rank,
                "share of human coders whose kappa the machine matches or beats",
                n=s.n_coders_ranked,
            ),
            _measure(
                "alpha_with_machine",
                s.alpha_with_machine,
                "Krippendorff's alpha with the machine as one more coder",
            ),
        ]
    for comparison in report.comparisons:
        note = comparison.name
        if comparison.n_tied:
            note += f"; {comparison.n_tied} left out because the majority tied"
        for measure, value in (
            ("accuracy", comparison.accuracy),
            ("macro_f1", comparison.macro_f1),
            ("kappa", comparison.kappa),
        ):
            rows.append(_measure(f"{comparison.name}: {measure}", value, note, n=comparison.n))
    return rows


def report_tables(report: AgreementReport) -> dict[str, list[Row]]:
    """Plain rows for each table of ``report`` (see :meth:`AgreementReport.to_tables`)."""
    coders = [
        {
            "coder": c.coder,
            "machine": c.is_machine,
            "n_judgements": c.n_judgements,
            "n_compared": c.n_compared,
            "n_tied": c.n_tied,
            "percent_agreement": c.percent_agreement,
            "kappa": c.kappa,
            "kappa_ci_low": c.kappa_ci[0] if c.kappa_ci else _NAN,
            "kappa_ci_high": c.kappa_ci[1] if c.kappa_ci else _NAN,
            "n_gold": c.n_gold,
            "gold_percent_agreement": c.gold_percent_agreement,
            "gold_kappa": c.gold_kappa,
        }
        for c in report.coders
    ]
    per_code = [
        {
            "comparison": comparison.name,
            "code": score.label,
            "precision": score.precision,
            "recall": score.recall,
            "f1": score.f1,
            "support": score.support,
            "predicted": score.predicted,
        }
        for comparison in report.comparisons
        for score in comparison.per_code
    ]
    confusion = [
        {
            "comparison": comparison.name,
            "reference": reference,
            "compared": compared,
            "count": int(comparison.confusion[i, j]),
        }
        for comparison in report.comparisons
        for i, reference in enumerate(comparison.labels)
        for j, compared in enumerate(comparison.labels)
    ]
    return {
        "summary": _summary_rows(report),
        "pairwise_kappa": [
            {
                "coder_a": p.coder_a,
                "coder_b": p.coder_b,
                "n_items": p.n_items,
                "percent_agreement": p.percent_agreement,
                "kappa": p.kappa,
            }
            for p in report.pairwise
        ],
        "coder_vs_majority": coders,
        "per_code": per_code,
        "confusion": confusion,
        "majority_labels": [
            {
                "item": m.item,
                "label": m.label,
                "votes": m.votes,
                "n_judgements": m.n_judgements,
                "tied": m.tied,
                "tied_labels": " | ".join(str(label) for label in m.tied_labels),
            }
            for m in report.majority
        ],
    }
