"""Real headless Chromium: start a workgroup from a suggestion, add and tag a learning product,
and find it on the matching barrier page.

Same setup as ``test_web_browser_coding.py``: the app is served by uvicorn on a
free loopback port; screenshots go to ``test-artifacts/web-network-*.png``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from upstream.frameworks import load_codebook
from upstream.store import Store
from upstream.store.coding_repository import CodingStore

if TYPE_CHECKING:
    from playwright.sync_api import Browser


def seed_codings(seeded) -> None:
    """A person's codings: both councils raise the procurement barrier."""
    store = Store(seeded.db)
    coding = CodingStore(store.workspace("Learning Network"))
    book = coding.save_codebook(load_codebook("dbe"))
    for label, code in [
        ("north-shared", "barrier.procurement"),
        ("south-private", "barrier.procurement"),
        ("south-shared", "enabler.permission"),
    ]:
        coding.decide(seeded.items[label], book, "recode", actor="owner@network.org", code=code)
    store.close()


def test_workgroup_and_learning_product(
    live_server: str, seeded_sqlite, chromium: Browser, artifacts: Path, tmp_path: Path, web
) -> None:
    from playwright.sync_api import expect

    seed_codings(seeded_sqlite)
    problems: list[str] = []
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.set_default_timeout(20_000)

    def shot(name: str) -> None:
        page.screenshot(path=str(artifacts / f"web-network-{name}.png"), full_page=True)

    page.goto(live_server + "/")
    page.get_by_label("Email address").fill("admin@northmoor.gov.uk")
    page.get_by_label("Password").fill(web.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Learning Network", exact=True)).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Evidence").click()
    expect(page.get_by_role("heading", name="Evidence", exact=True)).to_be_visible()

    # A workgroup from a suggestion grounded in both councils' evidence.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Network").click()
    page.get_by_role("link", name="Workgroups").first.click()
    expect(page.get_by_role("heading", name="Suggested workgroups")).to_be_visible()
    suggestion = page.locator("article.suggestion").filter(has_text="Procurement rules")
    expect(suggestion).to_contain_text("Northmoor Council, Southvale Council")
    expect(suggestion).to_contain_text("Procurement rules slow down our pilots.")
    expect(page.get_by_text("staff morale")).to_have_count(0)  # Southvale's private item
    shot("01-suggestions")
    suggestion.get_by_role("button", name="Start this workgroup").click()
    expect(page.get_by_role("heading", name="Procurement rules workgroup")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("The workgroup was created.")
    expect(page.locator("#members").locator("..")).to_contain_text("ben@southvale.gov.uk")
    page.get_by_label("New action").fill("Compare our standing orders")
    page.get_by_label("Owner").select_option("ben@southvale.gov.uk")
    page.get_by_label("Due date").fill("2026-03-31")
    page.get_by_role("button", name="Add action").click()
    expect(page.get_by_role("cell", name="Compare our standing orders", exact=True)).to_be_visible()
    page.get_by_label("New note").fill("First call on 3 March.")
    page.get_by_role("button", name="Save note").click()
    expect(page.get_by_text("First call on 3 March.")).to_be_visible()
    shot("02-workgroup")

    # A learning product, uploaded, with its suggested tag confirmed.
    guide = tmp_path / "buying-for-pilots.md"
    guide.write_text(
        "# Buying for pilots\n\nHow we changed procurement rules and tendering so pilots "
        "were not held up by contract standing orders.\n",
        encoding="utf-8",
    )
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Network").click()
    page.get_by_role("link", name="Library").first.click()
    page.get_by_label("Title").fill("Buying for pilots")
    page.get_by_label("Kind").select_option(label="Guide")
    page.get_by_label("Upload a file").set_input_files(str(guide))
    page.get_by_role("button", name="Add to the library").click()
    expect(page.get_by_role("heading", name="Buying for pilots")).to_be_visible()
    tag = page.get_by_role("checkbox", name="Procurement rules")
    expect(tag).to_be_checked()
    shot("03-suggested-tags")
    page.get_by_role("button", name="Confirm tags").click()
    expect(page.get_by_role("status")).to_contain_text("The tags were saved.")

    # The matching barrier page recommends it, next to the evidence.
    page.get_by_role("link", name="Procurement rules").click()
    expect(page.get_by_role("heading", name="Procurement rules", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name="Learning products that may help")).to_be_visible()
    expect(page.locator("aside.recommendations")).to_contain_text("Buying for pilots")
    expect(page.locator("main")).to_contain_text("Procurement rules slow down our pilots.")
    shot("04-barrier-page")
    # Northmoor's page: Southvale faces the same barrier. Its enabler (a youth hub
    # co-designed with residents) is on another topic, so it is not offered as a way past.
    page.get_by_role("link", name="Northmoor Council").first.click()
    expect(page.get_by_role("heading", name="Northmoor Council", exact=True)).to_be_visible()
    expect(page.locator("section", has=page.locator("#same"))).to_contain_text("Southvale Council")
    past = page.locator("section", has=page.locator("#enablers"))
    expect(past).to_contain_text("No way past is suggested yet")
    expect(page.locator("section", has=page.locator("#raises"))).to_contain_text(
        "coded or checked by people"
    )
    expect(page.locator("section", has=page.locator("#products"))).to_contain_text(
        "Buying for pilots"
    )
    shot("05-organisation-page")
    page.get_by_role("link", name="Buying for pilots").click()
    expect(page.get_by_role("heading", name="Buying for pilots")).to_be_visible()

    assert problems == [], f"errors in the browser console: {problems}"
    context.close()
