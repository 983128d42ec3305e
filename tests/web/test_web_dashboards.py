"""Dashboards: heatmap, barriers and enablers, trends, segments, and the report download."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import date

import openpyxl
import pytest

from upstream.frameworks import load_codebook
from upstream.records.drafts import ItemDraft
from upstream.store import Store
from upstream.workflows.coding import code_workspace
from upstream.workflows.network.library import extract_text

TEXTS = (
    "Procurement rules slowed every pilot; contracts took months",
    "Pooled budgets with the NHS let us fund prevention together",
    "Trusted relationships with community groups made the difference",
    "Legacy IT systems stop us sharing data across services",
)


def _grow_and_code(db: str, westbury: int = 0, evidence_types: Sequence[str] | None = None) -> None:
    """Give Northmoor 14 more shared items (a reportable group), then code them.

    With ``westbury``, a third council shares that many items too; with
    ``evidence_types``, the frameworks code those kinds of evidence (by default,
    what they usually code: not residents' replies).
    """
    with Store(db) as store:
        workspace = store.workspace("Learning Network")
        with workspace.writer() as writer:
            source = writer.add_source(
                "workshop.csv", kind="workshop notes", options={"attribute_columns": ["ward"]}
            )
            drafts = [
                ItemDraft(
                    text=f"{TEXTS[n % len(TEXTS)]} (note {n})",
                    line=n + 2,
                    organisation="Northmoor Council",
                    author_role="Head of Transformation",
                    item_date=date(2025, 1 + n % 4, 3),
                    attributes={"ward": "Riverside" if n < 11 else "Hilltop"},
                )
                for n in range(14)
            ]
            drafts += [
                ItemDraft(
                    text=f"{TEXTS[n % len(TEXTS)]} (Westbury note {n})",
                    line=n + 20,
                    organisation="Westbury Council",
                    item_date=date(2025, 1 + n % 4, 5),
                )
                for n in range(westbury)
            ]
            writer.insert_items(source, drafts, shared=True)
        for key in ("dbe", "nom"):
            code_workspace(
                store,
                workspace.name,
                load_codebook(key),
                embedder="hashing",
                threshold=0.01,
                evidence_types=evidence_types,
            )


@pytest.fixture
def coded(seeded):
    _grow_and_code(seeded.db)
    return seeded


@pytest.fixture
def coded_three(seeded):
    """Northmoor 16 items as Anna sees them, Westbury 12, Southvale 1."""
    _grow_and_code(seeded.db, westbury=12)
    return seeded


def test_dashboards_before_anything_is_coded(client_for, seeded) -> None:
    anna = client_for("anna@northmoor.gov.uk")
    page = anna.get(f"/w/{seeded.workspace_id}/dashboards")
    assert page.status_code == 200 and 'aria-current="page"' in page.text
    assert "Nothing is coded yet" in page.text and "heatmap" in page.text


def test_heatmap_barriers_trends_and_segments(client_for, coded_three) -> None:
    anna = client_for("anna@northmoor.gov.uk")
    w = coded_three.workspace_id
    page = anna.get(f"/w/{w}/dashboards")
    assert page.status_code == 200, page.text
    html = page.text
    heatmap = html[html.index('<table class="heatmap">') :]
    heatmap = heatmap[: heatmap.index("</table>")]
    assert "Northmoor Council" in heatmap and "Southvale Council" in heatmap
    northmoor = heatmap[heatmap.index("Northmoor Council") :][:3000]
    assert re.search(r'class="num shade-\d"', northmoor)
    southvale = heatmap[heatmap.index("Southvale Council") :][:400]
    assert "fewer than 10" in southvale and "Not shown" in southvale  # only one item visible
    # Westbury is the next smallest: shown, it would give Southvale's figures away.
    westbury = heatmap[heatmap.index("Westbury Council") :][:400]
    assert "not shown" in westbury and "shade-" not in westbury and ">12<" not in westbury
    assert "style=" not in html and "<script>" not in html  # CSP: no inline styles or scripts
    assert 'class="chart-svg"' in html and "Coded items per element" in html
    # 2024's one or two items would be 2025's count taken from each element's total, so
    # 2025 is withheld too, and no trend line has a point to draw.
    assert "so there is no chart" in html
    # No bar shows a count of 1 to 9 items: such an element is drawn with no bar.
    chart = html[html.index("Coded items per element") :]
    values = re.findall(r'class="chart-value"[^>]*>([\d,]+)<', chart[: chart.index("</svg>")])
    assert values and all(
        int(v.replace(",", "")) == 0 or int(v.replace(",", "")) >= 10 for v in values
    )
    assert "Barriers, enablers and drivers named across organisations" in html
    assert "Trends over time" in html
    trends = html[html.index("Trends over time") :]
    trends = trends[: trends.index("</table>")]
    cells = re.findall(r'<td class="num">([^<]*)<', trends)
    assert cells and not any(c.isdigit() and 0 < int(c) < 10 for c in cells)  # no small counts
    segments = anna.get(f"/w/{w}/dashboards?segment=ward")
    table = segments.text[segments.text.index("Items by ward") :]
    # Wards of fewer than 10 items are counted, not named: a value can name a person.
    assert "Hilltop" not in table and ">3<" not in table
    assert "with fewer than 10 items" in table and "not even by name" in table
    assert "No items have a value" not in table  # they have; every group is just small
    assert "Items by" not in anna.get(f"/w/{w}/dashboards?segment=nonsense").text
    other = anna.get(f"/w/{w}/dashboards?codebook=dbe")
    assert other.status_code == 200 and "Drivers, barriers and enablers" in other.text
    assert anna.get(f"/w/{w}/dashboards?codebook=hls").status_code == 404
    # Coverage and how much people coded or checked come first; counting only checked codes says so.
    headlines = html[html.index('<ol class="headlines">') :]
    assert re.search(
        r"<li>We could code \d+ of \d+ items \(\d+%\) against .+; (people|no person)", headlines
    )
    assert "Coded or checked by people" in html
    checked = anna.get(f"/w/{w}/dashboards?counting=checked")
    assert (
        checked.status_code == 200 and "include only codes people gave or checked" in checked.text
    )
    assert '<option value="checked" selected>' in checked.text
    assert anna.get(f"/w/{w}/dashboards?counting=guesses").status_code == 400


def test_dashboards_respect_roles_and_privacy(client_for, coded) -> None:
    w = coded.workspace_id
    assert client_for("cara@northmoor.gov.uk").get(f"/w/{w}/dashboards").status_code == 403
    vic = client_for("vic@southvale.gov.uk")  # a viewer: may look, may not export
    assert vic.get(f"/w/{w}/dashboards").status_code == 200
    assert "Download report" not in vic.get(f"/w/{w}/dashboards").text
    assert vic.get(f"/w/{w}/dashboards/report?format=html").status_code == 403
    ben = client_for("ben@southvale.gov.uk")
    report = ben.get(f"/w/{w}/dashboards/report?format=html")
    assert report.status_code == 200
    assert "from 17 items of evidence" in report.text  # not Northmoor's private item
    assert "budget gap" not in report.text and "only the evidence you may see" in report.text
    owner = client_for("owner@network.org")
    everything = owner.get(f"/w/{w}/dashboards/report?format=html").text
    assert "from 18 items of evidence" in everything
    assert "only the evidence you may see" not in everything


@pytest.mark.parametrize("fmt", ["html", "pdf", "xlsx"])
def test_report_download_is_audited(client_for, coded, fmt) -> None:
    anna = client_for("anna@northmoor.gov.uk")
    w = coded.workspace_id
    response = anna.get(f"/w/{w}/dashboards/report?format={fmt}&org=Northmoor Council")
    assert response.status_code == 200, response.text
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment;") and "northmoor-council-" in disposition
    # The framework is in the name, so two frameworks' reports do not overwrite each other.
    assert 'filename="upstream-report-nom-northmoor-council-' in disposition
    body = response.content
    if fmt == "html":
        text = body.decode()
        assert "plotly.js v" in text and not re.search(r"<script[^>]+src=", text)
        assert "Northmoor Council: what the evidence says" in text
    elif fmt == "pdf":
        assert body.startswith(b"%PDF")
    else:
        book = openpyxl.load_workbook(io.BytesIO(body))
        assert "coverage" in book.sheetnames
    with Store(coded.db) as store:
        entry = store.workspace("Learning Network").audit_log(limit=1)[0]
    assert entry.action == "export" and entry.target_type == "report"
    assert entry.actor == "anna@northmoor.gov.uk" and entry.detail["format"] == fmt
    assert anna.get(f"/w/{w}/dashboards/report?format=docx").status_code == 400
    assert anna.get(f"/w/{w}/dashboards/report?format=html&org=Nowhere").status_code == 404


def test_dashboards_are_kept_until_the_data_changes(client_for, coded, web) -> None:
    w = coded.workspace_id
    ben = client_for("ben@southvale.gov.uk")
    report = f"/w/{w}/dashboards/report?format=html"
    assert "from 17 items of evidence" in ben.get(report).text
    # Many people opening the dashboards at once get the same figures (built once).
    with ThreadPoolExecutor(max_workers=6) as pool:
        pages = list(pool.map(lambda _: ben.get(f"/w/{w}/dashboards").text, range(6)))
    assert all(page == pages[0] for page in pages) and "Northmoor Council" in pages[0]
    cache = ben.app.state.services.caches.dashboards
    assert len(cache) == 2 and cache.building == 0  # one build for the page, one for the report
    # Making an item private is audited, so the cached figures are worked out again.
    admin = client_for("admin@northmoor.gov.uk")
    item = coded.items["north-shared"]
    token = web.page_csrf(admin, f"/w/{w}/evidence/{item}")
    made_private = admin.post(
        f"/w/{w}/evidence/{item}/share",
        data={"csrf_token": token, "shared": "0"},
        follow_redirects=False,
    )
    assert made_private.status_code == 303
    assert "from 16 items of evidence" in ben.get(report).text


def test_organisations_hidden_by_subtraction_and_small_reports(client_for, coded) -> None:
    """Two organisations and a total: hiding the small one alone would give it away."""
    w = coded.workspace_id
    ben = client_for("ben@southvale.gov.uk")  # sees 15 of Northmoor's items and Southvale's 2
    page = ben.get(f"/w/{w}/dashboards").text
    heatmap = page[page.index('<table class="heatmap">') :]
    heatmap = heatmap[: heatmap.index("</table>")]
    northmoor = heatmap[heatmap.index("Northmoor Council") :][:400]
    assert "not shown" in northmoor and ">15<" not in northmoor
    report = ben.get(f"/w/{w}/dashboards/report?format=html").text
    organisations = report[report.index("Evidence by organisation") :]
    organisations = organisations[: organisations.index("</table>")]
    assert "Northmoor Council" in organisations and "not shown" in organisations
    assert ">15<" not in organisations and ">2<" not in organisations
    # A report on an organisation with fewer than 10 items shows none of its figures or words.
    for fmt in ("html", "pdf", "xlsx"):
        response = ben.get(f"/w/{w}/dashboards/report?format={fmt}&org=Southvale Council")
        assert response.status_code == 200, response.text
        if fmt == "html":
            text = response.text
            assert "fewer than 10 items of evidence" in text and "2 items" not in text
            assert "youth hub" not in text and "staff morale" not in text
            assert "Groups of fewer than 10 are not shown" in text
        elif fmt == "pdf":
            text = extract_text("r.pdf", response.content)
            assert "fewer than 10 items of evidence" in text and "youth hub" not in text
        else:
            book = openpyxl.load_workbook(io.BytesIO(response.content))
            cells = [str(c.value) for sheet in book for row in sheet.iter_rows() for c in row]
            assert not any("youth hub" in c or "staff morale" in c for c in cells)
            assert "2" not in cells


def test_one_kind_of_evidence_cannot_be_subtracted_from_everyone(seeded, client_for) -> None:
    """Everyone 25 = network members 11 + residents 13 + staff 1: the 11 must not show."""
    from upstream.store.coding_repository import CodingStore

    split = {"network": 11, "residents": 13, "staff": 1}
    with Store(seeded.db) as store:
        workspace = store.workspace("Learning Network")
        sources = {}
        with workspace.writer() as writer:
            for kind, n in split.items():
                sources[kind] = writer.add_source(
                    f"{kind}.csv", kind="notes", options={"evidence_type": kind}
                )
                drafts = [
                    ItemDraft(
                        text=f"Old case systems cannot share records ({kind} note {k})",
                        line=k + 2,
                        organisation="Northmoor Council",
                        item_date=date(2025, 3, 1 + k),
                    )
                    for k in range(n + 12)
                ]
                writer.insert_items(sources[kind], drafts, shared=True)
        code_workspace(
            store, workspace.name, load_codebook("dbe"), embedder="hashing", threshold=0.99
        )
        coding = CodingStore(workspace)
        book = coding.codebook_id("dbe")
        assert book is not None
        for kind, n in split.items():
            ids = sorted(i.id for i in workspace.items() if i.source_id == sources[kind])
            for item_id in ids[:n]:
                coding.decide(
                    item_id, book, "recode", actor="owner@network.org", code="barrier.legacy_it"
                )
    owner = client_for("owner@network.org")
    base = f"/w/{seeded.workspace_id}/dashboards?codebook=dbe&counting=checked"

    def legacy_it(kind: str) -> str:
        page = owner.get(f"{base}&type={kind}" if kind else base)
        assert page.status_code == 200, page.text
        table = page.text[page.text.index("Barriers, enablers and drivers named") :]
        row = table[table.index("Legacy IT") :]
        return re.sub(r"<[^>]+>", " ", row[: row.index("</tr>")])

    assert " 25 " in legacy_it("")
    assert " 13 " in legacy_it("residents")
    assert "fewer than 10" in legacy_it("staff")
    network = legacy_it("network")
    assert "not shown" in network and " 11 " not in network
    page = owner.get(f"{base}&type=network").text
    assert "would let a smaller group be worked out" in page
    # The report to download counts what the page counts and withholds what it withholds.
    assert "The report counts the same evidence as this page" in page
    assert "The report counts the same evidence as this page" not in owner.get(base).text

    def reported(kind: str, fmt: str = "html") -> str:
        response = owner.get(
            f"/w/{seeded.workspace_id}/dashboards/report",
            params={"codebook": "dbe", "counting": "checked", "type": kind, "format": fmt},
        )
        assert response.status_code == 200, response.text
        if fmt == "xlsx":
            book = openpyxl.load_workbook(io.BytesIO(response.content))
            rows = [
                " ".join(str(c.value) for c in row) for sheet in book for row in sheet.iter_rows()
            ]
            return "\n".join(rows)
        if fmt == "pdf":
            return extract_text("r.pdf", response.content)
        return re.sub(r"<[^>]+>", " ", response.text)

    def report_row(text: str) -> str:
        rows = [line for line in text.splitlines() if "Legacy IT" in line and "not shown" in line]
        return rows[0] if rows else ""

    residents = reported("residents")
    assert "counting only evidence from residents" in residents
    members = reported("network")
    assert "counting only evidence from network members" in members
    assert re.search(r"Legacy IT\s+not shown", members), members[members.index("Legacy IT") :][:300]
    assert not re.search(r"Legacy IT\s+11\b", members)
    assert re.search(r"Legacy IT\s+13\b", residents)
    sheet = reported("network", "xlsx")
    assert report_row(sheet), sheet
    assert not any(
        line.startswith("Legacy IT 11") or " Legacy IT 11 " in line for line in sheet.splitlines()
    )
    printed = reported("network", "pdf")
    assert "counting only evidence from network members" in " ".join(printed.split())
    # An organisation's report covers all of its evidence, never one kind of it.
    both = owner.get(
        f"/w/{seeded.workspace_id}/dashboards/report",
        params={"type": "network", "org": "Northmoor Council"},
    )
    assert both.status_code == 400 and "covers all of its evidence" in both.text


def test_a_view_of_evidence_left_to_themes_says_so(seeded, client_for) -> None:
    with Store(seeded.db) as store, store.workspace("Learning Network").writer() as writer:
        replies = writer.add_source("replies.csv", kind="consultation replies")
        writer.insert_items(
            replies,
            [
                ItemDraft(
                    text=f"Fix the potholes on road {n}",
                    line=n + 2,
                    organisation="Northmoor Council",
                )
                for n in range(12)
            ],
            shared=True,
        )
    _grow_and_code(seeded.db)
    owner = client_for("owner@network.org")
    page = owner.get(f"/w/{seeded.workspace_id}/dashboards?type=residents").text
    assert "Evidence from residents is not coded against New Operating Models." in page
    assert "Nothing here is coded as a barrier or an enabler" in page
    assert "Read this evidence through its themes" in page and "Go to coding" not in page
    assert "We could code 0" not in page
