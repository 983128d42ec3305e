"""The learning network in the web app: workgroups, the library, barrier and organisation pages.

Codings are seeded straight through the store (a person's decisions), so every
suggestion has evidence: Northmoor's shared item and Southvale's *private*
item both raise the procurement barrier; Southvale's shared item shows an
enabler the framework links to it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import docx
from fastapi.testclient import TestClient
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from upstream.frameworks import load_codebook
from upstream.store import Store
from upstream.store.coding_repository import CodingStore

PRIVATE_SOUTH = "staff morale is low"
PRIVATE_NORTH = "budget gap"
PROCUREMENT_GUIDE = (
    "# Buying for pilots\n\nHow three councils changed their procurement rules and "
    "contract standing orders so that pilots were not slowed down by tendering."
)


def code_evidence(seeded) -> None:
    """A person's codings: procurement barriers in both councils, an enabler in Southvale."""
    store = Store(seeded.db)
    workspace = store.workspace("Learning Network")
    coding = CodingStore(workspace)
    book = coding.save_codebook(load_codebook("dbe"))
    for label, code in [
        ("north-shared", "barrier.procurement"),
        ("south-private", "barrier.procurement"),
        ("north-private", "barrier.funding"),
        ("south-shared", "enabler.permission"),
    ]:
        coding.decide(seeded.items[label], book, "recode", actor="owner@network.org", code=code)
    store.close()


def audit_actions(seeded) -> list[str]:
    store = Store(seeded.db)
    try:
        return [entry.action for entry in store.workspace("Learning Network").audit_log(200)]
    finally:
        store.close()


def docx_bytes(text: str) -> bytes:
    document = docx.Document()
    document.add_heading("Working with the voluntary sector", level=1)
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_bytes(text: str) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    y = 800
    for line in text.split("\n"):
        page.drawString(50, y, line)
        y -= 16
    page.save()
    return buffer.getvalue()


def post_product(
    client: TestClient, w: str, title: str, name: str, content: bytes, mime: str, **fields: str
):
    token = client.get(f"{w}/library").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', token).group(1)
    return client.post(
        f"{w}/library",
        data={"csrf_token": token, "title": title, "kind": "guide", **fields},
        files={"file": (name, content, mime)},
        follow_redirects=False,
    )


def test_suggestions_are_grounded_and_never_quote_private_items(
    seeded, client_for: Callable[[str], TestClient]
) -> None:
    code_evidence(seeded)
    w = f"/w/{seeded.workspace_id}"
    anna = client_for("anna@northmoor.gov.uk")
    page = anna.get(f"{w}/workgroups")
    assert page.status_code == 200
    suggestion = page.text.split('class="card suggestion"')[1]
    assert "Procurement rules" in suggestion
    assert "Northmoor Council, Southvale Council" in suggestion
    # Two items raise it: a count under 10 reads "fewer than 10", as on every page.
    assert "fewer than 10 items" in suggestion and "2 items" not in suggestion
    assert "Procurement rules slow down our pilots." in suggestion
    assert PRIVATE_SOUTH not in page.text
    # An analyst cannot start one: the button is for conveners only.
    assert "Start this workgroup" not in page.text
    # Southvale's own analyst sees Southvale's private quote.
    ben = client_for("ben@southvale.gov.uk")
    assert PRIVATE_SOUTH in ben.get(f"{w}/workgroups").text
    assert PRIVATE_NORTH not in ben.get(f"{w}/workgroups").text


def test_workgroup_from_a_suggestion_with_notes_actions_and_links(
    seeded, client_for: Callable[[str], TestClient], web
) -> None:
    code_evidence(seeded)
    w = f"/w/{seeded.workspace_id}"
    admin = client_for("admin@northmoor.gov.uk")
    token = web.page_csrf(admin, f"{w}/workgroups")
    made = admin.post(
        f"{w}/workgroups",
        data={"csrf_token": token, "suggestion": "barrier.procurement"},
        follow_redirects=False,
    )
    assert made.status_code == 303
    group_url = made.headers["location"].split("?")[0]
    page = admin.get(made.headers["location"])
    assert "Procurement rules workgroup" in page.text
    assert "The workgroup was created." in page.text
    for email in ("admin@northmoor.gov.uk", "anna@northmoor.gov.uk", "ben@southvale.gov.uk"):
        assert email in page.text
    assert "owner@network.org" not in page.text.split('id="members"')[1].split("</ul>")[0]

    # A member keeps a note, an action with a due date, marks it done and links an item.
    anna = client_for("anna@northmoor.gov.uk")
    token = web.page_csrf(anna, group_url)
    assert (
        anna.post(
            f"{group_url}/notes",
            data={"csrf_token": token, "text": "Ask legal about <framework> agreements"},
            follow_redirects=False,
        ).status_code
        == 303
    )
    bad = anna.post(
        f"{group_url}/actions",
        data={"csrf_token": token, "text": "Draft shared standing orders", "due": "next week"},
    )
    assert bad.status_code == 400 and "due date must be a date" in bad.text
    assert 'value="Draft shared standing orders"' in bad.text  # nothing typed is lost
    added = anna.post(
        f"{group_url}/actions",
        data={
            "csrf_token": token,
            "text": "Draft shared standing orders",
            "owner": "anna@northmoor.gov.uk",
            "due": "2026-03-31",
        },
        follow_redirects=False,
    )
    assert added.status_code == 303
    page = anna.get(group_url).text
    assert "Ask legal about &lt;framework&gt; agreements" in page
    assert "Draft shared standing orders" in page and "31 Mar 2026" in page
    action_id = re.search(rf"{group_url}/actions/(\d+)", page).group(1)
    anna.post(f"{group_url}/actions/{action_id}", data={"csrf_token": token, "done": "1"})
    anna.post(
        f"{group_url}/links", data={"csrf_token": token, "item": str(seeded.items["north-shared"])}
    )
    page = anna.get(group_url).text
    assert 'class="action-done"' in page and "Reopen" in page
    assert "Procurement rules slow down our pilots." in page.split('id="links-heading"')[1]

    # Someone outside the group who is not a convener cannot write in it.
    owner_made = web.page_csrf(admin, f"{w}/workgroups")
    scratch = admin.post(
        f"{w}/workgroups",
        data={
            "csrf_token": owner_made,
            "name": "Northmoor only",
            "members": ["cara@northmoor.gov.uk"],
        },
        follow_redirects=False,
    )
    other = scratch.headers["location"].split("?")[0]
    listing = admin.get(f"{w}/workgroups").text
    assert "Northmoor only" in listing and "Procurement rules workgroup" in listing
    assert "A workgroup already works on this" in listing
    stranger = admin.post(
        f"{w}/workgroups",
        data={"csrf_token": owner_made, "name": "Kept name", "members": ["who@else.org"]},
    )
    assert stranger.status_code == 400 and "Invite only people in this workspace." in stranger.text
    assert 'value="Kept name"' in stranger.text
    ben = client_for("ben@southvale.gov.uk")
    refused = ben.post(
        f"{other}/notes", data={"csrf_token": web.page_csrf(ben, other), "text": "hello"}
    )
    assert refused.status_code == 403
    actions = audit_actions(seeded)
    for expected in (
        "workgroup.create",
        "workgroup.note",
        "workgroup.action",
        "workgroup.action_done",
        "workgroup.link",
    ):
        assert expected in actions


def test_viewers_and_analysts_cannot_create(seeded, client_for, web) -> None:
    w = f"/w/{seeded.workspace_id}"
    vic = client_for("vic@southvale.gov.uk")
    token = web.page_csrf(vic, f"{w}/workgroups")
    assert (
        vic.post(f"{w}/workgroups", data={"csrf_token": token, "name": "Mine"}).status_code == 403
    )
    assert "Add a learning product" not in vic.get(f"{w}/library").text
    refused = vic.post(
        f"{w}/library",
        data={"csrf_token": token, "title": "Mine", "kind": "guide", "body": "text"},
    )
    assert refused.status_code == 403
    anna = client_for("anna@northmoor.gov.uk")
    token = web.page_csrf(anna, f"{w}/library")
    assert anna.post(f"{w}/workgroups", data={"csrf_token": token, "name": "x"}).status_code == 403


def test_products_are_tagged_confirmed_and_recommended(seeded, client_for, web) -> None:
    code_evidence(seeded)
    w = f"/w/{seeded.workspace_id}"
    admin = client_for("admin@northmoor.gov.uk")
    made = post_product(
        admin, w, "Buying for pilots", "buying.md", PROCUREMENT_GUIDE.encode(), "text/markdown"
    )
    assert made.status_code == 303, made.text
    product_url = made.headers["location"].split("?")[0]
    page = admin.get(made.headers["location"]).text
    assert "Check the suggested tags" in page
    assert 'value="code|dbe|barrier.procurement" checked' in page
    assert "suggested" in page

    # Not recommended until a person confirms the tag.
    barrier = f"{w}/codes/dbe/barrier.procurement"
    assert "Buying for pilots" not in admin.get(barrier).text
    token = web.page_csrf(admin, product_url)
    confirmed = admin.post(
        f"{product_url}/tags",
        data={
            "csrf_token": token,
            "tag": ["code|dbe|barrier.procurement"],
            "add": "code|dbe|enabler.permission",
        },
        follow_redirects=False,
    )
    assert confirmed.status_code == 303
    page = admin.get(confirmed.headers["location"]).text
    assert "The tags were saved." in page and "Permission to experiment" in page

    # Shown on the barrier page (with evidence) and on each organisation's page.
    anna = client_for("anna@northmoor.gov.uk")
    barrier_page = anna.get(barrier).text
    assert "Learning products that may help" in barrier_page
    # No peer shows a way past here: the page points to a search by meaning for one.
    assert "No way past is suggested yet" in barrier_page
    assert "evidence?mode=meaning&amp;q=Procurement%20rules" in barrier_page
    assert "Buying for pilots" in barrier_page
    assert "Procurement rules slow down our pilots." in barrier_page
    assert PRIVATE_SOUTH not in barrier_page
    assert "Southvale Council" in barrier_page  # counted, but not quoted
    orgs = {
        o: i
        for i, o in re.findall(
            rf'href="{w}/organisations/(\d+)">([^<]+)<', anna.get(f"{w}/network").text
        )
    }
    north = anna.get(f"{w}/organisations/{orgs['Northmoor Council']}").text
    assert "Buying for pilots" in north
    # Each code says which framework it is from, as two frameworks share the table.
    raises = north.split('id="raises"')[1].split("</section>")[0]
    assert '<th scope="col">Framework</th>' in raises
    assert "<td>Drivers, barriers and enablers of change</td>" in raises
    same = north.split('id="same"')[1].split("</section>")[0]
    assert "Southvale Council" in same and PRIVATE_SOUTH not in same
    past = north.split('id="enablers"')[1].split("</section>")[0]
    # Co-designing a youth hub is not a way past procurement rules (another topic), so
    # no quote is offered (tests/network checks which quotes a way past may show).
    assert "No way past is suggested yet" in past
    assert PRIVATE_SOUTH not in past
    assert PRIVATE_NORTH in north  # her own organisation's private item
    ben = client_for("ben@southvale.gov.uk")
    assert PRIVATE_NORTH not in ben.get(f"{w}/organisations/{orgs['Northmoor Council']}").text

    # Searchable by words in the text, not only the title.
    assert "Buying for pilots" in anna.get(f"{w}/library?q=tendering standing").text
    assert "Nothing matches" in anna.get(f"{w}/library?q=tendering+zebra").text
    assert "library.add" in audit_actions(seeded) and "library.tags" in audit_actions(seeded)


def test_docx_and_pdf_products_are_read_and_downloadable(seeded, client_for, web) -> None:
    w = f"/w/{seeded.workspace_id}"
    admin = client_for("admin@northmoor.gov.uk")
    word = docx_bytes("Pooled budgets with the NHS let us fund the youth hub together.")
    mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    made = post_product(admin, w, "Pooling budgets", "pooling.docx", word, mime)
    assert made.status_code == 303, made.text
    url = made.headers["location"].split("?")[0]
    page = admin.get(url).text
    assert "Working with the voluntary sector" in page and "Pooled budgets with the NHS" in page
    assert 'value="code|dbe|enabler.pooled_budgets" checked' in page
    vic = client_for("vic@southvale.gov.uk")
    file = vic.get(f"{url}/file")
    assert file.status_code == 200 and file.content == word
    assert file.headers["content-disposition"].startswith("attachment")

    pdf = pdf_bytes("Case study: a shared data agreement\nwith the police and health partners.")
    made = post_product(admin, w, "Sharing data", "data.pdf", pdf, "application/pdf")
    assert made.status_code == 303, made.text
    page = admin.get(made.headers["location"]).text
    assert "shared data agreement" in page

    # Wrong or disguised files are refused with a clear message, and the form keeps its text.
    wrong = post_product(admin, w, "Tool", "tool.exe", b"MZ\x90\x00", "application/octet-stream")
    assert (
        wrong.status_code == 415 and "Upload a PDF" in wrong.text and 'value="Tool"' in wrong.text
    )
    fake = post_product(admin, w, "Fake", "fake.pdf", b"hello", "application/pdf")
    assert fake.status_code == 415 and "not really a PDF" in fake.text
    empty = post_product(admin, w, "", "a.md", b"# text", "text/markdown")
    assert empty.status_code == 400 and "Give the product a title." in empty.text
    assert admin.get(f"{w}/library/999999").status_code == 404


def test_uploaded_html_is_shown_escaped(seeded, client_for, web) -> None:
    w = f"/w/{seeded.workspace_id}"
    admin = client_for("admin@northmoor.gov.uk")
    hostile = b"<script>alert('x')</script>\n<img src=x onerror=alert(1)> procurement"
    made = post_product(admin, w, "<b>Bold</b> guide", "bad.md", hostile, "text/markdown")
    assert made.status_code == 303
    page = admin.get(made.headers["location"]).text
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>Bold</b>" not in page
    assert "&lt;script&gt;alert(" in page and "&lt;b&gt;Bold&lt;/b&gt; guide" in page
    listing = admin.get(f"{w}/library").text
    assert "<b>Bold</b>" not in listing and "&lt;b&gt;Bold" in listing
    download = admin.get(made.headers["location"].split("?")[0] + "/file")
    assert download.headers["content-disposition"].startswith("attachment")
    assert download.headers["x-content-type-options"] == "nosniff"


def test_pages_without_evidence_and_the_partial_without_codes(seeded, client_for) -> None:
    w = f"/w/{seeded.workspace_id}"
    anna = client_for("anna@northmoor.gov.uk")
    assert "No suggestions yet" in anna.get(f"{w}/workgroups").text
    assert anna.get(f"{w}/codes/dbe/barrier.nothing").status_code == 404
    # A framework's code that no evidence carries yet has a page that says so.
    empty = anna.get(f"{w}/codes/dbe/barrier.legacy_it")
    assert empty.status_code == 200 and "<h1>Legacy IT</h1>" in empty.text
    assert "No organisation's evidence has been coded with this yet." in empty.text
    assert anna.get(f"{w}/organisations/999999").status_code == 404
    assert anna.get(f"{w}/workgroups/999999").status_code == 404
    from upstream.web.templating import make_environment

    env = make_environment()
    assert env.get_template("_recommendations.html").render().strip() == ""
    assert env.get_template("_recommendations.html").render(recommend_codes=[]).strip() == ""


def test_organisation_and_code_pages_hide_small_counts(seeded, client_for) -> None:
    code_evidence(seeded)
    w = f"/w/{seeded.workspace_id}"
    ben = client_for("ben@southvale.gov.uk")
    orgs = {
        o: i
        for i, o in re.findall(
            rf'href="{w}/organisations/(\d+)">([^<]+)<', ben.get(f"{w}/network").text
        )
    }
    north = ben.get(f"{w}/organisations/{orgs['Northmoor Council']}").text
    raises = north.split('id="raises"')[1].split("</section>")[0]
    assert "fewer than 10" in raises
    assert not re.search(r'class="num">[1-9]</td>', raises)
    assert "of their items" not in north or "fewer than 10 of their items" in north
    assert "A count under 10 reads “fewer than 10”" in north
    barrier = ben.get(f"{w}/codes/dbe/barrier.procurement").text
    who = barrier.split('id="who"')[1].split("</section>")[0]
    assert "Northmoor Council" in who and "Southvale Council" in who
    assert not re.search(r'class="num">[1-9]</td>', who)
    assert "in fewer than 10 items" in barrier and "in 2 items" not in barrier


def test_an_element_s_page_counts_the_items_coded_below_it(seeded, client_for) -> None:
    """The page for "Barrier to change" counts every barrier, as the dashboards do."""
    from upstream.store.accounts import Scope
    from upstream.workflows.coding import code_workspace
    from upstream.workflows.network.peers import code_overview, network_evidence

    with Store(seeded.db) as store:
        # A machine run that codes nothing (so people's codes are all that count).
        code_workspace(
            store, "Learning Network", load_codebook("dbe"), embedder="hashing", threshold=0.99
        )
    code_evidence(seeded)
    with Store(seeded.db) as store:
        workspace = store.workspace("Learning Network")
        evidence = network_evidence(workspace)
        everything = set(evidence.items)
        barrier = code_overview(evidence, "barrier", everything)
        procurement = code_overview(evidence, "barrier.procurement", everything)
        funding = code_overview(evidence, "barrier.funding", everything)
        # Three barrier items (two procurement, one funding), none given the broad code alone.
        assert (procurement.items, funding.items, barrier.items) == (2, 1, 3)
        assert {o.organisation for o in barrier.organisations} == {
            "Northmoor Council",
            "Southvale Council",
        }
        from upstream.workflows.dashboard_figures import dashboard_figures

        data = dashboard_figures(
            workspace, Scope(see_all=True), codebook="dbe", counting="checked"
        ).data
        row = next(r for r in data.coverage if r.code == "barrier")
        assert row.items == barrier.items
    owner = client_for("owner@network.org")
    page = owner.get(f"/w/{seeded.workspace_id}/codes/dbe/barrier")
    assert page.status_code == 200 and "in fewer than 10 items" in page.text


def test_a_private_quote_is_marked_wherever_it_is_quoted(seeded, client_for) -> None:
    """Southvale's private item is quoted to its own staff, marked so nobody shares it."""
    code_evidence(seeded)
    w = f"/w/{seeded.workspace_id}"
    ben = client_for("ben@southvale.gov.uk")
    page = ben.get(f"{w}/codes/dbe/barrier.procurement").text
    assert PRIVATE_SOUTH in page
    quoted = page.split(PRIVATE_SOUTH, 1)[1].split("</li>", 1)[0]
    assert "Private to Southvale Council: not for sharing" in quoted
    # A shared quote on the same page carries no such mark.
    shared = page.split("Northmoor Council ·", 1)[1].split("</li>", 1)[0]
    assert "not for sharing" not in shared
    # Northmoor's people never see Southvale's private words, marked or not.
    anna = client_for("anna@northmoor.gov.uk").get(f"{w}/codes/dbe/barrier.procurement").text
    assert PRIVATE_SOUTH not in anna and "Private to Southvale" not in anna


def test_each_quote_says_who_coded_it(seeded, client_for) -> None:
    """A person's code reads as such; the machine's says how sure it was."""
    from upstream.records.drafts import ItemDraft
    from upstream.workflows.coding import code_workspace
    from upstream.workflows.network.peers import network_evidence

    with Store(seeded.db) as store:
        with store.workspace("Learning Network").writer() as writer:
            notes = writer.add_source("more-notes.csv", kind="visit notes")
            writer.insert_items(
                notes,
                [
                    ItemDraft(text=text, line=n, organisation="Westbury Council")
                    for n, text in enumerate(
                        [
                            "Our old case system cannot share records with health.",
                            "A pooled budget with the NHS ended the argument over savings.",
                            "Staff have no time to try anything new this year.",
                        ],
                        2,
                    )
                ],
                shared=True,
            )
        code_workspace(
            store, "Learning Network", load_codebook("dbe"), embedder="hashing", threshold=0.0
        )
    code_evidence(seeded)
    w = f"/w/{seeded.workspace_id}"
    owner = client_for("owner@network.org")
    page = owner.get(f"{w}/codes/dbe/barrier.procurement").text
    # The procurement items were coded by a person (code_evidence).
    assert "coded by a person" in page
    with Store(seeded.db) as store:
        evidence = network_evidence(store.workspace("Learning Network"))
        machine_only = next(
            key
            for key, ids in evidence.by_code.items()
            if key.startswith(("barrier.", "enabler."))
            and all(evidence.given_by(i, key)[0] == "machine" for i in ids)
        )
    said = owner.get(f"{w}/codes/dbe/{machine_only}").text.replace("&#39;", "'")
    shown = re.findall(r"the machine's suggestion, (\d+)% sure", said)
    assert shown and all(0 <= int(n) <= 100 for n in shown)
    assert "coded by a person" not in said
