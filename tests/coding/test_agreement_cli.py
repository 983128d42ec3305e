"""`upstream agreement` through the real command line, on files the tests write."""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

import openpyxl
import pytest
import typer
from typer.testing import CliRunner, Result

from upstream.cli.agreement import agreement
from upstream.coding.agreement.files import canonical

runner = CliRunner()
app = typer.Typer()
app.command("agreement")(agreement)


@app.callback()
def _root() -> None:
    """Throwaway app for the agreement command."""


HEADER = ["sentence", "worker", "code", "expert"]
ROWS = [
    ["s1", "ann", "4", "4.0"],
    ["s1", "bob", "4", ""],
    ["s1", "cat", "1", ""],
    ["s1", "bot", "4", ""],
    ["s2", "ann", "1", "1.0"],
    ["s2", "bob", "1", ""],
    ["s2", "cat", "1", ""],
    ["s2", "bot", "1", ""],
    ["s3", "ann", "1", ""],
    ["s3", "bob", "4", ""],
    ["s3", "cat", "4", ""],
    ["s3", "bot", "4", ""],
    ["s4", "ann", "=HYPERLINK()", ""],
    ["s4", "bob", "=HYPERLINK()", ""],
    ["s4", "bot", "1", ""],
]
OPTIONS = ["--item-column", "sentence", "--coder-column", "worker", "--label-column", "code"]


def write_csv(path: Path, rows: list[list[str]] = ROWS, delimiter: str = ",") -> Path:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wt", encoding="utf-8", newline="") as handle:  # type: ignore[operator]
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def said(result: Result) -> str:
    """The output with line wrapping undone, so assertions do not depend on the width."""
    return " ".join(result.output.split())


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_summary_and_tables(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "judgements.csv")
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        [
            "agreement",
            str(source),
            *OPTIONS,
            "--gold-column",
            "expert",
            "--machine-coder",
            "bot",
            "--min-items",
            "1",
            "--output",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "15 judgements of 4 items by 3 human coders" in said(result)
    assert "Krippendorff's α" in said(result)
    assert "The machine agrees with the human majority" in said(result)
    assert "Per code, machine vs gold" in said(result)
    names = {p.name for p in out.iterdir()}
    assert names == {
        "summary.csv",
        "pairwise_kappa.csv",
        "coder_vs_majority.csv",
        "per_code.csv",
        "confusion.csv",
        "majority_labels.csv",
    }
    coders = {row["coder"]: row for row in read_csv(out / "coder_vs_majority.csv")}
    assert coders["bot"]["machine"] == "yes"
    assert coders["ann"]["n_gold"] == "2"
    majority = {row["item"]: row for row in read_csv(out / "majority_labels.csv")}
    assert majority["s1"]["label"] == "4"
    # A label a spreadsheet would run as a formula is neutralised on the way out.
    assert majority["s4"]["label"] == "'=HYPERLINK()"
    summary = {row["measure"]: row for row in read_csv(out / "summary.csv")}
    assert summary["coders"]["value"] == "3"
    assert float(summary["percent_agreement"]["value"]) == pytest.approx(
        (1 / 3 + 1 + 1 / 3 + 1) / 4, abs=1e-6
    )


@pytest.mark.parametrize("name", ["judgements.tsv", "judgements.csv.gz", "judgements.txt"])
def test_reads_tsv_gzip_and_semicolons(tmp_path: Path, name: str) -> None:
    delimiter = "\t" if name.endswith(".tsv") else ";" if name.endswith(".txt") else ","
    source = write_csv(tmp_path / name, delimiter=delimiter)
    result = runner.invoke(app, ["agreement", str(source), *OPTIONS])
    assert result.exit_code == 0, result.output
    assert "15 judgements of 4 items" in said(result)


def test_reads_xlsx_with_numbers_as_cells(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for item, coder, label, gold in ROWS[:12]:
        sheet.append([int(item[1]), coder, float(label), float(gold) if gold else None])
    source = tmp_path / "judgements.xlsx"
    book.save(source)
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        ["agreement", str(source), *OPTIONS, "--gold-column", "expert", "--output", str(out)],
    )
    assert result.exit_code == 0, result.output
    assert "12 judgements of 3 items by 4 human coders" in said(result)
    labels = {row["code"] for row in read_csv(out / "per_code.csv")}
    assert labels == {"1", "4"}


def test_missing_column_lists_the_available_ones(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "judgements.csv")
    result = runner.invoke(
        app,
        [
            "agreement",
            str(source),
            "--item-column",
            "sentence_id",
            "--coder-column",
            "worker",
            "--label-column",
            "code",
        ],
    )
    assert result.exit_code == 1
    assert "no column 'sentence_id'" in said(result)
    assert "sentence, worker, code, expert" in said(result)


def test_unknown_machine_coder_is_a_clear_error(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "judgements.csv")
    result = runner.invoke(app, ["agreement", str(source), *OPTIONS, "--machine-coder", "gpt"])
    assert result.exit_code == 1
    assert "no judgements by coder 'gpt'" in said(result)


def test_conflicting_gold_labels_are_refused(tmp_path: Path) -> None:
    rows = [*ROWS, ["s1", "dan", "4", "1"]]
    source = write_csv(tmp_path / "judgements.csv", rows)
    result = runner.invoke(app, ["agreement", str(source), *OPTIONS, "--gold-column", "expert"])
    assert result.exit_code == 1
    assert "item 's1' has gold label '1'" in said(result)


def test_machine_without_gold_is_scored_per_code_against_the_majority(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "judgements.csv")
    result = runner.invoke(
        app, ["agreement", str(source), *OPTIONS, "--machine-coder", "bot", "--min-items", "1"]
    )
    assert result.exit_code == 0, result.output
    assert "Per code, machine vs human majority" in said(result)
    assert "vs gold" not in said(result)


def test_perfect_agreement(tmp_path: Path) -> None:
    rows = [[f"s{i}", coder, str(i % 2), ""] for i in range(12) for coder in ("ann", "bob")]
    source = write_csv(tmp_path / "judgements.csv", rows)
    result = runner.invoke(app, ["agreement", str(source), *OPTIONS])
    assert result.exit_code == 0, result.output
    assert "reliable (0.800 or more)" in said(result)


def test_a_file_without_labels_is_a_clear_error(tmp_path: Path) -> None:
    rows = [[item, coder, "", gold] for item, coder, _, gold in ROWS]
    source = write_csv(tmp_path / "judgements.csv", rows)
    result = runner.invoke(app, ["agreement", str(source), *OPTIONS])
    assert result.exit_code == 1
    assert "no judgements to compare (15 rows lack an item, coder or label)" in said(result)


def test_missing_and_unknown_files(tmp_path: Path) -> None:
    result = runner.invoke(app, ["agreement", str(tmp_path / "nope.csv"), *OPTIONS])
    assert result.exit_code == 1
    assert "does not exist" in said(result)
    odd = tmp_path / "judgements.pdf"
    odd.write_text("x")
    result = runner.invoke(app, ["agreement", str(odd), *OPTIONS])
    assert result.exit_code == 1
    assert "unknown file type '.pdf'" in said(result)


def test_bootstrap_intervals_are_shown(tmp_path: Path) -> None:
    source = write_csv(tmp_path / "judgements.csv")
    result = runner.invoke(app, ["agreement", str(source), *OPTIONS, "--bootstrap", "30"])
    assert result.exit_code == 0, result.output
    assert "95% interval" in said(result)


def test_every_option_has_help() -> None:
    result = runner.invoke(app, ["agreement", "--help"])
    assert result.exit_code == 0
    for option in (
        "--item-column",
        "--coder-column",
        "--label-column",
        "--gold-column",
        "--machine-coder",
        "--output",
        "--min-items",
        "--bootstrap",
        "--seed",
    ):
        assert option in said(result)
    # Every argument and option explains itself, not just the ones named above.
    command = typer.main.get_command(app).commands["agreement"]  # type: ignore[attr-defined]
    for param in command.params:
        assert getattr(param, "help", None), param.name


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("4.0", "4"),
        (4.0, "4"),
        ("-1.00", "-1"),
        (" x ", "x"),
        ("", None),
        (None, None),
        ("4.5", "4.5"),
        ("007", "007"),
        (True, "True"),
    ],
)
def test_cells_are_compared_as_canonical_text(value: object, expected: str | None) -> None:
    assert canonical(value) == expected
