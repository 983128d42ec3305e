"""The demo's benefits: measures with targets, a small register, channel shift and an appraisal.

The appraisal is of an early-help hub run by a county council, an NHS trust and
the police (``data/early_help_appraisal.csv``); the channel shift figures are one
council's contacts a year (``data/channel_volumes.csv``). Both were written for
upstream. Safe to run again: measures are found again by their key, and the
register entries are added only once.
"""

from __future__ import annotations

from dataclasses import dataclass

from upstream.benefits import (
    DEFAULT_UNIT_COSTS,
    full_appraisal,
    model_channel_shift,
    read_channel_volumes,
    read_spec,
    scenarios,
)
from upstream.records.measures import BenefitDraft, SeriesKey
from upstream.store import Store
from upstream.workflows.benefits.examples import (
    DEMO_CHANNEL_COUNCIL,
    DEMO_MEASURES,
    DEMO_SPEC,
    DEMO_VOLUMES,
    demo_file,
)
from upstream.workflows.benefits.measures import import_measures
from upstream.workflows.benefits.register import add_benefit, link_item, register

ACTOR = "demo"
CHANNEL_COUNCIL = DEMO_CHANNEL_COUNCIL
SHIFT_SHARES = {"low": 0.1, "central": 0.2, "high": 0.3}
# The council tax benefit's value: 6,200 fewer calls a month, each dearer by phone
# than on the web by the difference in the default unit costs.
_CALLS_SAVED_A_YEAR = (18200 - 12000) * 12
_CALL_SAVING = DEFAULT_UNIT_COSTS["phone"] - DEFAULT_UNIT_COSTS["web"]


@dataclass(frozen=True, slots=True)
class _Entry:
    draft: BenefitDraft
    evidence: tuple[str, ...]  # the items' own ids in the demo files
    note: str


_REGISTER = (
    _Entry(
        BenefitDraft(
            organisation=CHANNEL_COUNCIL,
            title="Fewer council tax phone calls",
            category="cashable",
            status="on track",
            owner="Head of customer services",
            series=SeriesKey(CHANNEL_COUNCIL, "Council tax", "contacts", "phone"),
            baseline=18200,
            target=12000,
            description="Residents set up direct debits and report changes online, with help "
            "in libraries for those who are not online. Valued at 6,200 fewer calls a month, "
            "each £2.68 cheaper on the web than by phone (Socitm's 2012 unit costs); cash only "
            "when posts in the contact centre go.",
            value=round(_CALLS_SAVED_A_YEAR * _CALL_SAVING),
        ),
        # The network's evidence says nothing about council tax calls, so none is linked.
        (),
        "",
    ),
    _Entry(
        BenefitDraft(
            organisation="Brackenshire County Council",
            title="More families helped before crisis",
            category="social",
            status="at risk",
            owner="Director of children's services",
            series=SeriesKey("Brackenshire County Council", "Early help", "families supported"),
            baseline=310,
            target=500,
            description="The early-help hub with the NHS trust and the police.",
        ),
        ("VN-0080", "VN-0131"),
        "What holds the hub back: agency turnover, and still no shared data with health.",
    ),
)


def _item_ids(store: Store, workspace: str) -> dict[str, int]:
    ws = store.workspace(workspace)
    return {item.external_id: item.id for item in ws.items() if item.external_id}


def load_benefits(store: Store, workspace: str) -> str:
    """Import the demo measures, fill the register and work out the demo's figures.

    Returns:
        Plain English: what was stored and the headline figures.
    """
    measures = import_measures(store, demo_file(DEMO_MEASURES), workspace=workspace, actor=ACTOR)
    have = {view.record.draft.title for view in register(store, workspace)}
    ids = _item_ids(store, workspace)
    for entry in _REGISTER:
        if entry.draft.title in have:
            continue
        benefit_id = add_benefit(store, workspace, entry.draft, actor=ACTOR)
        for own_id in entry.evidence:
            if own_id in ids:
                link_item(store, workspace, benefit_id, ids[own_id], actor=ACTOR, note=entry.note)
    lines = [
        f"Benefits: {measures.series} measure series and {len(_REGISTER)} benefits in the "
        "register, linked to the network's evidence where it explains them."
    ]
    full = full_appraisal(read_spec(demo_file(DEMO_SPEC)), source=DEMO_SPEC)
    appraisal = full.appraisal
    lines.append(
        f"  • Early-help hub (council, NHS trust and police): net present value "
        f"£{appraisal.npv:,.0f}, benefit–cost ratio {appraisal.bcr or 0:.2f}, "
        f"pays back in year {appraisal.payback_year}."
    )
    # Who pays and who gains is what a partnership board asks next.
    short = [p.organisation for p in full.partners if p.net_fiscal < 0]
    if short:
        lines.append(
            f"    On savings to budgets alone, {' and '.join(short)} put in more than "
            f"{'it gets' if len(short) == 1 else 'they get'} back."
        )
    shift = model_channel_shift(
        read_channel_volumes(demo_file(DEMO_VOLUMES)), scenarios(SHIFT_SHARES)
    )
    low, central, high = (s.total_saving for s in shift.scenarios)
    lines.append(
        f"  • Channel shift at {CHANNEL_COUNCIL}: £{low:,.0f} to £{high:,.0f} saved over five "
        f"years (£{central:,.0f} in the central case)."
    )
    return "\n".join(lines)
