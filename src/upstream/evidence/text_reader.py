"""Plain text and Markdown: one item per paragraph.

Interview and visit notes often arrive as documents rather than tables. A
paragraph (lines up to a blank line) is the natural unit of one remark. In
Markdown, headings name the part of the document a remark belongs to, so they
go into a "section" column instead of becoming items, and each list bullet is
its own item.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from upstream.evidence.detect import detect_encoding
from upstream.records.drafts import RawRow, Reject

_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_RULE = re.compile(r"^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_BULLET = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
_QUOTE = re.compile(r"^ {0,3}>[ \t]?")
_FENCE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})[^`]*$")
_COMMENT = re.compile(r"^\s*<!--.*-->\s*$")


class TextReader:
    """Read a .txt, .md or .markdown file as paragraphs.

    Attributes:
        path: The file.
        columns: ``["text"]``, plus ``"section"`` for Markdown.
        detected: Format, encoding and how items were split.
        text_column: Always ``"text"``.
        markdown: Whether Markdown structure (headings, bullets) is honoured.
    """

    def __init__(self, path: Path, *, markdown: bool = False) -> None:
        self.path = path
        self.markdown = markdown
        self.encoding = detect_encoding(path)
        self.columns = ["text", "section"] if markdown else ["text"]
        self.text_column: str | None = "text"
        self.detected: dict[str, str] = {
            "format": "Markdown" if markdown else "Text",
            "encoding": self.encoding,
            "items": "one per paragraph" + (" or list bullet" if markdown else ""),
        }

    def rows(self) -> Iterator[RawRow | Reject]:
        """Yield one row per paragraph; its line is the paragraph's first line.

        Yields:
            :class:`RawRow` values with a "text" (and for Markdown a "section") value.
        """
        with self.path.open(encoding=self.encoding, errors="replace") as handle:
            if self.markdown:
                yield from self._markdown(handle)
            else:
                yield from self._plain(handle)

    @staticmethod
    def _plain(lines: Iterator[str]) -> Iterator[RawRow | Reject]:
        paragraph: list[str] = []
        start = 0
        for lineno, line in enumerate(lines, start=1):
            text = line.rstrip()
            if text.strip():
                if not paragraph:
                    start = lineno
                paragraph.append(text)
            elif paragraph:
                yield RawRow(start, {"text": "\n".join(paragraph)})
                paragraph = []
        if paragraph:
            yield RawRow(start, {"text": "\n".join(paragraph)})

    @staticmethod
    def _markdown(lines: Iterator[str]) -> Iterator[RawRow | Reject]:
        section = ""
        paragraph: list[str] = []
        start = 0
        in_front_matter = False

        def flush() -> Iterator[RawRow]:
            if paragraph:
                yield RawRow(start, {"text": "\n".join(paragraph), "section": section})
                paragraph.clear()

        for lineno, line in enumerate(lines, start=1):
            text = line.rstrip()
            if lineno == 1 and text == "---":
                in_front_matter = True  # YAML metadata block, not content
                continue
            if in_front_matter:
                in_front_matter = text not in {"---", "..."}
                continue
            if not text.strip():
                yield from flush()
                continue
            heading = _ATX_HEADING.match(text)
            if heading:
                yield from flush()
                section = (heading.group(1) or "").strip()
                continue
            if _SETEXT_UNDERLINE.match(text) and len(paragraph) == 1:
                section = paragraph[0].strip()
                paragraph.clear()
                continue
            if _RULE.match(text) or _FENCE.match(text) or _COMMENT.match(text):
                yield from flush()
                continue
            text = _QUOTE.sub("", text)
            bullet = _BULLET.match(text)
            if bullet:
                yield from flush()
                text = text[bullet.end() :]
                if not text.strip():
                    continue
            if not paragraph:
                start = lineno
            paragraph.append(text.strip())
        yield from flush()
