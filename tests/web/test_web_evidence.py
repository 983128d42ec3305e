"""The evidence browser: paging, search, filters, item pages, escaping, export, runs."""

from __future__ import annotations

import csv
import io
import json
import time
from dataclasses import replace
from datetime import date

from sqlalchemy import text

from upstream.frameworks import load_codebook
from upstream.records.drafts import ItemDraft
from upstream.store import Store
from upstream.store.account_models import Scope
from upstream.store.coding_repository import CodingStore, MachineCoding
from upstream.store.effective_codes import effective_codes


def _add_items(db: str, texts: list[str], *, org: str = "Northmoor Council") -> None:
    with Store(db) as store:
        workspace = store.workspace("Learning Network")
        with workspace.writer() as writer:
            source = writer.add_source("extra.csv")
            drafts = [ItemDraft(text=t, line=n + 2, organisation=org) for n, t in enumerate(texts)]
            writer.insert_items(source, drafts, shared=True)


def test_browse_pages_and_search(client_for, seeded) -> None:
    _add_items(seeded.db, [f"Reply number {n} about 100% of the_budget" for n in range(120)])
    anna = client_for("anna@northmoor.gov.uk")
    w = seeded.workspace_id
    first = anna.get(f"/w/{w}/evidence")
    assert first.status_code == 200
    assert "<strong>123</strong> items" in first.text and "Page 1 of 3" in first.text
    assert "Next page" in first.text and "Previous page" not in first.text
    last = anna.get(f"/w/{w}/evidence?page=3")
    assert "Previous page" in last.text and "Next page" not in last.text
    assert "Procurement rules" in last.text  # oldest items come last

    found = anna.get(f"/w/{w}/evidence?q=PROCUREMENT")
    assert "<strong>1</strong> item match" in found.text
    # LIKE wildcards typed by the user are taken literally.
    assert "<strong>120</strong> items" in anna.get(f"/w/{w}/evidence?q=100%25").text
    assert "<strong>0</strong> items" in anna.get(f"/w/{w}/evidence?q=the%25budget").text
    assert "<strong>120</strong> items" in anna.get(f"/w/{w}/evidence?q=the_budget").text


def test_filters(client_for, seeded) -> None:
    anna = client_for("anna@northmoor.gov.uk")
    w = seeded.workspace_id

    def count(query: str) -> int:
        api = anna.get(f"/api/workspaces/{w}/items?{query}").json()["total"]
        html = anna.get(f"/w/{w}/evidence?{query}").text
        assert f"<strong>{api}</strong> item" in html
        return int(api)

    assert count("") == 3
    assert count("organisation=Southvale+Council") == 1
    assert count("date_from=2024-05-01") == 2
    assert count("date_from=2024-01-01&date_to=2024-12-31") == 2
    assert count("attribute=theme") == 3
    # One item has theme "barrier": a group that small is not listed by its value.
    small = anna.get(f"/w/{w}/evidence?attribute=theme&value=barrier").text
    assert "<strong>0</strong> items" in small and "are not listed" in small
    assert anna.get(f"/api/workspaces/{w}/items?attribute=theme&value=barrier").status_code == 422
    assert count("source=1") == 3
    bad = anna.get(f"/w/{w}/evidence?date_to=yesterday")
    assert bad.status_code == 200 and "must be a date like" in bad.text


def test_item_page(client_for, seeded) -> None:
    anna = client_for("anna@northmoor.gov.uk")
    w = seeded.workspace_id
    page = anna.get(f"/w/{w}/evidence/{seeded.items['north-shared']}")
    assert page.status_code == 200
    for expected in (
        "Procurement rules slow down our pilots.",
        "Northmoor Council",
        "visit-notes.csv",
        "1 Mar 2024",
    ):
        assert expected in page.text
    # Its theme, "barrier", is shared by fewer than 10 of Northmoor's items: not shown.
    assert (
        ">barrier<" not in page.text and "fewer than 10 items from this organisation" in page.text
    )


def _add_described(db: str, groups: list[tuple[str, str, int]]) -> None:
    """Staff comments from one survey (one source): per organisation and grade, how many."""
    with Store(db) as store:
        workspace = store.workspace("Learning Network")
        with workspace.writer() as writer:
            source = writer.add_source("staff comments")
            drafts = [
                ItemDraft(
                    text=f"{grade} comment {k} from {org}",
                    line=2 + n,
                    organisation=org,
                    attributes={"grade": grade, "question": "What would you change?"},
                )
                for n, (org, grade, k) in enumerate(
                    (org, grade, k) for org, grade, count in groups for k in range(count)
                )
            ]
            writer.insert_items(source, drafts, shared=True)


def test_a_rare_role_beside_an_item_is_not_shown(client_for, seeded) -> None:
    with Store(seeded.db) as store:
        workspace = store.workspace("Learning Network")
        with workspace.writer() as writer:
            source = writer.add_source("visit notes, roles")
            drafts = [
                ItemDraft(
                    text=f"Visit note {n}",
                    line=n + 2,
                    organisation="Northmoor Council",
                    author_role="Director of Public Health" if n == 0 else "Social worker",
                )
                for n in range(11)
            ]
            writer.insert_items(source, drafts, shared=True)
    anna = client_for("anna@northmoor.gov.uk")
    w = seeded.workspace_id
    items = anna.get(f"/api/workspaces/{w}/items?q=Visit+note&limit=50").json()["items"]
    roles = {i["text"]: i["author_role"] for i in items}
    assert roles["Visit note 0"].startswith("not shown: fewer than 10")  # one person
    assert roles["Visit note 5"] == "Social worker"  # ten share it
    page = anna.get(f"/w/{w}/evidence/{items[-1]['id']}").text
    assert "Visit note 0" in page and "Director of Public Health" not in page
    export = anna.get(f"/w/{w}/evidence/export.csv?q=Visit+note").text
    assert "Director of Public Health" not in export and "Social worker" in export


def test_a_post_is_shown_as_its_band_as_reports_print_it(client_for, seeded) -> None:
    posts = [f"Director of Service {n}" for n in range(9)] + ["Chief Executive"]
    with Store(seeded.db) as store:
        workspace = store.workspace("Learning Network")
        with workspace.writer() as writer:
            source = writer.add_source("visit notes, senior posts")
            drafts = [
                ItemDraft(
                    text=f"Senior visit note {n}",
                    line=n + 2,
                    organisation="Northmoor Council",
                    author_role=post,
                )
                for n, post in enumerate(posts)
            ]
            writer.insert_items(source, drafts, shared=True)
    anna = client_for("anna@northmoor.gov.uk")
    w = seeded.workspace_id
    items = anna.get(f"/api/workspaces/{w}/items?q=Senior+visit+note&limit=50").json()["items"]
    assert len(items) == 10
    # Each post is one person, but ten of Northmoor's items share the band.
    assert {i["author_role"] for i in items} == {"Senior leader"}
    chief = next(i for i in items if i["text"] == "Senior visit note 9")
    page = anna.get(f"/w/{w}/evidence/{chief['id']}").text
    assert "Senior leader" in page and "Chief Executive" not in page


def test_describing_values_of_small_groups_are_never_shown(client_for, seeded) -> None:
    _add_described(
        seeded.db,
        [
            ("Northmoor Council", "Band 7-9", 12),
            ("Southvale Council", "Band 7-9", 3),
            ("Northmoor Council", "Band 1-3", 14),
            ("Northmoor Council", "Senior leadership", 2),
        ],
    )
    anna = client_for("anna@northmoor.gov.uk")
    w = seeded.workspace_id
    # Band 7-9 (15 items) is listed, without Southvale's 3.
    listed = anna.get(f"/w/{w}/evidence?attribute=grade&value=Band+7-9").text
    assert "<strong>12</strong> items match" in listed
    assert "1 organisation has fewer than 10 items with grade “Band 7-9”" in listed
    assert "from Southvale Council" not in listed
    api = anna.get(f"/api/workspaces/{w}/items?attribute=grade&value=Band+7-9").json()
    assert api["total"] == 12
    assert {i["organisation"] for i in api["items"]} == {"Northmoor Council"}
    # Senior leadership (2) is not listed; nor is Band 1-3, which would give it away
    # by subtraction from everyone with a grade.
    for value in ("Senior+leadership", "Band+1-3"):
        page = anna.get(f"/w/{w}/evidence?attribute=grade&value={value}").text
        assert "<strong>0</strong> items" in page and "are not listed" in page
        refused = anna.get(f"/w/{w}/evidence/export.csv?attribute=grade&value={value}")
        assert refused.status_code == 400
    # Beside one item, a small group's value is withheld; a large one's is shown.
    items = anna.get(f"/api/workspaces/{w}/items?q=comment&limit=500").json()["items"]
    grades = {
        i["text"].split(" comment")[0] + " / " + i["organisation"]: i["attributes"]["grade"]
        for i in items
    }
    assert grades["Band 7-9 / Northmoor Council"] == "Band 7-9"
    assert grades["Senior leadership / Northmoor Council"].startswith("not shown")
    assert grades["Band 7-9 / Southvale Council"].startswith("not shown")
    senior = next(i for i in items if i["text"].startswith("Senior leadership"))
    page = anna.get(f"/w/{w}/evidence/{senior['id']}").text
    assert "Senior leadership comment" in page and ">Senior leadership<" not in page
    assert "<dt>Grade</dt>" in page  # the column's name in plain words
    export = anna.get(f"/w/{w}/evidence/export.csv?q=comment").text
    rows = list(csv.DictReader(io.StringIO(export.lstrip("\ufeff"))))
    by_text = {r["text"]: json.loads(r["attributes"])["grade"] for r in rows}
    assert by_text["Band 7-9 comment 0 from Northmoor Council"] == "Band 7-9"
    assert by_text["Senior leadership comment 0 from Northmoor Council"].startswith("not shown")
    # The question every comment of the survey answered describes the survey, not the
    # person: it is shown even beside a small group's comment.
    questions = {r["text"]: json.loads(r["attributes"])["question"] for r in rows}
    assert questions["Senior leadership comment 0 from Northmoor Council"] == (
        "What would you change?"
    )
    assert "Senior leadership" not in export.replace("Senior leadership comment", "")


def test_script_in_evidence_is_shown_escaped(client_for, seeded) -> None:
    payload = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    _add_items(seeded.db, [f"Hello {payload}"], org="Evil <b>Org</b>")
    owner = client_for("owner@network.org")
    w = seeded.workspace_id
    for page in (owner.get(f"/w/{w}/evidence"), owner.get(f"/w/{w}/evidence?q=alert")):
        assert "<script>alert(1)</script>" not in page.text
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
        assert "<b>Org</b>" not in page.text
    item = owner.get(f"/api/workspaces/{w}/items?q=alert").json()["items"][0]
    detail = owner.get(f"/w/{w}/evidence/{item['id']}")
    assert "<script>alert(1)</script>" not in detail.text
    assert 'onerror="alert(2)"' not in detail.text
    assert "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in detail.text
    # A search term is echoed escaped too.
    echoed = owner.get(f"/w/{w}/evidence", params={"q": '"><script>alert(3)</script>'})
    assert "<script>alert(3)" not in echoed.text


def test_export_makes_formulas_inert_and_is_audited(client_for, seeded) -> None:
    _add_items(seeded.db, ['=HYPERLINK("http://evil.example","click")', "+1+2", "@SUM(A1)", "-3"])
    anna = client_for("anna@northmoor.gov.uk")
    w = seeded.workspace_id
    response = anna.get(f"/w/{w}/evidence/export.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.text.lstrip("\ufeff"))))
    texts = {r["text"] for r in rows}
    assert '\'=HYPERLINK("http://evil.example","click")' in texts
    assert {"'+1+2", "'@SUM(A1)", "'-3"} <= texts
    assert not any(t.startswith(("=", "+", "@", "-")) for t in texts)
    assert not any("morale" in t for t in texts)  # Southvale's private item stays out
    procurement = next(r for r in rows if "Procurement" in r["text"])
    # One item of Northmoor's has theme "barrier": too few to show beside it.
    withheld = json.loads(procurement["attributes"])["theme"]
    assert withheld.startswith("not shown: fewer than 10") and "barrier" not in response.text
    assert procurement["theme"] == withheld  # each kept column has a column of its own
    filtered = anna.get(f"/w/{w}/evidence/export.csv?q=procurement")
    assert len(list(csv.DictReader(io.StringIO(filtered.text.lstrip("\ufeff"))))) == 1
    with Store(seeded.db) as store:
        actions = [e.action for e in store.workspace("Learning Network").audit_log()]
    assert actions.count("export") == 2


def test_share_and_delete_are_audited(client_for, seeded, web) -> None:
    owner = client_for("owner@network.org")
    w = seeded.workspace_id
    item = seeded.items["south-private"]
    token = web.page_csrf(owner, f"/w/{w}/evidence/{item}")
    shared = owner.post(f"/w/{w}/evidence/{item}/share", data={"csrf_token": token, "shared": "1"})
    assert "now shared with the whole workspace" in shared.text
    anna = client_for("anna@northmoor.gov.uk")
    assert anna.get(f"/w/{w}/evidence/{item}").status_code == 200
    owner.post(f"/w/{w}/evidence/{item}/delete", data={"csrf_token": token})
    assert anna.get(f"/w/{w}/evidence/{item}").status_code == 404
    with Store(seeded.db) as store:
        entries = store.workspace("Learning Network").audit_log()
    assert [(e.action, e.target_id) for e in entries[:2]] == [
        ("delete", str(item)),
        ("edit", str(item)),
    ]
    assert entries[0].actor == "owner@network.org"


def test_organisations_and_workspaces_pages(client_for, seeded, web) -> None:
    anna = client_for("anna@northmoor.gov.uk")
    w = seeded.workspace_id
    page = anna.get(f"/w/{w}/organisations")
    assert "Northmoor Council" in page.text and "Southvale Council" in page.text
    assert "Add an organisation" not in page.text
    assert (
        anna.post(
            f"/w/{w}/organisations", data={"csrf_token": web.csrf_of(page.text), "name": "X"}
        ).status_code
        == 403
    )
    owner = client_for("owner@network.org")
    token = web.page_csrf(owner, f"/w/{w}/organisations")
    added = owner.post(
        f"/w/{w}/organisations",
        data={"csrf_token": token, "name": "Eastfield NHS Trust", "kind": "NHS trust"},
    )
    assert "The organisation was added." in added.text and "Eastfield NHS Trust" in added.text
    spaces = anna.get("/workspaces")
    assert "Learning Network" in spaces.text and "Analyst" in spaces.text
    assert anna.get(f"/go?workspace={w}", follow_redirects=False).headers["location"] == f"/w/{w}"


def test_run_history(client_for, seeded) -> None:
    with Store(seeded.db) as store, store.session() as session:
        session.execute(
            text(
                "INSERT INTO run (workspace_id, kind, status, parameters, versions, seed, summary,"
                " started_by, started_at) VALUES (:w, 'coding', 'done', :p, :v, 7, :s,"
                " 'anna@northmoor.gov.uk', :t)"
            ),
            {
                "w": seeded.workspace_id,
                "p": json.dumps({"framework": "nom", "threshold": 0.5}),
                "v": json.dumps({"upstream": "0.1.0"}),
                "s": json.dumps({"items": 3}),
                "t": date(2025, 5, 1),
            },
        )
    anna = client_for("anna@northmoor.gov.uk")
    w = seeded.workspace_id
    page = anna.get(f"/w/{w}/runs")
    assert "coding" in page.text and "anna@northmoor.gov.uk" in page.text
    run_id = anna.get(f"/api/workspaces/{w}/runs").json()[0]["id"]
    detail = anna.get(f"/w/{w}/runs/{run_id}")
    assert "framework" in detail.text and "nom" in detail.text and "0.1.0" in detail.text
    # Settings read in plain words, with the exact name kept for repeating the run.
    assert "Confidence needed to suggest a code" in detail.text
    assert "<code>threshold</code>" in detail.text
    assert anna.get(f"/w/{w}/runs/{run_id + 100}").status_code == 404
    assert anna.get(f"/api/workspaces/{w}/runs/{run_id}").json()["parameters"]["threshold"] == 0.5


def test_network_start_page_links_every_part(client_for, seeded) -> None:
    anna = client_for("anna@northmoor.gov.uk")
    w = seeded.workspace_id
    page = anna.get(f"/w/{w}/network")
    assert page.status_code == 200 and 'aria-current="page"' in page.text
    for area in ("collections", "workgroups", "library", "roundtables"):
        assert f'href="/w/{w}/{area}"' in page.text
    assert "Northmoor Council" in page.text


def _wait_until_indexed(client, url: str) -> str:
    """Open a meaning search until the background index job has prepared every item."""
    for _ in range(200):
        page = client.get(url)
        assert page.status_code == 200
        if "are ready for this search" in page.text:
            return str(page.text)
        assert "is being prepared" in page.text
        time.sleep(0.05)
    raise AssertionError("the index job never finished")


def test_search_by_meaning(client_for, seeded) -> None:
    _add_items(seeded.db, [f"Minutes of meeting {n} about the library roof." for n in range(60)])
    anna = client_for("anna@northmoor.gov.uk")
    svc = anna.app.state.services
    svc.settings = replace(svc.settings, search_model="hashing")
    w = seeded.workspace_id
    url = f"/w/{w}/evidence?mode=meaning&q=purchasing+regulations+slow+our+pilots"
    first = anna.get(url)
    # Nothing was indexed: the job starts and the page says how much is ready.
    assert "is being prepared" in first.text and "0 of the 63 items" in first.text
    page = _wait_until_indexed(anna, url)
    assert "all 63 items you can see" in page and "Closeness" in page
    rows = page.split("<tbody>")[1]
    assert rows.index("Procurement rules slow down") < rows.index("Minutes of meeting")
    assert 'value="meaning" checked' in page
    assert "Page 1 of 2" in page and "mode=meaning" in page.split('rel="next"')[0][-300:]
    second = anna.get(url + "&page=2").text
    assert "Procurement rules" not in second and "Minutes of meeting" in second

    # Another organisation's private item never appears, however close it is.
    private = anna.get(f"/w/{w}/evidence?mode=meaning&q=staff+morale+restructure").text
    assert "staff morale is low" not in private
    assert "<strong>63</strong> items" in private  # 64 items, one private to Southvale
    ben = client_for("ben@southvale.gov.uk")
    ben_page = _wait_until_indexed(ben, f"/w/{w}/evidence?mode=meaning&q=staff+morale+low")
    assert ben_page.split("<tbody>")[1].index("staff morale is low") < 400
    # A search by meaning ranks every item: it says so rather than "match".
    assert "you can see, the closest in meaning to your search first" in ben_page
    assert "match your search" not in ben_page

    # Filters narrow what is ranked.
    south = anna.get(
        f"/w/{w}/evidence?mode=meaning&q=purchasing+rules&organisation=Southvale+Council"
    ).text
    assert "<strong>1</strong> item match" in south and "youth hub" in south
    # Words mode still filters by the words.
    words = anna.get(f"/w/{w}/evidence?mode=words&q=purchasing+regulations").text
    assert "<strong>0</strong> items" in words


def test_code_and_theme_filters(client_for, seeded) -> None:
    with Store(seeded.db) as store:
        workspace = store.workspace("Learning Network")
        coding = CodingStore(workspace)
        book = load_codebook("dbe")
        codebook = coding.save_codebook(book)
        run = coding.start_run(
            "coding", parameters={"codebook": "dbe", "threshold": 0.5}, versions={}
        )
        key, other = book.ids()[:2]
        ids = seeded.items
        coding.add_machine_codings(
            run,
            codebook,
            [
                MachineCoding(ids["north-shared"], key, 0.9, False, {}),
                MachineCoding(ids["north-shared"], other, 0.2, True, {}),  # a best guess
                MachineCoding(ids["south-private"], key, 0.9, False, {}),
            ],
            coder="test",
        )
        coding.finish_run(run, summary={})
    anna = client_for("anna@northmoor.gov.uk")
    w = seeded.workspace_id
    page = anna.get(f"/w/{w}/evidence").text
    code_id = page.split('<select id="code" name="code">')[1].split('value="')[2].split('"')[0]
    coded = anna.get(f"/w/{w}/evidence?code={code_id}").text
    assert "<strong>1</strong> item match" in coded and "Procurement rules" in coded
    item_page = anna.get(f"/w/{w}/evidence/{ids['north-shared']}").text
    row = item_page.split("<caption>Codes</caption>")[1].split("</table>")[0]
    assert "The machine" in row and "suggestion, counted" in row and "90%" in row
    assert "(this framework's threshold: 50%)" in row
    assert anna.get(f"/w/{w}/evidence?code=x").status_code == 200
    assert "The code must be chosen from the list." in anna.get(f"/w/{w}/evidence?code=x").text
    with_org = anna.get(f"/w/{w}/evidence?code={code_id}&organisation=Southvale+Council").text
    assert "<strong>0</strong> items" in with_org  # Southvale's coded item is private

    # The filter lists what dashboards count (effective_codes): a newer coding run
    # supersedes the older one's suggestions, and another kind of run (a story
    # collection's) does not count at all.
    with Store(seeded.db) as store:
        workspace = store.workspace("Learning Network")
        coding = CodingStore(workspace)
        codebook = coding.codebook_id("dbe")
        assert codebook is not None
        newer = coding.start_run("coding", parameters={"codebook": "dbe"}, versions={})
        coding.add_machine_codings(
            newer,
            codebook,
            [
                MachineCoding(ids["south-shared"], key, 0.9, False, {}),
                MachineCoding(ids["north-shared"], other, 0.2, True, {}),
            ],
            coder="test",
        )
        coding.finish_run(newer, summary={})
        stories = coding.start_run("collection coding", parameters={"codebook": "dbe"}, versions={})
        coding.add_machine_codings(
            stories,
            codebook,
            [MachineCoding(ids["north-shared"], key, 0.9, False, {})],
            coder="test",
        )
        coding.finish_run(stories, summary={})
        counted = effective_codes(workspace, "dbe", scope=Scope(see_all=True))
    listed = anna.get(f"/w/{w}/evidence?code={code_id}").text
    assert "<strong>1</strong> item match" in listed
    assert sorted(counted.assigned) == [ids["south-shared"]]
    # The item's page says which of its codes count, and why the others do not.
    item_page = anna.get(f"/w/{w}/evidence/{ids['north-shared']}").text
    row = item_page.split("<caption>Codes")[1].split("</table>")[0]
    assert "suggestion from an earlier run: not counted" in row
    assert "suggestion, counted" not in row
    # Two runs suggested the same code: the item's page lists it once, not twice.
    assert row.count("suggestion from an earlier run") == 1
    # So with a best guess both runs made: the newer run's is listed, once.
    assert row.count("best guess below") == 1


def test_word_search_counts_up_to_a_thousand(client_for, seeded) -> None:
    _add_items(seeded.db, [f"Budget line {n}" for n in range(1005)])
    anna = client_for("anna@northmoor.gov.uk")
    w = seeded.workspace_id
    page = anna.get(f"/w/{w}/evidence?q=budget+line").text
    assert "More than <strong>1,000</strong> items match your search. Page 1." in page
    assert "Next page" in page and "Budget line 1004" in page
    later = anna.get(f"/w/{w}/evidence?q=budget+line&page=21").text
    assert "Budget line 4" in later and "Page 21" in later
    # Without words the count stays exact.
    assert "<strong>1,008</strong> items" in anna.get(f"/w/{w}/evidence").text


def test_the_page_says_whose_evidence_it_lists_once(client_for, seeded) -> None:
    with Store(seeded.db) as store, store.workspace("Learning Network").writer() as writer:
        source = writer.add_source("replies.csv", kind="consultation replies")
        writer.insert_items(
            source,
            [ItemDraft(text="Bring back the youth club", line=2, organisation="Northmoor Council")],
            shared=True,
        )
    owner = client_for("owner@network.org")
    w = seeded.workspace_id
    everything = owner.get(f"/w/{w}/evidence").text
    assert "These are items from residents and network members." in everything
    one = owner.get(f"/w/{w}/evidence?source={source}").text
    assert one.count("These are items from") == 1 and "These are items from residents." in one
    svc = owner.app.state.services
    svc.settings = replace(svc.settings, search_model="hashing")
    ranked = owner.get(f"/w/{w}/evidence?mode=meaning&q=youth+club").text
    assert ranked.count("These are items from") == 1


def test_the_board_column_an_item_answers_is_shown_however_few_share_it(client_for, seeded) -> None:
    with Store(seeded.db) as store, store.workspace("Learning Network").writer() as writer:
        source = writer.add_source("board.csv", kind="workshop stickies")
        drafts = [
            ItemDraft(
                text=f"Board note {n}",
                line=2 + n,
                organisation="Northmoor Council",
                attributes={"column": column, "grade": grade},
            )
            for n, (column, grade) in enumerate(
                [
                    ("Do differently", "Senior leadership"),
                    ("Keep", "Band 1-3"),
                    ("Keep", "Band 1-3"),
                ]
            )
        ]
        writer.insert_items(source, drafts, shared=True)
    anna = client_for("anna@northmoor.gov.uk")
    w = seeded.workspace_id
    items = anna.get(f"/api/workspaces/{w}/items?q=Board+note&limit=50").json()["items"]
    shown = {i["text"]: i["attributes"] for i in items}
    # What was asked reads beside the answer; who answered (a grade of 3) does not.
    assert shown["Board note 0"]["column"] == "Do differently"
    assert shown["Board note 1"]["column"] == "Keep"
    assert shown["Board note 0"]["grade"].startswith("not shown")
