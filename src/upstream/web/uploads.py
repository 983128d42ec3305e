"""Uploaded files waiting in the import wizard: size and type limits, storage, expiry.

A file is accepted only when its extension is on the allow-list *and* its first
bytes look like that kind of file (a ZIP container for XLSX and ODS, text with no
binary bytes for the rest). Each upload gets a random id and its own folder,
readable only by the person who uploaded it (checked on every step).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import time
import zipfile
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, BinaryIO

ALLOWED_SUFFIXES: dict[str, str] = {
    ".csv": "CSV",
    ".tsv": "tab-separated text",
    ".txt": "plain text",
    ".md": "Markdown",
    ".docx": "Word document",
    ".json": "JSON",
    ".jsonl": "JSON Lines",
    ".ndjson": "JSON Lines",
    ".xlsx": "Excel workbook",
    ".ods": "OpenDocument spreadsheet",
}
_BINARY_MAGIC = (
    b"PK\x03\x04",
    b"%PDF",
    b"MZ",
    b"\x7fELF",
    b"\xd0\xcf\x11\xe0",
    b"GIF8",
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"\x1f\x8b",
    b"7z\xbc\xaf",
    b"Rar!",
)
_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_CHUNK = 1 << 20


class UploadError(Exception):
    """An upload was refused; ``status_code`` is 413 (too large) or 415 (wrong type)."""

    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message


@dataclass
class Upload:
    """One uploaded file and the choices made for it in the wizard."""

    id: str
    user_id: int
    workspace_id: int
    filename: str
    size: int
    folder: str
    created: float = field(default_factory=time.time)
    mapping: dict[str, Any] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        """Where the uploaded file is stored."""
        return Path(self.folder) / self.filename

    @property
    def suffix(self) -> str:
        """The file's extension, lower case."""
        return self.path.suffix.lower()


def safe_filename(name: str) -> str:
    """A harmless file name from what the browser sent (no folders, no odd characters)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, suffix = base.rpartition(".")
    if not dot:
        stem, suffix = base, ""
    stem = re.sub(r"[^\w\- ]+", "_", stem, flags=re.ASCII).strip(" ._")[:100] or "upload"
    return f"{stem}.{suffix.lower()}" if suffix else stem


def sniff(path: Path, suffix: str) -> str | None:
    """Check the file's content fits its extension; return a reason when it does not."""
    with path.open("rb") as handle:
        head = handle.read(64 * 1024)
    if suffix == ".docx":
        ok = head.startswith(b"PK\x03\x04") and zipfile.is_zipfile(path)
        if ok:
            with zipfile.ZipFile(path) as archive:
                ok = "word/document.xml" in set(archive.namelist())
        return None if ok else f"the file is not really a {ALLOWED_SUFFIXES[suffix]}"
    if suffix in {".xlsx", ".ods"}:
        if not head.startswith(b"PK\x03\x04") or not zipfile.is_zipfile(path):
            return f"the file is not really a {ALLOWED_SUFFIXES[suffix]}"
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if suffix == ".xlsx":
                ok = "[Content_Types].xml" in names and "xl/workbook.xml" in names
            else:
                ok = "mimetype" in names and archive.read("mimetype").startswith(
                    b"application/vnd.oasis.opendocument.spreadsheet"
                )
        return None if ok else f"the file is not really a {ALLOWED_SUFFIXES[suffix]}"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return None  # UTF-16 text, as Excel's "Unicode text" export writes
    if head.startswith(_BINARY_MAGIC) or b"\x00" in head:
        return "the file holds binary data, not text; check it is the file you meant"
    if suffix in {".json", ".jsonl", ".ndjson"}:
        first = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        if first not in {b"[", b"{"}:
            return "the file does not start like JSON (with [ or {)"
    return None


class UploadStore:
    """Keeps uploads in their own folders under ``root`` until they expire.

    Args:
        root: Folder for uploads (created, private to this user account).
        max_bytes: Largest file accepted.
        max_age: Uploads older than this are deleted by :meth:`sweep`.
    """

    def __init__(self, root: Path, *, max_bytes: int, max_age: timedelta) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes
        self.max_age = max_age

    def save(self, source: BinaryIO, filename: str, *, user_id: int, workspace_id: int) -> Upload:
        """Store an uploaded file after checking its size and type.

        Raises:
            UploadError: The file is too large, empty, or not an allowed type.
        """
        name = safe_filename(filename)
        suffix = Path(name).suffix.lower()
        if suffix not in ALLOWED_SUFFIXES:
            allowed = ", ".join(sorted(ALLOWED_SUFFIXES))
            raise UploadError(415, f"Files of this type cannot be imported. Allowed: {allowed}.")
        self.sweep()
        upload_id = secrets.token_urlsafe(18)
        folder = self.root / upload_id
        folder.mkdir(parents=True, mode=0o700)
        target = folder / name
        size = 0
        try:
            with target.open("wb") as out:
                while chunk := source.read(_CHUNK):
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise UploadError(
                            413, f"The file is larger than {_megabytes(self.max_bytes)}."
                        )
                    out.write(chunk)
            if size == 0:
                raise UploadError(415, "The file is empty.")
            reason = sniff(target, suffix)
            if reason is not None:
                raise UploadError(415, f"This file cannot be imported: {reason}.")
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        upload = Upload(upload_id, user_id, workspace_id, name, size, str(folder))
        self.update(upload)
        return upload

    def get(self, upload_id: str, *, user_id: int, workspace_id: int) -> Upload | None:
        """An upload by id, only for the person who uploaded it, in the same workspace."""
        if not _ID.match(upload_id):
            return None
        meta = self.root / upload_id / "upload.json"
        try:
            upload = Upload(**json.loads(meta.read_text("utf-8")))
        except (OSError, ValueError, TypeError):
            return None
        if upload.user_id != user_id or upload.workspace_id != workspace_id:
            return None
        return upload

    def update(self, upload: Upload) -> None:
        """Save the upload's record (e.g. after its column mapping changed)."""
        meta = Path(upload.folder) / "upload.json"
        tmp = meta.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(upload)), "utf-8")
        os.replace(tmp, meta)

    def discard_file(self, upload: Upload) -> None:
        """Delete the uploaded file itself (its rejects file stays until it expires)."""
        upload.path.unlink(missing_ok=True)

    def sweep(self) -> None:
        """Delete uploads older than ``max_age``."""
        if not self.root.is_dir():
            return
        cutoff = time.time() - self.max_age.total_seconds()
        for folder in self.root.iterdir():
            if folder.is_dir() and _ID.match(folder.name) and folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB" if size >= 1024 * 1024 else f"{size:,} bytes"
