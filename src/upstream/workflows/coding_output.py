"""What `upstream code` writes for each row, in CSV and in Parquet alike.

An analyst opens the output beside the evidence: a code id alone
("driver.political_ambition") does not say what it is, nor why it was given,
nor what the machine thought of a row it left uncoded. So each row carries the
code's title, the machine's best guess for an uncoded row, and the words of the
row that pointed to the code (or the words a model endpoint quoted).
"""

from __future__ import annotations

from typing import Any

from upstream.coding.results import CodingResult
from upstream.frameworks.model import Codebook

__all__ = ["COLUMNS", "output_values"]

COLUMNS: dict[str, str] = {
    "id": "string",
    "code": "string",
    "confidence": "float",
    "codes": "list",
    "title": "string",
    "best_guess": "string",
    "why": "string",
}
"""The output's columns and their Parquet types, in order."""

_WHY_TERMS = 5


def output_values(identifier: str, result: CodingResult, codebook: Codebook) -> list[Any]:
    """One output row's values, in :data:`COLUMNS` order.

    Args:
        identifier: The row's id.
        result: The coder's result for it.
        codebook: The codebook coded against (for titles).

    Returns:
        ``id``, ``code`` (or ``None``), ``confidence``, ``codes`` (a list),
        ``title`` of the code, ``best_guess`` (the most likely code of a row left
        uncoded) and ``why`` (the words that pointed to the code, "; " between, or
        the closest example of the code when no word did).
    """
    best = result.best[0] if result.uncoded and result.best is not None else ""
    explanation = result.explanation
    why = explanation.quote or "; ".join(term for term, _ in explanation.terms[:_WHY_TERMS])
    closest = [n for n in explanation.neighbours if n.code == result.code]
    if not why and closest:
        # No word of the row is the code's own: the example it is most like says why.
        why = f"like “{closest[0].text}”"
    return [
        identifier,
        result.code,
        result.confidence,
        [code for code, _ in result.codes],
        _title(codebook, result.code),
        best,
        "" if result.uncoded else why,
    ]


def _title(codebook: Codebook, code: str | None) -> str:
    return codebook.code(code).title if code and code in codebook else ""
