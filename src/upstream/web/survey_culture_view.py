"""What the culture-over-time page shows beside the chart: peers, the model, the evidence."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from upstream.survey.panel import SurveyPanel
from upstream.web.permissions import Actor, Can
from upstream.workflows.survey.culture import culture_model, peer_table

Shown = Callable[[float, str], str]
Difference = Callable[[float, float, str], dict[str, str | bool]]


def peer_rows(
    panel: SurveyPanel,
    measure: str,
    year: int,
    organisation: str,
    *,
    on_scale: Shown,
    difference: Difference,
) -> list[dict[str, Any]]:
    """Every comparable organisation's score in ``year``, best first, the chosen one marked."""
    scale = panel.scale(measure)
    return [
        {
            "organisation": str(r["organisation"]),
            "value": on_scale(float(r["value"]), scale),
            **difference(float(r["value"]), float(r["gap"]), scale),
            "rank": int(r["rank"]),
            "mine": str(r["organisation"]) == organisation,
        }
        for r in peer_table(panel, measure, year).to_dict("records")
    ]


def model_summary(panel: SurveyPanel) -> dict[str, Any] | None:
    """The panel model of engagement on the culture themes, as rows to show (or None)."""
    model = culture_model(panel)
    if model is None:
        return None
    rows = [
        {
            "theme": panel.label(str(r["term"])),
            "coef": f"{float(r['coef']):+.2f}",
            "low": f"{float(r['ci_low']):+.2f}",
            "high": f"{float(r['ci_high']):+.2f}",
            "p": f"{float(r['p_value']):.2g}",
            "unlikely_chance": float(r["p_value"]) < 0.05,
        }
        for r in model.table.to_dict("records")
    ]
    return {
        "outcome": panel.label(model.outcome),
        "outcome_id": model.outcome,
        "predictors": ",".join(model.predictors),
        "rows": rows,
        "n_obs": model.n_obs,
        "n_entities": model.n_entities,
        "n_periods": model.n_periods,
        "r2": f"{model.r2:.2f}",
        "r2_percent": f"{100 * model.r2:.0f}%",
    }


def evidence_link(actor: Actor, organisation: str) -> str:
    """The organisation's page of coded evidence, when it has one the person may browse."""
    if not actor.can(Can.BROWSE):
        return ""
    for summary in actor.evidence.organisations():
        if summary.name == organisation:
            return f"/w/{actor.workspace.id}/organisations/{summary.id}"
    return ""


__all__ = ["evidence_link", "model_summary", "peer_rows"]
