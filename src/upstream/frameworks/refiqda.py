"""Exchange codebooks with other QDA tools through the REFI-QDA Codebook standard.

A ``.qdc`` file is XML: ``<CodeBook xmlns="urn:QDA-XML:codebook:1.0">`` holding a
``<Codes>`` element of nested ``<Code guid=".." name=".." isCodable="true">``
elements, each with an optional ``<Description>``. NVivo, ATLAS.ti, MAXQDA,
QDA Miner and others read and write it.

How upstream's richer codes fit into that format (so a round trip loses nothing):

* ``name`` is the code title; nesting gives the hierarchy.
* ``guid`` is the GUID the code arrived with, when it came from another tool;
  for upstream's own codes it is ``uuid5(UPSTREAM_NAMESPACE, "<codebook id>/<code
  id>")``. Either way the same code leaves with the same GUID every time
  (docs/adr/0006-code-identity-in-exchange-files.md).
* ``color`` and ``isCodable`` are written as the code has them; upstream's own
  codes without a colour get one per top-level branch.
* ``<Description>`` holds the definition, then ``Include:``, ``Exclude:`` and
  ``Examples:`` sections (each example on a ``- `` line) when the code has them.
  A code from another tool has only its description, written back as it came.
  Upstream's own code id is not in the text (other tools show the description to
  every coder): it travels in the metadata comment below, keyed by GUID.
* The codebook's own id, title, version, description and source, and the code id
  of each GUID, go in an XML comment ``<!-- upstream-codebook {json} -->`` inside
  ``<CodeBook>``; without it the file name's stem is the codebook id.
* ``<Sets>`` (ATLAS.ti's code groups) hold the codebook's sets.

Reading is in :mod:`upstream.frameworks.refiqda_read`.
"""

from __future__ import annotations

import json
import re
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from upstream import __version__
from upstream.frameworks.characters import bad_characters, describe_character
from upstream.frameworks.model import Code, Codebook, CodeSet

__all__ = [
    "QDC_NAMESPACE",
    "UPSTREAM_NAMESPACE",
    "code_guid",
    "codes_element",
    "export_qdc",
    "export_warnings",
    "format_description",
    "guid_of",
    "metadata_comment",
    "parse_description",
    "qdc_bytes",
    "sets_element",
]

QDC_NAMESPACE = "urn:QDA-XML:codebook:1.0"
UPSTREAM_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:upstream:codebook")
META_MARK = "upstream-codebook"
COLOUR = re.compile(r"^#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
_ID_LINE = re.compile(r"^upstream id:[ \t]*(\S.*?)[ \t]*$", re.MULTILINE)
_SECTION = re.compile(r"^(Include|Exclude|Examples):[ \t]*", re.MULTILINE)
PALETTE = (
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


def guid_of(codebook_id: str, code: Code) -> str:
    """Return the GUID a code leaves upstream with: its own, or the derived one.

    Args:
        codebook_id: Id of the codebook the code is in.
        code: The code.

    Returns:
        The GUID to write.
    """
    return code.guid or code_guid(codebook_id, code.id)


def format_description(code: Code) -> str:
    """Render a code's definition, notes and examples as one description text.

    A definition without notes or examples is written exactly as it is, so a
    description from another tool goes back unchanged.

    Args:
        code: The code to describe.

    Returns:
        The text stored in the REFI-QDA ``<Description>`` element.
    """
    if not (code.include or code.exclude or code.examples):
        return code.definition
    parts = [code.definition.strip()] if code.definition.strip() else []
    if code.include:
        parts.append(f"Include: {code.include.strip()}")
    if code.exclude:
        parts.append(f"Exclude: {code.exclude.strip()}")
    if code.examples:
        parts.append("Examples:\n" + "\n".join(f"- {example}" for example in code.examples))
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

    Text from other tools, without sections, becomes the definition as written.

    Args:
        text: The description text.

    Returns:
        The recovered parts.
    """
    parsed = ParsedDescription()
    ids = list(_ID_LINE.finditer(text))
    if ids:
        # Files written before upstream kept its ids out of the description.
        last = ids[-1]
        parsed.code_id = last.group(1)
        text = (text[: last.start()] + text[last.end() :]).strip()
    sections = list(_SECTION.finditer(text))
    if not sections:
        parsed.definition = text
        return parsed
    parsed.definition = text[: sections[0].start()].strip()
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


def _check_text(codebook: Codebook) -> None:
    for code in codebook.codes:
        for name in ("title", "definition", "include", "exclude"):
            for char in bad_characters(getattr(code, name)):
                raise ValueError(
                    f"code {code.id!r}: the {name} holds the character "
                    f"{describe_character(char)}, which XML cannot hold; "
                    "run 'upstream codebook validate' and remove it"
                )


def codes_element(codebook: Codebook) -> ET.Element:
    """Build the ``<Codes>`` element (unqualified tags) for a codebook or project file.

    Args:
        codebook: The codebook to write.

    Returns:
        The ``<Codes>`` element, nested as the codebook's hierarchy.

    Raises:
        ValueError: If a title or definition holds a character XML cannot hold.
    """
    _check_text(codebook)
    codes = ET.Element("Codes")

    def add(parent: ET.Element, code: Code, colour: str) -> None:
        attrs = {"guid": guid_of(codebook.id, code), "name": code.title}
        attrs["isCodable"] = "true" if code.codable else "false"
        own = code.color if code.color and COLOUR.match(code.color) else None
        if own or code.guid is None:
            attrs["color"] = own or colour
        element = ET.SubElement(parent, "Code", attrs)
        description = format_description(code)
        if description or code.guid is None:
            ET.SubElement(element, "Description").text = description
        for child in codebook.children(code.id):
            add(element, child, colour)

    for index, top in enumerate(codebook.roots()):
        add(codes, top, PALETTE[index % len(PALETTE)])
    return codes


def _set_element(codebook: Codebook, code_set: CodeSet, member_tag: str, ref: str) -> ET.Element:
    element = ET.Element("Set", {"guid": code_set.guid, "name": code_set.name})
    if code_set.description:
        ET.SubElement(element, "Description").text = code_set.description
    for code_id in code_set.codes:
        guid = guid_of(codebook.id, codebook.code(code_id))
        ET.SubElement(element, member_tag, {ref: guid})
    return element


def sets_element(codebook: Codebook, *, ref: str = "guid") -> ET.Element | None:
    """Build the ``<Sets>`` element, or None when the codebook has no sets.

    Args:
        codebook: The codebook whose sets to write.
        ref: The member attribute: ``guid`` in a codebook file, ``targetGUID``
            in a project file.

    Returns:
        The element, or None.
    """
    if not codebook.sets:
        return None
    sets = ET.Element("Sets")
    for code_set in codebook.sets:
        sets.append(_set_element(codebook, code_set, "MemberCode", ref))
    return sets


def metadata_comment(codebook: Codebook) -> ET.Element[Any]:
    """Build the comment that carries upstream's codebook fields and code ids.

    Args:
        codebook: The codebook.

    Returns:
        An XML comment element.
    """
    meta: dict[str, object] = {
        "id": codebook.id,
        "title": codebook.title,
        "version": codebook.version,
        "description": codebook.description,
        "source": codebook.source,
    }
    if codebook.threshold is not None:
        meta["threshold"] = codebook.threshold
    meta["codes"] = {guid_of(codebook.id, code): code.id for code in codebook.codes}
    # "--" may not appear in an XML comment; every "-" is inside a JSON string.
    encoded = json.dumps(meta, ensure_ascii=True).replace("-", "\\u002d")
    return ET.Comment(f" {META_MARK} {encoded} ")


def qdc_bytes(codebook: Codebook) -> bytes:
    """Serialise a codebook as the bytes of a REFI-QDA codebook (``.qdc``) file.

    Args:
        codebook: The codebook to write.

    Returns:
        UTF-8 XML with a declaration and a final line feed.

    Raises:
        ValueError: If a title or definition holds a character XML cannot hold.
    """
    root = ET.Element("CodeBook", {"xmlns": QDC_NAMESPACE, "origin": f"upstream {__version__}"})
    root.append(metadata_comment(codebook))
    root.append(codes_element(codebook))
    sets = sets_element(codebook)
    if sets is not None:
        root.append(sets)
    ET.indent(root, space="  ")
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def export_qdc(codebook: Codebook, path: str | Path) -> Path:
    """Write a codebook as a REFI-QDA codebook (``.qdc``) file.

    Args:
        codebook: The codebook to write.
        path: Where to write it.

    Returns:
        The path written.

    Raises:
        ValueError: If a title or definition holds a character XML cannot hold;
            nothing is written then.
    """
    # Serialise fully before touching the file, so a failure leaves no half-written file.
    data = qdc_bytes(codebook)
    target = Path(path)
    target.write_bytes(data)
    return target


def export_warnings(codebook: Codebook) -> list[str]:
    """List, in plain English, what another tool would lose from this codebook.

    Args:
        codebook: The codebook about to be written as REFI-QDA.

    Returns:
        One sentence per loss; empty when nothing is lost.
    """
    warnings: list[str] = []
    if codebook.title != codebook.id or codebook.description or codebook.version:
        warnings.append(
            "The codebook's title, version and description are kept in a comment that "
            "other tools drop when they save the file; upstream then names the codebook "
            "after the file."
        )
    seen: dict[str, str] = {}
    for code in codebook.codes:
        if code.title in seen:
            warnings.append(
                f"Codes {seen[code.title]!r} and {code.id!r} share the name {code.title!r}; "
                "QualCoder merges codes that share a name."
            )
        seen.setdefault(code.title, code.id)
        if "\n" in code.title or "\r" in code.title or "\t" in code.title:
            warnings.append(
                f"Code {code.id!r}: the title has a line break or tab; "
                "other tools show it as a space."
            )
        if code.color and not COLOUR.match(code.color):
            warnings.append(
                f"Code {code.id!r}: the colour {code.color!r} is not written as #RRGGBB "
                "and is left out."
            )
    return warnings
