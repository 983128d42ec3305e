"""Search by meaning: rank the items a person may see by cosine similarity to a query.

Item vectors live in the store's embedding cache, keyed by (model id, text
hash), so coding runs and this search share them. Each machine keeps a copy of
each workspace's vectors in a memory-mapped file that every process shares
(:mod:`upstream.workflows.search_index`, ADR 0008); a process maps it instead of
loading the vectors, and brings it up to date when the workspace's data version
changes, so a query over 100,000 items is one matrix-vector product.
Visibility and the browser's filters are applied in SQL
(:class:`~upstream.store.visibility.ScopedEvidence`); the sets of allowed ids
are cached per data version too. Nothing is downloaded: embedders that need
weights load them from installed packages.
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import numpy as np
import numpy.typing as npt

from upstream.caching import Lru
from upstream.embed import CachedEmbedder, Embedder, get_embedder
from upstream.records.stored import ItemRecord
from upstream.store import Store
from upstream.store.accounts import EvidenceQuery
from upstream.store.embedding_store import StoreEmbeddingCache, workspace_item_texts
from upstream.store.visibility import ScopedEvidence
from upstream.workflows.search_index import Scores, VectorIndex, VectorSnapshot

__all__ = ["IndexStatus", "MeaningPage", "SemanticSearch", "search_embedder"]

IdArray = npt.NDArray[np.int64]
Matrix = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]
Reporter = Callable[[int, int], None]
_BATCH = 256
_ALLOWED_CACHE = 64
_RANKINGS_CACHE = 128
_RANKED_DEPTH = 500
# Fitted models (TF-IDF) change their model id with the corpus, so a query could
# never be embedded in the same space as the stored items.
_UNFITTED = {"tfidf"}


@lru_cache(maxsize=8)
def _embedder(name: str) -> tuple[Embedder, threading.Lock]:
    return get_embedder(name), threading.Lock()


def search_embedder(name: str) -> Embedder:
    """The process-wide embedder for meaning search (neural weights load once).

    Args:
        name: An embedder name from :func:`upstream.embed.embedder_names`, except
            ``tfidf``, which must be fitted to a corpus first.

    Returns:
        The embedder.

    Raises:
        ValueError: The name is unknown or names a model that needs fitting.
    """
    key = name.strip().lower()
    if key in _UNFITTED:
        raise ValueError(f"the {name!r} model must be fitted first; choose another for search")
    return _embedder(key)[0]


def _embed(name: str, texts: Sequence[str], cache: StoreEmbeddingCache | None = None) -> Matrix:
    inner, lock = _embedder(name.strip().lower())
    embedder: Embedder = inner if cache is None else CachedEmbedder(inner, cache)
    with lock:  # some neural back ends are not safe to call from two threads at once
        return np.asarray(embedder.embed(list(texts)), dtype=np.float32)


@lru_cache(maxsize=256)
def _query_vector(name: str, text: str) -> npt.NDArray[np.float32]:
    """A query's vector, kept: turning the pages of one search embeds it once."""
    vector: npt.NDArray[np.float32] = _embed(name, [text])[0]
    vector.flags.writeable = False
    return vector


@dataclass(frozen=True, slots=True)
class IndexStatus:
    """How much of the evidence a person can see is ready for meaning search.

    Attributes:
        model: The embedder's model id.
        indexed: Visible items that have a vector.
        total: Visible items.
    """

    model: str
    indexed: int
    total: int

    @property
    def missing(self) -> int:
        """Visible items not indexed yet."""
        return max(0, self.total - self.indexed)

    @property
    def complete(self) -> bool:
        """Whether every visible item is indexed."""
        return self.missing == 0


@dataclass(frozen=True, slots=True)
class MeaningPage:
    """One page of a meaning search.

    Attributes:
        items: The items, closest first.
        scores: Cosine similarity of each item to the query (-1 to 1).
        total: Indexed visible items that match the filters (all are ranked).
        status: How much is indexed.
    """

    items: list[ItemRecord]
    scores: list[float]
    total: int
    status: IndexStatus


@dataclass
class _State:
    """Everything kept in memory for one open store."""

    indexes: dict[tuple[int, str], VectorIndex] = field(default_factory=dict)
    allowed: Lru[tuple[Any, ...], tuple[IdArray, bool]] = field(
        default_factory=lambda: Lru(_ALLOWED_CACHE)
    )
    masks: Lru[tuple[Any, ...], tuple[BoolArray | None, int]] = field(
        default_factory=lambda: Lru(_ALLOWED_CACHE)
    )
    rankings: Lru[tuple[Any, ...], tuple[IdArray, Scores]] = field(
        default_factory=lambda: Lru(_RANKINGS_CACHE)
    )
    lock: threading.Lock = field(default_factory=threading.Lock)


_STATES: weakref.WeakKeyDictionary[Store, _State] = weakref.WeakKeyDictionary()
_STATES_LOCK = threading.Lock()


def _state(store: Store) -> _State:
    with _STATES_LOCK:
        found = _STATES.get(store)
        if found is None:
            found = _STATES[store] = _State()
        return found


class SemanticSearch:
    """Meaning search over one workspace, as one person may see it.

    Args:
        evidence: The workspace's evidence under the person's visibility scope.
        model: Embedder name (``default`` is the Universal Sentence Encoder).

    Raises:
        ValueError: The model is unknown or needs fitting (see :func:`search_embedder`).
    """

    def __init__(self, evidence: ScopedEvidence, model: str = "default") -> None:
        self.evidence = evidence
        self.model = model
        self.model_id = search_embedder(model).model_id
        self._state = _state(evidence.workspace.store)
        key = (evidence.workspace.id, self.model_id)
        with self._state.lock:
            found = self._state.indexes.get(key)
            if found is None:
                found = self._state.indexes[key] = VectorIndex(evidence.workspace, self.model_id)
            self._index = found

    # Keeping the in-memory matrix in step with the store ------------------------

    def _sync(self, version: tuple[int, ...]) -> None:
        self._index.sync(version)

    def _allowed(self, q: EvidenceQuery, version: tuple[int, ...]) -> tuple[IdArray, bool] | None:
        """Ids the person may see that match ``q``, or (second) the ids they may not see.

        None when they may see every item. Without filters, the items hidden
        from an organisation are the few others keep private, so those are read
        rather than every visible id.
        """
        scope = self.evidence.scope
        unfiltered = q == EvidenceQuery()
        if scope.see_all and unfiltered:
            return None
        key = (self.evidence.workspace.id, scope, q, version)
        state = self._state
        found = state.allowed.get(key)
        if found is not None:
            return found
        if unfiltered and scope.submitted_by is None:
            value = (np.array(self.evidence.hidden_ids(), dtype=np.int64), True)
        else:
            value = (np.array(self.evidence.matching_ids(q), dtype=np.int64), False)
        state.allowed.put(key, value)
        return value

    def _mask(
        self, q: EvidenceQuery, version: tuple[int, ...], ids: IdArray, generation: int
    ) -> tuple[BoolArray | None, int]:
        """Which indexed rows match ``q`` for this person (None: all), and how many items do.

        Cached per data version and index generation, so a repeated search costs
        one matrix-vector product.
        """
        allowed = self._allowed(q, version)
        workspace_items = len(self._index.workspace_ids)
        if allowed is None:
            return None, workspace_items
        scope = self.evidence.scope
        key: tuple[Any, ...] = (self.evidence.workspace.id, scope, q, version)
        key += (self.model_id, generation)  # masks line up with one index's rows
        state = self._state
        found = state.masks.get(key)
        if found is not None:
            return found
        listed, hidden = allowed
        if hidden:
            value = (~np.isin(ids, listed), workspace_items - len(listed))
        else:
            value = (np.isin(ids, listed, assume_unique=True), len(listed))
        state.masks.put(key, value)
        return value

    def _status(self, version: tuple[int, ...], ids: IdArray, generation: int) -> IndexStatus:
        mask, total = self._mask(EvidenceQuery(), version, ids, generation)
        indexed = len(ids) if mask is None else int(mask.sum())
        return IndexStatus(self.model_id, indexed, total)

    def status(self) -> IndexStatus:
        """How many of the items this person can see are indexed."""
        version = self.evidence.data_version()
        self._sync(version)
        snapshot = self._index.snapshot()
        return self._status(version, snapshot.ids, snapshot.generation)

    # Building --------------------------------------------------------------------

    def build(self, progress: Reporter | None = None, batch: int = _BATCH) -> int:
        """Embed every item of the workspace that has no vector yet (all scopes).

        Vectors go to the store's embedding cache and straight into the
        index, so searches use them while the rest are embedded; the machine's
        vector file is rewritten as they accumulate and at the end.

        Args:
            progress: Called with (items embedded, items to embed) after each batch.
            batch: Items per batch.

        Returns:
            How many items were embedded.
        """
        report = progress or (lambda _done, _total: None)
        self._sync(self.evidence.data_version())
        index = self._index
        todo = np.setdiff1d(index.workspace_ids, index.snapshot().ids)
        report(0, len(todo))
        cache = StoreEmbeddingCache(self.evidence.workspace)
        done = 0
        for start in range(0, len(todo), batch):
            chunk = todo[start : start + batch]
            texts = workspace_item_texts(self.evidence.workspace, chunk.tolist())
            chunk_ids = np.array(list(texts), dtype=np.int64)
            if len(chunk_ids):
                vectors = _embed(self.model, list(texts.values()), cache)
                index.add(chunk_ids, vectors, flush=False)  # written once, at the end
            done += len(chunk)
            report(done, len(todo))
        index.flush()
        return done

    # Searching -------------------------------------------------------------------

    def search(
        self, text: str, q: EvidenceQuery | None = None, *, limit: int = 50, offset: int = 0
    ) -> MeaningPage:
        """A page of the visible, indexed items matching ``q``, closest in meaning first.

        Args:
            text: What to look for, in the person's own words.
            q: Filters; its ``text`` field is ignored (``text`` is used instead).
            limit: Items per page.
            offset: Items to skip.

        Returns:
            The page, with every indexed matching item counted in ``total``.
        """
        filters = _without_text(q or EvidenceQuery())
        version = self.evidence.data_version()
        self._sync(version)
        snapshot = self._index.snapshot()
        ids, generation = snapshot.ids, snapshot.generation
        status = self._status(version, ids, generation)
        mask, _matching = self._mask(filters, version, ids, generation)
        total = len(ids) if mask is None else int(mask.sum())
        wanted = min(offset + limit, total)
        if wanted <= offset or not text.strip() or not len(ids):
            return MeaningPage([], [], total, status)
        key: tuple[Any, ...] = (self.evidence.workspace.id, self.evidence.scope, filters, version)
        key += (self.model_id, generation, text.strip())
        ranked_ids, ranked_scores = self._ranking(key, snapshot, text.strip(), mask, wanted)
        page_ids, page_scores = ranked_ids[offset:wanted], ranked_scores[offset:wanted]
        items = self.evidence.items_by_id([int(i) for i in page_ids])
        by_id = {int(i): float(s) for i, s in zip(page_ids, page_scores, strict=True)}
        return MeaningPage(items, [by_id[item.id] for item in items], total, status)

    def _ranking(
        self,
        key: tuple[Any, ...],
        snapshot: VectorSnapshot,
        text: str,
        mask: BoolArray | None,
        wanted: int,
    ) -> tuple[IdArray, Scores]:
        """The ``wanted`` closest matching ids and their scores, best first.

        Scoring reads every vector (200 MB at 100,000 items of 512 numbers), so a
        ranking is kept per person's scope, filters, query and data version, at
        least :data:`_RANKED_DEPTH` deep: turning the pages of a search, or
        running it again, reads the vectors once.
        """
        state = self._state
        found = state.rankings.get(key)
        if found is not None and len(found[0]) >= wanted:
            return found
        ids = snapshot.ids
        scores = snapshot.scores(_query_vector(self.model, text))
        if mask is not None:
            scores[~mask] = -np.inf
        depth = min(max(wanted, _RANKED_DEPTH), len(scores))
        top = np.argpartition(-scores, depth - 1)[:depth]
        top = top[np.lexsort((-ids[top], -scores[top]))]
        # Rows the filters exclude score -inf; they never reach a page (wanted <= total).
        value = (ids[top].copy(), scores[top].copy())
        state.rankings.put(key, value)
        return value


def _without_text(q: EvidenceQuery) -> EvidenceQuery:
    return replace(q, text="") if q.text else q
