"""The review loop: learn from people's decisions as they make them.

After every :data:`BATCH` decisions on a framework, a small head over the text
vectors the coding run already stored is refitted on all decisions so far (a
second or two, see :mod:`upstream.coding.incremental`). It is used twice:

* to put the review queue in teaching order (typical items from parts of the
  evidence with few decisions at first, then uncertain items unlike each other:
  see :func:`~upstream.coding.active.teaching_order`), and
* to say how much the coder has learned: how often the run's suggestions were
  right on the items people decided, against how often the retrained coder is
  right on decisions it did not learn from (cross-validated).

The full coder still learns from the decisions when the workspace is coded
again ("Retrain now"); this loop only makes each decision count straight away.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import numpy.typing as npt

from upstream.coding.active import teaching_order
from upstream.coding.features import code_prototypes
from upstream.coding.incremental import HeadQuality, IncrementalHead, cross_validated_quality
from upstream.embed import CachedEmbedder, get_embedder
from upstream.embed.base import Embedder
from upstream.embed.lexical import TfidfEmbedder
from upstream.embed.registry import embedder_for
from upstream.frameworks.model import Codebook
from upstream.records.stored import ItemRecord, RunRecord
from upstream.store import Workspace
from upstream.store.coding_repository import CodingStore, ReviewCandidate
from upstream.store.embedding_store import StoreEmbeddingCache

__all__ = [
    "BATCH",
    "MIN_JUDGED",
    "LearningProgress",
    "describe",
    "learning_state",
    "teaching_queue",
]

BATCH = 10
"""The coder learns again after this many decisions."""
MIN_JUDGED = 10
"""Fewer judged suggestions than this say too little to give a precision."""
_DEFAULT_THRESHOLD = 0.35
# The coder's scale for codebook similarity (FrameworkCoder: 0.1 / temperature 0.05).
_PRIOR_SCALE = 2.0
_CACHE_SIZE = 32


@dataclass(frozen=True)
class LearningProgress:
    """How the coder has improved from people's decisions on one framework.

    Attributes:
        decisions: Decisions learned from (a multiple of the batch size).
        before: Share of the run's suggestions (at its threshold) that people
            accepted, on the items they decided; ``None`` if it suggested none.
        before_items: How many of the decided items the run had suggested a code for.
        after: The retrained coder's held-out quality on the decisions.
        threshold: The confidence at which a code is suggested.
    """

    decisions: int
    before: float | None
    before_items: int
    after: HeadQuality
    threshold: float


@dataclass
class _State:
    head: IncrementalHead
    embedder: Embedder
    prototypes: npt.NDArray[np.float32]
    averaging: npt.NDArray[np.float64]
    classes: list[str]
    counts: npt.NDArray[np.float64]
    decided: npt.NDArray[np.float32]
    progress: LearningProgress
    # The queue's order for this batch, per choice of items (all, or one
    # organisation's): kept until the next batch, so deciding one item does not
    # reshuffle the rest.
    orders: dict[str, list[int]] = field(default_factory=dict)

    def prior(self, vectors: npt.NDArray[np.float32]) -> npt.NDArray[np.float64]:
        similarity = vectors.astype(np.float64) @ self.prototypes.T.astype(np.float64)
        return np.asarray(_PRIOR_SCALE * similarity @ self.averaging, dtype=np.float64)


def _out_of(share: float, count: int) -> str:
    """How often, as a share of 100 for many items and as a plain count for fewer."""
    if count >= 100:
        return f"{share * 100:.0f} times in 100"
    return f"{round(share * count):,} times out of {count:,}"


def describe(
    progress: LearningProgress | None, decided: int, coded: int | None = None
) -> tuple[str, str]:
    """The review page's statement of what the coder has learned, in plain English.

    Args:
        progress: What :func:`learning_state` found, or ``None``.
        decided: Decisions by people so far on the framework.
        coded: Of those, the items a person gave a code (accepted or recoded): only
            these teach it (default: all of them).

    Returns:
        A headline ("After your 40 decisions, expected precision 0.71 → 0.78.",
        or "The review queue has learned from your 10 decisions ..." while too few have been
        judged to give a precision) and the sentence that says what the figures
        mean; both empty when there is nothing to say yet.
    """
    if progress is None:
        teaching = decided if coded is None else coded
        if teaching < BATCH:
            first = f"The review queue starts learning from your decisions after the first {BATCH}"
            if teaching == decided:
                return "", first + "."
            # Rejecting a suggestion, or finding no code fits, checks the machine but
            # gives the coder no code to learn.
            return "", (
                f"{first} that give an item a code (accepting or recoding it): "
                f"{teaching:,} of your {decided:,} decisions "
                f"{'does' if teaching == 1 else 'do'} so far."
            )
        return "", ""
    after = progress.after
    sure = f"{progress.threshold * 100:.0f}% sure or more"
    would_code = round(after.coded * after.decisions)
    estimable = (
        progress.before is not None
        and progress.before_items >= MIN_JUDGED
        and after.precision is not None
        and would_code >= MIN_JUDGED
    )
    learned = f"your {progress.decisions:,} decisions"
    if decided > progress.decisions:
        learned = f"{progress.decisions:,} of your decisions"
    headline = (
        f"The review queue has learned from {learned} that give an item a code; it learns "
        f"again at {progress.decisions + BATCH}."
    )
    if estimable:
        headline = (
            f"After {learned}, expected precision {progress.before:.2f} → {after.precision:.2f}."
        )
    if progress.before is None:
        first = f"Before you decided, the machine had no suggestion at {sure} for these items."
    elif progress.before_items < MIN_JUDGED:
        first = (
            f"Before you decided, the machine had {_suggestions(progress.before_items)} at "
            f"{sure} for these items: too few to say how often it is right."
        )
    else:
        judged = progress.before_items
        first = (
            f"Before you decided, the machine's suggestions on these items were right "
            f"{_out_of(progress.before, judged)} ({_suggestions(judged)} at {sure})."
        )
    if after.precision is None:
        second = f"Retrained on your decisions, it is not yet {sure} of any of them"
    elif would_code < MIN_JUDGED:
        second = (
            f"Retrained on your decisions, it would code {would_code:,} of those it did not "
            f"learn from at {sure}: too few to say how often it is right"
        )
    else:
        second = (
            f"Retrained on your decisions, it is right {_out_of(after.precision, would_code)} "
            f"on decisions it did not learn from, and would code {after.coded * 100:.0f}% of them"
        )
    third = f"; its best guess matches yours {_out_of(after.accuracy, after.decisions)}."
    return headline, f"{first} {second}{third}"


def _suggestions(count: int) -> str:
    return "one suggestion" if count == 1 else f"{count:,} suggestions"


_cache: OrderedDict[tuple[int, int, int], _State | None] = OrderedDict()
_lock = threading.Lock()


def learning_state(
    workspace: Workspace, run: RunRecord, codebook: Codebook
) -> LearningProgress | None:
    """What the coder has learned from the decisions on a run's framework.

    Args:
        workspace: The workspace.
        run: A finished coding run.
        codebook: The run's codebook.

    Returns:
        The progress, or ``None`` before the first :data:`BATCH` decisions (or
        when the run's text model has to be fitted to a corpus first).
    """
    state = _state(workspace, run, codebook)
    return state.progress if state is not None else None


def teaching_queue(
    workspace: Workspace,
    run: RunRecord,
    codebook: Codebook,
    candidates: Sequence[ReviewCandidate],
    size: int,
    scope: str = "",
) -> list[ReviewCandidate]:
    """Put waiting items in teaching order using the coder retrained on the decisions.

    The order is worked out once per batch of decisions: until the next batch,
    deciding an item takes it out and leaves the others where they were, and
    new places are filled in the run's own order.

    Args:
        workspace: The workspace.
        run: The coding run the candidates come from.
        codebook: Its codebook.
        candidates: Items waiting for review, most uncertain first by the run's own priority.
        size: How many to return.
        scope: Which items the candidates were chosen from (an organisation's
            name, or empty for every item), so each choice keeps its own order.

    Returns:
        The first ``size`` candidates in teaching order (the run's order until
        the first batch of decisions).
    """
    state = _state(workspace, run, codebook)
    if state is None or not candidates:
        return list(candidates[:size])
    if scope not in state.orders:
        vectors = state.embedder.embed([c.item.text for c in candidates])
        probabilities = state.head.predict_proba(vectors, state.prior(vectors))
        order = teaching_order(
            probabilities, vectors, state.counts, batch=size, decided_vectors=state.decided
        )
        state.orders[scope] = [candidates[i].item.id for i in order[:size]]
    by_id = {c.item.id: c for c in candidates}
    kept = [by_id[i] for i in state.orders[scope] if i in by_id]
    chosen = {c.item.id for c in kept}
    return (kept + [c for c in candidates if c.item.id not in chosen])[:size]


def _state(workspace: Workspace, run: RunRecord, codebook: Codebook) -> _State | None:
    store = CodingStore(workspace)
    codebook_id = store.codebook_id(codebook.id)
    if codebook_id is None:
        return None
    position = {code: i for i, code in enumerate(codebook.ids())}
    given: dict[int, list[str]] = {}
    items: dict[int, ItemRecord] = {}
    for item, code in store.human_labels(codebook_id):
        if code in position:
            given.setdefault(item.id, []).append(code)
            items[item.id] = item
    # The head learns one code per decision, the first a person gave; an item given
    # several codes still counts each of them when its suggestion is judged.
    labels = [(items[i], codes[0]) for i, codes in given.items()]
    # Learn per completed batch: the same state serves every page until the next one.
    learned = len(labels) - len(labels) % BATCH
    if learned < BATCH:
        return None
    key = (workspace.id, run.id, learned)
    with _lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    state = _learn(workspace, run, codebook, store, codebook_id, labels[:learned], position, given)
    with _lock:
        _cache[key] = state
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return state


def _learn(
    workspace: Workspace,
    run: RunRecord,
    codebook: Codebook,
    store: CodingStore,
    codebook_id: int,
    labels: Sequence[tuple[ItemRecord, str]],
    position: dict[str, int],
    given: dict[int, list[str]],
) -> _State | None:
    inner = get_embedder(embedder_for(str(run.versions.get("embedder", ""))))
    if isinstance(inner, TfidfEmbedder):
        return None  # fitted to each corpus: there are no stored vectors to reuse
    # The run stored the vectors of every item and codebook text: no model runs here.
    embedder = CachedEmbedder(inner, StoreEmbeddingCache(workspace))
    prototypes = code_prototypes(codebook.codes)
    proto_vectors = embedder.embed(list(prototypes.texts))
    owner = np.array([position[c] for c in prototypes.codes], dtype=np.intp)
    averaging = np.zeros((len(owner), len(position)))
    averaging[np.arange(len(owner)), owner] = 1.0
    averaging /= averaging.sum(axis=0).clip(min=1.0)
    items = [item for item, _ in labels]
    y = np.array([position[code] for _, code in labels], dtype=np.intp)
    vectors = embedder.embed([item.text for item in items])
    head = IncrementalHead(proto_vectors, owner, len(position))
    state = _State(
        head,
        embedder,
        proto_vectors,
        averaging,
        list(position),
        np.bincount(y, minlength=len(position)).astype(np.float64),
        np.asarray(vectors, dtype=np.float32),
        LearningProgress(0, None, 0, HeadQuality(0, 0.0, 0.0, None), 0.0),
    )
    prior = state.prior(vectors)
    threshold = run.parameters.get("threshold")
    cut = float(threshold) if isinstance(threshold, int | float) else _DEFAULT_THRESHOLD
    after = cross_validated_quality(head, vectors, y, cut, prior)
    head.fit(vectors, y, prior)
    decided = {item.id: set(given[item.id]) for item, _ in labels}
    before, suggested = _run_precision(store, codebook_id, decided, cut)
    state.progress = LearningProgress(len(y), before, suggested, after, cut)
    return state


def _run_precision(
    store: CodingStore, codebook_id: int, chosen: dict[int, set[str]], threshold: float
) -> tuple[float | None, int]:
    """Share of the machine's suggestions people agreed with, on the items they decided.

    Each decided item is judged on the suggestion the person could see when they
    decided: the newest suggestion made before their decision. A run coded after
    the decision learned from it, and its suggestion there is the decision
    played back ("Retrain now" would otherwise score itself right every time).
    """
    codings = store.codings(item_ids=list(chosen), codebook_id=codebook_id)
    decided_at: dict[int, datetime] = {}
    for coding in codings:
        # A person's decision (a story's writer placing it is kept as "suggested").
        if coding.origin == "human" and coding.status == "accepted":
            decided_at[coding.item_id] = coding.created_at
    seen: dict[int, tuple[int, float, str]] = {}  # item -> (run, confidence, code)
    for coding in codings:
        when = decided_at.get(coding.item_id)
        if coding.origin != "machine" or when is None or coding.created_at >= when:
            continue
        run, confidence = coding.run_id or 0, float(coding.confidence or 0.0)
        held = seen.get(coding.item_id)
        if held is None or (run, confidence) > held[:2]:
            seen[coding.item_id] = (run, confidence, coding.code)
    suggested = [(item, code) for item, (_, conf, code) in seen.items() if conf >= threshold]
    if not suggested:
        return None, 0
    right = sum(1 for item, code in suggested if code in chosen[item])
    return right / len(suggested), len(suggested)
