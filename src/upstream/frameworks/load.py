"""Find and load codebooks: the built-in frameworks, or a user's own file.

Built-in codebooks are YAML files shipped in ``upstream/frameworks/builtin/`` and
are named by their file stem (``nom``, ``hls``, ``dbe``, ...). A user's codebook
can be YAML (``.yaml``/``.yml``), CSV (``.csv``/``.tsv``) or a REFI-QDA codebook
(``.qdc``/``.xml``).
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

from upstream.frameworks.csv_reader import read_csv
from upstream.frameworks.model import Codebook, CodebookError
from upstream.frameworks.refiqda_read import read_qdc
from upstream.frameworks.yaml_reader import read_yaml

__all__ = ["LOADERS", "builtin_names", "load_builtin", "load_codebook", "validate_file"]

LOADERS = {
    ".yaml": "yaml",
    ".yml": "yaml",
    ".csv": "csv",
    ".tsv": "csv",
    ".qdc": "qdc",
    ".xml": "qdc",
}


def _builtin_dir() -> Traversable:
    return resources.files("upstream.frameworks").joinpath("builtin")


def builtin_names() -> list[str]:
    """Return the names of the built-in codebooks, sorted.

    Returns:
        Names such as ``["aftershock", "culture", "dbe", "hls", "leadership", "nom"]``.
    """
    return sorted(
        entry.name.removesuffix(".yaml")
        for entry in _builtin_dir().iterdir()
        if entry.name.endswith(".yaml")
    )


@cache
def load_builtin(name: str) -> Codebook:
    """Load one built-in codebook by name (cached: codebooks are immutable).

    Args:
        name: A name from :func:`builtin_names`.

    Returns:
        The codebook.

    Raises:
        CodebookError: If there is no built-in codebook of that name.
    """
    if name not in builtin_names():
        known = ", ".join(builtin_names())
        raise CodebookError(
            name, None, f"no built-in codebook called {name!r} (built-ins: {known})"
        )
    file_name = f"{name}.yaml"
    text = _builtin_dir().joinpath(file_name).read_text(encoding="utf-8")
    return read_yaml(text, file_name, default_id=name)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older Excel exports on Windows are often in the Windows-1252 code page.
        return data.decode("cp1252", errors="replace")


def _load_file(path: Path, shown: str) -> Codebook:
    kind = LOADERS.get(path.suffix.lower())
    if kind is None:
        supported = ", ".join(sorted(LOADERS))
        raise CodebookError(shown, None, f"unsupported codebook file type (use {supported})")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CodebookError(shown, None, "file not found") from None
    except OSError as error:
        raise CodebookError(shown, None, f"cannot read file: {error.strerror}") from None
    return read_codebook(data, shown, kind=kind)


def read_codebook(data: bytes, file_name: str, *, kind: str | None = None) -> Codebook:
    """Read a codebook from a file's bytes (an upload), its type told by its name.

    Args:
        data: The file's bytes.
        file_name: The file's name as the person gave it: its extension says the
            type, and every problem names it.
        kind: ``yaml``, ``csv`` or ``qdc``, when already known.

    Returns:
        The validated codebook.

    Raises:
        CodebookError: The type is not supported, or the file is not a valid
            codebook (an :class:`InvalidCodebook` lists every problem with its line).
    """
    shown = file_name
    kind = kind or LOADERS.get(Path(file_name).suffix.lower())
    if kind is None:
        supported = ", ".join(sorted(LOADERS))
        raise CodebookError(shown, None, f"unsupported codebook file type (use {supported})")
    if kind == "qdc":
        return read_qdc(data, shown)
    if kind == "csv":
        return read_csv(_decode(data), shown)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CodebookError(shown, line, "the file is not UTF-8 text") from None
    return read_yaml(text, shown)


def load_codebook(name_or_path: str | Path) -> Codebook:
    """Load a built-in codebook by name, or a codebook file by path.

    A plain string without a file extension (``"nom"``) names a built-in codebook;
    anything with an extension, or a :class:`~pathlib.Path`, is read as a file.

    Args:
        name_or_path: A built-in name or the path to a ``.yaml``/``.yml``,
            ``.csv``/``.tsv`` or ``.qdc`` file.

    Returns:
        The validated codebook.

    Raises:
        CodebookError: If the name is unknown or the file cannot be read.
        InvalidCodebook: If the file is not a valid codebook; ``.problems``
            lists every problem with its file and line.
    """
    if isinstance(name_or_path, str) and not Path(name_or_path).suffix:
        if name_or_path in builtin_names():
            return load_builtin(name_or_path)
        if not Path(name_or_path).is_file():
            known = ", ".join(builtin_names())
            message = f"no built-in codebook or file called {name_or_path!r} (built-ins: {known})"
            raise CodebookError(name_or_path, None, message)
    return _load_file(Path(name_or_path), str(name_or_path))


def validate_file(name_or_path: str | Path) -> tuple[Codebook | None, list[CodebookError]]:
    """Load a codebook and return every problem instead of raising.

    Args:
        name_or_path: As for :func:`load_codebook`.

    Returns:
        ``(codebook, [])`` when it is valid, or ``(None, problems)`` listing every
        problem in file order.
    """
    try:
        return load_codebook(name_or_path), []
    except CodebookError as error:
        return None, error.problems
