from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from upstream.evidence.detect import (
    choose_header_row,
    detect_encoding,
    detect_text_column,
    guess_text_column,
    sniff_delimiter,
    unique_column_names,
)
from upstream.evidence.errors import ImportConfigError, ImportFormatError


def test_plain_utf8(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("id,text\n1,Café “quoted” £5\n", encoding="utf-8")
    assert detect_encoding(path) == "utf-8"


def test_utf8_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(codecs.BOM_UTF8 + "id,text\n1,é\n".encode())
    assert detect_encoding(path) == "utf-8-sig"


def test_stray_byte_late_in_a_large_file_means_cp1252(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    body = b"id,text\n" + b"1,plain ascii text here\n" * 200_000  # ~4.6 MB, past the first chunk
    path.write_bytes(body + "2,costs £5\n".encode("cp1252"))
    assert detect_encoding(path) == "cp1252"


def test_bytes_undefined_in_cp1252_fall_back_to_latin1(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"caf\xe9 \x81\n")
    assert detect_encoding(path) == "latin-1"


def test_multibyte_sequence_cut_off_at_the_end_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes("abc é".encode()[:-1])
    assert detect_encoding(path) != "utf-8"


def test_utf16_with_bom(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("id\ttext\n1\thello\n", encoding="utf-16")
    assert detect_encoding(path) == "utf-16"


def test_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_bytes(b"PK\x03\x04\x00\x00binary")
    with pytest.raises(ImportFormatError, match="spreadsheet"):
        detect_encoding(path)


@pytest.mark.parametrize(
    ("sample", "expected"),
    [
        ("id,text,date\n1,hello,2024\n2,there,2024\n", ","),
        ("id;text;date\n1;hello, there;2024\n2;one, two, three;2024\n", ";"),
        ("id\ttext\n1\thello, there\n2\tmore; text\n", "\t"),
        ("id|text\n1|hello, there\n2|x\n", "|"),
        ('id,text\n1,"a; b; c"\n2,"d; e"\n', ","),
        ("Export of replies\n\nid;text\n1;a\n2;b\n", ";"),
    ],
)
def test_sniff_delimiter(sample: str, expected: str) -> None:
    assert sniff_delimiter(sample) == expected


def test_tsv_suffix_means_tab() -> None:
    assert sniff_delimiter("a,b\n1,2\n", suffix=".TSV") == "\t"


def test_unique_column_names() -> None:
    assert unique_column_names(["id", " text ", "", "text", None]) == [
        "id",
        "text",
        "column_3",
        "text (2)",
        "column_5",
    ]


def test_header_below_title_rows() -> None:
    rows: list[list[object]] = [
        ["Consultation replies 2024", "", ""],
        ["", "", ""],
        ["id", "reply", "date"],
        [1.0, "Good", "2024-03-01"],
    ]
    assert choose_header_row(rows) == 2


def test_first_row_is_header_when_widest() -> None:
    rows = [["id", "text", "org"], ["1", "a, b", "x", "extra"], ["2", "c", "y"]]
    assert choose_header_row(rows) == 0


def test_all_blank_rows_have_no_header() -> None:
    assert choose_header_row([["", ""], []]) == -1


SAMPLE = [
    {
        "response_id": "R001",
        "submitted": "2024-03-01",
        "score": "4",
        "channel": "online",
        "comment": "The waiting time at the surgery was far too long for my mother.",
    },
    {
        "response_id": "R002",
        "submitted": "2024-03-02",
        "score": "2",
        "channel": "paper",
        "comment": "Staff were kind but nobody called me back about the repair.",
    },
]


def test_guess_prefers_text_like_names() -> None:
    columns = list(SAMPLE[0])
    assert guess_text_column(columns, SAMPLE) == "comment"


def test_guess_falls_back_to_longest_wordiest_column() -> None:
    rows = [
        {"ref": "A" * 40, "q7": "I would like the library to stay open on Saturdays.", "n": "3"},
        {"ref": "B" * 40, "q7": "More buses please, the last one leaves far too early.", "n": "5"},
    ]
    assert guess_text_column(["ref", "q7", "n"], rows) == "q7"


def test_guess_never_picks_ids_numbers_or_dates() -> None:
    rows = [{"id": "a long identifier value here", "when": "2024-03-01", "amount": "1,204"}]
    assert guess_text_column(["id", "when", "amount"], rows) is None


def test_detect_text_column_raises_with_columns_listed() -> None:
    with pytest.raises(ImportConfigError, match="'id', 'when'"):
        detect_text_column(["id", "when"], [{"id": "1", "when": "2024-01-01"}])


def test_guess_by_name_alone_when_there_are_no_values() -> None:
    assert guess_text_column(["id", "comment_id", "Comment"], []) == "Comment"
    assert guess_text_column(["id", "when"], []) is None


def test_id_like_names_are_recognised_but_said_is_not() -> None:
    rows = [{"ResponseID": "a long free text value here", "what_they_said": "Too long to wait"}]
    assert guess_text_column(["ResponseID", "what_they_said"], rows) == "what_they_said"


def test_guess_column_roles_by_name_and_content() -> None:
    from upstream.evidence.detect import guess_column_roles

    columns = ["comment", "Likes", "reposts", "VOTES", "reactions", "likely_to_return", "ward"]
    sample = [
        {
            "comment": "The library opening hours suit people who work shifts",
            "Likes": "3",
            "reposts": "1",
            "VOTES": "0",
            "reactions": "2",
            "likely_to_return": "yes",
            "ward": "North",
        }
    ]
    engagement, attributes = guess_column_roles(columns, sample, "comment")
    assert engagement == ["Likes", "reposts", "VOTES", "reactions"]
    assert attributes == ["likely_to_return", "ward"]
    notes = [{"notes": "Staff said the new rota works much better for families"}]
    assert guess_column_roles(["comment", "notes"], notes, "comment") == ([], [])


def test_a_survey_exports_question_and_contact_details_are_not_suggested() -> None:
    from upstream.evidence.detect import guess_column_roles

    anything = "Is there anything else you would like to tell us?"
    columns = ["answer", anything, "IP Address", "Email Address", "First Name", "Custom Data 1",
               "ward"]  # fmt: skip
    sample = [
        {"answer": "More bins by the play area", anything: "Thanks for asking",
         "IP Address": "81.2.69.160", "Email Address": "", "First Name": "Jo",
         "Custom Data 1": "", "ward": "North"},
        {"answer": "Lights on the canal path", anything: "", "IP Address": "81.2.69.161",
         "Email Address": "", "First Name": "Sam", "Custom Data 1": "", "ward": "South"},
    ]  # fmt: skip
    # "would like" is not a count of likes; an address or a name is not kept unasked;
    # a column empty in every row is not offered.
    assert guess_column_roles(columns, sample, "answer") == ([], ["ward"])


def test_reference_date_and_role_columns_are_suggested_by_their_names() -> None:
    from upstream.evidence.detect import guess_named_columns

    sample = [
        {"reply_id": "R1", "Date submitted": "2024-03-19", "Job title": "Librarian"},
        {"reply_id": "R2", "Date submitted": "20/04/2024", "Job title": "Volunteer"},
    ]
    found = guess_named_columns(["reply_id", "Date submitted", "Job title", "ward"], sample)
    assert found == {
        "id_column": "reply_id",
        "date_column": "Date submitted",
        "role_column": "Job title",
    }
    # A "date" column that does not hold dates is not suggested: it would reject rows.
    assert guess_named_columns(["date"], [{"date": "2024-03-19"}, {"date": "soon"}]) == {}
    # Who wrote each row, so people can be counted; a respondent's id is not the row's.
    assert guess_named_columns(["response_id", "Respondent ID", "ward"], sample) == {
        "id_column": "response_id",
        "respondent_column": "Respondent ID",
    }
    assert guess_named_columns(["username"], sample) == {"respondent_column": "username"}
