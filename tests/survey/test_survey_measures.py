"""Stable measure ids from published headers, codes and question texts."""

from __future__ import annotations

from pathlib import Path

import pytest

from upstream.survey.measures import canonical_code, match_measure, split_code
from upstream.survey.published import choose_files
from upstream.survey.tables import question_texts_in, read_score_tables


@pytest.mark.parametrize(
    ("header", "year", "measure", "kind"),
    [
        ("Employee engagement index", 2009, "EES", "index"),
        ("Employee Engagement Index", 2019, "EES", "index"),
        ("EES", 2016, "EES", "index"),
        ("Engagement index", 2020, "EES", "index"),
        ("My work theme score (B01-B05)", 2009, "MW", "theme"),
        ("mw_ts", 2016, "MW", "theme"),
        ("My line manager theme score (B09-B18 average)", 2010, "LM", "theme"),
        ("Organisational objectives and purpose1", 2017, "OP", "theme"),
        ("Leadership \nand managing change", 2019, "LMC", "theme"),
        ("lc_ts", 2016, "LMC", "theme"),
        ("Response rate", 2013, "RR", "response_rate"),
        ("Proxy Stress Index", 2018, "HSE", "index"),
        ("PERMA Index", 2019, "PERMA", "index"),
    ],
)
def test_named_measures(header: str, year: int, measure: str, kind: str) -> None:
    match = match_measure(header, year=year)
    assert match is not None
    assert (match.measure, match.kind) == (measure, kind)


def test_question_text_wins_over_the_code() -> None:
    # 2009's B07 is today's B06; the text says so whatever the number.
    header = "B07. I have a clear understanding of [my organisation's] objectives (% agree)"
    match = match_measure(header, year=2009)
    assert match is not None
    assert (match.measure, match.code, match.rule) == ("B06", "B07", "text")
    assert match.label.startswith("I have a clear understanding")


def test_legacy_codes_are_renumbered_without_text() -> None:
    expected = {"B01": "B01", "B07": "B06", "B31": "B29", "B41": "B38", "B57": "B53"}
    for code, measure in expected.items():
        match = match_measure(code, year=2016)
        assert match is not None and match.measure == measure, code
    dropped = match_measure("B06", year=2012)
    assert dropped is not None and dropped.measure == "X_PURPOSE"
    assert match_measure("B62", year=2011).measure == "B62_2011"  # type: ignore[union-attr]


def test_current_and_future_codes_keep_their_number() -> None:
    for year in (2019, 2020, 2031):
        match = match_measure("B47", year=year)
        assert match is not None and match.measure == "B47"
    new = match_measure("B61a", year=2031)
    assert new is not None and (new.measure, new.rule) == ("B61A", "published code")


def test_low_anxiety_share_is_a_different_measure() -> None:
    old = match_measure("W04. Overall, how anxious did you feel yesterday? (% rating 0-3)")
    new = match_measure("W04", text="How anxious did you feel yesterday? (% 6-10)")
    assert old is not None and old.measure == "W04_LOW"
    assert new is not None and new.measure == "W04"


def test_published_ids_normalise_to_stable_ids() -> None:
    assert canonical_code("E01_yes") == "E01"
    assert canonical_code("E06_A_yes") == "E06_A"
    assert canonical_code("HSE_index") == "HSE"
    assert canonical_code("lc_ts") == "LMC"
    assert canonical_code("C01_1") == "C01_1"
    assert split_code("C01_2.I want to leave") == ("C01_2", "I want to leave")


def test_headers_that_are_not_measures() -> None:
    for header in ("Organisation", "Departmental grouping", "2019", "Table 1: Engagement index"):
        assert match_measure(header) is None


@pytest.mark.shared_data
def test_code_rules_agree_with_question_texts_every_year(csps_root: Path) -> None:
    """Where a year's codes can be read both ways, the code rules give the text's answer."""
    for year, path in choose_files([csps_root]):
        texts: dict[str, str] = {}
        for sibling in path.parent.iterdir():
            if sibling.suffix in {".xlsx", ".ods"}:
                texts.update(question_texts_in(sibling))
        read = read_score_tables(path, year=year, texts=texts)
        for table in read.tables:
            for match in table.measures:
                if match.rule != "text" or not match.code or "_" in match.code:
                    continue
                by_code = match_measure(match.code, year=year)
                assert by_code is not None
                assert by_code.measure == match.measure, (year, match.code, match.label)
