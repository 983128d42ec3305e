"""Settings resolve once from options, the environment and defaults, and say where from."""

from __future__ import annotations

from pathlib import Path

import pytest

from upstream.settings import REGISTRY, SettingsError, read_setting, resolve_settings
from upstream.store import Store
from upstream.web import create_app
from upstream.web.settings import Services


def test_defaults_when_the_environment_is_empty() -> None:
    settings = resolve_settings(environ={})
    for setting in REGISTRY:
        assert getattr(settings, setting.name) == setting.default
        assert settings.sources[setting.name] == "default"
    assert settings.db == "upstream.db"
    assert settings.page_size == 50


def test_environment_values_are_parsed_and_their_source_recorded() -> None:
    settings = resolve_settings(
        environ={
            "UPSTREAM_DB": "postgresql+psycopg://u@h/db",
            "UPSTREAM_PAGE_SIZE": " 20 ",
            "UPSTREAM_SECURE_COOKIES": "yes",
            "UPSTREAM_UPLOAD_DIR": "/srv/uploads",
            "UPSTREAM_PORT": "8443",
        }
    )
    assert settings.db == "postgresql+psycopg://u@h/db"
    assert settings.page_size == 20
    assert settings.secure_cookies is True
    assert settings.upload_dir == Path("/srv/uploads")
    assert settings.port == 8443
    assert settings.sources["page_size"] == "environment variable UPSTREAM_PAGE_SIZE"
    assert settings.sources["search_model"] == "default"


def test_command_line_options_win_over_the_environment() -> None:
    settings = resolve_settings(
        environ={"UPSTREAM_PORT": "not a port", "UPSTREAM_HOST": "0.0.0.0"},
        options={"port": 9000, "host": None},
    )
    # A wrong environment value under a given option does not matter.
    assert settings.port == 9000
    assert settings.sources["port"] == "command-line option"
    assert settings.host == "0.0.0.0"
    assert settings.sources["host"] == "environment variable UPSTREAM_HOST"


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("UPSTREAM_PAGE_SIZE", "lots", "a whole number of 1 or more"),
        ("UPSTREAM_PAGE_SIZE", "0", "a whole number of 1 or more"),
        ("UPSTREAM_PORT", "70000", "a whole number from 1 to 65535"),
        ("UPSTREAM_SECURE_COOKIES", "maybe", "true, false or auto"),
        ("UPSTREAM_DB", "  ", "a file path or a database URL"),
    ],
)
def test_a_bad_value_names_the_variable_and_what_it_must_be(
    variable: str, value: str, expected: str
) -> None:
    with pytest.raises(SettingsError) as caught:
        resolve_settings(environ={variable: value})
    message = str(caught.value)
    assert message.startswith(f"Environment variable {variable} is {value!r}")
    assert message.endswith(f"it must be {expected}.")


def test_a_bad_secret_is_not_repeated_in_the_message() -> None:
    with pytest.raises(SettingsError, match="UPSTREAM_LLM_API_KEY is \\(hidden\\)"):
        resolve_settings(environ={"UPSTREAM_LLM_API_KEY": "   "})


def test_settings_are_frozen() -> None:
    settings = resolve_settings(environ={})
    with pytest.raises(AttributeError):
        settings.page_size = 3  # type: ignore[misc]
    with pytest.raises(TypeError):
        settings.sources["db"] = "elsewhere"  # type: ignore[index]


def test_one_setting_can_be_read_alone() -> None:
    environ = {"UPSTREAM_LLM_API_KEY": "sk-test", "UPSTREAM_PAGE_SIZE": "lots"}
    # An unrelated wrong value does not stop the labeller finding its key.
    assert read_setting("llm_api_key", environ) == "sk-test"
    assert read_setting("pg_bin", {}) is None


def test_the_model_endpoint_is_off_unless_named() -> None:
    off = resolve_settings(environ={})
    assert off.endpoint is None and off.endpoint_model == "default"
    named = resolve_settings(
        environ={"UPSTREAM_ENDPOINT": "http://127.0.0.1:8080/v1", "UPSTREAM_ENDPOINT_MODEL": "m"},
        options={"endpoint_model": "chosen"},
    )
    assert named.endpoint == "http://127.0.0.1:8080/v1"
    assert named.endpoint_model == "chosen"  # the command-line option wins
    assert named.sources["endpoint"] == "environment variable UPSTREAM_ENDPOINT"
    # The key is shown only as set or not, and goes to worker processes only by environment.
    keyed = resolve_settings(environ={"UPSTREAM_LLM_API_KEY": "sk-1"})
    shown = {setting.name: value for setting, value, _ in keyed.describe()}
    assert shown["llm_api_key"] == "(set, hidden)" and shown["endpoint"] == "(not set)"


def test_the_web_app_takes_its_page_size_and_search_model_from_settings(tmp_path: Path) -> None:
    db = str(tmp_path / "web.db")
    Store(db).close()
    settings = resolve_settings(
        environ={
            "UPSTREAM_PAGE_SIZE": "7",
            "UPSTREAM_SEARCH_MODEL": "hashing",
            "UPSTREAM_MAX_UPLOAD_MB": "3",
            "UPSTREAM_UPLOAD_DIR": str(tmp_path / "uploads"),
        }
    )
    app = create_app(db, settings=settings)
    services = app.state.services
    assert isinstance(services, Services)
    assert services.settings.page_size == 7
    assert services.settings.search_model == "hashing"
    assert services.settings.max_upload_bytes == 3 * 1024 * 1024
    assert services.settings.upload_dir == tmp_path / "uploads"
    services.store.close()


def test_settings_pass_to_worker_processes_through_the_environment(tmp_path: Path) -> None:
    chosen = resolve_settings(environ={"UPSTREAM_PAGE_SIZE": "20"}).with_options(
        db=str(tmp_path / "team.db"), workers=3, secure_cookies=True
    )
    passed = chosen.as_environment()
    assert passed == {
        "UPSTREAM_DB": str(tmp_path / "team.db"),
        "UPSTREAM_PAGE_SIZE": "20",
        "UPSTREAM_SECURE_COOKIES": "True",
        "UPSTREAM_WORKERS": "3",
    }
    again = resolve_settings(environ=passed)
    assert (again.db, again.page_size, again.secure_cookies, again.workers) == (
        chosen.db,
        20,
        True,
        3,
    )
