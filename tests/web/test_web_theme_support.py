"""Only the most-liked replies in each theme: a view of a run, on its pages and its report."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient

from upstream.policy import FEWER_THAN
from upstream.records.drafts import ItemDraft
from upstream.records.stored import ItemRecord
from upstream.store import Store
from upstream.store.theme_repository import StoredTheme, ThemeStore
from upstream.workflows.theme_support import NOT_SHOWN, read_least, support_by_theme

from .test_web_themes import start

SUBJECTS = {
    "buses": [
        "The number {n} bus never turns up on time in the morning",
        "Buses to the hospital stop running after six, route {n} included",
        "Bring back the bus route {n} through the estate",
        "Bus fares went up again on route {n} and the service got worse",
        "Route {n} buses are too crowded for pushchairs and wheelchairs",
    ],
    "parking": [
        "Parking charges in the centre are far too high, bay {n} costs a fortune",
        "Free parking for the first hour would bring shoppers back to car park {n}",
        "Car park {n} is full by nine and there is nowhere else to park",
        "Residents' parking permits in zone {n} cost more every year",
        "Parking wardens ticket people unloading shopping on street {n}",
    ],
    "trees": [
        "Plant more trees along avenue {n}, it has no shade in summer",
        "The old oak trees in park {n} should be protected, not felled",
        "Street trees on road {n} were cut down and never replaced",
        "More trees and hedges in park {n} would help the birds",
        "Tree roots on path {n} lift the paving, but keep the trees",
    ],
}


def likes_for(subject: str, n: int) -> int:
    """Parking replies are liked most, buses some, trees not at all."""
    return {"buses": 3 * n, "parking": 100 + n, "trees": 0}[subject]


def liked_workspace(db: str, workspace_id: int) -> dict[str, int]:
    """Store 25 replies on each of three subjects with their likes; return likes by text."""
    store = Store(db)
    workspace = next(store.workspace(w.name) for w in store.workspaces() if w.id == workspace_id)
    likes: dict[str, int] = {}
    drafts = []
    for subject, templates in SUBJECTS.items():
        for n in range(25):
            text = templates[n % 5].format(n=n + 1)
            likes[text] = likes_for(subject, n)
            drafts.append(
                ItemDraft(
                    text=text,
                    line=len(drafts) + 2,
                    engagement={"likes": likes[text]},
                    external_id=f"R{len(drafts):03d}",
                )
            )
    with workspace.writer() as writer:
        source = writer.add_source("liked.csv", kind="consultation replies")
        writer.insert_items(source, drafts, shared=True)
    store.close()
    return likes


def top_themes(db: str, workspace_id: int) -> tuple[list[StoredTheme], dict[int, str]]:
    store = Store(db)
    try:
        workspace = next(
            store.workspace(w.name) for w in store.workspaces() if w.id == workspace_id
        )
        texts = {item.id: item.text for item in workspace.items()}
        themes = [t for t in ThemeStore(workspace).themes() if t.parent_number is None]
        return themes, texts
    finally:
        store.close()


def expected_shown(
    theme: StoredTheme, texts: dict[int, str], likes: dict[str, int], least: int
) -> str:
    """What the page should say for a theme, by the small-group rules."""
    counts = [likes.get(texts[i], 0) for i in theme.item_ids]
    supported = sum(1 for c in counts if c >= least)
    rest = len(counts) - supported
    if 0 < supported < 10:
        return FEWER_THAN
    if 0 < rest < 10 and supported:
        return NOT_SHOWN
    return f"{supported:,}"


def test_the_view_counts_only_the_most_liked_replies_and_keeps_the_run_s_themes(
    seeded_sqlite, make_app: Callable[..., FastAPI], web
) -> None:
    w = seeded_sqlite.workspace_id
    likes = liked_workspace(seeded_sqlite.db, w)
    with TestClient(make_app(seeded_sqlite.db)) as owner:
        web.sign_in(owner, "owner@network.org")
        start(owner, web, w, n_themes="3")
        themes, texts = top_themes(seeded_sqlite.db, w)
        before = {t.id: t.label for t in themes}
        page = " ".join(owner.get(f"/w/{w}/themes?least=30&order=items").text.split())
        assert "only the replies with at least 30 likes, most-liked first" in page
        assert 'id="least" name="least" min="1" step="1" value="30"' in page
        # The view changes no theme: a view, not a new run.
        after, _ = top_themes(seeded_sqlite.db, w)
        assert {t.id: t.label for t in after} == before
        supported = {
            t.id: sum(1 for i in t.item_ids if likes.get(texts[i], 0) >= 30) for t in themes
        }
        assert any(supported.values())
        for theme in themes:
            card = re.search(
                rf'id="theme-{theme.id}">(.*?)</li>\s*(?:<li class="theme-card|</ol>)', page
            )
            if not supported[theme.id]:
                # A theme with none of them is named once, apart, not given a card.
                assert card is None
                assert f"theme {theme.code}, " in page[page.index('id="least-note"') :]
                continue
            assert card is not None, theme.label
            said = card.group(1)
            shown = expected_shown(theme, texts, likes, 30)
            if shown == NOT_SHOWN:
                assert "is not shown: the rest would be fewer than 10" in said
            else:
                assert f"<strong>{shown}</strong> of its" in said
            reactions = sum(
                likes.get(texts[i], 0) for i in theme.item_ids if likes.get(texts[i], 0) >= 30
            )
            assert f"<strong>{reactions:,}</strong> likes on them" in said
            # The quotes are its most-liked replies, most-liked first, with their likes.
            quoted = [int(n.replace(",", "")) for n in re.findall(r"\(([\d,]+) likes\)", said)]
            top = sorted((likes.get(texts[i], 0) for i in theme.item_ids), reverse=True)[:3]
            assert quoted == [n for n in top if n >= 30]
        # Across the themes: the most-liked replies, whatever their theme, and their total.
        everything = sorted(
            (likes.get(texts[i], 0) for t in themes for i in t.item_ids), reverse=True
        )
        reaching = [n for n in everything if n >= 30]
        listed = page[page.index('id="most-liked"') : page.index('class="theme-card')]
        in_list = [int(n.replace(",", "")) for n in re.findall(r"\(([\d,]+) likes?;", listed)]
        assert in_list == reaching[:10]
        hidden = sum(
            supported[t.id] for t in themes if not expected_shown(t, texts, likes, 30)[:1].isdigit()
        )
        if hidden == 0 or hidden >= 10:
            assert f"{len(reaching):,} replies, with {sum(reaching):,} likes between them" in page
        else:
            assert "likes between them" not in page[: page.index('id="most-liked"')]
        # Ranked by items, only the supported replies count.
        positions = [
            page.index(f'id="theme-{t.id}"')
            for t in sorted(themes, key=lambda t: -supported[t.id])
            if supported[t.id]
        ]
        assert positions == sorted(positions)
        # The report to hand on follows the view.
        run_id = themes[0].run_id
        assert "format=pdf&amp;order=items&amp;least=30" in page
        report = " ".join(
            owner.get(
                f"/w/{w}/themes/report?run={run_id}&format=html&order=items&least=30"
            ).text.split()
        )
        assert "Replies with at least 30 likes</th>" in report
        assert (
            "the replies with at least 30 likes (or other reactions, such as agrees) are counted"
            in report
        )
        assert "<h3>The most-liked replies</h3>" in report
        assert "Themes are listed by how many of their replies have at least 30 likes." in report
        assert re.search(r"\(\d+ likes; R\d{3}\)</span></blockquote>", report)
        assert "in tone" not in report and "What it holds" not in report
        # The download beside the view carries it too, theme by theme.
        assert f"export.csv?run={run_id}&amp;least=30" in page
        exported = list(
            csv.DictReader(
                io.StringIO(
                    owner.get(f"/w/{w}/themes/export.csv?run={run_id}&least=30").text.lstrip(
                        "\ufeff"
                    )
                )
            )
        )
        for theme in themes:
            row = next(r for r in exported if r["theme"] == str(theme.code))
            assert row["replies with at least 30 likes"] == expected_shown(theme, texts, likes, 30)
        # A theme's own page lists only those replies, most-liked first.
        busiest = max(themes, key=lambda t: supported[t.id])
        own = " ".join(owner.get(f"/w/{w}/themes/{busiest.id}?least=30").text.split())
        members = own[own.index('id="members"') :]
        listed = [int(n) for n in re.findall(r'<td class="num">(\d+)</td>', members)]
        assert listed == sorted(listed, reverse=True)
        assert len(listed) == min(supported[busiest.id], 50) and min(listed) >= 30
        assert "most-liked first" in members and "Show every item" in members
        assert f"themes?run={run_id}&amp;least=30" in own  # back to the same view
        assert "describe every item in this theme" in own
        # With a threshold no reply reaches, every theme is named apart and none has a card.
        none = " ".join(owner.get(f"/w/{w}/themes?least=100000").text.split())
        note = none[none.index('id="least-note"') :]
        assert "No reply in these themes has that many" in note
        assert all(f"theme {t.code}, " in note for t in themes)
        assert 'class="theme-card' not in none and "This run found no themes" not in none
        # Nonsense in the address shows every reply, not an error.
        plain = owner.get(f"/w/{w}/themes?least=lots")
        assert plain.status_code == 200 and 'id="least-note"' not in plain.text


def item(item_id: int, likes: int) -> ItemRecord:
    return ItemRecord(
        id=item_id,
        text=f"reply {item_id}",
        source_id=1,
        organisation=None,
        external_id=None,
        line=item_id + 2,
        author_role=None,
        item_date=None,
        engagement={"likes": likes},
    )


def test_support_withholds_small_groups_and_what_subtraction_would_give_away() -> None:
    members = {
        1: [item(n, 50 + n) for n in range(12)] + [item(100 + n, 0) for n in range(3)],
        2: [item(200 + n, 40) for n in range(4)] + [item(300 + n, 0) for n in range(20)],
        3: [item(400 + n, 90) for n in range(15)] + [item(500 + n, 1) for n in range(15)],
        4: [item(600 + n, 2) for n in range(5)],
    }
    found = support_by_theme(members, 20)
    assert found[1].shown == NOT_SHOWN  # 12 of 15: the 3 others would be worked out
    assert [i.id for i in found[1].replies][:2] == [11, 10]  # most-liked first
    assert found[2].shown == FEWER_THAN and found[2].reactions == 160
    assert found[3].shown == "15" and found[3].counted == 30
    assert found[4].shown == "0" and not found[4].replies


def test_an_address_s_threshold_is_read_leniently() -> None:
    assert read_least("20") == 20 and read_least(" 7.5 ") == 7.5
    assert read_least("") is None and read_least(None) is None
    assert read_least("-3") is None and read_least("0") is None
    assert read_least("nan") is None and read_least("lots") is None and read_least("1e400") is None
