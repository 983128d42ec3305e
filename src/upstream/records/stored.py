"""Plain read-only views of stored rows, handed to the CLI, web app and analysis code."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class WorkspaceInfo:
    """A workspace and how much evidence it holds."""

    id: int
    name: str
    items: int
    organisations: int
    sources: int


@dataclass(frozen=True, slots=True)
class SourceInfo:
    """Provenance and outcome of one import."""

    id: int
    name: str
    kind: str
    path: str
    file_sha256: str
    detected: dict[str, Any]
    options: dict[str, Any]
    rows_read: int
    rows_imported: int
    rows_duplicate: int
    rows_rejected: int
    redactions: dict[str, Any]
    imported_by: str
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ItemRecord:
    """One stored item of evidence."""

    id: int
    text: str
    source_id: int
    organisation: str | None
    external_id: str | None
    line: int
    author_role: str | None
    item_date: date | None
    attributes: dict[str, Any] = field(default_factory=dict)
    engagement: dict[str, Any] = field(default_factory=dict)
    shared: bool = True
    redacted: bool = False


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """One entry of the audit log."""

    actor: str
    action: str
    target_type: str
    target_id: str
    detail: dict[str, Any]
    at: datetime


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One analysis run: parameters, versions, seed, timings and outcome."""

    id: int
    kind: str
    status: str
    parameters: dict[str, Any]
    versions: dict[str, Any]
    seed: int | None
    summary: dict[str, Any]
    started_by: str
    started_at: datetime
    finished_at: datetime | None
