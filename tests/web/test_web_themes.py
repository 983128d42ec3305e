"""The themes view: run themes as a job, see them as each person may, rename, merge, split, export.

Runs on SQLite and PostgreSQL (``seeded``), with the quick ``hashing`` text
model and a few dozen consultation replies on three subjects.
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections.abc import Callable
from datetime import date

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from upstream.cli import app as cli
from upstream.records.drafts import ItemDraft
from upstream.records.themes import OTHER_LABEL
from upstream.store import Store
from upstream.store.theme_repository import StoredTheme, ThemeStore

NORTH, SOUTH = "Northmoor Council", "Southvale Council"
BUSES = [
    "The number 12 bus is always late and the bus timetable is wrong",
    "Buses to the hospital are late every morning, the bus never keeps to the timetable",
    "We need more buses in the evening, the last bus leaves far too early",
    "The bus station needs shelters and a working bus timetable board",
    "Cheaper bus fares would get more people on the buses",
    "The bus route to the college was cut and now the buses are full",
    "Bus drivers are friendly but the buses are late and crowded",
    "Please bring back the Sunday bus service, buses matter to older people",
]
PARKING = [
    "Parking on Mill Street is impossible, cars park on the pavement",
    "Residents parking permits cost too much and parking spaces are few",
    "Cars parked on the pavement block wheelchairs, enforce the parking rules",
    "More parking spaces near the shops would help, parking is a nightmare",
    "Parking charges at the car park are too high for a short stop",
    "Commuters park all day on our street, we need residents parking",
    "The car park by the station is full by eight, parking is hopeless",
    "Stop parking on double yellow lines outside the school gates",
]
TREES = [
    "Plant more trees in the park and along the streets for shade",
    "The park needs more trees, benches and flower beds",
    "Street trees make the town greener, plant trees on every street",
    "Keep the old trees in the park, do not cut the trees down",
    "A community orchard with fruit trees in the park would be lovely",
    "Plant trees by the main road to clean the air, more trees please",
    "The park is lovely but needs more trees and a new play area",
    "Trees in the park give shade in summer, plant more of them",
]
# Private to Southvale: Northmoor's people must never see these words on any page.
SOUTH_SECRET = [
    "Southvale secret: bus drivers strike planned, buses will stop in the bus depot",
    "Southvale secret: parking income fell, parking charges review is confidential",
    "Southvale secret: trees budget cut, park trees contract cancelled",
]
SPAM = "Earn £500 a day working from home! DM me now"


def add_replies(db: str, workspace_id: int, texts: list[tuple[str, str, bool]]) -> None:
    """Store consultation replies (text, organisation, shared) in the seeded workspace."""
    store = Store(db)
    workspace = next(store.workspace(w.name) for w in store.workspaces() if w.id == workspace_id)
    with workspace.writer() as writer:
        source = writer.add_source(f"replies-{len(texts)}.csv", kind="consultation replies")
        drafts = [
            ItemDraft(text=text, line=n + 2, organisation=org, item_date=date(2025, 5, 1))
            for n, (text, org, _shared) in enumerate(texts)
        ]
        for draft, (_text, _org, shared) in zip(drafts, texts, strict=True):
            writer.insert_items(source, [draft], shared=shared)
    store.close()


def first_replies() -> list[tuple[str, str, bool]]:
    rows = []
    for group in (BUSES, PARKING, TREES):
        rows += [(text, NORTH if n % 2 else SOUTH, True) for n, text in enumerate(group[:6])]
    rows += [(text, SOUTH, False) for text in SOUTH_SECRET]
    rows.append((SPAM, NORTH, True))
    return rows


def wait_for_job(client: TestClient, location: str) -> str:
    """Follow a theme job's page until it has finished; return the finished page."""
    deadline = time.monotonic() + 240
    while True:
        page = client.get(location)
        assert page.status_code == 200, page.text
        if "Themes found" in page.text or "were not saved" in page.text:
            assert "Themes found" in page.text, page.text
            return page.text
        assert time.monotonic() < deadline, "the theme job did not finish"
        time.sleep(0.2)


def start(client: TestClient, web, w: int, **form: str) -> str:
    token = web.page_csrf(client, f"/w/{w}/themes")
    data = {"evidence": "all", "embedder": "hashing", "seed": "0", "csrf_token": token, **form}
    response = client.post(f"/w/{w}/themes/run", data=data, follow_redirects=False)
    assert response.status_code == 303, response.text
    assert f"/w/{w}/jobs/" in response.headers["location"]
    return wait_for_job(client, response.headers["location"])


def latest(db: str, workspace_id: int) -> list[StoredTheme]:
    store = Store(db)
    try:
        workspace = next(
            store.workspace(w.name) for w in store.workspaces() if w.id == workspace_id
        )
        return [t for t in ThemeStore(workspace).themes() if t.parent_number is None]
    finally:
        store.close()


def theme_holding(themes: list[StoredTheme], db: str, w: int, text: str) -> StoredTheme:
    store = Store(db)
    try:
        workspace = next(store.workspace(x.name) for x in store.workspaces() if x.id == w)
        item_id = next(i.id for i in workspace.items() if i.text == text)
    finally:
        store.close()
    return next(t for t in themes if item_id in t.item_ids)


def test_themes_run_view_edit_and_rerun(seeded, client_for: Callable[[str], TestClient], web):
    w = seeded.workspace_id
    add_replies(seeded.db, w, first_replies())
    anna = client_for("anna@northmoor.gov.uk")
    ben = client_for("ben@southvale.gov.uk")

    empty = anna.get(f"/w/{w}/themes")
    assert empty.status_code == 200 and "No themes have been found yet" in empty.text

    # Ben (Southvale) themes everything he may see, Southvale's private replies included.
    done = start(ben, web, w, n_themes="3")
    assert "3 themes" in done and "1</span> set aside as spam" in done
    themes = latest(seeded.db, w)
    assert len(themes) == 3

    # Anna (Northmoor) sees the themes, but never a Southvale private reply.
    page = anna.get(f"/w/{w}/themes")
    assert page.status_code == 200
    assert all(secret not in page.text for secret in SOUTH_SECRET)
    assert "private to another organisation that you cannot see" in page.text
    assert "Set aside before theming" in page.text and "DM me now" in page.text
    # The evidence browser's theme picker names themes from the words Anna may see too.
    picker = re.findall(
        r"<option[^>]*>(Run \d+: [^<]*)</option>", anna.get(f"/w/{w}/evidence").text
    )
    assert len(picker) >= 3
    assert not [o for o in picker if "secret" in o.lower() or "confidential" in o.lower()]
    stance = (
        r"(most|the largest group) \(\d+ of \d+\)|all \d+ were|none of the \d+ took a clear side"
        r"|tone was split|some items were"
    )
    # Every theme of 10 or more says how people divide, and what the split is about; a
    # smaller one does not, as it would count its few people one by one (as would a
    # side of fewer than 10 in a larger theme, which is named but not counted).
    large = sum(1 for t in themes if t.size >= 10)
    assert large >= 1 and len(re.findall(stance, page.text, re.I)) == large
    assert len(re.findall(r"On [^:<]+: ", page.text)) == large
    if any(t.size < 10 for t in themes):
        assert "fewer than 10</strong> items" in page.text
    assert " items mention “" in page.text, "themes are described in a sentence"
    # These replies do not say who wrote them: people are not counted as if each item
    # were one, and the themes cannot be ranked by people.
    assert "respondents" not in page.text and '<option value="people"' not in page.text
    for theme in themes:
        detail = anna.get(f"/w/{w}/themes/{theme.id}")
        assert detail.status_code == 200
        assert "Not known: the evidence does not say who wrote these items" in detail.text
        assert all(secret not in detail.text for secret in SOUTH_SECRET)
        linked = {int(i) for i in re.findall(rf"/w/{w}/evidence/(\d+)", detail.text)}
        assert linked, "a theme's members link to their items"
        for item_id in linked:
            assert anna.get(f"/w/{w}/evidence/{item_id}").status_code == 200
    # Ben sees his own organisation's private replies among the members.
    ben_pages = "".join(ben.get(f"/w/{w}/themes/{t.id}").text for t in themes)
    assert any(secret in ben_pages for secret in SOUTH_SECRET)

    # Rename the bus theme (to something a spreadsheet would run as a formula).
    buses = theme_holding(themes, seeded.db, w, BUSES[0])
    token = web.page_csrf(anna, f"/w/{w}/themes")
    renamed = anna.post(
        f"/w/{w}/themes/{buses.id}/rename",
        data={"label": "=Buses and timetables", "csrf_token": token},
        follow_redirects=False,
    )
    assert renamed.status_code == 303
    page = anna.get(renamed.headers["location"])
    assert "Theme renamed" in page.text and "=Buses and timetables" in page.text
    audit = Store(seeded.db)
    try:
        ws = next(audit.workspace(x.name) for x in audit.workspaces() if x.id == w)
        assert any(
            e.action == "theme.rename" and e.actor == "anna@northmoor.gov.uk"
            for e in ws.audit_log(50)
        )
    finally:
        audit.close()

    # The CSV export is formula-safe and holds no private quote.
    exported = anna.get(f"/w/{w}/themes/export.csv")
    assert exported.status_code == 200 and exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert rows[0] == [
        "theme", "label", "size", "respondents", "likes and reactions", "keywords", "quotes",
        "item_ids",
    ]  # fmt: skip
    listed = {int(i) for r in rows[1:] for i in r[7].split()}
    with Store(seeded.db) as store:
        hidden = {
            i.id for i in store.workspace("Learning Network").items() if i.text in SOUTH_SECRET
        }
    assert listed and not listed & hidden  # Anna's export lists only items she may see
    assert [r[1] for r in rows[1:] if "Buses" in r[1]] == ["'=Buses and timetables"]
    assert all(secret not in exported.text for secret in SOUTH_SECRET)
    assert any(" | " in r[6] for r in rows[1:]), "several quotes, separated by |"

    # Merge parking and trees: stored as an edit, the run is redone with it applied.
    parking = theme_holding(themes, seeded.db, w, PARKING[0])
    trees = theme_holding(themes, seeded.db, w, TREES[0])
    token = web.page_csrf(anna, f"/w/{w}/themes")
    merged = anna.post(
        f"/w/{w}/themes/merge",
        data={
            "run": str(buses.run_id),
            "theme": [str(parking.id), str(trees.id)],
            "label": "Streets and parks",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert merged.status_code == 303
    wait_for_job(anna, merged.headers["location"])
    merged_run = latest(seeded.db, w)
    labels = [t.label for t in merged_run]
    assert "Streets and parks" in labels and "=Buses and timetables" in labels
    assert len(labels) == 2
    # Theme numbers stay: buses keeps its number, the merge takes the lower of its two.
    numbers = {t.label: t.code for t in merged_run}
    assert numbers["=Buses and timetables"] == buses.code
    assert numbers["Streets and parks"] == min(parking.code, trees.code)
    gone = max(parking.code, trees.code)
    kept = min(parking.code, trees.code)
    page = anna.get(f"/w/{w}/themes").text
    assert f"Theme {buses.code}: =Buses and timetables" in page
    assert f"Theme {gone}:" not in page
    assert f"Theme {gone} was merged into theme {kept}." in page
    # The first run's pages say where their themes are now, and offer no edits there.
    merged_away = parking if parking.code == gone else trees
    old = anna.get(f"/w/{w}/themes/{merged_away.id}").text
    assert f"This is theme {gone} as run {merged_away.run_id} found it." in old
    assert re.search(
        rf"where it was merged into <a href=[^>]+>theme {kept}: Streets and parks", old
    )
    assert "/rename" not in old and "Split the theme" not in old
    old_buses = anna.get(f"/w/{w}/themes/{buses.id}").text
    assert re.search(
        rf"where it is <a href=[^>]+>theme {buses.code}: =Buses and timetables", old_buses
    )
    # The list of edits keeps the names' capitals.
    assert re.search(r"<li>Merged .*? as (&#34;|\")Streets and parks(&#34;|\")", page), page

    # New replies arrive and the themes are found again: both edits still apply.
    more = [(text, NORTH, True) for group in (BUSES, PARKING, TREES) for text in group[6:]]
    add_replies(seeded.db, w, more)
    done = start(anna, web, w)
    assert "earlier edits re-applied" in done
    after = latest(seeded.db, w)
    bus_theme = theme_holding(after, seeded.db, w, BUSES[7])
    assert bus_theme.label == "=Buses and timetables"
    assert "Streets and parks" in [t.label for t in after]
    assert "=Buses and timetables" in anna.get(f"/w/{w}/themes").text
    assert {t.label: t.code for t in after} == numbers, "a re-run keeps the numbers"
    # A lasting link opens the newest run's theme with that number, or the one it joined.
    newest = {t.code: t.id for t in after}
    for code, expected in ((buses.code, buses.code), (gone, kept)):
        moved = anna.get(f"/w/{w}/themes/number/{code}", follow_redirects=False)
        assert moved.status_code == 303
        assert moved.headers["location"] == f"/w/{w}/themes/{newest[expected]}"
    assert (
        f"/w/{w}/themes/number/{buses.code}" in anna.get(f"/w/{w}/themes/{newest[buses.code]}").text
    )
    missing = anna.get(f"/w/{w}/themes/number/99")
    assert missing.status_code == 404 and "has no theme 99" in missing.text

    # Split the merged theme in two again.
    joined = next(t for t in after if t.label == "Streets and parks")
    token = web.page_csrf(anna, f"/w/{w}/themes/{joined.id}")
    split = anna.post(
        f"/w/{w}/themes/{joined.id}/split",
        data={"parts": "2", "labels": "Part one\nPart two", "csrf_token": token},
        follow_redirects=False,
    )
    assert split.status_code == 303
    wait_for_job(anna, split.headers["location"])
    final = latest(seeded.db, w)
    assert {"Part one", "Part two", "=Buses and timetables"} <= {t.label for t in final}
    # One part keeps the merged theme's number; the other takes one no theme has had.
    split_numbers = {t.label: t.code for t in final}
    page = anna.get(f"/w/{w}/themes").text
    assert f"split off theme {kept}</span>" in page
    assert f"Theme {gone} was merged into theme {kept}." in page, "kept from run to run"
    assert split_numbers["=Buses and timetables"] == buses.code
    assert {split_numbers["Part one"], split_numbers["Part two"]} == {
        numbers["Streets and parks"],
        str(max(int(t.code) for t in themes) + 1),
    }

    # The finished split offers to name its parts side by side, after seeing them.
    finished = anna.get(split.headers["location"]).text
    assert f"Theme {kept} was split in 2. Themes found again:" in finished
    assert "earlier edits re-applied, besides this one" in finished
    assert f'href="/w/{w}/themes/number/{kept}/parts">Name the parts of theme {kept}<' in finished
    assert f"/w/{w}/themes/number/{kept}/parts" in page
    parts_page = anna.get(f"/w/{w}/themes/number/{kept}/parts")
    assert parts_page.status_code == 200
    assert "(keeps the number)" in parts_page.text
    assert f"(split off theme {kept})" in parts_page.text
    part_ids = {t.label: t.id for t in final}
    assert parts_page.text.count('class="quotes"') == 2
    # Every item of each part is there to read, not only its typical quotes.
    for part in (t for t in final if t.label in ("Part one", "Part two")):
        for item_id in part.item_ids:
            assert f'/w/{w}/evidence/{item_id}"' in parts_page.text
    named = anna.post(
        f"/w/{w}/themes/number/{kept}/parts",
        data={
            "csrf_token": web.csrf_of(parts_page.text),
            f"name-{part_ids['Part one']}": "Parking on pavements",
            f"name-{part_ids['Part two']}": "Part two",  # unchanged: no edit
        },
        follow_redirects=False,
    )
    assert named.status_code == 303 and "done=named" in named.headers["location"]
    renamed = {t.id: t.label for t in latest(seeded.db, w)}
    assert renamed[part_ids["Part one"]] == "Parking on pavements"
    assert renamed[part_ids["Part two"]] == "Part two"
    final = latest(seeded.db, w)
    assert "Names saved." in anna.get(named.headers["location"]).text
    assert anna.get(f"/w/{w}/themes/number/{buses.code}/parts").status_code == 404

    # The run history records every run; the JSON API lists the themes with visible sizes.
    runs = anna.get(f"/w/{w}/runs")
    assert runs.status_code == 200 and runs.text.count("<td>themes</td>") == 4
    api = anna.get(f"/api/workspaces/{w}/themes")
    assert api.status_code == 200
    listed = {t["id"]: t for t in api.json()}
    for theme in final:
        assert listed[theme.id]["label"] == theme.label
        assert listed[theme.id]["size"] <= theme.size
        # The number the pages show, as well as the stored one.
        assert listed[theme.id]["code"] == theme.code
        assert listed[theme.id]["number"] == theme.number


def test_viewers_see_themes_but_cannot_edit(seeded, client_for, web):
    w = seeded.workspace_id
    add_replies(seeded.db, w, first_replies())
    anna = client_for("anna@northmoor.gov.uk")
    start(anna, web, w, n_themes="2")
    theme = latest(seeded.db, w)[0]

    vic = client_for("vic@southvale.gov.uk")
    page = vic.get(f"/w/{w}/themes")
    assert page.status_code == 200 and theme.label in page.text
    assert "Find themes</button>" not in page.text and "/rename" not in page.text
    assert vic.get(f"/w/{w}/themes/{theme.id}").status_code == 200
    token = web.csrf_of(page.text)
    for path, data in (
        (f"/w/{w}/themes/{theme.id}/rename", {"label": "Mine now"}),
        (f"/w/{w}/themes/{theme.id}/split", {"parts": "2"}),
        (f"/w/{w}/themes/merge", {"run": str(theme.run_id), "theme": [str(theme.id)]}),
        (f"/w/{w}/themes/run", {"embedder": "hashing"}),
        (f"/w/{w}/themes/number/{theme.code}/parts", {f"name-{theme.id}": "Mine now"}),
    ):
        response = vic.post(path, data={**data, "csrf_token": token}, follow_redirects=False)
        assert response.status_code == 403, path
    assert latest(seeded.db, w)[0].label == theme.label

    # Contributors do not see themes at all; bad input is refused with a plain message.
    cara = client_for("cara@northmoor.gov.uk")
    assert cara.get(f"/w/{w}/themes").status_code == 403
    token = web.page_csrf(anna, f"/w/{w}/themes")
    bad = anna.post(
        f"/w/{w}/themes/run",
        data={"n_themes": "many", "embedder": "hashing", "csrf_token": token},
        follow_redirects=False,
    )
    assert bad.status_code == 400 and "whole number from 1 to 40" in bad.text
    empty = anna.post(
        f"/w/{w}/themes/{theme.id}/rename",
        data={"label": "  ", "csrf_token": token},
        follow_redirects=False,
    )
    assert empty.status_code == 400 and "empty" in empty.text
    assert anna.get(f"/w/{w}/themes/999999").status_code == 404


def test_stance_words_quote_nobody():
    from upstream.themes.stance import describe_stance

    def stance_sentence(sides: dict[str, int], total: int, topic: str = "") -> str:
        return describe_stance(sides, total, topic=topic)

    from upstream.themes.stance import stance_sentence as shown

    # The wording (the command line's, for the analyst's own run) ...
    assert stance_sentence({"against": 9, "for": 4, "neutral": 1}, 14, "Buses") == (
        "On buses: most (9 of 14) were negative in tone; a minority (4) were positive in "
        "tone; 1 was neutral in tone."
    )
    # When most took no side, that comes first: two people are not "the largest group".
    assert stance_sentence({"for": 2, "neutral": 3}, 5, "Buses") == (
        "On buses: most (3 of 5) were neutral in tone; 2 were positive in tone."
    )
    assert stance_sentence({"for": 3, "against": 2, "neutral": 2}, 7) == (
        "The largest group (3 of 7) were positive in tone; a minority (2) were negative "
        "in tone; 2 were neutral in tone."
    )
    assert stance_sentence({"for": 1, "against": 1, "neutral": 1}, 3) == (
        "Tone was split: 1 of 3 was negative in tone; 1 of 3 was positive in tone; "
        "1 was neutral in tone."
    )
    assert stance_sentence({"neutral": 3}, 3) == "All 3 were neutral in tone."
    # ... and what a page shows: a side of 1 to 9 people is not counted, nor ranked.
    assert shown({"against": 9, "for": 4, "neutral": 1}, 14, "Buses") == (
        "On buses: some items were positive in tone; others were negative in tone; "
        "others were neutral in tone. How many is not shown, since some of these groups are "
        "fewer than 10."
    )
    # With a small side, the largest is still counted and the others only together:
    # neither the 5 nor the 14 can be worked out from 59 - 40.
    assert shown({"against": 40, "for": 5, "neutral": 14}, 59, "Roads") == (
        "On roads: most (40 of 59) were negative in tone; the other 19 were positive or "
        "neutral in tone."
    )
    assert shown({"against": 25, "for": 5, "neutral": 29}, 59, "Roads") == (
        "On roads: the largest group (29 of 59) were neutral in tone; the other 30 were "
        "negative or positive in tone."
    )
    # ... but not when the others together are fewer than 10, nor in a tie.
    assert "How many is not shown" in shown({"against": 55, "for": 4}, 59, "Roads")
    assert "How many is not shown" in shown({"against": 12, "for": 12, "neutral": 3}, 27)
    assert shown({"against": 19, "for": 15, "neutral": 12}, 46, "Buses") == (
        "On buses: the largest group (19 of 46) were negative in tone; a minority (15) "
        "were positive in tone; 12 were neutral in tone."
    )


def test_visible_ids_follow_the_scope(seeded):
    from upstream.store.accounts import Accounts, Scope
    from upstream.store.visibility import ScopedEvidence

    store = Store(seeded.db)
    try:
        workspace = next(
            store.workspace(w.name) for w in store.workspaces() if w.id == seeded.workspace_id
        )
        everything = set(seeded.items.values()) | {10**9}
        org_id = next(
            m.organisation_id
            for m in Accounts(store).members(workspace)
            if m.email == "anna@northmoor.gov.uk"
        )
        seen = ScopedEvidence(workspace, Scope(organisation_id=org_id)).visible_ids(everything)
        assert seen == {
            seeded.items["north-shared"],
            seeded.items["north-private"],
            seeded.items["south-shared"],
        }
        assert ScopedEvidence(workspace, Scope(see_all=True)).visible_ids(everything) == set(
            seeded.items.values()
        )
    finally:
        store.close()


def test_a_theme_of_hidden_items_shows_no_words_from_them():
    from dataclasses import replace

    from upstream.store.theme_visibility import UNNAMED
    from upstream.web.routes.themes import theme_view

    theme = StoredTheme(
        id=1,
        run_id=1,
        number=0,
        parent_number=None,
        label="Depot strike",
        keywords=["strike"],
        details={
            "size": 12,
            "quotes": [{"item_id": 7, "text": "Strike planned"}, {"item_id": 8, "text": "Open"}],
            "stance": {"sides": {"against": 8, "neutral": 4}},
        },
        item_ids=(7, 8, 9),
    )
    assert theme_view(theme, set())["hidden"] is True
    assert theme_view(theme, set())["quotes"] == []
    partly = theme_view(theme, {8})
    assert partly["hidden"] is False and partly["seen"] == 1
    assert [q["text"] for q in partly["quotes"]] == ["Open"]
    assert partly["stance"] == (
        "On depot strike: some items were negative in tone; others were neutral in tone. "
        "How many is not shown, since some of these groups are fewer than 10."
    )
    # A name withheld from the reader is not used to say what the split is about.
    unnamed = theme_view(replace(theme, label=UNNAMED), {8})
    assert unnamed["stance"].startswith("Some items were negative in tone; others were neutral")
    # How fewer than 10 people divide is not said: it would count them one by one.
    small = replace(theme, details={**theme.details, "size": 3})
    assert theme_view(small, {8})["stance"] == ""


def test_people_are_counted_only_as_far_as_the_evidence_names_them():
    from upstream.web.routes.theme_export import _people_cell
    from upstream.web.routes.themes import people_figure

    # Every item names who wrote it: 14 people wrote the 20 items.
    assert people_figure({"respondents": 14, "unnamed": 0}, 20) == {"count": "14", "note": ""}
    # Three items do not: each counts as one person, and the figure says so.
    assert people_figure({"respondents": 14, "unnamed": 3}, 20) == {
        "count": "14",
        "note": "including fewer than 10 items that do not say who wrote them, "
        "each counted as one person",
    }
    # None does: the count of people is not known, and is not shown.
    assert people_figure({"respondents": 20, "unnamed": 20}, 20) is None
    # A run kept before authors were counted shows the figure as it was kept.
    assert people_figure({"respondents": 20}, 20) == {"count": "20", "note": ""}
    assert people_figure({"respondents": 4, "unnamed": 0}, 20) == {
        "count": "fewer than 10",
        "note": "",
    }

    def sub(id_: int, size: int, respondents: int) -> StoredTheme:
        details = {"size": size, "respondents": respondents, "unnamed": 0}
        return StoredTheme(
            id=id_, run_id=1, number=id_, parent_number=1, label=f"Part {id_}",
            keywords=[], details=details, item_ids=tuple(range(size)),
        )  # fmt: skip

    # A sub-theme whose size is withheld has its people withheld too: here they are as
    # many as its items, and would give its size (and its small sibling's) away.
    assert _people_cell(sub(2, 25, 25), {2}) == "not shown"
    assert _people_cell(sub(3, 25, 25), set()) == "25"
    unknown = sub(4, 25, 25)
    unknown.details["unnamed"] = 25
    assert _people_cell(unknown, set()) == "not recorded"


def test_a_withheld_sub_themes_own_page_withholds_its_size(
    seeded, client_for: Callable[[str], TestClient]
) -> None:
    from upstream.records.themes import Theme

    w = seeded.workspace_id
    add_replies(seeded.db, w, [(f"{BUSES[n % 8]} ({n})", NORTH, True) for n in range(45)])

    def theme(number: int, members: range, parent: int | None = None, **more: object) -> Theme:
        return Theme(
            id=number, label=f"Buses {number}", keywords=("bus",), size=len(members),
            respondents=len(members), organisations=(NORTH,), engagement_size=None,
            quotes=(), members=tuple(members), parent=parent, unnamed=len(members),
            **more,  # type: ignore[arg-type]
        )  # fmt: skip

    # A theme of 45 holds sub-themes of 25, 14 and 6: the 6 reads "fewer than 10", so
    # the 14 is withheld too, on the theme's page and on its own.
    parts = (theme(0, range(25), 0), theme(1, range(25, 39), 0), theme(2, range(39, 45), 0))
    store = Store(seeded.db)
    try:
        workspace = next(store.workspace(x.name) for x in store.workspaces() if x.id == w)
        ids = sorted(i.id for i in workspace.items())
        themes = ThemeStore(workspace)
        themes.save_run(
            [theme(0, range(45), subthemes=parts)], ids,
            parameters={}, versions={}, seed=0, summary={"items": 45},
        )  # fmt: skip
        stored = {t.number: t.id for t in themes.themes() if t.parent_number is not None}
    finally:
        store.close()
    owner = client_for("owner@network.org")
    withheld = owner.get(f"/w/{w}/themes/{stored[1]}").text
    assert "Not shown: with its theme's size" in withheld
    assert "14 in the whole run" not in withheld and "14 items you can see" not in withheld
    shown = owner.get(f"/w/{w}/themes/{stored[0]}").text
    assert "25 in the whole run" in shown and "Not shown: with its theme's size" not in shown
    small = owner.get(f"/w/{w}/themes/{stored[2]}").text
    assert "fewer than 10 in the whole run" in small
    # Its list of items says so too, rather than "6 items you can see".
    assert "Fewer than 10 items you can see." in small and "6 items" not in small
    assert "25 items you can see." in shown


def test_themes_keep_their_numbers_and_the_page_says_why_some_are_missing(
    seeded, client_for: Callable[[str], TestClient]
) -> None:
    from upstream.records.themes import Theme

    w = seeded.workspace_id
    add_replies(seeded.db, w, [(f"{BUSES[n % 8]} ({n})", NORTH, True) for n in range(36)])

    def theme(position: int, number: int, members: range) -> Theme:
        return Theme(
            id=position, label=f"Buses {number + 1}", keywords=("bus",), size=len(members),
            respondents=len(members), organisations=(NORTH,), engagement_size=None,
            quotes=(), members=tuple(members), unnamed=len(members), number=number,
        )  # fmt: skip

    # Themes 2 and 4 were merged away: the run holds themes 1, 3 and 5.
    store = Store(seeded.db)
    try:
        workspace = next(store.workspace(x.name) for x in store.workspaces() if x.id == w)
        ids = sorted(i.id for i in workspace.items())
        themes = ThemeStore(workspace)
        run_id = themes.save_run(
            [theme(0, 0, range(10)), theme(1, 2, range(10, 22)), theme(2, 4, range(22, 36))],
            ids, parameters={}, versions={}, seed=0,
            summary={"items": 36, "lineage": {"merged_into": {"1": 0}, "came_from": {"4": 2}}},
        )  # fmt: skip
        stored = {t.code: t.id for t in themes.themes(run_id)}
    finally:
        store.close()
    assert sorted(stored) == ["1", "3", "5"]
    owner = client_for("owner@network.org")
    page = owner.get(f"/w/{w}/themes?run={run_id}").text
    for code in ("1", "3", "5"):
        assert f"Theme {code}: Buses {code}" in page
    assert "Theme 2:" not in page and "Theme 4:" not in page
    assert "Each theme keeps its number from run to run." in page
    assert "Theme 2 was merged into theme 1. Theme 4 was not found again." in page
    assert "split off theme 3</span>" in page
    # Listed by number unless asked otherwise; by items, the largest (theme 5) leads.
    assert page.index("Theme 1: Buses 1") < page.index("Theme 3: Buses 3") < page.index("Theme 5:")
    by_size = owner.get(f"/w/{w}/themes?run={run_id}&order=items").text
    assert by_size.index("Theme 5:") < by_size.index("Theme 3:") < by_size.index("Theme 1:")
    assert "<h1>Theme 3: Buses 3</h1>" in owner.get(f"/w/{w}/themes/{stored['3']}").text


def test_most_cited_names_ranking_and_an_engagement_threshold(
    seeded, client_for: Callable[[str], TestClient], web
):
    w = seeded.workspace_id
    cited = [
        ("Our team learned a lot from Buurtzorg about small teams", NORTH, True),
        ("Try the way Buurtzorg nurses organise the buses of care", SOUTH, True),
        ("Parking wardens could work like Buurtzorg teams do", NORTH, True),
    ]
    private = [
        ("Parking review under Project Kestrel is confidential", SOUTH, False),
        ("Bus changes under Project Kestrel start in May", SOUTH, False),
    ]
    add_replies(seeded.db, w, first_replies() + cited + private)
    anna = client_for("anna@northmoor.gov.uk")
    ben = client_for("ben@southvale.gov.uk")
    start(ben, web, w, n_themes="3")

    page = anna.get(f"/w/{w}/themes")
    assert "Most cited names and links" in page.text
    # Nobody is known to have written more than one reply: replies are counted, not people.
    row = re.search(r"<tr><td>Buurtzorg</td><td>(\d+)</td>", page.text)
    assert row is not None and row.groups() == ("3",), page.text
    said = " ".join(page.text.split())
    assert "(the evidence does not say who wrote each reply, so people are not counted)" in said
    # Another organisation's private words are never counted for Anna.
    assert "Kestrel" not in page.text
    assert "Project Kestrel" in ben.get(f"/w/{w}/themes").text

    ranked = anna.get(f"/w/{w}/themes", params={"order": "organisations"})
    assert ranked.status_code == 200 and '<option value="organisations" selected' in ranked.text
    unknown = anna.get(f"/w/{w}/themes", params={"order": "nonsense"})
    assert unknown.status_code == 200 and '<option value="number" selected' in unknown.text

    # Only replies with at least one reaction: none have any, so nothing is left to theme.
    token = web.page_csrf(ben, f"/w/{w}/themes")
    refused = ben.post(
        f"/w/{w}/themes/run",
        data={"evidence": "all", "embedder": "hashing", "csrf_token": token, "min_engagement": "x"},
    )
    assert refused.status_code == 400 and "whole number, such as 20" in refused.text


def test_a_roundtable_is_one_choice_and_its_themes_cover_every_response(
    seeded, client_for: Callable[[str], TestClient], web
) -> None:
    """Ten partners' responses are ten sources of one name: one choice, all of them themed."""
    name = "Roundtable: what helps prevention"
    texts = [
        "Shared budgets with health let us fund early help",
        "Trusted local relationships made the difference for families",
        "Data sharing agreements took far too long to sign",
    ]
    with Store(seeded.db) as store, store.workspace("Learning Network").writer() as writer:
        for n in range(12):
            source = writer.add_source(name, kind="roundtable", imported_by="owner@network.org")
            writer.insert_items(
                source,
                [ItemDraft(text=f"{texts[n % 3]} (partner {n})", line=2)],
                shared=True,
            )
    owner = client_for("owner@network.org")
    w = seeded.workspace_id
    page = owner.get(f"/w/{w}/themes").text
    options = re.findall(r'value="(source:\d+)">([^<]*what helps prevention[^<]*)</option>', page)
    assert len(options) == 1, options
    value = options[0]
    start(owner, web, w, evidence=value[0])
    themed = {i for t in latest(seeded.db, w) for i in t.item_ids}
    with Store(seeded.db) as store:
        responses = [
            i.id for i in store.workspace("Learning Network").items() if "partner" in i.text
        ]
    assert len(responses) == 12
    unassigned = 12 - len(themed & set(responses))
    assert len(themed & set(responses)) >= 10 and unassigned <= 2
    assert themed <= set(responses)


def test_likes_are_shown_and_exported_theme_by_theme(
    seeded, client_for: Callable[[str], TestClient], web
) -> None:
    w = seeded.workspace_id
    rows = [(text, org) for text, org, shared in first_replies() if shared]
    likes = {text: 3 * n + 1 for n, (text, _) in enumerate(rows)}
    store = Store(seeded.db)
    workspace = next(store.workspace(s.name) for s in store.workspaces() if s.id == w)
    with workspace.writer() as writer:
        source = writer.add_source("liked.csv", kind="consultation replies")
        drafts = [
            ItemDraft(
                text=text,
                line=n + 2,
                organisation=org,
                engagement={"likes": likes[text]},
                external_id=f"C{n:04d}",
            )
            for n, (text, org) in enumerate(rows)
        ]
        writer.insert_items(source, drafts, shared=True)
    texts = {item.id: item.text for item in workspace.items()}
    store.close()
    owner = client_for("owner@network.org")
    start(owner, web, w, n_themes="3")
    page = owner.get(f"/w/{w}/themes").text
    assert "likes and other reactions" in page and "weighted by engagement" not in page
    assert "they do not change which replies go together" in page
    exported = list(
        csv.DictReader(io.StringIO(owner.get(f"/w/{w}/themes/export.csv").text.lstrip("\ufeff")))
    )
    assert exported and all("likes and reactions" in row for row in exported)
    for row in exported:
        ids = [int(i) for i in row["item_ids"].split()]
        # Each theme's reactions are its items' likes (items without likes add none);
        # a theme none of whose items carry reactions leaves the column empty.
        expected = sum(likes.get(texts.get(i, ""), 0) for i in ids)
        given = row["likes and reactions"].replace(",", "")
        assert (int(given) if given else 0) == expected
    assert any(row["likes and reactions"] for row in exported)
    # The report to hand on carries the likes too, and follows the page's ranking by them.
    page = owner.get(f"/w/{w}/themes?order=engagement").text
    run_id = latest(seeded.db, w)[0].run_id
    link = f"/themes/report?run={run_id}&amp;format=pdf&amp;order=engagement"
    assert link in page
    report = owner.get(f"/w/{w}/themes/report?run={run_id}&format=html&order=engagement").text
    said = " ".join(report.split())
    assert "Likes and other reactions</th>" in said
    assert "Themes are listed by the likes and other reactions on their replies." in said
    by_likes = sorted(
        (row for row in exported if row["label"] != OTHER_LABEL and "." not in row["theme"]),
        key=lambda row: -int(row["likes and reactions"].replace(",", "") or 0),
    )
    positions = [said.index(f"<h2>{row['label']}</h2>") for row in by_likes]
    assert positions == sorted(positions)
    first = by_likes[0]
    assert f"with {first['likes and reactions']} likes and other reactions on them" in said
    # A theme's own page lists its most-liked replies first, with their likes.
    theme = next(t for t in latest(seeded.db, w) if t.parent_number is None and t.size > 1)
    own = " ".join(owner.get(f"/w/{w}/themes/{theme.id}").text.split())
    assert "Those with most likes and other reactions come first." in own
    members = own[own.index('id="members"') :]
    listed = [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', members)]
    assert listed == sorted(listed, reverse=True) and len(listed) >= 2
    # Replies are known by the evidence's own references, in the list and on the quotes.
    assert "Their reference</th>" in members and re.search(r"<td>C\d{4}</td>", members)
    assert "Organisation</th>" in members  # these replies name their councils
    assert re.search(r'/evidence/\d+">C\d{4}</a>', own)


def test_the_export_withholds_the_sub_theme_sizes_the_page_withholds():
    from upstream.web.routes.themes import _covered, covered_subthemes

    def theme(id_: int, number: int, parent: int | None, size: int) -> StoredTheme:
        return StoredTheme(
            id=id_, run_id=1, number=number, parent_number=parent, label=f"Theme {id_}",
            keywords=[], details={"size": size}, item_ids=tuple(range(size)),
        )  # fmt: skip

    # Theme 1 (45 items) holds sub-themes of 25, 14 and 6: the 6 reads "fewer than
    # 10", so the 14 is withheld too, or 45 - 25 - 14 would give the 6 away.
    themes = [
        theme(1, 1, None, 45), theme(2, 1, 1, 25), theme(3, 2, 1, 14), theme(4, 3, 1, 6),
        theme(5, 2, None, 30), theme(6, 1, 2, 18), theme(7, 2, 2, 12),
    ]  # fmt: skip
    on_page = _covered([{"theme": t} for t in themes if t.parent_number == 1])
    on_page |= _covered([{"theme": t} for t in themes if t.parent_number == 2])
    assert on_page == {3}
    assert covered_subthemes(themes) == on_page


def test_the_themes_of_one_kind_of_voice(seeded, client_for: Callable[[str], TestClient], web):
    """A convener can theme the network's own notes without the public's replies."""
    w = seeded.workspace_id
    add_replies(seeded.db, w, first_replies())
    owner = client_for("owner@network.org")
    page = owner.get(f"/w/{w}/themes").text
    assert '<option value="types:residents">What residents said</option>' in page
    assert '<option value="types:network">What network members said</option>' in page
    start(owner, web, w, evidence="types:network", n_themes="2")
    store = Store(seeded.db)
    try:
        workspace = next(store.workspace(x.name) for x in store.workspaces() if x.id == w)
        kinds = {s.id: s.kind for s in workspace.sources()}
        source_of = {i.id: i.source_id for i in workspace.items()}
        themed = {i for t in ThemeStore(workspace).themes() for i in t.item_ids}
    finally:
        store.close()
    assert themed and {kinds[source_of[i]] for i in themed} == {"visit notes"}
    again = owner.get(f"/w/{w}/themes").text
    assert "What network members said" in again
    # The form starts on the evidence the newest run themed, so a re-run themes it again.
    assert '<option value="types:network" selected>What network members said</option>' in again
    assert '<option value="all" selected>' not in again
    # A kind of voice not offered is refused, not read as "everything".
    token = web.page_csrf(owner, f"/w/{w}/themes")
    refused = owner.post(
        f"/w/{w}/themes/run",
        data={"evidence": "types:partners", "embedder": "hashing", "csrf_token": token},
        follow_redirects=False,
    )
    assert refused.status_code == 400


def test_the_command_line_themes_one_kind_of_voice_as_the_web_app_does(
    seeded, client_for: Callable[[str], TestClient], web, tmp_path
):
    """`upstream themes --db --voice network` themes what the form's choice themes, alike."""
    w = seeded.workspace_id
    add_replies(seeded.db, w, first_replies())
    owner = client_for("owner@network.org")
    start(owner, web, w, evidence="types:network", n_themes="2")
    through_the_web = latest(seeded.db, w)
    with Store(seeded.db) as store:
        name = next(x.name for x in store.workspaces() if x.id == w)
        web_run = ThemeStore(store.workspace(name)).latest_run()
    common = ["themes", "--db", seeded.db, "--workspace", name, "--embedder", "hashing"]
    result = CliRunner().invoke(
        cli, [*common, "--themes", "2", "--voice", "network", "--output", str(tmp_path / "t.csv")]
    )
    assert result.exit_code == 0, result.output
    through_the_command_line = latest(seeded.db, w)
    with Store(seeded.db) as store:
        cli_run = ThemeStore(store.workspace(name)).latest_run()
    assert web_run is not None and cli_run is not None and cli_run.id != web_run.id
    assert [(t.label, set(t.item_ids)) for t in through_the_command_line] == [
        (t.label, set(t.item_ids)) for t in through_the_web
    ]
    assert cli_run.summary["evidence"] == web_run.summary["evidence"]
    assert web_run.summary["evidence"] == "What network members said"
    # A kind of voice the workspace does not hold is refused, not read as "everything".
    refused = CliRunner().invoke(
        cli, [*common, "--voice", "partners", "--output", str(tmp_path / "u.csv")]
    )
    assert refused.exit_code != 0
    assert "holds no evidence from partners" in refused.output
    unknown = CliRunner().invoke(
        cli, [*common, "--voice", "councillors", "--output", str(tmp_path / "v.csv")]
    )
    assert unknown.exit_code != 0
    assert "'councillors' is not a kind of voice" in unknown.output


def test_one_kind_of_evidence_gathers_its_files_on_the_form_and_the_command_line(
    seeded, client_for: Callable[[str], TestClient], web, tmp_path
):
    """May's replies and June's, imported apart, are themed together, alike from both doors."""
    w = seeded.workspace_id
    add_replies(seeded.db, w, first_replies())
    june = [(text, NORTH, True) for group in (BUSES, PARKING, TREES) for text in group[6:]]
    add_replies(seeded.db, w, june)
    owner = client_for("owner@network.org")
    page = owner.get(f"/w/{w}/themes").text
    option = '<option value="kind:consultation replies">The consultation replies from 2 sources'
    assert option in page
    start(owner, web, w, evidence="kind:consultation replies", n_themes="3")
    through_the_web = latest(seeded.db, w)
    with Store(seeded.db) as store:
        name = next(x.name for x in store.workspaces() if x.id == w)
        workspace = store.workspace(name)
        replies = {s.id for s in workspace.sources() if s.kind == "consultation replies"}
        wanted = {i.id for i in workspace.items() if i.source_id in replies}
        web_run = ThemeStore(workspace).latest_run()
    themed = {i for t in through_the_web for i in t.item_ids}
    assert len(replies) == 2 and themed and themed <= wanted
    assert themed & {i for i in wanted if i > max(wanted) - len(june)}, "June's replies are in"
    assert web_run is not None
    assert web_run.summary["evidence"] == "The consultation replies from 2 sources"
    themes_page = owner.get(f"/w/{w}/themes").text
    assert f"{option.replace('>', ' selected>', 1)}" in themes_page
    # The run says which sources it gathered.
    assert re.search(
        r"<dd>The consultation replies from 2 sources \(replies-\d+\.csv and replies-\d+\.csv\):",
        themes_page,
    )
    common = ["themes", "--db", seeded.db, "--workspace", name, "--embedder", "hashing"]
    result = CliRunner().invoke(
        cli,
        [*common, "--themes", "3", "--kind", "consultation replies", "--output",
         str(tmp_path / "t.csv")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert [(t.label, set(t.item_ids)) for t in latest(seeded.db, w)] == [
        (t.label, set(t.item_ids)) for t in through_the_web
    ]
    unknown = CliRunner().invoke(
        cli, [*common, "--kind", "petitions", "--output", str(tmp_path / "u.csv")]
    )
    assert unknown.exit_code != 0
    assert "No source holds evidence of the kind 'petitions'" in unknown.output


def test_the_home_page_keeps_the_networks_themes_over_one_organisations(
    seeded, client_for: Callable[[str], TestClient], web
):
    """A council theming its own items does not take over everyone's home page."""
    w = seeded.workspace_id
    add_replies(seeded.db, w, first_replies())
    owner = client_for("owner@network.org")
    start(owner, web, w, evidence="all", n_themes="3")
    everything = latest(seeded.db, w)
    start(owner, web, w, evidence="org:Northmoor Council", n_themes="2")
    home = " ".join(owner.get(f"/w/{w}").text.split())
    assert "From the latest theme run, over: all the evidence" in home
    assert "over: items from Northmoor Council" not in home
    assert any(t.label in home for t in everything if t.label != OTHER_LABEL)


def test_a_run_s_result_counts_replies_below_the_likes_threshold_apart_from_spam(seeded) -> None:
    from upstream.store.account_models import Scope
    from upstream.store.visibility import ScopedEvidence
    from upstream.web.theme_jobs import _outcome
    from upstream.workflows.overview import theme_run_covers

    store = Store(seeded.db)
    try:
        workspace = next(
            store.workspace(x.name) for x in store.workspaces() if x.id == seeded.workspace_id
        )
        ids = sorted(i.id for i in workspace.items())
        aside = [
            {"item_id": ids[0], "reasons": ["advert"]},
            {"item_id": ids[1], "reasons": ["fewer than 20 likes"], "label": "below the threshold"},
            {"item_id": ids[2], "reasons": ["fewer than 20 likes"], "label": "below the threshold"},
        ]
        run = ThemeStore(workspace).save_run(
            [], ids, parameters={}, versions={}, seed=0,
            summary={
                "items": 0, "set_aside": aside, "min_engagement": 20,
                "evidence": "Items from the consultation",
            },
        )  # fmt: skip
        result = _outcome(workspace, run)
        covers = theme_run_covers(ScopedEvidence(workspace, Scope(see_all=True)), run)
    finally:
        store.close()
    assert (result["set_aside"], result["below_engagement"]) == (1, 2)
    assert result["min_engagement"] == 20
    # The start page says the themes are those of the most-liked replies only.
    assert covers == (
        "Items from the consultation, only replies with at least 20 likes and other reactions"
    )


def test_one_name_of_many_sources_is_not_offered_again_as_a_kind(
    seeded, client_for: Callable[[str], TestClient]
):
    """A roundtable keeps each participant's notes as a source under one name: one choice."""
    w = seeded.workspace_id
    store = Store(seeded.db)
    workspace = next(store.workspace(x.name) for x in store.workspaces() if x.id == w)
    with workspace.writer() as writer:
        for n, text in enumerate(BUSES[:3]):
            source = writer.add_source("Roundtable ‘Buses’ responses", kind="roundtable")
            writer.insert_items(source, [ItemDraft(text=text, line=n + 2)], shared=True)
    store.close()
    page = client_for("owner@network.org").get(f"/w/{w}/themes").text
    assert page.count(">Roundtable ‘Buses’ responses</option>") == 1
    assert 'value="kind:roundtable"' not in page


def test_the_form_starts_on_the_whole_kind_once_more_of_it_has_arrived(
    seeded, client_for: Callable[[str], TestClient], web
):
    """Themed May's replies alone, then June's arrived: the next run starts on both."""
    w = seeded.workspace_id
    add_replies(seeded.db, w, first_replies())
    owner = client_for("owner@network.org")
    with Store(seeded.db) as store:
        name = next(x.name for x in store.workspaces() if x.id == w)
        sources = store.workspace(name).sources()
        may = next(s.id for s in sources if s.kind == "consultation replies")
    start(owner, web, w, evidence=f"source:{may}", n_themes="3")
    page = owner.get(f"/w/{w}/themes").text
    assert f'<option value="source:{may}" selected>' in page, "nothing new: the same source"
    june = [(text, NORTH, True) for group in (BUSES, PARKING, TREES) for text in group[6:]]
    add_replies(seeded.db, w, june)
    page = owner.get(f"/w/{w}/themes").text
    assert '<option value="kind:consultation replies" selected>' in page
    assert f'<option value="source:{may}" selected>' not in page


def test_a_theme_run_downloads_as_a_report_to_hand_on(seeded, client_for, web):
    """The run on the page, as the reader may see it: the question, the themes, quotes."""
    w = seeded.workspace_id
    add_replies(seeded.db, w, first_replies())
    store = Store(seeded.db)
    try:
        workspace = next(store.workspace(x.name) for x in store.workspaces() if x.id == w)
        with workspace.writer() as writer:
            (source,) = [s.id for s in workspace.sources() if s.name.startswith("replies-")]
            writer.update_source(source, options={"question": "What would make the town better?"})
    finally:
        store.close()
    anna = client_for("anna@northmoor.gov.uk")
    start(anna, web, w, n_themes="3")
    themes = latest(seeded.db, w)
    run_id = themes[0].run_id
    assert f"/themes/report?run={run_id}&amp;format=pdf" in anna.get(f"/w/{w}/themes").text

    page = anna.get(f"/w/{w}/themes/report?run={run_id}&format=html")
    assert page.status_code == 200
    assert page.headers["content-disposition"].startswith("attachment;")
    html = page.text
    assert "<h1>What would make the town better?</h1>" in html
    for theme in themes:
        if theme.label != OTHER_LABEL:
            assert f"<h2>{theme.label}</h2>" in html
    assert "fewer than 10" in html  # small themes are not counted one by one
    # Southvale's private replies count in the sizes but are never quoted to Northmoor.
    assert all(secret not in html for secret in SOUTH_SECRET)

    pdf = anna.get(f"/w/{w}/themes/report?run={run_id}&format=pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert anna.get(f"/w/{w}/themes/report?run={run_id}&format=doc").status_code == 400
    assert anna.get(f"/w/{w}/themes/report?run=999999").status_code == 404
    # Someone who may not export gets no document.
    cara = client_for("cara@northmoor.gov.uk")
    assert cara.get(f"/w/{w}/themes/report?run={run_id}").status_code == 403


def test_theming_other_evidence_leaves_the_first_runs_themes_editable(seeded, client_for, web):
    """A survey's last question themed after its main one starts a line of its own."""
    w = seeded.workspace_id
    add_replies(seeded.db, w, first_replies())
    other = [(f"Thank you for asking us, note {n}", NORTH, True) for n in range(12)]
    add_replies(seeded.db, w, other)
    store = Store(seeded.db)
    try:
        workspace = next(store.workspace(x.name) for x in store.workspaces() if x.id == w)
        first, second = sorted(s.id for s in workspace.sources() if s.name.startswith("replies-"))
    finally:
        store.close()
    anna = client_for("anna@northmoor.gov.uk")
    start(anna, web, w, evidence=f"source:{first}", n_themes="3")
    main = latest(seeded.db, w)[0]
    token = web.page_csrf(anna, f"/w/{w}/themes/{main.id}")
    renamed = anna.post(
        f"/w/{w}/themes/{main.id}/rename",
        data={"label": "Buses on the main road", "csrf_token": token},
        follow_redirects=False,
    )
    assert renamed.status_code == 303
    done = start(anna, web, w, evidence=f"source:{second}", n_themes="2")
    other_run = latest(seeded.db, w)[0].run_id
    assert other_run != main.run_id
    # The main question's rename is not tried on the other question, nor listed there.
    assert "no longer matched" not in done
    assert "Buses on the main road" not in anna.get(f"/w/{w}/themes?run={other_run}").text
    assert "Buses on the main road" in anna.get(f"/w/{w}/themes?run={main.run_id}").text
    page = anna.get(f"/w/{w}/themes/{main.id}").text
    # Still the theme to rename and split: nothing since was about the same replies.
    assert "as run" not in page and "Rename and split themes there" not in page
    assert f"/themes/{main.id}/rename" in page and f"/themes/{main.id}/split" in page


def test_the_form_starts_on_a_file_imported_since_that_nobody_has_themed(seeded, client_for, web):
    w = seeded.workspace_id
    add_replies(seeded.db, w, first_replies())
    anna = client_for("anna@northmoor.gov.uk")
    start(anna, web, w, n_themes="3")
    add_replies(
        seeded.db, w, [(f"Survey answer {n}: more benches", NORTH, True) for n in range(12)]
    )
    store = Store(seeded.db)
    try:
        workspace = next(store.workspace(x.name) for x in store.workspaces() if x.id == w)
        survey = max(s.id for s in workspace.sources())
    finally:
        store.close()
    page = anna.get(f"/w/{w}/themes").text
    assert re.search(rf'<option value="source:{survey}" selected', page)
    # The themes shown below are the earlier run's, and the page says so.
    said = " ".join(page.split())
    assert "chosen above, has not been themed yet: choose “Find themes” to theme it." in said


def test_a_new_file_of_the_same_kind_but_another_shape_is_not_taken_for_an_instalment(
    seeded, client_for, web
):
    """A survey also called "consultation replies" is not more of the social media replies."""
    w = seeded.workspace_id
    add_replies(seeded.db, w, first_replies())
    store = Store(seeded.db)
    try:
        workspace = next(store.workspace(x.name) for x in store.workspaces() if x.id == w)
        (replies,) = [s.id for s in workspace.sources() if s.name.startswith("replies-")]
    finally:
        store.close()
    anna = client_for("anna@northmoor.gov.uk")
    start(anna, web, w, evidence=f"source:{replies}", n_themes="3")
    add_replies(
        seeded.db, w, [(f"Survey answer {n}: more benches", NORTH, True) for n in range(12)]
    )
    store = Store(seeded.db)
    try:
        workspace = next(store.workspace(x.name) for x in store.workspaces() if x.id == w)
        first, survey = sorted(s.id for s in workspace.sources() if s.name.startswith("replies-"))
        with workspace.writer() as writer:
            writer.update_source(first, options={"columns": ["reply_id", "ward", "text"]})
            writer.update_source(survey, options={"columns": ["Respondent ID", "Your answer?"]})
    finally:
        store.close()
    page = anna.get(f"/w/{w}/themes").text
    assert re.search(rf'<option value="source:{survey}" selected', page)
    # The themes shown below are the earlier run's, and the page says so.
    said = " ".join(page.split())
    assert "chosen above, has not been themed yet: choose “Find themes” to theme it." in said
    assert not re.search(r'<option value="kind:[^"]*" selected', page)


def test_the_report_of_a_survey_question_counts_people_and_blank_answers(
    seeded, client_for, web, tmp_path
):
    from upstream.workflows.ingest import ImportOptions, import_file

    w = seeded.workspace_id
    asked = "What one change would make the town better?"
    said = [
        t for group in (BUSES, PARKING, TREES) for t in [*group, *(f"{x} too" for x in group[:4])]
    ]
    rows = [[f"R{n}", text] for n, text in enumerate(said)]
    rows += [[f"R{100 + n}", ""] for n in range(12)]  # twelve people left it blank
    path = tmp_path / "survey.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["Respondent ID", asked], *rows])
    with Store(seeded.db) as store:
        name = next(x.name for x in store.workspaces() if x.id == w)
        options = ImportOptions(
            workspace=name, text_column=asked, respondent_column="Respondent ID",
            organisation=NORTH, shared=True,
        )  # fmt: skip
        result = import_file(store, path, options)
    assert result.blank == 12
    anna = client_for("anna@northmoor.gov.uk")
    start(anna, web, w, evidence=f"source:{result.source_id}", n_themes="3")
    run_id = latest(seeded.db, w)[0].run_id
    html = anna.get(f"/w/{w}/themes/report?run={run_id}&format=html").text
    answered = len(said)
    assert f"<h1>{asked}</h1>" in html
    print(re.findall(r"<p>[^<]*replies were sorted[^<]*</p>", html))
    assert f"{answered} people's replies were sorted into 3 themes" in html
    assert f"Of the {answered + 12} responses in the file, 12 left this question blank." in html
    assert "Share of people" in html and re.search(r'<td class="num">\d+%</td>', html)
