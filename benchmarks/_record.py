"""Append a dated results section to docs/benchmarks.md."""

from __future__ import annotations

import os
import platform
from datetime import date
from pathlib import Path

BENCHMARKS_MD = Path(__file__).resolve().parents[1] / "docs" / "benchmarks.md"


def machine() -> str:
    """A one-line description of the machine the figures were measured on."""
    return f"{os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}"


def markdown_table(headers: list[str], rows: list[list[str]]) -> str:
    """Render rows as a Markdown table."""
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def record(title: str, body: str) -> None:
    """Append a section with today's date and the machine to docs/benchmarks.md."""
    BENCHMARKS_MD.parent.mkdir(parents=True, exist_ok=True)
    if not BENCHMARKS_MD.exists():
        BENCHMARKS_MD.write_text("# Benchmarks\n", encoding="utf-8")
    section = f"\n## {title} — {date.today().isoformat()}\n\nMachine: {machine()}.\n\n{body}\n"
    with BENCHMARKS_MD.open("a", encoding="utf-8") as handle:
        handle.write(section)
