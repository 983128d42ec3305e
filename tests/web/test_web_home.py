"""The workspace home page: holdings, top barriers and enablers, and next steps.

Anna (Northmoor) may see Northmoor's items and Southvale's shared item, never
Southvale's private one; the home page must not count it or quote it.
"""

from __future__ import annotations

import re

from upstream.store import Store
from upstream.store.accounts import Accounts

from .test_web_network import code_evidence  # type: ignore[import-not-found]
from .test_web_themes import (  # type: ignore[import-not-found]
    add_replies,
    first_replies,
    latest,
    start,
)


def test_root_goes_to_the_only_workspace_home(client_for, seeded) -> None:
    anna = client_for("anna@northmoor.gov.uk")
    assert anna.get("/", follow_redirects=False).headers["location"] == f"/w/{seeded.workspace_id}"
    page = anna.get(f"/w/{seeded.workspace_id}").text
    assert page.count("<h1") == 1 and "Learning Network" in page
    nav = page.split('aria-label="Main"', 1)[1].split("</nav>", 1)[0]
    labels = [part.split("</a>", 1)[0].rsplit(">", 1)[-1] for part in nav.split("<a ")[1:]]
    assert labels[:2] == ["Home", "Workspaces"]
    assert "Codes" in labels and "History" in labels
    assert "Coding" not in labels and "Runs" not in labels


def test_holdings_and_barriers_as_the_viewer_may_see_them(client_for, seeded) -> None:
    code_evidence(seeded)
    w = f"/w/{seeded.workspace_id}"
    anna = client_for("anna@northmoor.gov.uk")
    page = anna.get(w).text
    # Anna sees three of the four items, two organisations and one source.
    assert '<span class="stat">3</span> items' in page
    assert '<span class="stat">2</span> organisations' in page
    assert '<span class="stat">1</span> source' in page
    assert "Mar 2024 to Jan 2025" in page  # Southvale's private February item is not hers
    assert "Top barriers" in page and "Top enablers" in page
    assert f'href="{w}/codes/dbe/barrier.procurement"' in page
    assert "Procurement rules slow down our pilots." in page
    assert "Residents co-designed the new youth hub." in page
    assert "fewer than 10" in page  # small groups are never counted exactly
    assert "staff morale" not in page
    # Someone who has come to bring their own file finds where to start from here.
    assert f'<a href="{w}/import">Import a file of your own</a>' in page
    assert f'<a href="{w}/themes">Find themes in it</a>' in page
    viewer = client_for("vic@southvale.gov.uk").get(w).text
    assert "Import a file of your own" not in viewer  # a viewer may not import
    ben = client_for("ben@southvale.gov.uk").get(w).text
    assert "budget gap" not in ben
    quotes = anna.get(f"{w}/codes/dbe/barrier.procurement").text
    assert "Procurement rules slow down our pilots." in quotes


def test_an_empty_workspace_says_where_to_start(client_for, seeded) -> None:
    store = Store(seeded.db)
    try:
        empty = store.workspace("Empty Network", create=True)
        Accounts(store).set_membership(empty, "owner@network.org", "owner")
        empty_id = empty.id
    finally:
        store.close()
    owner = client_for("owner@network.org")
    assert owner.get("/", follow_redirects=False).headers["location"] == "/workspaces"
    page = owner.get(f"/w/{empty_id}").text
    assert f'href="/w/{empty_id}/import">Import a file' in page
    assert f'href="/w/{empty_id}/collections/new">Start a story collection' in page
    viewer = client_for("vic@southvale.gov.uk").get(f"/w/{seeded.workspace_id}").text
    assert "Import a file" not in viewer and "Top barriers" in viewer
    contributor = client_for("cara@northmoor.gov.uk").get(f"/w/{seeded.workspace_id}").text
    assert "Top barriers" not in contributor


def test_largest_themes_as_the_viewer_may_see_them(client_for, seeded, web) -> None:
    w = seeded.workspace_id
    add_replies(seeded.db, w, first_replies())
    anna = client_for("anna@northmoor.gov.uk")
    start(anna, web, w, n_themes="3")
    themes = latest(seeded.db, w)
    page = anna.get(f"/w/{w}").text
    assert "Largest themes" in page and f'href="/w/{w}/themes?run={themes[0].run_id}"' in page
    # Which evidence the themes are of, so one source's themes are not read as everyone's.
    assert "From the latest theme run, over: all the evidence" in page
    shown = re.findall(rf'href="/w/{w}/themes/(\d+)"', page)
    assert shown and {int(t) for t in shown} <= {t.id for t in themes}
    assert "secret" not in page.lower()  # Southvale's private replies, never Anna's
    # The group of mixed subjects is nobody's theme: it is not among the largest.
    from upstream.records.themes import OTHER_LABEL
    from upstream.store.theme_repository import ThemeStore

    with Store(seeded.db) as store:
        ThemeStore(store.workspace("Learning Network")).rename(themes[0], OTHER_LABEL)
    again = anna.get(f"/w/{w}").text
    largest = again.split("Largest themes", 1)[1].split("</section>", 1)[0]
    assert OTHER_LABEL not in largest and str(themes[0].id) not in re.findall(
        rf'href="/w/{w}/themes/(\d+)"', largest
    )


def test_a_roundtable_counts_as_one_source_and_the_review_queue_says_how_many_wait(
    client_for, seeded
) -> None:
    from upstream.frameworks import load_codebook
    from upstream.records.evidence_types import EVIDENCE_TYPES
    from upstream.workflows.coding import code_workspace

    # A roundtable keeps each participant's responses as a source of its own.
    texts = [
        (f"Reply {n}: the youth club needs funding {n}", "Northmoor Council", True)
        for n in range(30)
    ]
    add_replies(seeded.db, seeded.workspace_id, texts[:15])
    add_replies(seeded.db, seeded.workspace_id, texts[15:])  # same name: "replies-15.csv"
    store = Store(seeded.db)
    try:
        with store.workspace("Learning Network").writer() as writer:
            writer.add_source("Roundtable nobody answered", kind="roundtable")
        # Residents' replies too, so that more items wait than one page of the queue holds.
        code_workspace(
            store,
            "Learning Network",
            load_codebook("dbe"),
            embedder="hashing",
            threshold=0.01,
            evidence_types=EVIDENCE_TYPES,
        )
    finally:
        store.close()
    w = f"/w/{seeded.workspace_id}"
    owner = client_for("owner@network.org")
    page = owner.get(w).text
    # The seeded notes and the two "replies-15.csv" sources: two sources to a reader
    # (a source with no items at all is not counted).
    assert '<span class="stat">2</span> sources' in page
    waiting = re.search(r"([\d,]+)(?: or more)? items await review", page)
    assert waiting is not None and int(waiting.group(1).replace(",", "")) > 20
    review = owner.get(f"{w}/coding/review").text
    assert f"The next 20 of {waiting.group(1)} items to review" in review
    # Titles mid-sentence are lowered as a sentence would (acronyms kept: "legacy IT").
    about = re.findall(r"Read the quotes about ([^<]*)", page)
    assert about and all(title[0].islower() for title in about)
    assert "Read the quotes about targets, inspection and accountability regimes" in page


def test_a_decision_in_one_framework_checks_nothing_in_another(seeded) -> None:
    """The home page counts a barrier's checked items as the dashboards do: per framework."""
    from upstream.frameworks import load_codebook
    from upstream.store.accounts import Scope
    from upstream.store.coding_repository import CodingStore
    from upstream.store.visibility import ScopedEvidence
    from upstream.workflows.coding import code_workspace
    from upstream.workflows.overview import top_codes

    with Store(seeded.db) as store:
        code_workspace(
            store, "Learning Network", load_codebook("dbe"), embedder="hashing", threshold=0.0
        )
        workspace = store.workspace("Learning Network")
        coding = CodingStore(workspace)
        nom = coding.save_codebook(load_codebook("nom"))
        for item_id in seeded.items.values():
            coding.decide(item_id, nom, "recode", actor="owner@network.org", code="purpose")
        barriers = top_codes(ScopedEvidence(workspace, Scope(see_all=True)), "barrier")
    assert barriers and all(b.checked == "0" for b in barriers)
