"""Explanations: the words behind a coding and the labelled examples it resembles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from upstream.coding.results import Explanation, Neighbour
from upstream.evidence.stopwords import meaningful_term
from upstream.policy import excerpt

__all__ = ["Reference", "explain"]

_SNIPPET = 160
_WEAKEST_SHARE = 0.25
"""Least share of the strongest word's push a word needs to be named as a reason."""


@dataclass(frozen=True)
class Reference:
    """The labelled examples (and codebook texts) neighbours are drawn from.

    Attributes:
        vectors: Unit semantic vectors, one row per example.
        ids: Example ids.
        texts: Example texts.
        codes: The (first) code of each example.
        by_code: For each code id, the rows carrying it.
    """

    vectors: npt.NDArray[np.float32]
    ids: tuple[str, ...]
    texts: tuple[str, ...]
    codes: tuple[str, ...]
    by_code: dict[str, npt.NDArray[np.intp]]

    @classmethod
    def build(
        cls,
        vectors: npt.NDArray[np.float32],
        ids: Sequence[str],
        texts: Sequence[str],
        codes: Sequence[str],
    ) -> Reference:
        """Index examples by code.

        Args:
            vectors: Unit semantic vectors, one row per example.
            ids: Example ids.
            texts: Example texts.
            codes: The code each example carries.

        Returns:
            The reference set.
        """
        grouped: dict[str, list[int]] = {}
        for row, code in enumerate(codes):
            grouped.setdefault(code, []).append(row)
        by_code = {code: np.asarray(rows, dtype=np.intp) for code, rows in grouped.items()}
        return cls(vectors, tuple(ids), tuple(texts), tuple(codes), by_code)


def explain(
    code: str,
    tfidf_row: Any,
    term_weights: npt.NDArray[np.float64],
    vocabulary: npt.NDArray[np.str_],
    semantic: npt.NDArray[np.float32],
    reference: Reference,
    top_terms: int = 5,
    top_neighbours: int = 3,
    alternatives: tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]] | None = None,
) -> Explanation:
    """Explain one item's coding.

    Args:
        code: The code to explain (the class the weights belong to).
        tfidf_row: The item's sparse TF-IDF row (1 x vocabulary).
        term_weights: Each vocabulary term's weight towards ``code``.
        vocabulary: The term of each TF-IDF column.
        alternatives: Every code's term weights (vocabulary x codes) and the
            item's probability of each code. A word counts only as far as it
            pushes towards ``code`` more than towards the codes the item might
            otherwise have had: "work" in every code's description explains none.
        semantic: The item's unit semantic vector.
        reference: Labelled examples to draw neighbours from.
        top_terms: How many terms to report.
        top_neighbours: How many neighbours to report.

    Returns:
        The explanation. Terms with no positive contribution are left out, and
        so are stop words, numbers, single letters and redaction placeholders;
        when nothing meaningful is left the explanation names no terms.
    """
    columns = tfidf_row.indices
    weights = term_weights[columns]
    if alternatives is not None:
        # The gradient of the code's log-probability: its weight less the
        # probability-weighted weight of every code.
        every, probabilities = alternatives
        weights = weights - every[columns] @ probabilities
    contributions = tfidf_row.data * weights
    order = np.lexsort((columns, -contributions))
    candidates = [
        (str(vocabulary[columns[i]]), round(float(contributions[i]), 4))
        for i in order
        if contributions[i] > 0
    ]
    terms = _words_that_matter(candidates, top_terms)
    rows = reference.by_code.get(code)
    neighbours: tuple[Neighbour, ...] = ()
    if rows is not None and len(rows):
        similarity = reference.vectors[rows] @ semantic
        # Stable sort on (-similarity, row) so ties never depend on the platform.
        best = np.lexsort((rows, -similarity))[:top_neighbours]
        neighbours = tuple(
            Neighbour(
                id=reference.ids[rows[i]],
                text=excerpt(reference.texts[rows[i]], _SNIPPET),
                similarity=round(float(similarity[i]), 4),
                code=reference.codes[rows[i]],
            )
            for i in best
        )
    return Explanation(terms=terms, neighbours=neighbours)


def _words_that_matter(
    candidates: Sequence[tuple[str, float]], top_terms: int
) -> tuple[tuple[str, float], ...]:
    """Pick the strongest meaningful terms, phrases before the words inside them.

    A phrase says more than its words apart ("legacy systems" over "legacy"),
    so a word already inside a chosen phrase is not listed again, and a phrase
    takes the place of a stronger single word it contains. A word that pushed
    less than a quarter as hard as the strongest is left out ("work" beside
    "commissioning").
    """
    meaningful = [(term, weight) for term, weight in candidates if meaningful_term(term)]
    if meaningful:
        # A word that pushed a fraction as hard as the strongest is no reason to give.
        strongest = max(weight for _, weight in meaningful)
        meaningful = [(t, w) for t, w in meaningful if w >= _WEAKEST_SHARE * strongest]
    phrases = [(term, weight) for term, weight in meaningful if " " in term]
    in_phrases = {word for term, _ in phrases[:top_terms] for word in term.split()}
    chosen: list[tuple[str, float]] = []
    for term, weight in meaningful:
        if " " not in term and term in in_phrases:
            continue
        chosen.append((term, weight))
        if len(chosen) == top_terms:
            break
    return tuple(chosen)
