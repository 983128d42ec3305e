"""Write codebooks as YAML, CSV or REFI-QDA files.

YAML is written in the nested ``children:`` shape that
:func:`upstream.frameworks.load.load_codebook` reads. CSV has the header
``code,title,description,parent,include,exclude,examples`` with examples separated
by ``|``; it is written as UTF-8 with a byte-order mark so Excel shows accents and
pound signs correctly, and cells that a spreadsheet would run as a formula (those
starting with ``=``, ``+``, ``-`` or ``@``) are prefixed with ``'``.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import yaml

from upstream.frameworks.model import Code, Codebook
from upstream.frameworks.refiqda import export_qdc
from upstream.policy import safe_text

__all__ = [
    "CSV_COLUMNS",
    "EXPORT_FORMATS",
    "codebook_to_dict",
    "export_codebook",
    "export_csv",
    "export_yaml",
]

CSV_COLUMNS = ("code", "title", "description", "parent", "include", "exclude", "examples")
EXPORT_FORMATS = {".yaml": "yaml", ".yml": "yaml", ".csv": "csv", ".qdc": "qdc"}


def _code_dict(codebook: Codebook, code: Code) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": code.id, "title": code.title, "definition": code.definition}
    if code.include:
        entry["include"] = code.include
    if code.exclude:
        entry["exclude"] = code.exclude
    if code.examples:
        entry["examples"] = list(code.examples)
    if code.guid:
        entry["guid"] = code.guid
    if code.color:
        entry["color"] = code.color
    if not code.codable:
        entry["codable"] = False
    children = codebook.children(code.id)
    if children:
        entry["children"] = [_code_dict(codebook, child) for child in children]
    return entry


def codebook_to_dict(codebook: Codebook) -> dict[str, Any]:
    """Return a codebook as plain data in upstream's nested YAML shape.

    Args:
        codebook: The codebook to convert.

    Returns:
        A dict with ``id``, ``title``, ``description``, ``version``, ``source``
        and a nested ``codes`` list.
    """
    data: dict[str, Any] = {
        "id": codebook.id,
        "title": codebook.title,
        "description": codebook.description,
        "version": codebook.version,
    }
    if codebook.source:
        data["source"] = codebook.source
    if codebook.threshold is not None:
        data["threshold"] = codebook.threshold
    data["codes"] = [_code_dict(codebook, root) for root in codebook.roots()]
    if codebook.sets:
        data["sets"] = [
            {
                "guid": s.guid,
                "name": s.name,
                **({"description": s.description} if s.description else {}),
                "codes": list(s.codes),
            }
            for s in codebook.sets
        ]
    return data


class _Dumper(yaml.SafeDumper):
    """Safe dumper that writes multi-line text as readable ``|`` blocks."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def export_yaml(codebook: Codebook, path: str | Path) -> Path:
    """Write a codebook as YAML in upstream's nested shape.

    Args:
        codebook: The codebook to write.
        path: Where to write it.

    Returns:
        The path written.
    """
    target = Path(path)
    text = yaml.dump(
        codebook_to_dict(codebook),
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    target.write_text(text, encoding="utf-8")
    return target


def export_csv(codebook: Codebook, path: str | Path) -> Path:
    """Write a codebook as CSV, one code per row, parents before children.

    Examples are joined with ``" | "``; a ``|`` inside an example becomes ``/``.

    Args:
        codebook: The codebook to write.
        path: Where to write it.

    Returns:
        The path written.
    """
    target = Path(path)
    with target.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for _depth, code in codebook.walk():
            cells = (
                code.id,
                code.title,
                code.definition,
                code.parent or "",
                code.include,
                code.exclude,
                " | ".join(example.replace("|", "/") for example in code.examples),
            )
            writer.writerow([safe_text(cell) for cell in cells])
    return target


def export_codebook(codebook: Codebook, path: str | Path) -> Path:
    """Write a codebook in the format named by the file's extension.

    Args:
        codebook: The codebook to write.
        path: Where to write it: ``.yaml``/``.yml``, ``.csv`` or ``.qdc``.

    Returns:
        The path written.

    Raises:
        ValueError: If the extension is not one of the supported formats.
    """
    target = Path(path)
    kind = EXPORT_FORMATS.get(target.suffix.lower())
    if kind == "yaml":
        return export_yaml(codebook, target)
    if kind == "csv":
        return export_csv(codebook, target)
    if kind == "qdc":
        return export_qdc(codebook, target)
    supported = ", ".join(sorted(EXPORT_FORMATS))
    raise ValueError(f"cannot export to {target.name!r}: use one of {supported}")
