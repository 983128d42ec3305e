"""A real headless Chromium signs in, imports a CSV through the wizard, browses and searches.

The app is served by uvicorn on a free loopback port in a background thread.
Screenshots are saved under ``test-artifacts/`` at the repository root. In CI
(``CI=true``) a missing browser fails the test; elsewhere it is skipped.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser


CSV = (
    "ref,comment,date,likes\n"
    "1,We need more youth clubs in the town centre,01/03/2024,12\n"
    "2,Bins are collected late on our street,02/03/2024,3\n"
    '3,"Our procurement rules slow every pilot down, said a manager",03/03/2024,7\n'
    "4,,04/03/2024,0\n"
    "5,A stray comma,05/03/2024,1,and more\n"
)


def test_sign_in_import_browse_and_search(
    live_server: str, chromium: Browser, artifacts: Path, tmp_path: Path, web
) -> None:
    from playwright.sync_api import expect

    upload = tmp_path / "youth-replies.csv"
    upload.write_text(CSV, encoding="utf-8")
    problems: list[str] = []

    browser = chromium
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.set_default_timeout(20_000)

    def shot(name: str) -> None:
        page.screenshot(path=str(artifacts / f"web-{name}.png"), full_page=True)

    # Sign in.
    page.goto(live_server + "/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    shot("01-sign-in")
    page.get_by_label("Email address").fill("anna@northmoor.gov.uk")
    page.get_by_label("Password").fill(web.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Learning Network", exact=True)).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Evidence").click()
    expect(page.get_by_role("heading", name="Evidence", exact=True)).to_be_visible()
    shot("02-evidence")

    # Import a CSV through the wizard.
    page.get_by_role("link", name="Import a file").click()
    page.get_by_label("Choose a file").set_input_files(str(upload))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", name="Preview: youth-replies.csv")).to_be_visible()
    expect(page.get_by_text("comma", exact=True)).to_be_visible()
    shot("03-preview")
    page.get_by_role("link", name="Next: map the columns").click()
    expect(page.get_by_label("Text column")).to_have_value("comment")
    page.get_by_label("Date column").select_option("date")
    page.get_by_label("Reference column").select_option("ref")
    page.get_by_role("group", name="Engagement counts").get_by_label("likes").check()
    page.get_by_label("Everyone in this workspace (shared)").check()
    shot("04-map")
    page.get_by_role("button", name="Next: check and confirm").click()
    expect(page.get_by_role("heading", name="Confirm the import")).to_be_visible()
    shot("05-confirm")
    page.get_by_role("button", name="Import now").click()
    expect(page.get_by_text("Import finished")).to_be_visible()
    expect(page.get_by_text("Rows that were not imported")).to_be_visible()
    # An empty answer is not a fault: it is counted as left blank, not listed.
    expect(page.get_by_text("1 row had nothing in “comment”, so it was left out")).to_be_visible()
    shot("06-summary")

    # Browse what was imported, then search all the evidence.
    page.get_by_role("link", name="Browse the imported evidence").click()
    expect(page.get_by_text("We need more youth clubs in the town centre")).to_be_visible()
    shot("07-browse")
    page.get_by_role("link", name="Clear filters").click()
    page.get_by_label("Search the text").fill("procurement")
    page.get_by_role("button", name="Search").click()
    results = page.locator("table tbody tr")
    expect(results).to_have_count(2)  # the imported reply and the seeded visit note
    expect(page.get_by_text("match your search")).to_be_visible()
    shot("08-search")
    page.get_by_role("link", name="Our procurement rules slow every pilot down").click()
    expect(page.get_by_role("heading", name="About this item")).to_be_visible()
    expect(page.get_by_text("youth-replies.csv")).to_be_visible()
    shot("09-item")

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()

    assert problems == [], f"errors in the browser console: {problems}"
