"""The label stage: name each theme from its own words (class-based TF-IDF).

c-TF-IDF treats all the items of a theme as one document and weighs each word
or two-word phrase by how often the theme uses it against how often every theme
does, so the words that *distinguish* a theme rise to the top. The label is the
two or three strongest key phrases, a phrase preferred over the single words
it contains. Sub-themes are labelled against their siblings only, so their
labels say how they differ from each other.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped,unused-ignore]
from sklearn.base import BaseEstimator  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import CountVectorizer  # type: ignore[import-untyped]

from upstream.signals.stopwords import STOP_WORDS

__all__ = ["STOP_WORDS", "KeyphraseLabeller", "Labeller", "NumberLabeller", "ThemeName"]


# Words of two or more letters; apostrophes split ("don't" -> "don", a stop word).
_TOKEN = r"(?u)\b[^\W\d_]{2,}\b"


@dataclass(frozen=True)
class ThemeName:
    """A theme's label and its distinctive keywords."""

    label: str
    keywords: tuple[str, ...]


class Labeller(BaseEstimator):  # type: ignore[misc]
    """Base of the label stage; on its own it is the no-op: ``Theme 1``, ``Theme 2``, ...

    A labeller is fitted once on every text, then names groups of them.
    """

    def fit(self, texts: Sequence[str]) -> Labeller:
        """Learn what is needed from all the texts (nothing, here).

        Args:
            texts: Every text being themed.

        Returns:
            The fitted labeller.
        """
        return self

    def name(
        self, groups: Sequence[Sequence[int]], quotes: Sequence[Sequence[str]] = ()
    ) -> list[ThemeName]:
        """Name each group of texts.

        Args:
            groups: Positions (in the texts given to ``fit``) of each group's members.
            quotes: Representative quotes of each group, for labellers that read them.

        Returns:
            One name per group, in order.
        """
        return [ThemeName(f"Theme {number + 1}", ()) for number in range(len(groups))]


NumberLabeller = Labeller
"""The identity stage under a clearer name."""


def _tidy(phrase: str) -> str:
    return phrase.replace("’", "'")


class KeyphraseLabeller(Labeller):
    """Extractive labels from class-based TF-IDF key phrases.

    Args:
        n_keywords: Keywords kept per theme.
        n_label_phrases: Key phrases joined into the label.
        ngram_range: Lengths of phrases considered (words).
        min_df: Ignore phrases in fewer items than this (1 for small sets).

    Attributes:
        vectorizer_: The fitted word counter.
        counts_: Sparse ``(n_texts, n_terms)`` counts.
        terms_: The terms, by column.
    """

    def __init__(
        self,
        n_keywords: int = 8,
        n_label_phrases: int = 3,
        ngram_range: tuple[int, int] = (1, 2),
        min_df: int | None = None,
    ) -> None:
        self.n_keywords = n_keywords
        self.n_label_phrases = n_label_phrases
        self.ngram_range = ngram_range
        self.min_df = min_df

    def fit(self, texts: Sequence[str]) -> KeyphraseLabeller:
        """Count words and phrases in every text.

        Args:
            texts: Every text being themed.

        Returns:
            The fitted labeller.
        """
        items = [_tidy(text) for text in texts]
        self.texts_ = items
        min_df = self.min_df if self.min_df is not None else (2 if len(items) >= 500 else 1)
        self.vectorizer_ = CountVectorizer(
            ngram_range=self.ngram_range,
            stop_words=sorted(STOP_WORDS),
            token_pattern=_TOKEN,
            lowercase=True,
            strip_accents="unicode",
            min_df=min_df,
            dtype=np.float32,
        )
        try:
            self.counts_ = sp.csr_matrix(self.vectorizer_.fit_transform(items))
            self.terms_ = [str(t) for t in self.vectorizer_.get_feature_names_out()]
        except ValueError:  # nothing but stop words and numbers
            self.counts_ = sp.csr_matrix(np.zeros((len(items), 0), dtype=np.float32))
            self.terms_ = []
        return self

    def weights(self, groups: Sequence[Sequence[int]]) -> np.ndarray[Any, np.dtype[np.float64]]:
        """Return the c-TF-IDF weight of every term in every group.

        Args:
            groups: Positions of each group's members.

        Returns:
            A ``(len(groups), n_terms)`` array.
        """
        if not groups or not self.terms_:
            return np.zeros((len(groups), len(self.terms_)))
        # One sparse product sums every group's counts at once.
        rows = np.concatenate([np.full(len(g), n) for n, g in enumerate(groups)]).astype(np.int64)
        cols = np.concatenate([np.asarray(g, dtype=np.int64) for g in groups])
        indicator = sp.csr_matrix(
            (np.ones(len(cols), dtype=np.float32), (rows, cols)),
            shape=(len(groups), self.counts_.shape[0]),
        )
        tf = np.asarray((indicator @ self.counts_).toarray(), dtype=np.float64)
        totals = tf.sum(axis=1, keepdims=True)
        frequency = tf.sum(axis=0)
        average = max(float(totals.mean()), 1.0)
        idf = np.log1p(average / np.maximum(frequency, 1.0))
        return np.asarray(tf / np.maximum(totals, 1.0) * idf, dtype=np.float64)

    def name(
        self, groups: Sequence[Sequence[int]], quotes: Sequence[Sequence[str]] = ()
    ) -> list[ThemeName]:
        """Name each group by its most distinctive phrases.

        Args:
            groups: Positions of each group's members.
            quotes: Not used.

        Returns:
            One name per group; ``Theme N`` when a group has no usable words.
        """
        weights = self.weights(groups)
        names = []
        for number, row in enumerate(weights):
            order = [int(i) for i in np.argsort(-row, kind="stable") if row[i] > 0]
            keywords = _without_overlaps([self.terms_[i] for i in order], self.n_keywords)
            sample = [self.texts_[i] for i in list(groups[number])[:500]]
            shown = [_surface(k, sample) for k in keywords[: self.n_label_phrases]]
            label = _label(shown) or f"Theme {number + 1}"
            names.append(ThemeName(label, tuple(keywords)))
        return names


def _without_overlaps(terms: list[str], limit: int) -> list[str]:
    """Keep the strongest terms; a phrase replaces the single words it contains."""
    kept: list[str] = []
    for term in terms:
        words = set(term.split())
        if any(words <= set(other.split()) for other in kept):
            continue
        inside = [i for i, other in enumerate(kept) if set(other.split()) < words]
        if inside:
            # The phrase says more than its words: it takes the first one's place.
            kept[inside[0]] = term
            kept = [other for i, other in enumerate(kept) if i not in inside[1:]]
        else:
            kept.append(term)
        if len(kept) >= limit:
            break
    return kept


def _surface(phrase: str, texts: Sequence[str]) -> str:
    """Return the phrase as people most often wrote it ("LTN", "Farrant Park")."""
    words = phrase.split()
    pattern = re.compile(r"\b" + r"\W+".join(re.escape(w) for w in words) + r"\b", re.IGNORECASE)
    forms: dict[str, int] = {}
    for text in texts:
        for found in pattern.findall(text):
            form = " ".join(found.split())
            forms[form] = forms.get(form, 0) + 1
    if not forms:
        return phrase
    best = max(sorted(forms), key=lambda f: forms[f])
    # Sentence-initial capitals are not a name: keep lower case unless it is mostly capitalised.
    return best if best != best.capitalize() or best.isupper() else phrase


def _label(phrases: Sequence[str]) -> str:
    if not phrases:
        return ""
    first = phrases[0]
    text = ", ".join([first[:1].upper() + first[1:], *phrases[1:]])
    return re.sub(r"\s+", " ", text)[:120]
