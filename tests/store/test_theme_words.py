"""What a theme's name may show to someone who cannot see all its items."""

from __future__ import annotations

from upstream.records.themes import EVERYTHING_ELSE, OTHER_LABEL
from upstream.store.theme_visibility import UNNAMED, seen_description, seen_words


def test_a_name_from_items_the_person_cannot_see_is_withheld() -> None:
    visible = ["Fix the potholes on Mill Lane", "More buses please"]
    assert seen_words("Potholes", ["potholes"], visible, person_named=False)[0] == "Potholes"
    label, keywords = seen_words(
        "Zebra crossing", ["zebra", "potholes"], visible, person_named=False
    )
    assert label == UNNAMED and keywords == ["potholes"]
    # A person's own name for a theme is not an item's words.
    assert seen_words("Roads", [], visible, person_named=True)[0] == "Roads"


def test_upstream_s_own_name_for_a_mixed_group_is_always_shown() -> None:
    assert seen_words(OTHER_LABEL, [], ["More buses"], person_named=False)[0] == OTHER_LABEL
    assert seen_words(EVERYTHING_ELSE, [], ["More buses"], person_named=False)[0] == (
        EVERYTHING_ELSE
    )


def test_in_general_is_upstream_s_word_and_the_rest_must_be_seen() -> None:
    seen = seen_words("Bus in general", [], ["More buses", "Bus late"], person_named=False)
    assert seen[0] == "Bus in general"
    assert seen_words("Tram in general", [], ["More buses"], person_named=False)[0] == UNNAMED


def test_a_description_quoting_unseen_words_is_withheld() -> None:
    visible = ["Fix the potholes"]
    assert seen_description("Most items mention “potholes”.", visible)
    assert seen_description("Most items mention “zebra crossing”.", visible) == ""
