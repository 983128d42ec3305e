"""Real headless Chromium: enter a self-assessment, see its chart and table, read culture over time.

Same setup as ``test_web_browser.py``: the app is served by uvicorn on a free
loopback port; screenshots go to ``test-artifacts/``; in CI a missing browser
fails the test, elsewhere it is skipped.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from upstream.store import Store
from upstream.survey.assessment import load_questionnaire
from upstream.survey.demo_assessment import demo_assessment
from upstream.workflows.survey.assessment_io import save_responses
from upstream.workflows.survey.importing import import_survey

if TYPE_CHECKING:
    from playwright.sync_api import Browser

WORKSPACE = "Learning Network"
ASSESSMENT = "NOM 2025"
STAFF_SURVEY = """Organisation,Year,B04,B05,B45
Northmoor Council,2022,50,40,30
Southvale Council,2022,70,60,50
Rivermouth Council,2022,40,30,20
Northmoor Council,2023,76,66,56
Southvale Council,2023,70,60,50
Rivermouth Council,2023,40,30,20
"""


def _load(db: str, folder: Path) -> None:
    path = folder / "staff.csv"
    path.write_text(STAFF_SURVEY, encoding="utf-8")
    peers = demo_assessment(organisations=[("Southvale Council", 1800), ("Eastfield", 3000)])
    with Store(db) as store:
        save_responses(store, peers, workspace=WORKSPACE, name=ASSESSMENT)
        import_survey(
            store,
            [path],
            workspace=WORKSPACE,
            survey="staff",
            org_column="Organisation",
            year_column="Year",
        )


def test_enter_a_self_assessment_and_read_the_survey_pages(
    live_server: str, chromium: Browser, artifacts: Path, tmp_path: Path, seeded_sqlite, web
) -> None:
    from playwright.sync_api import expect

    _load(seeded_sqlite.db, tmp_path)
    problems: list[str] = []
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.set_default_timeout(20_000)

    def shot(name: str) -> None:
        page.screenshot(path=str(artifacts / f"web-surveys-{name}.png"), full_page=True)

    page.goto(live_server + "/")
    page.get_by_label("Email address").fill("admin@northmoor.gov.uk")
    page.get_by_label("Password").fill(web.password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Surveys").click()
    expect(page.get_by_role("heading", name="Surveys", exact=True)).to_be_visible()
    expect(page.get_by_role("cell", name="2022–2023 (2 years)")).to_be_visible()
    shot("01-overview")

    # Enter Northmoor's agreed ratings: mostly embedded, purpose only just started.
    page.get_by_role("link", name="View results").click()
    expect(
        page.get_by_role("heading", name="Self-assessment: New Operating Models")
    ).to_be_visible()
    page.get_by_role("link", name="Enter a self-assessment").click()
    expect(page.get_by_role("heading", name="Enter a self-assessment")).to_be_visible()
    page.get_by_role("button", name="Save the self-assessment").click()
    expect(page.get_by_role("alert")).to_contain_text("Choose a level from 1 to 5 for Purpose.")
    for key in load_questionnaire().keys:
        page.locator(f"#rating-{key}-{1 if key == 'purpose' else 4}").check()
    shot("02-form")
    page.get_by_role("button", name="Save the self-assessment").click()

    expect(page.get_by_role("status")).to_contain_text("Saved the self-assessment")
    chart = page.get_by_role("img", name="Northmoor Council: maturity of each element")
    expect(chart).to_be_visible()
    purpose = page.locator("#element-purpose")
    expect(purpose).to_have_class("element weak-element")
    expect(purpose.get_by_role("cell").first).to_have_text("1.0")
    expect(page.get_by_role("heading", name="Furthest below the median")).to_be_visible()
    shot("03-results")

    # Culture over time, chosen with the plain GET form.
    page.goto(f"{live_server}/w/{seeded_sqlite.workspace_id}/surveys")
    page.get_by_role("link", name="Culture over time").click()
    page.get_by_label("Organisation").select_option("Northmoor Council")
    page.get_by_label("Culture theme or measure").select_option("CULT_EMPOWERMENT")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("img", name="Empowerment")).to_be_visible()
    row = page.get_by_role("row", name="2023")
    expect(row).to_contain_text("66%")
    expect(row).to_contain_text("+6")
    shot("04-culture")
    # The refused form answers 400 on purpose; nothing else may go wrong in the page.
    assert [p for p in problems if "status of 400" not in p] == []
    context.close()
