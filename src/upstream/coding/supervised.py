"""Supervised pieces of the coder: label targets, the weighted ridge fit, folds.

Kept apart from :mod:`upstream.coding.coder` so that each is small enough to
read in one go; these are plain functions of arrays.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from upstream.coding.calibration import fit_temperature, log_loss, smooth_documents, softmax
from upstream.coding.features import fit_ridge

__all__ = [
    "Calibration",
    "Label",
    "assign_folds",
    "calibrate",
    "fit_with_prototypes",
    "label_targets",
    "no_code_fits",
    "sharpen",
]

Label = str | Sequence[str] | None
"""A label: one code id, several code ids, or ``None`` for an unlabelled item.

An empty sequence is a checked item that no code fits (a person marked it not
relevant to the framework): it has no code to learn, unlike ``None``, which
nobody has looked at.
"""

Floats = npt.NDArray[np.float64]
Design = npt.NDArray[np.float32]
_PRIOR_GRID = (0.0, 0.25, 0.5, 1.0, 2.0)
_SHARPNESS_GRID = tuple(float(x) for x in np.geomspace(0.25, 4.0, 25))


def label_targets(
    codebook_id: str, classes: Sequence[str], labels: Sequence[Label] | None, n: int
) -> Floats:
    """Turn labels into row-normalised target weights over the classes.

    Args:
        codebook_id: The codebook's id, for error messages.
        classes: The code ids, in column order.
        labels: One label per item, or ``None`` when nothing is labelled.
        n: Number of items.

    Returns:
        ``(n, len(classes))`` weights; an item with two codes gets 0.5 on each,
        an unlabelled item a row of zeros.

    Raises:
        ValueError: If the lengths differ or a label is not one of the classes.
    """
    position = {code: i for i, code in enumerate(classes)}
    targets = np.zeros((n, len(classes)))
    if labels is None:
        return targets
    if len(labels) != n:
        raise ValueError(f"labels has {len(labels)} entries for {n} texts")
    for row, label in enumerate(labels):
        codes = [label] if isinstance(label, str) else list(label or ())
        for code in codes:
            if code not in position:
                raise ValueError(
                    f"label {code!r} of item {row} is not a code of codebook {codebook_id!r}"
                )
            targets[row, position[code]] = 1.0 / len(codes)
    return targets


def no_code_fits(labels: Sequence[Label] | None) -> list[int]:
    """Positions of the items a person checked and found no code fits (an empty label).

    Args:
        labels: One label per item, or ``None`` when nothing is labelled.

    Returns:
        The positions, in order.
    """
    return [
        row
        for row, label in enumerate(labels or ())
        if label is not None and not isinstance(label, str) and not len(label)
    ]


def fit_with_prototypes(
    design: npt.NDArray[np.float32],
    targets: Floats,
    proto_design: npt.NDArray[np.float32],
    owner: npt.NDArray[np.intp],
    prior_weight: float,
    alpha: float,
) -> Floats:
    """Fit the ridge classifier on labelled rows plus the codebook's pseudo-labels.

    Args:
        design: Features of the labelled items.
        targets: Their target weights.
        proto_design: Features of the codebook's prototype texts.
        owner: The class of each prototype.
        prior_weight: Weight of each prototype.
        alpha: Ridge penalty.

    Returns:
        The coefficients.
    """
    counts = targets.sum(axis=0)
    present = max(1, int((counts > 0).sum()))
    # Square-root inverse frequency: rare codes count more without letting a
    # code with two examples dominate (full balancing measured worse).
    per_code = np.sqrt(len(targets) / (present * np.maximum(counts, 1.0)))
    weights = (targets * per_code).sum(axis=1)
    proto_targets = np.zeros((len(owner), targets.shape[1]))
    proto_targets[np.arange(len(owner)), owner] = 1.0
    return fit_ridge(
        np.vstack([design, proto_design]),
        np.vstack([targets, proto_targets]),
        np.concatenate([weights, np.full(len(owner), prior_weight)]),
        alpha,
    )


def assign_folds(
    labelled: npt.NDArray[np.intp],
    documents: Sequence[str | None] | None,
    n: int,
    folds: int,
) -> npt.NDArray[np.intp]:
    """Assign items to held-out folds, whole documents together when known.

    Holding out whole documents keeps an item's neighbours (which share its
    code) out of its own training fold, so calibration is not optimistic.

    Args:
        labelled: Positions of the labelled items.
        documents: The document of each item, or ``None``.
        n: Number of items.
        folds: Number of folds.

    Returns:
        The fold of each item.
    """
    fold = np.arange(n) % folds
    if documents is not None:
        names = sorted({str(documents[i]) for i in labelled})
        if len(names) >= folds:
            number = {name: i % folds for i, name in enumerate(names)}
            fold = np.array([number.get(str(d), i % folds) for i, d in enumerate(documents)])
    return fold


def sharpen(probabilities: Floats, sharpness: float) -> Floats:
    """Raise probabilities to a power and renormalise (calibration after smoothing).

    Args:
        probabilities: Rows of probabilities.
        sharpness: The power; below 1 flattens, above 1 sharpens.

    Returns:
        The recalibrated probabilities.
    """
    if sharpness == 1.0:
        return probabilities
    powered = np.power(np.clip(probabilities, 1e-300, 1.0), sharpness)
    return np.asarray(powered / powered.sum(axis=1, keepdims=True), dtype=np.float64)


@dataclass(frozen=True)
class Calibration:
    """What held-out folds chose.

    Attributes:
        temperature: Softmax temperature of the combined scores.
        prior_strength: Weight of the zero-shot similarity scores.
        neighbours: Whether to use the neighbouring items' features.
        smooths: Whether to smooth along documents.
        sharpness: Power applied after smoothing.
        held_out: Out-of-fold probabilities of the labelled items, as calibrated
            (None when there were too few labels to hold any out); they tell how
            often the coder is right at each confidence.
        every_item: The same for every item, labelled or not (None likewise):
            an item people found no code fits is held out too, and any code it
            would be given is wrong.
    """

    temperature: float = 0.1
    prior_strength: float = 1.0
    neighbours: bool = False
    smooths: bool = False
    sharpness: float = 1.0
    held_out: Floats | None = field(default=None, compare=False, repr=False)
    every_item: Floats | None = field(default=None, compare=False, repr=False)


def calibrate(
    designs: dict[bool, Design],
    targets: Floats,
    labelled: npt.NDArray[np.intp],
    zero_shot: Floats,
    documents: Sequence[str | None] | None,
    transition: Floats,
    solve: Callable[[npt.NDArray[np.intp], Design], Floats],
    folds: int,
) -> Calibration:
    """Choose, on held-out folds, how to use context and how to calibrate.

    Neighbours help when codes come in runs (manifesto sections) and can hurt
    when a code is rare and isolated (one immigration sentence among others),
    so neighbour features and smoothing are each kept only if they lower the
    held-out log-loss.

    Args:
        designs: Design matrices without (``False``) and, if documents are
            known, with (``True``) neighbour features.
        targets: Target weights of every item (zero rows when unlabelled).
        labelled: Positions of the labelled items.
        zero_shot: Zero-shot scores, already scaled to the learned scores.
        documents: The document of each item (folds keep documents together).
        transition: Code-to-code transition matrix for smoothing.
        solve: Fits coefficients from the given rows of a design.
        folds: Number of held-out folds.

    Returns:
        The chosen calibration.
    """
    with_context = max(designs)
    if len(labelled) < 2 * folds:
        # Too few labels to hold any out: trust the codebook and the context.
        return Calibration(neighbours=with_context, smooths=with_context)
    fold = assign_folds(labelled, documents, len(zero_shot), folds)
    best: tuple[float, float, float, bool, Floats] | None = None
    for neighbours, design in designs.items():
        scores = np.zeros_like(zero_shot)
        for k in range(folds):
            train = labelled[fold[labelled] != k]
            test = np.flatnonzero(fold == k)
            if len(train) and len(test):
                scores[test] = design[test] @ solve(train, design)
        for strength in _PRIOR_GRID:
            mixed = scores + strength * zero_shot
            temperature = fit_temperature(mixed[labelled], targets[labelled])
            probabilities = softmax(mixed, temperature)
            loss = log_loss(probabilities[labelled], targets[labelled])
            if best is None or loss < best[0]:
                best = (loss, temperature, strength, neighbours, probabilities)
    assert best is not None
    loss, temperature, strength, neighbours, plain = best
    chosen = Calibration(
        temperature, strength, neighbours, held_out=plain[labelled], every_item=plain
    )
    if documents is None or not with_context:
        return chosen
    smoothed = smooth_documents(plain, documents, transition)
    losses = [log_loss(sharpen(smoothed[labelled], s), targets[labelled]) for s in _SHARPNESS_GRID]
    if min(losses) >= loss:
        return chosen
    sharpness = _SHARPNESS_GRID[int(np.argmin(losses))]
    every_item = sharpen(smoothed, sharpness)
    return Calibration(
        temperature, strength, neighbours, True, sharpness, every_item[labelled], every_item
    )
