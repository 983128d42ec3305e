"""Stance inside a theme: who is for, who is against, and in what proportion.

Clustering puts "Keep the LTN" and "Scrap the LTN" in the same theme, because
they are about the same thing. That is right for *what* people talk about and
wrong for *what they said*, so each theme's members are split by the stance
score of :mod:`upstream.signals.sentiment` and reported as "most said ... / a
minority said ..." with counts and one typical quote per side.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from upstream.records.themes import Quote, StanceSide, StanceSummary
from upstream.signals.sentiment import sentiment_scores

__all__ = ["SIDES", "side_of", "stance_sentence", "summarise_stance"]

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
    counts = {s.side: s.count for s in sides}
    quotes = {s.side: s.quote.text for s in sides if s.quote is not None}
    return describe_stance(counts, total, quotes)


def describe_stance(
    counts: Mapping[str, int], total: int, quotes: Mapping[str, str] | None = None
) -> str:
    """Say in plain English how a theme's items divide, largest side first.

    Args:
        counts: Items per side (``for``, ``against``, ``neutral``).
        total: Items in the theme.
        quotes: A typical quote per side, when the reader may see it.

    Returns:
        For example ``Most (9 of 14) were against it or negative: "..."; a
        minority (4) were for it or positive; 1 took no clear side.``
    """
    quotes = quotes or {}
    opinions = sorted(
        ((side, n) for side, n in counts.items() if side in SIDES and n > 0),
        key=lambda pair: (-pair[1], pair[0]),
    )
    neutral = int(counts.get(_NEUTRAL, 0))
    if not opinions:
        return f"None of the {total} took a clear side." if total else "No items."
    top = opinions[0][1]

    def said(who: str, side: str, n: int) -> str:
        quote = f': "{quotes[side]}"' if side in quotes else ""
        verb = SIDES[side] if n != 1 else "was" + SIDES[side].removeprefix("were")
        return f"{who} {verb}{quote}"

    if neutral >= top and neutral * 2 >= total:
        # Most took no side: say so first, so a small group is not called "the largest".
        parts = [f"Most ({neutral} of {total}) took no clear side"]
        parts += [said(f"{n}", side, n) for side, n in opinions]
        return _end("; ".join(parts))
    parts = []
    for side, n in opinions:
        if n < top:
            who = f"a minority ({n})"
        elif top * 2 > total:
            who = f"Most ({n} of {total})"
        elif len([o for o in opinions if o[1] == top]) > 1:
            who = f"{n} of {total}" if parts else f"Opinion was split: {n} of {total}"
        else:
            who = f"The largest group ({n} of {total})"
        parts.append(said(who, side, n))
    if neutral:
        parts.append(f"{neutral} took no clear side")
    return _end("; ".join(parts))


def _end(text: str) -> str:
    """Close a sentence with a full stop, unless it ends in a quote that already has one."""
    return text if text.endswith(('."', '!"', '?"')) else text + "."


def stance_sentence(sides: dict[str, int], total: int) -> str:
    """Plain words for a stance split, e.g. "Most (9 of 14) were against it or negative; ...".

    The sentence kept with a theme quotes one item per side, and that item may be
    one the reader is not allowed to see, so this one says the counts only.

    Args:
        sides: Items per side (``for``, ``against``, ``neutral``).
        total: Items in the theme.
    """
    return describe_stance(sides, total) if sides else ""
