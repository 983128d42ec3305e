"""``upstream settings`` shows each effective value and where it came from."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from upstream.cli import app
from upstream.settings import REGISTRY

runner = CliRunner()


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for setting in REGISTRY:
        monkeypatch.delenv(setting.env, raising=False)


def test_settings_lists_every_value_and_its_source() -> None:
    result = runner.invoke(
        app,
        ["settings"],
        env={"UPSTREAM_PAGE_SIZE": "25", "UPSTREAM_LLM_API_KEY": "sk-secret"},
    )
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for setting in REGISTRY:
        assert any(line.startswith(f"{setting.name}: ") for line in lines), setting.name
    at = lines.index("page_size: 25")
    assert lines[at + 1] == "  from environment variable UPSTREAM_PAGE_SIZE"
    at = lines.index("db: upstream.db")
    assert lines[at + 1] == "  from the default; set it with UPSTREAM_DB"
    assert "llm_api_key: (set, hidden)" in lines
    assert "sk-secret" not in result.output


def test_a_bad_environment_value_stops_the_command_with_a_clear_message() -> None:
    result = runner.invoke(app, ["settings"], env={"UPSTREAM_PAGE_SIZE": "many"})
    assert result.exit_code == 1
    assert (
        "Environment variable UPSTREAM_PAGE_SIZE is 'many', which cannot be used: "
        "it must be a whole number of 1 or more." in result.output
    )
