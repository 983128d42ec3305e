"""Most-cited names and links: counted once per item and per person, with their themes."""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner

from upstream.cli import app
from upstream.themes.citations import cited_in, most_cited

TEXTS = [
    "We copied Buurtzorg: self-managing teams. See https://www.buurtzorg.com/about/ for more.",
    "Buurtzorg again - and Buurtzorg is cited twice in this one item.",
    "Human Learning Systems changed how we commission; read www.humanlearning.systems",
    "I liked the Human Learning Systems report, https://humanlearning.systems.",
    "On Monday the NHS team met us in Leeds.",
    "Call me on LK7 2RW if you want to know more.",
    "Nothing cited here at all.",
]


def test_links_are_keyed_without_scheme_or_www_and_names_by_their_capitals() -> None:
    found = cited_in(TEXTS[0])
    assert ("link", "buurtzorg.com/about") in found
    assert ("name", "buurtzorg") in found
    assert found[("name", "buurtzorg")] == "Buurtzorg"
    assert ("name", "monday") not in cited_in(TEXTS[4])  # the calendar is not a citation
    assert ("name", "nhs") in cited_in(TEXTS[4]) and ("name", "leeds") in cited_in(TEXTS[4])
    assert not cited_in(TEXTS[5])  # a postcode's letters are not a name
    assert not cited_in(TEXTS[6])


def test_counts_are_per_item_and_per_person_with_the_themes_that_cite() -> None:
    labels = [0, 0, 1, 1, -1, -1, 2]
    people = ["ann", "ann", "bob", "cy", None, None, "dee"]
    found = {c.text: c for c in most_cited(TEXTS, labels, people)}
    buurtzorg = found["Buurtzorg"]
    assert (buurtzorg.items, buurtzorg.people) == (2, 1)  # twice in one item counts once
    assert buurtzorg.themes == ((0, 2),)
    hls = found["Human Learning Systems"]
    assert (hls.items, hls.people, hls.themes) == (2, 2, ((1, 2),))
    assert found["humanlearning.systems"].kind == "link"
    assert found["humanlearning.systems"].items == 2
    # Ranked by people first: two people cite the approach, one person Buurtzorg.
    ranked = [c.text for c in most_cited(TEXTS, labels, people)]
    assert ranked.index("Human Learning Systems") < ranked.index("Buurtzorg")
    assert "NHS" not in found  # cited by one item only


def test_the_themes_command_writes_the_most_cited(tmp_path: Path) -> None:
    source = tmp_path / "replies.csv"
    rows = [
        "Bring back a youth club like the one in Kingsford",
        "The youth club in Kingsford is the heart of that estate",
        "Copy the Kingsford youth club please",
        "More buses to the hospital",
        "The 47 bus is never on time",
        "Buses after 7pm please",
        "Fix the potholes on Canal Road",
        "Potholes everywhere, Canal Road is the worst",
        "The potholes on our road are dangerous",
    ]
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text"])
        writer.writerows([[r] for r in rows])
    cited = tmp_path / "cited.csv"
    result = CliRunner().invoke(
        app,
        ["themes", str(source), "--output", str(tmp_path / "out.csv"), "--embedder", "hashing",
         "--cited", str(cited)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    # Nobody is known to have written more than one row: rows are counted, not people.
    assert "Cited most: Kingsford (3 items)" in result.output
    with cited.open(encoding="utf-8-sig") as handle:
        table = list(csv.DictReader(handle))
    assert table[0]["cited"] == "Kingsford" and table[0]["items"] == "3"
    assert table[0]["people"] == ""
    # A street is where something is, not something cited.
    assert {row["cited"] for row in table} == {"Kingsford"}
    assert table[0]["example"] in rows


def test_redaction_placeholders_are_not_counted_as_names() -> None:
    from upstream.evidence.redact import redact

    text, _ = redact("Ring 07700 900123 or email jo.bloggs@example.com about the Buurtzorg pilot")
    found = {key for kind, key in cited_in(text) if kind == "name"}
    assert found == {"buurtzorg"}
    placeholders = {key for _, key in cited_in("[PHONE] [EMAIL] POSTCODE")}
    assert not {"phone", "email", "postcode"} & placeholders


def test_the_first_person_is_never_a_name_anyone_cites() -> None:
    found = cited_in("Honestly I'm tired, and I've asked twice, but OK, I'll ask Leeds again.")
    assert set(found) == {("name", "leeds")}


def test_streets_common_initialisms_and_hyphenated_words_as_people_write_them() -> None:
    text = (
        "Shoplifting is rife, I work in the Co-op on the High Street. The GP and the "
        "Environment Agency both said Station Road floods; the ASB is worse near Market Square. "
        "NO to the bypass AND no more houses"
    )
    found = {key for kind, key in cited_in(text) if kind == "name"}
    assert found == {"co-op", "environment agency"}
