"""Fixtures for survey tests: small synthetic files and the real CSPS panel."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from upstream.survey.panel import SurveyPanel, empty_scores, measures_table
from upstream.survey.published import import_published

ORGS = [
    "Department for Widgets",
    "Office of Examples",
    "HM Testing Service",
    "Northmoor Agency",
    "Rivermouth Council",
    "Eastfield Authority",
    "Westbrook Office",
    "Southgate Inspectorate",
    "Lowfield Commission",
    "Highcross Board",
    "Greendale Service",
]


@pytest.fixture(scope="session")
def csps_root(shared_data: Path) -> Path:
    """The real Civil Service People Survey folder."""
    return shared_data / "csps"


@pytest.fixture(scope="session")
def csps_panel(csps_root: Path) -> SurveyPanel:
    """Every CSPS year 2009-2020, imported once for the session."""
    return import_published([csps_root])


def synthetic_panel(
    *, organisations: int = 11, years: tuple[int, ...] = (2017, 2018, 2019, 2020), seed: int = 3
) -> SurveyPanel:
    """A panel with known structure: LD depends on LM and MW plus organisation and year effects."""
    rng = np.random.default_rng(seed)
    rows = []
    for o in range(organisations):
        level = rng.normal(0, 0.05)
        for y in years:
            shock = (y - years[0]) * 0.01
            lm = 0.6 + level + shock + rng.normal(0, 0.03)
            mw = 0.7 + level / 2 + rng.normal(0, 0.03)
            ld = 0.1 + 0.4 * lm + 0.3 * mw + level + shock + rng.normal(0, 0.01)
            name = ORGS[o % len(ORGS)] + ("" if o < len(ORGS) else f" {o}")
            for measure, value in (("LD", ld), ("LM", lm), ("MW", mw), ("EES", (lm + mw) / 2)):
                rows.append((name, y, measure, value, pd.NA, name, "synthetic", False))
    scores = pd.DataFrame(rows, columns=list(empty_scores().columns)).astype(
        empty_scores().dtypes.to_dict()
    )
    labels = [("LD", "Learning and development", "theme"), ("LM", "My manager", "theme")]
    labels += [("MW", "My work", "theme"), ("EES", "Employee engagement index", "index")]
    return SurveyPanel(scores=scores, measures=measures_table(labels))


@pytest.fixture
def make_panel() -> Callable[..., SurveyPanel]:
    """Build a synthetic panel (see :func:`synthetic_panel`)."""
    return synthetic_panel


def write_org_table(path: Path, rows: list[list[object]], *, sheet: str = "Scores") -> Path:
    """Write a grid (no header assumed) to CSV, XLSX or ODS by the file's extension."""
    width = max(len(r) for r in rows)
    frame = pd.DataFrame([list(r) + [None] * (width - len(r)) for r in rows])
    if path.suffix == ".csv":
        frame.to_csv(path, index=False, header=False)
    else:
        engine = "odf" if path.suffix == ".ods" else "openpyxl"
        frame.to_excel(path, index=False, header=False, sheet_name=sheet, engine=engine)
    return path


@pytest.fixture
def write_table() -> Callable[..., Path]:
    """Write a grid to CSV, XLSX or ODS (see :func:`write_org_table`)."""
    return write_org_table
