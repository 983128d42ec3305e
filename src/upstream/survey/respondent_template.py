"""A template respondent file: one row per person, groups, then the culture statements."""

from __future__ import annotations

import csv
import io
from typing import Final

from upstream.survey.themes import load_themes

TEMPLATE_NAME: Final = "staff-survey-template.csv"
_GROUPS: Final = ("Team", "Grade")
_EXAMPLES: Final = (
    ("Housing", "Officer", ("Agree", "Strongly agree", "Neither agree nor disagree", "Disagree")),
    ("Housing", "Manager", ("Strongly agree", "Agree", "Agree", "Neither agree nor disagree")),
    ("Libraries", "Officer", ("Disagree", "Agree", "Strongly disagree", "")),
)


def template_csv() -> str:
    """The template as CSV text: Team, Grade and each culture statement, three example rows.

    The headings are the statements' wording, so a file built from the template
    is read with each statement already in its culture theme. Blank answers count
    as no answer.
    """
    statements = [
        theme.texts.get(item, item) for theme in load_themes().themes for item in theme.items
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([*_GROUPS, *statements])
    for team, grade, answers in _EXAMPLES:
        cycle = [answers[i % len(answers)] for i in range(len(statements))]
        writer.writerow([team, grade, *cycle])
    return buffer.getvalue()


__all__ = ["TEMPLATE_NAME", "template_csv"]
