"""Checks that turn raw, possibly broken code records into a valid :class:`Codebook`.

Readers (YAML, CSV, REFI-QDA) parse a file into :class:`RawCode` records that keep
the line each code came from. :func:`check_codes` then finds every problem at once
(missing ids or titles, duplicate ids, unknown parents, parent cycles, an empty
codebook) and :func:`build_codebook` either returns the codebook or raises
:class:`~upstream.frameworks.model.InvalidCodebook` listing all of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from upstream.frameworks.characters import bad_characters, describe_character
from upstream.frameworks.model import Code, Codebook, CodebookError, CodeSet, InvalidCodebook

__all__ = ["RawCode", "build_codebook", "check_codebook", "check_codes", "sort_problems"]


@dataclass
class RawCode:
    """A code as read from a file, before validation.

    Attributes:
        line: 1-based line where the code starts, or ``None`` when unknown.
        id: The code id, or ``None`` when the file gave none.
        title: The title, or ``None`` when the file gave none.
        definition: The definition (may be empty).
        parent: The parent's id, or ``None`` for a top-level code.
        include: Inclusion notes.
        exclude: Exclusion notes.
        examples: Example statements.
        parent_line: Line of the ``parent`` field itself, when it differs from ``line``.
        guid: The REFI-QDA GUID the file gave the code, if any.
        color: The code's colour (``#RRGGBB``), if the file gave one.
        codable: False for a grouping code that must never be assigned.
    """

    line: int | None
    id: str | None
    title: str | None
    definition: str = ""
    parent: str | None = None
    include: str = ""
    exclude: str = ""
    examples: tuple[str, ...] = ()
    parent_line: int | None = None
    guid: str | None = None
    color: str | None = None
    codable: bool = True


def sort_problems(problems: Sequence[CodebookError]) -> list[CodebookError]:
    """Order problems by line (problems without a line last), keeping ties stable.

    Args:
        problems: The problems to order.

    Returns:
        A new list in file order.
    """
    return sorted(problems, key=lambda p: (p.line is None, p.line or 0))


def _label(raw: RawCode) -> str:
    return f"code {raw.id!r}" if raw.id else "a code"


def check_codes(
    codes: Sequence[RawCode], path: str, *, where: int | None = 1
) -> list[CodebookError]:
    """Find every structural problem in a list of raw codes.

    Args:
        codes: The codes in file order.
        path: File name to put in each problem.
        where: Line to blame when the codebook has no codes at all.

    Returns:
        The problems found, in file order; empty when the codes are valid.
    """
    problems: list[CodebookError] = []
    if not codes:
        return [CodebookError(path, where, "the codebook has no codes")]

    first_seen: dict[str, RawCode] = {}
    for raw in codes:
        if not raw.id:
            problems.append(CodebookError(path, raw.line, "a code has no id"))
        elif raw.id in first_seen:
            first = first_seen[raw.id]
            at = f" (first defined on line {first.line})" if first.line is not None else ""
            problems.append(CodebookError(path, raw.line, f"duplicate code id {raw.id!r}{at}"))
        else:
            first_seen[raw.id] = raw
        if not raw.title:
            problems.append(CodebookError(path, raw.line, f"{_label(raw)} has no title"))

    for raw in codes:
        if raw.parent is None or raw.parent in first_seen:
            continue
        line = raw.parent_line if raw.parent_line is not None else raw.line
        message = f"{_label(raw)} has parent {raw.parent!r}, which is not defined"
        problems.append(CodebookError(path, line, message))

    problems.extend(_cycles(first_seen, path))
    problems.extend(_characters(codes, path))
    return sort_problems(problems)


def _characters(codes: Sequence[RawCode], path: str) -> list[CodebookError]:
    """Report text that no XML file could hold, naming the code, field and character."""
    problems: list[CodebookError] = []
    for raw in codes:
        fields = {
            "title": raw.title or "",
            "definition": raw.definition,
            "include": raw.include,
            "exclude": raw.exclude,
            "examples": "\n".join(raw.examples),
        }
        for name, text in fields.items():
            for char in bad_characters(text):
                message = (
                    f"{_label(raw)}: the {name} holds the character {describe_character(char)}, "
                    "which codebook files cannot hold; remove it or replace it with a space"
                )
                problems.append(CodebookError(path, raw.line, message))
    return problems


def _cycles(by_id: dict[str, RawCode], path: str) -> list[CodebookError]:
    """Report each parent cycle once, at the cycle member that comes first in the file."""
    order = {code_id: index for index, code_id in enumerate(by_id)}
    settled: set[str] = set()
    problems: list[CodebookError] = []
    for start in by_id:
        trail: list[str] = []
        on_trail: set[str] = set()
        current: str | None = start
        while current is not None and current in by_id and current not in settled:
            if current in on_trail:
                cycle = trail[trail.index(current) :]
                first = min(cycle, key=order.__getitem__)
                turn = cycle.index(first)
                ring = [*cycle[turn:], *cycle[:turn], first]
                raw = by_id[first]
                line = raw.parent_line if raw.parent_line is not None else raw.line
                if len(cycle) == 1:
                    message = f"code {first!r} is its own parent"
                else:
                    message = "codes form a parent cycle: " + " → ".join(repr(c) for c in ring)
                problems.append(CodebookError(path, line, message))
                break
            trail.append(current)
            on_trail.add(current)
            current = by_id[current].parent
        settled.update(trail)
    return problems


def build_codebook(
    *,
    path: str,
    id: str,
    title: str,
    description: str,
    version: str,
    codes: Sequence[RawCode],
    source: str = "",
    problems: Sequence[CodebookError] = (),
    codes_line: int | None = 1,
    sets: Sequence[CodeSet] = (),
    threshold: float | None = None,
) -> Codebook:
    """Check raw codes and build a :class:`Codebook`, or raise every problem at once.

    Args:
        path: File name used in error messages.
        id: Codebook id.
        title: Codebook title.
        description: Codebook description.
        version: Codebook version.
        codes: Raw codes in file order.
        source: Where the codebook came from.
        problems: Problems the reader already found (bad types, unknown fields...).
        codes_line: Line to blame when there are no codes.
        sets: Groups of codes across the hierarchy.
        threshold: The confidence a machine code needs to count (None: the coder's default).

    Returns:
        The valid codebook.

    Raises:
        InvalidCodebook: If the reader's problems plus the structural checks found
            anything wrong.
    """
    found = sort_problems([*problems, *check_codes(codes, path, where=codes_line)])
    if found:
        raise InvalidCodebook(found)
    built = tuple(
        Code(
            id=raw.id or "",
            title=raw.title or "",
            definition=raw.definition,
            parent=raw.parent,
            include=raw.include,
            exclude=raw.exclude,
            examples=raw.examples,
            guid=raw.guid,
            color=raw.color,
            codable=raw.codable,
        )
        for raw in codes
    )
    return Codebook(
        id=id,
        title=title,
        description=description,
        version=version,
        codes=built,
        source=source,
        sets=tuple(sets),
        threshold=threshold,
    )


def check_codebook(codebook: Codebook, path: str | None = None) -> list[CodebookError]:
    """Check a codebook built in code (no line numbers are known).

    Besides the structural checks applied to files, this also checks field types,
    since a hand-built :class:`Codebook` bypasses the readers.

    Args:
        codebook: The codebook to check.
        path: Name to put in each problem; defaults to the codebook id.

    Returns:
        The problems found; empty when the codebook is valid.
    """
    name = path or codebook.id or "codebook"
    problems: list[CodebookError] = []
    raws: list[RawCode] = []
    for index, code in enumerate(codebook.codes):
        if not isinstance(code, Code):
            problems.append(CodebookError(name, None, f"item {index + 1} is not a Code"))
            continue
        label = f"code {code.id!r}"
        for field in ("id", "title", "definition", "include", "exclude"):
            if not isinstance(getattr(code, field), str):
                problems.append(CodebookError(name, None, f"{label}: {field} should be text"))
        if code.parent is not None and not isinstance(code.parent, str):
            problems.append(CodebookError(name, None, f"{label}: parent should be text or None"))
        if not isinstance(code.examples, tuple) or not all(
            isinstance(example, str) for example in code.examples
        ):
            problems.append(CodebookError(name, None, f"{label}: examples should be text"))

        def text(value: object) -> str:
            return value if isinstance(value, str) else ""

        examples = code.examples if isinstance(code.examples, tuple) else ()
        raws.append(
            RawCode(
                line=None,
                id=code.id,
                title=code.title,
                parent=code.parent,
                definition=text(code.definition),
                include=text(code.include),
                exclude=text(code.exclude),
                examples=tuple(text(example) for example in examples),
            ),
        )
    problems.extend(check_codes(raws, name, where=None))
    return problems
