"""What `upstream code` writes beside each code: its title, a best guess, and why."""

from __future__ import annotations

from upstream.coding.results import CodingResult, Explanation, Neighbour
from upstream.frameworks import load_codebook
from upstream.workflows.coding_output import COLUMNS, output_values

BOOK = load_codebook("dbe")
CODE = "barrier.risk_aversion"


def _result(
    code: str | None, explanation: Explanation, best: tuple[str, float] | None = None
) -> CodingResult:
    codes = ((code, 0.6),) if code else ()
    return CodingResult(code, 0.6 if code else 0.2, codes, (code,) if code else (), 0.1,
                        explanation, best)  # fmt: skip


def test_a_coded_row_says_its_title_and_the_words_behind_it() -> None:
    explained = Explanation(terms=(("sacked", 0.4), ("always", 0.2)))
    row = dict(zip(COLUMNS, output_values("R1", _result(CODE, explained), BOOK), strict=True))
    assert row["title"] == BOOK.code(CODE).title and row["best_guess"] == ""
    assert row["why"] == "sacked; always" and row["codes"] == [CODE]


def test_without_words_the_closest_example_of_the_code_says_why() -> None:
    near = (
        Neighbour("codebook:x", "A culture that punishes mistakes.", 0.5, "barrier.other"),
        Neighbour("codebook:y", "Nobody gets sacked for the old way.", 0.4, CODE),
    )
    row = output_values("R2", _result(CODE, Explanation(neighbours=near)), BOOK)
    assert row[-1] == "like “Nobody gets sacked for the old way.”"


def test_an_uncoded_row_gives_its_best_guess_and_no_reason() -> None:
    explained = Explanation(terms=(("sacked", 0.4),))
    row = dict(
        zip(COLUMNS, output_values("R3", _result(None, explained, (CODE, 0.2)), BOOK), strict=True)
    )
    assert row["code"] is None and row["title"] == "" and row["why"] == ""
    assert row["best_guess"] == CODE
