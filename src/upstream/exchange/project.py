"""Plain records for a REFI-QDA project: users, text sources, coded selections."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from upstream.frameworks.model import Codebook

__all__ = ["PROJECT_NAMESPACE", "Project", "Selection", "TextSource", "User", "stable_guid"]

PROJECT_NAMESPACE = "urn:QDA-XML:project:1.0"
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:upstream:project")


def stable_guid(*parts: object) -> str:
    """Return a GUID that is the same every time for the same parts.

    Args:
        *parts: What the GUID stands for, such as ``("item", 42)``.

    Returns:
        A lowercase GUID.
    """
    return str(uuid.uuid5(_NAMESPACE, "/".join(str(part) for part in parts)))


@dataclass(frozen=True, slots=True)
class User:
    """A person (or the machine) who coded.

    Attributes:
        guid: The user's GUID.
        name: The name shown in tools.
    """

    guid: str
    name: str


@dataclass(frozen=True, slots=True)
class Selection:
    """A span of a text source coded with one code by one user.

    Offsets count Unicode code points, as the standard says: ``text[start:end]``
    in Python is the coded span.

    Attributes:
        guid: The selection's GUID.
        start: First code point of the span.
        end: One past the last code point.
        code_guid: GUID of the code applied.
        user_guid: GUID of the user who applied it, if known.
    """

    guid: str
    start: int
    end: int
    code_guid: str
    user_guid: str | None = None


@dataclass(frozen=True, slots=True)
class TextSource:
    """A plain-text source with its coded selections and variable values.

    Attributes:
        guid: The source's GUID.
        name: Its name in the project.
        text: The full text.
        selections: Coded spans.
        variables: Variable name to value (text), such as the organisation.
    """

    guid: str
    name: str
    text: str
    selections: tuple[Selection, ...] = ()
    variables: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Project:
    """A REFI-QDA project: who coded, the codebook, the sources and their codings.

    Attributes:
        name: The project's name.
        codebook: Its codebook.
        users: Everyone named as a coder.
        sources: The text sources.
        origin: The program that wrote it.
    """

    name: str
    codebook: Codebook
    users: tuple[User, ...] = ()
    sources: tuple[TextSource, ...] = ()
    origin: str = ""
