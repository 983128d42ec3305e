"""Word documents (.docx): one item per paragraph, headings as sections.

Visit and interview notes are usually written in Word. As with Markdown
(:mod:`upstream.evidence.text_reader`), a heading names the part of the notes a
remark belongs to, so it goes into the "section" column instead of becoming an
item: a paragraph in a Title or Heading style, or a short line set wholly in
bold with no full stop, as people mark headings by hand ("What helped").
Each other paragraph or list item is an item, and so is each row of a table,
its cells joined. A table's first row of short labels ("Idea", "Who") is its
header, not a remark: each later row's cells are said with their labels
("Idea: Meet the work coach on site — Who: DWP"). A row's number is the
paragraph's place in the document.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from upstream.evidence.errors import ImportFormatError
from upstream.evidence.limits import MAX_LINE_CHARS, check_archive, too_long_reason
from upstream.records.drafts import RawRow, Reject

__all__ = ["DocxReader"]

_MAX_HEADING_WORDS = 12
_MAX_LABEL_WORDS = 5
_NOT_WORD = (
    "this file could not be read as a Word document; open it in Word and save it again "
    "as .docx, or save it as plain text (.txt)"
)


class DocxReader:
    """Read a .docx file as paragraphs, with the heading each falls under.

    Attributes:
        path: The file.
        columns: ``["text", "section"]``.
        detected: Format and how items were split.
        text_column: Always ``"text"``.
    """

    def __init__(self, path: Path) -> None:
        if not zipfile.is_zipfile(path):
            raise ImportFormatError(path, _NOT_WORD)
        # Checked once, here: rows() is read more than once (a sample, then the import).
        check_archive(
            path,
            "Word",
            advice="split it into smaller documents, or save it as plain text",
            whole="a document",
        )
        self.path = path
        self.columns = ["text", "section"]
        self.text_column: str | None = "text"
        self.detected: dict[str, str] = {
            "format": "Word document",
            "items": "one per paragraph or table row; headings name the section",
        }

    def rows(self) -> Iterator[RawRow | Reject]:
        """Yield one row per paragraph or table row, numbered by its place in the document.

        Yields:
            :class:`RawRow` values with "text" and "section", or a :class:`Reject`
            for a paragraph too long to be one remark.

        Raises:
            ImportFormatError: The file is not a Word document, or is damaged.
        """
        section = ""
        file = str(self.path)
        for number, (kind, block, header) in enumerate(self._blocks(), start=1):
            if kind == "header":
                continue
            text = _table_row_text(block, header) if kind == "row" else block.text.strip()
            if not text:
                continue
            if kind == "paragraph" and _is_heading(block, text):
                section = text
                continue
            if len(text) > MAX_LINE_CHARS:
                yield Reject(file, number, "text", too_long_reason(len(text)), text[:1000])
                continue
            yield RawRow(number, {"text": text, "section": section})

    def _blocks(self) -> Iterator[tuple[str, Any, list[str]]]:
        """The document's paragraphs, table headers and table rows, in reading order.

        A table row comes with its table's header labels (empty without a header).
        """
        import docx  # python-docx: imported here, as only Word imports need it
        from docx.opc.exceptions import PackageNotFoundError

        try:
            document = docx.Document(str(self.path))
        except (PackageNotFoundError, KeyError, ValueError) as exc:
            raise ImportFormatError(self.path, _NOT_WORD) from exc
        for block in document.iter_inner_content():
            if hasattr(block, "rows"):
                rows = list(block.rows)
                header = _header_labels(rows)
                for position, row in enumerate(rows):
                    yield ("header" if header and position == 0 else "row"), row, header
            else:
                yield "paragraph", block, []


def _is_heading(paragraph: Any, text: str) -> bool:
    """A Title or Heading style, or a short line wholly in bold without a full stop."""
    style = (getattr(paragraph.style, "name", "") or "").lower()
    if style == "title" or style.startswith("heading"):
        return True
    runs = [run for run in paragraph.runs if run.text.strip()]
    return (
        bool(runs)
        and all(run.bold for run in runs)
        and len(text.split()) <= _MAX_HEADING_WORDS
        and not text.endswith((".", "?", "!"))
    )


def _cell_texts(row: Any) -> list[str]:
    """A row's cells as text, a cell merged across columns said once (as "")."""
    texts: list[str] = []
    previous = None
    for cell in row.cells:
        text = " ".join(cell.text.split())
        texts.append("" if cell._tc is previous else text)
        previous = cell._tc
    return texts


def _is_label(text: str) -> bool:
    return len(text.split()) <= _MAX_LABEL_WORDS and not text.endswith((".", "?", "!"))


def _header_labels(rows: list[Any]) -> list[str]:
    """The first row's cells when they are labels for the rows below, else nothing.

    A header is short labels, none repeated, over at least one row that says
    more than a label would; a table of short cells throughout is data.
    """
    if len(rows) < 2:
        return []
    first = _cell_texts(rows[0])
    labels = [text for text in first if text]
    if not labels or len(set(labels)) < len(labels) or not all(map(_is_label, labels)):
        return []
    below = (text for row in rows[1:] for text in _cell_texts(row) if text)
    return first if any(not _is_label(text) for text in below) else []


def _table_row_text(row: Any, header: list[str]) -> str:
    """A table row's cells joined, each after its header label when the table has one."""
    said: list[str] = []
    for position, text in enumerate(_cell_texts(row)):
        if not text:
            continue
        label = header[position] if position < len(header) else ""
        said.append(f"{label}: {text}" if label else text)
    return " — ".join(said)
