"""Codebooks as plain, immutable data.

A :class:`Codebook` is a named, versioned set of :class:`Code` values. Codes form
a forest: each code names its ``parent`` by id (``None`` for a top-level code),
and the order of ``Codebook.codes`` is the order in which codes are shown.

Loading and validation live in :mod:`upstream.frameworks.load` and
:mod:`upstream.frameworks.validate`; problems are reported as
:class:`CodebookError` values that always name the file and, where known, the line.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

__all__ = [
    "Code",
    "CodeSet",
    "Codebook",
    "CodebookError",
    "InvalidCodebook",
    "title_from_name",
]


class CodebookError(ValueError):
    """A problem with a codebook, pointing at the file and line it comes from.

    ``str(error)`` reads like ``nom.yaml, line 42: code 'x' has no title``; when
    the line is unknown it reads ``nom.yaml: message``.

    Args:
        path: The file the codebook came from, as the user named it (or the
            built-in file name, such as ``nom.yaml``).
        line: 1-based line number of the problem, or ``None`` when unknown.
        message: Plain-English description of the problem.
    """

    def __init__(self, path: str, line: int | None, message: str) -> None:
        super().__init__(path, line, message)
        self.path = path
        self.line = line
        self.message = message

    @property
    def location(self) -> str:
        """The ``file, line N`` prefix (or just ``file`` when the line is unknown)."""
        return f"{self.path}, line {self.line}" if self.line is not None else self.path

    @property
    def problems(self) -> list[CodebookError]:
        """Every problem this error stands for (just itself, for a single error)."""
        return [self]

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


class InvalidCodebook(CodebookError):
    """A codebook with one or more problems, all reported together.

    It is a :class:`CodebookError` itself (pointing at the first problem), so one
    ``except CodebookError`` handles both; ``.problems`` holds every problem in
    file order and ``str()`` lists them one per line.

    Args:
        problems: The problems found; must not be empty.
    """

    def __init__(self, problems: Sequence[CodebookError]) -> None:
        if not problems:
            raise ValueError("InvalidCodebook needs at least one problem")
        first = problems[0]
        count = len(problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(first.path, first.line, f"{count} {noun} in codebook")
        self.args = (list(problems),)
        self._problems = list(problems)

    @property
    def problems(self) -> list[CodebookError]:
        """Every problem found, in the order they appear in the file."""
        return list(self._problems)

    def __str__(self) -> str:
        return "\n".join(str(problem) for problem in self._problems)


@dataclass(frozen=True)
class Code:
    """One code (category, theme, node) in a codebook.

    Attributes:
        id: Short stable identifier, unique in its codebook (for example
            ``mindset.principles.prevention``).
        title: Human-readable name shown to coders.
        definition: What the code means, in one to three sentences.
        parent: Id of the parent code, or ``None`` for a top-level code.
        include: When to apply the code (inclusion notes for coders).
        exclude: When not to apply it, often naming the sibling to use instead.
        examples: Example statements that should receive this code.
        guid: The REFI-QDA GUID the code had in the file it came from, kept so the
            same code leaves upstream with the same GUID (``None`` for upstream's
            own codes, whose GUID is derived from the code id).
        color: Display colour as ``#RRGGBB``, when the file gave one.
        codable: False for a grouping code that must never be assigned to text
            (REFI-QDA ``isCodable="false"``, QualCoder's categories).
    """

    id: str
    title: str
    definition: str
    parent: str | None = None
    include: str = ""
    exclude: str = ""
    examples: tuple[str, ...] = ()
    guid: str | None = None
    color: str | None = None
    codable: bool = True


@dataclass(frozen=True)
class CodeSet:
    """A named group of codes that cuts across the hierarchy (REFI-QDA ``<Set>``).

    ATLAS.ti calls these code groups. A code may belong to several sets.

    Attributes:
        guid: The set's GUID.
        name: The set's name.
        codes: Ids of the member codes, in file order.
        description: The set's description, as written.
    """

    guid: str
    name: str
    codes: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Codebook:
    """A named, versioned, hierarchical set of codes.

    The hierarchy helpers assume a valid codebook (unique ids, known parents, no
    cycles), which every loader guarantees; see
    :func:`upstream.frameworks.validate.check_codebook` for codebooks built in code.

    Attributes:
        id: Short stable identifier of the codebook (for example ``nom``).
        title: Human-readable name.
        description: What the codebook is for and where it comes from.
        version: Version string of the codebook's content.
        codes: Every code, parents before or after their children, in display order.
        source: Where the codebook came from (a citation, URL or file path).
        sets: Groups of codes across the hierarchy (REFI-QDA ``<Sets>``).
        threshold: The confidence a machine code of this codebook needs to count,
            when the person coding names none (None: the coder's own default).
    """

    id: str
    title: str
    description: str
    version: str
    codes: tuple[Code, ...]
    source: str = ""
    sets: tuple[CodeSet, ...] = ()
    threshold: float | None = None

    @cached_property
    def _by_id(self) -> dict[str, Code]:
        return {code.id: code for code in self.codes}

    @cached_property
    def _children(self) -> dict[str | None, tuple[Code, ...]]:
        grouped: dict[str | None, list[Code]] = {}
        for code in self.codes:
            grouped.setdefault(code.parent, []).append(code)
        return {parent: tuple(codes) for parent, codes in grouped.items()}

    def __len__(self) -> int:
        return len(self.codes)

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes)

    def __contains__(self, code_id: object) -> bool:
        return code_id in self._by_id

    def ids(self) -> list[str]:
        """Return every code id, in display order."""
        return [code.id for code in self.codes]

    def code(self, code_id: str) -> Code:
        """Return the code with this id.

        Args:
            code_id: The id to look up.

        Returns:
            The matching code.

        Raises:
            KeyError: If the codebook has no such code.
        """
        try:
            return self._by_id[code_id]
        except KeyError:
            raise KeyError(f"codebook {self.id!r} has no code {code_id!r}") from None

    def children(self, code_id: str | None) -> tuple[Code, ...]:
        """Return the direct children of a code, in display order.

        Args:
            code_id: The parent's id, or ``None`` for the top-level codes.

        Returns:
            The child codes (empty for a leaf).

        Raises:
            KeyError: If ``code_id`` is not ``None`` and not in the codebook.
        """
        if code_id is not None:
            self.code(code_id)
        return self._children.get(code_id, ())

    def roots(self) -> tuple[Code, ...]:
        """Return the top-level codes (those without a parent), in display order."""
        return self._children.get(None, ())

    def codable(self) -> tuple[Code, ...]:
        """Return the codes that may be assigned to text, in display order."""
        return tuple(code for code in self.codes if code.codable)

    def leaves(self) -> tuple[Code, ...]:
        """Return the codes without children, in display order."""
        return tuple(code for code in self.codes if code.id not in self._children)

    def ancestors(self, code_id: str) -> tuple[Code, ...]:
        """Return a code's ancestors, nearest first (parent, grandparent, ... root).

        Args:
            code_id: The code whose ancestors are wanted.

        Returns:
            The ancestors; empty for a top-level code.

        Raises:
            KeyError: If the code, or one of its ancestors, is not in the codebook.
            CodebookError: If the parents form a cycle.
        """
        found: list[Code] = []
        seen = {code_id}
        parent = self.code(code_id).parent
        while parent is not None:
            if parent in seen:
                raise CodebookError(self.id, None, f"code {code_id!r} is in a parent cycle")
            seen.add(parent)
            code = self.code(parent)
            found.append(code)
            parent = code.parent
        return tuple(found)

    def descendants(self, code_id: str) -> tuple[Code, ...]:
        """Return every code below this one (children, grandchildren, ...), depth first.

        Args:
            code_id: The code whose descendants are wanted.

        Returns:
            The descendants in display order within each level; empty for a leaf.
        """
        found: list[Code] = []
        stack = list(reversed(self.children(code_id)))
        while stack:
            code = stack.pop()
            found.append(code)
            stack.extend(reversed(self._children.get(code.id, ())))
        return tuple(found)

    def depth(self, code_id: str) -> int:
        """Return how deep a code sits: 0 for a top-level code, 1 for its children, ...

        Args:
            code_id: The code to measure.

        Returns:
            The number of ancestors the code has.
        """
        return len(self.ancestors(code_id))

    @property
    def levels(self) -> int:
        """Number of levels in the hierarchy (1 for a flat list, 0 when empty)."""
        return 1 + max((self.depth(code.id) for code in self.codes), default=-1)

    def walk(self) -> Iterator[tuple[int, Code]]:
        """Yield ``(depth, code)`` for every code, parents before their children.

        Yields:
            Pairs of depth (0 for top level) and code, in tree order.
        """
        for root in self.roots():
            yield 0, root
            for code in self.descendants(root.id):
                yield self.depth(code.id), code


def title_from_name(name: str) -> str:
    """A codebook's title from its file name, when the file gives none.

    Reports and pages name the framework in sentences ("We could code 68 of 88
    items against Ashcombe codebook"), where "ashcombe_codebook" reads as a
    file. Word separators become spaces; a name written all in lower case
    gets a capital letter, and any other casing ("HLS-v2") is kept.
    """
    words = " ".join(name.replace("_", " ").replace("-", " ").split())
    if not words:
        return name
    return words[0].upper() + words[1:] if words.islower() else words
