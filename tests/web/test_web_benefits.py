"""Benefits pages over real HTTP: who may do what, and downloads that match the page."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from tests.web.conftest import Seeded

from upstream.benefits import full_appraisal, read_spec
from upstream.store import Store
from upstream.workflows.benefits.examples import DEMO_SPEC, demo_file

Clients = Callable[[str], TestClient]


def _token(client: TestClient, path: str) -> str:
    return client.get(path).text.split('name="csrf_token" value="')[1].split('"')[0]


def _add(client: TestClient, workspace: int, organisation: str) -> int:
    path = f"/w/{workspace}/benefits/register"
    token = client.get(path).text.split('name="csrf_token" value="')[1].split('"')[0]
    response = client.post(
        path,
        data={
            "csrf_token": token,
            "title": "Fewer repeat visits",
            "organisation": organisation,
            "category": "non-cashable",
            "status": "planned",
            "value": "£12,500",
        },
        follow_redirects=False,
    )
    return response.status_code


def test_who_may_add_benefits(client_for: Clients, seeded: Seeded) -> None:
    w = seeded.workspace_id
    assert _add(client_for("anna@northmoor.gov.uk"), w, "Southvale Council") == 400
    assert _add(client_for("anna@northmoor.gov.uk"), w, "Northmoor Council") == 303
    assert _add(client_for("owner@network.org"), w, "Southvale Council") == 303
    viewer = client_for("vic@southvale.gov.uk")
    page = viewer.get(f"/w/{w}/benefits/register")
    assert page.status_code == 200 and "Fewer repeat visits" in page.text
    assert "Add a benefit" not in page.text
    # Two benefits added, each valued at £12,500 a year and neither of them cash.
    assert "£12,500 a year" in page.text
    assert "Valued at £25,000 a year: £25,000 non-cashable or social" in page.text
    assert _add(viewer, w, "Southvale Council") == 403
    contributor = client_for("cara@northmoor.gov.uk")
    assert contributor.get(f"/w/{w}/benefits").status_code == 403


def test_downloads_carry_the_figures_on_the_page(client_for: Clients, seeded: Seeded) -> None:
    client = client_for("vic@southvale.gov.uk")
    page = client.get(f"/w/{seeded.workspace_id}/benefits/appraisal?demo=1")
    assert page.status_code == 200
    expected = full_appraisal(read_spec(demo_file(DEMO_SPEC)))
    assert f"£{expected.appraisal.npv:,.0f}" in page.text
    # The cash case is given beside the whole case, and said in words.
    assert 'id="fiscal-npv"' in page.text and 'id="fiscal-note"' in page.text
    fiscal = expected.appraisal.fiscal_npv
    assert ("does not pay for itself" in page.text) == (fiscal < 0)
    token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    spec = page.text.split('name="spec" value="')[1].split('"')[0]
    form = {"csrf_token": token, "source": DEMO_SPEC, "spec": html.unescape(spec)}
    answer = client.post(
        f"/w/{seeded.workspace_id}/benefits/appraisal/download", data=form | {"format": "json"}
    )
    figures = json.loads(answer.text)
    assert abs(figures["npv"] - expected.appraisal.npv) < 1e-6
    assert figures["payback_year"] == expected.appraisal.payback_year
    # Who pays and who gains: the page, the file sent back and the JSON agree.
    partners = {p.organisation: p for p in expected.partners}
    assert set(partners) == {"Brackenshire County Council", "NHS trust", "Police"}
    assert 'id="by-organisation"' in page.text
    assert f"{money_text(partners['NHS trust'].net_fiscal)}</td>" in page.text
    assert "NHS trust and Police bear more cost than they get back" in page.text
    # What the adjustments did, and the fiscal case's own payback.
    assert 'id="adjustments"' in page.text
    ratio = expected.bridge.ratio_as_written
    assert ratio is not None and f"would be {ratio:.2f}; after them it is" in page.text
    assert "it does not pay back within the years given" in page.text
    assert figures["fiscal_payback_year"] is None and "adjustments" in figures
    assert [p["organisation"] for p in figures["by_organisation"]] == [
        p.organisation for p in expected.partners
    ]
    book = client.post(
        f"/w/{seeded.workspace_id}/benefits/appraisal/download", data=form | {"format": "xlsx"}
    )
    assert book.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "By organisation" in load_workbook(io.BytesIO(book.content)).sheetnames


def money_text(value: float) -> str:
    """A sum as the benefits pages write it: £1,234 or −£1,234."""
    return f"−£{-value:,.0f}" if value < 0 else f"£{value:,.0f}"


def test_channel_shift_refuses_bad_figures_in_plain_english(
    client_for: Clients, seeded: Seeded
) -> None:
    client = client_for("anna@northmoor.gov.uk")
    query = {
        "channel_0": "phone",
        "contacts_0": "lots",
        "cost_0": "2.83",
        "channel_1": "web",
        "contacts_1": "1000",
        "cost_1": "0.15",
        "share_low": "10",
        "share_central": "20",
        "share_high": "30",
        "years": "5",
        "ramp": "3",
        "assisted": "10",
        "target": "web",
    }
    page = client.get(f"/w/{seeded.workspace_id}/benefits/channel-shift", params=query)
    assert page.status_code == 400
    assert "For phone, enter the channel" in page.text
    page = client.get(
        f"/w/{seeded.workspace_id}/benefits/channel-shift", params=query | {"contacts_0": "5000"}
    )
    assert page.status_code == 200 and "Savings by year" in page.text
    # Where the central saving comes from: 5,000 phone contacts × 20% × (2.83 − 0.15).
    assert 'id="by-channel"' in page.text and "Where the central saving comes from" in page.text
    # The savings go to the appraisal as lines, with the cost of the change to fill in.
    link = page.text.split('id="to-appraisal">')[1].split('href="')[1].split('"')[0]
    lines = client.get(html.unescape(link))
    assert lines.status_code == 200 and lines.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(lines.text)))
    assert rows[0][:5] == ["item", "kind", "category", "year", "amount"]
    assert rows[1][0] == "Cost of making the change (fill in)"
    assert len(rows) == 1 + 1 + 5 and all(r[1] == "benefit" for r in rows[2:])
    backwards = client.get(
        f"/w/{seeded.workspace_id}/benefits/channel-shift",
        params=query | {"contacts_0": "5000", "share_low": "30", "share_high": "10"},
    )
    assert backwards.status_code == 400 and "must rise from low to high" in backwards.text


def test_channel_shift_rows_add_up_to_their_totals_and_a_loss_is_explained(
    client_for: Clients, seeded: Seeded
) -> None:
    import re

    client = client_for("anna@northmoor.gov.uk")
    query = {
        "channel_0": "phone",
        "contacts_0": "212000",
        "cost_0": "2.83",
        "channel_1": "web",
        "contacts_1": "90000",
        "cost_1": "0.15",
        "share_low": "10",
        "share_central": "20",
        "share_high": "30",
        "years": "5",
        "ramp": "3",
        "assisted": "10",
        "target": "web",
    }
    path = f"/w/{seeded.workspace_id}/benefits/channel-shift"
    page = client.get(path, params=query).text
    table = page[
        page.index('<table id="savings">') : page.index(
            "</table>", page.index('<table id="savings">')
        )
    ]
    body, foot = table.split("<tfoot>")

    def pounds(html: str) -> list[int]:
        return [int(v.replace(",", "")) for v in re.findall(r"£(-?[\d,]+)", html)]

    rows = [pounds(row) for row in body.split("</tr>") if "£" in row]
    totals = pounds(foot)
    assert len(totals) == 3 and all(len(row) == 3 for row in rows)
    assert [sum(row[n] for row in rows) for n in range(3)] == totals
    # Moving web contacts (£0.15 each) to the phone (£2.83) loses money every year.
    losing = client.get(path, params=query | {"target": "phone"})
    assert losing.status_code == 200 and "cost more than they save" in losing.text
    assert 'class="chart-svg"' not in losing.text


def test_channel_shift_takes_the_default_cost_for_a_known_channel_left_empty(
    client_for: Clients, seeded: Seeded
) -> None:
    client = client_for("anna@northmoor.gov.uk")
    base = {
        "channel_0": "phone",
        "contacts_0": "10000",
        "channel_1": "web",
        "contacts_1": "1000",
        "cost_1": "0.15",
        "share_low": "10",
        "share_central": "20",
        "share_high": "30",
        "years": "1",
        "ramp": "1",
        "assisted": "0",
        "target": "web",
    }
    path = f"/w/{seeded.workspace_id}/benefits/channel-shift"
    empty = client.get(path, params=base | {"cost_0": ""})
    given = client.get(path, params=base | {"cost_0": "2.83"})
    assert empty.status_code == given.status_code == 200
    # 10,000 × 20% × (£2.83 − £0.15) = £5,360 in the central case.
    assert "£5,360" in empty.text and "£5,360" in given.text
    endless = client.get(path, params=base | {"contacts_0": "inf", "cost_0": "2.83"})
    assert endless.status_code == 400


def test_only_people_who_may_import_upload_measures(client_for: Clients, seeded: Seeded) -> None:
    viewer = client_for("vic@southvale.gov.uk")
    path = f"/w/{seeded.workspace_id}/benefits"
    page = viewer.get(path)
    assert page.status_code == 200 and "Import measures" not in page.text
    token = _token(viewer, path)
    body = b"organisation,measure,period,value\nSouthvale Council,visits,2025-01,3\n"
    answer = viewer.post(
        f"{path}/measures",
        data={"csrf_token": token},
        files={"file": ("m.csv", body, "text/csv")},
    )
    assert answer.status_code == 403
    owner = client_for("owner@network.org")
    answer = owner.post(
        f"{path}/measures",
        data={"csrf_token": _token(owner, path)},
        files={"file": ("m.csv", body, "text/csv")},
    )
    assert answer.status_code == 200 and "1 value added" in answer.text
    assert "visits" in owner.get(path).text
    wrong = owner.post(
        f"{path}/measures",
        data={"csrf_token": _token(owner, path)},
        files={"file": ("m.pdf", b"%PDF", "application/pdf")},
    )
    assert wrong.status_code == 400 and "CSV, Excel" in wrong.text


def test_the_appraisal_shows_what_it_assumes_and_how_sure_it_is(
    client_for: Clients, seeded: Seeded
) -> None:
    page = client_for("anna@northmoor.gov.uk").get(
        f"/w/{seeded.workspace_id}/benefits/appraisal", params={"demo": "1"}
    )
    assert page.status_code == 200
    text = page.text
    assert "Show what the appraisal assumes" in text and 'id="assumptions"' in text
    assert "discounted at 3.5% a year up to year 30 and 3.0% after" in text
    assert "A blank optimism bias or deadweight is taken as 0%" in text
    # The chance of a net loss is given both ways, side by side.
    assert "below zero with each line drawn on its own, and in " in text
    assert "% with the benefits moving together as one group and the costs as another" in text
    assert "is the safer one to quote" in text
    # ... and so is its range: the table gives both, and the one to quote says so.
    assert "Net present value, moving together (quote this)" in text
    # How far the case could slip before it stops paying: all benefits, all costs,
    # and each assumption's own switching value, in per cent or share points.
    assert re.search(
        r"fall to zero if all benefits fell by \d+\.\d%, or if all costs rose by", text
    )
    assert re.search(r"<td class=\"num\">[+−]\d+\.\d%</td>", text)
    assert " points" in text
    # Fiscal benefits are savings to budgets, not all of them cash.
    assert "whether cashable or not" in text and "in cash" not in text
    assert "discounted benefits so far exceed discounted costs so far" in text
    assert "See the benefits guide" not in text


def test_whole_pounds_add_up_to_the_rounded_total() -> None:
    from upstream.benefits.rounding import whole_pounds

    amounts = [28_733.4, 57_466.8, 86_200.2, 86_200.2, 86_200.2]
    shown = whole_pounds(amounts)
    assert sum(shown) == round(sum(amounts)) == 344_801  # the figure the report gives
    assert all(abs(s - a) < 1 for s, a in zip(shown, amounts, strict=True))
    assert sum(whole_pounds([-10.6, 3.2])) == -7  # losses round the same way


def test_an_uploaded_appraisal_names_the_columns_it_did_not_use(
    client_for: Clients, seeded: Seeded
) -> None:
    client = client_for("anna@northmoor.gov.uk")
    path = f"/w/{seeded.workspace_id}/benefits/appraisal"
    body = (
        b"item,kind,category,year,amount,optimism_bias,deadweight,attribution,payer\n"
        b"Staff,cost,fiscal,0,100,,,,Council\n"
        b"Savings,benefit,fiscal,1,300,,,,NHS\n"
    )
    page = client.post(
        path,
        data={"csrf_token": _token(client, path)},
        files={"file": ("hub.csv", body, "text/csv")},
    )
    assert page.status_code == 200
    assert "These columns were not used: payer" in page.text
    assert "use a column called <code>organisation</code>" in page.text
    assert 'id="by-organisation"' not in page.text


def test_a_value_that_is_not_a_number_is_refused_and_kept(
    client_for: Clients, seeded: Seeded
) -> None:
    client = client_for("owner@network.org")
    path = f"/w/{seeded.workspace_id}/benefits/register"
    token = client.get(path).text.split('name="csrf_token" value="')[1].split('"')[0]
    form = {
        "csrf_token": token,
        "title": "Fewer repeat visits",
        "organisation": "Northmoor Council",
        "category": "cashable",
        "status": "planned",
        "value": "about twelve grand",
    }
    refused = client.post(path, data=form, follow_redirects=False)
    assert refused.status_code == 400
    assert "Enter the expected value (£ a year) as a number" in refused.text
    assert 'value="about twelve grand"' in refused.text  # what was typed is not lost


def test_a_downloaded_workbook_can_be_uploaded_again(client_for: Clients, seeded: Seeded) -> None:
    client = client_for("anna@northmoor.gov.uk")
    path = f"/w/{seeded.workspace_id}/benefits/appraisal"
    page = client.get(path + "?demo=1")
    spec = html.unescape(page.text.split('name="spec" value="')[1].split('"')[0])
    token = _token(client, path)
    workbook = client.post(
        path + "/download",
        data={"csrf_token": token, "source": DEMO_SPEC, "spec": spec, "format": "xlsx"},
    )
    assert workbook.status_code == 200
    again = client.post(
        path,
        data={"csrf_token": token},
        files={"file": ("hub.xlsx", workbook.content, "application/octet-stream")},
    )
    assert again.status_code == 200
    expected = full_appraisal(read_spec(demo_file(DEMO_SPEC)))
    assert f"£{expected.appraisal.npv:,.0f}" in again.text
    assert "were not used" not in again.text


def test_a_benefit_s_page_gives_its_value(client_for: Clients, seeded: Seeded) -> None:
    client = client_for("owner@network.org")
    path = f"/w/{seeded.workspace_id}/benefits/register"
    token = client.get(path).text.split('name="csrf_token" value="')[1].split('"')[0]
    form = {
        "csrf_token": token,
        "title": "Fewer missed bins",
        "organisation": "Northmoor Council",
        "category": "cashable",
        "status": "planned",
        "value": "16500",
    }
    added = client.post(path, data=form, follow_redirects=False)
    assert added.status_code == 303
    page = " ".join(client.get(added.headers["location"]).text.split())
    assert "Expected value" in page and "£16,500 a year (cashable)" in page


def test_a_benefit_s_owner_records_where_it_stands_and_can_remove_it(
    client_for: Clients, seeded: Seeded
) -> None:
    w = seeded.workspace_id
    anna = client_for("anna@northmoor.gov.uk")
    path = f"/w/{w}/benefits/register"
    owner = client_for("owner@network.org")
    token = _token(owner, path)
    added = owner.post(
        path,
        data={
            "csrf_token": token, "title": "Fewer missed bins", "organisation": "Northmoor Council",
            "category": "cashable", "status": "planned", "target": "100", "value": "16500",
        },
        follow_redirects=False,
    )  # fmt: skip
    page = added.headers["location"]
    benefit = page.rsplit("/", 1)[1]
    change = {
        "csrf_token": _token(anna, page), "title": "Fewer missed bins", "category": "cashable",
        "status": "at risk", "owner": "Head of waste", "target": "120", "value": "£18,000",
        "due": "2027-03-31",
    }  # fmt: skip
    updated = anna.post(f"{page}/update", data=change, follow_redirects=False)
    assert updated.status_code == 303
    shown = " ".join(anna.get(updated.headers["location"]).text.split())
    assert "The benefit was updated." in shown and "At risk" in shown
    assert "£18,000 a year" in shown and "120 by 31 March 2027" in shown
    with Store(seeded.db) as store:
        entry = next(
            e for e in store.workspace("Learning Network").audit_log() if e.action == "update"
        )
    assert entry.detail["changed"]["status"] == ["planned", "at risk"]
    # A bad value is refused and nothing changes.
    bad = anna.post(f"{page}/update", data=change | {"value": "lots"}, follow_redirects=False)
    assert bad.status_code == 400 and "Enter the expected value" in bad.text
    # Someone acting for another organisation cannot change it.
    vic = client_for("vic@southvale.gov.uk")
    assert vic.post(f"{page}/update", data=change).status_code in {403, 404}
    # Removing needs the box ticked; then the benefit and its links go.
    unticked = anna.post(f"{page}/remove", data={"csrf_token": change["csrf_token"]})
    assert unticked.status_code == 400 and "Tick the box" in unticked.text
    removed = anna.post(
        f"{page}/remove",
        data={"csrf_token": change["csrf_token"], "confirm": "yes"},
        follow_redirects=False,
    )
    assert removed.status_code == 303
    assert anna.get(page).status_code == 404
    assert f"/benefits/register/{benefit}" not in anna.get(path).text
