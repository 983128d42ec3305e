"""Barriers the coder could place only broadly are said, so the named ones are not all."""

from __future__ import annotations

from datetime import UTC, datetime

from upstream.frameworks import load_codebook
from upstream.records.stored import RunRecord
from upstream.records.tallies import ItemFacts
from upstream.reports.analysis import patterns
from upstream.reports.evidence import Assigned, CodedEvidence
from upstream.reports.headlines import _pattern_lines, _placed_broadly


def _coded(broad: int, named: int) -> tuple[list[ItemFacts], CodedEvidence]:
    run = RunRecord(
        1, "coding", "finished", {"codebook": "dbe"}, {}, 0, {}, "a", datetime.now(UTC), None
    )
    items = [ItemFacts(i, 1, f"Org {i % 12}", None) for i in range(broad + named)]
    assigned = {
        i: [Assigned("barrier" if i < broad else "barrier.funding", 0.5, "machine")]
        for i in range(broad + named)
    }
    return items, CodedEvidence(load_codebook("dbe"), run, assigned)


def test_barriers_no_named_barrier_holds_are_counted_and_said() -> None:
    items, coded = _coded(broad=12, named=30)
    said = _placed_broadly(items, coded)
    assert said == (
        "A further 12 items are barriers the machine could not place under a named one, "
        "so they count under none of these."
    )
    lines = _pattern_lines(patterns(items, coded), None, said)
    assert lines[0].startswith("12 of 12 organisations name funding") and lines[1] == said


def test_fewer_than_10_such_items_are_not_counted_out() -> None:
    items, coded = _coded(broad=4, named=30)
    assert _placed_broadly(items, coded) == ""
