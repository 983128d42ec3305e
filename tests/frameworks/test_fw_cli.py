"""The `upstream codebook` commands, mounted on a small Typer app."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from upstream.cli.codebook import app
from upstream.frameworks import builtin_names, load_codebook

runner = CliRunner()


def _root() -> typer.Typer:
    root = typer.Typer()
    root.add_typer(app, name="codebook")
    return root


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(_root(), ["codebook", *args], env={"COLUMNS": "160"})
    return result.exit_code, result.stdout, result.stderr


def test_list_shows_every_builtin() -> None:
    code, out, _ = _run("list")
    assert code == 0
    for name in builtin_names():
        assert name in out
        assert str(len(load_codebook(name))) in out
    assert "New Operating Models" in out


def test_show_tree_and_codes_only() -> None:
    code, out, _ = _run("show", "hls")
    assert code == 0
    assert "Human Learning Systems" in out
    assert "human.empathy" in out and "examples" in out
    code, out, _ = _run("show", "hls", "--codes-only")
    assert code == 0
    assert "npm.targets" in out and "examples" not in out


def test_show_a_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("code,title,description\nx,[bold]Odd[/bold] title,Desc\n", encoding="utf-8")
    code, out, _ = _run("show", str(path))
    assert code == 0
    assert "[bold]Odd[/bold] title" in out  # markup in user text is shown, not interpreted


def test_validate_valid_and_invalid(tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("codes:\n  - id: a\n    title: A\n  - id: b\n    title: B\n", "utf-8")
    code, out, _ = _run("validate", str(good))
    assert code == 0
    assert out.strip() == "valid: 2 codes"

    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "codes:\n  - id: a\n    title: A\n  - id: a\n    parent: ghost\n",
        "utf-8",
    )
    code, out, err = _run("validate", str(bad))
    assert code == 1
    lines = err.strip().splitlines()
    assert lines == [
        f"{bad}, line 4: duplicate code id 'a' (first defined on line 2)",
        f"{bad}, line 4: code 'a' has no title",
        f"{bad}, line 5: code 'a' has parent 'ghost', which is not defined",
        "invalid: 3 problems",
    ]


def test_validate_missing_file(tmp_path: Path) -> None:
    code, _, err = _run("validate", str(tmp_path / "none.yaml"))
    assert code == 1
    assert "none.yaml: file not found" in err


@pytest.mark.parametrize("suffix", [".qdc", ".yaml", ".csv"])
def test_export_by_extension(tmp_path: Path, suffix: str) -> None:
    target = tmp_path / f"nom{suffix}"
    code, out, _ = _run("export", "nom", "--output", str(target))
    assert code == 0
    assert f"wrote {len(load_codebook('nom'))} codes" in out
    assert load_codebook(target).ids() == load_codebook("nom").ids()


def test_export_rejects_unknown_extension(tmp_path: Path) -> None:
    code, _, err = _run("export", "nom", "-o", str(tmp_path / "nom.docx"))
    assert code == 2
    assert "cannot export" in err
    assert not (tmp_path / "nom.docx").exists()


def test_export_invalid_source(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("code,title,description\n", "utf-8")
    code, _, err = _run("export", str(bad), "-o", str(tmp_path / "out.qdc"))
    assert code == 1
    assert "the codebook has no codes" in err


def test_every_command_and_option_has_help() -> None:
    code, out, _ = _run("--help")
    assert code == 0
    for command in ("list", "show", "validate", "export"):
        assert command in out
        code, out_cmd, _ = _run(command, "--help")
        assert code == 0
        assert "Usage" in out_cmd
    _, show_help, _ = _run("show", "--help")
    assert "without definitions" in _flat(show_help)
    _, export_help, _ = _run("export", "--help")
    assert "extension picks the format" in _flat(export_help)


def _flat(text: str) -> str:
    """Help text with rich's box drawing and line wrapping removed."""
    return " ".join(text.replace("│", " ").split())
