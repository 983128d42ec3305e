"""Real headless Chromium: run coding, accept a suggestion, open a dashboard, download the report.

Same setup as ``test_web_browser.py``: the app is served by uvicorn on a free
loopback port; screenshots go to ``test-artifacts/``; in CI a missing browser
fails the test, elsewhere it is skipped.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser


def test_code_review_dashboard_and_report(
    live_server: str, chromium: Browser, artifacts: Path, tmp_path: Path, web
) -> None:
    from playwright.sync_api import expect

    problems: list[str] = []

    browser = chromium
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.set_default_timeout(20_000)

    def shot(name: str) -> None:
        page.screenshot(path=str(artifacts / f"web-coding-{name}.png"), full_page=True)

    # Sign in.
    page.goto(live_server + "/")
    page.get_by_label("Email address").fill("anna@northmoor.gov.uk")
    page.get_by_label("Password").fill(web.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Learning Network", exact=True)).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Evidence").click()
    expect(page.get_by_role("heading", name="Evidence", exact=True)).to_be_visible()

    # Run coding against New Operating Models with the quick text model.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Codes").click()
    expect(page.get_by_role("heading", name="Coding", exact=True)).to_be_visible()
    page.get_by_label("Framework").select_option(label="New Operating Models")
    page.get_by_label("Text model").select_option("hashing")
    page.get_by_label("Confidence threshold (optional)").fill("0.05")
    shot("01-start")
    page.get_by_role("button", name="Start coding").click()
    expect(page.get_by_role("heading", name="Coding against New Operating Models")).to_be_visible()
    expect(page.get_by_text("Coding finished")).to_be_visible(timeout=180_000)
    shot("02-finished")

    # See the codes, then accept the first suggestion in the review queue.
    page.get_by_role("link", name="See the codes").click()
    expect(page.get_by_role("columnheader", name="Codes and confidence")).to_be_visible()
    shot("03-codes")
    page.get_by_role("link", name="Review the least certain").click()
    expect(page.get_by_role("heading", name="3 items to review")).to_be_visible()
    shot("04-review")
    page.get_by_role("button", name="Accept").first.click()
    expect(page.get_by_role("status").filter(has_text="accepted")).to_be_visible()
    # The decision is made in place; the queue is shorter when the page is next loaded.
    expect(page.locator("article.review-item").first).to_contain_text("accepted")
    page.reload()
    expect(page.get_by_role("heading", name="2 items to review")).to_be_visible()
    shot("05-accepted")

    # Open the dashboards and download the report.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboards").click()
    expect(page.get_by_role("heading", name="Dashboards", exact=True)).to_be_visible()
    expect(page.locator("table.heatmap")).to_be_visible()
    # The chart's bars lead to their items; the table beside it has the same numbers and links.
    chart = page.locator("figure.chart svg").first
    expect(chart).to_be_visible()
    expect(chart.locator("a").first).to_have_attribute("href", re.compile(r"/evidence\?code="))
    shot("06-dashboards")
    with page.expect_download() as waiting:
        page.get_by_role("button", name="Download report (HTML)").click()
    download = waiting.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.name.startswith("upstream-report-") and saved.suffix == ".html"
    report = saved.read_text(encoding="utf-8")
    assert "Headline findings" in report and "plotly.js v" in report

    # The PDF takes seconds to make: the button says so while it is being prepared.
    pdf_button = page.get_by_role("button", name="PDF with board summary")
    with page.expect_download() as waiting:
        pdf_button.click()
        preparing = page.get_by_role("button", name="Preparing the PDF…")
        expect(preparing).to_be_disabled()
        expect(page.get_by_role("status").filter(has_text="Preparing the PDF")).to_be_visible()
        shot("06b-preparing-pdf")
    pdf = tmp_path / waiting.value.suggested_filename
    waiting.value.save_as(pdf)
    assert pdf.suffix == ".pdf" and pdf.read_bytes().startswith(b"%PDF")
    expect(page.get_by_role("status").filter(has_text="The PDF is ready")).to_be_visible()
    expect(pdf_button).to_be_enabled()

    # The downloaded report opens offline and draws its charts.
    offline = context.new_page()
    offline.on("pageerror", lambda e: problems.append(str(e)))
    offline.route("http*://**", lambda route: route.abort())
    offline.goto(saved.as_uri())
    expect(offline.locator("#chart-coverage .main-svg").first).to_be_visible()
    offline.screenshot(path=str(artifacts / "web-coding-07-report.png"), full_page=True)

    assert problems == [], f"errors in the browser console: {problems}"
