from __future__ import annotations

from datetime import date

import pytest

from upstream.evidence.errors import ImportConfigError
from upstream.evidence.validate import (
    ACCEPTED_DATE_FORMATS,
    MAX_TEXT_CHARS,
    ColumnMapping,
    Validator,
    parse_count,
    parse_date,
)
from upstream.records.drafts import ItemDraft, RawRow, Reject

COLUMNS = ["ID", "Comment", "Org", "Role", "Date", "Likes", "Shares", "Ward"]


def make(**options: object) -> Validator:
    mapping = ColumnMapping(text_column="Comment", **options)  # type: ignore[arg-type]
    return Validator(mapping, COLUMNS, file="replies.csv")


def row(line: int = 2, **values: str) -> RawRow:
    return RawRow(line, {"Comment": "Useful service", **values})


@pytest.mark.parametrize(
    "value",
    [
        "2024-03-01",
        "01/03/2024",
        "1/3/2024",
        "1 March 2024",
        "1st Mar 2024",
        "March 1, 2024",
        "2024-03-01T10:00",
        "2024-03-01 00:00:00",
        "2024-03-01T10:00:00Z",
    ],
)
def test_accepted_date_formats(value: str) -> None:
    assert parse_date(value) == date(2024, 3, 1)


@pytest.mark.parametrize("value", ["31/02/2024", "next Tuesday", "2024/13/01", "1 Marchember 2024"])
def test_bad_dates_raise(value: str) -> None:
    with pytest.raises(ValueError):
        parse_date(value)


def test_blank_date_is_none() -> None:
    assert parse_date("  ") is None


def test_bad_date_left_out_naming_value_and_formats_and_the_row_kept() -> None:
    result = make(date_column="date").validate(row(Date="31/02/2024"))
    assert isinstance(result, ItemDraft) and result.item_date is None
    assert result.text  # the person's words are kept
    (gap,) = result.left_out
    assert gap.kept and gap.column == "Date" and gap.line == 2 and gap.file == "replies.csv"
    assert "'31/02/2024'" in gap.reason
    assert ACCEPTED_DATE_FORMATS in gap.reason


@pytest.mark.parametrize(("value", "count"), [("12", 12), ("1,204", 1204), ("", 0), ("7.0", 7)])
def test_counts(value: str, count: int) -> None:
    assert parse_count(value) == count


@pytest.mark.parametrize("value", ["-3", "1.5", "lots", "12,34"])
def test_bad_counts(value: str) -> None:
    with pytest.raises(ValueError):
        parse_count(value)


def test_engagement_counts_and_a_bad_count_left_out() -> None:
    validator = make(engagement_columns=["likes", "Shares"])
    good = validator.validate(row(Likes="1,204", Shares=""))
    assert isinstance(good, ItemDraft)
    assert good.engagement == {"Likes": 1204, "Shares": 0}
    bad = validator.validate(row(Likes="-2", Shares="1"))
    assert isinstance(bad, ItemDraft)
    assert bad.engagement == {"Shares": 1}  # the unreadable count is left out, not made 0
    (gap,) = bad.left_out
    assert gap.kept and gap.column == "Likes" and "'-2'" in gap.reason


def test_missing_text_rejected() -> None:
    result = make().validate(RawRow(9, {"Comment": "   ", "ID": "x"}))
    assert isinstance(result, Reject)
    assert result.reason == "no text in column 'Comment'"
    assert result.line == 9
    assert '"ID": "x"' in result.raw


def test_overlong_text_rejected() -> None:
    result = make().validate(RawRow(3, {"Comment": "a" * (MAX_TEXT_CHARS + 1)}))
    assert isinstance(result, Reject)
    assert result.reason.startswith("text too long")


def test_full_mapping_builds_item() -> None:
    validator = make(
        id_column="id",
        org_column="Org",
        role_column="Role",
        date_column="Date",
        attribute_columns=["Ward"],
    )
    result = validator.validate(
        row(ID=" R1 ", Org="Northgate Trust", Role="", Date="1 March 2024", Ward="North")
    )
    assert result == ItemDraft(
        text="Useful service",
        line=2,
        external_id="R1",
        organisation="Northgate Trust",
        author_role=None,
        item_date=date(2024, 3, 1),
        attributes={"Ward": "North"},
    )


def test_fixed_organisation_and_redaction() -> None:
    validator = make(org_name="Council", redact=True, attribute_columns=["Ward"])
    result = validator.validate(
        RawRow(4, {"Comment": "Email me at a.person@example.org", "Ward": "call 07700 900123"})
    )
    assert isinstance(result, ItemDraft)
    assert result.organisation == "Council"
    assert result.text == "Email me at [EMAIL]"
    assert result.redactions == {"EMAIL": 1}
    assert result.attributes == {"Ward": "call [PHONE]"}


def test_nul_characters_are_dropped() -> None:
    result = make().validate(RawRow(2, {"Comment": "a\x00b"}))
    assert isinstance(result, ItemDraft)
    assert result.text == "ab"


def test_missing_columns_raise_listing_available() -> None:
    mapping = ColumnMapping(text_column="reply", date_column="Date", engagement_columns=["views"])
    with pytest.raises(ImportConfigError) as caught:
        Validator(mapping, COLUMNS)
    message = str(caught.value)
    assert "text column 'reply'" in message
    assert "engagement column 'views'" in message
    assert "available columns: 'ID', 'Comment', 'Org'" in message
    assert caught.value.available == COLUMNS


def test_both_organisation_options_conflict() -> None:
    with pytest.raises(ImportConfigError, match="not both"):
        make(org_name="Council", org_column="Org")


def test_a_short_line_is_called_short_not_an_empty_answer(tmp_path) -> None:
    from upstream.store import Store
    from upstream.workflows.ingest import ImportOptions, import_file

    path = tmp_path / "replies.csv"
    path.write_text(
        "id,date,ward,likes,text\n"
        "C005,2024-03-08,Westgate,0,\n"
        "C006,2024-03-09,Abbey\n"
        "C007,2024-03-09,Abbey,1,Keep the library open\n",
        encoding="utf-8",
    )
    with Store(tmp_path / "s.db") as store:
        result = import_file(store, path, ImportOptions(workspace="w", text_column="text"))
    assert result.imported == 1
    # C005: the field is there, and empty: an answer left blank, counted, not listed.
    assert (result.blank, result.rejected) == (1, 1)
    rejects = (tmp_path / "replies.csv.rejects.csv").read_text(encoding="utf-8-sig")
    assert "no text in column 'text'" not in rejects and "C005" not in rejects
    assert "too few fields: expected 5 fields, found 3, so column 'text' is empty" in rejects


def test_the_respondent_column_is_kept_as_who_wrote_the_item() -> None:
    from upstream.signals.people import RESPONDENT_KEYS, respondent_of

    validator = make(respondent_column="ward")  # any case, as other columns match
    drafted = validator.validate(row(Ward="  North  "))
    assert isinstance(drafted, ItemDraft)
    assert drafted.attributes == {"respondent": "North"}
    # The attribute is the one people are counted by.
    assert RESPONDENT_KEYS[0] == "respondent"
    assert respondent_of(drafted) == "North"  # type: ignore[arg-type]
    blank = validator.validate(row(Ward=" "))
    assert isinstance(blank, ItemDraft) and blank.attributes == {}
    with pytest.raises(ImportConfigError, match="respondent column 'author'"):
        make(respondent_column="author")
    # Redacted, an email address becomes a stand-in that still tells people apart.
    hidden = make(respondent_column="Ward", redact=True, attribute_columns=["Ward"])
    one, again, other = (
        hidden.validate(row(Ward=email))
        for email in ("sam@example.org", "SAM@example.org", "kim@example.org")
    )
    assert isinstance(one, ItemDraft) and isinstance(again, ItemDraft)
    assert isinstance(other, ItemDraft)
    assert one.attributes["Ward"] == "[EMAIL]"
    assert one.attributes["respondent"].startswith("person ")
    assert "sam" not in one.attributes["respondent"]
    assert one.attributes["respondent"] == again.attributes["respondent"]
    assert one.attributes["respondent"] != other.attributes["respondent"]
