"""The codebook CSV that Taguette's "Import codebook" accepts."""

from __future__ import annotations

import csv
from pathlib import Path

from typer.testing import CliRunner

from upstream.cli import app
from upstream.frameworks import Code, Codebook, load_codebook
from upstream.frameworks.taguette import export_taguette_csv


def _taguette_reads(path: Path) -> list[dict[str, str]]:
    """What Taguette's list_tags_csv accepts: one of tag/name/path, optional description."""
    with path.open(encoding="utf-8", newline="") as handle:  # no BOM handling, as Taguette
        reader = csv.reader(handle)
        header = next(reader)
        assert sum(column in header for column in ("tag", "name", "path")) == 1
        tag, description = header.index("tag"), header.index("description")
        return [{"path": row[tag].strip(), "description": row[description]} for row in reader]


def test_builtin_codebook_exports_in_taguettes_shape(tmp_path: Path) -> None:
    book = load_codebook("dbe")
    path = export_taguette_csv(book, tmp_path / "dbe.csv")
    assert not path.read_bytes().startswith(b"\xef\xbb\xbf")
    tags = _taguette_reads(path)
    assert len(tags) == len(book)
    assert all(tag["path"] for tag in tags)
    assert len({tag["path"] for tag in tags}) == len(tags)  # Taguette needs unique names


def test_grouping_codes_are_left_out_and_same_titles_are_told_apart(tmp_path: Path) -> None:
    book = Codebook(
        "b",
        "B",
        "",
        "1",
        (
            Code("care", "Care", "", codable=False),
            Code("care.other", "Other", "Other care", parent="care"),
            Code("homes", "Homes", "Housing"),
            Code("homes.other", "Other", "=SUM(1)", parent="homes"),
        ),
    )
    tags = _taguette_reads(export_taguette_csv(book, tmp_path / "b.csv"))
    assert [t["path"] for t in tags] == ["Care > Other", "Homes", "Homes > Other"]
    assert tags[2]["description"] == "'=SUM(1)"  # never run as a spreadsheet formula


def test_command_line_format_option(tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "nom.csv"
    result = runner.invoke(
        app, ["codebook", "export", "nom", "-o", str(out), "--format", "taguette"]
    )
    assert result.exit_code == 0, result.output
    assert "flat" in result.output
    assert out.read_text(encoding="utf-8").splitlines()[0] == "tag,description"
    bad = runner.invoke(
        app, ["codebook", "export", "nom", "-o", str(tmp_path / "x.qdc"), "--format", "taguette"]
    )
    assert bad.exit_code == 2
