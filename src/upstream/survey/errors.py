"""Errors raised by survey importers and analyses, with plain-English messages."""

from __future__ import annotations

from pathlib import Path


class SurveyError(Exception):
    """Base class for survey problems a user can fix."""


class SurveyFormatError(SurveyError):
    """A file cannot be read as survey scores: unsupported type or unrecognised layout.

    Attributes:
        path: The file concerned.
        message: What was not recognised, without the path.
    """

    def __init__(self, path: Path | str, message: str) -> None:
        self.path = Path(path)
        self.message = message
        super().__init__(f"{path}: {message}")


class SurveyConfigError(SurveyError):
    """Options do not fit the data, e.g. a column or measure that does not exist."""
