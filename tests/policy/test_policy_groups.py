"""The small-group rule: one threshold, one label, and no giving a group away by subtraction."""

from __future__ import annotations

from upstream.policy import FEWER_THAN, MIN_GROUP, shown_count, suppressed, withheld


def test_threshold_boundary_is_ten() -> None:
    assert MIN_GROUP == 10
    assert suppressed(9) and suppressed(1)
    assert not suppressed(10) and not suppressed(11)
    assert not suppressed(0)  # an empty group names nobody


def test_one_plain_english_label() -> None:
    assert FEWER_THAN == "fewer than 10"
    assert shown_count(9) == FEWER_THAN
    assert shown_count(10) == "10" and shown_count(0) == "0"
    assert shown_count(12345) == "12,345"


def test_a_lone_small_group_takes_the_next_smallest_with_it() -> None:
    # Total 40 shown: hiding only "C" (4) would leave 40 - 25 - 11 = 4 in plain sight.
    parts = {"A": 25, "B": 11, "C": 4}
    assert withheld(parts) == {"C", "B"}


def test_no_second_group_is_hidden_when_subtraction_gives_nothing_away() -> None:
    assert withheld({"A": 25, "B": 11, "C": 4}, total_shown=False) == {"C"}
    assert withheld({"A": 25, "B": 11}) == set()
    assert withheld({"A": 25, "B": 0, "C": 4}) == {"A", "C"}  # empty parts hide nothing


def test_small_groups_that_together_hold_fewer_than_10_take_another_with_them() -> None:
    # Total 32 shown: 32 - 25 = 7 would be "B and C together", a group of 7 people,
    # and with a share for each part shown, what those 7 answered.
    assert withheld({"A": 25, "B": 3, "C": 4}) == {"A", "B", "C"}
    assert withheld({"A": 25, "D": 14, "B": 3, "C": 4}) == {"B", "C", "D"}
    assert withheld({"A": 25, "D": 14, "B": 6, "C": 4}) == {"B", "C"}  # 10 together: enough
    # A part hidden for another reason takes a companion, whatever its size.
    assert withheld({"A": 25, "D": 14, "B": 12}, already={"B"}) == {"B", "D"}


def test_covering_names_only_the_parts_hidden_for_a_smaller_one() -> None:
    """Youth club 21 = youth centre 14 + holidays 7: the 14 must go too, and reads "not shown"."""
    from upstream.policy import covering

    assert covering({"youth centre": 14, "teenagers and holidays": 7}) == {"youth centre"}
    assert covering({1: 14, 2: 7, 3: 30}) == {1}
    assert covering({"a": 14, "b": 12}) == set()
    assert covering({"a": 4, "b": 8, "c": 40}) == set()  # the hidden 12 cover each other
