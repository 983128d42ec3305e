"""Channel shift: what moving contact to a cheaper channel saves, with ranges.

Unit costs per contact default to the figures commonly quoted from Socitm's
"Channel value benchmarking" (face to face £8.62, phone £2.83, web £0.15); they are
an assumption and every one can be replaced by the council's own figure.

For each scenario and year the contacts that move off a channel are::

    contacts a year × shift share × take-up in the year × (1 − assisted digital share)

and each saves the difference between that channel's unit cost and the target
channel's. The assisted digital share of the shift stays on its original channel,
with help, for the households that are not online, and saves nothing. Low, central
and high scenarios differ in the shift share. Volumes are held flat over the years.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from upstream.benefits.errors import BenefitsError
from upstream.benefits.spec import Category, Line

DEFAULT_UNIT_COSTS: Final[Mapping[str, float]] = {"face to face": 8.62, "phone": 2.83, "web": 0.15}
"""£ per contact, as commonly quoted from Socitm "Channel value benchmarking"."""

_ALIASES: Final = {
    "face to face": "face to face",
    "face-to-face": "face to face",
    "face_to_face": "face to face",
    "f2f": "face to face",
    "in person": "face to face",
    "phone": "phone",
    "telephone": "phone",
    "web": "web",
    "online": "web",
    "digital": "web",
}


def channel_name(text: str) -> str:
    """The standard name of a channel (``"Telephone"`` → ``"phone"``), else it in lower case."""
    cleaned = " ".join(text.strip().lower().split())
    return _ALIASES.get(cleaned, cleaned)


@dataclass(frozen=True)
class ChannelVolume:
    """Contacts a year on one channel and what each costs.

    Attributes:
        channel: The channel, e.g. ``"phone"``.
        contacts: Contacts a year.
        unit_cost: £ per contact.
    """

    channel: str
    contacts: float
    unit_cost: float


@dataclass(frozen=True)
class ShiftScenario:
    """One scenario of shift.

    Attributes:
        name: e.g. ``"low"``, ``"central"`` or ``"high"``.
        shift_share: Share of each other channel's contacts that move once take-up is full.
        take_up: Share of the full shift reached in each year, year 0 first.
        assisted_digital_share: Share of the shift kept on the original channel, with help.
        target: The channel contacts move to.
    """

    name: str
    shift_share: float
    take_up: tuple[float, ...]
    assisted_digital_share: float = 0.0
    target: str = "web"


def linear_take_up(years: int, ramp_years: int) -> tuple[float, ...]:
    """Take-up rising in equal steps to full by year ``ramp_years − 1``, then staying full.

    Args:
        years: How many years to cover (year 0 is the first).
        ramp_years: Years to reach full take-up (1 means full from year 0).

    Returns:
        One share per year, e.g. ``(1/3, 2/3, 1, 1, 1)`` for 5 years and a 3-year ramp.
    """
    if years < 1 or ramp_years < 1:
        raise BenefitsError("Years and years to full take-up must both be 1 or more.")
    return tuple(min(1.0, (year + 1) / ramp_years) for year in range(years))


def scenarios(
    shares: Mapping[str, float],
    *,
    years: int = 5,
    ramp_years: int = 3,
    assisted_digital_share: float = 0.1,
    target: str = "web",
) -> list[ShiftScenario]:
    """Scenarios that differ only in shift share, e.g. low, central and high.

    Args:
        shares: Shift share by scenario name, e.g. ``{"low": 0.1, "central": 0.2, "high": 0.3}``.
        years: Years to cover.
        ramp_years: Years to reach full take-up.
        assisted_digital_share: Share of the shift kept on the original channel.
        target: The channel contacts move to.

    Returns:
        One scenario per entry of ``shares``, in order.

    Raises:
        BenefitsError: If a share is outside 0–1, or low, central and high do not rise.
    """
    for name, share in {**shares, "assisted digital": assisted_digital_share}.items():
        if not 0.0 <= share <= 1.0:
            raise BenefitsError(f"The {name} share must be from 0 to 1, not {share:g}.")
    ordered = [(name, shares[name]) for name in ("low", "central", "high") if name in shares]
    if [share for _, share in ordered] != sorted(share for _, share in ordered):
        given = ", ".join(f"{name} {share:.0%}" for name, share in ordered)
        raise BenefitsError(f"The shift shares must rise from low to high; they are {given}.")
    take_up = linear_take_up(years, ramp_years)
    return [
        ShiftScenario(name, share, take_up, assisted_digital_share, channel_name(target))
        for name, share in shares.items()
    ]


@dataclass(frozen=True)
class ScenarioYear:
    """One year of one scenario.

    Attributes:
        year: Years from the start; 0 is the first year.
        moved: Contacts moved to the target channel, by channel they left.
        assisted: Contacts kept on their channel with help, by channel.
        saving: £ saved in the year.
    """

    year: int
    moved: dict[str, float]
    assisted: dict[str, float]
    saving: float


@dataclass(frozen=True)
class ScenarioResult:
    """The savings of one scenario, year by year."""

    scenario: ShiftScenario
    years: list[ScenarioYear] = field(default_factory=list)

    @property
    def total_saving(self) -> float:
        """£ saved over all the years (undiscounted)."""
        return sum(year.saving for year in self.years)


@dataclass(frozen=True)
class ChannelShiftResult:
    """Channel volumes and costs now, and each scenario's savings."""

    channels: list[ChannelVolume]
    scenarios: list[ScenarioResult]

    @property
    def baseline_cost(self) -> float:
        """£ a year that contact costs now: the sum of contacts × unit cost."""
        return sum(channel.contacts * channel.unit_cost for channel in self.channels)

    def saving_by_channel(self, result: ScenarioResult) -> dict[str, float]:
        """Where one scenario's saving over all its years comes from, channel by channel.

        Each contact that moves saves the difference between its channel's unit
        cost and the target channel's, so the parts add up to the scenario's total.
        """
        costs = {channel.channel: channel.unit_cost for channel in self.channels}
        target = costs[result.scenario.target]
        totals: dict[str, float] = {}
        for year in result.years:
            for name, moved in year.moved.items():
                totals[name] = totals.get(name, 0.0) + moved * (costs[name] - target)
        return totals

    def to_dict(self) -> dict[str, Any]:
        """The result as a JSON object."""
        return {
            "channels": [c.__dict__ | {"cost": c.contacts * c.unit_cost} for c in self.channels],
            "baseline_cost_per_year": self.baseline_cost,
            "scenarios": [
                {
                    **{k: v for k, v in r.scenario.__dict__.items() if k != "take_up"},
                    "take_up": list(r.scenario.take_up),
                    "total_saving": r.total_saving,
                    "years": [y.__dict__ for y in r.years],
                }
                for r in self.scenarios
            ],
        }


def model_channel_shift(
    channels: Sequence[ChannelVolume], shift_scenarios: Sequence[ShiftScenario]
) -> ChannelShiftResult:
    """Work out the savings of each scenario, year by year.

    Args:
        channels: Contacts a year and unit cost for each channel, including the target.
        shift_scenarios: The scenarios to model.

    Returns:
        The baseline and each scenario's contacts moved and savings.

    Raises:
        BenefitsError: If a scenario's target channel is not among ``channels``.
    """
    costs = {channel.channel: channel.unit_cost for channel in channels}
    results = []
    for scenario in shift_scenarios:
        if scenario.target not in costs:
            raise BenefitsError(
                f"The target channel {scenario.target!r} is not in the volumes; "
                f"expected one of {', '.join(costs)}."
            )
        rows = []
        for year, take_up in enumerate(scenario.take_up):
            moved, assisted, saving = {}, {}, 0.0
            for channel in channels:
                if channel.channel == scenario.target:
                    continue
                shifting = channel.contacts * scenario.shift_share * take_up
                moved[channel.channel] = shifting * (1.0 - scenario.assisted_digital_share)
                assisted[channel.channel] = shifting * scenario.assisted_digital_share
                saving += moved[channel.channel] * (channel.unit_cost - costs[scenario.target])
            rows.append(ScenarioYear(year, moved, assisted, saving))
        results.append(ScenarioResult(scenario, rows))
    return ChannelShiftResult(list(channels), results)


def savings_as_lines(
    result: ScenarioResult, *, item: str = "Channel shift savings", category: Category = "fiscal"
) -> list[Line]:
    """A scenario's yearly savings as benefit lines for :func:`~upstream.benefits.appraise`.

    Args:
        result: One scenario's result.
        item: The item name to give the lines.
        category: The benefit category (savings to the council are fiscal).

    Returns:
        One benefit line per year, with no optimism bias, deadweight or attribution set.
    """
    return [Line(item, "benefit", category, y.year, y.saving) for y in result.years]


CHANGE_COST_ITEM = "Cost of making the change (fill in)"
"""The cost line :func:`appraisal_lines` leaves for the user to fill in."""


def appraisal_lines(
    result: ChannelShiftResult, *, item: str = "Channel shift savings"
) -> list[Line]:
    """The central scenario's savings as appraisal lines, low and high as each line's range.

    The savings are what contacts cost, so they are fiscal benefits; none of
    optimism bias, deadweight or attribution is set, since only the person
    appraising can judge them. The lines start with a cost line of £0 for the
    costs of making the change (building the form, assisted-digital sessions),
    which the savings must be weighed against before anyone calls them savings.

    Args:
        result: A result with low, central and high scenarios (or fewer: the
            middle one is central, the first and last give the range).
        item: The name of the savings lines.

    Returns:
        The cost line, then one benefit line per year.
    """
    if not result.scenarios:
        return []
    low, central, high = (
        result.scenarios[0],
        result.scenarios[len(result.scenarios) // 2],
        result.scenarios[-1],
    )
    lines = [Line(CHANGE_COST_ITEM, "cost", "fiscal", 0, 0.0)]
    for year, row in enumerate(central.years):
        floor = min(low.years[year].saving, row.saving)
        ceiling = max(high.years[year].saving, row.saving)
        ranged = floor < row.saving or ceiling > row.saving
        lines.append(
            Line(
                item,
                "benefit",
                "fiscal",
                row.year,
                row.saving,
                low=floor if ranged else None,
                high=ceiling if ranged else None,
            )
        )
    return lines
