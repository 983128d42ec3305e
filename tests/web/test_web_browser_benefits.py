"""Real headless Chromium: measures with their chart, the benefits register, channel shift
and the cost–benefit appraisal.

Same setup as ``test_web_browser.py``: the app is served by uvicorn on a free
loopback port; screenshots go to ``test-artifacts/web-benefits-*.png``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TYPE_CHECKING

from upstream.store import Store
from upstream.workflows.benefits.examples import DEMO_MEASURES, DEMO_SPEC, demo_file
from upstream.workflows.benefits.measures import import_measures

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
    from tests.web.conftest import Seeded


def _page(
    live_server: str, chromium: Browser, email: str, password: str, problems: list[str]
) -> Page:
    from playwright.sync_api import expect

    context = chromium.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    # A form sent back with its problems answers 400, which the console reports; that is expected.
    page.on(
        "console",
        lambda m: (
            problems.append(m.text) if m.type == "error" and "status of 400" not in m.text else None
        ),
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.set_default_timeout(20_000)
    page.goto(live_server + "/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("navigation", name="Main")).to_be_visible()
    return page


def test_measures_and_register(
    live_server: str,
    seeded_sqlite: Seeded,
    chromium: Browser,
    artifacts: Path,
    web,
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect

    with Store(seeded_sqlite.db) as store:
        import_measures(store, demo_file(DEMO_MEASURES), workspace="Learning Network")
    problems: list[str] = []
    anna = _page(live_server, chromium, "anna@northmoor.gov.uk", web.password, problems)

    def shot(page: Page, name: str) -> None:
        page.screenshot(path=str(artifacts / f"web-benefits-{name}.png"), full_page=True)

    anna.get_by_role("navigation", name="Main").get_by_role("link", name="Benefits").click()
    expect(anna.get_by_role("heading", name="Benefits", exact=True)).to_be_visible()
    measures = anna.get_by_role("table", name=re.compile("Measures in this workspace"))
    expect(measures.get_by_role("row")).to_have_count(4)
    shot(anna, "01-measures")
    # Anna uploads her council's measures; a row for another council and a bad number are
    # set aside with the reason.
    upload = tmp_path / "northmoor.csv"
    upload.write_text(
        "organisation,service,measure,period,value,kind\n"
        "Northmoor Council,Housing,repairs reported,2025-01,120,actual\n"
        "Northmoor Council,Housing,repairs reported,2025-02,twelve,actual\n"
        "Southvale Council,Housing,repairs reported,2025-01,80,actual\n",
        encoding="utf-8",
    )
    anna.get_by_label("Measures file").set_input_files(str(upload))
    anna.get_by_role("button", name="Import measures").click()
    expect(anna.get_by_role("status")).to_contain_text("1 value added")
    rejects = anna.get_by_role("table", name=re.compile("Rows that were not imported"))
    expect(rejects).to_contain_text("'twelve' is not a number")
    expect(rejects).to_contain_text("you can import measures for Northmoor Council only")
    expect(measures.get_by_role("row")).to_have_count(5)
    shot(anna, "01b-measures-imported")
    measures.get_by_role("link", name="contacts by phone (Council tax)").click()
    chart = anna.get_by_role("img", name=re.compile("Contacts by phone .* against the target"))
    expect(chart).to_be_visible()
    assert chart.locator("polyline.chart-line").count() == 1
    # One target line and two changes made, each also drawn once in the legend.
    assert chart.locator("line.chart-target").count() == 2
    assert chart.locator("line.chart-change").count() == 3
    expect(
        anna.get_by_role("list").filter(has_text="Online direct debit form launched")
    ).to_be_visible()
    table = anna.get_by_role("table", name=re.compile("by date"))
    expect(table.get_by_role("row")).to_have_count(13)  # header and 12 months
    last = table.get_by_role("row").last
    expect(last).to_contain_text("13,500")
    expect(last).to_contain_text("12,000")
    shot(anna, "02-measure-chart")

    # Anna adds a benefit for her own council, tracked by that measure.
    anna.get_by_role("navigation", name="Benefits").get_by_role(
        "link", name="Benefits register"
    ).click()
    expect(anna.get_by_text("The register is empty.")).to_be_visible()
    anna.get_by_label("What the benefit is").fill("Fewer council tax calls")
    expect(anna.get_by_label("Organisation")).to_have_value("Northmoor Council")
    anna.get_by_label("Owner").fill("Head of customer services")
    anna.get_by_label("Category").select_option("cashable")
    anna.get_by_label("Status").select_option("on track")
    anna.get_by_label("Baseline").fill("18,200")
    anna.get_by_label("Target").fill("12000")
    anna.get_by_label("To be met by").fill("2025-03-31")
    anna.get_by_role("button", name="Add the benefit").click()
    expect(anna.get_by_role("heading", name="Fewer council tax calls")).to_be_visible()
    benefit_url = anna.url
    # Her council's private item and the other council's shared item may be linked ...
    for label in ("north-private", "south-shared"):
        anna.get_by_label("Item number").fill(str(seeded_sqlite.items[label]))
        anna.get_by_role("button", name="Link").click()
    evidence = anna.locator("ul.evidence-links")
    expect(evidence).to_contain_text("our budget gap")
    expect(evidence).to_contain_text("co-designed the new youth hub")
    # ... but not an item private to the other council: she cannot see it at all.
    anna.get_by_label("Item number").fill(str(seeded_sqlite.items["south-private"]))
    anna.get_by_role("button", name="Link").click()
    expect(anna.get_by_role("alert")).to_contain_text("There is no item")
    shot(anna, "03-benefit")
    # Months later she records where it stands: at risk, and what it is worth.
    update = anna.locator("#update")
    update.get_by_label("Status").select_option("at risk")
    update.get_by_label("Expected value").fill("16,500")
    update.get_by_role("button", name="Save the changes").click()
    expect(anna.get_by_role("status")).to_contain_text("The benefit was updated.")
    expect(anna.locator("dl.summary")).to_contain_text("At risk")
    expect(anna.locator("dl.summary")).to_contain_text("£16,500 a year")
    shot(anna, "03b-benefit-updated")
    anna.get_by_role("link", name="Back to the register").click()
    row = anna.get_by_role("row", name=re.compile("Fewer council tax calls"))
    expect(row).to_contain_text("2 items, 0 themes")
    expect(row).to_contain_text("18,200")
    shot(anna, "04-register")

    # Someone from the other council sees the benefit, but not Northmoor's private item.
    ben = _page(live_server, chromium, "ben@southvale.gov.uk", web.password, problems)
    ben.goto(benefit_url)
    evidence = ben.locator("ul.evidence-links")
    expect(evidence).to_contain_text("co-designed the new youth hub")
    expect(evidence).not_to_contain_text("budget gap")
    expect(ben.get_by_text("1 linked item you cannot see is not shown.")).to_be_visible()
    expect(ben.get_by_role("button", name="Link")).to_have_count(0)
    expect(ben.get_by_role("button", name="Save the changes")).to_have_count(0)
    shot(ben, "05-benefit-other-council")
    assert problems == []


def test_channel_shift_and_appraisal(
    live_server: str, chromium: Browser, artifacts: Path, web, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    problems: list[str] = []
    page = _page(live_server, chromium, "anna@northmoor.gov.uk", web.password, problems)

    def shot(name: str) -> None:
        page.screenshot(path=str(artifacts / f"web-benefits-{name}.png"), full_page=True)

    page.goto(live_server + "/w/1/benefits/channel-shift")
    expect(page.get_by_label("£ per contact by phone")).to_have_value("2.83")
    page.get_by_role("link", name="Fill in the demo council’s figures").click()
    savings = page.get_by_role("table", name=re.compile("Savings by year"))
    expect(savings.get_by_role("row")).to_have_count(7)  # header, 5 years, total
    expect(page.get_by_role("img", name=re.compile("Savings a year"))).to_be_visible()
    total = savings.locator("tfoot").inner_text()
    shot("06-channel-shift")
    # A dearer phone contact saves more.
    page.get_by_label("£ per contact by phone").fill("4.50")
    page.get_by_label("Assisted digital share, %").fill("15")
    page.get_by_role("button", name="Work out the savings").click()
    expect(savings.locator("tfoot")).not_to_have_text(total)
    page.get_by_label("High", exact=True).fill("130")
    page.get_by_role("button", name="Work out the savings").click()
    expect(page.get_by_role("alert")).to_contain_text("high shift share as a percentage")

    page.get_by_role("link", name="Cost–benefit appraisal").click()
    page.get_by_role("link", name=re.compile("Use the demo’s appraisal")).click()
    expect(page.locator("#npv")).to_contain_text("£")
    expect(page.get_by_role("table", name=re.compile("Present values"))).to_contain_text(
        "Social benefits"
    )
    expect(page.get_by_role("table", name=re.compile("low and high end"))).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("simulated appraisals"))).to_contain_text(
        "50th"
    )
    shot("07-appraisal")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the figures (JSON)").click()
    figures = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    expect(page.locator("#npv")).to_contain_text(f"{abs(figures['npv']):,.0f}")
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the workbook (XLSX)").click()
    assert download.value.suggested_filename == "early_help_appraisal-appraisal.xlsx"

    # A SPEC with a mistake is refused with its line and column.
    bad = tmp_path / "mine.csv"
    bad.write_text(
        demo_file(DEMO_SPEC)
        .read_text(encoding="utf-8")
        .replace(",cost,fiscal,0,420000", ",cots,fiscal,0,420000"),
        encoding="utf-8",
    )
    page.get_by_label("Costs and benefits file").set_input_files(str(bad))
    page.get_by_role("button", name="Appraise").click()
    expect(page.get_by_role("alert")).to_contain_text("line 2")
    expect(page.get_by_role("alert")).to_contain_text("mine.csv")
    shot("08-appraisal-error")
    assert problems == []
