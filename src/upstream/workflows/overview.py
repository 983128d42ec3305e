"""A workspace at a glance: what it holds, what stands out, and what needs a person.

Every figure is worked out over the items one person may see (their
:class:`~upstream.store.visibility.ScopedEvidence`), and every count of a group
goes through the small-group rule (:func:`upstream.policy.shown_count`), so the
home page tells nobody more than the evidence pages would. Barriers and
enablers come from the codes in force, through the same network evidence the
code pages use (:func:`upstream.workflows.network.peers.network_evidence`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from upstream.policy import FEWER_THAN, Quote, shown_count
from upstream.records.stored import RunRecord
from upstream.records.themes import OTHER_LABEL
from upstream.reports.checks import right_about
from upstream.store.accounts import EvidenceQuery
from upstream.store.coding_repository import CodingStore
from upstream.store.collection_repository import CollectionStore
from upstream.store.effective_codes import latest_coding_run
from upstream.store.repository import Workspace
from upstream.store.run_visibility import run_as_seen
from upstream.store.theme_repository import THEME_RUN, ThemeStore
from upstream.store.theme_visibility import theme_as_seen
from upstream.store.visibility import ScopedEvidence
from upstream.workflows.network.peers import NetworkEvidence, network_evidence

__all__ = [
    "CodeHighlight",
    "Holdings",
    "ThemeHighlight",
    "Waiting",
    "awaiting_review",
    "holdings",
    "top_codes",
    "top_themes",
    "waiting",
]

REVIEW_LOOK_AHEAD = 1000  # count undecided suggestions up to here ("1,000 or more")


@dataclass(frozen=True)
class Holdings:
    """What the workspace holds, as one person may see it.

    Attributes:
        items: Visible items.
        organisations: Organisations with at least one visible item.
        sources: Sources with at least one visible item.
        first: Date of the earliest dated visible item.
        last: Date of the latest dated visible item.
    """

    items: int
    organisations: int
    sources: int
    first: date | None
    last: date | None


@dataclass(frozen=True)
class CodeHighlight:
    """A barrier or enabler the evidence raises most often.

    Attributes:
        codebook: The codebook the code belongs to.
        code: The code id.
        title: What to call it.
        items: The visible items coded with it, as the small-group rule allows it shown.
        quote: One quote the person may see, or None.
        organisations: Organisations among those items.
        of: Organisations with any coded item the person may see.
        checked: Of the items, those a person checked, as the small-group rule allows.
        sure: How often the machine's suggestions among them are right, in words.
        run_id: The coding run whose suggestions are counted, where a person can
            check the ones nobody has checked yet (None when no run counts).
        to_check: Whether any of the items is a machine suggestion nobody checked.
    """

    codebook: str
    code: str
    title: str
    items: str
    quote: Quote | None
    organisations: int = 0
    of: int = 0
    checked: str = "0"
    sure: str = ""
    run_id: int | None = None
    to_check: bool = False

    @property
    def statement(self) -> str:
        """Reach first, then who coded it and how sure the machine is."""
        reach = (
            f"Raised by {self.organisations} of {self.of} organisation"
            f"{'' if self.of == 1 else 's'} in {self.items} item"
            f"{'' if self.items == '1' else 's'} you can see"
        )
        if self.checked == self.items and self.checked != FEWER_THAN:
            return f"{reach}, all coded or checked by people."
        return (
            f"{reach} – {self.checked} coded or checked by people; the rest are the machine's "
            f"suggestions, {self.sure}."
        )


@dataclass(frozen=True)
class ThemeHighlight:
    """One of the largest themes of the newest theme run.

    Attributes:
        theme_id: The stored theme's id.
        name: Its label as the person may see it.
        items: Its visible members, as the small-group rule allows it shown.
    """

    theme_id: int
    name: str
    items: str


@dataclass(frozen=True)
class Waiting:
    """Work that needs a person.

    Attributes:
        to_review: Undecided machine suggestions the person may see (newest coding run).
        review_run: The run those suggestions belong to, or None.
        more_to_review: True when there are at least :data:`REVIEW_LOOK_AHEAD`.
        collections: Story collections in the workspace.
        stories: Stories sent to them, as the small-group rule allows it shown.
    """

    to_review: int
    review_run: int | None
    more_to_review: bool
    collections: int = 0
    stories: str = ""


def holdings(evidence: ScopedEvidence) -> Holdings:
    """Items, organisations, sources and dates of what ``evidence`` may see."""
    first, last = evidence.date_range()
    return Holdings(
        items=evidence.count(EvidenceQuery()),
        organisations=sum(1 for o in evidence.organisations() if o.items),
        # A roundtable keeps each participant's responses as a source of its own but is
        # one source to a reader (and in the reports): count sources by the name shown.
        sources=len({label for _, label in evidence.sources()}),
        first=first,
        last=last,
    )


def top_codes(
    evidence: ScopedEvidence,
    kind: str,
    *,
    limit: int = 5,
    network: NetworkEvidence | None = None,
) -> list[CodeHighlight]:
    """The codes of ``kind`` (``barrier`` or ``enabler``) on most visible items.

    Only codes that name one barrier or enabler: "Barrier to change" itself,
    given when the coder could not tell which barrier, is not a headline.

    Args:
        evidence: What the person may see.
        kind: The kind of code.
        limit: At most this many, most organisations first, then most items.
        network: The workspace's coded evidence, when already gathered.
    """
    found = network if network is not None else network_evidence(evidence.workspace)
    visible = evidence.visible_ids(found.items)
    of = len({found.items[i].organisation for i in visible if i in found.items})
    counted = []
    for key, info in found.codes.items():
        if info.kind != kind or info.umbrella:
            continue
        seen_ids = [i for i in found.by_code.get(key, []) if i in visible]
        if seen_ids:
            reach = len({found.items[i].organisation for i in seen_ids})
            counted.append((reach, len(seen_ids), info))
    # Most organisations first, as the dashboards rank them, then most items.
    counted.sort(key=lambda row: (-row[0], -row[1], row[2].title))
    highlights = []
    runs: dict[str, RunRecord | None] = {}
    for _, n, info in counted[:limit]:
        if info.codebook not in runs:
            runs[info.codebook] = latest_coding_run(evidence.workspace, info.codebook)
        run = runs[info.codebook]
        quotes = found.quotes(info.key, visible, limit=1)
        seen = [i for i in found.by_code.get(info.key, []) if i in visible]
        # Checked as the dashboards count it: a person decided on the item in this framework.
        in_book = found.checked_in.get(info.codebook, set())
        highlights.append(
            CodeHighlight(
                info.codebook,
                info.code,
                info.title,
                shown_count(n),
                quotes[0] if quotes else None,
                organisations=len({found.items[i].organisation for i in seen}),
                of=of,
                checked=shown_count(sum(1 for i in seen if i in in_book)),
                sure=right_about(found.precision.get(info.codebook)),
                run_id=run.id if run is not None else None,
                to_check=any(i not in in_book for i in seen),
            )
        )
    return highlights


def top_themes(
    evidence: ScopedEvidence, *, limit: int = 5
) -> tuple[int | None, list[ThemeHighlight]]:
    """The newest finished theme run and its largest top-level themes the person may see.

    A run over one organisation's items stands for that organisation, not the
    network, so the workspace's home shows the newest run over more than that
    when there is one.

    Returns:
        The run's id (None when there is no finished theme run) and its themes,
        most visible members first, with any as large as the last one kept. Themes
        with no visible member, and the group of mixed subjects, are left out.
    """
    store = ThemeStore(evidence.workspace)
    runs = [r for r in store.runs.runs(kind=THEME_RUN, limit=50) if r.status == "finished"]
    if not runs:
        return None, []
    organisations = {f"Items from {name}" for name in evidence.organisation_names()}
    shown = next(
        (r for r in runs if str(r.summary.get("evidence", "")) not in organisations), runs[0]
    )
    themes = [t for t in store.themes(shown.id) if t.parent_number is None]
    visible = evidence.visible_ids({i for t in themes for i in t.item_ids})
    sized = []
    for theme in themes:
        n = sum(1 for i in theme.item_ids if i in visible)
        # The mixed group is not a theme anyone raised: it is not among the largest.
        if n and theme.label != OTHER_LABEL:
            sized.append((n, theme))
    sized.sort(key=lambda pair: (-pair[0], pair[1].number))
    # A theme as large as the last one shown is shown too, rather than left out by its number.
    cut = sized[:limit]
    cut += [pair for pair in sized[limit:] if cut and pair[0] == cut[-1][0]]
    return shown.id, [
        ThemeHighlight(theme.id, theme_as_seen(theme, evidence).label, shown_count(n))
        for n, theme in cut
    ]


def theme_run_covers(evidence: ScopedEvidence, run_id: int) -> str:
    """What evidence a theme run covered, in words the person may read ("" when not said).

    The largest themes of a run over one source are that source's, not the
    network's: a reader needs to know which.
    """
    run = ThemeStore(evidence.workspace).run(run_id)
    if run is None:
        return ""
    summary = run_as_seen(run, evidence).summary
    covers = str(summary.get("evidence") or "")
    least = summary.get("min_engagement")
    if covers and isinstance(least, int | float):
        # A run over the most-liked replies only is not what the whole consultation said.
        covers += f", only replies with at least {round(least):,} likes and other reactions"
    return covers


def waiting(workspace: Workspace, evidence: ScopedEvidence) -> Waiting:
    """Undecided machine suggestions ``evidence`` sees (newest coding run), and stories sent."""
    collections = CollectionStore(workspace).collections()
    told = sum(c.stories for c in collections)
    stories = shown_count(told) if told else ""
    coding = CodingStore(workspace)
    runs = [r for r in coding.runs(kind="coding", limit=50) if r.status == "finished"]
    if not runs:
        return Waiting(0, None, False, len(collections), stories)
    shown, more = awaiting_review(workspace, evidence, runs[0].id)
    return Waiting(shown, runs[0].id, more, len(collections), stories)


def awaiting_review(
    workspace: Workspace,
    evidence: ScopedEvidence,
    run_id: int,
    organisation: str = "",
    code: str = "",
) -> tuple[int, bool]:
    """How many of a coding run's suggestions ``evidence`` sees that nobody has decided on.

    Args:
        workspace: The workspace.
        evidence: What the person may see.
        run_id: The coding run.
        organisation: Only this organisation's items (every item when empty).
        code: Only the items the run's suggestions count under this code.

    Returns:
        The count, counted up to :data:`REVIEW_LOOK_AHEAD`, and whether it
        reached that (then people are told "1,000 or more").
    """
    candidates = CodingStore(workspace).review_queue(
        run_id, limit=REVIEW_LOOK_AHEAD, organisation=organisation, code=code
    )
    visible = evidence.visible_ids(c.item.id for c in candidates)
    shown = sum(1 for c in candidates if c.item.id in visible)
    return shown, len(candidates) >= REVIEW_LOOK_AHEAD
