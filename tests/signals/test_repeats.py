"""Replies repeated word for word are counted, so pages can say so."""

from __future__ import annotations

from upstream.signals.repeats import repeated_items

CAMPAIGN = "Save Millbrook pool: it is the only place our children learn to swim."


def test_copies_are_counted_ignoring_case_punctuation_and_spacing() -> None:
    texts = [
        CAMPAIGN,
        CAMPAIGN.upper(),
        "save millbrook pool  it is the only place our children learn to swim",
        "The pool changing rooms are cold and the showers rarely work.",
        "More buses please",
        "More buses please",
    ]
    assert repeated_items(texts, range(len(texts))) == 3  # short replies are alike by chance
    assert repeated_items(texts, [0, 3, 4]) == 0  # only the members given are compared
