"""Who raises what across the network, and which peers can help whom.

:func:`network_evidence` reads every stored coding (any codebook; a person's
decision replaces the machine's suggestion for the same item and codebook;
rejected and tentative suggestions are left out) and the newest theme run,
and hands them to :func:`upstream.signals.patterns.build_patterns`, which
computes the organisation x code matrix, reach and "peers with an enabler for
a barrier". Counts are over all the workspace's evidence; every quote handed
out is filtered to the items the viewer may see (``visible``), so a private
item can add to a count but its words never leave this module.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

from upstream.caching import Lru
from upstream.embed import TfidfEmbedder
from upstream.frameworks import Code, builtin_names, load_codebook
from upstream.policy import Quote, excerpt, shown_count
from upstream.policy.quotes import quote_rank
from upstream.reports.checks import right_about, run_precision
from upstream.signals.dbe import kind_of, topic_pairs
from upstream.signals.patterns import CodedItem, Patterns, build_patterns, says_missing
from upstream.signals.sentiment import sentiment_scores
from upstream.store.accounts import Scope
from upstream.store.coding_repository import CodingStore
from upstream.store.effective_codes import code_parents, effective_codes, umbrella_codes
from upstream.store.repository import Workspace
from upstream.store.theme_repository import ThemeStore
from upstream.store.visibility import ScopedEvidence
from upstream.store.workgroup_repository import stored_codebooks
from upstream.workflows.coding_prompts import item_prompts

__all__ = [
    "THEME_PREFIX",
    "CodeInfo",
    "CodeOverview",
    "NetworkEvidence",
    "OrganisationCount",
    "PeerMatch",
    "Quote",
    "code_overview",
    "network_evidence",
    "peers_facing_same",
    "peers_with_enablers",
]

THEME_PREFIX = "theme:"
CONFIDENT_ADVICE = 0.35
"""Confidence a machine code needs before a quote is offered as advice (a way past a
barrier): the coder's standard threshold, where its precision was measured on test
documents, rather than the lower one the drivers, barriers and enablers codebook
counts its codes at (``threshold`` in ``dbe.yaml``)."""
_CACHE_SIZE = 8
_OPPOSITE = {"barrier": "enabler", "enabler": "barrier"}
# How far from neutral an item's sentiment must be before its tone counts against a code.
_TONE = 0.2
_cache: Lru[tuple[object, ...], NetworkEvidence] = Lru(_CACHE_SIZE)


@dataclass(frozen=True)
class CodeInfo:
    """A code (or a theme) evidence can be tagged with.

    Attributes:
        key: The code id, or ``theme:<label>`` for a theme.
        codebook: The codebook key (``themes`` for a theme).
        code: The code id within its codebook (the label for a theme).
        title: What to show.
        kind: ``barrier``, ``enabler`` or ``driver`` for dbe codes, ``theme``, else None.
        umbrella: Whether codes sit under it ("Barrier to change"): items get it when
            the coder can place them only broadly, so it is counted but never a
            headline barrier, nor a barrier two organisations are said to share.
    """

    key: str
    codebook: str
    code: str
    title: str
    kind: str | None
    umbrella: bool = False


@dataclass
class NetworkEvidence:
    """Every coded item of a workspace, its codes, and the patterns across organisations.

    Attributes:
        items: Coded items by id (texts of private items too: never show them directly).
        codes: What each code key means.
        patterns: Matrix, reach, similarity and peer enablers.
        by_code: Item ids per code key.
        checked: Ids of the items whose codes a person chose or confirmed.
        given: For each item and each code it carries (and every code above
            one), who gave it (``human`` or ``machine``) and the machine's confidence.
        checked_in: The same, per codebook: a person's decision in one framework
            checks nothing in another.
        precision: Per codebook, how often the machine's suggestions in force are
            expected to be right (None when not measured).
        under: Item ids per code key, counting the items coded to it or to any
            code below it, as the dashboards and reports count an element.
    """

    items: dict[int, CodedItem]
    codes: dict[str, CodeInfo]
    patterns: Patterns
    by_code: dict[str, list[int]] = field(default_factory=dict)
    checked: set[int] = field(default_factory=set)
    precision: dict[str, float | None] = field(default_factory=dict)
    under: dict[str, list[int]] = field(default_factory=dict)
    checked_in: dict[str, set[int]] = field(default_factory=dict)
    given: dict[int, dict[str, tuple[str, float]]] = field(default_factory=dict)

    def given_by(self, item_id: int, key: str) -> tuple[str, float]:
        """Who gave an item ``key`` (or a code below it, or one of its kind) and how sure.

        Returns:
            ``("human", 1.0)``, ``("machine", confidence)``, or ``("", 0.0)`` when
            not known (a theme, say).
        """
        codes = self.given.get(item_id, {})
        if key in codes:
            return codes[key]
        kind = kind_of(key)
        alike = [how for code, how in codes.items() if kind is not None and kind_of(code) == kind]
        return max(alike, key=_stronger, default=("", 0.0))

    def certainty(self, organisation: str) -> tuple[int, int, float | None]:
        """How sure one organisation's codes are.

        Returns:
            Its coded items, how many of them a person checked, and the lowest
            expected precision of the machine's suggestions among its codebooks.
        """
        own = [i for i, item in self.items.items() if item.organisation == organisation]
        coded = [i for i in own if any(not c.startswith(THEME_PREFIX) for c in self.items[i].codes)]
        books = {
            self.info(c).codebook
            for i in coded
            for c in self.items[i].codes
            if not c.startswith(THEME_PREFIX)
        }
        known = [self.precision.get(b) for b in books]
        lowest = None if not known or None in known else min(p for p in known if p is not None)
        return len(coded), sum(1 for i in coded if i in self.checked), lowest

    def how_sure(self, organisation: str) -> str:
        """One sentence on how far an organisation's codes can be trusted.

        Coverage first ("31 of its items carry a code from one framework or more"), then how many
        a person checked and how often the machine's suggestions are right; counts of
        1 to 9 read "fewer than 10".
        """
        coded, checked, precision = self.certainty(organisation)
        if not coded:
            return ""
        count = shown_count(coded)
        # Across every framework: a dashboard's "Coded" counts one framework's codes.
        start = (
            f"{count[:1].upper()}{count[1:]} of its items carry a code from one framework or more"
        )
        if checked == coded:
            return f"{start}, all coded or checked by people."
        return (
            f"{start} – {shown_count(checked)} coded or checked by people; the rest are the "
            f"machine's suggestions, {right_about(precision)}."
        )

    def info(self, key: str) -> CodeInfo:
        """What ``key`` means (a plain record when it is not known)."""
        return self.codes.get(key) or CodeInfo(key, "", key, key, kind_of(key))

    def quotes(
        self,
        key: str,
        visible: Collection[int],
        *,
        organisation: str | None = None,
        limit: int = 3,
        spread: bool = True,
    ) -> list[Quote]:
        """Quotes the viewer may see of items coded ``key`` (or a code below it).

        Args:
            key: The code key.
            visible: Ids of the items the viewer may see.
            organisation: Only this organisation's items.
            limit: At most this many.
            spread: Take one per organisation first, so several voices are heard.
        """
        chosen: list[Quote] = []
        seen_orgs: set[str] = set()
        candidates = [
            self.items[i]
            for i in self.under.get(key) or self.by_code.get(key, [])
            if i in visible and (organisation is None or self.items[i].organisation == organisation)
        ]
        # Replies fit to quote first (none that insults someone or swears while a
        # clean one is left), then items that show the code plainly: ones a person
        # checked or the machine was sure of, and, for a barrier or an enabler, ones
        # not also coded the other way (a quote about a budget gap is a poor example
        # of pooled budgets), then ones whose tone does not run against the code
        # ("Budgets held in silos..." is a poor example of an enabler, however sure
        # the coder was of its topic).
        kind = kind_of(key) or ""
        opposite = _OPPOSITE.get(kind)
        title = self.codes[key].title if key in self.codes else key
        candidates.sort(
            key=lambda item: (
                quote_rank(item.text),
                not item.sure_of(key),
                opposite is not None and any(kind_of(c) == opposite for c in item.codes),
                _against(kind, item.sentiment)
                or (kind == "enabler" and says_missing(item.text, title)),
            )
        )
        ordered = candidates
        if spread:
            first: list[CodedItem] = []
            rest: list[CodedItem] = []
            for item in candidates:
                (rest if item.organisation in seen_orgs else first).append(item)
                seen_orgs.add(str(item.organisation))
            ordered = first + rest
        for item in ordered[:limit]:
            origin, confidence = self.given_by(item.item_id, key)
            chosen.append(
                Quote(
                    excerpt(item.text),
                    str(item.organisation),
                    confidence=confidence,
                    origin=origin,
                    item_id=item.item_id,
                )
            )
        return chosen

    def codes_of(self, organisation: str) -> dict[str, int]:
        """Items per code for one organisation."""
        return {
            code: n for (org, code), n in self.patterns.matrix.items() if org == organisation and n
        }


def _against(kind: str, sentiment: float) -> bool:
    """Whether an item's tone runs against a barrier or an enabler (clearly, not slightly)."""
    if kind == "enabler":
        return sentiment < -_TONE
    if kind == "barrier":
        return sentiment > _TONE
    return False


@dataclass(frozen=True)
class OrganisationCount:
    """How often one organisation raises a code, with quotes the viewer may see."""

    organisation: str
    items: int
    quotes: tuple[Quote, ...]


@dataclass(frozen=True)
class PeerMatch:
    """A peer organisation and why it is suggested.

    Attributes:
        peer: The peer's name.
        codes: The code keys that justify the match (shared barriers, or the
            enablers that answer a barrier).
        barrier: For an enabler match, the barrier it answers.
        items: The peer's items behind the match (all, visible or not).
        similarity: How alike the two organisations' code profiles are (0-1).
        linked: For an enabler match, whether the codebook links it to the barrier.
        quotes: The peer's quotes the viewer may see.
    """

    peer: str
    codes: tuple[str, ...]
    items: int
    quotes: tuple[Quote, ...]
    barrier: str = ""
    similarity: float = 0.0
    linked: bool = False


@dataclass(frozen=True)
class CodeOverview:
    """One code across the network: who raises it, and who shows an answer to it."""

    info: CodeInfo
    organisations: tuple[OrganisationCount, ...]
    enablers: tuple[PeerMatch, ...]
    items: int


def _fingerprint(workspace: Workspace) -> tuple[object, ...]:
    runs = CodingStore(workspace).runs(limit=1)
    last = workspace.audit_log(limit=1)
    marker = (last[0].at, last[0].action, last[0].target_id) if last else None
    items = workspace.info().items
    return (
        str(workspace.store.engine.url),
        workspace.id,
        items,
        runs[0].id if runs else None,
        marker,
    )


def network_evidence(workspace: Workspace) -> NetworkEvidence:
    """The workspace's coded evidence and its patterns (cached until anything changes).

    Args:
        workspace: The workspace.

    Returns:
        The evidence; quotes must be filtered with the viewer's visible item ids.
    """
    return _cache.get_or_build(_fingerprint(workspace), lambda: _gather(workspace))


@dataclass
class _Stored:
    """The codes in force across every codebook, and how sure they are."""

    by_item: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    infos: dict[str, CodeInfo] = field(default_factory=dict)
    checked: set[int] = field(default_factory=set)
    checked_in: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    given: dict[int, dict[str, tuple[str, float]]] = field(
        default_factory=lambda: defaultdict(dict)
    )
    sure: dict[int, set[str]] = field(default_factory=lambda: defaultdict(set))
    precision: dict[str, float | None] = field(default_factory=dict)
    parents: dict[str, str] = field(default_factory=dict)


def _stored_codes(workspace: Workspace) -> _Stored:
    stored = _Stored()
    for book in stored_codebooks(workspace):
        # Scoped to everything: only the codings that count leave the database.
        found = effective_codes(workspace, book, scope=Scope(see_all=True))
        broad = umbrella_codes(workspace, book)
        stored.parents.update(code_parents(workspace, book))
        stored.precision[book] = (
            run_precision(found.run.parameters, found.decisions, found.machine_top_confidence)[0]
            if found.run
            else None
        )
        for item_id, applied in found.assigned.items():
            codes = found.codes_of(item_id)
            stored.by_item[item_id].extend(codes)
            for a in applied:
                if a.origin == "human":
                    stored.checked.add(item_id)
                    stored.checked_in[book].add(item_id)
                if a.origin == "human" or a.confidence >= CONFIDENT_ADVICE:
                    stored.sure[item_id].add(a.code)
                how = ("human", 1.0) if a.origin == "human" else ("machine", a.confidence)
                mine = stored.given[item_id]
                up: str | None = a.code
                while up is not None:
                    if up not in mine or _stronger(how) > _stronger(mine[up]):
                        mine[up] = how
                    up = stored.parents.get(up)
            for code in codes:
                title = found.titles.get(code, code)
                stored.infos.setdefault(
                    code, CodeInfo(code, book, code, title, kind_of(code), code in broad)
                )
    return stored


def _gather(workspace: Workspace) -> NetworkEvidence:
    stored = _stored_codes(workspace)
    by_item, infos = stored.by_item, stored.infos
    for theme in ThemeStore(workspace).themes():
        if theme.parent_number is not None:
            continue
        key = THEME_PREFIX + theme.label
        infos.setdefault(key, CodeInfo(key, "themes", theme.label, theme.label, "theme"))
        for item_id in theme.item_ids:
            by_item[item_id].append(key)
    everything = ScopedEvidence(workspace, Scope(see_all=True))
    records = [r for r in everything.items_by_id(sorted(by_item)) if r.organisation]
    texts = [r.text for r in records]
    scores = sentiment_scores(texts) if texts else []
    prompts = item_prompts(records, workspace.sources())
    coded = [
        CodedItem(
            r.id,
            r.organisation,
            r.text,
            tuple(dict.fromkeys(by_item[r.id])),
            float(s),
            confident=tuple(sorted(stored.sure.get(r.id, ()))),
            prompt=prompt,
        )
        for r, s, prompt in zip(records, scores, prompts, strict=True)
    ]
    book = load_codebook("dbe") if "dbe" in builtin_names() else None
    order = [c.id for c in book.codes] if book else []
    vectors = None
    if len(texts) >= 2:
        # The framework's own words are in the vocabulary, so closeness in meaning
        # weighs its terms. Whether a quote points past a barrier or restates it is
        # the coder's call (coding/direction, ADR 0014), not a second guess here.
        wording = [_wording(c) for c in book.codes] if book else []
        # Learned from the items a framework coded only: finding themes gives more
        # items a theme, and the ways past must not move because someone did.
        framed = [c.text for c in coded if any(not k.startswith(THEME_PREFIX) for k in c.codes)]
        space = TfidfEmbedder(dim=64).fit([*(framed or texts), *wording])
        vectors = space.embed(texts)
    patterns = build_patterns(
        coded,
        codes=order,
        titles={k: v.title for k, v in infos.items()},
        links=topic_pairs(),
        vectors=vectors,
        peers=3,
        quotes=20,
    )
    grouped: dict[str, list[int]] = defaultdict(list)
    under: dict[str, set[int]] = defaultdict(set)
    for item in coded:
        for code in item.codes:
            grouped[code].append(item.item_id)
            up: str | None = code
            while up is not None and item.item_id not in under[up]:
                under[up].add(item.item_id)
                up = stored.parents.get(up)
    return NetworkEvidence(
        {c.item_id: c for c in coded},
        infos,
        patterns,
        dict(grouped),
        checked=stored.checked,
        precision=stored.precision,
        under={code: sorted(ids) for code, ids in under.items()},
        checked_in=dict(stored.checked_in),
        given=dict(stored.given),
    )


def _stronger(how: tuple[str, float]) -> tuple[bool, float]:
    """Order codings: a person's first, then the machine's by confidence."""
    return how[0] == "human", how[1]


def _wording(code: Code) -> str:
    return " ".join([code.title, code.definition, code.include, *code.examples])


def _visible_quotes(
    quotes: Sequence[tuple[int, str]],
    evidence: NetworkEvidence,
    visible: Collection[int],
    limit: int,
    code: str,
) -> tuple[Quote, ...]:
    shown = []
    for i, text in quotes:
        if i in visible and i in evidence.items:
            origin, confidence = evidence.given_by(i, code)
            shown.append(
                Quote(
                    excerpt(text),
                    str(evidence.items[i].organisation),
                    confidence=confidence,
                    origin=origin,
                    item_id=i,
                )
            )
    return tuple(shown[:limit])


def peers_facing_same(
    evidence: NetworkEvidence,
    organisation: str,
    visible: Collection[int],
    *,
    limit: int = 5,
    quotes: int = 2,
) -> list[PeerMatch]:
    """Peers whose evidence raises the same barriers (or, with no barriers, the same codes).

    Ranked by how many codes they share, then by how alike their profiles are.
    """
    own = [c for c in evidence.codes_of(organisation) if not evidence.info(c).umbrella]
    barriers = {c for c in own if kind_of(c) == "barrier"}
    wanted = barriers or set(own)
    alike = dict(
        evidence.patterns.most_alike(organisation, top=len(evidence.patterns.organisations))
    )
    matches: list[PeerMatch] = []
    for peer in evidence.patterns.organisations:
        if peer == organisation:
            continue
        theirs = evidence.codes_of(peer)
        shared = [c for c in evidence.patterns.codes if c in wanted and c in theirs]
        if not shared:
            continue
        shown: list[Quote] = []
        for code in shared:
            shown += evidence.quotes(code, visible, organisation=peer, limit=quotes)
        unique = list({q.item_id: q for q in shown}.values())[:quotes]
        matches.append(
            PeerMatch(
                peer,
                tuple(shared),
                sum(theirs[c] for c in shared),
                tuple(unique),
                similarity=alike.get(peer, 0.0),
            )
        )
    matches.sort(key=lambda m: (-len(m.codes), -m.similarity, m.peer))
    return matches[:limit]


def peers_with_enablers(
    evidence: NetworkEvidence,
    organisation: str,
    visible: Collection[int],
    *,
    quotes: int = 2,
) -> list[PeerMatch]:
    """Peers whose evidence shows an enabler for one of the organisation's barriers."""
    found: list[PeerMatch] = []
    for match in evidence.patterns.peer_enablers:
        if match.organisation != organisation:
            continue
        found.append(
            PeerMatch(
                match.peer,
                (match.enabler,),
                len(match.quotes),
                _visible_quotes(match.quotes, evidence, visible, quotes, match.enabler),
                barrier=match.barrier,
                similarity=match.relevance,
                linked=match.linked,
            )
        )
    return found


def code_overview(
    evidence: NetworkEvidence, key: str, visible: Collection[int], *, quotes: int = 2
) -> CodeOverview:
    """Who raises ``key`` (with counts and quotes) and which peers show an enabler for it."""
    # Counted as the dashboards count it: the items coded to it or to any code below it.
    counts: dict[str, int] = defaultdict(int)
    for item_id in evidence.under.get(key, evidence.by_code.get(key, [])):
        organisation = evidence.items[item_id].organisation
        if organisation:
            counts[organisation] += 1
    organisations = tuple(
        OrganisationCount(
            org, n, tuple(evidence.quotes(key, visible, organisation=org, limit=quotes))
        )
        for org, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    by_peer: dict[str, PeerMatch] = {}
    for match in evidence.patterns.peer_enablers:
        if match.barrier != key or match.peer in by_peer:
            continue
        by_peer[match.peer] = PeerMatch(
            match.peer,
            (match.enabler,),
            len(match.quotes),
            _visible_quotes(match.quotes, evidence, visible, quotes, match.enabler),
            barrier=key,
            similarity=match.relevance,
            linked=match.linked,
        )
    enablers = sorted(by_peer.values(), key=lambda m: (-m.similarity, m.peer))
    return CodeOverview(evidence.info(key), organisations, tuple(enablers), sum(counts.values()))
