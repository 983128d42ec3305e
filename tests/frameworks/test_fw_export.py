"""YAML and CSV export, and export by file extension."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
import yaml

from upstream.frameworks import (
    Code,
    Codebook,
    builtin_names,
    export_codebook,
    export_csv,
    export_yaml,
    load_codebook,
)


@pytest.mark.parametrize("name", builtin_names())
def test_yaml_round_trip(tmp_path: Path, name: str) -> None:
    original = load_codebook(name)
    assert load_codebook(export_yaml(original, tmp_path / f"{name}.yaml")) == original


@pytest.mark.parametrize("name", builtin_names())
def test_csv_round_trip_keeps_codes(tmp_path: Path, name: str) -> None:
    original = load_codebook(name)
    back = load_codebook(export_csv(original, tmp_path / f"{name}.csv"))
    assert back.codes == original.codes


def test_yaml_export_is_nested_and_readable(tmp_path: Path) -> None:
    path = export_yaml(load_codebook("aftershock"), tmp_path / "a.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert [c["id"] for c in data["codes"]] == ["leave_behind", "keep", "do_differently"]
    assert data["codes"][0]["children"][0]["id"] == "leave_behind.bureaucracy"


def test_csv_export_neutralises_formulas(tmp_path: Path) -> None:
    book = Codebook(
        "f",
        "Formulas",
        "",
        "",
        (
            Code("=cmd", "+danger", "-minus", examples=("@sum(A1)", "fine")),
            Code("q", "'=already quoted", "plain"),
        ),
    )
    path = export_csv(book, tmp_path / "f.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["code", "title", "description", "parent", "include", "exclude", "examples"]
    assert rows[1][:3] == ["'=cmd", "'+danger", "'-minus"]
    assert rows[1][6] == "'@sum(A1) | fine"
    assert load_codebook(path) == Codebook("f", "F", "", "", book.codes, source=str(path))


def test_export_by_extension(tmp_path: Path) -> None:
    book = load_codebook("dbe")
    for suffix in (".yaml", ".yml", ".csv", ".qdc"):
        path = export_codebook(book, tmp_path / f"dbe{suffix}")
        assert load_codebook(path).ids() == book.ids()
    with pytest.raises(ValueError, match="cannot export"):
        export_codebook(book, tmp_path / "dbe.docx")
