"""Stance inside a theme: who is for, who is against, and in what proportion.

Clustering puts "Keep the LTN" and "Scrap the LTN" in the same theme, because
they are about the same thing. That is right for *what* people talk about and
wrong for *what they said*, so each theme's members are split by the stance
score of :mod:`upstream.signals.sentiment` and reported as "most said ... / a
minority said ..." with counts and one typical quote per side.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from upstream.signals.sentiment import sentiment_scores
from upstream.themes.records import Quote, StanceSide, StanceSummary

__all__ = ["SIDES", "side_of", "summarise_stance"]

SIDES = {"for": "were for it or positive", "against": "were against it or negative"}
_NEUTRAL = "neutral"


def side_of(score: float, band: float = 0.05) -> str:
    """Return ``for``, ``against`` or ``neutral`` for a stance score."""
    if score > band:
        return "for"
    if score < -band:
        return "against"
    return _NEUTRAL


def _typical(
    members: Sequence[int],
    vectors: npt.NDArray[np.float32] | None,
    texts: Sequence[str],
    scores: dict[int, float],
) -> Quote | None:
    if not members:
        return None
    if vectors is None:
        # Without vectors, the strongest voice on the side stands for it.
        best = max(members, key=lambda i: (abs(scores[i]), -i))
        return Quote(best, texts[best], 0.0)
    centre = vectors[list(members)].mean(axis=0)
    norm = float(np.linalg.norm(centre))
    centre = centre / norm if norm else centre
    sims = vectors[list(members)] @ centre
    pick = int(np.lexsort((np.asarray(members), -np.round(sims, 6)))[0])
    return Quote(members[pick], texts[members[pick]], round(float(sims[pick]), 4))


def summarise_stance(
    texts: Sequence[str],
    members: Sequence[int],
    *,
    vectors: npt.NDArray[np.float32] | None = None,
    scores: Sequence[float] | None = None,
    scorer: Callable[[Sequence[str]], list[float]] = sentiment_scores,
    min_share: float = 0.15,
) -> StanceSummary:
    """Split a theme's members by stance and say how they divide.

    Args:
        texts: Every text being themed.
        members: Positions of the theme's members.
        vectors: Unit vectors of every text, to pick each side's most typical quote.
        scores: Stance scores of every text, when already computed.
        scorer: Scores texts from -1 (against) to 1 (for) when ``scores`` is not given.
        min_share: A side smaller than this share of the theme does not make it contested.

    Returns:
        The sides, largest first, with a plain-English sentence.
    """
    if scores is None:
        score_of = dict(zip(members, scorer([texts[i] for i in members]), strict=True))
    else:
        score_of = {i: float(scores[i]) for i in members}
    groups: dict[str, list[int]] = {"for": [], "against": [], _NEUTRAL: []}
    for index in members:
        groups[side_of(score_of[index])].append(index)
    sides = [
        StanceSide(name, len(group), _typical(group, vectors, texts, score_of))
        for name, group in groups.items()
        if group
    ]
    sides.sort(key=lambda s: (-s.count, s.side))
    total = len(members)
    shares = {s.side: s.count / total for s in sides} if total else {}
    contested = all(
        shares.get(side, 0.0) >= min_share and len(groups[side]) >= 2 for side in ("for", "against")
    )
    return StanceSummary(tuple(sides), _sentence(sides, total), contested)


def _sentence(sides: list[StanceSide], total: int) -> str:
    opinionated = [s for s in sides if s.side != _NEUTRAL]
    if not opinionated:
        return f"None of the {total} took a clear side." if total else "No items."
    first, rest = opinionated[0], opinionated[1:]
    quote = f': "{first.quote.text}"' if first.quote else ""
    lead = "Most" if first.count * 2 > total else "The largest group"
    text = f"{lead} ({first.count} of {total}) {SIDES[first.side]}{quote}"
    for side in rest:
        other = f': "{side.quote.text}"' if side.quote else ""
        text += f"; a minority ({side.count}) {SIDES[side.side]}{other}"
    neutral = next((s.count for s in sides if s.side == _NEUTRAL), 0)
    if neutral:
        text += f"; {neutral} took no clear side"
    return text + "."
