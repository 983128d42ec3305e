"""Breakdowns never show a group of fewer than ten people."""

from __future__ import annotations

from datetime import date

import pytest

from upstream.policy import FEWER_THAN
from upstream.records.stored import ItemRecord
from upstream.signals import breakdown


def _item(n: int, org: str, person: str | None, role: str = "officer") -> ItemRecord:
    attributes = {"respondent": person} if person else {}
    return ItemRecord(n, f"text {n}", 1, org, None, n, role, date(2025, 1 + n % 3, 1), attributes)


def test_small_groups_are_suppressed():
    items = [_item(n, "Big Council", f"p{n}") for n in range(30)]
    items += [_item(100 + n, "Small Trust", f"q{n}") for n in range(9)]
    # One person saying it twelve times is still one person.
    items += [_item(200 + n, "One Voice", "same-person") for n in range(12)]
    selected = [i.id % 2 == 0 for i in items]
    rows = {r.group: r for r in breakdown(items, selected, "organisation")}
    big = rows["Big Council"]
    assert not big.suppressed and big.people == 30 and big.matching == 15 and big.share == 0.5
    assert big.shown == "15 of 30 (50%)"
    for name in ("Small Trust", "One Voice"):
        small = rows[name]
        assert small.suppressed and small.people is None and small.matching is None
        assert small.share is None and small.shown == FEWER_THAN == "fewer than 10"


def test_other_groupings_and_order():
    items = [_item(n, "A", f"p{n}", role="nurse" if n < 12 else "porter") for n in range(20)]
    rows = breakdown(items, [True] * 6 + [False] * 14, "role")
    assert [r.group for r in rows] == ["nurse", "porter"] and rows[1].suppressed
    months = breakdown(items, [True] * 20, "date")
    assert {r.group for r in months} == {"2025-01", "2025-02", "2025-03"}
    missing = breakdown(items, [True] * 20, "ward")
    assert [r.group for r in missing] == ["(not recorded)"]
    with pytest.raises(ValueError, match="selected has 1 entries"):
        breakdown(items, [True], "organisation")
