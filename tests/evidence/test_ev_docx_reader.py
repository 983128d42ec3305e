"""Word documents: paragraphs as items, headings (styled or bold) as sections, tables by row."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from upstream.evidence.docx_reader import DocxReader
from upstream.evidence.errors import ImportFormatError
from upstream.evidence.limits import MAX_LINE_CHARS
from upstream.evidence.readers import open_table
from upstream.records.drafts import RawRow, Reject


def visit_notes(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("Visit notes: Housing Options team", level=0)
    document.add_paragraph("Staff spend more time on case screens than with people.")
    document.add_paragraph("")
    document.add_heading("What gets in the way", level=1)
    document.add_paragraph("Three signatures to pay two weeks' rent arrears.", style="List Bullet")
    bold = document.add_paragraph()
    bold.add_run("What helped").bold = True
    document.add_paragraph("A Friday huddle about one case that went wrong.")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Idea"
    table.cell(0, 1).text = "Who"
    table.cell(1, 0).text = "Meet the work coach on site"
    table.cell(1, 1).text = "DWP"
    strong = document.add_paragraph()
    strong.add_run("A whole sentence in bold is still a remark.").bold = True
    document.add_paragraph("x" * (MAX_LINE_CHARS + 1))
    document.save(str(path))
    return path


def test_paragraphs_tables_and_headings(tmp_path: Path) -> None:
    reader = DocxReader(visit_notes(tmp_path / "notes.docx"))
    assert reader.columns == ["text", "section"] and reader.text_column == "text"
    got = list(reader.rows())
    rows = [(r.values["section"], r.values["text"]) for r in got if isinstance(r, RawRow)]
    assert rows == [
        ("Visit notes: Housing Options team",
         "Staff spend more time on case screens than with people."),
        ("What gets in the way", "Three signatures to pay two weeks' rent arrears."),
        ("What helped", "A Friday huddle about one case that went wrong."),
        # A table's header of short labels is not a remark: its labels say what each cell is.
        ("What helped", "Idea: Meet the work coach on site — Who: DWP"),
        ("What helped", "A whole sentence in bold is still a remark."),
    ]  # fmt: skip
    # Numbered by place in the document, so a too-long paragraph is found again.
    rejects = [r for r in got if isinstance(r, Reject)]
    assert len(rejects) == 1 and "too long" in rejects[0].reason
    assert rejects[0].line > max(r.line for r in got if isinstance(r, RawRow))


def test_a_table_of_short_cells_throughout_has_no_header(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=2)
    for row, (first, second) in enumerate(
        [("Huddle", "Weekly"), ("Coach", "DWP"), ("Hub", "Open")]
    ):
        table.cell(row, 0).text = first
        table.cell(row, 1).text = second
    merged = document.add_table(rows=2, cols=2)
    merged.cell(0, 0).merge(merged.cell(0, 1)).text = "Notes"
    merged.cell(1, 0).text = "The hub opened late because the keys were lost."
    merged.cell(1, 1).text = "Nobody knew who held them."
    document.save(str(tmp_path / "t.docx"))
    texts = [r.values["text"] for r in DocxReader(tmp_path / "t.docx").rows()]
    assert texts == [
        "Huddle — Weekly",
        "Coach — DWP",
        "Hub — Open",
        "Notes: The hub opened late because the keys were lost. — Nobody knew who held them.",
    ]


def old_text(tmp_path: Path) -> Path:
    path = tmp_path / "typed.docx"
    path.write_text("notes typed in a text editor", encoding="utf-8")
    return path


def test_open_table_reads_word_and_refuses_what_is_not(tmp_path: Path) -> None:
    reader = open_table(visit_notes(tmp_path / "notes.docx"))
    assert reader.detected["format"] == "Word document"
    fake = tmp_path / "fake.docx"
    with zipfile.ZipFile(fake, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ImportFormatError, match="could not be read as a Word document"):
        list(open_table(fake).rows())
    with pytest.raises(ImportFormatError, match="could not be read as a Word document"):
        DocxReader(old_text(tmp_path))
    old = tmp_path / "old.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ImportFormatError, match=r"save the document as Word \(\.docx\)"):
        open_table(old)
