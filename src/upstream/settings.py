"""Every setting upstream reads from its environment, in one registry.

Each setting has a name, a typed default, an ``UPSTREAM_…`` environment
variable and a line of help. :func:`resolve_settings` reads them once into a
frozen :class:`Settings`, taking each value from (highest first) a
command-line option the caller passes, the environment variable, or the
default, and records which of these it came from; ``upstream settings``
prints the result.

This module uses only the standard library so that anything, including the
store and the test helpers, can import it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

__all__ = [
    "DEFAULT_DB",
    "REGISTRY",
    "Setting",
    "Settings",
    "SettingsError",
    "read_setting",
    "resolve_settings",
]

DEFAULT_DB = "upstream.db"
DEFAULT_SOURCE = "default"
COMMAND_LINE_SOURCE = "command-line option"


class SettingsError(ValueError):
    """A setting's value could not be understood."""


def _text(raw: str) -> str:
    value = raw.strip()
    if not value:
        raise ValueError
    return value


def _positive_int(raw: str) -> int:
    value = int(raw.strip())
    if value < 1:
        raise ValueError
    return value


def _port(raw: str) -> int:
    value = int(raw.strip())
    if not 1 <= value <= 65535:
        raise ValueError
    return value


def _path(raw: str) -> Path:
    return Path(_text(raw))


def _share(raw: str) -> float:
    value = float(raw.strip())
    if not 0.0 < value <= 1.0:
        raise ValueError
    return value


def _job_place(raw: str) -> str:
    value = raw.strip().lower()
    if value not in {"here", "queue"}:
        raise ValueError
    return value


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _optional_bool(raw: str) -> bool | None:
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    if value in {"", "auto"}:
        return None
    raise ValueError


@dataclass(frozen=True)
class Setting:
    """One setting: its name, default, environment variable and how to read it.

    Attributes:
        name: The attribute of :class:`Settings` that holds the value.
        default: The value when nothing else sets it.
        env: The environment variable that sets it.
        help: What it does, in a sentence.
        parse: Turns the environment variable's text into the value; raises
            ``ValueError`` when the text is not acceptable.
        expected: What an acceptable value looks like, for error messages.
        secret: Never show the value (``upstream settings`` says only whether it is set).
    """

    name: str
    default: Any
    env: str
    help: str
    parse: Callable[[str], Any]
    expected: str
    secret: bool = False

    def from_text(self, raw: str, source: str) -> Any:
        """Parse ``raw``, naming ``source`` and what was expected when it is wrong.

        Raises:
            SettingsError: If ``raw`` is not an acceptable value.
        """
        try:
            return self.parse(raw)
        except ValueError:
            shown = "(hidden)" if self.secret else repr(raw)
            raise SettingsError(
                f"{source[:1].upper()}{source[1:]} is {shown}, which cannot be used: "
                f"it must be {self.expected}."
            ) from None

    def show(self, value: Any) -> str:
        """The value as ``upstream settings`` prints it."""
        if self.secret:
            return "(set, hidden)" if value else "(not set)"
        return "(not set)" if value is None else str(value)


REGISTRY: tuple[Setting, ...] = (
    Setting(
        "db",
        DEFAULT_DB,
        "UPSTREAM_DB",
        "Where the evidence is stored: a SQLite file path or a postgresql+psycopg:// URL.",
        _text,
        "a file path or a database URL",
    ),
    Setting(
        "page_size",
        50,
        "UPSTREAM_PAGE_SIZE",
        "Items per page in the web app's evidence, coding and theme lists.",
        _positive_int,
        "a whole number of 1 or more",
    ),
    Setting(
        "search_model",
        "default",
        "UPSTREAM_SEARCH_MODEL",
        "The text model meaning search in the web app uses.",
        _text,
        "the name of a text model, such as default or minilm",
    ),
    Setting(
        "max_upload_mb",
        200,
        "UPSTREAM_MAX_UPLOAD_MB",
        "Largest file the web app's import wizard accepts, in MB.",
        _positive_int,
        "a whole number of 1 or more",
    ),
    Setting(
        "upload_dir",
        None,
        "UPSTREAM_UPLOAD_DIR",
        "Where web uploads wait between the import wizard's steps "
        "(when not set: the user's cache folder).",
        _path,
        "a folder path",
    ),
    Setting(
        "vector_dir",
        None,
        "UPSTREAM_VECTOR_DIR",
        "Where each machine keeps its copy of the meaning-search vectors, a file per workspace "
        "and model (when not set: the user's cache folder).",
        _path,
        "a folder path",
    ),
    Setting(
        "secure_cookies",
        None,
        "UPSTREAM_SECURE_COOKIES",
        "Mark the web app's cookies Secure (when not set: when the request came over HTTPS).",
        _optional_bool,
        "true, false or auto",
    ),
    Setting(
        "precision_target",
        0.75,
        "UPSTREAM_PRECISION_TARGET",
        "How often a trained coder's suggestions must be right: its threshold is chosen "
        "to meet this on held-out labels and people's decisions.",
        _share,
        "a number above 0 and at most 1, such as 0.75",
    ),
    Setting(
        "zero_shot_precision_target",
        0.6,
        "UPSTREAM_ZERO_SHOT_PRECISION_TARGET",
        "How often the codebook-only coder's suggestions must be right, once people's "
        "decisions can measure it.",
        _share,
        "a number above 0 and at most 1, such as 0.6",
    ),
    Setting(
        "host",
        "127.0.0.1",
        "UPSTREAM_HOST",
        "Address `upstream serve` listens on.",
        _text,
        "an address such as 127.0.0.1",
    ),
    Setting(
        "port",
        8000,
        "UPSTREAM_PORT",
        "Port `upstream serve` listens on.",
        _port,
        "a whole number from 1 to 65535",
    ),
    Setting(
        "workers",
        1,
        "UPSTREAM_WORKERS",
        "Processes `upstream serve` runs; more than one serves a team from one database.",
        _positive_int,
        "a whole number of 1 or more",
    ),
    Setting(
        "db_pool_size",
        20,
        "UPSTREAM_DB_POOL_SIZE",
        "PostgreSQL connections each process keeps open for reuse (half as many again may "
        "open for a burst and close after it); the server's max_connections must allow "
        "one and a half times this for every web process and job worker.",
        _positive_int,
        "a whole number of 1 or more",
    ),
    Setting(
        "jobs",
        "here",
        "UPSTREAM_JOBS",
        "Where the web app's background jobs run: here (in the web process that starts them) "
        "or queue (left in the database for `upstream jobs worker` processes).",
        _job_place,
        "here or queue",
    ),
    Setting(
        "scheduler",
        None,
        "UPSTREAM_SCHEDULER",
        "Address of a Dask scheduler to run large coding jobs on (tcp://host:8786).",
        _text,
        "an address such as tcp://10.0.0.5:8786",
    ),
    Setting(
        "endpoint",
        None,
        "UPSTREAM_ENDPOINT",
        "Optional OpenAI-compatible model endpoint for coding and theme names "
        "(e.g. http://127.0.0.1:8080/v1); off when not set: nothing is sent anywhere.",
        _text,
        "a web address such as http://127.0.0.1:8080/v1",
    ),
    Setting(
        "endpoint_model",
        "default",
        "UPSTREAM_ENDPOINT_MODEL",
        "Model name to ask the model endpoint for.",
        _text,
        "a model name",
    ),
    Setting(
        "endpoint_timeout",
        30,
        "UPSTREAM_ENDPOINT_TIMEOUT",
        "Seconds to wait for each answer from the model endpoint (a slow local model "
        "coding a batch of items may need more).",
        _positive_int,
        "a whole number of 1 or more",
    ),
    Setting(
        "llm_api_key",
        None,
        "UPSTREAM_LLM_API_KEY",
        "Bearer token for the model endpoint; read from the environment only, never stored.",
        _text,
        "a token",
        secret=True,
    ),
    Setting(
        "pg_bin",
        None,
        "UPSTREAM_PG_BIN",
        "Folder holding PostgreSQL's initdb and pg_ctl, for the test server.",
        _path,
        "a folder path",
    ),
)

_BY_NAME = {setting.name: setting for setting in REGISTRY}


@dataclass(frozen=True)
class Settings:
    """The effective settings, resolved once. Build them with :func:`resolve_settings`.

    Attributes:
        db: Where the evidence is stored.
        page_size: Items per page in the web app's lists.
        search_model: The text model meaning search uses.
        max_upload_mb: Largest file the import wizard accepts, in MB.
        upload_dir: Where web uploads wait; None means the user's cache folder.
        vector_dir: Where meaning-search vector files are kept; None means the user's
            cache folder.
        secure_cookies: Mark cookies Secure; None means "when the request came over HTTPS".
        precision_target: Precision a trained coder's threshold is chosen to meet.
        zero_shot_precision_target: Precision the codebook-only coder's threshold is
            chosen to meet.
        host: Address the web server listens on.
        port: Port the web server listens on.
        workers: Processes the web server runs.
        db_pool_size: PostgreSQL connections each process keeps for reuse.
        jobs: Where background jobs run: ``here`` or ``queue`` (job workers).
        scheduler: Dask scheduler for batch work, if any.
        endpoint: Optional model endpoint for coding and theme names, if any.
        endpoint_model: Model name to ask the endpoint for.
        endpoint_timeout: Seconds to wait for each answer from the endpoint.
        llm_api_key: Token for the model endpoint, if any.
        pg_bin: Folder holding PostgreSQL's server programs, if given.
        sources: Where each value came from: ``default``, ``environment variable
            UPSTREAM_…`` or ``command-line option``.
    """

    db: str
    page_size: int
    search_model: str
    max_upload_mb: int
    upload_dir: Path | None
    vector_dir: Path | None
    secure_cookies: bool | None
    precision_target: float
    zero_shot_precision_target: float
    host: str
    port: int
    workers: int
    db_pool_size: int
    jobs: str
    scheduler: str | None
    endpoint: str | None
    endpoint_model: str
    endpoint_timeout: int
    llm_api_key: str | None
    pg_bin: Path | None
    sources: Mapping[str, str]

    @property
    def max_upload_bytes(self) -> int:
        """Largest upload in bytes."""
        return self.max_upload_mb * 1024 * 1024

    def with_options(self, **options: Any) -> Settings:
        """These settings with command-line options laid over them.

        Args:
            **options: Values given on the command line, by setting name; None
                means "not given", so callers can pass their options straight through.

        Raises:
            KeyError: If an option names a setting that does not exist.
        """
        unknown = set(options) - set(_BY_NAME)
        if unknown:
            raise KeyError(f"no such setting: {', '.join(sorted(unknown))}")
        given = {name: value for name, value in options.items() if value is not None}
        sources = {**self.sources, **dict.fromkeys(given, COMMAND_LINE_SOURCE)}
        return replace(self, **given, sources=MappingProxyType(sources))

    def as_environment(self) -> dict[str, str]:
        """The settings that are not defaults, as environment variables.

        A process started with these (a web server worker) resolves to the same settings.
        """
        return {
            setting.env: str(getattr(self, setting.name))
            for setting in REGISTRY
            if self.sources[setting.name] != DEFAULT_SOURCE
            and getattr(self, setting.name) is not None
        }

    def describe(self) -> list[tuple[Setting, str, str]]:
        """Each setting with its value as shown to people and where it came from."""
        return [
            (setting, setting.show(getattr(self, setting.name)), self.sources[setting.name])
            for setting in REGISTRY
        ]


def _environment_value(setting: Setting, environ: Mapping[str, str]) -> tuple[Any, str] | None:
    raw = environ.get(setting.env)
    if raw is None or (raw == "" and setting.default is None):
        return None
    source = f"environment variable {setting.env}"
    return setting.from_text(raw, source), source


def read_setting(name: str, environ: Mapping[str, str] | None = None) -> Any:
    """One setting from the environment (or its default), without resolving the others.

    For code far from the command line and the web app, such as the LLM labeller,
    which should not fail because an unrelated setting is wrong.

    Raises:
        KeyError: If no setting is called ``name``.
        SettingsError: If its environment variable holds an unacceptable value.
    """
    setting = _BY_NAME[name]
    found = _environment_value(setting, os.environ if environ is None else environ)
    return setting.default if found is None else found[0]


def resolve_settings(
    environ: Mapping[str, str] | None = None,
    options: Mapping[str, Any] | None = None,
) -> Settings:
    """Resolve every setting once: command-line option, then environment, then default.

    Args:
        environ: The environment to read (default: this process's).
        options: Values given on the command line, by setting name; None means
            "not given", so callers can pass their options straight through.

    Returns:
        The frozen settings, with where each value came from.

    Raises:
        SettingsError: If an environment variable holds a value that cannot be
            used; the message names the variable and what it must be.
        KeyError: If ``options`` names a setting that does not exist.
    """
    environ = os.environ if environ is None else environ
    options = options or {}
    unknown = set(options) - set(_BY_NAME)
    if unknown:
        raise KeyError(f"no such setting: {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for setting in REGISTRY:
        # A given option wins, so a wrong environment value beneath it does not matter.
        given = options.get(setting.name) is not None
        found = None if given else _environment_value(setting, environ)
        values[setting.name], sources[setting.name] = found or (setting.default, DEFAULT_SOURCE)
    return Settings(**values, sources=MappingProxyType(sources)).with_options(**options)


def _check_registry() -> None:
    # The dataclass and the registry must describe the same settings.
    declared = {f.name for f in fields(Settings)} - {"sources"}
    if declared != set(_BY_NAME):
        raise RuntimeError(f"settings registry and Settings differ: {declared ^ set(_BY_NAME)}")


_check_registry()
