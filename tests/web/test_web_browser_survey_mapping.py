"""Real headless Chromium: the mapping step for any respondent file, and the demo's culture pages.

Same setup as ``test_web_browser.py``: the app is served by uvicorn on a free
loopback port; screenshots go to ``test-artifacts/``; in CI a missing browser
fails the test, elsewhere it is skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from upstream.demo import load_demo
from upstream.demo.staff_survey import STAFF_SURVEY, load_demo_staff_survey
from upstream.store import Store
from upstream.store.accounts import Accounts

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

SAY = "I have a say in decisions that affect my work"
TRUSTED = "I am trusted to use my own judgement"
SPEAK = "I often feel unable to speak up"


def _sign_in(page: Page, live_server: str, email: str, password: str) -> None:
    page.goto(live_server + "/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_mapping_step_in_words_and_numbers(
    live_server: str,
    chromium: Browser,
    artifacts: Path,
    tmp_path: Path,
    seeded_sqlite,
    web,
    staff_answers: Callable[[str], str],
) -> None:
    from playwright.sync_api import expect

    problems: list[str] = []
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.set_default_timeout(20_000)
    _sign_in(page, live_server, "ben@southvale.gov.uk", web.password)
    base = f"{live_server}/w/{seeded_sqlite.workspace_id}/surveys"

    for answers, label in (("words", "In words, such as"), ("numbers", "As numbers, where 1")):
        path = tmp_path / f"staff-{answers}.csv"
        path.write_text(staff_answers(answers), encoding="utf-8")
        page.goto(f"{base}/upload?kind=respondents")
        page.get_by_label("Choose a file").set_input_files(str(path))
        page.get_by_role("button", name="Upload").click()
        expect(page.get_by_role("heading", name=f"Say how to read {path.name}")).to_be_visible()
        # The first guess: how answers are given, the groups and the statements.
        expect(page.get_by_role("radio", name=label)).to_be_checked()
        expect(page.get_by_label("5: strongly disagree")).to_be_checked()
        expect(page.get_by_label("What “Team” holds")).to_have_value("group")
        expect(page.get_by_label(f"What “{SAY}” holds")).to_have_value("statement")
        own_name = page.get_by_label(f"Name of your own theme for “{SPEAK}”")
        expect(own_name).to_be_hidden()  # only asked for once "my own theme" is chosen
        page.get_by_label(f"What “{SPEAK}” holds").select_option("reversed")
        page.get_by_label(f"Theme of “{SAY}”").select_option("empowerment")
        page.get_by_label(f"Theme of “{TRUSTED}”").select_option("empowerment")
        page.get_by_label(f"Theme of “{SPEAK}”").select_option("own")
        expect(own_name).to_be_visible()
        own_name.fill("Voice")
        page.screenshot(path=str(artifacts / f"web-survey-map-{answers}.png"), full_page=True)
        page.get_by_role("button", name="Show the results").click()

        expect(page.get_by_role("img", name="Themes: % positive")).to_be_visible()
        themes = page.get_by_role("table", name="Themes (% positive)")
        expect(themes.get_by_role("row", name="Empowerment")).to_contain_text("64%")
        expect(themes.get_by_role("row", name="Voice")).to_contain_text("43%")
        page.get_by_label("Break down by").select_option("Team")
        page.get_by_role("button", name="Show").click()
        by_team = page.get_by_role("table", name="Themes (% positive) by Team")
        expect(by_team.get_by_role("row", name="Post Room Empowerment")).to_contain_text(
            "fewer than 10"
        )
        expect(by_team.get_by_role("row", name="Libraries Empowerment")).to_contain_text(
            "not shown"
        )
        expect(by_team.get_by_role("row", name="Housing Empowerment")).to_contain_text("100%")
        page.screenshot(path=str(artifacts / f"web-survey-results-{answers}.png"), full_page=True)
    assert problems == []
    context.close()


def test_demo_staff_survey_shows_culture_over_time(
    live_server: str, chromium: Browser, artifacts: Path, seeded_sqlite, web
) -> None:
    from playwright.sync_api import expect

    with Store(seeded_sqlite.db) as store:
        workspace = load_demo(store).workspace
        load_demo_staff_survey(store, workspace)
        demo = store.workspace(workspace)
        Accounts(store).set_membership(demo, "owner@network.org", "owner", actor="test")
        demo_id = demo.id
    problems: list[str] = []
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.set_default_timeout(20_000)
    _sign_in(page, live_server, "owner@network.org", web.password)
    page.goto(f"{live_server}/w/{demo_id}/surveys")
    survey_row = page.get_by_role("row", name=STAFF_SURVEY)
    expect(survey_row).to_contain_text("2024–2026 (3 years)")
    expect(survey_row).to_contain_text("12")  # organisations
    survey_row.get_by_role("link", name="Culture over time").click()

    page.get_by_label("Organisation").select_option("Kestlebury Council")
    page.get_by_label("Culture theme or measure").select_option(label="Theme: Risk and change")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", name="Kestlebury Council: Risk and change")).to_be_visible()
    expect(page.get_by_role("img", name="Risk and change: Kestlebury Council")).to_be_visible()
    years = page.get_by_role("table", name="Risk and change: Kestlebury Council against the median")
    for year, value in (("2024", "33%"), ("2025", "49%"), ("2026", "67%")):
        expect(years.get_by_role("row", name=year)).to_contain_text(value)
    peers = page.get_by_role("table", name="Risk and change: every comparable organisation in 2026")
    expect(peers.locator("tr.mine")).to_contain_text("Kestlebury Council")
    expect(peers.get_by_role("row")).to_have_count(13)  # the header and 12 organisations
    expect(page.get_by_role("heading", name="What moves with engagement index")).to_be_visible()
    model = page.get_by_role("table", name="Engagement index and the culture themes")
    expect(model.get_by_role("row", name="Risk and change")).to_contain_text(
        "unlikely to be chance"
    )
    expect(model.get_by_role("row", name="Empowerment")).not_to_contain_text("unlikely")
    evidence = page.get_by_role("link", name="What Kestlebury Council's staff and partners said")
    expect(evidence).to_be_visible()
    page.screenshot(path=str(artifacts / "web-survey-demo-culture.png"), full_page=True)
    evidence.click()
    expect(page.get_by_role("heading", name="Kestlebury Council", exact=True)).to_be_visible()
    assert problems == []
    context.close()
