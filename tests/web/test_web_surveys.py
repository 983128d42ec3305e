"""Survey pages: overview, culture over time, respondent breakdowns, self-assessment, uploads."""

from __future__ import annotations

import csv
import html
import io
import re
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from upstream.store import Store
from upstream.store.assessment_repository import AssessmentRepository, ResponseRecord
from upstream.survey.assessment import element_scores, load_questionnaire
from upstream.survey.demo_assessment import demo_assessment
from upstream.survey.themes import load_themes
from upstream.workflows.survey.assessment_io import save_responses
from upstream.workflows.survey.importing import import_survey

WORKSPACE = "Learning Network"
# Empowerment is the mean of B04, B05 and B45: Northmoor scores 50, 40, then 66;
# the medians of the five councils are 50, 45 and 60.
STAFF_SURVEY = """Organisation,Year,B04,B05,B45,EES
Northmoor Council,2021,60,50,40,61
Southvale Council,2021,70,60,50,65
Rivermouth Council,2021,40,30,20,50
Eastfield Council,2021,80,70,60,70
Westbrook Council,2021,55,45,35,60
Northmoor Council,2022,50,40,30,58
Southvale Council,2022,70,60,50,66
Rivermouth Council,2022,40,30,20,51
Eastfield Council,2022,80,70,60,71
Westbrook Council,2022,55,45,35,61
Northmoor Council,2023,76,66,56,67
Southvale Council,2023,70,60,50,66
Rivermouth Council,2023,40,30,20,52
Eastfield Council,2023,80,70,60,72
Westbrook Council,2023,55,45,35,62
"""
ASSESSMENT = "NOM 2025"
TINY = "Tiny Parish Council"


def _load_staff_survey(db: str, folder: Path) -> None:
    path = folder / "staff-survey.csv"
    path.write_text(STAFF_SURVEY, encoding="utf-8")
    with Store(db) as store:
        import_survey(
            store,
            [path],
            workspace=WORKSPACE,
            survey="staff",
            org_column="Organisation",
            year_column="Year",
        )


def _load_assessment(db: str) -> None:
    councils = [("Northmoor Council", 2500), ("Southvale Council", 1800), ("Eastfield", 3000)]
    responses = demo_assessment(organisations=councils)
    with Store(db) as store:
        save_responses(store, responses, workspace=WORKSPACE, name=ASSESSMENT)
        tiny = [
            ResponseRecord(TINY, f"T{n}", "frontline", element, 3)
            for n in range(4)
            for element in load_questionnaire().keys
        ]
        AssessmentRepository(store, WORKSPACE).replace_organisation_responses(
            ASSESSMENT, [TINY], tiny
        )


def _respondent_file() -> bytes:
    """12 people in Housing who all agree, 4 in Parks who all disagree."""
    themes = load_themes()
    items = themes.items
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["team", *items])
    for n in range(16):
        team, answer = ("Housing", "Agree") if n < 12 else ("Parks", "Disagree")
        writer.writerow([team, *([answer] * len(items))])
    return out.getvalue().encode()


def _rows(page: str, caption: str) -> list[list[str]]:
    """The cells of each body row of the table with ``caption``."""
    table = page.split(caption, 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, flags=re.S)
        ]
        for r in rows
    ]


def _wait_for(client: TestClient, path: str) -> str:
    for _ in range(200):
        page = client.get(path)
        assert page.status_code == 200
        if 'http-equiv="refresh"' not in page.text:
            return page.text
        time.sleep(0.05)
    raise AssertionError(f"the job at {path} did not finish")


def test_overview_says_how_to_load_data_then_lists_it(seeded, client_for, tmp_path) -> None:
    vic = client_for("vic@southvale.gov.uk")
    base = f"/w/{seeded.workspace_id}/surveys"
    empty = vic.get(base)
    assert empty.status_code == 200 and 'aria-current="page"' in empty.text
    assert "No staff-survey results are stored" in empty.text
    assert 'upstream survey import --workspace "Learning Network"' in html.unescape(empty.text)
    assert "No self-assessments are stored" in empty.text
    assert "/surveys/upload" not in empty.text  # viewers cannot upload
    owner_empty = client_for("owner@network.org").get(base)
    assert f"{base}/upload?kind=published" in owner_empty.text

    _load_staff_survey(seeded.db, tmp_path)
    _load_assessment(seeded.db)
    page = vic.get(base).text
    staff = _rows(page, "Staff surveys held in this workspace")
    assert staff[1][:5] == ["staff", "2021–2023 (3 years)", "5", "4", "60"]
    assert f"{base}/culture?survey=staff" in page
    assessments = _rows(page, "Self-assessments held in this workspace")
    assert assessments[1][0] == ASSESSMENT
    assert "Enter or update a self-assessment" not in page  # a viewer only reads


def test_culture_over_time_against_the_median(seeded, client_for, tmp_path) -> None:
    _load_staff_survey(seeded.db, tmp_path)
    anna = client_for("anna@northmoor.gov.uk")
    page = anna.get(
        f"/w/{seeded.workspace_id}/surveys/culture",
        params={"organisation": "Northmoor Council", "measure": "CULT_EMPOWERMENT"},
    )
    assert page.status_code == 200
    rows = _rows(page.text, "against the median, by year")
    # Year, score, people answering (not in this file), change since the last survey,
    # median, gap, rank.
    assert rows[1:] == [
        ["2021", "50%", "not known", "—", "50%", "0", "3 of 5"],
        ["2022", "40%", "not known", "-10", "45%", "-5", "4 of 5"],
        ["2023", "66%", "not known", "+26", "60%", "+6", "2 of 5"],
    ]
    assert "could be chance" not in page.text  # not judged without the numbers answering
    assert '<svg class="chart-svg"' in page.text and "<script>" not in page.text
    assert "selected>Theme: Empowerment" in page.text
    # Another organisation and measure through the same GET form, without script.
    other = anna.get(
        f"/w/{seeded.workspace_id}/surveys/culture",
        params={"organisation": "Eastfield Council", "measure": "EES"},
    ).text
    assert _rows(other, "against the median, by year")[1] == [
        "2021",
        "70%",
        "not known",
        "—",
        "61%",
        "+9",
        "1 of 5",
    ]


def test_respondent_breakdowns_suppress_groups_under_ten(seeded, client_for, web) -> None:
    ben = client_for("ben@southvale.gov.uk")
    base = f"/w/{seeded.workspace_id}/surveys"
    token = web.page_csrf(ben, f"{base}/upload")
    sent = ben.post(
        f"{base}/upload",
        data={"csrf_token": token, "kind": "respondents"},
        files={"file": ("staff-survey.csv", _respondent_file(), "text/csv")},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    page = ben.get(sent.headers["location"], params={"by": "team"})
    assert page.status_code == 200
    rows = _rows(page.text, "Culture themes (% positive) by team")
    housing = [r for r in rows if r and r[0] == "Housing"]
    parks = [r for r in rows if r and r[0] == "Parks"]
    # Housing's 12 at 100% beside all 16 at 75% would give Parks' 4 away: both are hidden.
    assert len(housing) == 4 and all(r[2:] == ["not shown", "not shown"] for r in housing)
    assert len(parks) == 4 and all(r[2:] == ["fewer than 10", "fewer than 10"] for r in parks)
    assert "neither is any figure that would let you work one out" in page.text
    overall = ben.get(sent.headers["location"]).text
    assert _rows(overall, "Culture themes (% positive)")[1][1:] == ["16", "75%"]
    assert "Culture themes: % positive among all respondents" in overall  # the chart


def test_self_assessment_shows_scores_against_peers(seeded, client_for) -> None:
    _load_assessment(seeded.db)
    vic = client_for("vic@southvale.gov.uk")
    base = f"/w/{seeded.workspace_id}/surveys/assessment"
    page = vic.get(base, params={"name": ASSESSMENT, "organisation": "Southvale Council"}).text
    questionnaire = load_questionnaire()
    with Store(seeded.db) as store:
        from upstream.workflows.survey.assessment_io import stored_responses

        responses = stored_responses(store, workspace=WORKSPACE, name=ASSESSMENT)
    expected = element_scores(responses, questionnaire).set_index(["organisation", "element"])
    rows = {r[0]: r for r in _rows(page, "maturity of each element against the median")[1:]}
    purpose = expected.loc[("Southvale Council", "purpose"), "mean"]
    assert rows["Purpose"][1] == f"{purpose:.1f}"
    raters = expected.loc[("Southvale Council", "purpose"), "n"]
    assert rows["Purpose"][2] == f"{raters:,}"  # how many people's ratings make the score
    assert 'id="element-mindset.values"' in page and "weak-element" in page
    assert "Furthest below the median" in page and '<svg class="chart-svg maturity"' in page
    assert "Update the self-assessment" not in page  # viewers read only
    tiny = vic.get(base, params={"name": ASSESSMENT, "organisation": TINY}).text
    cells = _rows(tiny, "maturity of each element against the median")[1:]
    assert cells and all(r[1] == "fewer than 10" and r[2] == "fewer than 10" for r in cells)


def test_entering_a_self_assessment_validates_saves_and_audits(seeded, client_for, web) -> None:
    _load_assessment(seeded.db)
    anna = client_for("anna@northmoor.gov.uk")
    base = f"/w/{seeded.workspace_id}/surveys/assessment"
    form = anna.get(f"{base}/edit", params={"name": ASSESSMENT})
    assert form.status_code == 200 and "Northmoor Council" in form.text
    token = web.csrf_of(form.text)
    keys = load_questionnaire().keys
    partial = {"csrf_token": token, "name": ASSESSMENT, "organisation": "Northmoor Council"}
    partial |= {f"rating-{k}": "4" for k in keys[1:]}
    partial["rating-outcomes"] = "7"
    refused = anna.post(f"{base}/edit", data=partial)
    assert refused.status_code == 400
    assert "Choose a level from 1 to 5 for Context and drivers." in refused.text
    assert "The level for Outcomes must be a whole number from 1 to 5." in refused.text
    assert 'value="4" checked' in refused.text  # what was entered is kept

    ratings = {f"rating-{k}": "4" for k in keys} | {"rating-purpose": "1"}
    saved = anna.post(f"{base}/edit", data={**partial, **ratings}, follow_redirects=False)
    assert saved.status_code == 303
    page = anna.get(saved.headers["location"]).text
    assert "Saved the self-assessment of Northmoor Council" in page
    rows = {r[0]: r for r in _rows(page, "maturity of each element against the median")[1:]}
    assert rows["Purpose"][1] == "1.0" and rows["Outcomes"][1] == "4.0"
    assert re.search(r'<tr id="element-purpose" class="element weak-element', page)
    again = anna.get(f"{base}/edit", params={"name": ASSESSMENT}).text
    assert 'id="rating-purpose-1" name="rating-purpose" value="1" checked' in again
    with Store(seeded.db) as store:
        log = store.workspace(WORKSPACE).audit_log(limit=5)
        responses = AssessmentRepository(store, WORKSPACE).assessment_responses(ASSESSMENT)
    entry = next(e for e in log if e.action == "assess")
    assert entry.actor == "anna@northmoor.gov.uk"
    assert entry.detail["organisations"] == ["Northmoor Council"]
    assert sum(r.organisation == "Southvale Council" for r in responses) > 100  # others kept


def test_only_assessing_roles_may_edit_their_own_organisation(seeded, client_for, web) -> None:
    _load_assessment(seeded.db)
    base = f"/w/{seeded.workspace_id}/surveys/assessment"
    anna = client_for("anna@northmoor.gov.uk")
    vic = client_for("vic@southvale.gov.uk")
    cara = client_for("cara@northmoor.gov.uk")
    assert vic.get(f"{base}/edit").status_code == 403
    token = web.page_csrf(vic, base)
    ratings = {f"rating-{k}": "5" for k in load_questionnaire().keys}
    data = {"csrf_token": token, "name": ASSESSMENT, "organisation": "Southvale Council"}
    assert vic.post(f"{base}/edit", data=data | ratings).status_code == 403
    assert cara.get(f"/w/{seeded.workspace_id}/surveys").status_code == 403
    assert anna.get(f"{base}/edit", params={"organisation": "Southvale Council"}).status_code == 403
    anna_token = web.page_csrf(anna, base)
    other = {"csrf_token": anna_token, "name": ASSESSMENT, "organisation": "Southvale Council"}
    assert anna.post(f"{base}/edit", data=other | ratings).status_code == 403
    owner = client_for("owner@network.org")
    assert (
        owner.get(f"{base}/edit", params={"organisation": "Southvale Council"}).status_code == 200
    )
    no_token = {"name": ASSESSMENT, "organisation": "Northmoor Council"} | ratings
    assert anna.post(f"{base}/edit", data=no_token).status_code == 403
    with Store(seeded.db) as store:
        responses = AssessmentRepository(store, WORKSPACE).assessment_responses(ASSESSMENT)
    assert not any(r.respondent == "agreed" for r in responses)  # nothing was saved


def test_uploaded_staff_survey_imports_in_the_background(seeded, client_for, web) -> None:
    owner = client_for("owner@network.org")
    base = f"/w/{seeded.workspace_id}/surveys"
    token = web.page_csrf(owner, f"{base}/upload")
    missing = owner.post(
        f"{base}/upload",
        data={"csrf_token": token, "kind": "wide", "name": "staff"},
        files={"file": ("staff.csv", STAFF_SURVEY.encode(), "text/csv")},
    )
    assert missing.status_code == 400
    assert "Give the name of the column that holds the organisation." in missing.text
    wrong = owner.post(
        f"{base}/upload",
        data={"csrf_token": token, "kind": "published"},
        files={"file": ("photo.png", b"\x89PNG....", "image/png")},
    )
    assert wrong.status_code == 415 and "must be CSV" in wrong.text
    sent = owner.post(
        f"{base}/upload",
        data={
            "csrf_token": token,
            "kind": "wide",
            "name": "staff",
            "org_column": "Organisation",
            "year_column": "Year",
        },
        files={"file": ("staff.csv", STAFF_SURVEY.encode(), "text/csv")},
        follow_redirects=False,
    )
    assert sent.status_code == 303 and "/jobs/" in sent.headers["location"]
    done = _wait_for(owner, sent.headers["location"])
    assert "Imported 60 new and 0 updated scores for 5 organisations (2021, 2022, 2023)" in done
    culture = owner.get(
        f"{base}/culture",
        params={"organisation": "Northmoor Council", "measure": "CULT_EMPOWERMENT"},
    ).text
    assert ["2023", "66%", "not known", "+26", "60%", "+6", "2 of 5"] in _rows(culture, "by year")


def test_uploaded_self_assessment_only_for_your_own_organisation(seeded, client_for, web) -> None:
    anna = client_for("anna@northmoor.gov.uk")
    base = f"/w/{seeded.workspace_id}/surveys"
    keys = load_questionnaire().keys
    lines = ["organisation,respondent,role_group," + ",".join(keys)]
    lines += [f"Northmoor Council,N{n},frontline," + ",".join(["3"] * len(keys)) for n in range(12)]
    mixed = "\n".join([*lines, "Southvale Council,S1,leader," + ",".join(["5"] * len(keys))])
    token = web.page_csrf(anna, f"{base}/upload")
    data = {"csrf_token": token, "kind": "assessment", "name": ASSESSMENT}
    sent = anna.post(
        f"{base}/upload",
        data=data,
        files={"file": ("nom.csv", mixed.encode(), "text/csv")},
        follow_redirects=False,
    )
    failed = _wait_for(anna, sent.headers["location"])
    assert "You can only import responses of Northmoor Council" in failed
    assert "Southvale Council" in failed
    sent = anna.post(
        f"{base}/upload",
        data=data,
        files={"file": ("nom.csv", "\n".join(lines).encode(), "text/csv")},
        follow_redirects=False,
    )
    done = _wait_for(anna, sent.headers["location"])
    assert "Imported 120 ratings from 12 people in 1 organisation" in done
    page = anna.get(f"{base}/assessment", params={"name": ASSESSMENT}).text
    rows = _rows(page, "maturity of each element against the median")[1:]
    assert rows and all(r[1] == "3.0" for r in rows)


@pytest.mark.parametrize("path", ["", "/culture", "/assessment"])
def test_pages_say_what_to_do_when_empty(seeded_sqlite, make_app, web, path) -> None:
    with TestClient(make_app(seeded_sqlite.db)) as client:
        web.sign_in(client, "admin@northmoor.gov.uk")
        page = client.get(f"/w/{seeded_sqlite.workspace_id}/surveys{path}")
    assert page.status_code == 200
    assert "upstream survey" in page.text and "yet" in page.text
