"""Signals in what people said, and patterns across the organisations that said it.

Sentiment, drivers/barriers/enablers, word and phrase frequencies, breakdowns
with small groups suppressed, spam/abuse flags and cross-organisation patterns.

Typical use::

    from upstream.signals import flag_items, sentiment, word_frequencies, breakdown

    flags = flag_items(texts)                       # set spam and abuse aside
    kept = [t for t, f in zip(texts, flags) if not f.excluded]
    print(sentiment("Keep the LTN!").label)         # positive
    print(word_frequencies(kept, top=10))
"""

from upstream.signals.breakdown import BreakdownRow, breakdown, group_of
from upstream.signals.dbe import (
    DbeClassifier,
    DbeLabel,
    ZeroShotDbe,
    barrier_enabler_links,
    classify_dbe,
    kind_of,
)
from upstream.signals.export import safe_cell, write_csv
from upstream.signals.flags import Flags, flag_items
from upstream.signals.frequencies import phrase_frequencies, word_cloud, word_frequencies
from upstream.signals.patterns import CodedItem, CodeReach, Patterns, PeerEnabler, build_patterns
from upstream.signals.people import respondent_of
from upstream.signals.sentiment import SentimentScore, sentiment, sentiment_scores

__all__ = [
    "BreakdownRow",
    "CodeReach",
    "CodedItem",
    "DbeClassifier",
    "DbeLabel",
    "Flags",
    "Patterns",
    "PeerEnabler",
    "SentimentScore",
    "ZeroShotDbe",
    "barrier_enabler_links",
    "breakdown",
    "build_patterns",
    "classify_dbe",
    "flag_items",
    "group_of",
    "kind_of",
    "phrase_frequencies",
    "respondent_of",
    "safe_cell",
    "sentiment",
    "sentiment_scores",
    "word_cloud",
    "word_frequencies",
    "write_csv",
]
