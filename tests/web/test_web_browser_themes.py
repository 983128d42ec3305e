"""Real headless Chromium: find themes from the page, follow the run, rename a theme.

Same setup as ``test_web_browser.py``: the app is served by uvicorn on a free
loopback port; screenshots go to ``test-artifacts/web-themes-*.png``; in CI a
missing browser fails the test, elsewhere it is skipped.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from upstream.records.drafts import ItemDraft
from upstream.store import Store

if TYPE_CHECKING:
    from playwright.sync_api import Browser

REPLIES = [
    "The bus is always late and the bus timetable is wrong",
    "More buses in the evening please, the last bus is too early",
    "Cheaper bus fares would fill the buses",
    "The bus station needs shelters and a bus timetable board",
    "Parking on Mill Street is impossible, cars park on the pavement",
    "Residents parking permits cost too much and parking is scarce",
    "Parking charges at the car park are too high",
    "Commuters park all day on our street, we need residents parking",
    "Plant more trees in the park for shade",
    "The park needs more trees and benches",
    "Street trees make the town greener, plant more trees",
    "Keep the old trees in the park, do not cut the trees down",
]


def add_replies(db: str, workspace_id: int) -> None:
    """Store a dozen shared consultation replies on three subjects."""
    store = Store(db)
    workspace = next(store.workspace(w.name) for w in store.workspaces() if w.id == workspace_id)
    with workspace.writer() as writer:
        source = writer.add_source("consultation.csv", kind="consultation replies")
        drafts = [
            ItemDraft(
                text=text,
                line=n + 2,
                organisation="Northmoor Council",
                item_date=date(2025, 5, 1),
            )
            for n, text in enumerate(REPLIES)
        ]
        writer.insert_items(source, drafts, shared=True)
    store.close()


def test_find_and_rename_themes(
    live_server: str, seeded_sqlite, chromium: Browser, artifacts: Path, web
) -> None:
    from playwright.sync_api import expect

    add_replies(seeded_sqlite.db, seeded_sqlite.workspace_id)
    problems: list[str] = []
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.set_default_timeout(20_000)

    def shot(name: str) -> None:
        page.screenshot(path=str(artifacts / f"web-themes-{name}.png"), full_page=True)

    # Sign in as an analyst and open the themes page.
    page.goto(live_server + "/")
    page.get_by_label("Email address").fill("anna@northmoor.gov.uk")
    page.get_by_label("Password").fill(web.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Learning Network", exact=True)).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Evidence").click()
    expect(page.get_by_role("heading", name="Evidence", exact=True)).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Themes").click()
    expect(page.get_by_role("heading", name="Themes", exact=True)).to_be_visible()
    expect(page.get_by_text("No themes have been found yet")).to_be_visible()

    # Find three themes with the quick text model and follow the run to its end.
    page.get_by_label("Evidence").select_option(label="consultation.csv")
    page.get_by_label("Number of themes (optional)").fill("3")
    # The text model and seed sit under "More settings": most people never change them.
    page.get_by_text("More settings").click()
    page.get_by_label("Text model").select_option("hashing")
    shot("01-start")
    page.get_by_role("button", name="Find themes").click()
    # The page's own heading (a job still running also shows "Finding themes…").
    expect(page.get_by_role("heading", name="Finding themes", exact=True)).to_be_visible()
    expect(page.get_by_text("Themes found: 3 themes in 12 items")).to_be_visible(timeout=180_000)
    shot("02-finished")
    page.get_by_role("link", name="See the themes").click()
    expect(page.get_by_role("heading", name="3 themes")).to_be_visible()
    expect(page.get_by_role("list", name="Typical quotes").first).to_be_visible()
    shot("03-themes")

    # Rename the first theme from the list, with the keyboard-usable disclosure.
    first = page.locator(".theme-card").first
    first.get_by_text("Rename theme 1").click()
    first.get_by_label("New name for theme 1").fill("Getting about town")
    first.get_by_role("button", name="Rename").click()
    expect(page.get_by_role("status").filter(has_text="Theme renamed")).to_be_visible()
    expect(page.get_by_role("link", name="Theme 1: Getting about town")).to_be_visible()
    shot("04-renamed")

    # The theme's own page lists its items, each linking to the evidence.
    page.get_by_role("link", name="Theme 1: Getting about town").click()
    expect(page.get_by_role("heading", name="Theme 1: Getting about town")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Item")).to_be_visible()
    page.locator("table a").first.click()
    expect(page).to_have_url(re.compile(r"/evidence/\d+$"))
    shot("05-item")

    # Split the theme, then name its parts side by side after reading them.
    page.go_back()
    expect(page.get_by_role("heading", name="Theme 1: Getting about town")).to_be_visible()
    page.get_by_label("Number of parts").select_option("2")
    page.get_by_role("button", name="Split the theme").click()
    expect(page.get_by_text("Theme 1 was split in 2. Themes found again:")).to_be_visible(
        timeout=180_000
    )
    page.get_by_role("link", name="Name the parts of theme 1").click()
    expect(page.get_by_role("heading", name="Name the parts of theme 1")).to_be_visible()
    names = page.get_by_role("textbox")
    expect(names).to_have_count(2)
    shot("06-name-parts")
    names.nth(1).fill("Buses after dark")
    page.get_by_role("button", name="Save the names").click()
    expect(page.get_by_role("status").filter(has_text="Names saved")).to_be_visible()
    named = page.get_by_role("link", name=re.compile(r"Theme \d+: Buses after dark"))
    expect(named).to_be_visible()
    shot("07-parts-named")

    assert problems == [], f"errors in the browser console: {problems}"
