"""Encoding judgements, majority labels with ties, and leave-one-out majorities."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from upstream.coding.agreement import Judgements, leave_one_out_majority, majority_labels
from upstream.coding.agreement.majority import NO_REFERENCE, TIED


def test_missing_values_are_dropped_and_counted() -> None:
    judgements = Judgements.from_columns(
        ["a", "a", None, "b", "b", "c"],
        ["x", "y", "x", float("nan"), "y", "x"],
        [1, 1, 2, 2, " ", None],
    )
    assert judgements.n_judgements == 2
    assert judgements.n_missing == 4
    assert judgements.item_names == ("a",)


def test_columns_can_be_pandas_series_with_any_index() -> None:
    frame = pd.DataFrame(
        {"item": ["a", "a", "b"], "coder": ["x", "y", "x"], "label": [1, 2, 1]}, index=[7, 3, 5]
    )
    judgements = Judgements.from_columns(frame["item"], frame["coder"], frame["label"])
    assert judgements.n_judgements == 3
    assert judgements.item_names == ("a", "b")


def test_labels_and_coders_sort_naturally() -> None:
    judgements = Judgements.from_records(
        [("i", "10", "10"), ("i", "9", "9"), ("i", "2", "x"), ("j", "9", "-1")]
    )
    assert judgements.label_names == ("-1", "9", "10", "x")
    assert judgements.coder_names == ("2", "9", "10")


@pytest.mark.parametrize(("repeats", "kept"), [("first", "yes"), ("last", "no")])
def test_repeated_judgements_keep_one_per_coder(repeats: str, kept: str) -> None:
    records = [("i", "A", "yes"), ("i", "B", "no"), ("i", "A", "no")]
    judgements = Judgements.from_records(records, repeats=repeats)  # type: ignore[arg-type]
    assert judgements.n_repeats == 1
    a = judgements.coder_names.index("A")
    (position,) = np.flatnonzero(judgements.coders == a)
    assert judgements.label_names[judgements.labels[position]] == kept


def test_repeated_judgements_can_be_refused() -> None:
    with pytest.raises(ValueError, match="coder 'A' coded item 'i' more than once"):
        Judgements.from_records([("i", "A", 1), ("i", "A", 2)], repeats="error")


def test_columns_of_different_lengths_are_refused() -> None:
    with pytest.raises(ValueError, match="differ in length"):
        Judgements.from_columns(["a"], ["x", "y"], [1])


def test_extra_labels_are_known_even_if_unused() -> None:
    judgements = Judgements.from_records([("i", "A", "b")], extra_labels=["a", None])
    assert judgements.label_names == ("a", "b")
    assert judgements.with_labels(["c"]).label_names == ("a", "b", "c")
    assert judgements.with_labels(["c"]).label_names[judgements.with_labels(["c"]).labels[0]] == "b"


def test_majority_labels_report_ties_and_break_them_by_overall_frequency() -> None:
    records = [
        ("clear", "A", "red"),
        ("clear", "B", "red"),
        ("clear", "C", "blue"),
        ("tie", "A", "red"),
        ("tie", "B", "blue"),
        # "blue" is the commonest label overall, so it wins the tie.
        ("other", "A", "blue"),
        ("other", "B", "blue"),
    ]
    majority = {m.item: m for m in majority_labels(Judgements.from_records(records))}
    assert majority["clear"].label == "red"
    assert (majority["clear"].votes, majority["clear"].n_judgements) == (2, 3)
    assert not majority["clear"].tied
    assert majority["tie"].tied
    assert set(majority["tie"].tied_labels) == {"red", "blue"}
    assert majority["tie"].label == "blue"


def test_majority_tie_break_falls_back_to_sort_order() -> None:
    records = [("i", "A", "b"), ("i", "B", "a"), ("j", "A", "a"), ("j", "B", "b")]
    assert {m.label for m in majority_labels(Judgements.from_records(records))} == {"a"}


def brute_force_loo(records: list[tuple[str, str, str]]) -> list[object]:
    result: list[object] = []
    for item, coder, _ in records:
        others = Counter(label for i, c, label in records if i == item and c != coder)
        if not others:
            result.append(NO_REFERENCE)
            continue
        top = max(others.values())
        winners = [label for label, n in others.items() if n == top]
        result.append(winners[0] if len(winners) == 1 else TIED)
    return result


def test_leave_one_out_majority_matches_brute_force() -> None:
    rng = np.random.default_rng(5)
    records = [
        (f"item{i}", f"coder{c}", str(rng.choice(["a", "b", "c"], p=[0.6, 0.3, 0.1])))
        for i in range(60)
        for c in range(6)
        if rng.random() < 0.6
    ]
    judgements = Judgements.from_records(records)
    reference = leave_one_out_majority(judgements)
    got = [judgements.label_names[r] if r >= 0 else int(r) for r in reference]
    assert got == brute_force_loo(records)


def test_leave_one_out_majority_without_the_machine() -> None:
    records = [("i", "A", "x"), ("i", "B", "x"), ("i", "C", "y"), ("i", "M", "y")]
    judgements = Judgements.from_records(records)
    humans = np.array([name != "M" for name in judgements.coder_names])
    reference = [
        judgements.label_names[r] if r >= 0 else r
        for r in leave_one_out_majority(judgements, humans)
    ]
    # A and B see (x, y) among the other humans: a tie; C sees (x, x); M sees all humans.
    assert reference == [TIED, TIED, "x", "x"]


def test_unknown_coder_is_named_in_the_error() -> None:
    judgements = Judgements.from_records([("i", "A", "x")])
    with pytest.raises(ValueError, match="no judgements by coder 'Z'; coders are 'A'"):
        judgements.coder_position("Z")


def test_nan_like_labels_are_missing() -> None:
    judgements = Judgements.from_records([("i", "A", np.float32("nan")), ("i", "B", math.nan)])
    assert judgements.n_judgements == 0
    assert judgements.n_missing == 2
