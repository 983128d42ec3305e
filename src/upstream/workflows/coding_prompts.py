"""What each stored item answers: its own question or board column, or its source's question.

A sticky note under a workshop's "Barrier" column, or a survey comment given to
"What gets in the way of doing your best work?", says which way it points before
a word of it is read. The coder uses that to tell a barrier from a way past it
(:mod:`upstream.coding.direction`). An item's own attribute wins over its
source's question, because one file may hold answers to several questions.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from upstream.coding.input_rows import InputTable
from upstream.evidence.column_questions import header_question
from upstream.evidence.detect import PROMPT_ATTRIBUTES, prompt_columns
from upstream.records.stored import ItemRecord, SourceInfo

__all__ = ["item_prompts", "row_prompt", "row_prompts"]


def item_prompts(items: Sequence[ItemRecord], sources: Sequence[SourceInfo]) -> list[str | None]:
    """The prompt each item answers, or ``None`` when neither it nor its source names one.

    Args:
        items: Stored items.
        sources: The workspace's sources (for a question asked of a whole file).

    Returns:
        One prompt or ``None`` per item, in order.
    """
    asked = {s.id: str(s.options.get("question") or "").strip() for s in sources}
    prompts: list[str | None] = []
    for item in items:
        own = {str(k).strip().lower(): v for k, v in item.attributes.items()}
        found = next(
            (
                str(own[name]).strip()
                for name in PROMPT_ATTRIBUTES
                if str(own.get(name) or "").strip()
            ),
            "",
        )
        prompts.append(found or asked.get(item.source_id) or None)
    return prompts


def row_prompts(table: InputTable) -> list[str | None]:
    """The prompt each row of a file answers, as :func:`item_prompts` reads a stored item.

    Args:
        table: The rows read from the file to code.

    Returns:
        One prompt or ``None`` per row, in order.
    """
    wanted = prompt_columns(table.columns, table.text_column)
    # A survey tool names the answer column by its question: every row answers it.
    asked = header_question(table.text_column)
    return [
        row_prompt(row.raw.values if row.raw is not None else {}, wanted) or asked
        for row in table.rows
    ]


def row_prompt(values: Mapping[str, object], wanted: Sequence[str]) -> str | None:
    """The prompt one row answers: the first of its prompt columns with a value.

    Args:
        values: The row's values by column.
        wanted: The file's prompt columns (:func:`upstream.evidence.detect.prompt_columns`).

    Returns:
        The prompt, or ``None`` when the row names none.
    """
    found = (str(values.get(c) or "").strip() for c in wanted)
    return next((p for p in found if p), None)
