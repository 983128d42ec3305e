"""Read REFI-QDA codebooks (``.qdc``), or the codebook inside a project (``.qde``).

What each part of the file becomes is described in
:mod:`upstream.frameworks.refiqda`. A code's id comes, in this order, from the
metadata comment upstream writes (keyed by GUID), from an ``upstream id:`` line
at the end of its description (files written by older versions), or from its
name (``Risk-averse culture`` becomes ``risk_averse_culture``, numbered when two
codes share a name). Anything the reader sets aside is reported as a warning.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from xml.parsers import expat

from upstream.frameworks.model import (
    Codebook,
    CodebookError,
    CodeSet,
    InvalidCodebook,
    title_from_name,
)
from upstream.frameworks.refiqda import COLOUR, META_MARK, PALETTE, code_guid, parse_description
from upstream.frameworks.validate import RawCode, build_codebook

__all__ = ["QdcReading", "XmlElement", "import_qdc", "parse_xml", "read_qdc", "read_qdc_reading"]

_CODE_CHILDREN = frozenset({"Code", "Description"})


@dataclass
class XmlElement:
    """An XML element with the line it starts on (namespaces dropped).

    Attributes:
        name: Local name of the element.
        attrs: Its attributes.
        line: 1-based line where it starts.
        children: Child elements in order.
        text: Character data directly inside it, in pieces.
    """

    name: str
    attrs: dict[str, str]
    line: int
    children: list[XmlElement] = field(default_factory=list)
    text: list[str] = field(default_factory=list)

    def child(self, name: str) -> XmlElement | None:
        """Return the first child with this name, or None."""
        return next((c for c in self.children if c.name == name), None)

    def all(self, name: str) -> list[XmlElement]:
        """Return every child with this name."""
        return [c for c in self.children if c.name == name]

    @property
    def content(self) -> str:
        """The element's text, joined."""
        return "".join(self.text)


@dataclass
class QdcReading:
    """A codebook read from a REFI-QDA file, with what was set aside.

    Attributes:
        codebook: The validated codebook.
        warnings: Plain-English notes on what upstream did not keep.
        ids: Code id for each GUID in the file.
    """

    codebook: Codebook
    warnings: list[str] = field(default_factory=list)
    ids: dict[str, str] = field(default_factory=dict)


class _DoctypeError(Exception):
    pass


def _refuse_doctype(*_args: object) -> None:
    raise _DoctypeError


def parse_xml(data: bytes, path: str) -> tuple[XmlElement, list[str]]:
    """Parse XML into a light tree that remembers each element's line.

    Args:
        data: The file's bytes.
        path: File name for error messages.

    Returns:
        The root element and the text of every comment.

    Raises:
        InvalidCodebook: If the XML is not well formed.
    """
    parser = expat.ParserCreate(namespace_separator=" ")
    stack: list[XmlElement] = []
    comments: list[str] = []
    found: list[XmlElement] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        element = XmlElement(name.rsplit(" ", 1)[-1], attrs, parser.CurrentLineNumber)
        (stack[-1].children if stack else found).append(element)
        stack.append(element)

    def end(name: str) -> None:
        stack.pop()

    def chars(data: str) -> None:
        if stack:
            stack[-1].text.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.CommentHandler = comments.append
    parser.StartDoctypeDeclHandler = _refuse_doctype
    try:
        parser.Parse(data, True)
    except _DoctypeError:
        # Entities declared in a DOCTYPE can expand without bound; no QDA tool writes one.
        message = "the file declares a DOCTYPE, which REFI-QDA files never have"
        raise InvalidCodebook([CodebookError(path, parser.CurrentLineNumber, message)]) from None
    except expat.ExpatError as error:
        message = f"XML syntax error: {expat.ErrorString(error.code)}"
        raise InvalidCodebook([CodebookError(path, error.lineno, message)]) from None
    return found[0], comments


def _slug(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_") or "code"


def _metadata(comments: list[str]) -> dict[str, object]:
    for comment in comments:
        text = comment.strip()
        if text.startswith(META_MARK):
            try:
                loaded = json.loads(text[len(META_MARK) :])
            except ValueError:
                continue
            if isinstance(loaded, dict):
                return loaded
    return {}


class _Reader:
    def __init__(self, path: str, known: dict[str, str]) -> None:
        self.path = path
        self.known = known
        self.problems: list[CodebookError] = []
        self.warnings: list[str] = []
        self.raws: list[RawCode] = []
        self.guids: dict[str, int] = {}
        self.ids: dict[str, str] = {}
        self.used: set[str] = set()
        self.ignored: dict[str, int] = {}

    def visit(self, element: XmlElement, parent: str | None) -> None:
        guid = element.attrs.get("guid", "").strip()
        if not guid:
            self.problems.append(CodebookError(self.path, element.line, "<Code> has no guid"))
        elif guid in self.guids:
            message = f"duplicate guid {guid!r} (first used on line {self.guids[guid]})"
            self.problems.append(CodebookError(self.path, element.line, message))
        else:
            self.guids[guid] = element.line
        title = element.attrs.get("name", "").strip()
        description = element.child("Description")
        parsed = parse_description(description.content if description else "")
        code_id = self.known.get(guid) or parsed.code_id
        if code_id is None or code_id in self.used:
            base = _slug(title or guid)
            code_id, counter = base, 2
            while code_id in self.used:
                code_id, counter = f"{base}_{counter}", counter + 1
        self.used.add(code_id)
        if guid:
            self.ids[guid] = code_id
        colour = element.attrs.get("color")
        if colour is not None and not COLOUR.match(colour.strip()):
            self.warnings.append(f"Code {title!r}: the colour {colour!r} is not #RRGGBB; left out.")
            colour = None
        codable = element.attrs.get("isCodable", "true").strip().lower() not in {"false", "0"}
        self.raws.append(
            RawCode(
                line=element.line,
                id=code_id,
                title=title or None,
                definition=parsed.definition,
                parent=parent,
                include=parsed.include,
                exclude=parsed.exclude,
                examples=parsed.examples,
                guid=guid or None,
                color=colour.strip() if colour else None,
                codable=codable,
            )
        )
        for child in element.children:
            if child.name == "Code":
                self.visit(child, code_id)
            elif child.name not in _CODE_CHILDREN:
                self.ignored[child.name] = self.ignored.get(child.name, 0) + 1

    def sets(self, element: XmlElement | None) -> list[CodeSet]:
        found: list[CodeSet] = []
        for node in element.all("Set") if element is not None else []:
            members: list[str] = []
            for member in node.children:
                if member.name == "MemberCode":
                    ref = member.attrs.get("guid") or member.attrs.get("targetGUID", "")
                    if ref in self.ids:
                        members.append(self.ids[ref])
                    else:
                        self.warnings.append(
                            f"Set {node.attrs.get('name', '')!r} names a code that is not "
                            f"in the codebook ({ref}); left out."
                        )
                elif member.name != "Description":
                    self.ignored[member.name] = self.ignored.get(member.name, 0) + 1
            description = node.child("Description")
            found.append(
                CodeSet(
                    guid=node.attrs.get("guid", ""),
                    name=node.attrs.get("name", ""),
                    codes=tuple(members),
                    description=description.content if description else "",
                )
            )
        return found


def _own_defaults(codebook: Codebook) -> Codebook:
    """Forget the GUIDs and branch colours upstream derives itself, so a round trip is exact."""
    colours: dict[str, str] = {}
    for index, root in enumerate(codebook.roots()):
        colour = PALETTE[index % len(PALETTE)]
        colours[root.id] = colour
        for code in codebook.descendants(root.id):
            colours[code.id] = colour
    codes = []
    for code in codebook.codes:
        if code.guid is not None and code.guid == code_guid(codebook.id, code.id):
            same = code.color is not None and code.color.upper() == colours[code.id]
            code = replace(code, guid=None, color=None if same else code.color)
        codes.append(code)
    return replace(codebook, codes=tuple(codes))


def read_qdc_reading(
    data: bytes,
    path: str,
    *,
    known: dict[str, str] | None = None,
    default_id: str | None = None,
) -> QdcReading:
    """Parse and validate a REFI-QDA codebook, keeping notes on what was set aside.

    Args:
        data: The content of a ``.qdc`` file or a project's ``project.qde``.
        path: File name to use in error messages.
        known: Code ids already given to GUIDs (a stored mapping); they win over
            ids made from names.
        default_id: The codebook id when the file does not carry upstream's (the
            file name's stem when None).

    Returns:
        The codebook, the warnings and the id of each GUID.

    Raises:
        InvalidCodebook: Listing every problem found, each with its line.
    """
    root, comments = parse_xml(data, path)
    book = root
    if book.name == "Project":
        book = root.child("CodeBook") or root
    if book.name != "CodeBook":
        message = f"expected a REFI-QDA <CodeBook> element, found <{root.name}>"
        raise InvalidCodebook([CodebookError(path, root.line, message)])
    meta = _metadata(comments)
    own = meta.get("codes")
    ids = {str(k): str(v) for k, v in own.items()} if isinstance(own, dict) else {}
    reader = _Reader(path, {**ids, **(known or {})})
    codes_element = book.child("Codes")
    if codes_element is None:
        reader.problems.append(CodebookError(path, book.line, "<CodeBook> has no <Codes> element"))
    else:
        for child in codes_element.all("Code"):
            reader.visit(child, None)
    sets = reader.sets(book.child("Sets") or (root.child("Sets") if root is not book else None))
    for name, count in sorted(reader.ignored.items()):
        reader.warnings.append(f"{count} <{name}> element(s) in the codebook were not imported.")
    codebook_id = str(meta.get("id") or default_id or Path(path).stem)
    codebook = build_codebook(
        path=path,
        id=codebook_id,
        title=str(meta.get("title") or title_from_name(codebook_id)),
        description=str(meta.get("description", "")),
        version=str(meta.get("version", "")),
        source=str(meta.get("source", "")),
        codes=reader.raws,
        problems=reader.problems,
        codes_line=codes_element.line if codes_element is not None else book.line,
        sets=sets,
        threshold=_fraction(meta.get("threshold")),
    )
    return QdcReading(_own_defaults(codebook), reader.warnings, reader.ids)


def _fraction(value: object) -> float | None:
    """A threshold from the metadata comment: a number from 0 to 1, else none."""
    if isinstance(value, int | float) and 0.0 <= float(value) <= 1.0:
        return float(value)
    return None


def read_qdc(data: bytes, path: str) -> Codebook:
    """Parse and validate a REFI-QDA codebook from the bytes of a ``.qdc`` file.

    Args:
        data: The file content.
        path: File name to use in error messages.

    Returns:
        The validated codebook.

    Raises:
        InvalidCodebook: Listing every problem found, each with its line.
    """
    return read_qdc_reading(data, path).codebook


def import_qdc(path: str | Path) -> Codebook:
    """Read a REFI-QDA codebook (``.qdc``) file.

    Args:
        path: The file to read.

    Returns:
        The validated codebook.

    Raises:
        CodebookError: If the file cannot be read.
        InvalidCodebook: If it is not a valid codebook, listing every problem.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise CodebookError(str(path), None, f"cannot read file: {error.strerror}") from None
    return read_qdc(data, str(path))
