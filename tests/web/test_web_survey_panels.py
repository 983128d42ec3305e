"""An organisation panel that is not a staff-survey layout, uploaded over real HTTP."""

from __future__ import annotations

import html
import re
import time

import httpx

TRUSTS = ("RAJ", "RBD", "RCF", "RDE", "REM", "RFS")


def _trust_panel_csv() -> bytes:
    """One row per trust and year: a 0-10 engagement index, a mortality index around
    1.0, respondents in the thousands and two dichotomised 0/1 columns."""
    lines = ["Trust code,Year,Engagement index,SHMI,Responses,High engagement,Low mortality"]
    for n, trust in enumerate(TRUSTS):
        for year in (2021, 2022, 2023):
            engagement = 6.6 + 0.1 * n + 0.05 * (year - 2021)
            shmi = 0.85 + 0.06 * n
            responses = 1200 + 1263 * n + (year - 2021) * 10
            lines.append(
                f"{trust},{year},{engagement:.2f},{shmi:.3f},{responses},"
                f"{int(engagement >= 6.9)},{int(shmi < 1.0)}"
            )
    return ("\n".join(lines) + "\n").encode()


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _wait_for(client: httpx.Client, path: str) -> str:
    for _ in range(400):
        page = client.get(path)
        assert page.status_code == 200
        if 'http-equiv="refresh"' not in page.text:
            return page.text
        time.sleep(0.05)
    raise AssertionError(f"the job at {path} did not finish")


def test_trust_panel_uploads_and_shows_on_its_own_scales(live_server, seeded_sqlite, web) -> None:
    base = f"/w/{seeded_sqlite.workspace_id}/surveys"
    with httpx.Client(base_url=live_server, timeout=30) as client:
        web.sign_in(client, "owner@network.org")
        token = web.page_csrf(client, f"{base}/upload")
        sent = client.post(
            f"{base}/upload",
            data={
                "csrf_token": token,
                "kind": "wide",
                "name": "trusts",
                "org_column": "Trust code",
                "year_column": "Year",
            },
            files={"file": ("trusts.csv", _trust_panel_csv(), "text/csv")},
            follow_redirects=False,
        )
        assert sent.status_code == 303, sent.text
        done = _text(_wait_for(client, sent.headers["location"]))
        assert "Imported 90 new and 0 updated scores for 6 organisations (2021, 2022, 2023)" in done
        assert "Engagement index: score out of 10; SHMI: index; Responses: count" in done
        assert "Responses counts respondents and weights aggregates" in done

        culture = client.get(
            f"{base}/culture",
            params={"survey": "trusts", "organisation": "RAJ", "measure": "Engagement index"},
        )
        assert culture.status_code == 200
        page = _text(culture.text)
        assert "Scores on this measure are a score out of 10, shown as published." in page
        # RAJ scores 6.60 in 2021 against a median of 6.85: a gap of a quarter of a point.
        # Year, score, people answering, change since the last survey (none in the
        # first year; a score out of 10 is not judged against chance), median, gap, rank.
        assert "2021 6.60 1,200 — 6.85 -0.25 6 of 6" in page
        assert "2022 6.65 1,210 +0.05 6.90 -0.25 6 of 6" in page
        shmi = _text(
            client.get(
                f"{base}/culture",
                params={"survey": "trusts", "organisation": "RFS", "measure": "SHMI"},
            ).text
        )
        assert "2023 1.15 7,535 0 1.00 +0.15 1 of 6" in shmi  # the same as in 2022


def test_scales_can_be_set_on_the_upload_page(live_server, seeded_sqlite, web) -> None:
    base = f"/w/{seeded_sqlite.workspace_id}/surveys"
    fields = {"kind": "wide", "name": "trusts", "org_column": "Trust code", "year_column": "Year"}
    with httpx.Client(base_url=live_server, timeout=30) as client:
        web.sign_in(client, "owner@network.org")
        form = client.get(f"{base}/upload").text
        assert '<label for="scales">Scales, only where the detected ones are wrong' in form
        refused = client.post(
            f"{base}/upload",
            data=fields
            | {"csrf_token": web.csrf_of(form), "scales": "Responses = lots\nSHMI=index"},
            files={"file": ("trusts.csv", _trust_panel_csv(), "text/csv")},
            follow_redirects=False,
        )
        assert refused.status_code == 400
        assert "“Responses = lots” is not a scale" in html.unescape(refused.text)
        assert "Responses = lots\nSHMI=index</textarea>" in refused.text  # kept to correct
        sent = client.post(
            f"{base}/upload",
            data=fields
            | {
                "csrf_token": web.page_csrf(client, f"{base}/upload"),
                "scales": "Engagement index = index\nhigh engagement=percentage",
            },
            files={"file": ("trusts.csv", _trust_panel_csv(), "text/csv")},
            follow_redirects=False,
        )
        assert sent.status_code == 303, sent.text
        done = _text(_wait_for(client, sent.headers["location"]))
        assert "Engagement index: index; SHMI: index; Responses: count" in done
        culture = _text(
            client.get(
                f"{base}/culture",
                params={"survey": "trusts", "organisation": "RAJ", "measure": "Engagement index"},
            ).text
        )
        assert "Scores on this measure are an index, shown as published." in culture
