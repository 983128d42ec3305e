"""The label stage: name each theme in its people's own words.

The name is one phrase that people in the theme actually wrote (an *in vivo*
name): among the candidate phrases of :mod:`upstream.themes.phrases`, the one
that the most of the theme's items use and that is distinctive against the
other themes (the share of its uses that fall in this theme), with a little
credit for saying more words. A name made only of proper nouns ("Copper Row")
stands only when most of the theme's items use it, since the theme is then
about that place. A one-sentence description says what else the items mention.

Keywords are kept apart, by class-based TF-IDF: all the items of a theme are
treated as one document and each word or two-word phrase is weighed by how
often the theme uses it against how often every theme does. Sub-themes are
named against their siblings only, so their names say how they differ.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import numpy as np
import scipy.sparse as sp  # type: ignore[import-untyped,unused-ignore]
from sklearn.base import BaseEstimator  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import CountVectorizer  # type: ignore[import-untyped]

from upstream.evidence.stopwords import STOP_WORDS
from upstream.records.themes import OTHER_LABEL, SummarySentence
from upstream.themes.phrases import (
    PLACEHOLDERS,
    Phrase,
    keyword_terms,
    phrase_keys,
    phrases,
    strip_placeholders,
    surfaces,
)

# Words too general to name a theme on their own (they may still end a phrase: "opening hours").
GENERIC = frozenset(
    [
        "time",
        "year",
        "month",
        "week",
        "day",
        "hour",
        "minute",
        "people",
        "person",
        "thing",
        "way",
        "lot",
        "area",
        "place",
    ]
)

__all__ = [
    "OTHER_DESCRIPTION",
    "OTHER_LABEL",
    "STOP_WORDS",
    "KeyphraseLabeller",
    "Labeller",
    "NumberLabeller",
    "ThemeName",
]


@dataclass(frozen=True)
class ThemeName:
    """A theme's label, its distinctive keywords and a one-sentence description.

    ``summary`` and ``named_by`` are set only when a model endpoint wrote the label
    (see :mod:`upstream.themes.llm`).
    """

    label: str
    keywords: tuple[str, ...]
    description: str = ""
    summary: tuple[SummarySentence, ...] = ()
    named_by: str = ""


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
        self,
        groups: Sequence[Sequence[int]],
        quotes: Sequence[Sequence[str]] = (),
        *,
        avoid: Collection[str] = (),
    ) -> list[ThemeName]:
        """Name each group of texts.

        Args:
            groups: Positions (in the texts given to ``fit``) of each group's members.
            quotes: Representative quotes of each group, for labellers that read them.
            avoid: Names already given elsewhere (other themes, when naming
                sub-themes), whose phrases the groups should not be named by.

        Returns:
            One name per group, in order.
        """
        return [ThemeName(f"Theme {number + 1}", ()) for number in range(len(groups))]


NumberLabeller = Labeller
"""The identity stage under a clearer name."""


_MAX_NAME_WORDS = 7
_GENERIC_MIN_GROUPS = 5
_GENERIC_SPREAD = 0.25
_GENERIC_LIFT = 4.0


OTHER_DESCRIPTION = (
    "Replies on many different subjects, with no phrase most of them share; "
    "its sub-themes show what is in it."
)


def _tidy(phrase: str) -> str:
    return strip_placeholders(phrase).replace("’", "'")


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
            analyzer=partial(keyword_terms, max_words=self.ngram_range[1]),
            min_df=min_df,
            dtype=np.float32,
        )
        try:
            self.counts_ = sp.csr_matrix(self.vectorizer_.fit_transform(items))
            self.terms_ = [str(t) for t in self.vectorizer_.get_feature_names_out()]
        except ValueError:  # nothing but stop words and numbers
            self.counts_ = sp.csr_matrix(np.zeros((len(items), 0), dtype=np.float32))
            self.terms_ = []
        # Which items use each candidate name (once per item: coverage, not frequency).
        self.raw_texts_ = list(texts)
        phrase_counter = CountVectorizer(
            analyzer=phrase_keys, binary=True, min_df=min_df, dtype=np.float32
        )
        try:
            self.uses_ = sp.csr_matrix(phrase_counter.fit_transform(self.raw_texts_))
            self.phrases_ = [str(t) for t in phrase_counter.get_feature_names_out()]
        except ValueError:
            self.uses_ = sp.csr_matrix(np.zeros((len(items), 0), dtype=np.float32))
            self.phrases_ = []
        self.column_ = {phrase: n for n, phrase in enumerate(self.phrases_)}
        self.phrase_cache_: dict[int, list[Phrase]] = {}
        # Phrases too general to name any theme of the whole evidence (see _generic).
        self.common_: frozenset[str] = frozenset()
        self.content_ = np.asarray(
            [sum(w not in STOP_WORDS for w in p.split()) for p in self.phrases_], dtype=np.float64
        )
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
        self,
        groups: Sequence[Sequence[int]],
        quotes: Sequence[Sequence[str]] = (),
        *,
        avoid: Collection[str] = (),
    ) -> list[ThemeName]:
        """Name each group with a phrase its items use, and describe it in one sentence.

        Args:
            groups: Positions of each group's members.
            quotes: Not used.
            avoid: Names given elsewhere: no group is named by a phrase of two
                or more words in them (a sub-theme of "High street" is not called
                "Youth club" when another theme is "Youth club and kids").

        Returns:
            One name per group; ``Theme N`` when a group has no usable phrase.
        """
        weights = self.weights(groups)
        uses = self._uses(groups)
        background = uses.sum(axis=0)
        generic = self._generic(groups, uses)
        # The phrases of the names to avoid, not their single words: "Roads" may still
        # name a group when another theme is "Scrap the LTN and road".
        taken: set[str] = {key for name in avoid for key in phrase_keys(name) if " " in key}
        names = []
        for number, row in enumerate(weights):
            order = [int(i) for i in np.argsort(-row, kind="stable") if row[i] > 0]
            keywords = _without_overlaps(
                [self.terms_[i] for i in order if not _placeholder(self.terms_[i])],
                self.n_keywords,
            )
            members = list(groups[number])
            # How each phrase was written, from (up to) 200 of the group's items.
            sample = surfaces([self._phrases_of(i) for i in members[:200]])
            ranked = self._ranked(
                uses[number], background, len(members), sample, generic[number], taken=taken
            )
            if not ranked:
                # No phrase is shared: one person's words still say more than a number.
                ranked = self._ranked(
                    uses[number], background, len(members), sample, generic[number], least=1,
                    taken=taken,
                )  # fmt: skip
            if not ranked:
                # A general word still says more than a number.
                ranked = self._ranked(
                    uses[number], background, len(members), sample, None, taken=taken
                )
            chosen = next(iter(ranked), None)
            if chosen is None:
                names.append(ThemeName(f"Theme {number + 1}", tuple(keywords)))
                continue
            taken.add(chosen[0])
            label = _sentence_case(chosen[1])
            second = self._second(chosen, ranked, members, taken)
            if second is not None:
                taken.add(second[0])
                label = f"{label} and {second[1]}"
            description = _description(
                chosen, ranked, len(members), self._spelled_out(chosen[1], members)
            )
            names.append(ThemeName(label, tuple(keywords), description))
        return names

    def _spelled_out(self, phrase: str, members: Sequence[int] | None = None) -> str:
        """What an initialism in ``phrase`` stands for, as the theme's items spell it out.

        "LTN" is "low traffic neighbourhood" when a reply in the same theme
        writes that out: a run of words whose first letters spell the
        initialism, none of them a stop word (so "let them know" never stands
        for "LTN"). Only the theme's own items count, because a spelling-out is
        about the same subject: "grandad proposed" in a reply about a meadow
        does not spell out the "GP" of a theme about doctors. The commonest
        such run wins; an initialism nobody spells out is left as it is.

        Args:
            phrase: The theme's name or phrase.
            members: The theme's items (every fitted item when not given).

        Returns:
            The spelling-out, "LTN: …" when the initialism is inside a longer
            phrase, or "" when there is none.
        """
        found = _INITIALISM.search(phrase)
        if found is None or found.group(0) in PLACEHOLDERS:
            return ""
        letters = found.group(0)
        texts = getattr(self, "texts_", [])
        own = texts if members is None else [texts[i] for i in members]
        spelled = _expansion(letters, own)
        if not spelled:
            return ""
        return spelled if letters == phrase.strip() else f"{letters}: {spelled}"

    def _second(
        self,
        chosen: tuple[str, str, int],
        ranked: Sequence[tuple[str, str, int]],
        members: Sequence[int],
        taken: set[str],
    ) -> tuple[str, str, int] | None:
        """A second phrase for the name when the first leaves most of the theme unnamed.

        A reader places an item under a name only when the name says what the
        item is about. When the best phrase is used by under half of a theme,
        the next phrase that names a further sixth of it (items that do not use
        the first) joins it: "Parking charges and car park".
        """
        size = len(members)
        if size == 0 or chosen[2] * 2 >= size:
            return None
        first = self._users(chosen[0], members)
        for candidate in ranked:
            if candidate[0] == chosen[0] or candidate[0] in taken:
                continue
            if _overlaps(candidate[0], chosen[0]):
                continue
            # Short enough to take in at a glance.
            if len(chosen[1].split()) + len(candidate[1].split()) > _MAX_NAME_WORDS - 1:
                continue
            extra = self._users(candidate[0], members) - first
            if len(extra) * 6 >= size and len(extra) >= 2:
                return candidate
        return None

    def _generic(
        self, groups: Sequence[Sequence[int]], uses: np.ndarray[Any, np.dtype[np.float64]]
    ) -> np.ndarray[Any, np.dtype[np.bool_]]:
        """Which phrases are too general to name each group (``groups x phrases``).

        A word many themes use about as often as each other ("change",
        "work", "town") does not tell a reader which theme an item belongs
        to. A phrase is *frequent* in a group when at least 5% of its items
        (and two or more) use it; its *spread* is the share of groups in which
        it is frequent, and its *lift* in a group is how many times more often
        the group uses it than all the items together. A single word with a
        spread of at least 0.25 and a lift under 4 is too general to name the
        group; so is a longer phrase with a spread of at least 0.5 and a lift
        under 2. With fewer than five groups spread means little, and nothing
        else is refused.

        Naming the themes of (at least half of) the whole evidence keeps the
        phrases too general for every theme that uses them often (``common_``);
        naming a theme's sub-themes, among a few siblings, refuses those too.
        """
        generic = np.zeros(uses.shape, dtype=bool)
        if not self.phrases_:
            return generic
        whole = sum(len(g) for g in groups) * 2 >= self.uses_.shape[0]
        if not whole:
            # Sub-themes are named among a few siblings, where spread says little;
            # what the whole evidence's themes found too general still is ("Free
            # parking and town", in a town's consultation, says "town" of every theme).
            known: frozenset[str] = getattr(self, "common_", frozenset())  # one kept from before
            common = [self.column_[key] for key in known if key in self.column_]
            generic[:, common] = True
        if len(groups) < _GENERIC_MIN_GROUPS:
            return generic
        sizes = np.asarray([max(len(g), 1) for g in groups], dtype=np.float64)[:, None]
        share = uses / sizes
        spread = ((share >= 0.05) & (uses >= 2)).mean(axis=0)
        overall = uses.sum(axis=0) / max(float(sizes.sum()), 1.0)
        lift = share / np.maximum(overall, 1e-12)
        single = self.content_ <= 1
        generic |= single & (spread >= _GENERIC_SPREAD) & (lift < _GENERIC_LIFT)
        generic |= ~single & (spread >= 2 * _GENERIC_SPREAD) & (lift < _GENERIC_LIFT - 2)
        if whole:
            # Too general wherever it is frequent: kept for naming the sub-themes after.
            frequent = (share >= 0.05) & (uses >= 2)
            everywhere = frequent.any(axis=0) & ~(frequent & ~generic).any(axis=0)
            self.common_ = frozenset(self.phrases_[int(i)] for i in np.flatnonzero(everywhere))
        return generic

    def _users(self, key: str, members: Sequence[int]) -> set[int]:
        """Which of ``members`` use a candidate phrase."""
        column = self.column_.get(key)
        if column is None:
            return set()
        used = self.uses_[list(members), column].toarray().ravel()
        return {int(members[int(i)]) for i in np.flatnonzero(used > 0)}

    def _phrases_of(self, index: int) -> list[Phrase]:
        """The candidate phrases of one text, worked out once and kept."""
        if index not in self.phrase_cache_:
            self.phrase_cache_[index] = phrases(self.raw_texts_[index])
        return self.phrase_cache_[index]

    def _uses(self, groups: Sequence[Sequence[int]]) -> np.ndarray[Any, np.dtype[np.float64]]:
        """Items of each group that use each candidate phrase."""
        if not groups or not self.phrases_:
            return np.zeros((len(groups), len(self.phrases_)))
        rows = np.concatenate([np.full(len(g), n) for n, g in enumerate(groups)]).astype(np.int64)
        cols = np.concatenate([np.asarray(g, dtype=np.int64) for g in groups])
        indicator = sp.csr_matrix(
            (np.ones(len(cols), dtype=np.float32), (rows, cols)),
            shape=(len(groups), self.uses_.shape[0]),
        )
        return np.asarray((indicator @ self.uses_).toarray(), dtype=np.float64)

    def _ranked(
        self,
        uses: np.ndarray[Any, np.dtype[np.float64]],
        background: np.ndarray[Any, np.dtype[np.float64]],
        size: int,
        sample: dict[str, tuple[str, float]],
        generic: np.ndarray[Any, np.dtype[np.bool_]] | None,
        limit: int = 12,
        least: int = 2,
        taken: Collection[str] = (),
    ) -> list[tuple[str, str, int]]:
        """The best candidate names of one group: ``(key, as written, items using it)``.

        ``generic`` marks phrases too general to name this group (see :meth:`_generic`).
        A phrase must be used by ``least`` items: by default two, since one
        item's phrase is one person's words (a tiny group of three is better
        named "Skatepark", which two of them say, than "Asking for years").
        Phrases in ``taken`` already name another group; they are passed over
        before overlaps are weeded out, so a group whose subject word names a
        sibling ("Public toilets") gets its next phrase of its own rather than
        no name at all.
        """
        if size == 0 or not self.phrases_:
            return []
        share = uses / size
        precision = uses / np.maximum(background, 1.0)
        length = 1.0 + 0.3 * np.minimum(np.maximum(self.content_ - 1.0, 0.0), 3.0)
        # One word says less than a phrase ("youth" against "youth club").
        length = np.where(self.content_ > 1, length, 0.6)
        # A long phrase earns its bonus only when a good part of the theme uses it:
        # a slogan a few people pasted should not name a theme most of whose
        # items say something else.
        length = np.where(
            length > 1.0, 1.0 + (length - 1.0) * np.minimum(1.0, share / 0.25), length
        )
        score = np.where(uses >= least, share * np.sqrt(precision) * length, 0.0)
        if generic is not None:
            score = np.where(generic, 0.0, score)
        ranked: list[tuple[str, str, int]] = []
        for i in np.lexsort((np.arange(len(score)), -score)):
            if score[i] <= 0 or len(ranked) >= limit:
                break
            key = self.phrases_[int(i)]
            if " " not in key and key in GENERIC:
                continue
            # A place or person's name stands only when the theme is about it; a word
            # whose commonest phrase is a name ("LTN" in "Farrant Park LTN") still can.
            for option in dict.fromkeys((self._widen(key, uses), key)):
                written, proper = sample.get(option, (option, 0.0))
                count = uses[self.column_[option]]
                if not (proper > 0.5 and count * 2 < size):
                    key = option
                    break
            else:
                continue
            if key in taken:
                continue
            if any(_overlaps(key, other[0]) for other in ranked):
                continue
            ranked.append((key, written, int(count)))
        return ranked

    def _widen(self, word: str, uses: np.ndarray[Any, np.dtype[np.float64]]) -> str:
        """The commonest longer phrase around a word or phrase, when enough of its uses share it.

        A word widens when a quarter of its uses share one phrase ("youth" to
        "youth club"); a phrase when two thirds do ("free bulky" to "free bulky
        waste collection"), so a name is not cut short.
        """
        count = uses[self.column_[word]] if word in self.column_ else 0.0
        best, best_uses = word, max(3.0, count / 4) if " " not in word else max(2.0, count * 2 / 3)
        wider = [
            (-float(uses[i]), len(phrase), phrase)
            for i in np.flatnonzero(uses >= best_uses)
            if (phrase := self.phrases_[int(i)]) != word and f" {word} " in f" {phrase} "
        ]
        # The most used, then the shortest, then the first alphabetically.
        return min(wider)[2] if wider else best


# A word of two to six capitals, such as "LTN" or "PCSO".
_INITIALISM = re.compile(r"\b[A-Z]{2,6}\b")


def _placeholder(term: str) -> bool:
    """Whether a term holds a word that redaction uses as a placeholder ("email", "phone")."""
    return any(word.upper() in PLACEHOLDERS for word in term.split())


def _overlaps(one: str, other: str) -> bool:
    """Whether one phrase lies inside the other ("youth club" in "youth club closed")."""
    return f" {one} " in f" {other} " or f" {other} " in f" {one} "


def _sentence_case(phrase: str) -> str:
    text = re.sub(r"\s+", " ", phrase).strip()[:120]
    return text[:1].upper() + text[1:]


def _quantity(count: int, size: int) -> str:
    share = count / size if size else 0.0
    if share >= 0.9:
        return "Almost all"
    if share > 0.5:
        return "Most"
    if share >= 0.3:
        return "Many"
    if share >= 0.1:
        return "Some"
    return "A few"


def _expansion(letters: str, texts: Iterable[str]) -> str:
    """The commonest run of words in ``texts`` whose first letters spell ``letters``."""
    words = r"\s+".join(rf"{letter}[a-z'’-]{{2,}}" for letter in letters.lower())
    pattern = re.compile(rf"\b{words}\b", re.IGNORECASE)
    runs: Counter[str] = Counter()
    for text in texts:
        for run in pattern.findall(text):
            spelled = " ".join(run.lower().split())
            if not any(word in STOP_WORDS for word in spelled.split()):
                runs[spelled] += 1
    return max(sorted(runs), key=runs.__getitem__) if runs else ""


def _description(
    chosen: tuple[str, str, int],
    ranked: Sequence[tuple[str, str, int]],
    size: int,
    spelled_out: str = "",
) -> str:
    """One extractive sentence: what most items mention, and what many also mention.

    ``spelled_out`` follows the phrase when it holds an initialism the items
    spell out somewhere ("“LTN” (low traffic neighbourhood)").
    """
    first = f"{_quantity(chosen[2], size)} items mention “{chosen[1]}”"
    if spelled_out:
        first += f" ({spelled_out})"
    others = [r for r in ranked if r[0] != chosen[0]][:2]
    if not others:
        return first + "."
    also = " and ".join(f"“{r[1]}”" for r in others)
    return f"{first}; {_quantity(others[0][2], size).lower()} also mention {also}."


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
