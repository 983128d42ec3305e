"""Real headless Chromium: set up a story collection, tell a story on a phone, compare codes.

The owner creates a collection; an anonymous contributor opens its link on a
narrow phone-sized screen, writes a story, ticks the elements it is about and
moves a slider; the owner has the machine code the stories and sees both sets
of codes with the agreement between them. Screenshots: ``web-collections-*.png``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser


def test_collect_a_story_on_a_phone_and_compare_codes(
    live_server: str, chromium: Browser, artifacts: Path, web
) -> None:
    from playwright.sync_api import expect

    problems: list[str] = []

    def watch(page) -> None:  # type: ignore[no-untyped-def]
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.set_default_timeout(20_000)

    # The owner signs in and sets up a collection.
    desk = chromium.new_context(viewport={"width": 1280, "height": 900})
    owner = desk.new_page()
    watch(owner)
    owner.goto(live_server + "/login")
    owner.get_by_label("Email address").fill("owner@network.org")
    owner.get_by_label("Password").fill(web.password)
    owner.get_by_role("button", name="Sign in").click()
    owner.get_by_role("navigation", name="Main").get_by_role("link", name="Network").click()
    owner.get_by_role("link", name="Story collections").click()
    owner.get_by_role("link", name="New story collection").click()
    expect(owner.get_by_role("heading", name="New story collection")).to_be_visible()
    owner.get_by_label("Title").fill("Working differently")
    owner.get_by_label("Organisation it belongs to").select_option("Northmoor Council")
    expect(owner.get_by_label("Left end (0)").first).to_have_value("Done to people")
    owner.screenshot(path=str(artifacts / "web-collections-01-setup.png"), full_page=True)
    owner.get_by_role("button", name="Save collection").click()
    expect(owner.get_by_text("The collection is saved")).to_be_visible()
    link = owner.locator("a.share-link").first.get_attribute("href")
    assert link and "/s/" in link

    # An anonymous contributor tells a story on a phone.
    phone = chromium.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    contributor = phone.new_page()
    watch(contributor)
    contributor.goto(link)
    expect(contributor.get_by_role("heading", name="Working differently")).to_be_visible()
    width = contributor.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the form is wider than the phone ({width}px)"
    contributor.get_by_label("Tell us about a time the council worked differently").fill(
        "Residents and council staff co-designed the new youth hub together over six "
        "workshops. Call Mrs Okafor on 07700 900789 to hear more."
    )
    contributor.get_by_role("checkbox", name="Is it about other organisations").check()
    contributor.get_by_role("checkbox", name="Is it about what the council").check()
    slider = contributor.get_by_label("How was it done?: 0 means Done to people")
    slider.fill("90")
    contributor.get_by_label("Which best describes you?").select_option("Resident")
    contributor.screenshot(
        path=str(artifacts / "web-collections-02-phone-form.png"), full_page=True
    )
    contributor.get_by_role("checkbox", name="I agree").check()
    contributor.get_by_role("button", name="Send my story").click()
    expect(contributor.get_by_role("heading", name="Thank you")).to_be_visible()
    contributor.screenshot(path=str(artifacts / "web-collections-03-thanks.png"), full_page=True)

    # The owner has the machine code the stories and compares.
    owner.get_by_role("link", name="Results").first.click()
    expect(owner.get_by_role("heading", name="Results: Working differently")).to_be_visible()
    owner.get_by_label("Text model").select_option("hashing")
    owner.get_by_label("Confidence threshold").fill("0.2")
    owner.get_by_role("button", name="Code the stories").click()
    expect(owner.get_by_text("The machine last coded these stories")).to_be_visible(timeout=180_000)
    table = owner.get_by_role(
        "table", name="Agreement per element between contributors and the machine"
    )
    expect(table).to_be_visible()
    expect(table.get_by_role("columnheader", name="Cohen's κ")).to_be_visible()
    row = table.get_by_role("row", name="External actors")
    expect(row.get_by_role("cell").first).to_have_text("fewer than 10")  # one story
    expect(
        owner.get_by_role("img", name="Stories per element, as the machine coded them")
    ).to_be_visible()
    owner.screenshot(path=str(artifacts / "web-collections-04-results.png"), full_page=True)

    # The story behind a figure: coded by the contributor and by the machine, redacted.
    row.get_by_role("link").first.click()
    story = owner.get_by_role("article")
    expect(story).to_have_count(1)
    expect(story.get_by_text("co-designed the new youth hub")).to_be_visible()
    expect(story.locator(".tag.self")).to_have_count(2)
    expect(story.locator(".tag.machine").first).to_be_visible()
    text = story.locator(".evidence-text").inner_text()
    assert "Okafor" not in text and "07700" not in text
    owner.screenshot(path=str(artifacts / "web-collections-05-story.png"), full_page=True)

    desk.close()
    phone.close()
    assert problems == [], f"errors in the browser console: {problems}"
