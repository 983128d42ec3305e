from __future__ import annotations

from pathlib import Path

from upstream.evidence.text_reader import TextReader
from upstream.records.drafts import RawRow

MARKDOWN = """\
---
title: Visit notes
---
# Visit to Northgate library

Staff said the building is cold in winter.
They have asked twice for repairs.

## What residents told us

- The opening hours suit working parents.
- Children's events are always full
  and need booking weeks ahead.
* Parking is difficult.
1. Numbered point one.
2) Numbered point two.

> A quoted remark from a volunteer.

Setext heading
--------------

Last paragraph.

***
"""


def rows(reader: TextReader) -> list[RawRow]:
    return [r for r in reader.rows() if isinstance(r, RawRow)]


def test_markdown_headings_become_sections_and_bullets_items(tmp_path: Path) -> None:
    path = tmp_path / "notes.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    reader = TextReader(path, markdown=True)
    assert reader.columns == ["text", "section"]
    assert reader.text_column == "text"
    got = [(r.line, r.values["section"], r.values["text"]) for r in rows(reader)]
    assert got == [
        (
            6,
            "Visit to Northgate library",
            "Staff said the building is cold in winter.\nThey have asked twice for repairs.",
        ),
        (11, "What residents told us", "The opening hours suit working parents."),
        (
            12,
            "What residents told us",
            "Children's events are always full\nand need booking weeks ahead.",
        ),
        (14, "What residents told us", "Parking is difficult."),
        (15, "What residents told us", "Numbered point one."),
        (16, "What residents told us", "Numbered point two."),
        (18, "What residents told us", "A quoted remark from a volunteer."),
        (23, "Setext heading", "Last paragraph."),
    ]


def test_plain_text_paragraphs(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    text = "First paragraph\r\nstill first.\r\n\r\n\r\n# not a heading in .txt\r\n\r\n- kept £"
    path.write_bytes(text.encode("cp1252"))
    reader = TextReader(path)
    assert reader.columns == ["text"]
    assert reader.detected["encoding"] == "cp1252"
    assert [(r.line, r.values) for r in rows(reader)] == [
        (1, {"text": "First paragraph\nstill first."}),
        (5, {"text": "# not a heading in .txt"}),
        (7, {"text": "- kept £"}),
    ]


def test_a_first_line_saying_what_the_notes_are_is_their_section(tmp_path: Path) -> None:
    path = tmp_path / "visit.txt"
    path.write_text(
        "Visit notes - Housing Options team, Monday 3rd. Met the team leader.\n\n"
        "Staff spend more time on screens than with people.\n\n"
        "A Friday huddle helps.\n",
        encoding="utf-8",
    )
    reader = TextReader(path)
    assert reader.columns == ["text", "section"] and "heading" in reader.detected
    heading = "Visit notes - Housing Options team, Monday 3rd. Met the team leader."
    assert [(r.line, r.values) for r in rows(reader)] == [
        (3, {"text": "Staff spend more time on screens than with people.", "section": heading}),
        (5, {"text": "A Friday huddle helps.", "section": heading}),
    ]
    # A first line that is a remark, runs on, or is all there is stays an item.
    for text in (
        "Interviews are hard to arrange. We tried twice.\n\nMore.\n",
        "Meeting with the hub team: 3 May\nand a second line\n\nMore.\n",
        "Meeting notes\n",
    ):
        path.write_text(text, encoding="utf-8")
        plain = TextReader(path)
        assert plain.columns == ["text"]
        assert rows(plain)[0].values["text"] == text.split("\n\n")[0].strip()
