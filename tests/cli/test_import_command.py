"""`upstream import` end to end: real files, a real store, the real command line."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from upstream.cli import app
from upstream.store import Store, StoreError
from upstream.workflows.ingest import ImportOptions, import_file

runner = CliRunner()


def _import(*args: str) -> str:
    result = runner.invoke(app, ["import", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_cp1252_csv_without_bom(tmp_path: Path) -> None:
    path = tmp_path / "replies.csv"
    rows = "id,comment,likes\r\n1,Café opening hours cost £3 a visit – “too much”,4\r\n"
    rows += "2,We need the youth club back,12\r\n"
    path.write_bytes(rows.encode("cp1252"))
    db = tmp_path / "s.db"
    output = _import(str(path), "--db", str(db), "--org", "Eastmere Council", "--id-column", "id")
    assert "cp1252" in output
    assert "text column 'comment' (detected)" in output
    assert "2 new items" in output
    texts = [i.text for i in Store(db).workspace("default").items()]
    assert texts[0] == "Café opening hours cost £3 a visit – “too much”"


def test_semicolon_delimited_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.csv"
    path.write_text(
        "organisation;note;date\nNorthmoor;Pooled budget with the NHS worked;01/03/2025\n"
        "Eastmere;Procurement rules slowed the pilot;2025-04-02\n",
        encoding="utf-8",
    )
    db = tmp_path / "s.db"
    output = _import(
        str(path), "--db", str(db), "--org-column", "organisation", "--date-column", "date"
    )
    assert "semicolon" in output
    items = Store(db).workspace("default").items()
    assert [(i.organisation, i.item_date.isoformat() if i.item_date else None) for i in items] == [
        ("Northmoor", "2025-03-01"),
        ("Eastmere", "2025-04-02"),
    ]


def test_xlsx_with_title_row_above_header(tmp_path: Path) -> None:
    path = tmp_path / "survey.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Staff survey 2025: open comments"])
    sheet.append([])
    sheet.append(["response", "directorate", "comment"])
    sheet.append([1, "Adults", "Too many forms before we can help anyone"])
    sheet.append([2, "Children", "Keep the weekly team huddles"])
    book.save(path)
    db = tmp_path / "s.db"
    output = _import(str(path), "--db", str(db), "--attribute-column", "directorate")
    assert "header row 3" in output
    items = Store(db).workspace("default").items()
    assert [i.attributes for i in items] == [{"directorate": "Adults"}, {"directorate": "Children"}]
    assert items[0].line == 4


def test_jsonl_with_one_broken_line(tmp_path: Path) -> None:
    path = tmp_path / "stories.jsonl"
    lines = [
        json.dumps({"text": "The food bank referral took one phone call"}),
        '{"text": "broken line with no closing brace"',
        json.dumps({"text": "Volunteers rang every shielding resident"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = tmp_path / "s.db"
    output = _import(str(path), "--db", str(db))
    assert "2 new items" in output and "1 rejected" in output
    rejects = list(csv.DictReader((tmp_path / "stories.jsonl.rejects.csv").open()))
    assert len(rejects) == 1
    assert rejects[0]["line"] == "2"
    assert rejects[0]["raw"] == lines[1]


def test_reimport_adds_nothing_and_rejects_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "replies.csv"
    path.write_text(
        "reply,when\nMore trees on the high street,2025-01-01\n,2025-01-02\n"
        "Safer crossing by the school,not a date\nBring back the community centre,2025-02-01\n"
        "A stray comma,2025-02-02,and more\n",
        encoding="utf-8",
    )
    db = tmp_path / "s.db"
    first = _import(str(path), "--db", str(db), "--date-column", "when")
    assert "3 new items" in first and "1 rejected" in first
    # Line 3 answers nothing: counted, not listed as a fault.
    assert "1 row left 'reply' blank and was left out: nothing was said there." in first
    assert "Imported without a value that could not be read: 1 × bad date" in " ".join(
        first.split()
    )
    rejects = list(csv.DictReader((tmp_path / "replies.csv.rejects.csv").open()))
    assert [(r["line"], r["column"], r["outcome"]) for r in rejects] == [
        ("4", "when", "row imported without this value"),
        ("6", "", "row not imported"),
    ]
    second = _import(str(path), "--db", str(db), "--date-column", "when")
    assert "0 new items, 3 already stored" in second
    crossing = [
        item
        for item in Store(db).workspace("default").items()
        if item.text.startswith("Safer crossing")
    ]
    assert len(crossing) == 1 and crossing[0].item_date is None
    assert Store(db).workspace("default").item_count() == 3


def test_failed_import_leaves_store_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text"])
        writer.writerows([f"Reply number {n} about the bus routes"] for n in range(5000))
    store = Store(tmp_path / "s.db")

    def fail_part_way(rows_read: int) -> None:
        if rows_read >= 2000:
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        import_file(store, path, ImportOptions(workspace="w"), on_progress=fail_part_way)
    assert store.workspaces() == []
    with pytest.raises(StoreError):
        store.workspace("w")


def test_missing_column_names_the_available_ones(tmp_path: Path) -> None:
    path = tmp_path / "replies.csv"
    path.write_text("reply,ward\nMore bins please,North\n", encoding="utf-8")
    result = runner.invoke(
        app, ["import", str(path), "--db", str(tmp_path / "s.db"), "--date-column", "date"]
    )
    assert result.exit_code == 1
    assert "date" in result.output and "'reply'" in result.output and "'ward'" in result.output


def test_redaction_is_applied_and_recorded(tmp_path: Path) -> None:
    path = tmp_path / "replies.csv"
    path.write_text(
        'text\n"Email me at sam.jones@example.org or ring 07700 900123, I live in AB12 3CD"\n',
        encoding="utf-8",
    )
    db = tmp_path / "s.db"
    output = _import(str(path), "--db", str(db), "--redact")
    assert "Personal details replaced: 1 email address, 1 phone number, 1 postcode" in output
    item = Store(db).workspace("default").items()[0]
    assert "example.org" not in item.text and "07700" not in item.text
    assert "[EMAIL]" in item.text and "[PHONE]" in item.text and "[POSTCODE]" in item.text
    assert item.redacted


def test_import_into_postgres(db_url: str, tmp_path: Path) -> None:
    path = tmp_path / "replies.csv"
    path.write_text('text,likes\nMore benches in the park,"1,204"\n', encoding="utf-8")
    _import(str(path), "--db", db_url, "--engagement-column", "likes", "--workspace", "PG")
    _import(str(path), "--db", db_url, "--engagement-column", "likes", "--workspace", "PG")
    items = Store(db_url).workspace("PG").items()
    assert [(i.text, i.engagement) for i in items] == [
        ("More benches in the park", {"likes": 1204})
    ]


def test_a_later_file_is_read_like_an_earlier_one(tmp_path: Path) -> None:
    header = "reply_id,date,respondent,ward,likes,text\n"
    may, june = tmp_path / "may.csv", tmp_path / "june.csv"
    may.write_text(header + "R-1,2025-05-02,jo,Wrenfield,4,Fix the potholes on Canal Road\n")
    june.write_text(header + "R-2,2025-06-02,sam,Old Town,9,Keep the library open late\n")
    db = str(tmp_path / "s.db")
    _import(
        str(may), "--db", db, "--org", "Larkwell", "--text-column", "text",
        "--id-column", "reply_id", "--date-column", "date", "--respondent-column", "respondent",
        "--engagement-column", "likes", "--attribute-column", "ward",
        "--kind", "consultation replies", "--private",
    )  # fmt: skip
    output = _import(str(june), "--db", db, "--like", "may.csv")
    assert "Reading june.csv as 'may.csv' was read" in output
    assert "kind 'consultation replies'" in output and "private" in output
    with Store(db) as store:
        workspace = store.workspace("default")
        item = next(i for i in workspace.items() if i.external_id == "R-2")
        later = max(workspace.sources(), key=lambda s: s.id)
    assert item.organisation == "Larkwell" and item.engagement == {"likes": 9}
    assert item.attributes["ward"] == "Old Town" and item.attributes["respondent"] == "sam"
    assert item.item_date is not None and not item.shared
    assert later.kind == "consultation replies"

    # A file without a column the earlier reading used is refused, naming it.
    other = tmp_path / "other.csv"
    other.write_text("reply_id,text\nR-3,More benches please\n")
    refused = runner.invoke(app, ["import", str(other), "--db", db, "--like", "may.csv"])
    assert refused.exit_code != 0
    assert "other.csv has no column 'date', 'respondent', 'likes', 'ward'" in refused.output
    unknown = runner.invoke(app, ["import", str(june), "--db", db, "--like", "april.csv"])
    assert unknown.exit_code != 0 and "No earlier import is called 'april.csv'" in unknown.output


def test_a_surveymonkey_export_keeps_its_question_for_the_coder(tmp_path: Path) -> None:
    question = "What one change would make the park better for you?"
    path = tmp_path / "park.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([
            ["Respondent ID", "Start Date", "Which ward do you live in?", question],
            ["", "", "Response", "Open-Ended Response"],
            ["114820391", "06/03/2025 09:12", "North ward", "More bins near the play area"],
            ["114820392", "06/03/2025 09:20", "South ward", "Lights on the canal path"],
        ])  # fmt: skip
    db = str(tmp_path / "s.db")
    output = _import(str(path), "--db", db)
    assert "header row 1 to 2 (a SurveyMonkey export)" in output
    assert "question taken from the text column's name" in output
    assert "2 new items" in output
    with Store(db) as store:
        workspace = store.workspace("default")
        texts = sorted(i.text for i in workspace.items())
        (source,) = workspace.sources()
    # The second header row is not a reply.
    assert texts == ["Lights on the canal path", "More bins near the play area"]
    assert source.options["question"] == question

    # The same file's other question is a source of its own, named apart.
    _import(str(path), "--db", db, "--text-column", "Which ward do you live in?")
    with Store(db) as store:
        names = sorted(s.name for s in store.workspace("default").sources())
    assert names == ["park.csv", "park.csv: Which ward do you live in?"]

    # A question the person gives wins over the column's name.
    again = tmp_path / "park-again.csv"
    again.write_text(f"id,{question}\n1,Open the toilets by the cafe\n", encoding="utf-8")
    _import(str(again), "--db", db, "--question", "What would you change in Farrant Park?")
    with Store(db) as store:
        latest = max(store.workspace("default").sources(), key=lambda s: s.id)
    assert latest.options["question"] == "What would you change in Farrant Park?"


def test_whose_words_can_be_said_when_the_kind_would_say_otherwise(tmp_path: Path) -> None:
    from upstream.records.evidence_types import type_of_source

    path = tmp_path / "stickies.csv"
    path.write_text("note\nNo time to think, let alone learn\nPermission to try\n", "utf-8")
    db = tmp_path / "s.db"
    _import(str(path), "--db", str(db), "--org", "Ashcombe", "--kind", "workshop sticky notes")
    other = tmp_path / "staff_stickies.csv"
    other.write_text("note\nManagers scared of red on the dashboard\n", "utf-8")
    _import(str(other), "--db", str(db), "--org", "Ashcombe", "--kind", "workshop sticky notes",
            "--voice", "staff")  # fmt: skip
    with Store(db) as store:
        voices = {s.name: type_of_source(s.kind, s.options)
                  for s in store.workspace("default").sources()}  # fmt: skip
    assert voices == {"stickies.csv": "network", "staff_stickies.csv": "staff"}
    wrong = runner.invoke(app, ["import", str(path), "--db", str(db), "--voice", "council"])
    assert wrong.exit_code == 2 and "residents, staff, partners, network" in wrong.output
