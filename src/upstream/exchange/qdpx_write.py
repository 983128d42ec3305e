"""Write a :class:`~upstream.exchange.project.Project` as a ``.qdpx`` file.

Sources are written as ``sources/<guid>.txt`` in UTF-8 without a byte-order
mark and with LF line endings (MAXQDA misreads offsets in files with a BOM or
CRLF), and ``project.qde`` points at them as ``internal://<guid>.txt``. Each
coding is a ``<PlainTextSelection>`` whose ``startPosition``/``endPosition``
count code points. Every distinct variable becomes a text ``<Variable>`` and each
source carries its values; the organisation (when there is one) also becomes a
``<Case>`` holding its sources.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from dataclasses import replace
from pathlib import Path

from upstream import __version__
from upstream.exchange.offsets import code_points_to_utf16
from upstream.exchange.project import PROJECT_NAMESPACE, Project, TextSource, stable_guid
from upstream.frameworks.refiqda import codes_element, metadata_comment, sets_element

__all__ = ["ORGANISATION", "project_xml", "source_bytes", "write_qdpx"]

ORGANISATION = "Organisation"


def source_bytes(text: str) -> bytes:
    """Encode a source's text as the file stored in the project: UTF-8, no BOM, LF.

    Args:
        text: The text (already with LF line endings).

    Returns:
        The bytes to store.
    """
    return text.encode("utf-8")


def _lf(source: TextSource) -> TextSource:
    """The source with LF line endings, its selections moved to match."""
    if "\r" not in source.text:
        return source

    def moved(offset: int) -> int:
        return offset - source.text[:offset].count("\r\n")

    selections = tuple(
        replace(s, start=moved(s.start), end=moved(s.end)) for s in source.selections
    )
    text = source.text.replace("\r\n", "\n").replace("\r", "\n")
    return replace(source, text=text, selections=selections)


def _variables(project: Project) -> dict[str, str]:
    names = dict.fromkeys(name for source in project.sources for name in source.variables)
    return {name: stable_guid("variable", project.name, name) for name in names}


def _source(
    parent: ET.Element, source: TextSource, variables: dict[str, str], named: TextSource
) -> None:
    element = ET.SubElement(
        parent,
        "TextSource",
        {
            "guid": source.guid,
            "name": source.name,
            "plainTextPath": f"internal://{source.guid}.txt",
        },
    )
    for selection, spot in zip(source.selections, named.selections, strict=True):
        attrs = {
            "guid": selection.guid,
            "name": named.text[spot.start : spot.end][:60],
            "startPosition": str(selection.start),
            "endPosition": str(selection.end),
        }
        if selection.user_guid:
            attrs["creatingUser"] = selection.user_guid
        node = ET.SubElement(element, "PlainTextSelection", attrs)
        coding = {"guid": stable_guid("coding", selection.guid)}
        if selection.user_guid:
            coding["creatingUser"] = selection.user_guid
        ET.SubElement(
            ET.SubElement(node, "Coding", coding), "CodeRef", {"targetGUID": selection.code_guid}
        )
    for name, value in source.variables.items():
        holder = ET.SubElement(element, "VariableValue")
        ET.SubElement(holder, "VariableRef", {"targetGUID": variables[name]})
        ET.SubElement(holder, "TextValue").text = value


def project_xml(project: Project, *, names: tuple[TextSource, ...] | None = None) -> bytes:
    """Serialise a project as the bytes of ``project.qde``.

    Args:
        project: The project.
        names: The sources with offsets in code points, to name each selection by
            its text when ``project``'s offsets are counted another way.

    Returns:
        UTF-8 XML with a declaration.

    Raises:
        ValueError: If a code's title or definition holds a character XML cannot hold.
    """
    root = ET.Element(
        "Project",
        {"xmlns": PROJECT_NAMESPACE, "name": project.name, "origin": f"upstream {__version__}"},
    )
    if project.users:
        users = ET.SubElement(root, "Users")
        for user in project.users:
            ET.SubElement(users, "User", {"guid": user.guid, "name": user.name})
    codebook = ET.SubElement(root, "CodeBook")
    # Upstream's codebook fields and code ids, out of sight of other tools.
    codebook.append(metadata_comment(project.codebook))
    codebook.append(codes_element(project.codebook))
    variables = _variables(project)
    if variables:
        holder = ET.SubElement(root, "Variables")
        for name, guid in variables.items():
            ET.SubElement(
                holder, "Variable", {"guid": guid, "name": name, "typeOfVariable": "Text"}
            )
    cases: dict[str, list[str]] = {}
    for source in project.sources:
        organisation = source.variables.get(ORGANISATION)
        if organisation:
            cases.setdefault(organisation, []).append(source.guid)
    if cases:
        holder = ET.SubElement(root, "Cases")
        for name, guids in cases.items():
            case = ET.SubElement(holder, "Case", {"guid": stable_guid("case", name), "name": name})
            for guid in guids:
                ET.SubElement(case, "SourceRef", {"targetGUID": guid})
    if project.sources:
        holder = ET.SubElement(root, "Sources")
        for index, source in enumerate(project.sources):
            _source(holder, source, variables, names[index] if names else source)
    sets = sets_element(project.codebook, ref="targetGUID")
    if sets is not None:
        root.append(sets)
    ET.indent(root, space="  ")
    data: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return data + b"\n"


def _utf16(source: TextSource) -> TextSource:
    """The source with its offsets counted in UTF-16 units, as NVivo counts them."""
    selections = tuple(
        replace(
            s,
            start=code_points_to_utf16(source.text, s.start),
            end=code_points_to_utf16(source.text, s.end),
        )
        for s in source.selections
    )
    return replace(source, selections=selections)


def write_qdpx(project: Project, path: str | Path, *, for_nvivo: bool = False) -> Path:
    """Write a project as a ``.qdpx`` zip: ``project.qde`` and ``sources/*.txt``.

    Args:
        project: The project; source texts are written with LF line endings.
        path: Where to write it.
        for_nvivo: Count offsets in UTF-16 units, as NVivo does, instead of the
            standard's code points (they differ only after emoji and other
            characters outside the Basic Multilingual Plane).

    Returns:
        The path written.

    Raises:
        ValueError: If a code's title or definition holds a character XML cannot hold.
    """
    sources = tuple(_lf(source) for source in project.sources)
    counted = tuple(_utf16(source) for source in sources) if for_nvivo else sources
    xml = project_xml(replace(project, sources=counted), names=sources)
    target = Path(path)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml)
        for source in sources:
            archive.writestr(f"sources/{source.guid}.txt", source_bytes(source.text))
    return target
