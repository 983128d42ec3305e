"""Header rows that online survey tools add below the first one.

Councils run consultations and staff surveys on online tools whose exports do
not have one header row:

* **SurveyMonkey** puts each question on the first row, over its first column
  only, and a second row under it saying what each column holds:
  "Response", "Open-Ended Response", or one option of a multiple-choice
  question ("Library", "Other (please specify)").
* **Qualtrics** puts short names on the first row ("Q1", "Q2"), the
  question's words on the second and a row of ``{"ImportId": ...}`` on the
  third.

Read as one header row, the second row would become an item ("Open-Ended
Response") and the columns would be called "column_12" or "Q3". This module
recognises both layouts from their own markers and names each column by its
question (and option), so the person chooses "What one change would make the
park better for you?" as the text column.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from upstream.evidence.detect import looks_like_date, looks_numeric

__all__ = ["ExportHeader", "export_header", "export_header_rows"]

# The words SurveyMonkey writes on its second row for a question's own answer.
_ANSWER_WORDS = frozenset({"response", "open-ended response"})
_QUALTRICS_MARKER = '{"importid"'


@dataclass(frozen=True, slots=True)
class ExportHeader:
    """Column names read from a survey tool's header rows.

    Attributes:
        names: One name per column: the question, and the option when a
            question has a column per option ("Which services have you used?:
            Library").
        extra_rows: Header rows below the first (1 for SurveyMonkey, 2 for
            Qualtrics); the data starts after them.
        tool: The tool the layout belongs to, for saying what was detected.
    """

    names: list[str]
    extra_rows: int
    tool: str


def _cell(row: Sequence[Any], index: int) -> str:
    if index >= len(row) or row[index] is None:
        return ""
    return str(row[index]).strip()


def export_header(header: Sequence[Any], following: Sequence[Sequence[Any]]) -> ExportHeader | None:
    """Recognise a survey tool's extra header rows below ``header``.

    Args:
        header: The first header row's cells.
        following: The rows after it (two are enough).

    Returns:
        The columns' names and how many rows to skip, or None for an ordinary
        single header row.
    """
    width = len(header)
    if not following or not width:
        return None
    second = following[0]
    cells = [_cell(second, i) for i in range(width)]
    if len(following) > 1:
        third = [_cell(following[1], i) for i in range(width)]
        filled = [c for c in third if c]
        if filled and all(
            c.casefold().replace(" ", "").startswith(_QUALTRICS_MARKER) for c in filled
        ):
            return ExportHeader(
                [c or _cell(header, i) for i, c in enumerate(cells)], 2, "Qualtrics"
            )
    if not any(c.casefold() in _ANSWER_WORDS for c in cells):
        return None
    # SurveyMonkey's second row holds only labels, and nothing under the
    # respondent's own columns (ID, dates, address): a data row that happens
    # to say "Response" has numbers or dates, or fills every column.
    if any(c and (looks_numeric(c) or looks_like_date(c)) for c in cells) or all(cells):
        return None
    names: list[str] = []
    question = ""
    for i in range(width):
        own = _cell(header, i)
        question = own or question
        part = cells[i]
        if not part or part.casefold() in _ANSWER_WORDS or not question:
            names.append(own or (question if part else ""))
        else:
            names.append(f"{question}: {part}")
    return ExportHeader(names, 1, "SurveyMonkey")


def export_header_rows(first: int, found: ExportHeader | None) -> str:
    """Say which rows were read as the header, for a reader's ``detected``.

    Args:
        first: The first header row's 1-based line or row number.
        found: The survey tool's extra rows, if any.

    Returns:
        "3", or "1 to 2 (a SurveyMonkey export)".
    """
    if found is None:
        return str(first)
    return f"{first} to {first + found.extra_rows} (a {found.tool} export)"
