"""Turn cluster assignments into described themes: counts, sub-themes, labels, quotes, stance.

This is the part of theme discovery that runs again after every edit, so it
only *describes* a given assignment; it never moves items between themes
(sub-themes aside, which are found afresh inside each theme and cached).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import numpy.typing as npt

from upstream.embed.base import normalise_rows
from upstream.records.themes import (
    EVERYTHING_ELSE,
    IN_GENERAL,
    Quote,
    StanceSummary,
    SummarySentence,
    Theme,
)
from upstream.signals.repeats import repeated_items
from upstream.themes.cluster import WardKMeans
from upstream.themes.labels import OTHER_DESCRIPTION, OTHER_LABEL, Labeller, ThemeName
from upstream.themes.quotes import QuoteSelector
from upstream.themes.readability import FEW_FIT, content_stems, name_coverage
from upstream.themes.stance import TONE, side_of, summarise_stance

__all__ = ["Evidence", "ThemeBuilder"]

Floats = npt.NDArray[np.float32]
Ints = npt.NDArray[np.int64]


@dataclass
class Evidence:
    """What is known about the items being themed, beyond their vectors.

    Attributes:
        texts: The texts.
        respondents: Who said each item (``None`` = unknown, counted as one person).
        organisations: Each item's organisation (``None`` = unknown).
        engagement: Each item's total engagement (likes + reposts + ...), or ``None``.
        stance: Each item's stance score (-1 against .. 1 for), or empty when off.
    """

    texts: Sequence[str]
    respondents: Sequence[str | None] | None = None
    organisations: Sequence[str | None] | None = None
    engagement: Sequence[float | None] | None = None
    stance: Sequence[float] = field(default_factory=list)


@dataclass
class ThemeBuilder:
    """Describes themes with the discovery's stages.

    Attributes:
        labeller: Fitted on every text.
        quotes: Picks representative quotes.
        subthemes: Whether to divide themes into sub-themes.
        max_subthemes: Most sub-themes per theme.
        min_size: Smallest sub-theme.
    """

    labeller: Labeller
    quotes: QuoteSelector
    subthemes: bool = True
    max_subthemes: int = 6
    min_size: int = 3
    _cache: dict[tuple[int, ...], Ints] = field(default_factory=dict)

    def sublabels(self, vectors: Floats, members: Ints) -> Ints:
        """Sub-theme of each member (all 0 when the theme is not divided)."""
        key = tuple(int(i) for i in members)
        cached = self._cache.get(key)
        if cached is not None:
            return cached
        labels = np.zeros(len(members), dtype=np.int64)
        if self.subthemes and len(members) >= 2 * self.min_size and self.max_subthemes >= 2:
            clusterer = WardKMeans(
                max_clusters=self.max_subthemes, sample_size=1500, min_size=self.min_size
            ).fit(vectors[members])
            labels = clusterer.labels_
        self._cache[key] = labels
        return labels

    def build(
        self,
        labels: Ints,
        vectors: Floats,
        evidence: Evidence,
        names: Mapping[int, str],
        edited: Mapping[int, tuple[str, ...]],
        numbers: Mapping[int, int] | None = None,
        earlier_names: Mapping[int, str] | None = None,
    ) -> tuple[list[Theme], Ints]:
        """Describe every theme of an assignment.

        Args:
            labels: Theme of each item, 0..k-1, or -1 for unassigned.
            vectors: Unit vectors the themes were found in.
            evidence: Texts and what is known about who said them.
            names: Labels people gave, by theme number.
            edited: What people did to each theme, by theme number.
            numbers: The number people know each theme by, by position (default:
                its position).
            earlier_names: The names the previous run gave its themes, by number.
                A theme that keeps its number keeps its name while that name
                fits as many of its items as a new one would, so names do not
                shuffle ("Pavements and potholes" / "Potholes and pavements")
                each time evidence is added.

        Returns:
            The themes in number order, and each item's sub-theme (-1 when unassigned).
        """
        k = int(labels.max()) + 1 if len(labels) else 0
        groups = [np.flatnonzero(labels == t) for t in range(k)]
        sublabels = np.full(len(labels), -1, dtype=np.int64)
        centres = [_centre(vectors, g) for g in groups]
        quotes = [
            self.quotes.select(evidence.texts, g.tolist(), vectors, c)
            for g, c in zip(groups, centres, strict=True)
        ]
        auto = self.labeller.name(
            [g.tolist() for g in groups], [[q.text for q in qs] for qs in quotes]
        )
        themes = []
        numbered = numbers or {}
        earlier = earlier_names or {}
        labels_given = [
            names.get(t)
            or _steady(auto[t], earlier.get(numbered.get(t, t), ""), evidence, groups[t])
            for t in range(k)
        ]
        # A kept name stays only where no other theme now has it.
        for t in range(k):
            if t not in names and labels_given.count(labels_given[t]) > 1:
                labels_given[t] = auto[t].label
        for t, members in enumerate(groups):
            inner = self.sublabels(vectors, members)
            whole = _cohesion(vectors, members, centres[t])
            others = [name for o, name in enumerate(labels_given) if o != t]
            label = labels_given[t]
            parts, inner = self._children(
                t, members, inner, vectors, evidence, whole, others,
                parent_mixed=label == OTHER_LABEL, parent_label=label,
            )  # fmt: skip
            sublabels[members] = inner
            children = _apart_from_parent(parts, label)
            theme = self._theme(
                t, members, vectors, evidence, label, auto[t].keywords, quotes[t], centres[t]
            )
            themes.append(
                replace(
                    theme,
                    number=numbered.get(t, t),
                    subthemes=children,
                    edited=edited.get(t, ()),
                    description=OTHER_DESCRIPTION if label == OTHER_LABEL else auto[t].description,
                    # A person's name, or the mixed group, is not the model's to summarise.
                    summary=_cited(auto[t].summary, quotes[t]) if label == auto[t].label else (),
                    named_by=auto[t].named_by if label == auto[t].label else "",
                )
            )
        return themes, sublabels

    def _children(
        self,
        parent: int,
        members: Ints,
        inner: Ints,
        vectors: Floats,
        evidence: Evidence,
        whole: float,
        others: Sequence[str] = (),
        mixed_part: int | None = None,
        parent_mixed: bool = False,
        parent_label: str = "",
        core_part: int | None = None,
    ) -> tuple[tuple[Theme, ...], Ints]:
        """The sub-themes of one theme, named; a mixed one is called what it is.

        ``others`` are the other themes' names: a sub-theme is not named by their
        phrases, so a reader does not find "Youth club" in two places.
        ``mixed_part`` is a part already known to be mixed (joined from several).
        Under the mixed theme (``parent_mixed``) a part's likeness to the whole
        says nothing, since the whole is a mix: a part is mixed when its name fits
        under a quarter of its items, though the part its name fits best keeps
        its name, so the mixed theme still shows something of what is in it.

        Dividing a theme should give parts more alike than the whole. A part
        whose items are less alike than the whole theme's (mean cosine to its
        centre under ``whole``) and whose name fits few of them (under a quarter
        use most of its words) is what was left over when the others were taken
        out: it is named "Other comments (mixed subjects)" rather than after one
        person's words (in a town's comments, a "Fireworks" sub-theme held
        replies about a police station, traffic wardens, CCTV and a photo). So
        is a part of three items or more whose name only one of them uses ("Cash
        machine in town charges" over a bank closing, wardens and the tip's
        hours): no phrase is shared, and one person's words do not name it; and
        a part whose name fewer than one in ten of its items use ("Fly tipping"
        over 39 replies, a few of them about fly-tipping).
        A theme has one such part: when several parts are mixed, they are one
        part of other comments, and the rest are named again beside it.

        A part that no phrase of its own names but whose items mostly use the
        theme's name (nine replies saying "fly tipping" under "Fly tipping") is
        not mixed: it is the theme's core. It joins the part named as the theme,
        if there is one, and is called after the theme ("Fly tipping in
        general", ``core_part``).

        Returns:
            The sub-themes, and each member's sub-theme (renumbered when mixed
            parts were joined).
        """
        count = int(inner.max()) + 1 if len(inner) else 0
        if count < 2:
            return (), inner
        groups = [members[inner == s] for s in range(count)]
        centres = [_centre(vectors, g) for g in groups]
        quotes = [
            self.quotes.select(evidence.texts, g.tolist(), vectors, c)
            for g, c in zip(groups, centres, strict=True)
        ]
        named = self.labeller.name(
            [g.tolist() for g in groups], [[q.text for q in qs] for qs in quotes], avoid=others
        )
        cohesion = [_cohesion(vectors, g, c) for g, c in zip(groups, centres, strict=True)]
        coverage = [
            name_coverage(named[s].label, [evidence.texts[int(i)] for i in g])
            for s, g in enumerate(groups)
        ]
        mixed = [
            s
            for s, g in enumerate(groups)
            if ((cohesion[s] < whole or parent_mixed) and coverage[s] < FEW_FIT)
            # One person's words do not name a group of several, nor words that
            # only "a few" of its items use.
            or (len(g) >= 3 and coverage[s] * len(g) < 1.5)
            or coverage[s] < 0.1
        ]
        core = [
            s
            for s in mixed
            if s != mixed_part
            and not parent_mixed
            and parent_label
            and name_coverage(parent_label, [evidence.texts[int(i)] for i in groups[s]]) >= CORE_FIT
        ]
        if core and core_part is None:
            same = [s for s in range(count) if _same_name(named[s].label, parent_label)]
            joined_parts = sorted({*core, *same})
            joined = np.where(np.isin(inner, joined_parts), min(joined_parts), inner)
            renumbered = np.unique(joined, return_inverse=True)[1].astype(np.int64)
            part = int(renumbered[np.flatnonzero(joined == min(joined_parts))[0]])
            return self._children(
                parent, members, renumbered, vectors, evidence, whole, others,
                parent_mixed=parent_mixed, parent_label=parent_label, core_part=part,
            )  # fmt: skip
        mixed = [s for s in mixed if s != core_part]
        if parent_mixed and len(mixed) == count:
            # The mixed theme's parts are there to show what is in it: the part
            # its name fits best keeps its name.
            mixed.remove(max(mixed, key=lambda s: (coverage[s], -s)))
        if len(mixed) > 1 and mixed_part is None:
            joined = np.where(np.isin(inner, mixed), min(mixed), inner)
            renumbered = np.unique(joined, return_inverse=True)[1].astype(np.int64)
            part = int(renumbered[np.flatnonzero(joined == min(mixed))[0]])
            kept_core = (
                None
                if core_part is None
                else int(renumbered[np.flatnonzero(inner == core_part)[0]])
            )
            return self._children(
                parent,
                members,
                renumbered,
                vectors,
                evidence,
                whole,
                others,
                mixed_part=part,
                parent_mixed=parent_mixed,
                parent_label=parent_label,
                core_part=kept_core,
            )
        other = (
            mixed_part
            if mixed_part is not None
            else min(mixed, key=lambda s: cohesion[s], default=-1)
        )
        children = []
        for s, g in enumerate(groups):
            label = (
                OTHER_LABEL if s == other else (parent_label if s == core_part else named[s].label)
            )
            child = self._theme(
                s, g, vectors, evidence, label, named[s].keywords, quotes[s], centres[s]
            )
            children.append(
                replace(
                    child,
                    parent=parent,
                    description=_MIXED if s == other else named[s].description,
                    summary=() if s == other else _cited(named[s].summary, quotes[s]),
                    named_by="" if s == other else named[s].named_by,
                )
            )
        return tuple(children), inner

    @staticmethod
    def _theme(
        number: int,
        members: Ints,
        vectors: Floats,
        evidence: Evidence,
        label: str,
        keywords: tuple[str, ...],
        quotes: tuple[Quote, ...],
        centre: Floats,
    ) -> Theme:
        """One theme or sub-theme; of its typical ``quotes``, one that bears out its name leads."""
        index = members.tolist()
        stance = None
        if evidence.stance:
            stance = summarise_stance(
                evidence.texts, index, vectors=vectors, scores=evidence.stance, topic=label
            )
        return Theme(
            id=number,
            label=label,
            keywords=keywords,
            size=len(index),
            respondents=_respondents(evidence.respondents, index),
            unnamed=_unnamed(evidence.respondents, index),
            organisations=_organisations(evidence.organisations, index),
            engagement_size=_engagement(evidence.engagement, index),
            repeated=repeated_items(evidence.texts, index),
            quotes=_both_tones(
                _name_first(quotes, label, members, vectors, centre, evidence.texts),
                stance,
                evidence.stance,
            ),
            members=tuple(index),
            stance=stance,
        )


def _steady(new: ThemeName, before: str, evidence: Evidence, members: Ints) -> str:
    """The earlier name when it fits at least as many of the members as the new one.

    A theme that was the mix of subjects stays so while the new name fits few
    of its items. A model endpoint's name is always its own: keeping an earlier
    one would show upstream's words as the model's, or the reverse.
    """
    if new.named_by or not before or before == new.label:
        return new.label
    texts = [evidence.texts[i] for i in members]
    fit = name_coverage(new.label, texts)
    if before == OTHER_LABEL:
        return OTHER_LABEL if fit < FEW_FIT else new.label
    return before if name_coverage(before, texts) >= fit else new.label


def _cited(
    summary: Sequence[SummarySentence], quotes: Sequence[Quote]
) -> tuple[SummarySentence, ...]:
    """A labeller's summary with citations turned from quote numbers into item positions.

    A citation that is not one of this theme's quotes is removed, and a sentence
    left citing nothing is dropped: every sentence shown rests on the theme's quotes.
    """
    cited = []
    for sentence in summary:
        positions = tuple(quotes[n].index for n in sentence.quotes if 0 <= n < len(quotes))
        if positions:
            cited.append(SummarySentence(sentence.text, positions))
    return tuple(cited)


_MIXED = "Replies on several different subjects, with no phrase most of them share."
# A part whose items mostly (this share or more) use its theme's name is the theme's core.
CORE_FIT = 0.5


def _same_name(one: str, other: str) -> bool:
    return one.strip().casefold() == other.strip().casefold()


def _name_first(
    quotes: tuple[Quote, ...],
    name: str,
    members: Ints,
    vectors: Floats,
    centre: Floats,
    texts: Sequence[str],
) -> tuple[Quote, ...]:
    """The quotes with one that bears out the name first.

    The quotes are the theme's most typical items, but a reader takes the first
    as the example of the name: "Lollipop lady at the primary" shown with a
    complaint about the council tax reads as a wrong name. So the first quote
    that uses most of the name's words leads; when none does, the most typical
    item that does takes the place of the last. The others keep their order,
    the number of quotes stays as the quote stage chose (none stays none), and
    a summary's citations were made before this, so they still hold.
    """
    stems = content_stems(name)
    if not quotes or not stems or name == OTHER_LABEL or not len(members):
        return quotes

    def fits(text: str) -> bool:
        return len(stems & content_stems(text)) * 2 >= len(stems)

    for n, quote in enumerate(quotes):
        if fits(quote.text):
            return (quote, *quotes[:n], *quotes[n + 1 :])
    similarity = vectors[members] @ centre
    for position in np.argsort(-similarity, kind="stable"):
        index = int(members[int(position)])
        if fits(texts[index]):
            lead = Quote(index, texts[index], round(float(similarity[position]), 4))
            return (lead, *quotes[:-1])
    return quotes


def _both_tones(
    quotes: tuple[Quote, ...], stance: StanceSummary | None, scores: Sequence[float]
) -> tuple[Quote, ...]:
    """The quotes, with the other side's typical quote last when a split theme's all lean one way.

    Five quotes all against a scheme that a third of the replies support would
    make a one-sided slide; so, when the tone is split (``stance.contested``),
    each side is heard. The number of quotes stays as chosen.
    """
    if stance is None or not stance.contested or len(quotes) < 2 or not scores:
        return quotes
    heard = {side_of(scores[q.index]) for q in quotes}
    chosen = list(quotes)
    slot = len(chosen) - 1
    for side in stance.sides:
        if side.side in TONE and side.side not in heard and side.quote is not None and slot:
            chosen[slot] = side.quote
            heard.add(side.side)
            slot -= 1
    return tuple(chosen)


def _cohesion(vectors: Floats, members: Ints, centre: Floats) -> float:
    """Mean cosine of a group's items to its centre: how alike they are."""
    return float((vectors[members] @ centre).mean()) if len(members) else 0.0


def _centre(vectors: Floats, members: Ints) -> Floats:
    if len(members) == 0:
        return np.zeros(vectors.shape[1], dtype=np.float32)
    centre: Floats = normalise_rows(vectors[members].mean(axis=0, keepdims=True))[0]
    return centre


def _respondents(respondents: Sequence[str | None] | None, members: list[int]) -> int:
    if respondents is None:
        return len(members)
    known = {respondents[i] for i in members if respondents[i]}
    unknown = sum(1 for i in members if not respondents[i])
    return len(known) + unknown


def _unnamed(respondents: Sequence[str | None] | None, members: list[int]) -> int:
    if respondents is None:
        return len(members)
    return sum(1 for i in members if not respondents[i])


def _organisations(
    organisations: Sequence[str | None] | None, members: list[int]
) -> tuple[str, ...]:
    if organisations is None:
        return ()
    return tuple(sorted({name for i in members if (name := organisations[i])}))


def _engagement(engagement: Sequence[float | None] | None, members: list[int]) -> float | None:
    if engagement is None or all(engagement[i] is None for i in members):
        return None
    # Each item counts once for being said, plus once per like, repost, ...
    return float(sum(1.0 + (engagement[i] or 0.0) for i in members))


def _apart_from_parent(children: tuple[Theme, ...], parent: str) -> tuple[Theme, ...]:
    """Sub-themes whose names a reader can tell from their theme's.

    The sub-theme that holds a theme's core often takes the theme's own name
    ("LTN" under "LTN"), and a reader then cannot tell an item that fits the
    theme from one that fits that sub-theme. It is called what it is: "LTN in
    general", or, under the mixed group, "Everything else".
    """
    return tuple(
        replace(
            child,
            label=EVERYTHING_ELSE if parent == OTHER_LABEL else child.label + IN_GENERAL,
        )
        if _same_name(child.label, parent)
        else child
        for child in children
    )
