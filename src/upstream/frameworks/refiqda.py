"""Exchange codebooks with other QDA tools through the REFI-QDA Codebook standard.

A ``.qdc`` file is XML: ``<CodeBook xmlns="urn:QDA-XML:codebook:1.0">`` holding a
``<Codes>`` element of nested ``<Code guid=".." name=".." isCodable="true">``
elements, each with an optional ``<Description>``. NVivo, ATLAS.ti, MAXQDA,
QDA Miner and others read and write it.

How upstream's richer codes fit into that format (so a round trip loses nothing):

* ``name`` is the code title; nesting gives the hierarchy.
* ``guid`` is ``uuid5(UPSTREAM_NAMESPACE, "<codebook id>/<code id>")``, so
  exporting the same codebook twice gives identical files.
* ``<Description>`` holds the definition, then ``Include:``, ``Exclude:`` and
  ``Examples:`` sections (each example on a ``- `` line), and finally a line
  ``upstream id: <code id>``. Other tools show this text to coders as it is, and
  :func:`import_qdc` reads the sections back. Codes without that last line (made
  in another tool) get an id made from their name, such as ``risk_averse_culture``.
* The codebook's own id, title, version, description and source go in an XML
  comment ``<!-- upstream-codebook {json} -->`` inside ``<CodeBook>``; without it
  the file name's stem is used.
"""

from __future__ import annotations

import json
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from upstream import __version__
from upstream.frameworks.model import Code, Codebook, CodebookError, InvalidCodebook
from upstream.frameworks.validate import RawCode, build_codebook

__all__ = [
    "QDC_NAMESPACE",
    "UPSTREAM_NAMESPACE",
    "code_guid",
    "export_qdc",
    "format_description",
    "import_qdc",
    "parse_description",
    "read_qdc",
]

QDC_NAMESPACE = "urn:QDA-XML:codebook:1.0"
UPSTREAM_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:upstream:codebook")
_META_MARK = "upstream-codebook"
_ID_LINE = re.compile(r"^upstream id:[ \t]*(\S.*?)[ \t]*$", re.MULTILINE)
_SECTION = re.compile(r"^(Include|Exclude|Examples):[ \t]*", re.MULTILINE)
_PALETTE = (
    "#1F77B4",
    "#FF7F0E",
    "#2CA02C",
    "#D62728",
    "#9467BD",
    "#8C564B",
    "#E377C2",
    "#7F7F7F",
    "#BCBD22",
    "#17BECF",
)


def code_guid(codebook_id: str, code_id: str) -> str:
    """Return the deterministic GUID upstream uses for a code in REFI-QDA files.

    Args:
        codebook_id: Id of the codebook.
        code_id: Id of the code.

    Returns:
        A lowercase GUID string such as ``"3f2b...-..."``.
    """
    return str(uuid.uuid5(UPSTREAM_NAMESPACE, f"{codebook_id}/{code_id}"))


def format_description(code: Code) -> str:
    """Render a code's definition, notes, examples and id as one description text.

    Args:
        code: The code to describe.

    Returns:
        The text stored in the REFI-QDA ``<Description>`` element.
    """
    parts = [code.definition.strip()] if code.definition.strip() else []
    if code.include:
        parts.append(f"Include: {code.include.strip()}")
    if code.exclude:
        parts.append(f"Exclude: {code.exclude.strip()}")
    if code.examples:
        parts.append("Examples:\n" + "\n".join(f"- {example}" for example in code.examples))
    parts.append(f"upstream id: {code.id}")
    return "\n\n".join(parts)


@dataclass
class ParsedDescription:
    """The pieces :func:`parse_description` recovers from a description text.

    Attributes:
        definition: Text before the first section.
        include: The ``Include:`` section.
        exclude: The ``Exclude:`` section.
        examples: The ``- `` lines of the ``Examples:`` section.
        code_id: The id from the ``upstream id:`` line, if present.
    """

    definition: str = ""
    include: str = ""
    exclude: str = ""
    examples: tuple[str, ...] = ()
    code_id: str | None = None


def parse_description(text: str) -> ParsedDescription:
    """Split a description written by :func:`format_description` back into parts.

    Text from other tools, without sections, becomes the definition.

    Args:
        text: The description text.

    Returns:
        The recovered parts.
    """
    parsed = ParsedDescription()
    ids = list(_ID_LINE.finditer(text))
    if ids:
        last = ids[-1]
        parsed.code_id = last.group(1)
        text = text[: last.start()] + text[last.end() :]
    sections = list(_SECTION.finditer(text))
    parsed.definition = text[: sections[0].start()].strip() if sections else text.strip()
    for index, match in enumerate(sections):
        end = sections[index + 1].start() if index + 1 < len(sections) else len(text)
        body = text[match.end() : end].strip()
        if match.group(1) == "Include":
            parsed.include = body
        elif match.group(1) == "Exclude":
            parsed.exclude = body
        else:
            lines = (line.strip() for line in body.splitlines())
            parsed.examples = tuple(
                line[1:].strip() for line in lines if line.startswith("-") and line[1:].strip()
            )
    return parsed


def export_qdc(codebook: Codebook, path: str | Path) -> Path:
    """Write a codebook as a REFI-QDA codebook (``.qdc``) file.

    Args:
        codebook: The codebook to write.
        path: Where to write it.

    Returns:
        The path written.
    """
    root = ET.Element("CodeBook", {"xmlns": QDC_NAMESPACE, "origin": f"upstream {__version__}"})
    meta = {
        "id": codebook.id,
        "title": codebook.title,
        "version": codebook.version,
        "description": codebook.description,
        "source": codebook.source,
    }
    # "--" may not appear in an XML comment; every "-" is inside a JSON string.
    encoded = json.dumps(meta, ensure_ascii=True).replace("-", "\\u002d")
    root.append(ET.Comment(f" {_META_MARK} {encoded} "))
    codes = ET.SubElement(root, "Codes")

    def add(parent: ET.Element, code: Code, colour: str) -> None:
        element = ET.SubElement(
            parent,
            "Code",
            {
                "guid": code_guid(codebook.id, code.id),
                "name": code.title,
                "isCodable": "true",
                "color": colour,
            },
        )
        ET.SubElement(element, "Description").text = format_description(code)
        for child in codebook.children(code.id):
            add(element, child, colour)

    for index, top in enumerate(codebook.roots()):
        add(codes, top, _PALETTE[index % len(_PALETTE)])
    ET.indent(root, space="  ")
    # Serialise fully before touching the file, so a failure leaves no half-written file.
    data = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    target = Path(path)
    target.write_bytes(data + b"\n")
    return target


@dataclass
class _Element:
    name: str
    attrs: dict[str, str]
    line: int
    children: list[_Element] = field(default_factory=list)
    text: list[str] = field(default_factory=list)


def _parse_xml(data: bytes, path: str) -> tuple[_Element, list[str]]:
    """Parse XML into a light tree that remembers each element's line."""
    parser = expat.ParserCreate(namespace_separator=" ")
    stack: list[_Element] = []
    comments: list[str] = []
    found: list[_Element] = []

    def start(name: str, attrs: dict[str, str]) -> None:
        element = _Element(name.rsplit(" ", 1)[-1], attrs, parser.CurrentLineNumber)
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
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        message = f"XML syntax error: {expat.ErrorString(error.code)}"
        raise InvalidCodebook([CodebookError(path, error.lineno, message)]) from None
    return found[0], comments


def _slug(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_") or "code"


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
    root, comments = _parse_xml(data, path)
    book = root
    if book.name == "Project":
        book = next((child for child in root.children if child.name == "CodeBook"), root)
    if book.name != "CodeBook":
        message = f"expected a REFI-QDA <CodeBook> element, found <{root.name}>"
        raise InvalidCodebook([CodebookError(path, root.line, message)])
    meta: dict[str, str] = {}
    for comment in comments:
        text = comment.strip()
        if text.startswith(_META_MARK):
            try:
                loaded = json.loads(text[len(_META_MARK) :])
            except ValueError:
                continue
            if isinstance(loaded, dict):
                meta = {str(key): str(value) for key, value in loaded.items()}

    problems: list[CodebookError] = []
    raws: list[RawCode] = []
    guids: dict[str, int] = {}
    used: set[str] = set()

    def visit(element: _Element, parent: str | None) -> None:
        guid = element.attrs.get("guid", "").strip()
        if not guid:
            problems.append(CodebookError(path, element.line, "<Code> has no guid"))
        elif guid in guids:
            message = f"duplicate guid {guid!r} (first used on line {guids[guid]})"
            problems.append(CodebookError(path, element.line, message))
        else:
            guids[guid] = element.line
        title = element.attrs.get("name", "").strip()
        description = next((c for c in element.children if c.name == "Description"), None)
        parsed = parse_description("".join(description.text) if description else "")
        code_id = parsed.code_id
        if code_id is None:
            base = _slug(title or guid)
            code_id, counter = base, 2
            while code_id in used:
                code_id, counter = f"{base}_{counter}", counter + 1
        used.add(code_id)
        raws.append(
            RawCode(
                line=element.line,
                id=code_id,
                title=title or None,
                definition=parsed.definition,
                parent=parent,
                include=parsed.include,
                exclude=parsed.exclude,
                examples=parsed.examples,
            )
        )
        for child in element.children:
            if child.name == "Code":
                visit(child, code_id)

    codes_element = next((c for c in book.children if c.name == "Codes"), None)
    if codes_element is None:
        problems.append(CodebookError(path, book.line, "<CodeBook> has no <Codes> element"))
    else:
        for child in codes_element.children:
            if child.name == "Code":
                visit(child, None)
    codebook_id = meta.get("id") or Path(path).stem
    return build_codebook(
        path=path,
        id=codebook_id,
        title=meta.get("title") or codebook_id,
        description=meta.get("description", ""),
        version=meta.get("version", ""),
        source=meta.get("source", ""),
        codes=raws,
        problems=problems,
        codes_line=codes_element.line if codes_element is not None else book.line,
    )


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
