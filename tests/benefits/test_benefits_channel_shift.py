"""Channel shift arithmetic, worked by hand."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from upstream.benefits import (
    DEFAULT_UNIT_COSTS,
    ChannelVolume,
    ShiftScenario,
    SpecError,
    appraise,
    linear_take_up,
    model_channel_shift,
    read_channel_volumes,
    savings_as_lines,
    scenarios,
)


def _volumes(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "volumes.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_unit_costs_are_the_socitm_figures() -> None:
    assert DEFAULT_UNIT_COSTS == {"face to face": 8.62, "phone": 2.83, "web": 0.15}


def test_reads_volumes_with_defaults_and_own_costs(tmp_path: Path) -> None:
    path = _volumes(
        tmp_path,
        "channel,contacts,unit_cost\nFace-to-face,10000,\nTelephone,50000,3.10\n"
        "Web,20000,\nLetter,1000,5.00\n",
    )
    channels = read_channel_volumes(path)
    assert channels == [
        ChannelVolume("face to face", 10000.0, 8.62),
        ChannelVolume("phone", 50000.0, 3.10),
        ChannelVolume("web", 20000.0, 0.15),
        ChannelVolume("letter", 1000.0, 5.0),
    ]


def test_take_up_ramps_to_full() -> None:
    assert linear_take_up(5, 3) == pytest.approx((1 / 3, 2 / 3, 1.0, 1.0, 1.0))
    assert linear_take_up(2, 1) == (1.0, 1.0)


def test_savings_by_hand() -> None:
    channels = [
        ChannelVolume("face to face", 10000, 8.62),
        ChannelVolume("phone", 50000, 2.83),
        ChannelVolume("web", 20000, 0.15),
    ]
    scenario = ShiftScenario("central", 0.2, (0.5, 1.0), assisted_digital_share=0.1)
    modelled = model_channel_shift(channels, [scenario])
    (result,) = modelled.scenarios
    first, second = result.years
    # Year 0, half take-up: face to face 10,000 × 0.2 × 0.5 = 1,000 shifting, 900 moved, 100
    # assisted; phone 50,000 × 0.2 × 0.5 = 5,000 shifting, 4,500 moved, 500 assisted.
    assert first.moved == pytest.approx({"face to face": 900.0, "phone": 4500.0})
    assert first.assisted == pytest.approx({"face to face": 100.0, "phone": 500.0})
    # Saving: 900 × (8.62 − 0.15) + 4,500 × (2.83 − 0.15) = 7,623 + 12,060 = 19,683.
    assert first.saving == pytest.approx(19683.0)
    # Year 1, full take-up: twice as much.
    assert second.saving == pytest.approx(39366.0)
    assert result.total_saving == pytest.approx(59049.0)
    # Channel by channel: (900 + 1,800) × 8.47 and (4,500 + 9,000) × 2.68, adding up.
    parts = modelled.saving_by_channel(result)
    assert parts == pytest.approx({"face to face": 22869.0, "phone": 36180.0})
    assert sum(parts.values()) == pytest.approx(result.total_saving)


def test_low_central_high_and_baseline(tmp_path: Path) -> None:
    channels = read_channel_volumes(_volumes(tmp_path, "channel,contacts\nphone,1000\nweb,0\n"))
    result = model_channel_shift(
        channels,
        scenarios(
            {"low": 0.1, "central": 0.2, "high": 0.3},
            years=1,
            ramp_years=1,
            assisted_digital_share=0.0,
        ),
    )
    assert result.baseline_cost == pytest.approx(2830.0)  # 1,000 × £2.83
    # 100, 200, 300 contacts move, each saving £2.68.
    totals = [r.total_saving for r in result.scenarios]
    assert totals == pytest.approx([268.0, 536.0, 804.0])
    document = result.to_dict()
    assert document["scenarios"][1]["name"] == "central"
    assert document["scenarios"][1]["total_saving"] == pytest.approx(536.0)


def test_savings_feed_an_appraisal() -> None:
    channels = [ChannelVolume("phone", 1000, 2.83), ChannelVolume("web", 0, 0.15)]
    scenario = ShiftScenario("central", 0.5, (1.0, 1.0))
    (result,) = model_channel_shift(channels, [scenario]).scenarios
    lines = savings_as_lines(result)
    # 500 contacts × £2.68 = £1,340 a year in years 0 and 1: 1,340 + 1,340 / 1.035.
    assert appraise(lines).pv_benefits == pytest.approx(1340 + 1340 / 1.035)
    assert {line.category for line in lines} == {"fiscal"}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("channel,contacts\nkiosk,100\n", r"line 2, column 'unit_cost'"),
        ("channel,contacts\nphone,many\n", r"line 2, column 'contacts'"),
        ("channel,contacts\nphone,-5\n", r"line 2, column 'contacts'"),
        ("channel,contacts\nphone,5\nTelephone,6\n", r"line 3, column 'channel': repeats 'phone'"),
        ("channel,volume\nphone,5\n", r"line 1: the header has no 'contacts' column"),
    ],
)
def test_bad_volumes(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(SpecError, match=message):
        read_channel_volumes(_volumes(tmp_path, text))


def test_target_must_be_a_channel() -> None:
    with pytest.raises(Exception, match="target channel 'web' is not in the volumes"):
        model_channel_shift([ChannelVolume("phone", 10, 2.83)], scenarios({"central": 0.2}))


def test_shift_shares_must_rise_from_low_to_high() -> None:
    from upstream.benefits.channel_shift import scenarios
    from upstream.benefits.errors import BenefitsError

    with pytest.raises(BenefitsError, match="must rise from low to high; they are low 30%"):
        scenarios({"low": 0.3, "central": 0.2, "high": 0.1})
    assert [s.name for s in scenarios({"low": 0.1, "central": 0.2, "high": 0.3})] == [
        "low",
        "central",
        "high",
    ]


def test_savings_become_appraisal_lines_with_a_cost_to_fill_in_and_a_range() -> None:
    from upstream.benefits import appraise, parse_rows
    from upstream.benefits.channel_shift import CHANGE_COST_ITEM, appraisal_lines
    from upstream.benefits.spec import spec_csv

    channels = [ChannelVolume("phone", 50000, 2.83), ChannelVolume("web", 20000, 0.15)]
    result = model_channel_shift(
        channels,
        [ShiftScenario(name, share, (0.5, 1.0)) for name, share in
         (("low", 0.1), ("central", 0.2), ("high", 0.3))],
    )  # fmt: skip
    lines = appraisal_lines(result)
    assert lines[0].item == CHANGE_COST_ITEM and lines[0].kind == "cost" and lines[0].amount == 0
    savings = lines[1:]
    central = result.scenarios[1]
    assert [line.amount for line in savings] == pytest.approx([y.saving for y in central.years])
    assert [line.low for line in savings] == pytest.approx(
        [y.saving for y in result.scenarios[0].years]
    )
    assert [line.high for line in savings] == pytest.approx(
        [y.saving for y in result.scenarios[2].years]
    )
    # Written as a SPEC and read back, it appraises to the central savings.
    again = parse_rows(csv.reader(io.StringIO(spec_csv(lines))), "shift.csv")
    assert appraise(again).pv_benefits == pytest.approx(appraise(lines).pv_benefits, abs=0.05)
