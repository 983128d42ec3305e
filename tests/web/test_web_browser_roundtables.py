"""Real headless Chromium: convene a roundtable, post responses, watch the live themes update.

Same setup as ``test_web_browser.py``: the app is served by uvicorn on a free
loopback port; screenshots go to ``test-artifacts/web-roundtables-*.png``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

RESPONSES = {
    "cara@northmoor.gov.uk": {
        "Leave behind": "Leave behind the paper referral forms that slow families down.",
        "Keep": "Keep the weekly huddle with housing and health partners.",
    },
    "anna@northmoor.gov.uk": {
        "Leave behind": "Leave behind paper referral forms and duplicate paper assessments.",
        "Do differently": "Share data with the voluntary sector before families reach crisis.",
    },
    "ben@southvale.gov.uk": {
        "Leave behind": "Paper referral forms again: we still print and scan every referral.",
        "Keep": "Keep the weekly huddle; partners share cases every week and it works.",
    },
}


def test_roundtable_live_themes(live_server: str, chromium: Browser, artifacts: Path, web) -> None:
    from playwright.sync_api import expect

    problems: list[str] = []

    def new_page(email: str) -> Page:
        context = chromium.new_context(viewport={"width": 1280, "height": 900})
        page = context.new_page()
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.set_default_timeout(20_000)
        page.goto(live_server + "/")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password").fill(web.password)
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("navigation", name="Main")).to_be_visible()
        return page

    owner = new_page("owner@network.org")

    def shot(page: Page, name: str) -> None:
        page.screenshot(path=str(artifacts / f"web-roundtables-{name}.png"), full_page=True)

    # The owner creates a roundtable with a reflection board and one written question.
    owner.get_by_role("navigation", name="Main").get_by_role("link", name="Network").click()
    owner.get_by_role("link", name="Roundtables").click()
    expect(owner.get_by_role("heading", name="Roundtables", exact=True)).to_be_visible()
    owner.get_by_label("Title", exact=True).fill("Spring reflection roundtable")
    owner.get_by_label(re.compile(r"^Date")).fill("2025-04-02")
    owner.get_by_label(re.compile(r"^Start time")).fill("10:00")
    owner.get_by_label(re.compile(r"^Place")).fill("Northmoor civic centre")
    owner.get_by_label("Agenda item 1 title").fill("Welcome and introductions")
    owner.get_by_label("Agenda item 1 time").fill("10:00")
    owner.get_by_label("Agenda item 2 title").fill("Looking back on the winter")
    owner.get_by_label("Agenda item 2 time").fill("10:20")
    owner.get_by_label("Agenda item 2 question").fill("What changed how your team works?")
    expect(owner.get_by_label("A reflection board")).to_be_checked()
    expect(owner.get_by_label("Reflection board columns")).to_have_value(
        "Leave behind\nKeep\nDo differently"
    )
    shot(owner, "01-create")
    owner.get_by_role("button", name="Create roundtable").click()
    expect(owner.get_by_role("heading", name="Spring reflection roundtable")).to_be_visible()
    expect(owner.get_by_role("heading", name="Agenda")).to_be_visible()
    live = owner.locator("#live")
    expect(live).to_contain_text("No responses yet.")
    expect(live).to_contain_text("Quick themes")
    expect(owner.get_by_role("link", name="Refresh")).to_be_hidden()  # the script polls instead
    event_url = owner.url
    owner.evaluate("window.notReloaded = true")
    shot(owner, "02-event")

    # Members post responses from their own browsers while the owner's page stays open.
    sent = 0
    for email, board in RESPONSES.items():
        member = new_page(email)
        member.goto(event_url)
        for column, text in board.items():
            member.get_by_label(column, exact=True).fill(text)
        if email.startswith("cara"):
            member.get_by_label(re.compile("What changed how your team works")).fill(
                "Working from the family hub changed everything for our team."
            )
            shot(member, "03-responding")
        member.get_by_role("button", name="Send responses").click()
        expect(member.get_by_role("status").filter(has_text="Thank you")).to_be_visible()
        sent += len(board) + (1 if email.startswith("cara") else 0)
        if email.startswith("cara"):
            # A contributor sees only their own responses on the board.
            expect(member.get_by_text(RESPONSES["cara@northmoor.gov.uk"]["Keep"])).to_be_visible()
            expect(member.get_by_text("You see the responses you wrote.").first).to_be_visible()
            shot(member, "04-contributor-board")
        member.context.close()

    # The owner's live panel updates by itself: all responses themed, the repeated one a theme.
    expect(live).to_contain_text(f"Themes of all {sent} responses.", timeout=120_000)
    expect(live.locator(".rt-themes")).to_contain_text(re.compile("paper|referral", re.I))
    expect(live.get_by_role("table")).to_contain_text("Responses")
    assert owner.evaluate("window.notReloaded") is True, "the panel updated without a reload"
    shot(owner, "05-live-themes")

    # After a reload the board shows every response by column, with its code.
    owner.reload()
    board = owner.locator(".rt-board")
    expect(board).to_contain_text(RESPONSES["ben@southvale.gov.uk"]["Keep"])
    expect(board).to_contain_text("Southvale Council")
    owner.once("dialog", lambda dialog: dialog.accept())
    owner.get_by_role("button", name="Close for responses").click()
    expect(owner.get_by_text("This roundtable is closed to responses.")).to_be_visible()
    shot(owner, "06-closed")

    assert problems == [], f"errors in the browser console: {problems}"
