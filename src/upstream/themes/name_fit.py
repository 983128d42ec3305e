"""Make the themes' members agree with the themes' names.

A reader who sees only the names places an item under the name it matches.
Clustering puts an item with its nearest neighbours, which is not always the
theme whose name the item matches: "Potholes on Mill Lane" can sit in a theme
named "Bus" because the neighbours talk about the same street. This step
moves such items to the theme whose name they match clearly better, and puts
items that match no name well in the explicit "Other comments" group, so the
tool's assignment is the one a reader would make from the names.

An item's fit to a theme combines three things a reader also weighs: how
close it is to the theme's centre (what its members say), how close it is to
the theme's name in the same text model, and whether it uses the name's words
(at least half of the content words of one of the name's phrases). The rule
and its constants were chosen on the demo replies and manifesto sentences and
checked on independent comments (``docs/benchmarks.md``).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from upstream.themes.readability import content_stems

__all__ = ["NameFit", "name_uses"]

Floats = npt.NDArray[np.float32]
Ints = npt.NDArray[np.int64]


def name_uses(texts: Sequence[str], names: Sequence[str]) -> npt.NDArray[np.bool_]:
    """Which items use each name's words.

    A name of two phrases ("Parking charges and car park") is used by an item
    that uses either phrase: at least half of that phrase's content words.

    Args:
        texts: The items.
        names: Theme names, by number.

    Returns:
        A ``(len(texts), len(names))`` boolean array.
    """
    phrases = [
        [stems for part in name.split(" and ") if (stems := content_stems(part))] for name in names
    ]
    out = np.zeros((len(texts), len(names)), dtype=bool)
    for i, text in enumerate(texts):
        words = content_stems(text)
        for t, parts in enumerate(phrases):
            out[i, t] = any(len(part & words) * 2 >= len(part) for part in parts)
    return out


@dataclass(frozen=True)
class NameFit:
    """The rule that moves items to the theme whose name they match.

    An item's fit to theme *t* is ``cos(item, centre_t) + name_weight *
    cos(item, name_t) + use_weight * uses_name_t``. An item moves from its
    theme to the best-fitting other theme when that fit is higher by more
    than ``margin``. An item whose best fit is below ``least_fit`` and that
    uses no name goes to the "Other comments" group, within ``max_other``
    of all items.

    Attributes:
        name_weight: Weight of the cosine between an item and a theme's name.
        use_weight: Credit for using a name's words.
        margin: How much better another theme must fit for an item to move.
        least_fit: Below this fit, an item that uses no name is "other".
        max_other: Largest share of all items the "Other comments" group may hold.
    """

    name_weight: float = 2.0
    use_weight: float = 0.3
    margin: float = 0.05
    least_fit: float = 0.75
    max_other: float = 0.12

    def fits(
        self,
        vectors: Floats,
        labels: Ints,
        uses: npt.NDArray[np.bool_],
        name_vectors: Floats | None,
        subjects: Sequence[int],
    ) -> npt.NDArray[np.float64]:
        """Every item's fit to every subject theme (columns in the order of ``subjects``)."""
        centres = np.zeros((len(subjects), vectors.shape[1]), dtype=np.float64)
        for column, number in enumerate(subjects):
            members = vectors[labels == number]
            if len(members):
                mean = members.mean(axis=0)
                centres[column] = mean / max(float(np.linalg.norm(mean)), 1e-12)
        fit = vectors.astype(np.float64) @ centres.T
        if name_vectors is not None:
            fit += self.name_weight * (vectors.astype(np.float64) @ name_vectors[subjects].T)
        fit += self.use_weight * uses[:, subjects]
        return np.asarray(fit, dtype=np.float64)

    def assign(
        self,
        vectors: Floats,
        labels: Ints,
        uses: npt.NDArray[np.bool_],
        name_vectors: Floats | None,
        *,
        other: int | None,
        frozen: Collection[int] = (),
    ) -> Ints:
        """Each item's theme after matching items to names.

        Args:
            vectors: Unit vectors of the items.
            labels: Each item's theme (-1 unassigned; unassigned items stay so).
            uses: From :func:`name_uses`.
            name_vectors: Unit vectors of the names in the same text model, by
                theme number, or ``None`` when the model is not at hand.
            other: The "Other comments" theme's number; ``None`` when there is
                none yet, in which case items that fit nothing get number
                ``labels.max() + 1`` (the caller decides whether that group stands).
            frozen: Themes people edited: their items stay and none join them.

        Returns:
            The new theme of each item.
        """
        count = int(labels.max()) + 1 if len(labels) else 0
        subjects = [t for t in range(count) if t != other and t not in frozen]
        out = labels.copy()
        if len(subjects) < 2:
            return out
        fit = self.fits(vectors, labels, uses, name_vectors, subjects)
        column = {number: c for c, number in enumerate(subjects)}
        movable = np.flatnonzero(np.isin(labels, [*subjects, *([] if other is None else [other])]))
        best = fit.argmax(axis=1)
        best_fit = fit[np.arange(len(labels)), best]
        for i in movable:
            own = column.get(int(labels[i]))
            if own is None:
                # In "Other comments": it leaves only for a theme it fits well.
                if best_fit[i] >= self.least_fit and uses[i, subjects[best[i]]]:
                    out[i] = subjects[best[i]]
            elif best[i] != own and best_fit[i] > fit[i, own] + self.margin:
                out[i] = subjects[best[i]]
        # Items that fit no name, least fitting first, into "Other comments".
        other_number = count if other is None else other
        room = int(self.max_other * len(labels)) - int((out == other_number).sum())
        weak = [
            int(i)
            for i in movable
            if out[i] != other_number
            and best_fit[i] < self.least_fit
            and not uses[i, subjects].any()
        ]
        weak.sort(key=lambda index: (float(best_fit[index]), index))
        for index in weak[: max(room, 0)]:
            out[index] = other_number
        return out
