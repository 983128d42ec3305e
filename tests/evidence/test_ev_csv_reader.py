from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from upstream.evidence.csv_reader import BROKEN_QUOTING, MAX_FIELD_CHARS, CsvReader
from upstream.evidence.errors import ImportFormatError
from upstream.records.drafts import RawRow, Reject


def read(path: Path) -> tuple[CsvReader, list[RawRow], list[Reject]]:
    reader = CsvReader(path)
    rows = list(reader.rows())
    good = [r for r in rows if isinstance(r, RawRow)]
    bad = [r for r in rows if isinstance(r, Reject)]
    return reader, good, bad


def test_cp1252_with_pound_and_curly_quotes(tmp_path: Path) -> None:
    path = tmp_path / "replies.csv"
    text = "id,comment\n1,It cost £40 and they said “no”\n2,That’s not fair – really\n"
    path.write_bytes(text.encode("cp1252"))
    reader, good, bad = read(path)
    assert reader.detected["encoding"] == "cp1252"
    assert reader.columns == ["id", "comment"]
    assert not bad
    assert good[0].values["comment"] == "It cost £40 and they said “no”"
    assert good[1].values["comment"] == "That’s not fair – really"


def test_utf8_bom_is_not_part_of_the_first_header(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(codecs.BOM_UTF8 + "id,text\n1,héllo\n".encode())
    reader, good, _ = read(path)
    assert reader.detected["encoding"] == "utf-8-sig"
    assert reader.columns == ["id", "text"]
    assert good[0].values == {"id": "1", "text": "héllo"}


def test_semicolon_delimited(tmp_path: Path) -> None:
    path = tmp_path / "semi.csv"
    path.write_text("id;text;score\n1;Good, really good;4\n2;Bad, slow;1\n", encoding="utf-8")
    reader, good, bad = read(path)
    assert reader.detected["delimiter"] == "semicolon"
    assert not bad
    assert [r.values["text"] for r in good] == ["Good, really good", "Bad, slow"]


def test_tsv(tmp_path: Path) -> None:
    path = tmp_path / "data.tsv"
    path.write_text("id\ttext\n1\tone, two; three\n2\tfour\n", encoding="utf-8")
    reader, good, _ = read(path)
    assert reader.detected["format"] == "TSV"
    assert reader.detected["delimiter"] == "tab"
    assert good[0].values == {"id": "1", "text": "one, two; three"}


def test_multiline_quoted_fields_keep_physical_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "multi.csv"
    path.write_bytes(
        b'id,text\r\n1,"first line\r\nsecond line\r\nthird"\r\n2,plain\r\n'
        b'3,"He said ""hi""",\r\n\r\n4,"a\nb"\r\n'
    )
    _, good, bad = read(path)
    assert not bad
    assert [(r.line, r.values["id"]) for r in good] == [(2, "1"), (5, "2"), (6, "3"), (8, "4")]
    assert good[0].values["text"] == "first line\nsecond line\nthird"
    assert good[2].values["text"] == 'He said "hi"'
    assert good[3].values["text"] == "a\nb"


def test_unclosed_quote_rejects_one_line_and_reading_goes_on(tmp_path: Path) -> None:
    lines = ["id,text,date", '1,"never closed,2024-01-01']
    lines += [f"{i},row {i},2024-01-02" for i in range(2, 2000)]
    path = tmp_path / "broken.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, good, bad = read(path)
    assert [(r.line, r.reason, r.column) for r in bad] == [(2, BROKEN_QUOTING, "text")]
    assert len(good) == 1998
    assert good[0].line == 3
    assert good[0].values == {"id": "2", "text": "row 2", "date": "2024-01-02"}
    assert good[-1].line == 2000


def test_unclosed_quote_followed_by_quoted_rows(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text(
        'id,text\n1,"oops\n2,fine\n3,"quoted, ok"\n4,"also ""fine"""\n', encoding="utf-8"
    )
    _, good, bad = read(path)
    assert [(r.line, r.reason) for r in bad] == [(2, BROKEN_QUOTING)]
    assert [(r.line, r.values["text"]) for r in good] == [
        (3, "fine"),
        (4, "quoted, ok"),
        (5, 'also "fine"'),
    ]


def test_text_after_closing_quote_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text('id,text\n1,"abc"def\n2,ok\n', encoding="utf-8")
    _, good, bad = read(path)
    assert len(bad) == 1
    assert bad[0].line == 2
    assert bad[0].column == "text"
    assert bad[0].reason.startswith("text after a closing quote")
    assert bad[0].raw == '1,"abc"def'
    assert [r.values["text"] for r in good] == ["ok"]


def test_too_many_fields_rejected_fewer_padded(tmp_path: Path) -> None:
    path = tmp_path / "width.csv"
    path.write_text("id,text,org\n1,a,b,c\n2,short\n3,x,y,,\n", encoding="utf-8")
    _, good, bad = read(path)
    assert [(r.line, r.reason) for r in bad] == [(2, "too many fields: expected 3 fields, found 4")]
    assert good[0].values == {"id": "2", "text": "short", "org": ""}
    # trailing empty fields from spreadsheet exports are dropped, not rejected
    assert good[1].values == {"id": "3", "text": "x", "org": "y"}


def test_literal_quote_inside_unquoted_field(tmp_path: Path) -> None:
    path = tmp_path / "inch.csv"
    path.write_text('id,text\n1,a 5" screen is small\n2,next\n', encoding="utf-8")
    _, good, bad = read(path)
    assert not bad
    assert good[0].values["text"] == 'a 5" screen is small'


def test_overlong_field_rejected_naming_the_column(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text(f"id,text\n1,{'x' * (MAX_FIELD_CHARS + 1)}\n2,ok\n", encoding="utf-8")
    _, good, bad = read(path)
    assert bad[0].column == "text"
    assert "column 'text'" in bad[0].reason
    assert [r.values["text"] for r in good] == ["ok"]


def test_duplicate_and_blank_headers_made_unique(tmp_path: Path) -> None:
    path = tmp_path / "heads.csv"
    path.write_text("text,,text\na,b,c\n", encoding="utf-8")
    reader, good, _ = read(path)
    assert reader.columns == ["text", "column_2", "text (2)"]
    assert good[0].values == {"text": "a", "column_2": "b", "text (2)": "c"}
    assert reader.detected["renamed columns"] == (
        "repeated header names kept as 'text (2)' (column 3)"
    )


def test_title_lines_above_the_header(tmp_path: Path) -> None:
    path = tmp_path / "title.csv"
    path.write_text("Replies export\n\nid,text,org\n1,hello,A\n", encoding="utf-8")
    reader, good, _ = read(path)
    assert reader.detected["header row"] == "3"
    assert reader.columns == ["id", "text", "org"]
    assert good[0].line == 4


def test_excel_sep_hint_line(tmp_path: Path) -> None:
    path = tmp_path / "sep.csv"
    path.write_text("sep=;\nid;text\n1;a,b\n", encoding="utf-8")
    reader, good, _ = read(path)
    assert reader.columns == ["id", "text"]
    assert (good[0].line, good[0].values["text"]) == (3, "a,b")


def test_rows_can_be_read_twice(tmp_path: Path) -> None:
    path = tmp_path / "twice.csv"
    path.write_text("id,text\n1,a\n", encoding="utf-8")
    reader = CsvReader(path)
    assert list(reader.rows()) == list(reader.rows())


def test_only_blank_lines_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "blank.csv"
    path.write_text("\n\n  \n", encoding="utf-8")
    with pytest.raises(ImportFormatError, match="no rows"):
        CsvReader(path)


def test_unquoted_commas_in_data_do_not_move_the_header(tmp_path: Path) -> None:
    path = tmp_path / "commas.csv"
    path.write_text(
        "name,comment\nBob,I think, however, that\nAnn,fine\nCy,yes, and, also\n",
        encoding="utf-8",
    )
    reader, good, bad = read(path)
    assert reader.detected["header row"] == "1"
    assert reader.columns == ["name", "comment"]
    assert [r.line for r in bad] == [2, 4]
    assert [r.values for r in good] == [{"name": "Ann", "comment": "fine"}]


def test_many_broken_lines_each_rejected_alone(tmp_path: Path) -> None:
    lines = ["id,text"]
    lines += [f'{i},"never closed' if i % 3 == 0 else f"{i},fine {i}" for i in range(3000)]
    path = tmp_path / "many.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, good, bad = read(path)
    assert [r.line for r in bad] == [i + 2 for i in range(0, 3000, 3)]
    assert {r.reason for r in bad} == {BROKEN_QUOTING}
    assert len(good) == 2000
    assert all(r.values["text"] == f"fine {int(r.values['id'])}" for r in good)
    assert all(r.line == int(r.values["id"]) + 2 for r in good)
