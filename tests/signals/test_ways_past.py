"""The rules for a way past a barrier: same topic, opposite direction, sure codes."""

from __future__ import annotations

import numpy as np

from upstream.signals import CodedItem, build_patterns
from upstream.signals.dbe import topic_pairs

TITLES = {
    "barrier": "Barrier to change",
    "enabler": "Enabler of change",
    "barrier.funding": "Funding and financial pressure",
    "enabler.pooled_budgets": "Pooled or flexible budgets",
    "enabler.permission": "Permission to experiment",
}
PAIRS = {"barrier.funding": ["enabler.pooled_budgets"]}
# Two dimensions: "money" and "trying things". Every item is about money.
MONEY = np.array([1.0, 0.0], dtype=np.float32)


def _patterns(items: list[CodedItem], **options: object) -> list[tuple[str, str, str, int]]:
    vectors = np.vstack([MONEY] * len(items))
    found = build_patterns(items, titles=TITLES, links=PAIRS, vectors=vectors, **options)  # type: ignore[arg-type]
    return [(e.organisation, e.barrier, e.enabler, e.quotes[0][0]) for e in found.peer_enablers]


def test_the_codebook_pairs_barriers_and_enablers_that_name_each_other() -> None:
    pairs = topic_pairs()
    assert pairs["barrier.funding"] == ["enabler.pooled_budgets"]
    assert pairs["barrier.data_sharing"] == ["enabler.shared_data"]
    assert pairs["barrier.risk_aversion"] == ["enabler.permission"]
    # Every barrier has an enabler on its subject, so every barrier can have a way past.
    assert pairs["barrier.procurement"] == ["enabler.simpler_commissioning"]
    assert all(len(enablers) == 1 for enablers in pairs.values())


def test_a_peer_s_enabler_on_the_barrier_s_topic_is_a_way_past() -> None:
    items = [
        CodedItem(1, "A", "No money for prevention", ("barrier.funding",)),
        CodedItem(2, "B", "The pooled budget with health", ("enabler.pooled_budgets",)),
    ]
    assert _patterns(items) == [("A", "barrier.funding", "enabler.pooled_budgets", 2)]


def test_an_enabler_off_the_barrier_s_topic_is_not() -> None:
    items = [
        CodedItem(1, "A", "No money for prevention", ("barrier.funding",)),
        CodedItem(2, "B", "Permission to fail", ("enabler.permission",)),
    ]
    assert _patterns(items) == []


def test_a_barrier_a_repeat_or_the_bare_barrier_code_is_never_a_way_past() -> None:
    items = [
        CodedItem(1, "A", "No money for prevention", ("barrier.funding", "barrier")),
        CodedItem(2, "B", "The grant ran out", ("barrier.funding",)),
        CodedItem(
            3,
            "C",
            "Pooled budget, but it is being cut",
            ("enabler.pooled_budgets", "barrier.funding"),
        ),
        CodedItem(4, "D", "Something helped", ("enabler",)),
    ]
    # Item 3 is coded a barrier too; nobody answers the bare "Barrier to change".
    assert _patterns(items) == []


def test_only_codes_a_person_checked_or_the_machine_was_sure_of_count() -> None:
    items = [
        CodedItem(1, "A", "No money for prevention", ("barrier.funding",)),
        CodedItem(2, "B", "The pooled budget", ("enabler.pooled_budgets",), confident=()),
        CodedItem(
            3,
            "C",
            "One shared budget",
            ("enabler.pooled_budgets",),
            confident=("enabler.pooled_budgets",),
        ),
    ]
    assert _patterns(items) == [("A", "barrier.funding", "enabler.pooled_budgets", 3)]


def test_a_way_past_that_shares_the_barrier_s_words_is_offered() -> None:
    # A paired barrier and enabler share their subject's words ("data sharing
    # agreement"), so words cannot tell them apart: the coder's codes decide.
    items = [
        CodedItem(
            1,
            "A",
            "The data sharing agreement is stuck with the lawyers",
            ("barrier.data_sharing",),
        ),
        CodedItem(
            2, "B", "One data sharing agreement, reused for every project", ("enabler.shared_data",)
        ),
    ]
    vectors = np.array([[1.0, 0.0], [0.9, 0.4359]], dtype=np.float32)
    titles = {
        "barrier.data_sharing": "Data sharing difficulties",
        "enabler.shared_data": "Shared data and insight",
    }
    found = build_patterns(items, titles=titles, links=topic_pairs(), vectors=vectors)
    assert [(e.peer, e.enabler, e.quotes[0][0]) for e in found.peer_enablers] == [
        ("B", "enabler.shared_data", 2)
    ]


def test_a_quote_that_says_the_enabler_is_missing_is_not_a_way_past() -> None:
    # Same vectors for all: only the words tell "still no pooled budget" apart.
    items = [
        CodedItem(1, "A", "No money for prevention", ("barrier.funding",)),
        CodedItem(2, "B", "Still no pooled budget with health", ("enabler.pooled_budgets",)),
        CodedItem(3, "C", "Our pooled budget with health works", ("enabler.pooled_budgets",)),
    ]
    assert _patterns(items) == [("A", "barrier.funding", "enabler.pooled_budgets", 3)]


def test_says_missing_reads_a_negation_before_the_enabler_s_own_words() -> None:
    from upstream.signals.patterns import says_missing

    title = "Shared data and insight"
    assert says_missing("Still no shared data with health.", title)
    assert says_missing("We work without any data from the NHS", title)
    assert not says_missing("Once the data sharing agreement was signed, we could see", title)
    assert not says_missing("Data shared because people needed help, not because a form", title)


def test_a_peer_asking_for_the_enabler_shows_no_way_past() -> None:
    items = [
        CodedItem(1, "A", "No money for prevention", ("barrier.funding",)),
        CodedItem(2, "B", "Make the neighbourhood budgets permanent", ("enabler.pooled_budgets",)),
        CodedItem(3, "C", "Pooled pots, quick decisions: the ask", ("enabler.pooled_budgets",)),
        # A board column that asks what to do differently: its notes are wishes.
        CodedItem(
            4, "D", "Fewer, longer grants from one pot", ("enabler.pooled_budgets",),
            prompt="Do differently",
        ),
        CodedItem(
            5, "E", "Each neighbourhood has a pooled budget of about £400k",
            ("enabler.pooled_budgets",), prompt="What has helped?",
        ),
    ]  # fmt: skip
    assert _patterns(items) == [("A", "barrier.funding", "enabler.pooled_budgets", 5)]
