"""The quote stage: pick a few central quotes per theme that are not repeats.

A quote is central when its vector is close to the theme's centre. Picking the
top few by centrality alone tends to return the same sentence three times (a
copy-and-paste campaign is the most central thing there is), so each new quote
must differ from those already chosen, both in meaning (cosine) and in wording
(word overlap). Very short items come last: "Keep the LTN!" is typical but
says less than a sentence that gives a reason. A reply that swears comes after
every one that does not, and its quote is masked ("s***"), and one that insults
someone comes last (:func:`upstream.policy.quotes.quote_rank`), so a theme's
quotes can go in a board paper.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator  # type: ignore[import-untyped]

from upstream.policy.quotes import QUOTE_MIN_WORDS, quote_rank, repeats, words_of
from upstream.records.themes import Quote

__all__ = ["CentralQuotes", "NoQuotes", "QuoteSelector"]


class QuoteSelector(BaseEstimator):  # type: ignore[misc]
    """Base of the quote stage; on its own it is the no-op: no quotes."""

    def select(
        self,
        texts: Sequence[str],
        members: Sequence[int],
        vectors: npt.NDArray[np.float32],
        centroid: npt.NDArray[np.float32],
    ) -> tuple[Quote, ...]:
        """Choose quotes for one theme.

        Args:
            texts: Every text being themed.
            members: Positions of the theme's members.
            vectors: Unit vectors of every text (rows align with ``texts``).
            centroid: The theme's unit centre.

        Returns:
            The chosen quotes, most central first.
        """
        return ()


NoQuotes = QuoteSelector
"""The identity stage under a clearer name."""


class CentralQuotes(QuoteSelector):
    """Central, varied quotes.

    Args:
        n_quotes: Most quotes per theme.
        max_similarity: A candidate this similar (cosine) to a chosen quote is a repeat.
        min_words: Items shorter than this are used only when nothing longer is left.
        pool: Most central candidates examined per theme (bounds the cost).
    """

    def __init__(
        self,
        n_quotes: int = 5,
        max_similarity: float = 0.92,
        min_words: int = QUOTE_MIN_WORDS,
        pool: int = 200,
    ) -> None:
        self.n_quotes = n_quotes
        self.max_similarity = max_similarity
        self.min_words = min_words
        self.pool = pool

    def select(
        self,
        texts: Sequence[str],
        members: Sequence[int],
        vectors: npt.NDArray[np.float32],
        centroid: npt.NDArray[np.float32],
    ) -> tuple[Quote, ...]:
        """Choose up to ``n_quotes`` central, non-duplicate quotes for one theme.

        Args:
            texts: Every text being themed.
            members: Positions of the theme's members.
            vectors: Unit vectors of every text.
            centroid: The theme's unit centre.

        Returns:
            The chosen quotes, most central first.
        """
        if not members:
            return ()
        index = np.asarray(members, dtype=np.int64)
        sims = vectors[index] @ centroid
        # Stable sort on (-similarity, position) so ties never depend on the platform.
        order = np.lexsort((index, -np.round(sims, 6)))[: self.pool]
        words = {int(i): words_of(texts[int(i)]) for i in index[order]}
        long_first = sorted(
            order,
            key=lambda o: (
                quote_rank(texts[int(index[o])]),
                len(words[int(index[o])]) < self.min_words,
            ),
        )  # sorted() is stable: centrality order is kept within each group
        chosen: list[int] = []
        for position in long_first:
            candidate = int(index[position])
            text = texts[candidate].strip()
            if not text:
                continue
            repeat = any(
                float(vectors[candidate] @ vectors[other]) >= self.max_similarity
                or repeats(words[candidate], words[other])
                for other in chosen
            )
            if not repeat:
                chosen.append(candidate)
            if len(chosen) >= self.n_quotes:
                break
        similarity = dict(zip(index.tolist(), sims.tolist(), strict=True))
        return tuple(Quote(i, texts[i], round(float(similarity[i]), 4)) for i in chosen)
