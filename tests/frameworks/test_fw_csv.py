"""Loading codebooks from CSV, with and without a header row."""

from __future__ import annotations

from pathlib import Path

import pytest

from upstream.frameworks import InvalidCodebook, load_codebook


def _write(tmp_path: Path, text: str, name: str = "codes.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_csv_with_header_and_optional_columns(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "\ufeffCode,Title,Description,Parent,Examples,Include,Exclude,Colour\n"
        "barrier,Barrier,Something in the way,,,,,red\n"
        'barrier.it,Legacy IT,"Old systems,\nstill in use",barrier,'
        '"The system is 20 years old | Nothing talks to anything",when IT,when data,\n'
        "\n"
        "enabler,Enabler,Something that helps\n",
    )
    book = load_codebook(path)
    assert book.id == "codes" and book.ids() == ["barrier", "barrier.it", "enabler"]
    it = book.code("barrier.it")
    assert it.parent == "barrier"
    assert it.definition == "Old systems,\nstill in use"
    assert it.examples == ("The system is 20 years old", "Nothing talks to anything")
    assert (it.include, it.exclude) == ("when IT", "when data")
    assert book.code("enabler").examples == ()


def test_csv_without_header(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        '101,Foreign relations: positive,"Favourable mentions of\nallies."\n'
        "102,Foreign relations: negative,Unfavourable mentions.\n",
    )
    book = load_codebook(path)
    assert book.ids() == ["101", "102"]
    assert book.code("101").title == "Foreign relations: positive"
    assert book.code("101").definition == "Favourable mentions of\nallies."
    assert book.levels == 1


def test_semicolon_and_tab_separated(tmp_path: Path) -> None:
    semi = _write(tmp_path, "id;name;definition\na;A;First\n", "semi.csv")
    assert load_codebook(semi).code("a").definition == "First"
    tab = _write(tmp_path, "code\ttitle\tdescription\na\tA\tFirst, with comma\n", "tab.tsv")
    assert load_codebook(tab).code("a").definition == "First, with comma"


def test_windows_1252_file(tmp_path: Path) -> None:
    path = _write(tmp_path, "code,title,description\nfee,Fees,Costs £5\n", encoding="cp1252")
    assert load_codebook(path).code("fee").definition == "Costs £5"


def test_csv_problems_name_the_physical_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "code,title,description,parent\n"
        'a,A,"two\nline description",\n'
        "b,,no title,\n"
        "a,Again,duplicate,\n"
        "c,C,orphan,ghost\n"
        "d,D,too,many,cells,here\n",
    )
    with pytest.raises(InvalidCodebook) as caught:
        load_codebook(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}, line 4: code 'b' has no title",
        f"{path}, line 5: duplicate code id 'a' (first defined on line 2)",
        f"{path}, line 6: code 'c' has parent 'ghost', which is not defined",
        f"{path}, line 7: row has 6 cells but the header has 4",
    ]


def test_headerless_row_with_wrong_column_count(tmp_path: Path) -> None:
    path = _write(tmp_path, "1,One,First\n2\n3,Three,Third,extra\n")
    with pytest.raises(InvalidCodebook) as caught:
        load_codebook(path)
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (2, "expected 3 columns (code, title, description), found 1"),
        (3, "expected 3 columns (code, title, description), found 4"),
    ]


def test_empty_csv(tmp_path: Path) -> None:
    with pytest.raises(InvalidCodebook, match="the codebook has no codes"):
        load_codebook(_write(tmp_path, "code,title,description\n"))


@pytest.mark.shared_data
def test_manifesto_codebook_loads(shared_data: Path) -> None:
    book = load_codebook(shared_data / "manifesto" / "codebook.csv")
    assert len(book) >= 56
    assert "101" in book and "504" in book
    welfare = book.code("504")
    assert welfare.title and len(welfare.definition) > 20
    assert all(code.parent is None for code in book)


def test_a_codebook_without_a_title_is_named_from_its_file_in_words(tmp_path: Path) -> None:
    from upstream.frameworks.model import title_from_name

    path = _write(tmp_path, "code,title\ntrust,Relationships and trust\n", "ashcombe_codebook.csv")
    book = load_codebook(path)
    assert (book.id, book.title) == ("ashcombe_codebook", "Ashcombe codebook")
    assert title_from_name("HLS-v2 codes") == "HLS v2 codes"
    assert title_from_name("my--own__codes") == "My own codes"
