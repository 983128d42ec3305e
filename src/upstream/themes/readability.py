"""How well a set of theme names lets a reader sort items: the granularity criterion.

A theme name works when someone who sees only the names can put an item under
its theme. :func:`name_agreement` plays a literal-minded reader: it places each
item under the name whose words the item uses most (at least half of the
name's content words, after crude stemming), or nowhere, and counts how often
that is the item's own theme. It is a floor for a person, who also places items
by meaning, but it falls in the same places a person does: names that overlap
("Youth club", "Youth centre"), names no item uses ("Example"), and subjects
buried inside a theme named after another subject.

:func:`readable_k` uses it to choose how many themes to show: every candidate
number is cut from the same tree, named, and read; the number whose names are
read best wins, ties to the smaller number. See ``docs/adr/0007-theme-model-and-granularity.md``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from upstream.evidence.stopwords import STOP_WORDS

__all__ = ["FEW_FIT", "content_stems", "name_agreement", "name_coverage", "readable_k"]

Ints = npt.NDArray[np.int64]
_WORD = re.compile(r"[^\W\d_]{2,}")
_SUFFIXES = ("ies", "es", "s", "ing", "ed")
_PLACED = 0.5


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_stems(text: str) -> frozenset[str]:
    """The stems of a text's content words ("Better buses" -> {"better", "bus"}).

    Args:
        text: Any text.

    Returns:
        Lower-cased, crudely stemmed words that are not stop words.
    """
    return frozenset(
        _stem(word)
        for word in (w.casefold() for w in _WORD.findall(text))
        if word not in STOP_WORDS
    )


def name_agreement(texts: Sequence[str], labels: Sequence[int], names: Sequence[str]) -> float:
    """Share of themed items a literal reader places under their own theme's name.

    Args:
        texts: The items.
        labels: Each item's theme number (negative: unthemed, not counted).
        names: Theme names, by number.

    Returns:
        A share in [0, 1]; 0 when no item is themed.
    """
    stems = [content_stems(name) for name in names]
    themed = agreed = 0
    for text, label in zip(texts, labels, strict=True):
        if label < 0:
            continue
        themed += 1
        words = content_stems(text)
        best, best_share = -1, 0.0
        for number, name in enumerate(stems):
            if not name:
                continue
            share = len(name & words) / len(name)
            if share > best_share:
                best, best_share = number, share
        agreed += best == label and best_share >= _PLACED
    return agreed / themed if themed else 0.0


FEW_FIT = 0.25
"""A name used by under this share of a group's items fits few of them: the group is a mix."""


def name_coverage(name: str, texts: Sequence[str]) -> float:
    """Share of texts that use at least half of a name's content words.

    Args:
        name: A theme name.
        texts: The theme's items.

    Returns:
        A share in [0, 1]; 0 for no texts or a name with no content words.
    """
    stems = content_stems(name)
    if not texts or not stems:
        return 0.0
    used = sum(len(stems & content_stems(text)) * 2 >= len(stems) for text in texts)
    return used / len(texts)


def readable_k(
    partitions: dict[int, Ints],
    texts: Sequence[str],
    namer: Callable[[Sequence[Sequence[int]]], list[str]],
) -> tuple[int, dict[int, float]]:
    """Choose the number of themes whose names a reader sorts items under best.

    Args:
        partitions: Candidate number of themes -> each text's theme (0..k-1).
        texts: The texts the partitions cover.
        namer: Names groups of positions in ``texts``, one name per group.

    Returns:
        The chosen number and every candidate's score.
    """
    scores: dict[int, float] = {}
    for k, labels in sorted(partitions.items()):
        groups = [
            np.flatnonzero(labels == number).tolist() for number in range(int(labels.max()) + 1)
        ]
        scores[k] = round(name_agreement(texts, labels.tolist(), namer(groups)), 5)
    # Strictly better only: on a tie the smaller, easier-to-take-in number wins.
    best = min(scores, key=lambda k: (-scores[k], k))
    return best, scores
