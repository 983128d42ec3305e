"""The deductive coder: codes evidence against a codebook, zero-shot or supervised.

* With no labels it compares each item with every code's title, definition and
  examples (zero-shot) and turns the similarities into probabilities with a
  fixed softmax temperature chosen on manifesto data.
* With labels it learns a class-balanced ridge classifier on embedding, TF-IDF
  and context features. The code descriptions stay in the training set as
  pseudo-labelled points (weight ``prior_weight``), and the zero-shot scores
  are added to the learned scores with a strength chosen on held-out folds, so
  the codebook matters most while labels are few and fades as they accumulate.
* Confidences are calibrated on held-out folds (one softmax temperature, and
  a sharpness after context smoothing); items whose top confidence is below
  ``threshold`` are left uncoded, never forced.
* Items of one document given in reading order (``documents=``) are coded in
  context: neighbouring items' features, and a forward-backward pass that lets
  consecutive items share a code.

It follows scikit-learn's conventions: the constructor only stores parameters,
``fit`` returns the coder, learned state ends in ``_`` and ``get_params()``
gives what a run records as provenance.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from upstream.coding.calibration import fit_temperature, log_loss, smooth_documents, softmax
from upstream.coding.calibration import stay_probability as estimate_stay
from upstream.coding.explain import Reference, explain
from upstream.coding.features import FeatureSpace, code_prototypes, fit_ridge
from upstream.coding.hierarchy import ancestor_at_level, rollup_matrix
from upstream.coding.results import CodingResult, Explanation
from upstream.embed.base import Embedder
from upstream.embed.registry import get_embedder
from upstream.frameworks.model import Codebook

__all__ = ["FrameworkCoder", "Label"]

Label = str | Sequence[str] | None
"""A label: one code id, several code ids, or ``None`` for an unlabelled item."""

Floats = npt.NDArray[np.float64]
Design = npt.NDArray[np.float32]
# Zero-shot defaults, chosen by log-likelihood on the manifesto *training*
# documents (USE embeddings): chance of keeping the code from one item to the
# next, and the sharpness that calibrates the smoothed posteriors.
_DEFAULT_STAY = 0.7
_ZERO_SHOT_SHARPNESS = 0.4
_PRIOR_GRID = (0.0, 0.25, 0.5, 1.0, 2.0)
_SHARPNESS_GRID = tuple(float(x) for x in np.geomspace(0.25, 4.0, 25))
_CHUNK = 4096
_PARAMS = (
    "codebook",
    "embedder",
    "threshold",
    "level",
    "context",
    "prior_weight",
    "alpha",
    "folds",
    "lexical_dim",
    "zero_shot_temperature",
    "explain",
    "seed",
)


class FrameworkCoder:
    """Code texts against a codebook; zero-shot without labels, supervised with them.

    Args:
        codebook: The codes to apply (hierarchical codebooks are rolled up).
        embedder: An embedder name for :func:`upstream.embed.get_embedder`
            (``"default"``, ``"use"``, ``"minilm"``, ``"tfidf"``, ...) or an
            :class:`~upstream.embed.Embedder` (for example a cached one).
        threshold: Items whose top calibrated confidence is below this are left
            uncoded; other codes at or above it are reported too (multi-label).
        level: Code at this depth of the hierarchy (1 = top-level codes, the
            domains), rolling children up; ``None`` codes at any depth.
        context: Use neighbouring items of the same document as features.
        prior_weight: Weight of each codebook text as a pseudo-labelled example.
        alpha: Ridge penalty of the supervised classifier.
        folds: Held-out folds used to calibrate (at least 2).
        lexical_dim: LSA dimensions of the TF-IDF block.
        zero_shot_temperature: Softmax temperature of cosine similarities.
        explain: Whether ``predict`` explains each coding (terms, neighbours).
        seed: Seed for everything random (the LSA projection).
    """

    def __init__(
        self,
        codebook: Codebook,
        embedder: str | Embedder = "default",
        threshold: float = 0.35,
        level: int | None = None,
        context: bool = True,
        prior_weight: float = 1.0,
        alpha: float = 3.0,
        folds: int = 3,
        lexical_dim: int = 300,
        zero_shot_temperature: float = 0.05,
        explain: bool = True,
        seed: int = 0,
    ) -> None:
        self.codebook = codebook
        self.embedder = embedder
        self.threshold = threshold
        self.level = level
        self.context = context
        self.prior_weight = prior_weight
        self.alpha = alpha
        self.folds = folds
        self.lexical_dim = lexical_dim
        self.zero_shot_temperature = zero_shot_temperature
        self.explain = explain
        self.seed = seed

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Return the constructor parameters (scikit-learn convention).

        Args:
            deep: Accepted for scikit-learn compatibility; ignored.

        Returns:
            A mapping from parameter name to value.
        """
        return {name: getattr(self, name) for name in _PARAMS}

    def set_params(self, **params: Any) -> FrameworkCoder:
        """Set constructor parameters (scikit-learn convention).

        Args:
            **params: Parameters to change.

        Returns:
            The coder itself (refit it for the change to take effect).

        Raises:
            ValueError: If a name is not a parameter.
        """
        for name, value in params.items():
            if name not in _PARAMS:
                raise ValueError(f"FrameworkCoder has no parameter {name!r}")
            setattr(self, name, value)
        return self

    # ----------------------------------------------------------------- fitting
    def fit(
        self,
        texts: Sequence[str] = (),
        labels: Sequence[Label] | None = None,
        documents: Sequence[str | None] | None = None,
        ids: Sequence[str] | None = None,
    ) -> FrameworkCoder:
        """Learn from the codebook and whatever labelled evidence exists.

        Args:
            texts: Evidence texts. Unlabelled ones still help: they shape the
                TF-IDF vocabulary and, within documents, give context.
            labels: One label per text (a code id, several, or ``None``);
                ``None`` altogether means zero-shot.
            documents: The document of each text, texts in reading order within
                a document; enables context features and smoothing.
            ids: Ids of the texts, used in explanations (default: positions).

        Returns:
            The fitted coder.

        Raises:
            ValueError: If lengths differ or a label is not a code of the codebook.
        """
        texts = list(texts)
        targets = self._targets(texts, labels)
        for name, values in (("documents", documents), ("ids", ids)):
            if values is not None and len(values) != len(texts):
                raise ValueError(f"{name} has {len(values)} entries for {len(texts)} texts")
        self.classes_ = [code.id for code in self.codebook.codes]
        self.embedder_ = (
            get_embedder(self.embedder) if isinstance(self.embedder, str) else self.embedder
        )
        prototypes = code_prototypes(self.codebook.codes)
        self.features_ = FeatureSpace(self.embedder_, self.lexical_dim, self.seed, self.context)
        self.features_.fit([*prototypes.texts, *prototypes.full, *texts])
        self.vocabulary_ = self.features_.lexical.vocabulary()
        proto_semantic, proto_lexical = self.features_.vectors(prototypes.texts)
        owner = np.array([self.classes_.index(code) for code in prototypes.codes])
        averaging = np.zeros((len(owner), len(self.classes_)))
        averaging[np.arange(len(owner)), owner] = 1.0
        self.prototype_vectors_ = proto_semantic
        self.prototype_average_ = averaging / averaging.sum(axis=0).clip(min=1.0)
        self._rollup = rollup_matrix(self.codebook, self.classes_)

        semantic, lexical = self.features_.vectors(texts)
        labelled = np.flatnonzero(targets.sum(axis=1) > 0)
        self.n_labelled_ = len(labelled)
        item_ids = [str(i) for i in range(len(texts))] if ids is None else list(ids)
        first_code = [self.classes_[int(np.argmax(targets[i]))] for i in labelled]
        self.reference_ = Reference.build(
            np.vstack([proto_semantic, semantic[labelled]]),
            [f"codebook:{c}" for c in prototypes.codes] + [item_ids[i] for i in labelled],
            [*prototypes.texts, *(texts[i] for i in labelled)],
            [*prototypes.codes, *first_code],
        )
        self.stay_ = _DEFAULT_STAY
        self.temperature_ = self.zero_shot_temperature
        self.prior_strength_ = 1.0
        self.sharpness_ = 1.0
        self.coef_: Floats | None = None
        if self.n_labelled_ == 0:
            self.mode_ = "zero-shot"
            self.sharpness_ = _ZERO_SHOT_SHARPNESS
            full = self.features_.lexical.transform_sparse(prototypes.full)
            self.term_weights_ = np.asarray(full.T.toarray(), dtype=np.float64)
            return self

        self.mode_ = "supervised"
        design = self.features_.design(semantic, lexical, documents)
        proto_design = self.features_.design(proto_semantic, proto_lexical, None)
        zero_shot = self._zero_shot_scores(semantic)
        if documents is not None:
            codes = [
                self.classes_[int(np.argmax(row))] if row.sum() > 0 else None for row in targets
            ]
            self.stay_ = estimate_stay(codes, [str(d) for d in documents])
        self._calibrate(design, targets, labelled, zero_shot, documents, proto_design, owner)
        self.coef_ = self._solve(design[labelled], targets[labelled], proto_design, owner)
        lexical_rows = slice(
            0 if self.features_.lexical_only else self.embedder_.dim,
            (0 if self.features_.lexical_only else self.embedder_.dim) + lexical.shape[1],
        )
        self.term_weights_ = self.features_.lexical.term_weights(self.coef_[lexical_rows])
        return self

    def _targets(self, texts: Sequence[str], labels: Sequence[Label] | None) -> Floats:
        """Turn labels into row-normalised target weights over the classes."""
        ids = [code.id for code in self.codebook.codes]
        position = {code: i for i, code in enumerate(ids)}
        targets = np.zeros((len(texts), len(ids)))
        if labels is None:
            return targets
        if len(labels) != len(texts):
            raise ValueError(f"labels has {len(labels)} entries for {len(texts)} texts")
        for row, label in enumerate(labels):
            codes = [label] if isinstance(label, str) else list(label or ())
            for code in codes:
                if code not in position:
                    raise ValueError(
                        f"label {code!r} of item {row} is not a code of codebook "
                        f"{self.codebook.id!r}"
                    )
                targets[row, position[code]] = 1.0 / len(codes)
        return targets

    def _solve(
        self, design: Design, targets: Floats, proto_design: Design, owner: npt.NDArray[np.intp]
    ) -> Floats:
        """Fit the ridge classifier on labelled rows plus the codebook's pseudo-labels."""
        counts = targets.sum(axis=0)
        present = max(1, int((counts > 0).sum()))
        # Square-root inverse frequency: rare codes count more without letting
        # a code with two examples dominate (full balancing measured worse).
        per_code = np.sqrt(len(targets) / (present * np.maximum(counts, 1.0)))
        weights = (targets * per_code).sum(axis=1)
        proto_targets = np.zeros((len(owner), len(self.classes_)))
        proto_targets[np.arange(len(owner)), owner] = 1.0
        return fit_ridge(
            np.vstack([design, proto_design]),
            np.vstack([targets, proto_targets]),
            np.concatenate([weights, np.full(len(owner), self.prior_weight)]),
            self.alpha,
        )

    def _fold_of(
        self, labelled: npt.NDArray[np.intp], documents: Sequence[str | None] | None, n: int
    ) -> npt.NDArray[np.intp]:
        """Assign items to held-out folds: whole documents together when known."""
        folds = max(2, self.folds)
        fold = np.arange(n) % folds
        if documents is not None:
            names = sorted({str(documents[i]) for i in labelled})
            if len(names) >= folds:
                number = {name: i % folds for i, name in enumerate(names)}
                fold = np.array([number.get(str(d), i % folds) for i, d in enumerate(documents)])
        return fold

    def _calibrate(
        self,
        design: Design,
        targets: Floats,
        labelled: npt.NDArray[np.intp],
        zero_shot: Floats,
        documents: Sequence[str | None] | None,
        proto_design: Design,
        owner: npt.NDArray[np.intp],
    ) -> None:
        """Choose temperature, zero-shot strength and sharpness on held-out folds."""
        if len(labelled) < 2 * max(2, self.folds):
            self.temperature_ = 0.1  # too few labels to hold any out
            return
        fold = self._fold_of(labelled, documents, len(design))
        scores = np.zeros_like(zero_shot)
        held = np.zeros(len(design), dtype=bool)
        for k in range(max(2, self.folds)):
            train = labelled[fold[labelled] != k]
            test = np.flatnonzero(fold == k)
            if len(train) == 0 or len(test) == 0:
                continue
            coef = self._solve(design[train], targets[train], proto_design, owner)
            scores[test] = design[test] @ coef
            held[test] = True
        rows = labelled[held[labelled]]
        best = (np.inf, 0.1, 1.0)
        for strength in _PRIOR_GRID:
            mixed = scores[rows] + strength * zero_shot[rows] * (0.1 / self.zero_shot_temperature)
            temperature = fit_temperature(mixed, targets[rows])
            loss = log_loss(softmax(mixed, temperature), targets[rows])
            if loss < best[0]:
                best = (loss, temperature, strength)
        _, self.temperature_, self.prior_strength_ = best
        if documents is None:
            return
        probabilities = self._probabilities(scores, zero_shot, documents, sharpness=1.0)
        losses = [
            log_loss(_sharpen(probabilities[rows], s), targets[rows]) for s in _SHARPNESS_GRID
        ]
        self.sharpness_ = _SHARPNESS_GRID[int(np.argmin(losses))]

    # -------------------------------------------------------------- predicting
    def _zero_shot_scores(self, semantic: npt.NDArray[np.float32]) -> Floats:
        similarity = semantic.astype(np.float64) @ self.prototype_vectors_.T.astype(np.float64)
        return np.asarray(similarity @ self.prototype_average_, dtype=np.float64)

    def _probabilities(
        self,
        scores: Floats | None,
        zero_shot: Floats,
        documents: Sequence[str | None] | None,
        sharpness: float,
    ) -> Floats:
        if scores is None:
            logits = zero_shot / self.temperature_
        else:
            prior = self.prior_strength_ * zero_shot * (0.1 / self.zero_shot_temperature)
            logits = (scores + prior) / self.temperature_
        probabilities = softmax(logits)
        if documents is None or not self.context:
            return probabilities
        # Smoothing multiplies evidence from neighbours that is not independent,
        # which makes posteriors overconfident; the sharpness (< 1) undoes that.
        smoothed = smooth_documents(probabilities, documents, self.stay_)
        return _sharpen(smoothed, sharpness)

    def _check_fitted(self) -> None:
        if not hasattr(self, "mode_"):
            raise RuntimeError("FrameworkCoder is not fitted yet: call fit() first")

    def _class_probabilities(
        self, texts: Sequence[str], documents: Sequence[str | None] | None
    ) -> tuple[Floats, npt.NDArray[np.float32]]:
        """Per-class (own, not rolled-up) probabilities and semantic vectors."""
        self._check_fitted()
        if documents is not None and len(documents) != len(texts):
            raise ValueError(f"documents has {len(documents)} entries for {len(texts)} texts")
        semantic, lexical = self.features_.vectors(texts)
        zero_shot = self._zero_shot_scores(semantic)
        scores = None
        if self.coef_ is not None:
            scores = self.features_.design(semantic, lexical, documents) @ self.coef_
        return self._probabilities(scores, zero_shot, documents, self.sharpness_), semantic

    def output_codes(self) -> list[str]:
        """Return the codes ``predict_proba`` reports, in column order.

        Returns:
            Every class, or with ``level`` set the codes standing for them at that level.
        """
        self._check_fitted()
        if self.level is None:
            return list(self.classes_)
        return list(
            dict.fromkeys(ancestor_at_level(self.codebook, c, self.level) for c in self.classes_)
        )

    def predict_proba(
        self, texts: Sequence[str], documents: Sequence[str | None] | None = None
    ) -> Floats:
        """Return calibrated probabilities of the codes in :meth:`output_codes`.

        Args:
            texts: Texts to code.
            documents: The document of each text, in reading order, for context.

        Returns:
            ``(len(texts), len(output_codes()))`` probabilities, rows summing to 1.
        """
        probabilities, _ = self._class_probabilities(list(texts), documents)
        return self._at_level(probabilities)

    def _at_level(self, probabilities: Floats) -> Floats:
        if self.level is None:
            return probabilities
        columns = [self.classes_.index(c) for c in self.output_codes()]
        return np.asarray((probabilities @ self._rollup.T)[:, columns], dtype=np.float64)

    def predict(
        self, texts: Sequence[str], documents: Sequence[str | None] | None = None
    ) -> list[CodingResult]:
        """Code texts.

        Args:
            texts: Texts to code.
            documents: The document of each text, in reading order, for context.

        Returns:
            One :class:`CodingResult` per text, in order.
        """
        texts = list(texts)
        probabilities, semantic = self._class_probabilities(texts, documents)
        results: list[CodingResult] = []
        for start in range(0, len(texts), _CHUNK):
            stop = min(len(texts), start + _CHUNK)
            tfidf = self.features_.lexical.transform_sparse(texts[start:stop])
            results += self._results(probabilities[start:stop], semantic[start:stop], tfidf)
        return results

    def _results(
        self, probabilities: Floats, semantic: npt.NDArray[np.float32], tfidf: Any
    ) -> list[CodingResult]:
        rolled = probabilities @ self._rollup.T
        level = self._at_level(probabilities)
        reported = self.output_codes()
        depth_ok = np.array(
            [self.level is None or self.codebook.depth(c) < self.level for c in self.classes_]
        )
        results = []
        for row in range(len(probabilities)):
            order = np.argsort(-level[row], kind="stable")
            top, confidence = reported[order[0]], float(level[row, order[0]])
            margin = confidence - (float(level[row, order[1]]) if len(order) > 1 else 0.0)
            if confidence < self.threshold:
                results.append(CodingResult(None, confidence, (), (), margin, Explanation()))
                continue
            passing = np.flatnonzero(depth_ok & (rolled[row] >= self.threshold))
            codes = tuple(
                (self.classes_[i], round(float(rolled[row, i]), 6))
                for i in sorted(passing, key=lambda i: (-rolled[row, i], i))
            )
            path = (*(c.id for c in reversed(self.codebook.ancestors(top))), top)
            explanation = Explanation()
            if self.explain:
                # Explain with the most probable class inside the top code's subtree.
                under = self._rollup[self.classes_.index(top)] > 0
                cls = int(np.argmax(np.where(under, probabilities[row], -1.0)))
                explanation = explain(
                    self.classes_[cls],
                    tfidf[row],
                    self.term_weights_[:, cls],
                    self.vocabulary_,
                    semantic[row],
                    self.reference_,
                )
            results.append(CodingResult(top, confidence, codes, path, margin, explanation))
        return results


def _sharpen(probabilities: Floats, sharpness: float) -> Floats:
    """Raise probabilities to a power and renormalise (calibration after smoothing)."""
    if sharpness == 1.0:
        return probabilities
    powered = np.power(np.clip(probabilities, 1e-300, 1.0), sharpness)
    return np.asarray(powered / powered.sum(axis=1, keepdims=True), dtype=np.float64)
