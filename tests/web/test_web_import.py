"""The import wizard: upload, preview, map, confirm, background import, summary; limits."""

from __future__ import annotations

import io
import re
import time
import zipfile

from fastapi.testclient import TestClient

from upstream.store import Store

CSV = (
    "ref;comment;council;date;likes\n"
    "r1;We need more youth clubs – £5 a week;Northmoor Council;01/03/2024;5\n"
    "r2;<script>alert(1)</script> Bins are collected late;Northmoor Council;02/03/2024;2\n"
    "r3;;Northmoor Council;03/03/2024;1\n"
    "r4;Libraries are community hubs now;Northmoor Council;not a date;x\n"
    "r5;A stray delimiter;Northmoor Council;04/03/2024;3;and more\n"
).encode("cp1252")


def _upload(client: TestClient, w: int, token: str, name: str, data: bytes, mime: str = "text/csv"):
    return client.post(
        f"/w/{w}/import",
        data={"csrf_token": token},
        files={"file": (name, data, mime)},
        follow_redirects=False,
    )


def _wait(client: TestClient, url: str) -> str:
    for _ in range(300):
        page = client.get(url).text
        if 'http-equiv="refresh"' not in page:
            return page
        time.sleep(0.1)
    raise AssertionError("the import did not finish")


def test_wizard_end_to_end(client_for, seeded, web) -> None:
    anna = client_for("anna@northmoor.gov.uk")
    w = seeded.workspace_id
    token = web.page_csrf(anna, f"/w/{w}/import")
    uploaded = _upload(anna, w, token, "replies.csv", CSV)
    assert uploaded.status_code == 303, uploaded.text
    base = uploaded.headers["location"].rsplit("/", 1)[0]

    preview = anna.get(uploaded.headers["location"])
    assert preview.status_code == 200
    assert "cp1252" in preview.text.lower() or "windows-1252" in preview.text.lower()
    assert "semicolon" in preview.text.lower()
    assert "We need more youth clubs" in preview.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in preview.text
    assert "<script>alert(1)</script>" not in preview.text

    mapping = anna.get(f"{base}/map")
    assert 'name="text_column"' in mapping.text and "Northmoor Council" in mapping.text
    bad = anna.post(f"{base}/map", data={"csrf_token": token, "text_column": "nope"})
    assert bad.status_code == 400 and "Choose the column that holds the text" in bad.text
    mapped = anna.post(
        f"{base}/map",
        data={
            "csrf_token": token,
            "text_column": "comment",
            "id_column": "ref",
            "date_column": "date",
            "engagement_columns": ["likes"],
            "shared": "1",
            "attribute_columns": ["council"],
            "respondent_column": "ref",
            "kind": "consultation replies",
        },
        follow_redirects=False,
    )
    assert mapped.status_code == 303 and mapped.headers["location"].endswith("/confirm")
    confirm = anna.get(mapped.headers["location"])
    assert "comment" in confirm.text and "Shared with the whole workspace" in confirm.text
    assert "from the column “ref”" in confirm.text

    started = anna.post(f"{base}/start", data={"csrf_token": token}, follow_redirects=False)
    assert started.status_code == 303 and "/jobs/" in started.headers["location"]
    summary = _wait(anna, started.headers["location"])
    assert "Import finished" in summary
    numbers = [int(n) for n in re.findall(r'<span class="stat">(\d+)</span>', summary)]
    rows_read, new, duplicates, rejected, blank = numbers
    # r3 has no text: an answer left blank, not a fault; r4's date and likes cannot be
    # read, so r4 is kept without them; r5 has a field too many.
    assert (rows_read, new, duplicates, rejected, blank) == (5, 3, 0, 1, 1)
    assert "1 row had nothing in “comment”, so it was left out" in summary
    assert (
        "Rows that were not imported" in summary and "Values left out of imported rows" in summary
    )
    assert re.search(r"<li>bad date: 1</li>", summary) and re.search(
        r"<li>bad count: 1</li>", summary
    )
    rejects = anna.get(started.headers["location"] + "/rejects.csv")
    assert rejects.status_code == 200 and "reason" in rejects.text
    assert rejects.text.count("row imported without this value") == 2
    assert rejects.text.count("row not imported") == 1
    kept = anna.get(f"/api/workspaces/{w}/items?q=Libraries").json()["items"]
    assert len(kept) == 1 and kept[0]["item_date"] is None and kept[0]["engagement"] == {}

    # Starting again does not import twice; the job is shown instead.
    again = anna.post(f"{base}/start", data={"csrf_token": token}, follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"] == started.headers["location"]

    listed = anna.get(f"/api/workspaces/{w}/items?q=clubs").json()
    assert listed["total"] == 1
    item = listed["items"][0]
    assert item["organisation"] == "Northmoor Council" and item["shared"] is True
    assert item["external_id"] == "r1" and item["engagement"] == {"likes": 5}
    # The column chosen as who wrote it is kept as the item's respondent, for counting
    # people; like any value fewer than 10 items share, it is not shown to readers.
    assert item["attributes"]["respondent"] == "not shown: kept only to count people"
    with Store(seeded.db) as store:
        stored = next(i for w_ in store.workspaces() for i in store.workspace(w_.name).items()
                      if i.external_id == "r1")  # fmt: skip
    assert stored.attributes["respondent"] == "r1"
    page = anna.get(f"/w/{w}/evidence?q=Bins")
    assert "&lt;script&gt;" in page.text and "<script>alert(1)</script>" not in page.text

    # Other people cannot follow someone else's upload or job.
    ben = client_for("ben@southvale.gov.uk")
    assert ben.get(f"{base}/preview").status_code == 404
    assert ben.get(started.headers["location"]).status_code == 404


def test_analysts_import_only_for_their_own_organisation(client_for, seeded, web) -> None:
    ben = client_for("ben@southvale.gov.uk")
    w = seeded.workspace_id
    token = web.page_csrf(ben, f"/w/{w}/import")
    uploaded = _upload(ben, w, token, "notes.csv", CSV)
    base = uploaded.headers["location"].rsplit("/", 1)[0]
    ben.post(
        f"{base}/map",
        data={
            "csrf_token": token,
            "text_column": "comment",
            "org_column": "council",
            "organisation": "Northmoor Council",
        },
    )
    started = ben.post(f"{base}/start", data={"csrf_token": token}, follow_redirects=False)
    _wait(ben, started.headers["location"])
    items = ben.get(f"/api/workspaces/{w}/items?q=clubs").json()["items"]
    assert [i["organisation"] for i in items] == ["Southvale Council"]
    assert items[0]["shared"] is False  # private by default


def test_unsupported_and_disguised_files_are_refused(
    client_for, seeded_sqlite, web, make_app
) -> None:
    with TestClient(make_app(seeded_sqlite.db)) as client:
        web.sign_in(client, "anna@northmoor.gov.uk")
        w = seeded_sqlite.workspace_id
        token = web.page_csrf(client, f"/w/{w}/import")
        exe = _upload(client, w, token, "tool.exe", b"MZ\x90\x00", "application/octet-stream")
        assert exe.status_code == 415 and "cannot be imported" in exe.text
        fake_xlsx = _upload(client, w, token, "sheet.xlsx", b"a,b\n1,2\n")
        assert fake_xlsx.status_code == 415 and "not really a Excel workbook" in fake_xlsx.text
        zipped = io.BytesIO()
        with zipfile.ZipFile(zipped, "w") as archive:
            archive.writestr("hello.txt", "hi")
        disguised = _upload(client, w, token, "replies.csv", zipped.getvalue())
        assert disguised.status_code == 415 and "binary data" in disguised.text
        pdf = _upload(client, w, token, "replies.txt", b"%PDF-1.7 ...")
        assert pdf.status_code == 415
        not_json = _upload(client, w, token, "replies.json", b"hello", "application/json")
        assert not_json.status_code == 415 and "JSON" in not_json.text
        empty = _upload(client, w, token, "replies.csv", b"")
        assert empty.status_code == 415
        traversal = _upload(client, w, token, "../../etc/passwd.csv", b"text\nhello there\n")
        assert traversal.status_code == 303


def test_upload_size_limit(seeded_sqlite, make_app, web, tmp_path) -> None:
    app = make_app(seeded_sqlite.db, max_upload_bytes=10_000)
    with TestClient(app) as client:
        web.sign_in(client, "anna@northmoor.gov.uk")
        w = seeded_sqlite.workspace_id
        token = web.page_csrf(client, f"/w/{w}/import")
        small = _upload(client, w, token, "ok.csv", b"text\n" + b"short reply\n" * 100)
        assert small.status_code == 303
        big = b"text\n" + b"a much longer reply that goes on\n" * 1_000  # ~34 kB
        refused = _upload(client, w, token, "big.csv", big)
        assert refused.status_code == 413
        # Just over the file limit but under the whole-request limit: checked while saving.
        edge = b"text\n" + b"x" * 10_100 + b"\n"
        assert _upload(client, w, token, "edge.csv", edge).status_code == 413
        assert "larger than" in _upload(client, w, token, "edge.csv", edge).text
        # Far over the limit: the whole request is refused before the file is stored.
        huge = _upload(client, w, token, "huge.csv", b"text\n" + b"y" * 1_200_000)
        assert huge.status_code == 413
        # Ordinary forms have a small body limit of their own.
        huge_form = client.post("/logout", data={"csrf_token": token, "x": "y" * 2_000_000})
        assert huge_form.status_code == 413
    leftovers = [
        p for p in (tmp_path / "uploads").rglob("*") if p.name.startswith(("big", "edge", "huge"))
    ]
    assert leftovers == []


def test_unreadable_file_is_explained_at_upload(client_for, seeded, web) -> None:
    anna = client_for("anna@northmoor.gov.uk")
    w = seeded.workspace_id
    token = web.page_csrf(anna, f"/w/{w}/import")
    response = _upload(anna, w, token, "bad.json", b"[1, 2, ", "application/json")
    assert response.status_code in {303, 400}
    if response.status_code == 400:
        assert "cannot be read" in response.text or "does not fit" in response.text


def test_owner_can_take_organisations_from_a_column(client_for, seeded, web) -> None:
    owner = client_for("owner@network.org")
    w = seeded.workspace_id
    token = web.page_csrf(owner, f"/w/{w}/import")
    uploaded = _upload(owner, w, token, "network.csv", CSV)
    base = uploaded.headers["location"].rsplit("/", 1)[0]
    form = owner.get(f"{base}/map").text
    assert "One organisation for every row" in form
    both = owner.post(
        f"{base}/map",
        data={
            "csrf_token": token,
            "text_column": "comment",
            "org_column": "council",
            "organisation": "Southvale Council",
        },
    )
    assert both.status_code == 400 and "not both" in both.text
    owner.post(
        f"{base}/map", data={"csrf_token": token, "text_column": "comment", "org_column": "council"}
    )
    started = owner.post(f"{base}/start", data={"csrf_token": token}, follow_redirects=False)
    assert "Import finished" in _wait(owner, started.headers["location"])
    items = owner.get(f"/api/workspaces/{w}/items?q=clubs").json()["items"]
    assert [i["organisation"] for i in items] == ["Northmoor Council"]


def test_mapping_step_suggests_engagement_attributes_and_redaction(client_for, seeded, web) -> None:
    anna = client_for("anna@northmoor.gov.uk")
    w = seeded.workspace_id
    token = web.page_csrf(anna, f"/w/{w}/import")
    data = (
        b"id,Reply text,RetweetCount,num_likes,Agrees,ward,posted\n"
        b"1,The bus to the hospital never comes on time in the evening,4,10,2,North,2024-03-01\n"
        b"2,Our youth club closed and there is nowhere for children to go,1,3,0,South,2024-03-02\n"
    )
    uploaded = _upload(anna, w, token, "posts.csv", data)
    page = anna.get(uploaded.headers["location"].rsplit("/", 1)[0] + "/map").text

    def ticked(field: str) -> set[str]:
        pattern = rf'name="{field}" value="([^"]+)" checked'
        return set(re.findall(pattern, page))

    assert ticked("engagement_columns") == {"RetweetCount", "num_likes", "Agrees"}
    # The id and the date are read as such, so they are not kept a second time.
    assert ticked("attribute_columns") == {"ward"}
    assert re.search(r'<option value="id" selected', page)
    assert re.search(r'<option value="posted" selected', page)
    assert re.search(r'name="redact" value="1" checked', page)


def test_preview_says_which_rows_it_cannot_read_and_why(client_for, seeded, web) -> None:
    anna = client_for("anna@northmoor.gov.uk")
    w = seeded.workspace_id
    token = web.page_csrf(anna, f"/w/{w}/import")
    data = (
        b"ref,comment,council\n"
        b"r1,Bins are collected late,Northmoor Council\n"
        b"r2,one field too many,Northmoor Council,spare\n"
        b"r3,Libraries are community hubs now\n"
    )
    uploaded = _upload(anna, w, token, "short.csv", data)
    assert uploaded.status_code == 303, uploaded.text
    page = anna.get(uploaded.headers["location"]).text
    assert "1 of the first 3 rows could not be read" in page
    assert re.search(r"<li>Line 3[^<]*: too many fields: expected 3 fields, found 4</li>", page)
    assert "one field too many" not in page  # not shown as if it had been read
    # A short line is read, with its missing cells empty, and the preview says so.
    assert "Libraries are community hubs now" in page
    assert "fewer fields than the header" in page and "<li>Line 4: 2 fields</li>" in page


def test_importing_a_file_again_says_nothing_was_added(client_for, seeded, web) -> None:
    anna = client_for("anna@northmoor.gov.uk")
    w = seeded.workspace_id
    data = b"comment\nThe library opening hours suit nobody who works\nMore benches by the river\n"
    summaries = []
    for _ in range(2):
        token = web.page_csrf(anna, f"/w/{w}/import")
        uploaded = _upload(anna, w, token, "twice.csv", data)
        base = uploaded.headers["location"].rsplit("/", 1)[0]
        anna.post(f"{base}/map", data={"csrf_token": token, "text_column": "comment"})
        started = anna.post(f"{base}/start", data={"csrf_token": token}, follow_redirects=False)
        summaries.append(_wait(anna, started.headers["location"]))
    first, second = summaries
    assert "Browse the imported evidence" in first
    assert "This file was imported into the workspace before, read the same way" in second
    assert "Browse the imported evidence" not in second and "Browse the evidence" in second


MAY = (
    b"reply_id,date,respondent,ward,likes,text\n"
    b"R-1,2025-05-02,jo.marsh,Wrenfield,4,The pothole outside the shops is still there\n"
    b"R-2,2025-05-03,sam.k,Old Town,1,Please keep the library open on Saturdays\n"
)
JUNE = (
    b"reply_id,date,respondent,ward,likes,text\n"
    b"R-3,2025-06-02,ali.b,Wrenfield,7,The bus stops running before the late shift ends\n"
)


def test_a_second_instalment_starts_from_the_first_ones_choices(client_for, seeded, web) -> None:
    anna = client_for("anna@northmoor.gov.uk")
    w = seeded.workspace_id
    token = web.page_csrf(anna, f"/w/{w}/import")
    first = _upload(anna, w, token, "may.csv", MAY).headers["location"].rsplit("/", 1)[0]
    page = anna.get(f"{first}/map").text
    # Nothing earlier has this shape; "respondent" is read as who wrote it by its name.
    assert 'id="read-like-before"' not in page
    assert re.search(r'<option value="respondent" selected', page)
    anna.post(
        f"{first}/map",
        data={
            "csrf_token": token,
            "text_column": "text",
            "id_column": "reply_id",
            "date_column": "date",
            "respondent_column": "respondent",
            "engagement_columns": ["likes"],
            "attribute_columns": ["ward"],
            "shared": "1",
            "redact": "1",
            "kind": "consultation replies",
            "question": "What would make your street better?",
        },
    )
    assert "What would make your street better?" in anna.get(f"{first}/confirm").text
    started = anna.post(f"{first}/start", data={"csrf_token": token}, follow_redirects=False)
    assert "Import finished" in _wait(anna, started.headers["location"])

    second = _upload(anna, w, token, "june.csv", JUNE).headers["location"].rsplit("/", 1)[0]
    page = anna.get(f"{second}/map").text
    assert 'id="read-like-before"' in page
    assert "This file has the same columns as <strong>may.csv</strong>" in page
    assert "so both are “consultation replies” and shared with everyone" in page
    assert 'name="kind" value="consultation replies"' in page
    assert 'value="What would make your street better?"' in page
    assert re.search(r'name="shared" value="1" checked', page)
    assert re.search(r'name="engagement_columns" value="likes" checked', page)
    assert re.search(r'<option value="respondent" selected', page)
    assert 'name="source_name" value="june.csv"' in page
    anna.post(
        f"{second}/map",
        data={
            "csrf_token": token,
            "text_column": "text",
            "respondent_column": "respondent",
            "kind": "consultation replies",
            "shared": "1",
            "source_name": "Public question, June 2025",
        },
    )
    assert "Public question, June 2025" in anna.get(f"{second}/confirm").text
    started = anna.post(f"{second}/start", data={"csrf_token": token}, follow_redirects=False)
    assert "Import finished" in _wait(anna, started.headers["location"])
    with Store(seeded.db) as store:
        names = {s.name for w_ in store.workspaces() for s in store.workspace(w_.name).sources()}
    assert {"may.csv", "Public question, June 2025"} <= names

    # Another organisation's analyst sees the shared source's shape and kind, but
    # sharing was chosen for Northmoor's replies: Southvale's start private.
    ben = client_for("ben@southvale.gov.uk")
    ben_token = web.page_csrf(ben, f"/w/{w}/import")
    theirs = _upload(ben, w, ben_token, "june.csv", JUNE).headers["location"].rsplit("/", 1)[0]
    page = ben.get(f"{theirs}/map").text
    assert 'name="kind" value="consultation replies"' in page
    assert re.search(r'name="shared" value="0" checked', page)
    assert "shared with everyone" not in page


def test_a_surveymonkey_export_is_read_with_its_question(client_for, seeded, web) -> None:
    asked = "What one change would make the park better for you?"
    more = "Is there anything else you would like to tell us?"
    data = (
        f'Respondent ID,Start Date,"{asked}","{more}"\n'
        ",,Open-Ended Response,Open-Ended Response\n"
        "114820391,06/03/2025 09:12,More bins near the play area,Thanks for asking\n"
        "114820392,06/03/2025 09:20,Lights on the canal path,\n"
    ).encode()
    anna = client_for("anna@northmoor.gov.uk")
    w = seeded.workspace_id
    token = web.page_csrf(anna, f"/w/{w}/import")
    uploaded = _upload(anna, w, token, "park.csv", data)
    preview = anna.get(uploaded.headers["location"]).text
    assert "1 to 2 (a SurveyMonkey export)" in preview
    assert "Open-Ended Response" not in preview
    base = uploaded.headers["location"].rsplit("/", 1)[0]
    page = anna.get(f"{base}/map").text
    # Chosen as who wrote each reply, so people are counted, not rows.
    assert re.search(r'<option value="Respondent ID" selected', page)
    assert re.search(r'<option value="Start Date" selected', page)
    anna.post(
        f"{base}/map",
        data={"csrf_token": token, "text_column": asked, "respondent_column": "Respondent ID",
              "date_column": "Start Date", "source_name": "park.csv"},
    )  # fmt: skip
    confirm = anna.get(f"{base}/confirm").text
    assert f"<dd>{asked}</dd>" in confirm
    started = anna.post(f"{base}/start", data={"csrf_token": token}, follow_redirects=False)
    assert "Import finished" in _wait(anna, started.headers["location"])
    with Store(seeded.db) as store:
        texts = {i.text for w_ in store.workspaces() for i in store.workspace(w_.name).items()}
        (source,) = [
            s for w_ in store.workspaces() for s in store.workspace(w_.name).sources()
            if s.name == "park.csv"
        ]  # fmt: skip
    assert "More bins near the play area" in texts and "Open-Ended Response" not in texts
    assert source.options["question"] == asked

    # The same file again, for its last question: the form starts from the first
    # import's choices, question included; choosing the other column takes its own.
    token = web.page_csrf(anna, f"/w/{w}/import")
    again = _upload(anna, w, token, "park.csv", data).headers["location"].rsplit("/", 1)[0]
    page = anna.get(f"{again}/map").text
    assert f'name="filled_question" value="{asked}"' in page
    anna.post(
        f"{again}/map",
        data={"csrf_token": token, "text_column": more, "question": asked,
              "source_name": "park.csv", "filled_for": asked, "filled_question": asked},
    )  # fmt: skip
    confirm = anna.get(f"{again}/confirm").text
    assert f"<dd>{more}</dd>" in confirm and f"<dd>{asked}</dd>" not in confirm
    assert f"park.csv: {more}" in confirm
    # A question the person typed for the other column is theirs to keep.
    anna.post(
        f"{again}/map",
        data={"csrf_token": token, "text_column": more, "question": "Any other comments?",
              "source_name": "Park survey, last question", "filled_for": asked,
              "filled_question": asked},
    )  # fmt: skip
    confirm = anna.get(f"{again}/confirm").text
    assert "<dd>Any other comments?</dd>" in confirm and "Park survey, last question" in confirm


def test_word_visit_notes_import_with_their_headings(client_for, seeded, web, tmp_path) -> None:
    """Visit notes written in Word come in paragraph by paragraph, under their headings."""
    import docx

    document = docx.Document()
    document.add_heading("Visit to the Housing Options team", level=0)
    document.add_paragraph("Staff spend more time on case screens than with people.")
    heading = document.add_paragraph()
    heading.add_run("What helped").bold = True
    document.add_paragraph("A Friday huddle where the team talks about one case that went wrong.")
    path = tmp_path / "visit.docx"
    document.save(str(path))

    anna = client_for("anna@northmoor.gov.uk")
    w = seeded.workspace_id
    token = web.page_csrf(anna, f"/w/{w}/import")
    assert "Word (.docx)" in anna.get(f"/w/{w}/import").text
    uploaded = _upload(
        anna, w, token, "visit.docx", path.read_bytes(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )  # fmt: skip
    assert uploaded.status_code == 303, uploaded.text
    base = uploaded.headers["location"].rsplit("/", 1)[0]
    preview = anna.get(uploaded.headers["location"]).text
    assert "Word document" in preview and "A Friday huddle" in preview
    assert "Whose words are these?" in anna.get(f"{base}/map").text
    mapped = anna.post(
        f"{base}/map",
        data={"csrf_token": token, "text_column": "text", "attribute_columns": ["section"],
              "kind": "visit notes", "evidence_type": "staff"},
        follow_redirects=False,
    )  # fmt: skip
    assert mapped.status_code == 303, mapped.text
    assert "<dt>Whose words</dt><dd>Staff</dd>" in anna.get(mapped.headers["location"]).text
    started = anna.post(f"{base}/start", data={"csrf_token": token}, follow_redirects=False)
    summary = _wait(anna, started.headers["location"])
    assert "Import finished" in summary
    with Store(seeded.db) as store:
        items = [i for i in store.workspace("Learning Network").items() if i.source_id and
                 i.text.startswith(("Staff spend more time", "A Friday huddle"))]  # fmt: skip
    with Store(seeded.db) as store:
        from upstream.records.evidence_types import type_of_source

        source = next(s for s in store.workspace("Learning Network").sources()
                      if s.name == "visit.docx")  # fmt: skip
        assert type_of_source(source.kind, source.options) == "staff"
    assert sorted((i.text[:14], i.attributes.get("section")) for i in items) == [
        ("A Friday huddl", "What helped"),
        ("Staff spend mo", "Visit to the Housing Options team"),
    ]
    # A zip that is not a Word document is refused at upload.
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("hello.txt", "hi")
    fake = _upload(anna, w, token, "notes.docx", zipped.getvalue())
    assert fake.status_code == 415 and "not really a Word document" in fake.text
