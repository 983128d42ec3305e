"""Every built-in codebook loads, validates and meets the content bar."""

from __future__ import annotations

import re

import pytest

from upstream.frameworks import builtin_names, check_codebook, load_codebook

EXPECTED = {"nom", "hls", "dbe", "aftershock", "leadership", "culture"}
ID_PATTERN = re.compile(r"[a-z][a-z_]*(\.[a-z][a-z_]*)*")


def test_builtin_names_lists_all_frameworks() -> None:
    assert set(builtin_names()) >= EXPECTED
    assert builtin_names() == sorted(builtin_names())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_builtin_loads_and_validates(name: str) -> None:
    codebook = load_codebook(name)
    assert codebook.id == name
    assert codebook.title and codebook.description and codebook.version
    assert check_codebook(codebook) == []
    ids = codebook.ids()
    assert len(ids) == len(set(ids))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_code_is_fully_documented(name: str) -> None:
    codebook = load_codebook(name)
    for code in codebook:
        assert ID_PATTERN.fullmatch(code.id), code.id
        if code.parent is not None:
            # ids are dotted paths: a child's id starts with its parent's id
            assert code.id.startswith(code.parent + "."), code.id
        assert code.title, code.id
        sentences = [s for s in re.split(r"(?<=[.!?])\s+", code.definition) if s]
        assert 1 <= len(sentences) <= 3, code.id
        assert code.include and code.exclude, code.id
        assert 3 <= len(code.examples) <= 5, code.id


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_leaves_have_at_least_three_distinct_examples(name: str) -> None:
    codebook = load_codebook(name)
    assert codebook.leaves()
    for leaf in codebook.leaves():
        assert len(set(leaf.examples)) >= 3, leaf.id


def test_examples_are_unique_across_all_builtins() -> None:
    seen: dict[str, str] = {}
    for name in builtin_names():
        for code in load_codebook(name):
            for example in code.examples:
                key = example.lower()
                assert key not in seen, f"{code.id} repeats an example of {seen[key]}"
                seen[key] = code.id


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_dotted_references_in_notes_point_at_real_codes(name: str) -> None:
    codebook = load_codebook(name)
    for code in codebook:
        for note in (code.include, code.exclude):
            for inner in re.findall(r"\(([^)]*)\)", note):
                if re.search(r"\b(use|codebook|nom|hls|dbe)\b", inner):
                    continue  # a pointer into another codebook
                for token in re.split(r",| or ", inner):
                    token = token.strip()
                    if "." in token and ID_PATTERN.fullmatch(token):
                        assert token in codebook, f"{code.id} refers to unknown {token}"


def test_nom_has_the_framework_structure() -> None:
    nom = load_codebook("nom")
    roots = {code.id for code in nom.roots()}
    assert roots == {
        "context",
        "purpose",
        "mindset",
        "capabilities",
        "infrastructure",
        "external_actors",
        "outcomes",
        "mainstreaming",
    }
    assert {c.id for c in nom.children("mindset")} == {
        "mindset.values",
        "mindset.principles",
        "mindset.behaviours",
    }
    principles = {c.id.rsplit(".", 1)[1] for c in nom.children("mindset.principles")}
    assert principles == {
        "relationships",
        "sharing_power",
        "asset_based",
        "prevention",
        "place_based",
        "learning_over_control",
        "upside_risk",
    }
    values = {c.id.rsplit(".", 1)[1] for c in nom.children("mindset.values")}
    assert values == {
        "openness",
        "collaboration",
        "empowerment",
        "curiosity",
        "flexibility",
        "trust",
    }
    failures = {c.id for c in nom.descendants("mainstreaming")}
    assert {
        "mainstreaming.failure.rejection",
        "mainstreaming.failure.infection",
        "mainstreaming.failure.co_option",
    } <= failures
    assert nom.levels == 3


def test_other_frameworks_have_their_top_level_codes() -> None:
    def roots(name: str) -> list[str]:
        return [code.id for code in load_codebook(name).roots()]

    assert roots("hls") == ["human", "learning", "systems", "npm"]
    assert roots("dbe") == ["driver", "barrier", "enabler"]
    assert roots("aftershock") == ["leave_behind", "keep", "do_differently"]
    assert roots("leadership") == [
        "system_leadership",
        "community_empowerment",
        "relational_leadership",
        "safety",
    ]
    assert roots("culture") == ["empowerment", "focus", "priorities", "risk_change"]
    culture = load_codebook("culture")
    assert [c.id for c in culture.children("focus")] == [
        "focus.inward",
        "focus.ministers",
        "focus.citizens",
    ]
    assert [c.id for c in culture.children("priorities")] == [
        "priorities.self",
        "priorities.family",
        "priorities.team",
        "priorities.mission",
    ]
    dbe = load_codebook("dbe")
    barriers = {c.id for c in dbe.children("barrier")}
    assert {
        "barrier.funding",
        "barrier.procurement",
        "barrier.risk_aversion",
        "barrier.data_sharing",
        "barrier.silos",
        "barrier.capacity",
        "barrier.legacy_it",
    } <= barriers


def test_builtin_loads_are_cached_and_equal() -> None:
    assert load_codebook("hls") is load_codebook("hls")
