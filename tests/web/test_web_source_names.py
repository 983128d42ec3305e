"""Source pickers name a source by what it is, never by a person's email address."""

from __future__ import annotations

import csv
import io
import re

from upstream.records.drafts import ItemDraft
from upstream.store import Store
from upstream.store.roundtable_repository import RoundtableStore
from upstream.store.source_names import source_label


def _options(page: str) -> list[str]:
    return re.findall(r"<option[^>]*>([^<]*)</option>", page)


def test_roundtable_and_story_sources_are_named_without_emails(client_for, seeded) -> None:
    store = Store(seeded.db)
    try:
        workspace = store.workspace("Learning Network")
        roundtables = RoundtableStore(workspace)
        table = roundtables.create(title="Budgets", actor="owner@network.org")
        roundtables.add_response(
            table,
            responder="ben@southvale.gov.uk",
            organisation="Southvale Council",
            text="Pooling budgets across the two councils let us keep the youth hub open.",
            part="",
            position=0,
            label="",
            attributes={},
        )
        # A source stored under the old naming, with the person's address in it.
        with workspace.writer() as writer:
            old = writer.add_source(
                "Stories: Getting help (cara@northmoor.gov.uk)",
                kind="story collection",
                imported_by="cara@northmoor.gov.uk",
            )
            draft = ItemDraft(text="The advice line called me back the same day.", line=1)
            writer.insert_items(old, [draft], shared=True)
    finally:
        store.close()
    w = f"/w/{seeded.workspace_id}"
    anna = client_for("anna@northmoor.gov.uk")
    for path in (f"{w}/evidence", f"{w}/themes"):
        options = _options(anna.get(path).text)
        assert "Roundtable ‘Budgets’ responses" in options, (path, options)
        assert "Stories sent to ‘Getting help’" in options, (path, options)
        assert not [o for o in options if "@" in o], (path, options)


def test_source_label() -> None:
    assert source_label("Roundtable: Q3 (a.b@x.org)", "roundtable") == "Roundtable ‘Q3’ responses"
    assert source_label("notes jo@x.org March.csv", "notes") == "notes a person March.csv"
    assert source_label("replies.csv", "consultation") == "replies.csv"


def test_a_roundtable_is_one_source_choice_that_finds_every_participants_words(
    client_for, seeded
) -> None:
    store = Store(seeded.db)
    try:
        roundtables = RoundtableStore(store.workspace("Learning Network"))
        table = roundtables.create(title="Budgets", actor="owner@network.org")
        for position, (who, text) in enumerate(
            [
                ("ben@southvale.gov.uk", "Pooling budgets kept the youth hub open."),
                ("cara@northmoor.gov.uk", "Our budget holders meet monthly to agree shared spend."),
            ]
        ):
            roundtables.add_response(
                table,
                responder=who,
                organisation="Northmoor Council",
                text=text,
                part="",
                position=position,
                label="",
                attributes={},
            )
    finally:
        store.close()
    w = f"/w/{seeded.workspace_id}"
    owner = client_for("owner@network.org")
    page = owner.get(f"{w}/evidence").text
    chosen = re.findall(r'<option value="(\d+)"[^>]*>Roundtable ‘Budgets’ responses</option>', page)
    assert len(chosen) == 1, (
        "each participant's notes are a source, but people choose the roundtable"
    )
    listed = owner.get(f"{w}/evidence", params={"source": chosen[0]}).text
    assert "Pooling budgets kept the youth hub open." in listed
    assert "Our budget holders meet monthly to agree shared spend." in listed
    exported = owner.get(f"{w}/evidence/export.csv", params={"source": chosen[0]}).text
    assert "Pooling budgets" in exported and "Our budget holders" in exported
    # Each row names its source as people choose it, never a participant's address.
    sources = {row["source"] for row in csv.DictReader(io.StringIO(exported))}
    assert sources == {"Roundtable ‘Budgets’ responses"}, sources
    assert "@" not in "".join(sources)
