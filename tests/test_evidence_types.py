"""Whose voice a source's evidence is, from the kind recorded at import."""

from __future__ import annotations

from upstream.records.evidence_types import evidence_type, type_of_source


def test_a_source_kind_says_whose_voice_it_is() -> None:
    assert evidence_type("consultation replies") == "residents"
    assert evidence_type("survey:culture") == "staff"
    assert evidence_type("roundtable") == "partners"
    assert evidence_type("visit notes") == "network"


def test_a_story_collection_is_not_taken_for_residents_unless_it_says_so() -> None:
    # Staff wrote the demo's stories: "Frontline worker", "Manager", "Senior leader".
    assert evidence_type("story collection") == "network"
    assert type_of_source("story collection", {"evidence_type": "residents"}) == "residents"
