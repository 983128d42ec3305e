"""A deterministic demo self-assessment: fictional organisations rating themselves.

Used by ``upstream survey assess --demo``, the web pages and the tests. The
organisations are the demo organisations shipped with upstream (all fictional);
when that file is absent a built-in list of fictional councils is used. Each
organisation gets a hidden maturity profile; leaders tend to rate their
organisation higher than frontline staff do, by an amount that varies by
element, which is what the perception-gap chart is for. Small organisations have
fewer than 10 respondents in a role group, so suppression shows too.
"""

from __future__ import annotations

import csv
from importlib import resources
from typing import Final

import numpy as np
import pandas as pd

from upstream.survey.assessment import (
    FRONTLINE,
    LEADERS,
    RESPONSE_COLUMNS,
    Questionnaire,
    load_questionnaire,
)

DEMO_SEED: Final = 20240213
_FALLBACK: Final = (
    ("Aldermoor Borough Council", 2400),
    ("Brindlecombe County Council", 6100),
    ("Calverstone City Council", 4300),
    ("Dunmere District Council", 480),
    ("Eskholt Metropolitan Borough Council", 3500),
    ("Farrowdene Council", 2900),
    ("Greyhithe District Council", 390),
    ("Hartwell Vale Council", 1800),
    ("Ivelbridge Borough Council", 650),
    ("London Borough of Juniper Park", 4200),
    ("Kelstow Unitary Council", 3100),
    ("Lowmarsh Community Partnership", 40),
)


def demo_organisations() -> list[tuple[str, int]]:
    """Demo organisations and their headcounts (the shipped demo file, else a fallback)."""
    try:
        source = resources.files("upstream.demo") / "data" / "organisations.csv"
        text = source.read_text("utf-8")
    except (FileNotFoundError, ModuleNotFoundError, OSError):
        return list(_FALLBACK)
    rows = list(csv.DictReader(text.splitlines()))
    found = [
        (row["name"].strip(), int(float(row.get("headcount") or 0) or 500))
        for row in rows
        if row.get("name", "").strip()
    ]
    return found or list(_FALLBACK)


def demo_assessment(
    *,
    seed: int = DEMO_SEED,
    organisations: list[tuple[str, int]] | None = None,
    questionnaire: Questionnaire | None = None,
) -> pd.DataFrame:
    """Generate demo responses: many respondents per organisation, leaders and frontline.

    Args:
        seed: Random seed; the same seed always gives the same responses.
        organisations: ``(name, headcount)`` pairs (default: :func:`demo_organisations`).
        questionnaire: The questionnaire rated (default: New Operating Models).

    Returns:
        Columns ``organisation, respondent, role_group, element, level``.
    """
    rng = np.random.default_rng(seed)
    questionnaire = questionnaire or load_questionnaire()
    keys = questionnaire.keys
    rows: list[tuple[str, str, str, str, int]] = []
    for number, (name, headcount) in enumerate(organisations or demo_organisations(), start=1):
        base = rng.uniform(1.9, 3.7)
        profile = base + rng.normal(0.0, 0.55, len(keys))
        optimism = rng.uniform(0.1, 0.9) + rng.normal(0.0, 0.3, len(keys))
        sizes = {
            LEADERS: int(np.clip(round(headcount * 0.003) + 8, 6, 24)),
            FRONTLINE: int(np.clip(round(headcount * 0.01) + 10, 8, 70)),
        }
        for role, size in sizes.items():
            for person in range(1, size + 1):
                respondent = f"D{number:02d}-{role[0].upper()}{person:03d}"
                lift = optimism if role == LEADERS else 0.0
                levels = np.clip(np.rint(profile + lift + rng.normal(0.0, 0.8, len(keys))), 1, 5)
                skipped = rng.random(len(keys)) < 0.03  # a few unanswered elements
                rows += [
                    (name, respondent, role, key, int(level))
                    for key, level, skip in zip(keys, levels, skipped, strict=True)
                    if not skip
                ]
    return pd.DataFrame(rows, columns=list(RESPONSE_COLUMNS))
