"""Plain text and Markdown: one item per paragraph.

Interview and visit notes often arrive as documents rather than tables. A
paragraph (lines up to a blank line) is the natural unit of one remark. In
Markdown, headings name the part of the document a remark belongs to, so they
go into a "section" column instead of becoming items, and each list bullet is
its own item. Plain text has no headings, but notes usually open with a line
saying what they are ("Visit notes - Housing Options team, Monday 3rd",
"Interview: revenues manager"): such a first line is the section of the
paragraphs after it, not a remark of its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from upstream.evidence.detect import DAMAGED_UTF8, sniff_encoding
from upstream.evidence.limits import MAX_LINE_CHARS, LongLine, bounded_lines, too_long_reason
from upstream.records.drafts import RawRow, Reject

# A paragraph longer than this is rejected; it is read past, not held.
MAX_PARAGRAPH_CHARS = MAX_LINE_CHARS

_ATX_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_RULE = re.compile(r"^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_BULLET = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+|$)")
_QUOTE = re.compile(r"^ {0,3}>[ \t]?")
_FENCE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})[^`]*$")
_COMMENT = re.compile(r"^\s*<!--.*-->\s*$")
# The first line of plain-text notes that says what they are: a kind of record, then a
# dash or colon soon after ("Visit notes - ...", "Interview: ..."), or no full stop.
_NOTES_WORDS = (
    r"(?:site visit|visit|interview|meeting|notes?|minutes|call|workshop|session|"
    r"conversation|focus group|observation|catch[- ]up|one[- ]to[- ]one|1:1|walkabout)"
)
_NOTES_HEADING = re.compile(
    rf"^\s*(?i:{_NOTES_WORDS})\b(?:[^.\n]{{0,40}}?(?:\s[-–—]\s|:\s)|[^\n]*[^.!?\s]\s*$)"
)
_MAX_HEADING_CHARS = 250


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
        sniffed = sniff_encoding(path)
        self.encoding = sniffed.codec
        self._damaged = sniffed.damaged
        self._heading = "" if markdown else self._notes_heading()
        self.columns = ["text", "section"] if markdown or self._heading else ["text"]
        self.text_column: str | None = "text"
        self.detected: dict[str, str] = {
            "format": "Markdown" if markdown else "Text",
            "encoding": sniffed.describe(),
            "items": "one per paragraph" + (" or list bullet" if markdown else ""),
        }
        if self._heading:
            self.detected["heading"] = "the first line says what the notes are: kept as the section"

    def _notes_heading(self) -> str:
        """The first line, when it says what the notes are, stands alone, and notes follow."""
        first = ""
        blank = False
        with self.path.open(encoding=self.encoding, errors="replace") as handle:
            for raw in bounded_lines(handle):
                if isinstance(raw, LongLine):
                    return ""
                line = raw.strip()
                if not first:
                    first = line
                elif not line:
                    blank = True
                elif not blank:
                    return ""  # the first paragraph runs on: it is a remark
                else:
                    break  # a paragraph follows the first line
            else:
                return ""  # nothing follows the first line: keep it as the item
        if len(first) > _MAX_HEADING_CHARS:
            return ""
        return first if _NOTES_HEADING.match(first) else ""

    def rows(self) -> Iterator[RawRow | Reject]:
        """Yield one row per paragraph; its line is the paragraph's first line.

        Yields:
            :class:`RawRow` values with a "text" (and for Markdown a "section") value.
        """
        file = str(self.path)
        with self.path.open(encoding=self.encoding, errors="replace") as handle:
            lines = _Lines(bounded_lines(handle), file)
            items = self._markdown(lines) if self.markdown else self._plain(lines, self._heading)
            for item in items:
                if lines.rejects:
                    yield from lines.rejects
                    lines.rejects.clear()
                if isinstance(item, RawRow) and item.line in lines.cut:
                    continue  # the start of a paragraph already rejected as too long
                if self._damaged and isinstance(item, RawRow) and "\ufffd" in item.values["text"]:
                    yield Reject(file, item.line, "text", DAMAGED_UTF8, item.values["text"])
                    continue
                yield item
            yield from lines.rejects

    @staticmethod
    def _plain(lines: Iterator[str], heading: str = "") -> Iterator[RawRow | Reject]:
        paragraph: list[str] = []
        start = 0
        skip = bool(heading)  # the heading line is the section, not an item

        def row() -> RawRow:
            text = "\n".join(paragraph)
            return RawRow(start, {"text": text, "section": heading} if heading else {"text": text})

        for lineno, line in enumerate(lines, start=1):
            text = line.rstrip()
            if text.strip():
                if not paragraph:
                    start = lineno
                paragraph.append(text)
            elif paragraph:
                if skip:
                    skip = False
                else:
                    yield row()
                paragraph = []
        if paragraph and not skip:
            yield row()

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


class _Lines:
    """Lines of a document with over-long lines and paragraphs taken out as rejects.

    An over-long line, or a paragraph that grows past :data:`MAX_PARAGRAPH_CHARS`,
    is replaced by blank lines (so paragraphs around it stay apart and line
    numbers stay right) and a reject is queued in ``rejects``.
    """

    def __init__(self, lines: Iterator[str], file: str) -> None:
        self._lines = lines
        self._file = file
        self._lineno = 0
        self._start = 0
        self._size = 0
        self._skipping = False
        self.rejects: list[Reject] = []
        self.cut: set[int] = set()

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self._lineno += 1
        if isinstance(line, LongLine):
            reason = too_long_reason(line.length)
            self.rejects.append(Reject(self._file, self._lineno, "text", reason, str(line)))
            self._skipping = True
            return "\n"
        if not line.strip():
            self._size = 0
            self._skipping = False
            return line
        if self._skipping:
            return "\n"
        if not self._size:
            self._start = self._lineno
        self._size += len(line)
        if self._size > MAX_PARAGRAPH_CHARS:
            reason = (
                f"paragraph too long: more than {MAX_PARAGRAPH_CHARS:,} characters; "
                "add blank lines between its parts"
            )
            self.rejects.append(Reject(self._file, self._start, "text", reason, line[:1000]))
            self.cut.add(self._start)
            self._skipping = True
            return "\n"
        return line
