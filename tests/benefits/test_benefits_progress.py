"""A benefit's figures are read beside the status its owner recorded."""

from __future__ import annotations

from datetime import date

from upstream.records.measures import BenefitDraft, MeasurePoint, SeriesKey
from upstream.workflows.benefits.progress import figures_say, target_date

SERIES = SeriesKey("Orrinsford City Council", "Council tax", "Phone calls")


def _point(kind: str, when: date, value: float) -> MeasurePoint:
    return MeasurePoint(SERIES, kind, when, value)


def _draft(
    baseline: float | None = 18_200.0, target: float | None = 12_000.0, due: date | None = None
) -> BenefitDraft:
    return BenefitDraft(
        "Orrinsford City Council",
        "Fewer council tax phone calls",
        "cashable",
        status="on track",
        baseline=baseline,
        target=target,
        due=due,
    )


def test_a_missed_target_date_is_said_even_when_the_owner_says_on_track() -> None:
    points = [
        _point("target", date(2025, 3, 1), 12_000),
        _point("actual", date(2025, 3, 1), 13_500),
    ]
    draft = _draft()
    due = target_date(draft, points)
    assert due == date(2025, 3, 1)  # the benefit has no date of its own: its measure's target's
    said = figures_say(draft, points[1], due, today=date(2026, 12, 5))
    assert said == (
        "Figures: missed: due 1 Mar 2025, 76% of the way there (13,500 in March 2025). "
        f"The status recorded (\u201c{draft.status}\u201d) may be out of date."
    )


def test_progress_runs_from_the_baseline_towards_the_target_either_way() -> None:
    falling = figures_say(
        _draft(), _point("actual", date(2026, 6, 1), 13_500), date(2027, 3, 1), date(2026, 12, 5)
    )
    assert falling == "Figures: 76% of the way to the target (13,500 in June 2026)."
    rising = _draft(baseline=300.0, target=500.0, due=date(2027, 3, 1))
    said = figures_say(
        rising, _point("actual", date(2026, 6, 1), 480), rising.due, date(2026, 12, 5)
    )
    assert "90% of the way to the target" in said
    reached = figures_say(
        rising, _point("actual", date(2026, 6, 1), 510), rising.due, date(2026, 12, 5)
    )
    assert reached == "Figures: target reached (510 in June 2026)."
    assert (
        figures_say(
            _draft(target=None), _point("actual", date(2026, 6, 1), 1), None, date(2026, 12, 5)
        )
        == ""
    )
