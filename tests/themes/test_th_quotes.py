"""A theme's quotes can go in a board paper: swearing comes last and is masked."""

from __future__ import annotations

import numpy as np

from upstream.records.themes import Quote
from upstream.themes.quotes import CentralQuotes


def test_a_sworn_reply_is_quoted_after_clean_ones_and_masked() -> None:
    texts = [
        "The potholes on Mill Road are shit and nobody fixes them",
        "Potholes on Mill Road have burst two of my tyres this winter",
        "Please resurface Mill Road before someone comes off their bike",
    ]
    # The sworn reply is the most central; the others lie either side of it.
    vectors = np.array([[1.0, 0.0], [0.8, 0.6], [0.8, -0.6]], dtype=np.float32)
    centre = np.array([1.0, 0.0], dtype=np.float32)
    quotes = CentralQuotes(n_quotes=3, max_similarity=0.99).select(
        texts, [0, 1, 2], vectors, centre
    )
    assert [q.index for q in quotes] == [1, 2, 0]
    assert quotes[-1].text == "The potholes on Mill Road are s*** and nobody fixes them"


def test_every_theme_quote_is_masked_however_it_was_made() -> None:
    assert Quote(0, "What a fucking mess", 0.5).text == "What a f****** mess"


def test_a_reply_that_insults_someone_is_quoted_last() -> None:
    texts = [
        "The councillors are idiots who never fix Mill Road",
        "The potholes on Mill Road are shit and nobody fixes them",
        "Please resurface Mill Road before someone comes off their bike",
    ]
    vectors = np.array([[1.0, 0.0], [0.8, 0.6], [0.8, -0.6]], dtype=np.float32)
    centre = np.array([1.0, 0.0], dtype=np.float32)
    quotes = CentralQuotes(n_quotes=3, max_similarity=0.99).select(
        texts, [0, 1, 2], vectors, centre
    )
    assert [q.index for q in quotes] == [2, 1, 0]
