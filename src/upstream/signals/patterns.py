"""Cross-organisation patterns: who raises what, what goes together, who is alike, who can help.

Everything here works on :class:`CodedItem` values (an item, its organisation
and its codes), whoever coded them, so the same functions serve stored human
codings, the machine coder and themes used as codes.

For an organisation facing a barrier, a peer "shows a way past it" when one of
the peer's quotes is about the same topic in the opposite direction. Direction
comes from the codes: the quote is coded as an enabler (never also as a
barrier), by a person or with confidence. Topic is modelled apart from
direction: either the codebook pairs that enabler with the barrier as one topic
(see :func:`upstream.signals.dbe.topic_pairs`; then only its paired enablers
count), or, for a barrier the codebook pairs with no enabler, the quote is
close in meaning to the organisation's own evidence of the barrier. A barrier
with no topic of its own (the bare "Barrier to change") gets no suggestions,
the barrier's own code never counts as a way past it, and nor does an enabler
whose title only repeats the barrier's ("Barrier to change" and "Enabler of
change"), or a quote that asks for the enabler rather than tells of it ("Make
the neighbourhood budgets permanent"; see :mod:`upstream.signals.asks`).
Candidates are ranked by closeness, with a bonus for a codebook pair, and each
comes with the quotes that show it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import numpy.typing as npt

from upstream.embed.base import normalise_rows
from upstream.signals.asks import asks_for
from upstream.signals.dbe import kind_of

__all__ = ["CodeReach", "CodedItem", "Patterns", "PeerEnabler", "build_patterns", "says_missing"]

Floats = npt.NDArray[np.float32]
_LINK_BONUS = 0.2
# Without a codebook pair, a quote must be this close in meaning to the barrier
# evidence: on the demo, matches between 0.3 and 0.5 were almost all off-topic
# ("a bus to the hospital" for funding pressure).
_CLOSE_WITHOUT_PAIR = 0.5


@dataclass(frozen=True)
class CodedItem:
    """An item with its organisation and codes.

    Attributes:
        item_id: The item's id.
        organisation: Who it came from (``None`` items are left out of patterns).
        text: What was said.
        codes: Codes applied (several allowed).
        sentiment: Its sentiment, -1 to 1.
        confident: The codes a person checked or the machine gave with confidence,
            fit to offer as advice; ``None`` means all of ``codes``.
        prompt: The question or board column it answers, when known.
    """

    item_id: int
    organisation: str | None
    text: str
    codes: tuple[str, ...]
    sentiment: float = 0.0
    confident: tuple[str, ...] | None = None
    prompt: str | None = None

    def sure_of(self, code: str) -> bool:
        """Whether ``code`` was checked by a person or given with confidence."""
        return self.confident is None or code in self.confident


@dataclass(frozen=True)
class CodeReach:
    """How widely a code is raised.

    Attributes:
        code: The code id.
        title: Its title.
        kind: ``driver``/``barrier``/``enabler`` for dbe codes, else ``None``.
        organisations: Organisations raising it, alphabetically.
        items: Items coded with it.
    """

    code: str
    title: str
    kind: str | None
    organisations: tuple[str, ...]
    items: int


@dataclass(frozen=True)
class PeerEnabler:
    """A peer whose evidence shows an enabler for an organisation's barrier.

    Attributes:
        organisation: The organisation facing the barrier.
        barrier: The barrier code.
        peer: The organisation with the enabling evidence.
        enabler: The code of the peer's best evidence.
        linked: Whether the codebook links that enabler to the barrier.
        relevance: Cosine between the peer's evidence and the barrier evidence.
        quotes: ``(item_id, text)`` of the evidence, best first.
    """

    organisation: str
    barrier: str
    peer: str
    enabler: str
    linked: bool
    relevance: float
    quotes: tuple[tuple[int, str], ...]


@dataclass
class Patterns:
    """All the cross-organisation patterns of one set of coded items.

    Attributes:
        organisations: Organisations, alphabetically.
        codes: Codes, in codebook (or first-seen) order.
        matrix: Items per (organisation, code).
        reach: Each code's reach, most organisations first.
        cooccurrence: ``(code_a, code_b, organisations, items)``: organisations
            raising both, and items coded with both.
        similarity: ``(org_a, org_b, cosine)`` of code profiles, most alike first.
        peer_enablers: Peers with enabling evidence for each organisation's barriers.
        titles: Code titles by id.
    """

    organisations: list[str]
    codes: list[str]
    matrix: dict[tuple[str, str], int]
    reach: list[CodeReach]
    cooccurrence: list[tuple[str, str, int, int]]
    similarity: list[tuple[str, str, float]]
    peer_enablers: list[PeerEnabler] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)

    def reach_of(self, code: str) -> CodeReach | None:
        """The reach of one code, if it was raised at all."""
        return next((r for r in self.reach if r.code == code), None)

    def most_alike(self, organisation: str, top: int = 3) -> list[tuple[str, float]]:
        """The organisations most alike to one, with their cosine."""
        pairs = [
            (b if a == organisation else a, s)
            for a, b, s in self.similarity
            if organisation in (a, b)
        ]
        return sorted(pairs, key=lambda p: (-p[1], p[0]))[:top]


def build_patterns(
    items: Sequence[CodedItem],
    *,
    codes: Sequence[str] = (),
    titles: Mapping[str, str] | None = None,
    links: Mapping[str, Sequence[str]] | None = None,
    vectors: Floats | None = None,
    peers: int = 3,
    quotes: int = 2,
    min_relevance: float = 0.3,
) -> Patterns:
    """Compute every pattern.

    Args:
        items: The coded items.
        codes: Code order for the matrix (codes not listed follow, as first seen).
        titles: Code titles by id.
        links: Barrier -> enablers on its topic (for peer enablers; see
            :func:`upstream.signals.dbe.topic_pairs`).
        vectors: Unit vectors of the items (rows align with ``items``); needed
            for peer enablers.
        peers: Most peers reported per organisation and barrier.
        quotes: Most quotes per peer.
        min_relevance: Least closeness for evidence of a barrier the codebook pairs
            with no enabler (at least 0.5).

    Returns:
        The patterns.
    """
    named = [i for i in items if i.organisation]
    order = list(dict.fromkeys([*codes, *(c for i in named for c in i.codes)]))
    organisations = sorted({i.organisation for i in named if i.organisation})
    matrix: dict[tuple[str, str], int] = defaultdict(int)
    raisers: dict[str, set[str]] = defaultdict(set)
    pair_items: dict[tuple[str, str], int] = defaultdict(int)
    for item in named:
        org = str(item.organisation)
        distinct = list(dict.fromkeys(item.codes))
        for code in distinct:
            matrix[(org, code)] += 1
            raisers[code].add(org)
        for a, b in combinations(sorted(distinct, key=order.index), 2):
            pair_items[(a, b)] += 1
    names = dict(titles or {})
    reach = sorted(
        (
            CodeReach(
                c,
                names.get(c, c),
                kind_of(c),
                tuple(sorted(raisers[c])),
                sum(matrix[(o, c)] for o in organisations),
            )
            for c in order
            if raisers[c]
        ),
        key=lambda r: (-len(r.organisations), order.index(r.code)),
    )
    raised = [c for c in order if raisers[c]]
    cooccurrence = [
        (a, b, len(raisers[a] & raisers[b]), pair_items.get((a, b), 0))
        for a, b in combinations(raised, 2)
        if raisers[a] & raisers[b]
    ]
    cooccurrence.sort(key=lambda t: (-t[2], -t[3], order.index(t[0]), order.index(t[1])))
    patterns = Patterns(
        organisations,
        order,
        dict(matrix),
        reach,
        cooccurrence,
        _similarity(organisations, order, matrix),
        titles=names,
    )
    if links is not None and vectors is not None and len(vectors) == len(items):
        patterns.peer_enablers = _peer_enablers(
            items, vectors, links, names, peers, quotes, min_relevance
        )
    return patterns


def _similarity(
    organisations: list[str], codes: list[str], matrix: Mapping[tuple[str, str], int]
) -> list[tuple[str, str, float]]:
    """Cosine between organisations' code profiles (shares, so size does not dominate)."""
    if len(organisations) < 2 or not codes:
        return []
    profile = np.array([[matrix.get((o, c), 0) for c in codes] for o in organisations], dtype=float)
    unit = normalise_rows(profile / np.maximum(profile.sum(axis=1, keepdims=True), 1.0))
    cosine = unit @ unit.T
    pairs = [
        (organisations[a], organisations[b], round(float(cosine[a, b]), 4))
        for a, b in combinations(range(len(organisations)), 2)
    ]
    return sorted(pairs, key=lambda p: (-p[2], p[0], p[1]))


# Words that say only which side of change a code is on, not what it is about.
_KIND_WORDS = frozenset(
    {"barrier", "barriers", "enabler", "enablers", "driver", "drivers", "change", "to", "of"}
    | {"for", "a", "an", "the", "and", "in"}
)


def _topic_words(title: str) -> frozenset[str]:
    """A code title's words without the ones that only give its kind."""
    words = "".join(c if c.isalnum() else " " for c in title.lower()).split()
    return frozenset(w for w in words if w not in _KIND_WORDS)


def _is_way_past(
    barrier: str, code: str, names: Mapping[str, str], barrier_topic: frozenset[str]
) -> bool:
    """Whether ``code`` can show a way past ``barrier``: a different enabler, not a repeat."""
    if kind_of(code) != "enabler" or code == barrier:
        return False
    return _topic_words(names.get(code, code)) != barrier_topic


_NEGATORS = frozenset(
    {"no", "not", "never", "without", "lack", "lacks", "lacking", "nothing", "none", "nobody"}
    | {"cannot", "can't", "won't", "isn't", "aren't", "don't", "doesn't"}
)


def says_missing(text: str, title: str) -> bool:
    """Whether a quote says the enabler itself is missing ("Still no shared data with health").

    Coded as an enabler for its topic, such a quote tells of the barrier: it names
    the enabler's own words straight after a negation ("no", "without", "lack of").

    Args:
        text: The quote.
        title: The enabler's title ("Shared data and insight").

    Returns:
        True when a negation comes within three words before one of the title's words.
    """
    words = "".join(c if c.isalnum() or c == "'" else " " for c in text.lower()).split()
    stems = {word[:5] for word in _topic_words(title)}
    for position, word in enumerate(words):
        if word in _NEGATORS:
            following = words[position + 1 : position + 4]
            if any(w[:5] in stems for w in following if w not in _KIND_WORDS):
                return True
    return False


def _peer_enablers(
    items: Sequence[CodedItem],
    vectors: Floats,
    links: Mapping[str, Sequence[str]],
    names: Mapping[str, str],
    peers: int,
    quotes: int,
    min_relevance: float,
) -> list[PeerEnabler]:
    facing: dict[tuple[str, str], list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        for code in item.codes:
            if kind_of(code) == "barrier" and item.organisation:
                facing[(item.organisation, code)].append(index)
    # A quote that is itself coded as a barrier tells of a problem, not of a way past
    # one; a quote that asks for the enabler ("Make the budgets permanent") is a wish.
    answering = [
        index
        for index, item in enumerate(items)
        if item.organisation
        and any(kind_of(c) == "enabler" for c in item.codes)
        and not any(kind_of(c) == "barrier" for c in item.codes)
        and not asks_for(item.text, item.prompt)
    ]
    found: list[PeerEnabler] = []
    bar = max(min_relevance, _CLOSE_WITHOUT_PAIR)
    for (org, barrier), evidence in sorted(facing.items()):
        topic = _topic_words(names.get(barrier, barrier))
        if not topic:
            continue  # "Barrier to change" alone: no topic to find a way past on
        centre = normalise_rows(vectors[evidence].mean(axis=0, keepdims=True))[0]
        linked = set(links.get(barrier, ()))
        best: dict[str, list[tuple[float, int, str, bool]]] = defaultdict(list)
        for index in answering:
            item = items[index]
            if item.organisation == org:
                continue
            closeness = float(vectors[index] @ centre)
            for code in item.codes:
                if not _is_way_past(barrier, code, names, topic) or not item.sure_of(code):
                    continue
                is_link = code in linked
                # The codebook's pairs define the barrier's topic when it has any.
                if (linked and not is_link) or (not linked and closeness < bar):
                    continue
                if says_missing(item.text, names.get(code, code)):
                    continue
                score = closeness + (_LINK_BONUS if is_link else 0.0)
                best[str(item.organisation)].append((score, index, code, is_link))
        ranked = sorted(best.items(), key=lambda kv: (-max(s for s, *_ in kv[1]), kv[0]))
        for peer, evidence_rows in ranked[:peers]:
            evidence_rows.sort(key=lambda r: (-r[0], r[1]))
            score, top, code, is_link = evidence_rows[0]
            shown = tuple(
                dict.fromkeys((items[i].item_id, items[i].text) for _, i, _, _ in evidence_rows)
            )[:quotes]
            relevance = round(float(vectors[top] @ centre), 4)
            found.append(PeerEnabler(org, barrier, peer, code, is_link, relevance, shown))
    return found
