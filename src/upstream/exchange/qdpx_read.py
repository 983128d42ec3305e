"""Read a ``.qdpx`` project written by upstream or another REFI-QDA tool.

Text sources are read from ``PlainTextContent`` or from the file named by
``plainTextPath`` (``internal://`` inside the zip; a byte-order mark is dropped,
line endings are left as written because offsets count them). Selections keep
their offsets in code points; a project written by NVivo counts UTF-16 units,
so its offsets are converted (see :mod:`upstream.exchange.offsets`). A coding
made on a whole source (``<Coding>`` directly in ``<TextSource>``) becomes a
selection of the whole text. Pictures, PDFs, audio and video, notes, links and
graphs are not imported: each kind is named in a warning.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from upstream.exchange.offsets import utf16_to_code_points
from upstream.exchange.project import Project, Selection, TextSource, User, stable_guid
from upstream.frameworks.model import CodebookError
from upstream.frameworks.refiqda_read import XmlElement, parse_xml, read_qdc_reading

__all__ = ["MAX_MEMBER_BYTES", "ProjectReading", "read_qdpx"]

# A guard against zip bombs: no project file or source text is anywhere near this.
MAX_MEMBER_BYTES = 256 * 2**20

_NOT_IMPORTED = ("Notes", "Links", "Graphs")


@dataclass
class ProjectReading:
    """A project read from a file, with what was set aside.

    Attributes:
        project: The project.
        warnings: Plain-English notes on what was not imported.
        code_ids: The codebook's code id for each code GUID.
    """

    project: Project
    warnings: list[str] = field(default_factory=list)
    code_ids: dict[str, str] = field(default_factory=dict)


def _slug(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", name.lower()).strip("_")


def _text(archive: zipfile.ZipFile, node: XmlElement, path: str) -> str:
    content = node.child("PlainTextContent")
    if content is not None:
        return content.content
    location = node.attrs.get("plainTextPath", "")
    name = location.removeprefix("internal://")
    candidates = [f"sources/{name}", f"Sources/{name}", name]
    for candidate in candidates:
        if candidate in archive.namelist():
            return archive.read(candidate).decode("utf-8-sig")
    message = f"source {node.attrs.get('name', '')!r}: its text {location!r} is not in the file"
    raise CodebookError(path, node.line, message)


def _selections(
    node: XmlElement, text: str, utf16: bool, default_user: str | None
) -> list[Selection]:
    found: list[Selection] = []

    def position(value: str) -> int:
        offset = int(value)
        return utf16_to_code_points(text, offset) if utf16 else offset

    for selection in node.all("PlainTextSelection"):
        start = position(selection.attrs.get("startPosition", "0"))
        end = position(selection.attrs.get("endPosition", "0"))
        user = selection.attrs.get("creatingUser") or default_user
        for coding in selection.all("Coding"):
            ref = coding.child("CodeRef")
            if ref is None:
                continue
            found.append(
                Selection(
                    guid=selection.attrs.get("guid", stable_guid("selection", start, end)),
                    start=max(0, min(start, len(text))),
                    end=max(0, min(end, len(text))),
                    code_guid=ref.attrs.get("targetGUID", ""),
                    user_guid=coding.attrs.get("creatingUser") or user,
                )
            )
    for coding in node.all("Coding"):  # coded as a whole
        ref = coding.child("CodeRef")
        if ref is not None:
            guid = coding.attrs.get("guid", "")
            user = coding.attrs.get("creatingUser") or default_user
            found.append(Selection(guid, 0, len(text), ref.attrs.get("targetGUID", ""), user))
    return found


def _variables(root: XmlElement) -> dict[str, str]:
    holder = root.child("Variables")
    return {
        v.attrs.get("guid", ""): v.attrs.get("name", "")
        for v in (holder.all("Variable") if holder else [])
    }


def _values(node: XmlElement, names: dict[str, str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for value in node.all("VariableValue"):
        ref = value.child("VariableRef")
        held = next((c for c in value.children if c.name.endswith("Value")), None)
        if ref is not None and held is not None:
            name = names.get(ref.attrs.get("targetGUID", ""))
            if name:
                values[name] = held.content
    return values


def _case_values(root: XmlElement, names: dict[str, str]) -> dict[str, dict[str, str]]:
    """Variable values of each case, by the GUID of every source the case holds."""
    found: dict[str, dict[str, str]] = {}
    holder = root.child("Cases")
    for case in holder.all("Case") if holder else []:
        values = _values(case, names)
        for ref in case.all("SourceRef"):
            found.setdefault(ref.attrs.get("targetGUID", ""), {}).update(values)
    return found


def read_qdpx(path: str | Path, *, known: dict[str, str] | None = None) -> ProjectReading:
    """Read a ``.qdpx`` project.

    Args:
        path: The file.
        known: Code ids already stored for GUIDs; they win over ids made from names.

    Returns:
        The project, the warnings and the code id of each code GUID.

    Raises:
        CodebookError: The file is not a readable project (or holds no codebook).
        InvalidCodebook: Its codebook has problems, each with its line.
    """
    name = str(path)
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as error:
        raise CodebookError(name, None, f"not a .qdpx (zip) file: {error}") from None
    with archive:
        member = next((n for n in archive.namelist() if n.lower().endswith(".qde")), None)
        if member is None:
            raise CodebookError(name, None, "the file holds no project.qde")
        for info in archive.infolist():
            if info.file_size > MAX_MEMBER_BYTES:
                message = f"{info.filename} is larger than {MAX_MEMBER_BYTES // 2**20} MB"
                raise CodebookError(name, None, message)
        data = archive.read(member)
        where = f"{name}:{member}"
        root, _ = parse_xml(data, where)
        if root.name != "Project":
            raise CodebookError(where, root.line, f"expected <Project>, found <{root.name}>")
        default_id = _slug(root.attrs.get("name", "")) or _slug(Path(name).stem)
        codebook = read_qdc_reading(data, where, known=known, default_id=default_id)
        warnings = list(codebook.warnings)
        origin = root.attrs.get("origin", "")
        utf16 = origin.lower().startswith("nvivo")
        users_node = root.child("Users")
        users = tuple(
            User(u.attrs.get("guid", ""), u.attrs.get("name") or u.attrs.get("id", ""))
            for u in (users_node.all("User") if users_node else [])
        )
        names = _variables(root)
        by_case = _case_values(root, names)
        sources: list[TextSource] = []
        holder = root.child("Sources")
        skipped: dict[str, int] = {}
        for node in holder.children if holder else []:
            if node.name != "TextSource":
                skipped[node.name] = skipped.get(node.name, 0) + 1
                continue
            text = _text(archive, node, where)
            # NVivo names no coder on selections; a project with one user names them.
            only = users[0].guid if len(users) == 1 else None
            default_user = node.attrs.get("creatingUser") or only
            sources.append(
                TextSource(
                    guid=node.attrs.get("guid", ""),
                    name=node.attrs.get("name", ""),
                    text=text,
                    selections=tuple(_selections(node, text, utf16, default_user)),
                    variables={
                        **by_case.get(node.attrs.get("guid", ""), {}),
                        **_values(node, names),
                    },
                )
            )
    for kind, count in sorted(skipped.items()):
        warnings.append(f"{count} {kind} source(s) were not imported: upstream reads text only.")
    for part in _NOT_IMPORTED:
        if root.child(part) is not None:
            warnings.append(f"The project's {part.lower()} were not imported.")
    if utf16:
        warnings.append(
            "The file was written by NVivo, which counts UTF-16 units: offsets were converted."
        )
    project = Project(root.attrs.get("name", ""), codebook.codebook, users, tuple(sources), origin)
    return ProjectReading(project, warnings, codebook.ids)
