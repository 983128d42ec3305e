"""Coverage out of the items a run set out to code, never giving a small group away."""

from __future__ import annotations

from datetime import UTC, datetime

from upstream.frameworks import load_codebook
from upstream.records.stored import RunRecord
from upstream.records.tallies import ItemFacts
from upstream.reports.checks import check_for
from upstream.reports.evidence import Assigned, CodedEvidence

STAFF, RESIDENTS = 1, 2


def _coded(coded_ids: range) -> CodedEvidence:
    run = RunRecord(
        1, "coding", "finished", {"codebook": "dbe", "threshold": 0.2}, {}, 0, {}, "a",
        datetime.now(UTC), None,
    )  # fmt: skip
    assigned = {i: [Assigned("barrier.funding", 0.5, "machine")] for i in coded_ids}
    return CodedEvidence(
        load_codebook("dbe"), run, assigned, scope_sources=frozenset({STAFF}),
        scope_words="from staff",
    )  # fmt: skip


def _items(staff: int, residents: int) -> list[ItemFacts]:
    return [
        ItemFacts(i, STAFF if i < staff else RESIDENTS, "Org", None)
        for i in range(staff + residents)
    ]


def test_coverage_is_out_of_the_items_the_run_set_out_to_code() -> None:
    check = check_for(_items(40, 25), _coded(range(30)), "drivers, barriers and enablers")
    assert check.items == 40 and check.scope == "from staff"
    assert check.sentence().startswith(
        "We could code 30 of 40 items from staff (75%) against drivers, barriers and enablers;"
    )
    # Given only the coded items, it counts them out of each source's items.
    coded = _items(40, 25)[:30]
    same = check_for(coded, _coded(range(30)), "x", total=65, per_source={STAFF: 40, RESIDENTS: 25})
    assert (same.items, same.scope) == (40, "from staff")


def test_a_small_group_left_out_is_not_given_away_by_two_counts() -> None:
    # 44 items from staff beside the report's 48 would say 4 residents wrote in.
    check = check_for(_items(44, 4), _coded(range(30)), "drivers, barriers and enablers")
    assert check.items == 48 and check.scope == ""
    assert "of 48 items (" in check.sentence()


def test_an_item_a_person_coded_outside_the_run_s_kinds_still_counts() -> None:
    coded = _coded(range(30))
    coded.assigned[50] = [Assigned("barrier.funding", 1.0, "human")]  # a resident's reply
    check = check_for(_items(40, 25), coded, "drivers, barriers and enablers")
    assert (check.items, check.coded) == (41, 31)


def test_a_run_people_checked_enough_of_says_how_often_it_was_right() -> None:
    """A run made before any decision says "not measured" until people check enough of it."""
    coded = _coded(range(40))
    for i in range(32):  # 32 suggestions at or above the run's 0.2 checked: 24 kept
        coded.decisions[i] = "accept" if i < 24 else "recode"
        coded.machine_top_confidence[i] = 0.5
    coded.decisions[35] = "reject"  # below the threshold: says nothing about what counts
    coded.machine_top_confidence[35] = 0.1
    check = check_for(_items(40, 0), coded, "drivers, barriers and enablers")
    assert check.expected_precision == 0.75
    assert check.how_sure() == (
        "which are right about 8 times in 10 at this setting "
        "(going by the suggestions people have checked: a rough figure, from only 32 of them)"
    )
    few = _coded(range(40))
    for i in range(10):
        few.decisions[i] = "accept"
        few.machine_top_confidence[i] = 0.5
    assert check_for(_items(40, 0), few, "x").expected_precision is None
