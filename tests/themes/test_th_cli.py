"""The ``upstream themes`` command contract, on a throwaway Typer app."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from upstream.cli.themes import themes
from upstream.themes.labels import OTHER_DESCRIPTION, OTHER_LABEL
from upstream.workflows.ingest import DEFAULT_WORKSPACE

runner = CliRunner()


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    cli = typer.Typer()
    cli.command("themes")(themes)
    cli.command("other")(lambda: None)  # a second command keeps "themes" as a sub-command
    return cli


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def replies_file(tmp_path_factory, replies) -> Path:
    path = tmp_path_factory.mktemp("input") / "replies.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ref", "answer", "ward"])
        for row in replies[:120]:
            writer.writerow([row["reply_id"], row["text"], row["ward"]])
        writer.writerow(["EMPTY-1", "", "Wrenfield"])  # no text: kept, theme -1
        writer.writerow(["FORMULA-1", '=HYPERLINK("http://x") more buses please', "Wrenfield"])
    return path


def test_one_row_per_input_row_in_order(app, replies_file, tmp_path):
    out, summary = tmp_path / "out.csv", tmp_path / "themes.csv"
    result = runner.invoke(
        app,
        [
            "themes",
            str(replies_file),
            "--output",
            str(out),
            "--summary",
            str(summary),
            "--text-column",
            "answer",
            "--id-column",
            "ref",
            "--themes",
            "5",
            "--seed",
            "3",
            "--embedder",
            "tfidf",
        ],
    )
    assert result.exit_code == 0, result.output
    found = re.search(r"Found (\d+) themes in 122 rows", result.output)
    assert found is not None and 2 <= int(found.group(1)) <= 5, result.output
    # A theme divided into sub-themes says what it holds, with sizes.
    assert re.search(r"^ +holds: .+ \(\d+\)", result.output, re.MULTILINE), result.output
    rows = _read(out)
    # Spam, abuse and off-topic replies are set aside first, as in the web app and the demo.
    aside = [r for r in rows if r["theme_label"].startswith("set aside as spam")]
    assert aside and all(r["theme"] == "-1" for r in aside)
    assert list(rows[0]) == ["id", "theme", "theme_label"]
    source = _read(replies_file)
    assert [r["id"] for r in rows] == [r["ref"] for r in source]
    # Themes are numbered from 1, as the web app shows them ("Theme 1"); -1 is none.
    numbers = {int(r["theme"]) for r in rows}
    assert -1 in numbers and numbers - {-1} == set(range(1, int(found.group(1)) + 1))
    assert rows[-2]["theme"] == "-1" and rows[-2]["theme_label"].startswith("no text")
    table = _read(summary)
    assert list(table[0]) == ["theme", "label", "size", "description", "keywords", "quotes"]
    described = [r for r in table if r["theme"] != "-1"]
    for row in described:
        if row["label"] == OTHER_LABEL:
            # The one theme of mixed subjects says so instead of naming a phrase.
            assert row["description"] == OTHER_DESCRIPTION
            continue
        assert " items mention “" in row["description"]
        # The description names the label's (first) phrase.
        assert row["label"].lower().split(" and ")[0] in row["description"].lower()
    counted = {r["theme"]: int(r["size"]) for r in table}
    assert sum(counted.values()) == 122 and counted["-1"] >= 1
    assert set(counted) == {str(n) for n in numbers}, "the two files number themes alike"
    # The command line prints the same numbers beside the names.
    for row in described[:3]:
        assert re.search(rf"^ +{row['theme']}  {re.escape(row['label'])}  \(", result.output, re.M)
    assert all(1 <= len(r["quotes"].split(" | ")) <= 5 for r in table if r["theme"] != "-1")
    # No cell starts like a spreadsheet formula.
    for path in (out, summary):
        for line in _read(path):
            assert not any(v.startswith(("=", "+", "@")) for v in line.values())
            assert not any(v.startswith("-") and v != "-1" for v in line.values())


def test_same_seed_same_output(app, replies_file, tmp_path):
    outputs = []
    for name in ("a.csv", "b.csv"):
        out = tmp_path / name
        args = [
            "themes",
            str(replies_file),
            "--output",
            str(out),
            "--seed",
            "1",
            "--embedder",
            "tfidf",
        ]
        assert runner.invoke(app, args).exit_code == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_with_a_store_rows_are_kept_and_the_run_recorded(app, replies_file, tmp_path):
    db = tmp_path / "store.db"
    out = tmp_path / "out.csv"
    args = [
        "themes",
        str(replies_file),
        "--output",
        str(out),
        "--id-column",
        "ref",
        "--db",
        str(db),
        "--embedder",
        "tfidf",
    ]
    for _ in range(2):  # a second run re-imports nothing and re-applies the same settings
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
    assert len(_read(out)) == 122
    from upstream.store import Store
    from upstream.store.theme_repository import ThemeStore

    with Store(db) as store:
        space = store.workspace(DEFAULT_WORKSPACE)
        assert space.item_count() == 121
        runs = [r for r in ThemeStore(space).runs.runs(kind="themes")]
        assert len(runs) == 2 and runs[0].summary["clusters_from_previous_run"] is True


def test_with_a_store_the_file_s_own_ids_are_kept_without_being_named(app, replies, tmp_path):
    # The web app's quotes name a reply by its reference ("R-0042") only when the
    # item keeps it: a file with a "reply_id" column need not say --id-column.
    source = tmp_path / "replies.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["reply_id", "text"])
        for row in replies[:40]:
            writer.writerow([row["reply_id"], row["text"]])
    db, out = tmp_path / "store.db", tmp_path / "out.csv"
    args = ["themes", str(source), "--output", str(out), "--db", str(db), "--embedder", "tfidf"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "ids in 'reply_id'" in result.output
    assert [r["id"] for r in _read(out)] == [r["reply_id"] for r in replies[:40]]
    from upstream.store import Store

    with Store(db) as store:
        kept = {item.text: item.external_id for item in store.workspace(DEFAULT_WORKSPACE).items()}
    assert {kept[r["text"]] for r in replies[:40]} == {r["reply_id"] for r in replies[:40]}
    # A file imported before without its references stays one source, read as it was;
    # the answer still names each row by the file's own id.
    other = tmp_path / "other.db"
    from upstream.workflows.ingest import ImportOptions, import_file

    with Store(other) as store:
        import_file(store, source, ImportOptions())  # as `upstream import` reads it
    again = runner.invoke(app, [*args[:-4], "--db", str(other), "--embedder", "tfidf"])
    assert again.exit_code == 0, again.output
    assert [r["id"] for r in _read(out)] == [r["reply_id"] for r in replies[:40]]
    with Store(other) as store:
        space = store.workspace(DEFAULT_WORKSPACE)
        assert len(space.sources()) == 1 and not any(i.external_id for i in space.items())


def test_plain_errors(app, tmp_path):
    missing = runner.invoke(app, ["themes", str(tmp_path / "nope.csv"), "--output", "x.csv"])
    assert missing.exit_code != 0
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    result = runner.invoke(
        app, ["themes", str(bad), "--output", str(tmp_path / "o.csv"), "--text-column", "answer"]
    )
    assert result.exit_code == 1 and "answer" in result.output
    helped = runner.invoke(app, ["themes", "--help"])
    for option in (
        "--output",
        "--text-column",
        "--id-column",
        "--themes",
        "--seed",
        "--summary",
        "--db",
    ):
        assert option in helped.output


def test_weight_columns_size_themes_by_engagement(app, replies, tmp_path):
    source = tmp_path / "liked.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["reply_id", "text", "likes", "reposts"])
        for row in replies[:100]:
            writer.writerow([row["reply_id"], row["text"], row["likes"], row["reposts"]])
    out, summary = tmp_path / "out.csv", tmp_path / "themes.csv"
    result = runner.invoke(
        app,
        [
            "themes",
            str(source),
            "--output",
            str(out),
            "--summary",
            str(summary),
            "--weight-column",
            "likes",
            "--weight-column",
            "reposts",
            "--id-column",
            "reply_id",
            "--embedder",
            "tfidf",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Largest by engagement" in result.output
    table = [r for r in _read(summary) if r["theme"] != "-1"]
    assert list(table[0])[-3:] == ["engagement_size", "likes", "reposts"]
    members: dict[str, list[str]] = {}
    for row in _read(out):
        members.setdefault(row["theme"], []).append(row["id"])
    by_id = {r["reply_id"]: r for r in replies[:100]}
    for theme in table:
        ids = members[theme["theme"]]
        likes = sum(int(by_id[i]["likes"] or 0) for i in ids)
        reposts = sum(int(by_id[i]["reposts"] or 0) for i in ids)
        assert int(theme["likes"]) == likes and int(theme["reposts"]) == reposts
        # Each item counts once for being said, plus once per like and repost.
        assert int(theme["engagement_size"]) == len(ids) + likes + reposts
    # The printed list puts the theme people engaged with most first.
    shown = re.findall(r"^\s+(\d+)  .*likes and other reactions on them", result.output, re.M)
    top = max(table, key=lambda r: int(r["engagement_size"]))
    assert shown[0] == top["theme"]


def test_min_engagement_themes_only_the_replies_people_engaged_with(app, replies, tmp_path):
    source = tmp_path / "liked.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["reply_id", "text", "likes"])
        for row in replies[:100]:
            writer.writerow([row["reply_id"], row["text"], row["likes"]])
    out = tmp_path / "out.csv"
    base = ["themes", str(source), "--output", str(out), "--id-column", "reply_id"]
    refused = runner.invoke(app, [*base, "--embedder", "tfidf", "--min-engagement", "20"])
    assert refused.exit_code != 0 and "--weight-column" in refused.output
    result = runner.invoke(
        app,
        [*base, "--embedder", "tfidf", "--weight-column", "likes", "--min-engagement", "20"],
    )
    assert result.exit_code == 0, result.output
    likes = {r["reply_id"]: int(r["likes"] or 0) for r in replies[:100]}
    rows = _read(out)
    assert len(rows) == 100  # every row is answered, themed or not
    quiet = [r for r in rows if r["theme_label"].startswith("below the engagement threshold")]
    assert {r["id"] for r in quiet} == {i for i, n in likes.items() if n < 20} - {
        r["id"] for r in rows if r["theme_label"].startswith("set aside as spam")
    }
    assert all(likes[r["id"]] >= 20 for r in rows if r["theme"] != "-1")
    # Each reason a row has no theme is counted apart, not run together.
    said = " ".join(result.output.split())
    assert f"{len(quiet)} had fewer likes and other reactions than asked for" in said
    assert "have theme -1: " in said


def test_themes_are_counted_and_ranked_by_the_people_who_wrote_them(app, replies, tmp_path):
    source = tmp_path / "named.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["reply_id", "respondent", "text"])
        for row in replies[:100]:
            writer.writerow([row["reply_id"], row["respondent"], row["text"]])
    out, summary = tmp_path / "out.csv", tmp_path / "themes.csv"
    base = ["themes", str(source), "--output", str(out), "--summary", str(summary)]
    base += ["--id-column", "reply_id", "--embedder", "tfidf", "--seed", "1"]
    result = runner.invoke(app, [*base, "--respondent-column", "Respondent", "--rank-by", "people"])
    assert result.exit_code == 0, result.output
    assert "Largest by people" in result.output
    table = [r for r in _read(summary) if r["theme"] != "-1"]
    assert list(table[0])[:4] == ["theme", "label", "size", "people"]
    author = {r["reply_id"]: r["respondent"] for r in replies[:100]}
    members: dict[str, set[str]] = {}
    for row in _read(out):
        members.setdefault(row["theme"], set()).add(author[row["id"]])
    for theme in table:
        assert int(theme["people"]) == len(members[theme["theme"]])
    # The printed list puts the theme most people wrote in first ("Other" stays last).
    listed = re.findall(r"^\s+(\d+)  .* items from (\d+) people", result.output, re.M)
    counts = [int(n) for number, n in listed if number != _other(table)]
    assert listed and counts == sorted(counts, reverse=True)

    refused = runner.invoke(app, [*base, "--rank-by", "votes"])
    assert refused.exit_code != 0
    said = " ".join(re.sub(r"[│╭╮╰╯─]", " ", refused.output).split())
    assert "--rank-by must be one of items, people, organisations, engagement" in said


def _other(table: list[dict[str, str]]) -> str:
    return next((r["theme"] for r in table if r["label"] == OTHER_LABEL), "")


def test_without_authors_people_are_not_counted_or_ranked(app, replies_file, tmp_path):
    out, summary = tmp_path / "out.csv", tmp_path / "themes.csv"
    result = runner.invoke(
        app,
        [
            "themes", str(replies_file), "--output", str(out), "--summary", str(summary),
            "--text-column", "answer", "--id-column", "ref", "--embedder", "tfidf",
            "--rank-by", "people",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "does not say who wrote it: themes are listed by items" in result.output
    assert not re.search(r"items from \d+ (people|person)", result.output)
    assert "people" not in _read(summary)[0]


def test_redact_themes_a_file_as_the_import_wizard_reads_it(app, tmp_path):
    # The web app's import wizard replaces personal details unless told not to;
    # --redact reads a file's rows the same way, so the same replies give the same themes.
    rows = [
        ["Potholes on Canal Road again, email jo.bloggs@example.com for photos"],
        ["The potholes are dangerous for cyclists"],
        ["Fix the potholes before winter"],
        ["More buses to the hospital please"],
        ["The bus never comes on time"],
        ["Buses after 7pm would help"],
    ]
    source = tmp_path / "replies.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["reply"], *rows])
    db = tmp_path / "store.db"
    out = tmp_path / "out.csv"
    args = ["themes", str(source), "--output", str(out), "--embedder", "hashing", "--db", str(db)]
    result = runner.invoke(app, [*args, "--redact"])
    assert result.exit_code == 0, result.output
    from upstream.store import Store

    with Store(str(db)) as store:
        texts = [item.text for item in store.workspace(DEFAULT_WORKSPACE).items()]
    assert any("[EMAIL]" in text for text in texts)
    assert not any("jo.bloggs" in text for text in texts)
    # --redact says how to read a file: stored evidence keeps what its import read.
    stored = runner.invoke(app, ["themes", "--db", str(db), "--output", str(out), "--redact"])
    assert stored.exit_code != 0 and "--redact says how to read a file" in stored.output
