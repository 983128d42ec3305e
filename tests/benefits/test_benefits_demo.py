"""The demo's benefits: measures, register entries linked to demo evidence, and its figures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from upstream.demo import load_demo
from upstream.demo.benefits import load_benefits
from upstream.store import Store
from upstream.workflows.benefits.measures import list_series
from upstream.workflows.benefits.register import register


def test_demo_benefits_load_once_and_link_demo_evidence(tmp_path: Path) -> None:
    with Store(tmp_path / "demo.db") as store:
        workspace = load_demo(store).workspace
        first = load_benefits(store, workspace)
        again = load_benefits(store, workspace)
        views = register(store, workspace)
        series = list_series(store, workspace)
    assert first == again
    assert "benefit–cost ratio 1.15" in first and "pays back in year 4" in first
    assert "On savings to budgets alone, NHS trust and Police put in more than" in first
    assert "£687,697 to £2,063,092" in first
    assert len(series) == 3
    assert sorted(v.record.draft.title for v in views) == [
        "Fewer council tax phone calls",
        "More families helped before crisis",
    ]
    linked = {v.record.draft.title: [item.external_id for item, _ in v.items] for v in views}
    assert linked["More families helped before crisis"] == ["VN-0080", "VN-0131"]
    # The evidence that explains a benefit is the benefit's own organisation's, and
    # said after the change it tracks began (the hub opened in July 2024).
    hub = next(v for v in views if v.record.draft.title == "More families helped before crisis")
    assert all(item.organisation == hub.record.draft.organisation for item, _ in hub.items)
    assert all(item.item_date and item.item_date >= date(2024, 7, 1) for item, _ in hub.items)
    assert all(v.latest_actual is not None for v in views)
    # The council tax target fell due in March 2025 unmet, whatever its owner still says.
    calls = next(v for v in views if v.record.draft.title == "Fewer council tax phone calls")
    assert calls.missed and calls.record.draft.status == "on track"
    assert "76% of the way there" in calls.figures_say
