"""Real headless Chromium: every count of codes says how sure it is, coverage first.

Northmoor and Westbury share coded notes. The owner reads the dashboards'
coverage line (how many items are coded, how many a person checked, how often
the machine's suggestions are right at this setting), chooses to count the
machine's less likely guesses too and sees the page say so, then reads the same
kind of statement on the home page's top barriers and on Northmoor's page.
Screenshots go to ``test-artifacts/web-certainty-*.png``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from upstream.frameworks import load_codebook
from upstream.store import Store
from upstream.workflows.coding import code_workspace

from .test_web_dashboards import _grow_and_code  # type: ignore[import-not-found]

if TYPE_CHECKING:
    from playwright.sync_api import Browser

CODED = re.compile(r"We could code (\d+|fewer than 10) of (\d+) items")


def _coded(found: re.Match[str] | None) -> int:
    """The number of coded items a coverage line gives; "fewer than 10" as 9, its most."""
    assert found is not None
    return 9 if found[1] == "fewer than 10" else int(found[1])


def _code_at_the_standard_setting(db: str) -> None:
    """A newer framework run at the coder's own threshold, so its precision is known."""
    with Store(db) as store:
        code_workspace(store, "Learning Network", load_codebook("nom"), embedder="hashing")


def test_counts_say_how_sure_they_are(
    live_server: str, seeded_sqlite, chromium: Browser, artifacts: Path, web
) -> None:
    from playwright.sync_api import expect

    _grow_and_code(seeded_sqlite.db, westbury=12)
    _code_at_the_standard_setting(seeded_sqlite.db)
    problems: list[str] = []
    context = chromium.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.set_default_timeout(20_000)

    def shot(name: str) -> None:
        page.screenshot(path=str(artifacts / f"web-certainty-{name}.png"), full_page=True)

    page.goto(live_server + "/login")
    page.get_by_label("Email address").fill("owner@network.org")
    page.get_by_label("Password").fill(web.password)
    page.get_by_role("button", name="Sign in").click()
    w = f"{live_server}/w/{seeded_sqlite.workspace_id}"

    # The dashboards: coverage first, then who checked, then how often the machine is right.
    page.goto(f"{w}/dashboards?codebook=nom")
    headlines = page.locator("ol.headlines li")
    coverage = headlines.nth(1)
    expect(coverage).to_contain_text("We could code")
    # Fewer than 10 items are coded here, so their split is not shown; how sure is.
    expect(coverage).to_contain_text(
        "right about 6 times in 10 at this setting "
        "(an estimate from coding other documents that people had coded, "
        "not yet checked on this evidence)"
    )
    expect(coverage).to_contain_text("not the machine's guesses below its threshold")
    confident = CODED.search(coverage.inner_text())
    assert confident, coverage.inner_text()
    shot("1-dashboards")

    # Counting the guesses too is a visible choice, and the page says what was counted.
    count = page.get_by_label("Count", exact=True)
    assert "All codes, with the machine's less likely guesses too" in (
        count.locator("option").all_inner_texts()
    )
    count.select_option(label="All codes, with the machine's less likely guesses too")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page).to_have_url(re.compile(r"counting=all"))
    coverage = page.locator("ol.headlines li").nth(1)
    expect(coverage).to_contain_text("guesses below that setting, included as asked")
    expect(coverage).to_contain_text("include all codes, with the machine's less likely guesses")
    everything = CODED.search(coverage.inner_text())
    assert _coded(everything) > _coded(confident) and everything[1] != "fewer than 10"
    shot("2-dashboards-all")

    # The home page's top barriers: reach first, then who checked and how sure.
    page.goto(w)
    barriers = page.locator("section[aria-labelledby='barriers-heading'] .certainty").first
    expect(barriers).to_contain_text(re.compile(r"Raised by \d+ of \d+ organisations in "))
    expect(barriers).to_contain_text(
        "coded or checked by people; the rest are the machine's suggestions"
    )
    shot("3-home")

    # An organisation's page says the same about its own codes.
    page.goto(f"{w}/organisations")
    page.get_by_role("link", name="peers and barriers of Northmoor Council").click()
    expect(page.get_by_role("heading", name="Northmoor Council", level=1)).to_be_visible()
    statement = page.locator("section[aria-labelledby='raises'] .certainty")
    expect(statement).to_contain_text(re.compile(r"of its items carry a code"))
    expect(statement).to_contain_text("the machine's suggestions")
    shot("4-organisation")
    assert not problems, problems
    context.close()
