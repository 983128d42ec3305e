"""Explanations as shown: only words that matter, even from explanations stored long ago."""

from __future__ import annotations

from pathlib import Path

from upstream.records.drafts import ItemDraft
from upstream.store import Store
from upstream.store.accounts import Scope
from upstream.store.visibility import ScopedEvidence
from upstream.workflows.explanations import visible_explanations


def test_stop_words_and_placeholders_never_show(tmp_path: Path) -> None:
    with Store(tmp_path / "e.db") as store:
        workspace = store.workspace("Words", create=True)
        with workspace.writer() as writer:
            source = writer.add_source("notes.csv")
            writer.insert_items(
                source, [ItemDraft(text="Legacy systems slow us down", line=1)], shared=True
            )
        item = workspace.items()[0]
        stored = {
            # As an explanation stored before the filter could read.
            "terms": [
                ["leadership", 0.4],
                ["in", 0.3],
                ["in the", 0.2],
                ["the", 0.1],
                ["email", 0.1],
                ["legacy systems", 0.05],
                ["2024", 0.01],
            ],
            "neighbours": [{"id": str(item.id), "similarity": 0.8, "code": "x"}],
        }
        shown = visible_explanations([stored], ScopedEvidence(workspace, Scope(see_all=True)))
    assert [t[0] for t in shown[0]["terms"]] == ["leadership", "legacy systems"]
    assert shown[0]["neighbours"][0]["text"] == "Legacy systems slow us down"
