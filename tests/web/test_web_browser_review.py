"""Real headless Chromium: reviewing the machine's suggestions in place, by keyboard, with undo.

With script, a decision updates its item without a page load and the next item
is focused; ``u`` puts the last decision back (on the server, audited). Without
script the same buttons post the form. Screenshots go to
``test-artifacts/web-review-*.png``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from upstream.store import Store
from upstream.store.effective_codes import effective_codes

from .test_web_dashboards import _grow_and_code  # type: ignore[import-not-found]

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page


def _decisions(db: str) -> dict[int, str]:
    with Store(db) as store:
        return effective_codes(store.workspace("Learning Network"), "nom").decisions


def _undo_entries(db: str) -> int:
    with Store(db) as store:
        entries = store.workspace("Learning Network").audit_log(limit=100)
        return sum(1 for e in entries if e.action == "coding.undo")


def _sign_in(page: Page, server: str, password: str) -> None:
    page.goto(server + "/login")
    page.get_by_label("Email address").fill("owner@network.org")
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_review_in_place_with_keys_and_undo(
    live_server: str, seeded_sqlite, chromium: Browser, artifacts: Path, web
) -> None:
    from playwright.sync_api import expect

    _grow_and_code(seeded_sqlite.db)
    db = seeded_sqlite.db
    problems: list[str] = []
    context = chromium.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.set_default_timeout(20_000)
    _sign_in(page, live_server, web.password)
    runs = f"{live_server}/w/{seeded_sqlite.workspace_id}/coding/review"
    page.goto(runs + "?run=" + _nom_run(db))
    expect(page.get_by_role("heading", name="Review the machine's suggestions")).to_be_visible()
    expect(page.get_by_text("Not relevant to this framework").first).to_be_visible()
    articles = page.locator("article.review-item")
    ids = [int(a.get_attribute("data-item") or 0) for a in articles.all()[:3]]
    page.evaluate("window.sameDocument = true")

    # a: accept the first item in place; the next item is focused, no page load.
    page.keyboard.press("a")
    # The outcome names the code the item now carries.
    expect(articles.nth(0).locator(".outcome")).to_contain_text(f"Item {ids[0]} accepted as \u201c")
    expect(articles.nth(1)).to_be_focused()
    assert page.evaluate("window.sameDocument") is True
    # n: the second item is not relevant to this framework, counted as a person's check.
    page.keyboard.press("n")
    expect(articles.nth(1).locator(".outcome")).to_contain_text("not relevant to this framework")
    expect(articles.nth(2)).to_be_focused()
    expect(page.locator(".review-summary strong")).to_have_text("2")
    decisions = _decisions(db)
    assert decisions[ids[0]] == "accept"
    assert decisions[ids[1]] == "not_relevant"
    with Store(db) as store:
        coded = effective_codes(store.workspace("Learning Network"), "nom")
        assert coded.codes_of(ids[1]) == ()
    page.screenshot(path=str(artifacts / "web-review-1-decided.png"), full_page=False)

    # u: the last decision is undone on the server, and the item is open again.
    page.keyboard.press("u")
    expect(page.locator("#review-status")).to_contain_text(f"Item {ids[1]} is back in the queue")
    expect(articles.nth(1).locator("form.decision")).to_be_visible()
    expect(articles.nth(1)).to_be_focused()
    assert ids[1] not in _decisions(db)
    assert _undo_entries(db) == 1
    # k and j move between items; r rejects.
    page.keyboard.press("k")
    expect(articles.nth(0)).to_be_focused()
    page.keyboard.press("j")
    expect(articles.nth(1)).to_be_focused()
    page.keyboard.press("r")
    expect(articles.nth(1).locator(".outcome")).to_contain_text("rejected")
    assert page.evaluate("window.sameDocument") is True
    assert _decisions(db)[ids[1]] == "reject"
    page.screenshot(path=str(artifacts / "web-review-2-undo.png"), full_page=False)
    # An item about two things: accept the suggestion and give it a second code.
    third = articles.nth(2)
    top = third.locator("select[name=code]").input_value()
    options = third.locator("select[name=also] option").evaluate_all("os => os.map(o => o.value)")
    other = next(value for value in options if value and value != top)
    third.get_by_label("Also about").select_option(other)
    third.get_by_role("button", name=re.compile("^Accept")).click()
    expect(third.locator(".outcome")).to_contain_text(f"Item {ids[2]} accepted as \u201c")
    expect(third.locator(".outcome")).to_contain_text("\u201d, and also coded \u201c")
    with Store(db) as store:
        coded = effective_codes(store.workspace("Learning Network"), "nom")
        assert other in coded.codes_of(ids[2]) and len(coded.codes_of(ids[2])) == 2
    page.screenshot(path=str(artifacts / "web-review-2b-two-codes.png"), full_page=False)
    assert problems == []
    context.close()

    # Without script the same buttons post the form and the page comes back.
    plain = chromium.new_context(viewport={"width": 375, "height": 740}, java_script_enabled=False)
    page = plain.new_page()
    page.set_default_timeout(20_000)
    _sign_in(page, live_server, web.password)
    page.goto(runs + "?run=" + _nom_run(db))
    first = page.locator("article.review-item").first
    item = int(first.get_attribute("data-item") or 0)
    first.get_by_role("button", name="Not relevant to this framework").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Item {item} marked as not relevant to this framework."
    )
    assert _decisions(db)[item] == "not_relevant"
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    page.screenshot(path=str(artifacts / "web-review-3-phone-no-script.png"), full_page=True)
    assert overflow <= 0, f"the review page scrolls sideways by {overflow}px at 375px"
    page.get_by_role("button", name="Undo my last decision").click()
    expect(page.get_by_role("status")).to_contain_text(f"Item {item} is back in the queue")
    assert item not in _decisions(db)
    plain.close()


def _nom_run(db: str) -> str:
    with Store(db) as store:
        from upstream.store.effective_codes import latest_coding_run

        run = latest_coding_run(store.workspace("Learning Network"), "nom")
        assert run is not None
        return str(run.id)


def test_the_coder_learns_from_each_batch_of_decisions(
    live_server: str, seeded_sqlite, chromium: Browser, artifacts: Path, web
) -> None:
    """Ten decisions made in place retrain the coder; the page says how it improved."""
    from playwright.sync_api import expect

    _grow_and_code(seeded_sqlite.db)
    context = chromium.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.set_default_timeout(30_000)
    _sign_in(page, live_server, web.password)
    run = _nom_run(seeded_sqlite.db)
    review = f"{live_server}/w/{seeded_sqlite.workspace_id}/coding/review?run={run}"
    page.goto(review)
    progress = page.locator("#learning-progress")
    expect(progress).to_contain_text("starts learning from your decisions after the first 10")
    articles = page.locator("article.review-item")
    assert articles.count() >= 10
    for n in range(10):
        page.keyboard.press("a")
        # The tenth decision also retrains the coder before it answers.
        expect(articles.nth(n).locator(".outcome")).to_contain_text("accepted", timeout=30_000)
    expect(page.locator(".review-summary strong")).to_have_text("10")
    # Each acceptance gives an item a code: all ten teach the coder.
    expect(page.locator(".review-summary .teaching")).to_have_text("10")
    headline = progress.locator(".headline")
    # A precision is given only once enough suggestions have been judged (MIN_JUDGED).
    expect(headline).to_have_text(
        re.compile(
            r"^(The review queue has learned from your 10"
            r"|After your 10 decisions, expected precision )"
        )
    )
    expect(progress).to_contain_text("Before you decided, the machine")
    expect(progress).to_contain_text("did not learn from")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(artifacts / "web-review-4-learning.png"), full_page=False)
    accepted = set(_decisions(seeded_sqlite.db))
    assert len(accepted) == 10

    # The statement stays on the page, and the queue holds none of the decided items.
    page.goto(review)
    expect(progress.locator(".headline")).to_contain_text("your 10 decisions")
    shown = {int(a.get_attribute("data-item") or 0) for a in articles.all()}
    assert shown and not shown & accepted
    assert problems == []
    context.close()


def test_checking_the_items_behind_a_headline_count(
    live_server: str, seeded_sqlite, chromium: Browser, artifacts: Path, web
) -> None:
    """From a barrier on the home page to the items its count rests on, checked by keyboard."""
    from playwright.sync_api import expect

    _grow_and_code(seeded_sqlite.db)
    problems: list[str] = []
    context = chromium.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.set_default_timeout(20_000)
    _sign_in(page, live_server, web.password)
    page.goto(f"{live_server}/w/{seeded_sqlite.workspace_id}/")
    barriers = page.locator("#barriers-heading").locator("xpath=..")
    title = barriers.locator("h3").first.inner_text()
    barriers.get_by_role(
        "link", name="Check the machine's suggestions behind this count"
    ).first.click()
    expect(page.get_by_role("heading", name=f"Check the count for “{title}”")).to_be_visible()
    first = page.locator("article.review-item").first
    item = int(first.get_attribute("data-item") or 0)
    expect(
        first.get_by_role("button", name=re.compile(f"Accept “{re.escape(title)}”"))
    ).to_be_visible()
    # The code being checked is listed on every item, however far down the machine put it.
    for article in page.locator("article.review-item").all()[:5]:
        expect(article.get_by_text("the count being checked")).to_be_visible()
    first.focus()
    page.keyboard.press("a")
    expect(page.get_by_role("status")).to_contain_text(f"Item {item} accepted as “{title}”")
    page.screenshot(path=str(artifacts / "web-review-4-check-the-count.png"), full_page=False)
    with Store(seeded_sqlite.db) as store:
        found = effective_codes(store.workspace("Learning Network"), "dbe", item_ids=[item])
    assert found.decisions[item] == "accept"
    assert [c for c in found.codes_of(item) if c.startswith(("barrier.", "enabler."))]
    assert problems == []
    context.close()
