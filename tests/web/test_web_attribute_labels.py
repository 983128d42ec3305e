"""Column names read as words on a page; questions keep their own punctuation."""

from __future__ import annotations

from upstream.web.labels import attribute_label


def test_identifiers_become_words_and_questions_keep_their_hyphens() -> None:
    assert attribute_label("grade_band") == "Grade"
    assert attribute_label("years-in-post") == "Years in post"
    assert attribute_label("How was it done? (0-100)") == "How was it done? (0-100)"
