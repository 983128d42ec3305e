"""Real headless Chromium: the workspace home page at desktop and phone widths.

A person's codings are seeded straight through the store; the analyst signs in,
lands on the home page, and follows the top barrier through to its quotes.
Screenshots go to ``test-artifacts/web-home-*.png``.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .test_web_browser_network import seed_codings  # type: ignore[import-not-found]

if TYPE_CHECKING:
    from playwright.sync_api import Browser

WIDTHS = {"desktop": (1366, 900), "phone": (375, 800)}


def test_home_page_at_two_widths(
    live_server: str, seeded_sqlite, chromium: Browser, artifacts: Path, web
) -> None:
    from playwright.sync_api import expect

    seed_codings(seeded_sqlite)
    problems: list[str] = []
    for name, (width, height) in WIDTHS.items():
        context = chromium.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.set_default_timeout(20_000)
        page.goto(live_server + "/")
        page.get_by_label("Email address").fill("anna@northmoor.gov.uk")
        page.get_by_label("Password").fill(web.password)
        page.get_by_role("button", name="Sign in").click()

        expect(page.get_by_role("heading", name="Learning Network", exact=True)).to_be_visible()
        expect(
            page.get_by_role("navigation", name="Main").get_by_role("link", name="Home")
        ).to_have_attribute("aria-current", "page")
        expect(page.get_by_role("heading", name="Top barriers")).to_be_visible()
        expect(page.get_by_text("Procurement rules slow down our pilots.")).to_be_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        page.screenshot(path=str(artifacts / f"web-home-{name}.png"), full_page=True)
        assert overflow <= 0, f"the home page scrolls sideways by {overflow}px at {width}px"

        barriers = page.get_by_role("region", name="Top barriers")
        barriers.get_by_role("link", name="Read the quotes about", exact=False).first.click()
        expect(page).to_have_url(
            f"{live_server}/w/{seeded_sqlite.workspace_id}/codes/dbe/barrier.procurement"
        )
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        expect(page.get_by_text("Procurement rules slow down our pilots.").first).to_be_visible()
        assert "staff morale" not in page.content()
        page.screenshot(path=str(artifacts / f"web-home-{name}-quotes.png"), full_page=True)
        assert problems == []
        context.close()
