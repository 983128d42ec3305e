"""The bundled demo: a fictional learning network of councils and partners.

Every name and every text in ``data/`` was written for upstream; none of it
describes a real place or person.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from upstream.store import Store
from upstream.workflows.ingest import ImportOptions, ImportResult, import_file

DEMO_DB = "upstream-demo.db"


@dataclass
class DemoImport:
    """What loading the demo evidence did."""

    workspace: str
    results: list[ImportResult] = field(default_factory=list)

    @property
    def imported(self) -> int:
        """Items newly stored by this load (0 when the demo was already loaded)."""
        return sum(r.imported for r in self.results)


def data_dir() -> Path:
    """Folder holding the demo files inside the installed package."""
    return Path(str(resources.files("upstream.demo") / "data"))


def manifest() -> dict[str, Any]:
    """The demo's import instructions (``data/manifest.yaml``)."""
    with (data_dir() / "manifest.yaml").open(encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


def organisations() -> list[dict[str, str]]:
    """The fictional organisations with their kind, region and size."""
    with (data_dir() / "organisations.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_demo(store: Store, *, on_file: Callable[[str], None] | None = None) -> DemoImport:
    """Import every demo file into the demo workspace (safe to run again).

    Args:
        store: The open store.
        on_file: Called with each file name before it is imported.

    Returns:
        The per-file import results.
    """
    spec = manifest()
    workspace = str(spec["workspace"])
    with store.writer(workspace) as writer:
        for org in organisations():
            writer.describe_organisation(
                org["name"], kind=org.get("kind", ""), attributes=_org_attributes(org)
            )
    outcome = DemoImport(workspace)
    for entry in spec["files"]:
        name = str(entry["path"])
        if on_file:
            on_file(name)
        options = ImportOptions(
            workspace=workspace,
            organisation=entry.get("org"),
            org_column=entry.get("org_column"),
            text_column=entry.get("text_column"),
            id_column=entry.get("id_column"),
            date_column=entry.get("date_column"),
            role_column=entry.get("role_column"),
            engagement_columns=list(entry.get("engagement_columns", [])),
            attribute_columns=list(entry.get("attribute_columns", [])),
            respondent_column=entry.get("respondent_column"),
            redact=bool(entry.get("redact", False)),
            source_name=entry.get("source", name),
            kind=entry.get("kind", ""),
            question=entry.get("question", ""),
            actor="demo",
        )
        outcome.results.append(import_file(store, data_dir() / name, options))
    return outcome


def _org_attributes(org: dict[str, str]) -> dict[str, Any]:
    return {key: value for key, value in org.items() if key not in {"name", "kind"} and value}
