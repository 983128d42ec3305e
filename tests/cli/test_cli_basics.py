"""Every command answers --help, and --version prints the version."""

from __future__ import annotations

from typing import Any

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from upstream import __version__
from upstream.cli import app

runner = CliRunner()


def _command_paths(command: Any, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = [prefix]
    for name, sub in getattr(command, "commands", {}).items():
        paths += _command_paths(sub, (*prefix, name))
    return paths


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"upstream {__version__}"


@pytest.mark.parametrize("path", _command_paths(get_command(app)), ids=" ".join)
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    # Each command explains itself in a sentence, not just a usage line.
    assert len(result.output.split("\n")) > 3


def test_the_command_line_starts_without_the_analysis_libraries() -> None:
    """--help, `users`, `db` and `settings` do not wait for the libraries that analyse text."""
    import subprocess
    import sys

    heavy = ("sklearn", "scipy", "pandas", "matplotlib", "onnxruntime", "weasyprint")
    probe = f"import sys, upstream.cli; print(' '.join(m for m in {heavy!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "", f"loaded when the command line starts: {done.stdout}"
