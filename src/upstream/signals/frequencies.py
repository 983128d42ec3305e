"""Word and phrase frequencies, with stop words, and a word-cloud picture.

Counts are of the items a word appears in (document frequency), not of raw
occurrences, so one long rant repeating a word forty times counts once - the
figure people quote is "how many replies mentioned it".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer  # type: ignore[import-untyped]

from upstream.embed.base import MissingExtraError
from upstream.evidence.stopwords import STOP_WORDS

__all__ = ["phrase_frequencies", "word_cloud", "word_frequencies"]

_TOKEN = r"(?u)\b[^\W\d_]{2,}\b"


def _frequencies(
    texts: Sequence[str], ngrams: tuple[int, int], top: int, stop_words: Iterable[str]
) -> list[tuple[str, int]]:
    items = [t.replace("’", "'") for t in texts]
    if not any(t.strip() for t in items):
        return []
    counter = CountVectorizer(
        ngram_range=ngrams,
        stop_words=sorted(set(stop_words)),
        token_pattern=_TOKEN,
        strip_accents="unicode",
        binary=True,
    )
    try:
        matrix = counter.fit_transform(items)
    except ValueError:  # only stop words
        return []
    counts = np.asarray(matrix.sum(axis=0)).ravel()
    terms = counter.get_feature_names_out()
    order = np.lexsort((terms, -counts))[:top]
    return [(str(terms[i]), int(counts[i])) for i in order]


def word_frequencies(
    texts: Sequence[str], *, top: int = 50, stop_words: Iterable[str] = STOP_WORDS
) -> list[tuple[str, int]]:
    """The most frequent words and how many items use each.

    Args:
        texts: The texts.
        top: How many to return.
        stop_words: Words to ignore (default: English plus common domain words).

    Returns:
        ``(word, items)`` pairs, most frequent first (ties alphabetical).
    """
    return _frequencies(texts, (1, 1), top, stop_words)


def phrase_frequencies(
    texts: Sequence[str], *, top: int = 30, stop_words: Iterable[str] = STOP_WORDS
) -> list[tuple[str, int]]:
    """The most frequent two- and three-word phrases and how many items use each.

    Args:
        texts: The texts.
        top: How many to return.
        stop_words: Words removed before phrases are formed.

    Returns:
        ``(phrase, items)`` pairs, most frequent first (ties alphabetical).
    """
    return _frequencies(texts, (2, 3), top, stop_words)


def word_cloud(
    frequencies: Mapping[str, float] | Sequence[tuple[str, float]],
    path: Path,
    *,
    width: int = 1200,
    height: int = 600,
    max_words: int = 100,
    seed: int = 0,
) -> Path:
    """Draw a word cloud as a PNG with the font that ships inside ``wordcloud``.

    Args:
        frequencies: Word -> weight (e.g. from :func:`word_frequencies`).
        path: Where to write the PNG (parent folders are created).
        width: Width in pixels.
        height: Height in pixels.
        max_words: Most words drawn.
        seed: Seed of the layout, so the same words give the same picture.

    Returns:
        The path written.

    Raises:
        MissingExtraError: If the ``wordcloud`` package is not installed.
        ValueError: If there are no words to draw.
    """
    try:
        from wordcloud import WordCloud  # type: ignore[import-untyped]
    except ImportError as exc:
        raise MissingExtraError("the word cloud", "signals", ["wordcloud"]) from exc
    weights = {word: float(w) for word, w in dict(frequencies).items() if w > 0}
    if not weights:
        raise ValueError("there are no words to draw")
    cloud = WordCloud(
        width=width,
        height=height,
        max_words=max_words,
        background_color="white",
        colormap="viridis",
        random_state=seed,
        prefer_horizontal=0.9,
    ).generate_from_frequencies(weights)
    path.parent.mkdir(parents=True, exist_ok=True)
    cloud.to_file(str(path))
    return path
