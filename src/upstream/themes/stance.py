"""Tone inside a theme: how many replies are positive, negative or neutral.

Clustering puts "Keep the LTN" and "Scrap the LTN" in the same theme, because
they are about the same thing. That is right for *what* people talk about and
says nothing of *what they said*, so each theme's members are split by the
score of :mod:`upstream.signals.sentiment` and reported as "most were ... / a
minority were ..." with counts and one typical quote per side. The score
measures tone, not agreement: "Scrap the LTN, it pushes traffic onto our road"
is negative in tone and *for* scrapping it, and "treat drug addiction as a
health problem" is neutral in tone and a firm position. So the sentence says
what it is about ("On the youth club: ...") and always calls the split one of
tone, never "for" or "against" something the score cannot see.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from upstream.evidence.stopwords import STOP_WORDS
from upstream.policy import withheld
from upstream.records.themes import Quote, StanceSide, StanceSummary
from upstream.signals.sentiment import sentiment_scores

__all__ = ["TONE", "describe_stance", "side_of", "stance_sentence", "summarise_stance"]

TONE = {"for": "were positive in tone", "against": "were negative in tone"}
_NEUTRAL = "neutral"
_NO_SIDE = "were neutral in tone"


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
    topic: str = "",
) -> StanceSummary:
    """Split a theme's members by stance and say how they divide.

    Args:
        texts: Every text being themed.
        members: Positions of the theme's members.
        vectors: Unit vectors of every text, to pick each side's most typical quote.
        scores: Stance scores of every text, when already computed.
        scorer: Scores texts from -1 (against) to 1 (for) when ``scores`` is not given.
        min_share: A side smaller than this share of the theme does not make it contested.
        topic: What the theme is about (its name), so the sentence says what
            the replies are about.

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
    return StanceSummary(tuple(sides), _sentence(sides, total, topic), contested)


def _sentence(sides: list[StanceSide], total: int, topic: str) -> str:
    counts = {s.side: s.count for s in sides}
    quotes = {s.side: s.quote.text for s in sides if s.quote is not None}
    return describe_stance(counts, total, quotes, topic=topic)


def describe_stance(
    counts: Mapping[str, int],
    total: int,
    quotes: Mapping[str, str] | None = None,
    *,
    topic: str = "",
) -> str:
    """Say in plain English how a theme's items divide, largest side first.

    Args:
        counts: Items per side (``for``, ``against``, ``neutral``).
        total: Items in the theme.
        quotes: A typical quote per side, when the reader may see it.
        topic: What the replies are about (the theme's name).

    Returns:
        For example ``On the youth club: most (9 of 14) were negative in tone:
        "..."; a minority (4) were positive in tone; 1 was neutral in tone.``,
        or without a topic ``Most (9 of 14) were negative in tone; ...``.
    """
    if re.fullmatch(r"\s*(Theme \d+)?\s*", topic):
        topic = ""  # a number names nothing
    return _about(topic, _describe(counts, total, quotes or {}, TONE))


def _about(topic: str, sentence: str) -> str:
    """Say what the sentence is about: "On fly tipping: most (9 of 14) ..."."""
    topic = " ".join(topic.split())
    if not topic or sentence == "No items.":
        return sentence
    words = topic.split()
    # Lower a sentence-case capital, but not a name ("Copper Row") or capitals ("LTN").
    first = words[0]
    starts_name = len(words) > 1 and words[1][:1].isupper() and first.lower() not in STOP_WORDS
    name = starts_name or first[1:] != first[1:].lower()
    subject = topic if name else topic[:1].lower() + topic[1:]
    if sentence.startswith("Tone was split"):
        return f"On {subject}, t{sentence[1:]}"
    return f"On {subject}: {sentence[:1].lower()}{sentence[1:]}"


def _describe(
    counts: Mapping[str, int], total: int, quotes: Mapping[str, str], words: Mapping[str, str]
) -> str:
    opinions = sorted(
        ((side, n) for side, n in counts.items() if side in TONE and n > 0),
        key=lambda pair: (-pair[1], pair[0]),
    )
    neutral = int(counts.get(_NEUTRAL, 0))
    if not opinions:
        return f"All {total} were neutral in tone." if total else "No items."
    top = opinions[0][1]

    def said(who: str, side: str, n: int) -> str:
        quote = f': "{quotes[side]}"' if side in quotes else ""
        verb = words[side] if n != 1 else "was" + words[side].removeprefix("were")
        return f"{who} {verb}{quote}"

    if neutral >= top and neutral * 2 >= total:
        # Most took no side: say so first, so a small group is not called "the largest".
        parts = [f"Most ({neutral} of {total}) {_NO_SIDE}"]
        parts += [said(f"{n}", side, n) for side, n in opinions]
        return _end("; ".join(parts))
    parts = []
    for side, n in opinions:
        if n < top:
            who = f"a minority ({n})"
        elif n == total:
            who = f"All {total}" if total > 1 else "The only one"
        elif top * 2 > total:
            who = f"Most ({n} of {total})"
        elif len([o for o in opinions if o[1] == top]) > 1:
            who = f"{n} of {total}" if parts else f"Tone was split: {n} of {total}"
        else:
            who = f"The largest group ({n} of {total})"
        parts.append(said(who, side, n))
    if neutral:
        parts.append(f"{neutral} {_NO_SIDE if neutral != 1 else 'was neutral in tone'}")
    return _end("; ".join(parts))


def _end(text: str) -> str:
    """Close a sentence with a full stop, unless it ends in a quote that already has one."""
    return text if text.endswith(('."', '!"', '?"')) else text + "."


_TONE_WORD = {"for": "positive", "against": "negative", _NEUTRAL: "neutral"}


def _largest_and_the_rest(sides: Mapping[str, int], total: int) -> str:
    """The largest side counted, the others only together, when both are 10 or more.

    "Most (40 of 59) were negative in tone; the other 19 were positive or
    neutral": neither the 5 positive nor the 14 neutral can be worked out, so a
    split with a small side still says how most felt. "" when the largest side
    is under 10, ties with another, or leaves fewer than 10 others.
    """
    present = sorted(((n, side) for side, n in sides.items() if n > 0), reverse=True)
    if len(present) < 2 or present[0][0] == present[1][0]:
        return ""
    largest, side = present[0]
    rest = total - largest
    if largest < 10 or rest < 10:
        return ""
    share = (
        f"Most ({largest} of {total})"
        if largest * 2 > total
        else (f"The largest group ({largest} of {total})")
    )
    others = " or ".join(_TONE_WORD[s] for _, s in sorted(present[1:], key=lambda p: p[1]))
    return f"{share} were {_TONE_WORD[side]} in tone; the other {rest} were {others} in tone."


def stance_sentence(sides: dict[str, int], total: int, topic: str = "") -> str:
    """Plain words for a stance split, e.g. "On buses: most (19 of 24) were negative in tone".

    The sentence kept with a theme quotes one item per side, and that item may be
    one the reader is not allowed to see, so this one says the counts only. A
    side of 1 to 9 people is a small group: shown, or worked out from the
    theme's size and the other sides, it would say how those few people feel,
    so then only the largest side is counted, and the others together, when
    each count is 10 or more; otherwise no side is counted.

    Args:
        sides: Items per side (``for``, ``against``, ``neutral``).
        total: Items in the theme.
        topic: What the split is about (the theme's name); without it the
            sentence says the split is one of tone.
    """
    if not sides:
        return ""
    if withheld({side: n for side, n in sides.items() if n > 0}):
        named = bool(topic) and not re.fullmatch(r"\s*(Theme \d+)?\s*", topic)
        grouped = _largest_and_the_rest(sides, total)
        if grouped:
            return _about(topic if named else "", grouped)
        present = [TONE[side] for side in TONE if sides.get(side)]
        if sides.get(_NEUTRAL):
            present.append(_NO_SIDE)
        said = "; others ".join(present) if len(present) > 1 else present[0]
        return _about(
            topic if named else "",
            f"Some items {said}. How many is not shown, since some of these groups are "
            "fewer than 10.",
        )
    return describe_stance(sides, total, topic=topic)
