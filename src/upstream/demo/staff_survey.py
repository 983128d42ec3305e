"""The demo staff survey: every demo organisation's staff answers, 2024 to 2026.

``data/staff_survey.csv`` (written by ``data/_generate_staff_survey.py``) holds
one row per respondent; it is stored as an organisation-by-year panel, so the
survey pages show each organisation's culture over time against its peers.
"""

from __future__ import annotations

from typing import Final

from upstream.demo import data_dir
from upstream.store import Store

STAFF_SURVEY: Final = "Staff survey"
STAFF_SURVEY_FILE: Final = "staff_survey.csv"
CULTURE_MEASURES: Final = (
    "CULT_EMPOWERMENT",
    "CULT_OUTWARD_FOCUS",
    "CULT_MISSION",
    "CULT_RISK_CHANGE",
)


def load_demo_staff_survey(store: Store, workspace: str) -> str:
    """Store the demo staff survey and relate engagement to culture across organisations.

    Returns:
        Plain English: what was stored, and the culture theme that moves most
        with engagement within organisations over the years.
    """
    from upstream.survey.regression import fit_model
    from upstream.workflows.survey.respondent_import import import_respondents

    done = import_respondents(
        store,
        data_dir() / STAFF_SURVEY_FILE,
        workspace=workspace,
        survey=STAFF_SURVEY,
        actor="demo",
    )
    panel = done.panel
    years = ", ".join(str(y) for y in panel.years)
    lines = [
        f"Staff survey '{STAFF_SURVEY}': {done.respondents:,} respondents in "
        f"{len(panel.organisations)} organisations over {years}, scored on four culture "
        f"themes and an engagement index ({len(panel.notes)} organisation-year"
        f"{'' if len(panel.notes) == 1 else 's'} with fewer than 10 respondents left out)."
    ]
    model = fit_model(panel, "ENGAGEMENT", list(CULTURE_MEASURES))
    strongest = model.table.sort_values("t_stat", ascending=False).iloc[0]
    lines.append(
        f"  Within organisations over the years, {panel.label(str(strongest['term']))} moves "
        f"most with engagement ({float(strongest['coef']):+.2f} per point, p="
        f"{float(strongest['p_value']):.2g}; {model.n_obs} organisation-years, two-way "
        "fixed effects)."
    )
    return "\n".join(lines)


__all__ = ["STAFF_SURVEY", "load_demo_staff_survey"]
