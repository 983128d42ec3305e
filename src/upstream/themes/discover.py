"""Theme discovery: embed, reduce, cluster, match to names, (edits), label, quotes, stance.

:class:`ThemeDiscovery` is a scikit-learn estimator: the constructor only
stores parameters, :meth:`~ThemeDiscovery.fit` returns the estimator, learned
state ends in ``_``, :meth:`~ThemeDiscovery.get_params` (inherited, with the
stages' own parameters as ``stage__name``) is what a run records, and
``sklearn.base.clone`` copies it with its stages. Every stage is swappable and
has a no-op base (``Reducer``, ``Clusterer``, ``Labeller``, ``QuoteSelector``),
so a stage can be skipped.

Items that fit no theme are never dropped: items with no words (zero vectors)
and the few least similar to their theme's centre (at most ``max_unassigned``
of all items) get theme -1 and are counted in ``unassigned_``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator, ClusterMixin, clone  # type: ignore[import-untyped]

from upstream.embed.base import Embedder, normalise_rows
from upstream.embed.cache import text_hash
from upstream.embed.lexical import TfidfEmbedder
from upstream.embed.registry import get_embedder
from upstream.records.themes import ThemeEdit
from upstream.signals.sentiment import sentiment_scores
from upstream.themes.cluster import Clusterer, WardKMeans, centroids_of
from upstream.themes.describe import Evidence, ThemeBuilder
from upstream.themes.editing import ThemeEditing
from upstream.themes.labels import OTHER_LABEL, KeyphraseLabeller, Labeller
from upstream.themes.name_fit import NameFit, name_uses
from upstream.themes.numbering import as_numbered
from upstream.themes.quotes import CentralQuotes, QuoteSelector
from upstream.themes.readability import FEW_FIT, name_coverage, readable_k
from upstream.themes.reduce import Reducer

__all__ = ["Engagement", "ThemeDiscovery"]

Floats = npt.NDArray[np.float32]
Ints = npt.NDArray[np.int64]
Engagement = Mapping[str, float] | float | None
"""An item's engagement: named counts (``{"likes": 3}``), a total, or ``None``."""


class ThemeDiscovery(ClusterMixin, BaseEstimator, ThemeEditing):  # type: ignore[misc]
    """Find themes nobody anticipated in a set of texts.

    Args:
        embedder: An embedder name for :func:`upstream.embed.get_embedder` or an
            :class:`~upstream.embed.Embedder` (for example a cached one).
        reducer: The reduce stage (default: none).
        clusterer: The cluster stage (default: :class:`WardKMeans` with
            ``n_themes`` / ``max_themes``).
        labeller: The label stage (default: :class:`KeyphraseLabeller`).
        quotes: The quote stage (default: :class:`CentralQuotes`).
        n_themes: Number of themes; ``None`` lets the tool choose: the number,
            from 5 up to ``max_themes``, whose names a reader can sort items
            under best (see :mod:`upstream.themes.readability`).
        max_themes: Most themes the tool will choose (a board can take in
            about 15; finer subjects are sub-themes). Also capped at about
            ``sqrt(n)`` so a small set is not cut into slivers.
        subthemes: Divide each theme into sub-themes (a two-level hierarchy).
        max_subthemes: Most sub-themes per theme.
        min_theme_size: Smallest theme; ``None`` = max(3, 0.2% of the items).
        max_unassigned: Most items (share) left without a theme.
        min_similarity: Items less similar than this to their theme's centre are
            unassigned (within the ``max_unassigned`` budget).
        stance: Split every theme by stance (for / against).
        match_names: Once themes are named, move items to the theme whose
            name they match clearly better, and items that match no name to
            "Other comments" (see :mod:`upstream.themes.name_fit`). Off by
            default: readers placed items no better with it, and it costs
            agreement with human codes and stability (ADR 0007, amendment).
        name_fit: The rule for ``match_names`` (default: :class:`NameFit`).
        seed: Seed for the randomised stages (reduction, k-means++); the default
            clusterer is deterministic without it.
    """

    def __init__(
        self,
        embedder: str | Embedder = "default",
        reducer: Reducer | None = None,
        clusterer: Clusterer | None = None,
        labeller: Labeller | None = None,
        quotes: QuoteSelector | None = None,
        n_themes: int | None = None,
        max_themes: int = 15,
        subthemes: bool = True,
        max_subthemes: int = 8,
        min_theme_size: int | None = None,
        max_unassigned: float = 0.05,
        min_similarity: float = 0.2,
        stance: bool = True,
        match_names: bool = False,
        name_fit: NameFit | None = None,
        seed: int = 0,
    ) -> None:
        self.embedder = embedder
        self.reducer = reducer
        self.clusterer = clusterer
        self.labeller = labeller
        self.quotes = quotes
        self.n_themes = n_themes
        self.max_themes = max_themes
        self.subthemes = subthemes
        self.max_subthemes = max_subthemes
        self.min_theme_size = min_theme_size
        self.max_unassigned = max_unassigned
        self.min_similarity = min_similarity
        self.stance = stance
        self.match_names = match_names
        self.name_fit = name_fit
        self.seed = seed

    # ----------------------------------------------------------------- fitting
    def fit(
        self,
        texts: Sequence[str],
        *,
        vectors: Floats | None = None,
        keys: Sequence[str] | None = None,
        respondents: Sequence[str | None] | None = None,
        organisations: Sequence[str | None] | None = None,
        engagement: Sequence[Engagement] | None = None,
        edits: Sequence[ThemeEdit] = (),
        previous: Mapping[int, Collection[str]] | Sequence[Collection[str]] = (),
        next_number: int = 0,
        earlier_names: Mapping[int, str] | None = None,
        start: Floats | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> ThemeDiscovery:
        """Find themes in texts and apply stored edits.

        Args:
            texts: The texts, one per item.
            vectors: Precomputed unit vectors (skips the embed stage).
            keys: Stable identities of the items (store ids), used to carry
                edits across runs; default: a hash of each text.
            respondents: Who said each item, for counting distinct people.
            organisations: Each item's organisation.
            engagement: Each item's engagement counts.
            edits: Earlier edits to re-apply, oldest first.
            previous: The previous run's top-level themes by number (or as a
                list in number order), each as its items' keys; themes that
                carry on keep their numbers (see :mod:`upstream.themes.numbering`).
            next_number: The lowest number a new theme may take: numbers below
                it were given before, to themes perhaps since merged away.
            earlier_names: The previous run's names for its themes, by number
                (upstream's own names, not people's or a model endpoint's): a
                theme that keeps its number keeps its name while it fits.
            start: A previous run's cluster centroids (``clusterer_.centroids_``)
                to refine instead of clustering afresh, so that more evidence
                joins the same themes; ignored when a clusterer is given.
            progress: Called with a short description as each stage starts.

        Returns:
            The fitted estimator.

        Raises:
            ValueError: If the optional sequences do not match ``texts`` in length.
        """
        report = progress or (lambda _stage: None)
        self.texts_ = list(texts)
        n = len(self.texts_)
        for name, values in (("keys", keys), ("respondents", respondents),
                             ("organisations", organisations), ("engagement", engagement),
                             ("vectors", vectors)):  # fmt: skip
            if values is not None and len(values) != n:
                raise ValueError(f"{name} has {len(values)} entries for {n} texts")
        self.timings_: dict[str, float] = {}
        self.keys_ = list(keys) if keys is not None else [text_hash(t) for t in self.texts_]
        clock = time.perf_counter()
        report(f"Embedding {n:,} items")
        self.embeddings_ = self._embed(vectors)
        self.model_id_ = (
            "precomputed" if vectors is not None else str(getattr(self.embedder_, "model_id", ""))
        )
        self.timings_["embed"] = time.perf_counter() - clock
        started = time.perf_counter()
        report("Finding themes")
        # Stages given as parameters are cloned before fitting, so the parameters
        # stay as given (scikit-learn's convention) and the fitted ones end in ``_``.
        self.reducer_ = clone(self.reducer) if self.reducer is not None else Reducer()
        self.vectors_ = normalise_rows(self.reducer_.fit_transform(self.embeddings_))
        usable = np.flatnonzero(np.linalg.norm(self.embeddings_, axis=1) > 0)
        min_size = self.min_theme_size or max(3, round(0.002 * n))
        self.k_scores_: dict[int, float] = {}
        warm = start is not None and len(start) > 0 and self.clusterer is None
        wanted = len(start) if warm and start is not None else self.n_themes
        if wanted is None and self.clusterer is None and len(usable):
            wanted = self._readable_k(usable, min_size)
        self.clusterer_ = (
            clone(self.clusterer)
            if self.clusterer is not None
            else WardKMeans(
                n_clusters=wanted,
                max_clusters=self.max_themes,
                min_size=min_size,
                start=start if warm else None,
            )
        )
        # A re-run that refines the previous themes may add "Other comments" as a fresh run does.
        self._may_add_other = (self.n_themes is None and self.clusterer is None) or warm
        labels = np.full(n, -1, dtype=np.int64)
        if len(usable):
            self.clusterer_.fit(self.vectors_[usable])
            labels[usable] = self.clusterer_.labels_
        self.labels_ = self._unassign_weak(labels)
        self._names: dict[int, str] = {}
        self._edited: dict[int, tuple[str, ...]] = {}
        self._numbers: dict[int, int] = {}
        self._earlier_names = dict(earlier_names or {})
        self._renumber()
        self.timings_["cluster"] = time.perf_counter() - started
        started = time.perf_counter()
        report("Labelling themes and choosing quotes")
        labeller = clone(self.labeller) if self.labeller is not None else KeyphraseLabeller()
        self.labeller_ = labeller.fit(self.texts_)
        self._extractive_namer: KeyphraseLabeller | None = None
        # Items find the theme whose name they match before numbering and edits,
        # so an edit made on these themes finds them again in the next run.
        self._set_other_apart()
        if self.match_names:
            self._match_names(min_size)
        earlier = as_numbered(previous)
        self.next_number_ = max([next_number, len(self._numbers), *(n + 1 for n in earlier)])
        self.edits_applied_: list[ThemeEdit] = []
        self.edits_unmatched_: list[ThemeEdit] = []
        for edit in edits:
            applied = self._apply(edit)
            (self.edits_applied_ if applied else self.edits_unmatched_).append(edit)
        # Numbered last, so a theme people merged or split keeps the number they knew.
        self._number(earlier, next_number)
        self._builder = ThemeBuilder(
            self.labeller_,
            self.quotes or CentralQuotes(),
            subthemes=self.subthemes,
            max_subthemes=self.max_subthemes,
            min_size=max(3, min_size // 2),
        )
        self._evidence = Evidence(
            self.texts_,
            respondents,
            organisations,
            None if engagement is None else [_total(e) for e in engagement],
            sentiment_scores(self.texts_) if self.stance else [],
        )
        self._describe()
        self.timings_["describe"] = time.perf_counter() - started
        return self

    def _readable_k(self, usable: Ints, min_size: int) -> int:
        """The number of themes whose names sort the items best (see ``readability``).

        Candidates are cut from one Ward tree on the content-addressed sample and
        named by the extractive labeller (never a model endpoint: naming every
        candidate must stay cheap and private).
        """
        n = len(usable)
        high = int(max(1, min(self.max_themes, round(np.sqrt(n)), n // max(min_size, 1))))
        if high < 2:
            return 1
        low = min(5, high)
        ward = WardKMeans(min_size=min_size)
        sample, partitions = ward.partitions(self.vectors_[usable], range(low, high + 1))
        texts = [self.texts_[int(usable[i])] for i in sample]
        labeller = KeyphraseLabeller().fit(texts)
        best, self.k_scores_ = readable_k(
            partitions, texts, lambda groups: [name.label for name in labeller.name(groups)]
        )
        return best

    def _embed(self, vectors: Floats | None) -> Floats:
        if vectors is not None:
            self.embedder_: Embedder | None = None
            return normalise_rows(vectors)
        embedder = (
            get_embedder(self.embedder, themes=True)
            if isinstance(self.embedder, str)
            else self.embedder
        )
        if isinstance(embedder, TfidfEmbedder) and embedder.vectorizer_ is None:
            embedder.fit(self.texts_)
        self.embedder_ = embedder
        return normalise_rows(embedder.embed(self.texts_))

    def _unassign_weak(self, labels: Ints) -> Ints:
        """Unassign the least typical items, within the ``max_unassigned`` budget."""
        assigned = np.flatnonzero(labels >= 0)
        if len(assigned) == 0:
            return labels
        centroids = centroids_of(self.vectors_[assigned], labels[assigned], int(labels.max()) + 1)
        sims = np.einsum("ij,ij->i", self.vectors_[assigned], centroids[labels[assigned]])
        weak = assigned[sims < self.min_similarity]
        budget = int(np.floor(self.max_unassigned * len(labels))) - int((labels < 0).sum())
        if len(weak) > max(budget, 0):
            order = np.argsort(sims[sims < self.min_similarity], kind="stable")
            weak = weak[order[: max(budget, 0)]]
        out = labels.copy()
        out[weak] = -1
        return out

    def fit_predict(self, texts: Sequence[str], **kwargs: Any) -> Ints:
        """Fit and return each item's theme (-1 when unassigned)."""
        return self.fit(texts, **kwargs).labels_

    # ----------------------------------------------------------------- results
    @property
    def unassigned_(self) -> Ints:
        """Positions of the items that fit no theme."""
        return np.flatnonzero(self.labels_ < 0)

    @property
    def n_themes_(self) -> int:
        """Number of themes found."""
        return len(self.themes_)

    def label_of(self, index: int) -> str:
        """The label of item ``index``'s theme, or ``unassigned``."""
        number = int(self.labels_[index])
        return self.themes_[number].label if number >= 0 else "unassigned"

    def _set_other_apart(self) -> None:
        """Name the one theme that is a mix of subjects "Other comments", and put it last.

        A theme is a mix when its items are much less alike than the others'
        (mean cosine to its centre under 0.8 of the median theme's) and its name
        fits few of them (under a quarter use most of its words): short, vague
        replies ("just build it", "no more") gather so. Calling it what it is
        tells a reader not to look for one subject in it; its sub-themes still
        show what is inside. Themes people edited are left as they are.

        The names checked are the extractive ones, whatever labeller words the
        final names, so no model endpoint is asked twice.
        """
        count = int(self.labels_.max()) + 1 if len(self.labels_) else 0
        if count < 4:
            return
        groups = [np.flatnonzero(self.labels_ == number) for number in range(count)]
        names = self._extractive().name([g.tolist() for g in groups])
        cohesion: list[float] = []
        for members in groups:
            centre = normalise_rows(self.vectors_[members].mean(axis=0, keepdims=True))[0]
            cohesion.append(float((self.vectors_[members] @ centre).mean()))
        median = float(np.median(cohesion))
        mixed = [
            number
            for number, members in enumerate(groups)
            if number not in self._edited
            and number not in self._names
            and cohesion[number] < 0.8 * median
            and name_coverage(names[number].label, [self.texts_[i] for i in members]) < FEW_FIT
        ]
        if mixed:
            self._names[min(mixed, key=lambda number: (cohesion[number], number))] = OTHER_LABEL
            self._renumber(keep_order=True)

    def _extractive(self) -> KeyphraseLabeller:
        """The extractive labeller, whatever labeller words the final names."""
        if isinstance(self.labeller_, KeyphraseLabeller):
            return self.labeller_
        if self._extractive_namer is None:
            self._extractive_namer = KeyphraseLabeller().fit(self.texts_)
        return self._extractive_namer

    def _match_names(self, min_size: int) -> None:
        """Move items to the theme whose name they match; the final names follow.

        The themes are named once (extractively), each item's fit to every
        name is weighed (:class:`~upstream.themes.name_fit.NameFit`), and items
        move; :meth:`_describe` then names the themes again from their final
        members. Themes people edited or named keep their items. Items that
        fit no name join "Other comments", which is made when there is none
        and enough items fit nowhere.
        """
        count = int(self.labels_.max()) + 1 if len(self.labels_) else 0
        if count < 3:
            return
        groups = [np.flatnonzero(self.labels_ == number).tolist() for number in range(count)]
        names = [name.label for name in self._extractive().name(groups)]
        other = next((t for t, v in self._names.items() if v == OTHER_LABEL), None)
        frozen = set(self._edited) | {t for t, v in self._names.items() if v != OTHER_LABEL}
        rule = self.name_fit or NameFit()
        labels = rule.assign(
            self.vectors_,
            self.labels_,
            name_uses(self.texts_, names),
            self._name_vectors(names),
            other=other,
            frozen=frozen,
        )
        if other is None:
            made = int((labels == count).sum())
            # A number of themes a person asked for is kept: no group is added then.
            if made >= min_size and self._may_add_other:
                self._names[count] = OTHER_LABEL
            else:
                labels[labels == count] = self.labels_[labels == count]
        self.labels_ = labels
        self._renumber()

    def _name_vectors(self, names: Sequence[str]) -> Floats | None:
        """The names' vectors in the items' reduced space, or None without their model."""
        embedded = self._name_embeddings(names)
        if embedded is None:
            return None
        vectors = normalise_rows(self.reducer_.transform(embedded))
        return vectors if vectors.shape[1] == self.vectors_.shape[1] else None

    def _name_embeddings(self, names: Sequence[str]) -> Floats | None:
        """The names' unit vectors from the items' text model, or None when it is not at hand.

        With precomputed vectors the named embedder is used when its vectors
        have the same length (the vectors then came from it, as in a cache).
        """
        embedder = self.embedder_
        if embedder is None:
            candidate: Embedder | None = None
            if isinstance(self.embedder, str):
                if self.embedder.strip().lower() != "tfidf":
                    candidate = get_embedder(self.embedder, themes=True)
            else:
                candidate = self.embedder
            if (
                candidate is not None
                and getattr(candidate, "dim", None) == self.embeddings_.shape[1]
            ):
                embedder = candidate
        if embedder is None:
            return None
        return normalise_rows(embedder.embed(names))

    def _describe(self) -> None:
        self.themes_, self.sublabels_ = self._builder.build(
            self.labels_,
            self.vectors_,
            self._evidence,
            self._names,
            self._edited,
            self._numbers,
            self._earlier_names,
        )


def _total(engagement: Engagement) -> float | None:
    if engagement is None:
        return None
    if isinstance(engagement, int | float):
        return float(engagement)
    return float(sum(float(v) for v in engagement.values() if v is not None))
