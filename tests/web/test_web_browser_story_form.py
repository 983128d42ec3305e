"""Real headless Chromium: the public story form in a resident's words, on a phone.

The owner sets up a collection run by Northmoor Council, with a data
controller, a retention period and their own wording for one element. A
resident opens the link at 375 x 740: the form is branded with the council,
asks questions instead of naming framework elements, says who holds the
data and for how long, and saves only the slider they moved.
The owner also uploads the council's logo, which the phone form shows above
the title. Screenshots go to ``test-artifacts/web-story-form-*.png``.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from upstream.store import Store
from upstream.store.collection_repository import CollectionStore

if TYPE_CHECKING:
    from playwright.sync_api import Browser

OWN_WORDING = "Was it about the library, the bus or another place you use?"


def _logo_png() -> bytes:
    """A wide logo, larger than the form shows, so the server has to make it smaller."""
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (1200, 400), "#0b4f6c")
    draw = ImageDraw.Draw(picture)
    draw.ellipse((40, 40, 360, 360), fill="#f3c623")
    draw.text((420, 160), "Northmoor Council", fill="white", font_size=80)
    out = io.BytesIO()
    picture.save(out, format="PNG")
    return out.getvalue()


def test_story_form_speaks_plainly_on_a_phone(
    live_server: str, seeded_sqlite, chromium: Browser, artifacts: Path, web
) -> None:
    from playwright.sync_api import expect

    problems: list[str] = []
    desk = chromium.new_context(viewport={"width": 1280, "height": 900})
    owner = desk.new_page()
    owner.on("pageerror", lambda e: problems.append(str(e)))
    owner.set_default_timeout(20_000)
    owner.goto(live_server + "/login")
    owner.get_by_label("Email address").fill("owner@network.org")
    owner.get_by_label("Password").fill(web.password)
    owner.get_by_role("button", name="Sign in").click()
    owner.goto(f"{live_server}/w/{seeded_sqlite.workspace_id}/collections/new")
    owner.get_by_label("Title").fill("Your neighbourhood")
    owner.get_by_label("Organisation it belongs to").select_option("Northmoor Council")
    expect(owner.get_by_label("Question for Infrastructure")).to_have_value(
        "Is it about buildings, money, computer systems or rules?"
    )
    owner.get_by_label("Question for Infrastructure").fill(OWN_WORDING)
    owner.get_by_label("Name shown at the top of the form").fill("Northmoor Council")
    owner.get_by_label("Data controller").fill("Northmoor Council, Town Hall, Northmoor")
    owner.get_by_label("How long stories are kept").fill("three years after the collection closes")
    owner.screenshot(path=str(artifacts / "web-story-form-1-setup.png"), full_page=True)
    owner.get_by_role("button", name="Save collection").click()
    expect(owner.get_by_text("The collection is saved")).to_be_visible()
    link = owner.locator("a.share-link").first.get_attribute("href")
    assert link and "/s/" in link
    # The council's logo, uploaded on the set-up page and shown above the public form.
    owner.get_by_role("link", name="Edit set-up of Your neighbourhood").click()
    owner.get_by_label("Upload a logo").set_input_files(
        files=[{"name": "northmoor.png", "mimeType": "image/png", "buffer": _logo_png()}]
    )
    owner.get_by_role("button", name="Save logo").click()
    expect(owner.get_by_role("status")).to_have_text("Logo saved.")
    preview = owner.get_by_role("img", name="The logo residents see")
    expect(preview).to_be_visible()
    assert preview.evaluate("img => img.naturalWidth") == 480
    owner.locator("#logo").screenshot(path=str(artifacts / "web-story-form-1b-logo.png"))

    phone = chromium.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    page = phone.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.set_default_timeout(20_000)
    page.goto(link)
    expect(page.get_by_role("heading", name="Your neighbourhood")).to_be_visible()
    assert page.title() == "Your neighbourhood – Northmoor Council"
    expect(page.locator("header")).to_contain_text("Northmoor Council")
    logo = page.locator("header img.host-logo")
    expect(logo).to_be_visible()
    assert logo.evaluate("img => img.complete && img.naturalHeight") == 160
    assert "upstream" not in page.locator("body").inner_text().lower()
    # Questions a resident understands, not the framework's names.
    expect(page.get_by_role("checkbox", name=OWN_WORDING)).to_be_visible()
    expect(page.get_by_role("checkbox", name="Is it about other organisations")).to_be_visible()
    expect(page.get_by_role("checkbox", name="External actors", exact=True)).to_have_count(0)
    # Who holds the data, and for how long.
    privacy = page.get_by_role("region", name="Who holds your story")
    expect(privacy).to_contain_text("Northmoor Council, Town Hall, Northmoor holds the stories")
    expect(privacy).to_contain_text("three years after the collection closes")
    # Sliders start unset; no "Skip" box.
    expect(page.get_by_text("Skip this one")).to_have_count(0)
    expect(page.locator(".slider-state").first).to_have_text("Not set: move the slider to answer.")
    page.get_by_label("Tell us about a time the council worked differently").fill(
        "The library opened on Sundays after we asked, and now families meet there."
    )
    page.get_by_role("checkbox", name=OWN_WORDING).check()
    slider = page.get_by_label("Who decided?: 0 means The council decided")
    slider.focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator(".slider-state").nth(1)).to_have_text("Set at 51 out of 100.")
    width = page.evaluate("document.documentElement.scrollWidth")
    page.screenshot(path=str(artifacts / "web-story-form-2-phone.png"), full_page=True)
    assert width <= 375, f"the form is wider than the phone ({width}px)"
    page.get_by_role("checkbox", name="I agree").check()
    page.get_by_role("button", name="Send my story").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    page.screenshot(path=str(artifacts / "web-story-form-3-thanks.png"), full_page=True)

    with Store(seeded_sqlite.db) as store:
        collections = CollectionStore(store.workspace("Learning Network"))
        collection = collections.collections()[0]
        (story,) = collections.stories(collection.id)
    assert story.sliders == {"who_decided": 51}, "an unmoved slider was saved"
    assert story.elements == ("infrastructure",)
    desk.close()
    phone.close()
    assert problems == []
