"""Real headless Chromium: every figure on the dashboards leads to the evidence behind it.

Northmoor and Westbury share enough coded notes for reportable cells; the
owner opens the dashboards at 1366 px, checks the heatmap fits and that no
small cell is shaded, follows a cell to its items, filters by evidence type,
groups by a plainly named attribute and follows a barrier to its quotes.
Screenshots go to ``test-artifacts/web-dashboards-*.png``.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from upstream.records.drafts import ItemDraft
from upstream.records.evidence_types import EVIDENCE_TYPES
from upstream.store import Store

from .test_web_dashboards import _grow_and_code  # type: ignore[import-not-found]

if TYPE_CHECKING:
    from playwright.sync_api import Browser

FEWER = "fewer than 10"


def add_residents_replies(db: str) -> None:
    """Eight residents' replies to a Northmoor consultation, a different voice from the notes."""
    with Store(db) as store, store.workspace("Learning Network").writer() as writer:
        source = writer.add_source(
            "replies.csv", kind="consultation replies", options={"attribute_columns": ["ward"]}
        )
        drafts = [
            ItemDraft(
                text=f"The bus to the clinic stopped running, reply {n}",
                line=n + 2,
                organisation="Northmoor Council",
                item_date=date(2025, 2, 1),
                attributes={"ward": "Hilltop"},
            )
            for n in range(8)
        ]
        writer.insert_items(source, drafts, shared=True)


def test_figures_click_through_to_their_evidence(
    live_server: str, seeded_sqlite, chromium: Browser, artifacts: Path, web
) -> None:
    from playwright.sync_api import expect

    add_residents_replies(seeded_sqlite.db)
    # The residents' replies are coded too (asked for), so each ward's cells can be shown.
    _grow_and_code(seeded_sqlite.db, westbury=12, evidence_types=EVIDENCE_TYPES)
    problems: list[str] = []
    context = chromium.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.set_default_timeout(20_000)
    page.goto(live_server + "/login")
    page.get_by_label("Email address").fill("owner@network.org")
    page.get_by_label("Password").fill(web.password)
    page.get_by_role("button", name="Sign in").click()
    dashboards = f"{live_server}/w/{seeded_sqlite.workspace_id}/dashboards"
    page.goto(dashboards)
    expect(page.get_by_role("heading", name="Dashboards", exact=True)).to_be_visible()
    expect(page.locator("#covers")).to_contain_text("residents and network members")

    # The heatmap fits at 1366 px: its box does not need a sideways scroll.
    heatmap = page.locator(".heatmap-wrap").first
    fits = heatmap.evaluate("e => e.scrollWidth <= e.clientWidth")
    page.screenshot(path=str(artifacts / "web-dashboards-1-heatmap.png"), full_page=True)
    assert fits, "the heatmap is clipped at 1366 px"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # No shading rests on a small count: small cells say so and are not shaded.
    cells = heatmap.locator("td.num").all()
    shaded = [c for c in cells if re.search(r"shade-[1-5]", c.get_attribute("class") or "")]
    assert shaded, "no shaded cell to check"
    for c in shaded:
        number = int(c.inner_text().split()[0].replace(",", ""))
        assert number >= 10, f"a cell of {number} items is shaded"
    # A withheld cell is small, or covers a small one from being worked out by subtraction.
    for c in heatmap.locator("td.withheld").all():
        assert c.inner_text() in {FEWER, "not shown"}
        assert c.locator("a").count() == 0

    # A cell leads to the list of the very items it counts.
    link = heatmap.locator("td.num a").first
    counted = int(link.inner_text().split()[0].replace(",", ""))
    organisation = link.locator("xpath=ancestor::tr/th").inner_text()
    link.click()
    expect(page).to_have_url(re.compile(r"/evidence\?organisation=.+&code=\d+"))
    expect(page.get_by_label("Organisation")).to_have_value(organisation)
    expect(page.get_by_role("heading", level=2)).to_contain_text(f"from {organisation}")
    expect(page.locator("#result-count")).to_contain_text(f"{counted} items match")
    page.screenshot(path=str(artifacts / "web-dashboards-2-cell-items.png"), full_page=True)

    # "Group by" offers plain labels, and its cells lead to their items too.
    page.goto(dashboards)
    choices = page.get_by_label("Group the evidence by").locator("option").all_inner_texts()
    assert "Ward" in choices and "ward" not in choices
    page.get_by_label("Group the evidence by").select_option(label="Ward")
    page.get_by_role("button", name="Show breakdown").click()
    expect(page.get_by_role("columnheader", name="Ward", exact=True)).to_be_visible()
    page.screenshot(path=str(artifacts / "web-dashboards-3-by-ward.png"), full_page=True)
    riverside = page.locator("table.heatmap tr", has_text="Riverside").locator("td.num a").first
    riverside.click()
    expect(page).to_have_url(re.compile(r"attribute=ward&value=Riverside&code=\d+"))
    expect(page.get_by_label("Attribute value")).to_have_value("Riverside")

    # Evidence type is a filter, and the page says which kinds a count covers.
    page.goto(dashboards)
    page.get_by_label("Evidence from").select_option(label="Network members")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page).to_have_url(re.compile(r"type=network"))
    expect(page.locator("#covers")).to_contain_text("evidence from network members.")

    # Northmoor's residents are 8 replies: beside everyone's heatmap, its network members'
    # cells (and those that would give them away) read "not shown", with no link.
    for cell in page.locator("table.heatmap td.withheld").all():
        assert cell.inner_text() in (FEWER, "not shown") and cell.locator("a").count() == 0
    expect(page.locator("table.heatmap td", has_text="not shown").first).to_be_visible()
    page.screenshot(path=str(artifacts / "web-dashboards-2b-network-members.png"), full_page=True)
    coverage = page.get_by_role("table", name="Coverage of each element")
    coverage.get_by_role("link").first.click()
    expect(page.get_by_label("Evidence from")).to_have_value("network")
    expect(page.locator("#result-count")).to_contain_text("items from network members")

    # A headline and a barrier lead to the quotes behind them.
    page.goto(dashboards)
    expect(page.get_by_role("link", name="See the evidence").first).to_be_visible()
    table = page.get_by_role(
        "table", name="Barriers, enablers and drivers named across organisations"
    )
    barrier = table.locator("tr", has_text="Barrier").get_by_role("link").first
    title = barrier.inner_text()
    barrier.click()
    expect(page).to_have_url(re.compile(r"/codes/dbe/barrier\."))
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    page.screenshot(path=str(artifacts / "web-dashboards-4-barrier.png"), full_page=True)
    assert problems == []
    context.close()
