"""Write rejected rows to a CSV beside the source file, so nothing is lost silently."""

from __future__ import annotations

import csv
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from upstream.policy import safe_text
from upstream.records.drafts import Reject

REJECTS_COLUMNS = ("file", "line", "column", "reason", "raw", "outcome")
NOT_IMPORTED = "row not imported"
KEPT_WITHOUT = "row imported without this value"


def rejects_path_for(source: Path) -> Path:
    """Where the rejects of ``source`` go: ``<name>.rejects.csv`` in the same folder."""
    return source.with_name(source.name + ".rejects.csv")


class RejectsWriter:
    """Collect rejects into ``<source>.rejects.csv``, created only when needed.

    The file lists rows that were not imported and values left out of rows that
    were (its last column, ``outcome``, says which), so nothing is lost silently.

    Use as a context manager. A rejects file left by an earlier import of the
    same source is removed on entry, so the file on disk always belongs to the
    latest import. Cells that a spreadsheet would treat as formulas are
    prefixed with a quote. The file is UTF-8 with a BOM so Excel opens it
    correctly.

    Attributes:
        source: The file whose rows are being rejected.
        path: Where the rejects are written.
        count: How many rows were rejected (not imported).
        left_out: How many values were left out of rows that were imported.
    """

    def __init__(self, source: Path, *, path: Path | None = None) -> None:
        self.source = Path(source)
        self.path = path or rejects_path_for(self.source)
        self.count = 0
        self.left_out = 0
        self._handle: IO[str] | None = None
        self._writer: Any = None

    def __enter__(self) -> RejectsWriter:
        self.path.unlink(missing_ok=True)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def write(self, reject: Reject) -> None:
        """Append one reject, creating the file on the first one."""
        if self._writer is None:
            if self.count or self.left_out:  # reopened after close(): keep what is there
                self._handle = self.path.open("a", encoding="utf-8", newline="")
                self._writer = csv.writer(self._handle)
            else:
                self._handle = self.path.open("w", encoding="utf-8-sig", newline="")
                self._writer = csv.writer(self._handle)
                self._writer.writerow(REJECTS_COLUMNS)
        self._writer.writerow(
            [
                safe_text(reject.file),
                reject.line,
                safe_text(reject.column),
                safe_text(reject.reason),
                safe_text(reject.raw),
                KEPT_WITHOUT if reject.kept else NOT_IMPORTED,
            ]
        )
        if reject.kept:
            self.left_out += 1
        else:
            self.count += 1

    def close(self) -> None:
        """Flush and close the file, if one was created."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None
            self._writer = None

    def discard(self) -> None:
        """Close and delete the file, e.g. when the import failed and was rolled back."""
        self.close()
        self.path.unlink(missing_ok=True)
