"""Drivers, barriers and enablers: classify evidence with the built-in ``dbe`` codebook.

Classification is behind :class:`DbeClassifier`, a one-method protocol, so the
lead (or a user) can swap the default - the project's zero-shot
:class:`~upstream.coding.coder.FrameworkCoder` - for a supervised coder or
stored human codings without touching the pattern code.

Which enablers answer which barrier comes from the codebook itself: a barrier's
definition, include and exclude notes name the enablers that are its
counterpart ("pooled budgets helping (enabler.pooled_budgets)"), and an
enabler's notes name the barrier it overcomes. A barrier that names no enabler
is linked to the enabler whose wording is most similar (TF-IDF cosine over
title, definition, include notes and examples), so every barrier has at least one.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from sklearn.base import BaseEstimator  # type: ignore[import-untyped]
from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

from upstream.embed.base import Embedder
from upstream.frameworks import Codebook, load_codebook

__all__ = [
    "DbeClassifier",
    "DbeLabel",
    "ZeroShotDbe",
    "barrier_enabler_links",
    "classify_dbe",
    "kind_of",
    "topic_pairs",
]

_KINDS = ("driver", "barrier", "enabler")


def kind_of(code: str | None) -> str | None:
    """``driver``, ``barrier`` or ``enabler`` for a dbe code id (its top-level part)."""
    if not code:
        return None
    head = code.split(".", 1)[0]
    return head if head in _KINDS else None


@dataclass(frozen=True)
class DbeLabel:
    """The classification of one item.

    Attributes:
        code: The most probable dbe code (e.g. ``barrier.procurement``), or
            ``None`` when the classifier abstains.
        kind: ``driver``, ``barrier`` or ``enabler`` (``None`` when abstaining).
        confidence: The classifier's confidence in ``code``.
        codes: Every code at or above the threshold, with its probability.
    """

    code: str | None
    kind: str | None
    confidence: float
    codes: tuple[tuple[str, float], ...] = ()


class DbeClassifier(Protocol):
    """Anything that classifies texts into dbe codes."""

    def classify(self, texts: Sequence[str]) -> list[DbeLabel]:
        """Return one label per text, in order."""
        ...


class ZeroShotDbe(BaseEstimator):  # type: ignore[misc]
    """The default classifier: the project's framework coder, zero-shot on ``dbe``.

    Args:
        embedder: Embedder name or instance for the coder.
        threshold: Items below this confidence are left unclassified (None: the
            codebook's own threshold, as every other way of coding with it uses).
        seed: The coder's seed.
    """

    def __init__(
        self, embedder: str | Embedder = "default", threshold: float | None = None, seed: int = 0
    ) -> None:
        self.embedder = embedder
        self.threshold = threshold
        self.seed = seed

    def classify(self, texts: Sequence[str]) -> list[DbeLabel]:
        """Classify texts (the coder learns its vocabulary from them and the codebook).

        Args:
            texts: The texts.

        Returns:
            One label per text.
        """
        from upstream.coding.coder import make_coder  # the coder is heavy; load on use

        items = list(texts)
        if not items:
            return []
        coder = make_coder(load_codebook("dbe"), embedder=self.embedder, threshold=self.threshold)
        coder.set_params(explain=False, seed=self.seed).fit(items)
        return [
            DbeLabel(r.code, kind_of(r.code), round(r.confidence, 4), r.codes)
            for r in coder.predict(items)
        ]


def classify_dbe(texts: Sequence[str], classifier: DbeClassifier | None = None) -> list[DbeLabel]:
    """Classify texts as drivers, barriers or enablers of change.

    Args:
        texts: The texts.
        classifier: Who classifies (default: :class:`ZeroShotDbe`).

    Returns:
        One label per text, in order.
    """
    return (classifier or ZeroShotDbe()).classify(texts)


def _mentions(text: str, ids: Sequence[str]) -> list[str]:
    return [i for i in ids if re.search(rf"(?<![\w.]){re.escape(i)}(?![\w])", text)]


def topic_pairs(codebook: Codebook | None = None) -> dict[str, list[str]]:
    """Barriers and the enablers on the same topic with the opposite direction.

    A pair is one the codebook draws both ways: the barrier's notes name the
    enabler as what helps (``pooled budgets helping (enabler.pooled_budgets)``)
    and the enabler's notes name the barrier as its opposite (``Lack of money
    (barrier.funding)``). A one-way mention is not enough: "commissioning
    approaches that help (enabler.relationships)" says that some trusted
    relationships are about procurement, not that every one is.

    Args:
        codebook: A drivers/barriers/enablers codebook (default: built-in ``dbe``).

    Returns:
        Barrier id -> enabler ids on its topic (an empty list when none is).
    """
    book = codebook or load_codebook("dbe")

    def notes(code: object) -> str:
        return " ".join(getattr(code, f) for f in ("definition", "include", "exclude"))

    barriers = [c for c in book.codes if kind_of(c.id) == "barrier" and c.id != "barrier"]
    enablers = [c for c in book.codes if kind_of(c.id) == "enabler" and c.id != "enabler"]
    names_back = {e.id: set(_mentions(notes(e), [b.id for b in barriers])) for e in enablers}
    return {
        b.id: [e for e in _mentions(notes(b), list(names_back)) if b.id in names_back[e]]
        for b in barriers
    }


def barrier_enabler_links(codebook: Codebook | None = None) -> dict[str, list[str]]:
    """Map each barrier code to the enabler codes that answer it.

    Args:
        codebook: A drivers/barriers/enablers codebook (default: built-in ``dbe``).

    Returns:
        Barrier id -> enabler ids, named ones first (codebook order), then at
        most one found by similarity for a barrier that names none.
    """
    book = codebook or load_codebook("dbe")
    barriers = [c for c in book.codes if kind_of(c.id) == "barrier" and c.id != "barrier"]
    enablers = [c for c in book.codes if kind_of(c.id) == "enabler" and c.id != "enabler"]
    enabler_ids = [c.id for c in enablers]
    links: dict[str, list[str]] = {b.id: [] for b in barriers}
    for barrier in barriers:
        notes = " ".join([barrier.definition, barrier.include, barrier.exclude])
        links[barrier.id] += _mentions(notes, enabler_ids)
    for enabler in enablers:
        notes = " ".join([enabler.definition, enabler.include, enabler.exclude])
        for barrier_id in _mentions(notes, list(links)):
            if enabler.id not in links[barrier_id]:
                links[barrier_id].append(enabler.id)
    unlinked = [b for b in barriers if not links[b.id]]
    if unlinked and enablers:

        def wording(code: object) -> str:
            parts = [getattr(code, f) for f in ("title", "definition", "include")]
            return " ".join([*parts, *getattr(code, "examples", ())])

        vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
        matrix = vectorizer.fit_transform([wording(c) for c in [*unlinked, *enablers]])
        similarity = (matrix[: len(unlinked)] @ matrix[len(unlinked) :].T).toarray()
        for row, barrier in enumerate(unlinked):
            links[barrier.id].append(enabler_ids[int(np.argmax(similarity[row]))])
    return {b: sorted(e, key=enabler_ids.index) for b, e in links.items()}
