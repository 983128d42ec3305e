"""Write a codebook as the CSV that Taguette's "Import codebook" accepts.

Taguette reads a header with exactly one of ``tag``, ``name`` or ``path`` and an
optional ``description`` (its ``import_codebook.list_tags_csv``); it decodes the
file as UTF-8, so the file is written without a byte-order mark. Taguette's tags
are flat: each codable code becomes one tag named by its title (with the parent's
title in front when two codes share a title), and the description holds the
definition, notes and examples. Grouping codes, colours and GUIDs have no place
in Taguette and are left out, with a warning.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from upstream.frameworks.model import Code, Codebook
from upstream.frameworks.refiqda import format_description
from upstream.policy import safe_text

__all__ = ["TAGUETTE_COLUMNS", "export_taguette_csv", "taguette_warnings"]

TAGUETTE_COLUMNS = ("tag", "description")


def _tag(codebook: Codebook, code: Code, repeated: set[str]) -> str:
    if code.title in repeated and code.parent is not None:
        return f"{codebook.code(code.parent).title} > {code.title}"
    return code.title


def export_taguette_csv(codebook: Codebook, path: str | Path) -> Path:
    """Write the codebook's codable codes as a Taguette codebook CSV.

    Args:
        codebook: The codebook to write.
        path: Where to write it (``.csv``).

    Returns:
        The path written.
    """
    counts = Counter(code.title for code in codebook.codable())
    repeated = {title for title, count in counts.items() if count > 1}
    target = Path(path)
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(TAGUETTE_COLUMNS)
        for _depth, code in codebook.walk():
            if code.codable:
                cells = (_tag(codebook, code, repeated), format_description(code).strip())
                writer.writerow([safe_text(cell) for cell in cells])
    return target


def taguette_warnings(codebook: Codebook) -> list[str]:
    """List what Taguette will not get from this codebook.

    Args:
        codebook: The codebook about to be written.

    Returns:
        Plain-English sentences; empty when nothing is lost.
    """
    warnings = []
    grouping = len(codebook.codes) - len(codebook.codable())
    if grouping:
        warnings.append(
            f"{grouping} grouping code(s) that may not be assigned are left out: "
            "Taguette has no categories."
        )
    if codebook.levels > 1:
        warnings.append("Taguette's tags are flat: the hierarchy is not kept.")
    if any(code.color for code in codebook.codes) or codebook.sets:
        warnings.append("Taguette keeps no colours or code groups.")
    return warnings
