"""A coding head that learns from people's decisions in well under a second.

Reviewing is a loop: the coder asks, a person answers, the coder should learn.
Re-running the whole coder (new vocabulary, calibration on folds, every item
embedded and coded again) is too slow to do after every ten answers, so this
head keeps the text vectors fixed and re-solves only the ridge classifier on
top of them: one linear solve of a few hundred dimensions. The codebook's texts
stay in its training set as pseudo-labelled examples, exactly as in
:class:`~upstream.coding.coder.FrameworkCoder`, so it starts from what the
codebook says and moves away as decisions accumulate.

:func:`cross_validated_quality` says how good such a head is from the decisions
alone: each decision is predicted by a head that did not learn from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from upstream.coding.calibration import fit_temperature, softmax

__all__ = ["HeadQuality", "IncrementalHead", "cross_validated_quality"]

Floats = npt.NDArray[np.float64]
Matrix = npt.NDArray[np.float32]
_ALPHA = 3.0
_PRIOR_WEIGHT = 1.0
# Used until there are enough decisions to choose by held-out folds.
_DEFAULT_TEMPERATURE = 0.1
_STRENGTHS = (0.0, 0.5, 1.0, 2.0)
_MIN_FOR_FOLDS = 30


def _with_constant(design: npt.ArrayLike) -> Matrix:
    x = np.asarray(design, dtype=np.float32)
    return np.hstack([x, np.ones((len(x), 1), dtype=np.float32)])


def _targets(labels: npt.NDArray[np.intp], k: int) -> Floats:
    out = np.zeros((len(labels), k))
    out[np.arange(len(labels)), labels] = 1.0
    return out


@dataclass
class IncrementalHead:
    """A ridge head over fixed text vectors, refitted from all decisions so far.

    Args:
        prototypes: ``(m, d)`` vectors of the codebook's texts.
        owner: ``(m,)`` the code (column) each codebook text stands for.
        n_codes: Number of codes.
        alpha: Ridge penalty.
        prior_weight: Weight of each codebook text as an example.
    """

    prototypes: Matrix
    owner: npt.NDArray[np.intp]
    n_codes: int
    alpha: float = _ALPHA
    prior_weight: float = _PRIOR_WEIGHT

    def __post_init__(self) -> None:
        self.coef_: Floats | None = None
        self.temperature_ = _DEFAULT_TEMPERATURE
        self.strength_ = 1.0
        self.n_labelled_ = 0
        self._proto_gram: Floats | None = None
        self._proto_rhs = np.zeros(0)

    def _solve(self, design: Matrix, labels: npt.NDArray[np.intp]) -> Floats:
        """The ridge fit of :func:`~upstream.coding.supervised.fit_with_prototypes`.

        The codebook's share of the normal equations never changes, so it is
        computed once; each refit adds only the decided items' share.
        """
        if self._proto_gram is None:
            protos = _with_constant(self.prototypes).astype(np.float64)
            targets = np.zeros((len(self.owner), self.n_codes))
            targets[np.arange(len(self.owner)), self.owner] = 1.0
            self._proto_gram = self.prior_weight * (protos.T @ protos)
            self._proto_rhs = self.prior_weight * (protos.T @ targets)
        targets = _targets(labels, self.n_codes)
        counts = targets.sum(axis=0)
        present = max(1, int((counts > 0).sum()))
        # Square-root inverse frequency, as the full coder weighs codes.
        per_code = np.sqrt(max(1, len(targets)) / (present * np.maximum(counts, 1.0)))
        root = np.sqrt((targets * per_code).sum(axis=1))[:, None]
        weighted = design.astype(np.float64) * root
        gram = self._proto_gram + weighted.T @ weighted
        gram[np.diag_indices_from(gram)] += self.alpha
        rhs = self._proto_rhs + weighted.T @ (targets * root)
        return np.asarray(np.linalg.solve(gram, rhs), dtype=np.float64)

    def fit(
        self,
        design: npt.ArrayLike,
        labels: Sequence[int] | npt.ArrayLike,
        prior: npt.ArrayLike | None = None,
    ) -> IncrementalHead:
        """Learn from the decided items.

        Args:
            design: ``(n, d)`` vectors of the decided items (same space as the prototypes).
            labels: ``(n,)`` the code (column) a person chose for each.
            prior: ``(n, k)`` codebook scores of the same items (for example
                similarity to the code descriptions), added with a strength
                chosen on held-out folds; ``None`` for none.

        Returns:
            The fitted head.
        """
        x = _with_constant(design)
        y = np.asarray(labels, dtype=np.intp)
        self.n_labelled_ = len(y)
        if prior is None or len(y) < _MIN_FOR_FOLDS:
            self.strength_ = 1.0 if prior is not None else 0.0
            self.temperature_ = _DEFAULT_TEMPERATURE
            if len(y) >= _MIN_FOR_FOLDS:
                self.temperature_ = self._held_out_temperature(x, y, None)
        else:
            z = np.asarray(prior, dtype=np.float64)
            scores = self._held_out_scores(x, y)
            targets = _targets(y, self.n_codes)
            best = None
            for strength in _STRENGTHS:
                mixed = scores + strength * z
                temperature = fit_temperature(mixed, targets)
                loss = -np.log(softmax(mixed, temperature)[np.arange(len(y)), y] + 1e-12).mean()
                if best is None or loss < best[0]:
                    best = (loss, strength, temperature)
            assert best is not None
            _, self.strength_, self.temperature_ = best
        self.coef_ = self._solve(x, y)
        return self

    def _held_out_scores(self, x: Matrix, y: npt.NDArray[np.intp], folds: int = 3) -> Floats:
        fold = np.arange(len(y)) % folds
        scores = np.zeros((len(y), self.n_codes))
        for k in range(folds):
            held = fold == k
            scores[held] = x[held] @ self._solve(x[~held], y[~held])
        return scores

    def _held_out_temperature(
        self, x: Matrix, y: npt.NDArray[np.intp], prior: Floats | None
    ) -> float:
        scores = self._held_out_scores(x, y)
        if prior is not None:
            scores = scores + self.strength_ * prior
        return fit_temperature(scores, _targets(y, self.n_codes))

    def predict_proba(self, design: npt.ArrayLike, prior: npt.ArrayLike | None = None) -> Floats:
        """Code probabilities of items.

        Args:
            design: ``(n, d)`` vectors of the items.
            prior: ``(n, k)`` codebook scores of the items, as given to :meth:`fit`.

        Returns:
            ``(n, k)`` probabilities.
        """
        x = _with_constant(design)
        if self.coef_ is None:
            self.coef_ = self._solve(x[:0], np.zeros(0, dtype=np.intp))
        scores = x @ self.coef_
        if prior is not None and self.strength_:
            scores = scores + self.strength_ * np.asarray(prior, dtype=np.float64)
        return softmax(scores, self.temperature_)


@dataclass(frozen=True)
class HeadQuality:
    """How a head does on decisions it did not learn from.

    Attributes:
        decisions: How many decisions were checked.
        accuracy: Share of them where the head's top code is the person's.
        coded: Share it would code at the threshold.
        precision: Of those it would code, the share it gets right (``None`` if none).
    """

    decisions: int
    accuracy: float
    coded: float
    precision: float | None


def cross_validated_quality(
    head: IncrementalHead,
    design: npt.ArrayLike,
    labels: Sequence[int] | npt.ArrayLike,
    threshold: float,
    prior: npt.ArrayLike | None = None,
    folds: int = 5,
) -> HeadQuality:
    """Estimate a head's accuracy and precision from the decisions themselves.

    Args:
        head: An (unfitted) head; it is refitted once per fold.
        design: ``(n, d)`` vectors of the decided items.
        labels: ``(n,)`` the code a person chose for each.
        threshold: The confidence at which the head would code an item.
        prior: ``(n, k)`` codebook scores of the items, or ``None``.
        folds: Number of folds (fewer when there are fewer decisions).

    Returns:
        The held-out quality.
    """
    x = np.asarray(design, dtype=np.float32)
    y = np.asarray(labels, dtype=np.intp)
    z = None if prior is None else np.asarray(prior, dtype=np.float64)
    n = len(y)
    if n < 2:
        return HeadQuality(n, 0.0, 0.0, None)
    # Spread the decisions over folds in the order they were made, so each
    # fold has early and late decisions alike.
    fold = np.arange(n) % min(folds, n)
    probabilities = np.zeros((n, head.n_codes))
    for k in range(min(folds, n)):
        held = fold == k
        head.fit(x[~held], y[~held], None if z is None else z[~held])
        probabilities[held] = head.predict_proba(x[held], None if z is None else z[held])
    top = probabilities.argmax(axis=1)
    right = top == y
    kept = probabilities.max(axis=1) >= threshold
    precision = float(right[kept].mean()) if kept.any() else None
    return HeadQuality(n, float(right.mean()), float(kept.mean()), precision)
