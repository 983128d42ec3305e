"""Errors raised when a whole file, or the way it is mapped, cannot be used.

Problems with single rows are not errors: they become :class:`Reject` records so
the good rows can still be imported.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


class EvidenceImportError(Exception):
    """Base class for problems that stop an import before any row is read."""


class ImportFormatError(EvidenceImportError):
    """The file cannot be read at all: unsupported type, empty, or not what it claims.

    Attributes:
        path: The file concerned.
        message: Plain-English explanation, without the path.
    """

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = Path(path)
        self.message = message
        super().__init__(f"{path}: {message}")


class ImportConfigError(EvidenceImportError):
    """The options given for a file do not fit it, e.g. a column that does not exist.

    Attributes:
        message: Plain-English explanation.
        available: The columns (or sheets) the file does have, when relevant.
    """

    def __init__(
        self, message: str, *, available: Sequence[str] = (), what: str = "columns"
    ) -> None:
        self.message = message
        self.available = list(available)
        text = message
        if self.available:
            text += f"; available {what}: " + ", ".join(repr(c) for c in self.available)
        super().__init__(text)
