"""The culture page on the demo staff survey: years, peers, the panel model and the evidence."""

from __future__ import annotations

import html
import re

from upstream.demo.staff_survey import STAFF_SURVEY, load_demo_staff_survey
from upstream.store import Store

WORKSPACE = "Learning Network"


def _rows(page: str, caption: str) -> list[list[str]]:
    table = page.split(caption, 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, flags=re.S)
        ]
        for r in rows
    ]


def test_culture_over_time_with_peers_and_the_model(seeded, client_for) -> None:
    with Store(seeded.db) as store:
        load_demo_staff_survey(store, WORKSPACE)
    anna = client_for("anna@northmoor.gov.uk")
    base = f"/w/{seeded.workspace_id}/surveys/culture"
    page = anna.get(
        base,
        params={
            "survey": STAFF_SURVEY,
            "organisation": "Mardenholt District Council",
            "measure": "CULT_RISK_CHANGE",
        },
    )
    assert page.status_code == 200
    years = _rows(page.text, "Mardenholt District Council against the median, by year")[1:]
    assert [r[0] for r in years] == ["2024", "2025", "2026"]
    assert [r[1] for r in years] == ["59%", "36%", "27%"]  # the restructure of 2025
    assert years[1][6] == "10 of 11"  # one organisation had fewer than 10 respondents in 2025
    # Each gap is the difference of the two rounded figures beside it.
    for _, value, _people, _change, median, gap, _rank in years:
        assert int(gap) == int(value.rstrip("%")) - int(median.rstrip("%")), (value, median, gap)
    # How many answered, and whether each change is more than chance would explain.
    assert all(int(r[2].replace(",", "")) >= 10 for r in years)
    assert years[0][3] == "—"  # nothing to change from in the first year
    # 59% of 28 people against 36% of 25: with so few, a drop that size happens by
    # chance more than 1 time in 20 (a 95% test of two proportions), and it says so.
    assert years[1][3] == "-23 could be chance"
    assert "worth reporting as change" in page.text
    peers = _rows(page.text, "every comparable organisation in 2026, highest first")[1:]
    assert len(peers) == 12 and peers[-1][:3] == [
        "12",
        "Mardenholt District Council (chosen organisation)",
        "27%",
    ]
    assert '<tr class="mine">' in page.text
    model = _rows(page.text, "Engagement index and the culture themes")[1:]
    assert sorted(r[0] for r in model) == [
        "Empowerment",
        "Mission",
        "Outward focus",
        "Risk and change",
    ]
    risk = next(r for r in model if r[0] == "Risk and change")
    assert risk[1] == "+0.15" and "unlikely to be chance" in risk[3]
    # The seeded workspace holds no evidence of Mardenholt's: no link to a page that is not there.
    assert "its coded evidence" not in page.text
    northmoor = anna.get(base, params={"survey": STAFF_SURVEY, "organisation": "Northmoor Council"})
    assert northmoor.status_code == 200  # not in this survey: the first organisation is shown


def test_the_culture_table_downloads_as_on_the_page(seeded, client_for) -> None:
    import csv
    import io

    with Store(seeded.db) as store:
        load_demo_staff_survey(store, WORKSPACE)
    anna = client_for("anna@northmoor.gov.uk")
    base = f"/w/{seeded.workspace_id}/surveys/culture"
    params = {
        "survey": STAFF_SURVEY,
        "organisation": "Mardenholt District Council",
        "measure": "CULT_RISK_CHANGE",
    }
    page = anna.get(base, params=params).text
    assert "Download this table (CSV)" in page
    download = anna.get(f"{base}.csv", params=params)
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.text.lstrip("\ufeff"))))
    shown = _rows(page, "Mardenholt District Council against the median, by year")[1:]
    assert [r["year"] for r in rows] == [r[0] for r in shown]
    assert [r["score"] for r in rows] == [r[1] for r in shown]
    assert [int(r["gap to the median"]) for r in rows] == [int(r[5]) for r in shown]
    assert rows[1]["reading of the change"] == "could be chance"
    assert anna.get(f"{base}.csv", params={**params, "survey": "nope"}).status_code == 404
