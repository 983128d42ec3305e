"""Organisation names: normalisation, matching, the reviewable mapping file, group rows."""

from __future__ import annotations

from pathlib import Path

from upstream.survey.orgnames import (
    OrganisationMatcher,
    OrgMatch,
    aggregate_names,
    normalise_name,
    read_mapping,
    write_mapping,
)


def test_normalisation() -> None:
    assert normalise_name("HM Revenue & Customs") == normalise_name("HM Revenue and Customs")
    assert normalise_name("Dept. for Education (DfE)") == normalise_name("Department of Education")
    assert normalise_name("The Planning Inspectorate") == normalise_name("Planning Inspectorate")
    assert normalise_name("Her Majesty's Treasury") == "hm treasury"
    assert normalise_name("Home Office (HQ)") != normalise_name("Home Office")


def test_matching_methods_in_order() -> None:
    matcher = OrganisationMatcher(
        known=["HM Revenue and Customs", "Office for National Statistics"]
    )
    matches = matcher.match_year(
        [
            ("HM Revenue & Customs", ""),
            ("Office of National Statistics", ""),
            ("Brand New Agency", "BNA"),
        ],
        2015,
    )
    assert [(m.canonical_name, m.method) for m in matches] == [
        ("HM Revenue and Customs", "normalised"),
        ("Office for National Statistics", "fuzzy"),
        ("Brand New Agency", "new"),
    ]
    # A later year finds the organisation by its code even under a new name.
    renamed = matcher.match_year([("Brand Renewed Agency", "BNA")], 2014)
    assert (renamed[0].canonical_name, renamed[0].method) == ("Brand New Agency", "code")


def test_fuzzy_matching_respects_scope_and_one_name_per_year() -> None:
    matcher = OrganisationMatcher(known=["Ministry of Justice (including agencies)"])
    (scoped,) = matcher.match_year([("Ministry of Justice (excluding agencies)", "")], 2012)
    assert scoped.method == "new"
    matcher = OrganisationMatcher(known=["Tribunals Service"])
    first, second = matcher.match_year([("Tribunals Service", ""), ("Tribunal Service", "")], 2010)
    assert first.method == "exact"
    assert second.method == "new"  # the canonical name is already taken this year


def test_parent_prefixes_are_known() -> None:
    matcher = OrganisationMatcher(known=[])
    matcher.match_year([("Home Office: Border Force", "")], 2016)
    (unit,) = matcher.match_year([("Border Force", "")], 2012)
    assert (unit.canonical_name, unit.method) == ("Home Office: Border Force", "normalised")


def test_mapping_round_trip_and_manual_overrides(tmp_path: Path) -> None:
    path = tmp_path / "mapping.csv"
    rows = [
        OrgMatch("=Evil Corp", 2019, "=Evil Corp", 100.0, "new"),
        OrgMatch("Dept of Things", 2019, "Department of Things", 96.0, "fuzzy"),
    ]
    write_mapping(path, rows)
    text = path.read_text(encoding="utf-8-sig")
    assert text.splitlines()[0] == "raw_name,year,canonical_name,score,method"
    assert "'=Evil Corp" in text  # a spreadsheet will not run it as a formula
    assert read_mapping(path) == sorted(rows, key=lambda m: m.canonical_name)
    # A reviewer merges two names for every year by leaving the year blank.
    path.write_text(
        "raw_name,year,canonical_name\nThings Office,,Department of Things\n", encoding="utf-8"
    )
    overrides = read_mapping(path)
    matcher = OrganisationMatcher(known=["Department of Things"], overrides=overrides)
    (merged,) = matcher.match_year([("Things Office", "")], 2020)
    assert (merged.canonical_name, merged.method) == ("Department of Things", "manual")


def test_group_rows_are_found_only_beside_their_parts() -> None:
    names = [
        "Home Office group (combined results)",
        "Home Office: Border Force",
        "Ministry of Justice (including agencies)",
        "Ministry of Justice (HQ)",
        "UK Statistics Authority (including ONS)",
        "Office for National Statistics",
        "Defence Support Group",
        "Department for Work and Pensions (including Jobcentre Plus)",
    ]
    assert aggregate_names(names) == {
        "Home Office group (combined results)",
        "Ministry of Justice (including agencies)",
        "UK Statistics Authority (including ONS)",
    }
    assert aggregate_names(["UK Statistics Authority (including ONS)", "HM Treasury"]) == set()
