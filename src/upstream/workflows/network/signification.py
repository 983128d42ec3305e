"""Self-signified and machine codes side by side, and where contributors put the sliders.

The machine codes a collection's stories at the same level as the elements
contributors chose from, from the framework alone (zero-shot): it must not learn
from the contributors' own choices, or agreement with them would be circular.
For each element, Cohen's κ compares "the contributor chose it" with "the
machine gave it" over the stories both have coded. Slider positions are shown
in five bands, overall and by organisation or by an answer, with any group of
fewer than ten stories withheld.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from upstream import __version__
from upstream.coding.agreement.statistics import cohen_kappa
from upstream.frameworks.model import Codebook
from upstream.policy import FEWER_THAN, suppressed, withheld, withheld_in_sums
from upstream.records.stored import RunRecord
from upstream.reports.counts import NOT_SHOWN
from upstream.store.coding_repository import CodingStore, MachineCoding
from upstream.store.collection_repository import CollectionRecord, CollectionStore, StoryRecord
from upstream.store.repository import Workspace
from upstream.workflows.network.collections import codebook_of

__all__ = [
    "BANDS",
    "RUN_KIND",
    "Agreement",
    "GroupRow",
    "Results",
    "SliderSummary",
    "band_of",
    "code_collection",
    "latest_run",
    "machine_elements",
    "results",
    "stories_matching",
]

RUN_KIND = "collection coding"
BANDS = ("0–19", "20–39", "40–59", "60–79", "80–100")
Stage = Callable[[str], None]


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive times; every time the store writes is UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def band_of(value: int) -> int:
    """Which of the five bands (0 to 4) a slider position 0–100 falls in."""
    return min(4, max(0, value) // 20)


def _closure(book: Codebook, codes: Iterable[str]) -> set[str]:
    """The codes with every ancestor: choosing a child says the story is about its parent too."""
    found: set[str] = set()
    for code in codes:
        if code in book:
            found.add(code)
            found.update(a.id for a in book.ancestors(code))
    return found


def code_collection(
    workspace: Workspace,
    collection: CollectionRecord,
    *,
    embedder: str = "default",
    threshold: float | None = None,
    actor: str = "",
    on_stage: Stage | None = None,
) -> dict[str, Any]:
    """Code a collection's stories with the machine, at the level contributors chose from.

    Args:
        workspace: The collection's workspace.
        collection: The collection.
        embedder: Text model name (``hashing`` or ``tfidf`` are quick).
        threshold: Abstain below this confidence (the coder's default when None).
        actor: Who started it.
        on_stage: Called with a short description as each stage starts.

    Returns:
        A summary: the run id, stories and how many the machine coded.
    """
    from upstream.coding.coder import make_coder
    from upstream.embed import CachedEmbedder, get_embedder
    from upstream.store.embedding_store import StoreEmbeddingCache

    stage = on_stage or (lambda _: None)
    stage("Reading the stories")
    book = codebook_of(collection)
    stories = CollectionStore(workspace).stories(collection.id)
    texts = [s.text for s in stories]
    cached = CachedEmbedder(get_embedder(embedder), StoreEmbeddingCache(workspace))
    coder = make_coder(book, embedder=cached, threshold=threshold, level=collection.spec.level)
    stage("Preparing the framework")
    coder.fit(texts, None, ids=[str(s.item_id) for s in stories])
    stage(f"Coding {len(stories):,} stories")
    predicted = coder.predict(texts) if texts else []
    stage("Saving")
    coding = CodingStore(workspace)
    codebook_id = coding.save_codebook(book)
    params = {k: v for k, v in coder.get_params().items() if k not in {"codebook", "embedder"}}
    run_id = coding.start_run(
        RUN_KIND,
        parameters={**params, "codebook": book.id, "collection_id": collection.id},
        versions={"upstream": __version__, "embedder": coder.embedder_.model_id},
        seed=coder.seed,
        actor=actor,
    )
    rows: list[MachineCoding] = []
    for story, result in zip(stories, predicted, strict=True):
        if result.uncoded:
            continue
        note = {"collection": collection.id, "path": list(result.path)}
        rows.extend(
            MachineCoding(story.item_id, code, confidence, False, note)
            for code, confidence in result.codes
        )
    coding.add_machine_codings(run_id, codebook_id, rows, coder=f"upstream {__version__}")
    coded = sum(1 for r in predicted if not r.uncoded)
    summary = {"stories": len(stories), "coded": coded, "collection_id": collection.id}
    coding.finish_run(run_id, summary=summary)
    return {**summary, "run_id": run_id}


def latest_run(workspace: Workspace, collection_id: int) -> RunRecord | None:
    """The newest finished machine run on a collection, if any."""
    for run in CodingStore(workspace).runs(kind=RUN_KIND, limit=500):
        if run.status == "finished" and run.parameters.get("collection_id") == collection_id:
            return run
    return None


def machine_elements(
    workspace: Workspace, collection: CollectionRecord, run: RunRecord | None
) -> dict[int, set[str]]:
    """The elements the machine gave each story's item in ``run`` (with their ancestors)."""
    if run is None:
        return {}
    book = codebook_of(collection)
    found: dict[int, set[str]] = defaultdict(set)
    for coding in CodingStore(workspace).codings(run_id=run.id, origin="machine"):
        if coding.status != "tentative":
            found[coding.item_id].update(_closure(book, [coding.code]))
    return found


@dataclass(frozen=True, slots=True)
class Agreement:
    """How contributors and the machine compare on one element."""

    element: str
    title: str
    depth: int
    contributors: int
    machine: int
    both: int
    neither: int
    kappa: float | None

    @property
    def _hidden(self) -> set[str]:
        """Its figures that would name a small group, directly or by subtraction.

        The stories split four ways (both, contributors only, the machine only,
        neither); the page shows the first three and the totals, and the story
        count is known, so a split of 1 to 9 must not follow from the others.
        """
        only_contributors = self.contributors - self.both
        only_machine = self.machine - self.both
        stories = self.both + only_contributors + only_machine + self.neither
        values = {
            "contributors": self.contributors,
            "machine": self.machine,
            "both": self.both,
            "contributors-only": only_contributors,
            "machine-only": only_machine,
            "neither": self.neither,
            "stories": stories,
        }
        sums = [
            ("contributors", ["both", "contributors-only"]),
            ("machine", ["both", "machine-only"]),
            ("stories", ["both", "contributors-only", "machine-only", "neither"]),
        ]
        return withheld_in_sums(values, sums, unshown={"neither"}, fixed={"stories"})

    def shown(self, figure: str) -> str:
        """One figure as it may be shown, "fewer than 10" or "not shown" when withheld.

        Args:
            figure: ``contributors``, ``machine``, ``both``, ``contributors-only``
                or ``machine-only``.
        """
        n = {
            "contributors": self.contributors,
            "machine": self.machine,
            "both": self.both,
            "contributors-only": self.contributors - self.both,
            "machine-only": self.machine - self.both,
        }[figure]
        if figure in self._hidden:
            return FEWER_THAN if suppressed(n) else NOT_SHOWN
        return f"{n:,}"

    @property
    def kappa_shown(self) -> bool:
        """Whether κ may be shown: with the totals, it would give a withheld split away."""
        return self.kappa is not None and self._hidden <= {"neither"}

    @property
    def kappa_text(self) -> str:
        """κ to two places, or why there is none."""
        if self.kappa is not None and not self.kappa_shown:
            return NOT_SHOWN
        return "not defined" if self.kappa is None else f"{self.kappa:.2f}"

    @property
    def agreement_words(self) -> str:
        """κ in the usual plain words (Landis and Koch)."""
        k = self.kappa
        if k is not None and not self.kappa_shown:
            return "not shown: it would let a group of fewer than 10 stories be worked out"
        if k is None:
            return "cannot tell (one side never or always chose it)"
        for limit, words in (
            (0.0, "worse than chance"),
            (0.2, "slight"),
            (0.4, "fair"),
            (0.6, "moderate"),
            (0.8, "substantial"),
        ):
            if k < limit:
                return words
        return "almost perfect"


@dataclass(frozen=True, slots=True)
class GroupRow:
    """One group's slider positions, or a note that it is not shown.

    ``note`` says why a hidden group is hidden: "fewer than 10" when it is small,
    "not shown" when it is hidden only so that a smaller one cannot be worked out.
    """

    group: str
    stories: int | None
    bands: tuple[int, ...] | None
    mean: float | None
    note: str = FEWER_THAN

    @property
    def suppressed(self) -> bool:
        """Whether the group is withheld for being too small."""
        return self.stories is None


@dataclass(frozen=True, slots=True)
class SliderSummary:
    """Where contributors put one slider."""

    key: str
    label: str
    left: str
    right: str
    answered: int
    bands: tuple[int, ...]
    mean: float | None
    by_organisation: list[GroupRow]
    by_answer: dict[str, list[GroupRow]]


@dataclass(frozen=True, slots=True)
class Results:
    """Everything the results page shows about a collection."""

    stories: int
    machine_coded: int
    compared: int
    agreements: list[Agreement]
    sliders: list[SliderSummary]
    waiting: int = 0
    suppressed_note: str = FEWER_THAN


def _group_rows(values: dict[str, list[int]]) -> list[GroupRow]:
    """Each group's bands and average; the overall figures are shown beside them.

    Small groups are hidden, and so is the next smallest when only one is, since
    the overall figures less the others would give it away.
    """
    hidden = withheld({group: len(positions) for group, positions in values.items()})
    rows = []
    for group in sorted(values):
        positions = values[group]
        if group in hidden:
            note = FEWER_THAN if suppressed(len(positions)) else "not shown"
            rows.append(GroupRow(group, None, None, None, note))
            continue
        counts = Counter(band_of(v) for v in positions)
        rows.append(
            GroupRow(
                group,
                len(positions),
                tuple(counts.get(n, 0) for n in range(len(BANDS))),
                sum(positions) / len(positions),
            )
        )
    return rows


def results(
    collection: CollectionRecord,
    stories: Sequence[StoryRecord],
    machine: dict[int, set[str]],
    *,
    machine_ran: bool,
    cutoff: datetime | None = None,
) -> Results:
    """Agreement per element and slider distributions over the stories one may see.

    Args:
        collection: The collection.
        stories: Its stories the reader may see (already filtered).
        machine: Elements the machine gave each item (see :func:`machine_elements`).
        machine_ran: Whether a machine run exists (stories it left uncoded count as "none").
        cutoff: When that run started: later stories were never shown to the machine,
            so they are left out of the comparison rather than counted as "none".
    """
    book = codebook_of(collection)
    spec = collection.spec
    own = {s.item_id: _closure(book, s.elements) for s in stories}
    compared = [
        s for s in stories if machine_ran and (cutoff is None or _utc(s.created_at) <= _utc(cutoff))
    ]
    agreements = []
    for element in spec.elements:
        code = book.code(element)
        mine = [element in own[s.item_id] for s in compared]
        theirs = [element in machine.get(s.item_id, set()) for s in compared]
        kappa = cohen_kappa(mine, theirs) if compared else float("nan")
        agreements.append(
            Agreement(
                element=element,
                title=code.title,
                depth=len(book.ancestors(element)) + 1,
                contributors=sum(1 for s in stories if element in own[s.item_id]),
                machine=sum(theirs),
                both=sum(1 for a, b in zip(mine, theirs, strict=True) if a and b),
                neither=sum(1 for a, b in zip(mine, theirs, strict=True) if not a and not b),
                kappa=None if kappa != kappa else kappa,  # NaN: undefined
            )
        )
    sliders = []
    for slider in spec.sliders:
        placed = [s for s in stories if slider.key in s.sliders]
        positions = [s.sliders[slider.key] for s in placed]
        if suppressed(len(positions)):
            # So few stories would show where each person put the slider.
            sliders.append(
                SliderSummary(
                    key=slider.key,
                    label=slider.label,
                    left=slider.left,
                    right=slider.right,
                    answered=len(positions),
                    bands=(),
                    mean=None,
                    by_organisation=[],
                    by_answer={},
                )
            )
            continue
        counts = Counter(band_of(v) for v in positions)
        by_org: dict[str, list[int]] = defaultdict(list)
        by_answer: dict[str, dict[str, list[int]]] = {
            q.label: defaultdict(list) for q in spec.questions
        }
        for story in placed:
            value = story.sliders[slider.key]
            by_org[story.organisation or "(not recorded)"].append(value)
            for question in spec.questions:
                answer = story.answers.get(question.label, "(not answered)")
                by_answer[question.label][answer].append(value)
        sliders.append(
            SliderSummary(
                key=slider.key,
                label=slider.label,
                left=slider.left,
                right=slider.right,
                answered=len(positions),
                bands=tuple(counts.get(n, 0) for n in range(len(BANDS))),
                mean=sum(positions) / len(positions) if positions else None,
                by_organisation=_group_rows(by_org),
                by_answer={label: _group_rows(groups) for label, groups in by_answer.items()},
            )
        )
    return Results(
        stories=len(stories),
        waiting=len(stories) - len(compared) if machine_ran else 0,
        machine_coded=sum(1 for s in stories if machine.get(s.item_id)),
        compared=len(compared),
        agreements=agreements,
        sliders=sliders,
    )


def stories_matching(
    collection: CollectionRecord,
    stories: Sequence[StoryRecord],
    machine: dict[int, set[str]],
    *,
    element: str = "",
    who: str = "",
    slider: str = "",
    band: int | None = None,
) -> list[StoryRecord]:
    """The stories behind one point of the results: an element and/or a slider band.

    ``who`` says whose choice of the element counts: ``contributor`` (the
    default), ``machine``, ``both``, ``contributor-only`` or ``machine-only``.
    """
    book = codebook_of(collection)
    found = []
    for story in stories:
        if element:
            mine = element in _closure(book, story.elements)
            theirs = element in machine.get(story.item_id, set())
            wanted = {
                "contributor": mine,
                "machine": theirs,
                "both": mine and theirs,
                "contributor-only": mine and not theirs,
                "machine-only": theirs and not mine,
            }.get(who or "contributor", mine)
            if not wanted:
                continue
        if (
            slider
            and band is not None
            and (slider not in story.sliders or band_of(story.sliders[slider]) != band)
        ):
            continue
        found.append(story)
    return found
