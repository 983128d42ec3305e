"""The deductive coder: codes evidence against a codebook, zero-shot or supervised.

* With no labels it learns from the codebook alone: a classifier trained on
  each code's title, definition bullets and examples, plus the similarity of
  each item to those texts (zero-shot), turned into probabilities with
  constants chosen on manifesto data.
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

It is a scikit-learn estimator: the constructor only stores parameters, ``fit``
returns the coder, learned state ends in ``_`` and ``get_params()`` (inherited)
gives what a run records as provenance.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator  # type: ignore[import-untyped]

from upstream.coding.calibration import smooth_documents, softmax, transition_matrix
from upstream.coding.decided import lean_on_decisions
from upstream.coding.direction import DirectionModel
from upstream.coding.explain import Reference, explain
from upstream.coding.features import FeatureSpace, code_prototypes
from upstream.coding.hierarchy import ancestor_at_level, rollup_matrix
from upstream.coding.results import CodingResult, Explanation
from upstream.coding.self_training import (
    nearest_neighbours,
    neighbour_average,
    self_train,
    spread,
)
from upstream.coding.supervised import (
    Label,
    calibrate,
    fit_with_prototypes,
    label_targets,
    no_code_fits,
    sharpen,
)
from upstream.coding.thresholds import MIN_LABELS, held_out_outcomes
from upstream.embed.base import Embedder
from upstream.embed.registry import get_embedder
from upstream.frameworks.model import Codebook

__all__ = ["FrameworkCoder", "Label", "make_coder"]

Floats = npt.NDArray[np.float64]
Design = npt.NDArray[np.float32]
# Zero-shot defaults, chosen on the manifesto *training* documents (USE
# embeddings; test manifestos never used): the chance of keeping the code
# from one item to the next, the temperature and the weight of the similarity
# term (by accuracy), and the sharpness that calibrates smoothed posteriors
# (by log-likelihood).
_DEFAULT_STAY = 0.7
_ZERO_SHOT_TEMPERATURE = 0.1
_ZERO_SHOT_PRIOR = 0.5
_ZERO_SHOT_SHARPNESS = 0.45
# Backing off to a broader code needs its probability to be at least this many
# times its share of the codebook, so a parent with many children does not win
# on diffuse items merely by being big. Chosen on the manifesto training
# documents (zero-shot, USE): 2.0 is where the broader codes' accuracy stops
# rising (0.51 / 0.55 / 0.60 / 0.60 at 1 / 1.5 / 2 / 3). A top-level barrier or
# enabler code is exempt when the item's direction is sure (ADR 0014): otherwise
# twelve enablers needed 0.90 where nine barriers needed 0.62, and answers to
# "What has helped you most?" were left uncoded twice as often as answers to
# "What gets in the way?".
_BACK_OFF_LIFT = 2.0
# Zero-shot self-training (see upstream.coding.self_training): rounds, the
# share of each code's items taken as pseudo-labels, the fewest items worth
# learning from, and the temperature and codebook-similarity weight of the
# self-trained classifier, chosen on the manifesto training documents only.
_SELF_TRAINING_ROUNDS = 1
_SELF_TRAINING_SHARE = 0.5
_SELF_TRAINING_NEIGHBOURS = 10
_SELF_TRAINING_SMOOTHING = 0.5
_SELF_TRAINING_MIN = 1000
_SELF_TRAINING_MAX = 5000
_SELF_TRAINED_TEMPERATURE = 0.15
_SELF_TRAINED_PRIOR = 0.5
# A top-level code beside the top one (off its path) needs at least this share
# of the top code's confidence; see _results.
_SECOND_ROOT_SHARE = 0.5
# After self-training, each item's probabilities are averaged (weight
# _SELF_TRAINING_SMOOTHING) with those of its nearest items in the sample it
# learned from, spread through that sample's neighbours in _SPREADING_STEPS
# steps. Chosen on the manifesto training documents (forced accuracy 0.345
# without, 0.351 with one step, 0.355 with five).
_SPREADING_STEPS = 5
_CHUNK = 4096


class FrameworkCoder(BaseEstimator):  # type: ignore[misc]
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
        back_off: When no code reaches ``threshold`` but a broader code does
            (its children together), code the item with the broader code
            rather than leave it uncoded: "about capabilities" is more use than
            nothing when the exact element is unclear. Only when coding at any
            depth (``level=None``).
        self_training: Zero-shot without context only: when there are enough
            texts to code (1,000 or more), learn again from the items the codebook
            alone codes most confidently (pseudo-labels), so the evidence's own
            words point to the codes.
        direction: For a codebook of barriers and enablers (see
            :mod:`upstream.coding.direction`): learn from the codebook whether
            an item tells of something that hinders or helps, apart from its
            subject, and weigh the codes of each direction by it. It stays on
            once people have coded items: a few decisions teach the subjects
            long before they teach the direction.
        min_labels: Labelled items needed to learn from them on their own
            (supervised, calibrated on held-out folds); fewer are added to the
            codebook's examples of their codes.
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
        back_off: bool = True,
        self_training: bool = True,
        direction: bool = True,
        min_labels: int = MIN_LABELS,
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
        self.back_off = back_off
        self.self_training = self_training
        self.direction = direction
        self.min_labels = min_labels

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
            labels: One label per text (a code id, several, ``None`` when nobody
                looked, or an empty tuple when a person found no code fits);
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
        classes = [code.id for code in self.codebook.codes]
        targets = label_targets(self.codebook.id, classes, labels, len(texts))
        for name, values in (("documents", documents), ("ids", ids)):
            if values is not None and len(values) != len(texts):
                raise ValueError(f"{name} has {len(values)} entries for {len(texts)} texts")
        self.classes_ = classes
        self.embedder_ = (
            get_embedder(self.embedder) if isinstance(self.embedder, str) else self.embedder
        )
        item_ids = [str(i) for i in range(len(texts))] if ids is None else list(ids)
        prototypes = code_prototypes(self.codebook.codes)
        proto_ids = [f"codebook:{c}" for c in prototypes.codes]
        labelled = np.flatnonzero(targets.sum(axis=1) > 0)
        self.n_labelled_ = len(labelled)
        self.labels_as_examples_ = 0 < len(labelled) < self.min_labels
        examples = labelled[:0]
        if self.labels_as_examples_:
            # Too few to calibrate on (it made every code look certain): the codebook
            # codes, and items like a decided one lean to its code (coding/decided).
            examples, labelled = labelled, labelled[:0]
        self.features_ = FeatureSpace(self.embedder_, self.lexical_dim, self.seed, self.context)
        self.features_.fit([*prototypes.texts, *prototypes.full, *texts])
        self.vocabulary_ = self.features_.lexical.vocabulary()
        proto_semantic, proto_lexical, _ = self.features_.vectors(prototypes.texts)
        owner = np.array([self.classes_.index(code) for code in prototypes.codes], dtype=np.intp)
        self._owner = owner
        averaging = np.zeros((len(owner), len(self.classes_)))
        averaging[np.arange(len(owner)), owner] = 1.0
        self.prototype_vectors_ = proto_semantic
        self.prototype_average_ = averaging / averaging.sum(axis=0).clip(min=1.0)
        self._rollup = rollup_matrix(self.codebook, self.classes_)

        # Zero-shot needs the evidence only for the TF-IDF vocabulary, so it is
        # not embedded (the slowest step) until it is coded.
        semantic, lexical, _ = self.features_.vectors(texts if len(labelled) else [])
        example_vectors = self.features_.vectors([texts[i] for i in examples])[0]
        # Whatever else the coder learns, an item that says what an item people found
        # no code for says leans to no code: an even spread, which no code passes.
        unfitting = no_code_fits(labels)
        self.n_no_code_ = len(unfitting)
        self.decided_vectors_ = np.vstack(
            [example_vectors, self.features_.vectors([texts[i] for i in unfitting])[0]]
        )
        self.decided_targets_ = np.vstack(
            [
                targets[examples] / targets[examples].sum(axis=1, keepdims=True),
                np.full((len(unfitting), len(classes)), 1.0 / len(classes)),
            ]
        )
        shown = [*labelled, *examples]
        first_code = [self.classes_[int(np.argmax(targets[i]))] for i in shown]
        # Explanations quote the codebook's descriptions and examples, and the items
        # people coded; a code's bare title, or its title and definition run together,
        # would only repeat the definition as a "closest example".
        named = {code.id: code.title for code in self.codebook.codes}
        described = {
            code.id: f"{code.title}. {code.definition}".strip() for code in self.codebook.codes
        }
        quotable = [
            row
            for row, (text, code) in enumerate(zip(prototypes.texts, prototypes.codes, strict=True))
            if text not in (named[code], described[code])
        ]
        self.reference_ = Reference.build(
            np.vstack([proto_semantic[quotable], semantic[labelled], example_vectors]),
            [proto_ids[row] for row in quotable] + [item_ids[i] for i in shown],
            [*(prototypes.texts[row] for row in quotable), *(texts[i] for i in shown)],
            [*(prototypes.codes[row] for row in quotable), *first_code],
        )
        self.transition_ = transition_matrix([], [], len(classes), _DEFAULT_STAY)
        self.temperature_ = self.zero_shot_temperature
        self.prior_strength_ = 1.0
        self.sharpness_ = 1.0
        self.coef_: Floats | None = None
        # Top confidence and correctness of each labelled item when held out,
        # for choosing a threshold that meets a precision target.
        self.held_out_: tuple[Floats, npt.NDArray[np.bool_]] | None = None
        self.self_trained_ = False
        self.sample_vectors_: npt.NDArray[np.float32] | None = None
        self.sample_probabilities_: npt.NDArray[np.float32] | None = None
        proto_design = self.features_.design(proto_semantic, proto_lexical, None)
        self.direction_: DirectionModel | None = (
            DirectionModel.from_codebook(
                self.codebook,
                proto_semantic,
                prototypes.codes,
                lambda texts: self.features_.vectors(texts)[0],
                seed=self.seed,
            )
            if self.direction
            else None
        )
        if len(labelled) == 0:
            # Zero-shot: a classifier learned from the codebook's own texts,
            # plus the similarity to them, with constants chosen on manifesto
            # training documents (their labels were used only for that).
            self.mode_ = "zero-shot"
            self.uses_neighbours_ = False
            self.smooths_ = self.context
            self.temperature_ = _ZERO_SHOT_TEMPERATURE
            self.prior_strength_ = _ZERO_SHOT_PRIOR
            self.sharpness_ = _ZERO_SHOT_SHARPNESS
            self.coef_ = self._solve(proto_design[:0], targets[:0], proto_design)
            # With document context the neighbouring passages already say what an
            # item is about, and self-training measured worse there (0.39 against
            # 0.43 on a manifesto sample): it is for independent items only.
            if self.self_training and not self.context and len(texts) >= _SELF_TRAINING_MIN:
                self._self_train(texts, proto_design)
            full = self.features_.lexical.transform_sparse(prototypes.full)
            self.term_weights_ = np.asarray(full.T.toarray(), dtype=np.float64)
            return self

        self.mode_ = "supervised"
        designs = {False: self.features_.design(semantic, lexical, None)}
        if documents is not None and self.context:
            designs[True] = self.features_.design(semantic, lexical, documents)
        zero_shot = self._zero_shot_scores(semantic)
        if documents is not None:
            codes = [int(np.argmax(row)) if row.sum() > 0 else None for row in targets]
            self.transition_ = transition_matrix(
                codes, [str(d) for d in documents], len(classes), _DEFAULT_STAY
            )
        chosen = calibrate(
            designs,
            targets,
            labelled,
            zero_shot * (0.1 / self.zero_shot_temperature),
            documents,
            self.transition_,
            lambda rows, design: self._solve(design[rows], targets[rows], proto_design),
            max(2, self.folds),
        )
        self.temperature_, self.prior_strength_ = chosen.temperature, chosen.prior_strength
        self.uses_neighbours_, self.smooths_ = chosen.neighbours, chosen.smooths
        self.sharpness_ = chosen.sharpness
        if chosen.held_out is not None:
            confidences, right = held_out_outcomes(chosen.held_out, targets[labelled])
            if chosen.every_item is not None and unfitting:
                # Whatever it would code an item no code fits is wrong: "how sure" counts it.
                found = chosen.every_item[unfitting].max(axis=1)
                confidences = np.concatenate([confidences, found])
                right = np.concatenate([right, np.zeros(len(found), dtype=bool)])
            self.held_out_ = (confidences, right)
        design = designs[self.uses_neighbours_]
        self.coef_ = self._solve(design[labelled], targets[labelled], proto_design)
        lexical_rows = slice(
            0 if self.features_.lexical_only else self.embedder_.dim,
            (0 if self.features_.lexical_only else self.embedder_.dim) + lexical.shape[1],
        )
        self.term_weights_ = self.features_.lexical.term_weights(self.coef_[lexical_rows])
        return self

    def _self_train(self, texts: Sequence[str], proto_design: Design) -> None:
        """Learn from the evidence's own most confident items (see ``self_training``)."""
        if len(texts) > _SELF_TRAINING_MAX:
            # A sample is enough to learn the evidence's words, and keeps the extra
            # embedding (every text is embedded again when coded) bounded.
            chosen = np.random.default_rng(self.seed).choice(
                len(texts), _SELF_TRAINING_MAX, replace=False
            )
            texts = [texts[i] for i in np.sort(chosen)]
        semantic, lexical, _ = self.features_.vectors(texts)
        design = self.features_.design(semantic, lexical, None)
        zero_shot = self._zero_shot_scores(semantic)
        eligible = self._codable(self.classes_)
        neighbours = nearest_neighbours(semantic, _SELF_TRAINING_NEIGHBOURS)
        self.coef_ = self_train(
            design,
            lambda scores: self._probabilities(scores, zero_shot, None, 1.0),
            lambda rows, targets: self._solve(rows, targets, proto_design),
            self.coef_ if self.coef_ is not None else np.zeros((design.shape[1], len(eligible))),
            eligible,
            rounds=_SELF_TRAINING_ROUNDS,
            share=_SELF_TRAINING_SHARE,
            neighbours=neighbours,
            smoothing=_SELF_TRAINING_SMOOTHING,
        )
        self.temperature_ = _SELF_TRAINED_TEMPERATURE
        self.prior_strength_ = _SELF_TRAINED_PRIOR
        self.self_trained_ = True
        self.sample_vectors_ = semantic.astype(np.float32)
        self.sample_probabilities_ = spread(
            self._probabilities(design @ self.coef_, zero_shot, None, 1.0),
            neighbours,
            _SELF_TRAINING_SMOOTHING,
            _SPREADING_STEPS,
        ).astype(np.float32)

    def _solve(self, design: Design, targets: Floats, proto_design: Design) -> Floats:
        return fit_with_prototypes(
            design, targets, proto_design, self._owner, self.prior_weight, self.alpha
        )

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
        if documents is None or not self.smooths_:
            return probabilities
        # Smoothing multiplies evidence from neighbours that is not independent,
        # which makes posteriors overconfident; the sharpness (< 1) undoes that.
        smoothed = smooth_documents(probabilities, documents, self.transition_)
        return sharpen(smoothed, sharpness)

    def _check_fitted(self) -> None:
        if not hasattr(self, "mode_"):
            raise RuntimeError("FrameworkCoder is not fitted yet: call fit() first")

    def _class_probabilities(
        self,
        texts: Sequence[str],
        documents: Sequence[str | None] | None,
        prompts: Sequence[str | None] | None = None,
    ) -> tuple[Floats, npt.NDArray[np.float32], Any, npt.NDArray[np.bool_]]:
        """Per-class (own, not rolled-up) probabilities, semantic vectors, TF-IDF rows.

        The last element says, per item and class, where the item's direction is
        sure enough to stand for a top-level barrier or enabler code by itself.
        """
        self._check_fitted()
        for name, values in (("documents", documents), ("prompts", prompts)):
            if values is not None and len(values) != len(texts):
                raise ValueError(f"{name} has {len(values)} entries for {len(texts)} texts")
        semantic, lexical, tfidf = self.features_.vectors(texts)
        zero_shot = self._zero_shot_scores(semantic)
        scores = None
        if self.coef_ is not None:
            neighbours = documents if self.uses_neighbours_ else None
            scores = self.features_.design(semantic, lexical, neighbours) @ self.coef_
        probabilities = self._probabilities(scores, zero_shot, documents, self.sharpness_)
        if self.sample_vectors_ is not None and self.sample_probabilities_ is not None:
            # Items that say the same thing as the evidence learned from get its codes.
            averaged = neighbour_average(
                semantic,
                self.sample_vectors_,
                self.sample_probabilities_,
                _SELF_TRAINING_NEIGHBOURS,
            )
            weight = _SELF_TRAINING_SMOOTHING
            probabilities = (1 - weight) * probabilities + weight * averaged
        decided = getattr(self, "decided_vectors_", None)  # older saved coders have none
        if decided is not None and len(decided):
            probabilities = lean_on_decisions(
                probabilities, semantic, decided, self.decided_targets_
            )
        sure = np.zeros(probabilities.shape, dtype=bool)
        direction: DirectionModel | None = getattr(self, "direction_", None)  # older saved coders
        if direction is not None:
            helps = direction.helps(semantic, prompts)
            probabilities = direction.adjust(probabilities, self.classes_, helps)
            sure = direction.sure(self.classes_, helps)
        return probabilities, semantic, tfidf, sure

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
        self,
        texts: Sequence[str],
        documents: Sequence[str | None] | None = None,
        prompts: Sequence[str | None] | None = None,
    ) -> Floats:
        """Return calibrated probabilities of the codes in :meth:`output_codes`.

        Args:
            texts: Texts to code.
            documents: The document of each text, in reading order, for context.
            prompts: What each text answers (a workshop column, a survey
                question), or ``None``; used to tell hindering from helping.

        Returns:
            ``(len(texts), len(output_codes()))`` probabilities, rows summing to 1.
        """
        probabilities, _, _, _ = self._class_probabilities(list(texts), documents, prompts)
        return self._at_level(probabilities)

    def _at_level(self, probabilities: Floats) -> Floats:
        if self.level is None:
            return probabilities
        columns = [self.classes_.index(c) for c in self.output_codes()]
        return np.asarray((probabilities @ self._rollup.T)[:, columns], dtype=np.float64)

    def predict(
        self,
        texts: Sequence[str],
        documents: Sequence[str | None] | None = None,
        prompts: Sequence[str | None] | None = None,
    ) -> list[CodingResult]:
        """Code texts.

        Args:
            texts: Texts to code.
            documents: The document of each text, in reading order, for context.
            prompts: What each text answers (a workshop column, a survey
                question), or ``None``; used to tell hindering from helping.

        Returns:
            One :class:`CodingResult` per text, in order.
        """
        texts = list(texts)
        probabilities, semantic, tfidf, sure = self._class_probabilities(texts, documents, prompts)
        results: list[CodingResult] = []
        for start in range(0, len(texts), _CHUNK):
            stop = min(len(texts), start + _CHUNK)
            results += self._results(
                probabilities[start:stop],
                semantic[start:stop],
                tfidf[start:stop],
                sure[start:stop],
                prompts[start:stop] if prompts is not None else None,
            )
        return results

    def _broader_codes(
        self, rolled: Floats, depths: npt.NDArray[np.int64], sure: npt.NDArray[np.bool_]
    ) -> npt.NDArray[np.int64]:
        """Per row, the deepest broader code to back off to, or -1 for none."""
        none = np.full(len(rolled), -1, dtype=np.int64)
        if not self.back_off or self.level is not None or not len(rolled):
            return none
        share = self._rollup.sum(axis=1) / len(self.classes_)
        inner = self._rollup.sum(axis=1) > 1  # codes with children
        inner &= self._codable(self.classes_)
        eligible = (
            inner[None, :]
            & (rolled >= self.threshold)
            & ((rolled >= _BACK_OFF_LIFT * share[None, :]) | sure)
        )
        # Deepest first, then most probable: the most specific code we can stand behind.
        key = np.where(eligible, depths[None, :] * 2.0 + rolled, -1.0)
        chosen = np.argmax(key, axis=1)
        return np.where(eligible.any(axis=1), chosen, none)

    def _codable(self, codes: Sequence[str]) -> npt.NDArray[np.bool_]:
        """Which of these codes may be assigned (REFI-QDA ``isCodable``)."""
        return np.array([self.codebook.code(c).codable for c in codes], dtype=bool)

    def _results(
        self,
        probabilities: Floats,
        semantic: npt.NDArray[np.float32],
        tfidf: Any,
        sure: npt.NDArray[np.bool_],
        prompts: Sequence[str | None] | None = None,
    ) -> list[CodingResult]:
        rolled = probabilities @ self._rollup.T
        reported = self.output_codes()
        at_level = self._at_level(probabilities)
        # A code marked not codable (a grouping code) is never ranked first.
        level = np.where(self._codable(reported)[None, :], at_level, -1.0)
        depth_ok = np.array(
            [self.level is None or self.codebook.depth(c) < self.level for c in self.classes_]
        )
        paths = {c: (*(a.id for a in reversed(self.codebook.ancestors(c))), c) for c in reported}
        # Stable sort so that ties go to the code listed first in the codebook.
        ranked = np.argsort(-level, axis=1, kind="stable")[:, :2]
        passing = depth_ok & self._codable(self.classes_) & (rolled >= self.threshold)
        depths = np.array([len(self.codebook.ancestors(c)) for c in self.classes_])
        broader = self._broader_codes(rolled, depths, sure)
        direction: DirectionModel | None = getattr(self, "direction_", None)
        results = []
        for row in range(len(probabilities)):
            first = ranked[row, 0]
            confidence = float(level[row, first])
            runner_up = float(level[row, ranked[row, 1]]) if level.shape[1] > 1 else 0.0
            runner_up = max(runner_up, 0.0)
            if confidence < self.threshold and broader[row] >= 0:
                # The runner-up is the best other code at the same depth.
                first = int(broader[row])
                confidence = float(rolled[row, first])
                peers = (depths == depths[first]) & (np.arange(len(depths)) != first)
                runner_up = float(rolled[row, peers].max()) if peers.any() else 0.0
            margin = confidence - runner_up
            if confidence < self.threshold:
                best = int(np.argmax(at_level[row]))
                suggestion = (reported[best], float(at_level[row, best]))
                results.append(
                    CodingResult(None, confidence, (), (), margin, Explanation(), suggestion)
                )
                continue
            top = reported[first]
            kept = np.flatnonzero(passing[row])
            # A top-level code off the top code's path counts beside it only when it
            # is nearly as likely: at a low threshold the rest of the probability,
            # spread thinly over a broad code's children ("Driver of change 21%" on a
            # complaint), would otherwise pass as a code of its own.
            own_path = {top, *(a.id for a in self.codebook.ancestors(top))}
            # An item whose direction is sure (the question it answers names it) is
            # not also given codes that point the other way.
            against = direction.opposed(self.classes_, sure[row]) if direction else frozenset()
            kept = np.array(
                [
                    i
                    for i in kept
                    if (
                        depths[i] > 0
                        or self.classes_[i] in own_path
                        or rolled[row, i] >= _SECOND_ROOT_SHARE * confidence
                    )
                    and (self.classes_[i] in own_path or self.classes_[i] not in against)
                ],
                dtype=np.intp,
            )
            kept = kept[np.lexsort((kept, -rolled[row, kept]))]
            codes = tuple((self.classes_[i], round(float(rolled[row, i]), 6)) for i in kept)
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
                    alternatives=(self.term_weights_, probabilities[row]),
                )
            prompt = prompts[row] if prompts is not None else None
            if direction is not None and direction.named_by(top, prompt):
                explanation = replace(explanation, prompt=str(prompt))
            results.append(CodingResult(top, confidence, codes, paths[top], margin, explanation))
        return results


def make_coder(
    codebook: Codebook,
    *,
    embedder: str | Embedder = "default",
    threshold: float | None = None,
    level: int | None = None,
    context: bool = False,
) -> FrameworkCoder:
    """A coder with upstream's defaults, optionally overriding the threshold.

    Without a threshold, the codebook's own (when it states one) is used, so every
    way of coding with a framework counts its codes alike.
    """
    coder = FrameworkCoder(codebook, embedder=embedder, level=level, context=context)
    chosen = threshold if threshold is not None else codebook.threshold
    if chosen is not None:
        coder.set_params(threshold=chosen)
    return coder
