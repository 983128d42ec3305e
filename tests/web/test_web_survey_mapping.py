"""The mapping step for any respondent-level file: words or numbers, groups, themes, errors."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from urllib.parse import parse_qsl, urlsplit

import pytest

SAY = "I have a say in decisions that affect my work"
SPEAK = "I often feel unable to speak up"


def _rows(page: str, caption: str) -> list[list[str]]:
    table = page.split(caption, 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S)
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", c)).strip()
            for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, flags=re.S)
        ]
        for r in rows
    ]


def _selected(page: str, name: str) -> str:
    select = page.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    found = re.search(r'<option value="([^"]*)" selected', select)
    return found.group(1) if found else ""


def _upload(client, web, base: str, text: str, name: str = "staff.csv") -> str:
    token = web.page_csrf(client, f"{base}/upload")
    sent = client.post(
        f"{base}/upload",
        data={"csrf_token": token, "kind": "respondents"},
        files={"file": (name, text.encode("utf-8"), "text/csv")},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    first = client.get(sent.headers["location"], follow_redirects=False)
    assert first.status_code == 303  # not culture-theme ids: say how to read it first
    return str(first.headers["location"])


@pytest.mark.parametrize("answers", ["words", "numbers"])
def test_mapping_step_reads_words_and_numbers(
    seeded, client_for, web, staff_answers: Callable[[str], str], answers: str
) -> None:
    ben = client_for("ben@southvale.gov.uk")
    base = f"/w/{seeded.workspace_id}/surveys"
    where = _upload(ben, web, base, staff_answers(answers))
    assert where.endswith("/map")
    form = ben.get(where)
    assert form.status_code == 200
    page = form.text
    # The first guess: statements, groups and how answers are given, for a person to check.
    assert (
        'value="' + answers + '" checked' in page
        and 'id="points-5" name="points" value="5" checked' in page
    )
    assert _selected(page, "c0") == "skip"  # the respondent id
    assert _selected(page, "c1") == "group" and _selected(page, "c3") == "statement"
    assert f'<label class="visually-hidden" for="c3">What “{SAY}” holds</label>' in page
    # The person marks the last statement reversed and groups statements into themes.
    fields = {"answers": answers, "points": "5", "c0": "skip", "c1": "group", "c2": "group"}
    fields |= {f"c{i}": "statement" for i in range(3, 9)} | {"c9": "reversed"}
    fields |= {"t3": "empowerment", "t4": "empowerment", "t9": "own", "o9": "Voice"}
    result = ben.get(f"{base}/respondents/{where.split('/')[-2]}", params=fields)
    assert result.status_code == 200, result.text
    themes = _rows(result.text, "Themes (% positive)")[1:]
    assert [r[0] for r in themes] == ["Empowerment", "Voice", "All statements"]
    assert [r[2] for r in themes] == ["64%", "43%", "61%"]
    assert "Themes: % positive among all respondents" in result.text  # the chart
    assert f"answered in {answers} on a 5-point scale; reversed: {SPEAK}" in result.text
    by_team = ben.get(f"{base}/respondents/{where.split('/')[-2]}", params=fields | {"by": "Team"})
    rows = [r for r in _rows(by_team.text, "Statements (% positive) by Team") if r and r[1] == SAY]
    assert {r[0]: r[3] for r in rows} == {
        "Housing": "100%",
        "Libraries": "not shown",
        "Parks": "0%",
        "Post Room": "fewer than 10",
    }
    # The breakdown form carries the mapping, so changing the breakdown keeps it.
    assert '<input type="hidden" name="c9" value="reversed">' in by_team.text
    change = re.search(r'<a href="([^"]+)">Change how the file is read', by_team.text)
    assert change is not None
    again = ben.get(html.unescape(change.group(1)))
    assert _selected(again.text, "c9") == "reversed" and 'value="Voice"' in again.text


def test_unrecognised_answers_are_named_and_the_template_downloads(
    seeded, client_for, web, staff_answers: Callable[[str], str]
) -> None:
    ben = client_for("ben@southvale.gov.uk")
    base = f"/w/{seeded.workspace_id}/surveys"
    text = staff_answers("words").replace("Disagree", "Not really", 1)
    where = _upload(ben, web, base, text, name="odd.csv")
    upload_id = where.split("/")[-2]
    params = {"answers": "words", "points": "5", "c9": "statement"}
    page = ben.get(f"{base}/respondents/{upload_id}", params=params)
    assert page.status_code == 400
    message = html.unescape(page.text)
    assert "odd.csv" in message and f"column '{SPEAK}'" in message and "'Not really'" in message
    assert "Expected words (Strongly agree" in message
    back = re.search(r'<a href="([^"]+)">Change how the file is read', page.text)
    assert (
        back is not None
        and dict(parse_qsl(urlsplit(html.unescape(back.group(1))).query))["c9"] == "statement"
    )
    nothing = ben.get(f"{base}/respondents/{upload_id}", params={"answers": "words"})
    assert nothing.status_code == 400 and "no column was chosen as a statement" in nothing.text
    template = ben.get(f"{base}/respondents-template.csv")
    assert template.status_code == 200 and template.headers["content-type"].startswith("text/csv")
    assert template.text.startswith("Team,Grade,I have a real say")
    assert "attachment" in template.headers["content-disposition"]
    assert "respondents-template.csv" in ben.get(f"{base}/upload").text


def test_a_file_without_rows_is_refused_at_each_step(seeded, client_for, web) -> None:
    ben = client_for("ben@southvale.gov.uk")
    base = f"/w/{seeded.workspace_id}/surveys"
    token = web.page_csrf(ben, f"{base}/upload")
    sent = ben.post(
        f"{base}/upload",
        data={"csrf_token": token, "kind": "respondents"},
        files={"file": ("empty.csv", b"Team,Q1\n", "text/csv")},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    for path in (sent.headers["location"], sent.headers["location"] + "/map"):
        page = ben.get(path, params={"answers": "words"} if "map" not in path else {})
        assert page.status_code == 400
        assert "no rows of data under a header row" in page.text
