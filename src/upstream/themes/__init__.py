"""Inductive themes: find what nobody thought to ask about, with quotes and stance.

Typical use::

    from upstream.themes import ThemeDiscovery

    discovery = ThemeDiscovery(seed=0).fit(texts, organisations=orgs)
    for theme in discovery.themes_:
        print(theme.id, theme.label, theme.size, theme.quotes[0].text)
        if theme.stance and theme.stance.contested:
            print("  ", theme.stance.sentence)
    edit = discovery.rename(0, "Safer streets")   # store it; it survives re-runs

Stages (each with a no-op base, so any can be skipped or swapped): embed
(:mod:`upstream.embed`), reduce (:class:`Reducer`, :class:`SVDReducer`), cluster
(:class:`Clusterer`, :class:`WardKMeans`, :class:`KMeansClusterer`), label
(:class:`Labeller`, :class:`KeyphraseLabeller`, :class:`LLMLabeller`) and quotes
(:class:`QuoteSelector`, :class:`CentralQuotes`).
"""

from upstream.records.themes import Quote, StanceSide, StanceSummary, Theme, ThemeEdit, ThemeRef
from upstream.themes.cluster import Clusterer, KMeansClusterer, SingleCluster, WardKMeans
from upstream.themes.discover import Engagement, ThemeDiscovery
from upstream.themes.edits import MatchRule, match_theme
from upstream.themes.labels import (
    STOP_WORDS,
    KeyphraseLabeller,
    Labeller,
    NumberLabeller,
    ThemeName,
)
from upstream.themes.llm import LLMError, LLMLabeller
from upstream.themes.quotes import CentralQuotes, NoQuotes, QuoteSelector
from upstream.themes.reduce import IdentityReducer, Reducer, SVDReducer
from upstream.themes.stance import summarise_stance

__all__ = [
    "STOP_WORDS",
    "CentralQuotes",
    "Clusterer",
    "Engagement",
    "IdentityReducer",
    "KMeansClusterer",
    "KeyphraseLabeller",
    "LLMError",
    "LLMLabeller",
    "Labeller",
    "MatchRule",
    "NoQuotes",
    "NumberLabeller",
    "Quote",
    "QuoteSelector",
    "Reducer",
    "SVDReducer",
    "SingleCluster",
    "StanceSide",
    "StanceSummary",
    "Theme",
    "ThemeDiscovery",
    "ThemeEdit",
    "ThemeName",
    "ThemeRef",
    "WardKMeans",
    "match_theme",
    "summarise_stance",
]
