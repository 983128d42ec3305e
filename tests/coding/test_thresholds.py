from __future__ import annotations

import numpy as np
import pytest

from upstream.coding.coder import FrameworkCoder
from upstream.coding.thresholds import (
    DECISIONS,
    DEFAULT,
    HELD_OUT,
    choose_threshold,
    precision_at,
)
from upstream.embed import TfidfEmbedder
from upstream.frameworks import Code, Codebook
from upstream.workflows.certainty import choose_for


def _judged() -> tuple[list[float], list[bool]]:
    """100 suggestions: the more confident, the more often right (deterministic)."""
    confidences = [round(0.3 + 0.006 * i, 3) for i in range(100)]
    # Right in 9 of 10 above 0.7, 7 of 10 between 0.5 and 0.7, 3 of 10 below 0.5.
    right = [
        (i % 10) < (9 if c >= 0.7 else 7 if c >= 0.5 else 3) for i, c in enumerate(confidences)
    ]
    return confidences, right


def test_chooses_the_lowest_threshold_that_meets_the_target() -> None:
    confidences, right = _judged()
    choice = choose_threshold(confidences, right, 0.75, fallback=0.35, basis=HELD_OUT)
    assert choice.basis == HELD_OUT
    assert choice.support == 100
    assert choice.expected_precision is not None and choice.expected_precision >= 0.75
    # Everything at or above the threshold meets the target, and one step lower does not.
    precision, reached = precision_at(confidences, right, choice.threshold)
    assert precision is not None and precision >= 0.75
    assert reached / 100 == choice.coverage
    lower = max(c for c in confidences if c < choice.threshold)
    below, _ = precision_at(confidences, right, lower)
    assert below is not None and below < 0.75


def test_a_lower_target_codes_more() -> None:
    confidences, right = _judged()
    strict = choose_threshold(confidences, right, 0.85, fallback=0.35, basis=HELD_OUT)
    loose = choose_threshold(confidences, right, 0.6, fallback=0.35, basis=HELD_OUT)
    assert loose.threshold < strict.threshold
    assert (loose.coverage or 0) > (strict.coverage or 0)


def test_a_target_nothing_meets_gives_the_most_precise_threshold_and_says_so() -> None:
    confidences, right = _judged()
    choice = choose_threshold(confidences, right, 0.99, fallback=0.35, basis=DECISIONS)
    assert choice.expected_precision is not None and choice.expected_precision < 0.99
    assert choice.threshold > 0.7


def test_too_few_judgements_keep_the_fallback() -> None:
    choice = choose_threshold([0.9] * 5, [True] * 5, 0.75, fallback=0.35, basis=HELD_OUT)
    assert (choice.threshold, choice.expected_precision, choice.basis) == (0.35, None, DEFAULT)


def test_a_few_lucky_confident_items_do_not_set_the_threshold() -> None:
    # The top 5 are all right, the rest are a coin toss: 5 is fewer than the 10 needed.
    confidences = [0.99 - 0.01 * i for i in range(60)]
    right = [True] * 5 + [i % 2 == 0 for i in range(55)]
    choice = choose_threshold(confidences, right, 0.95, fallback=0.35, basis=HELD_OUT)
    assert choice.threshold < 0.94


def test_thresholds_stay_within_bounds_and_ties_go_together() -> None:
    confidences = [0.1] * 40 + [0.5] * 40
    right = [True] * 80
    choice = choose_threshold(confidences, right, 0.75, fallback=0.35, basis=HELD_OUT)
    assert choice.threshold == 0.5  # 0.1 is below the lowest allowed threshold
    assert choice.coverage == 0.5


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValueError):
        choose_threshold([0.5], [True, False], 0.75, fallback=0.35, basis=HELD_OUT)
    with pytest.raises(ValueError):
        choose_threshold([0.5], [True], 1.5, fallback=0.35, basis=HELD_OUT)


BOOK = Codebook(
    id="services",
    title="Public services",
    description="Tiny framework for tests.",
    version="1",
    codes=(
        Code("housing", "Housing", "Homes, rent, repairs and damp."),
        Code("transport", "Transport", "Buses, trains and roads."),
        Code("parks", "Parks", "Parks, trees and play areas."),
    ),
)
WORDS = {
    "housing": ["rent", "damp", "repairs", "landlord", "flat", "mould"],
    "transport": ["bus", "train", "road", "potholes", "timetable", "station"],
    "parks": ["park", "trees", "playground", "bench", "grass", "pond"],
}


def _labelled(n: int) -> tuple[list[str], list[str]]:
    rng = np.random.default_rng(0)
    texts, labels = [], []
    for i in range(n):
        code = list(WORDS)[int(rng.integers(3))]
        # Mostly the code's own words; one in five items mixes in another code's.
        other = WORDS[list(WORDS)[(i + 1) % 3]]
        words = list(rng.choice(WORDS[code], size=3)) + (
            list(rng.choice(other, size=2)) if i % 5 == 0 else []
        )
        texts.append(" ".join(words))
        labels.append(code)
    return texts, labels


def test_a_trained_coder_gets_a_threshold_from_its_held_out_labels() -> None:
    texts, labels = _labelled(90)
    coder = FrameworkCoder(BOOK, embedder=TfidfEmbedder(), explain=False).fit(texts, labels)
    assert coder.held_out_ is not None and len(coder.held_out_[0]) == 90
    choice = choose_for(coder, target=0.75)
    assert choice.basis == HELD_OUT
    assert choice.expected_precision is not None and choice.expected_precision >= 0.75
    # A threshold the user asked for is kept, with its precision measured the same way.
    asked = choose_for(coder, threshold=0.5, target=0.75)
    assert asked.threshold == 0.5 and asked.basis == HELD_OUT


def test_people_decisions_set_a_codebook_only_coders_threshold() -> None:
    coder = FrameworkCoder(BOOK, embedder=TfidfEmbedder(), explain=False).fit(["a bus"])
    assert coder.held_out_ is None
    confidences, right = _judged()
    choice = choose_for(coder, decisions=(confidences, right), target=0.6)
    assert choice.basis == DECISIONS
    assert choice.expected_precision is not None and choice.expected_precision >= 0.6
    unmeasured = choose_for(coder, target=0.6)
    assert unmeasured.threshold == coder.threshold
