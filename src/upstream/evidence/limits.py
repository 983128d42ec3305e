"""Limits that keep a hostile or broken file from exhausting memory.

Every reader takes lines through :func:`bounded_lines`, which never holds more
than :data:`MAX_LINE_CHARS` characters of one line, and spreadsheets are
checked with :func:`check_archive` before they are opened, because a small
XLSX or ODS file can unpack to gigabytes (a "zip bomb").
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from upstream.evidence.errors import ImportFormatError

# One line (or CSV record) of a text file; longer lines are rejected unread.
MAX_LINE_CHARS = 1_000_000
# What a spreadsheet may unpack to. The biggest real exports seen are a few
# hundred thousand rows, well under this; a zip bomb is far over it.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_ARCHIVE_MEMBERS = 10_000
# How much of a rejected over-long line is kept in the rejects file.
KEPT_CHARS = 1_000
_SKIP_CHARS = 1 << 20


class LongLine(str):
    """The start of a line that was too long to read; ``length`` is its full length."""

    length: int

    def __new__(cls, start: str, length: int) -> LongLine:
        """Keep ``start`` as the text and ``length`` as the line's real length."""
        line = super().__new__(cls, start)
        line.length = length
        return line


def too_long_reason(length: int, what: str = "line") -> str:
    """Plain-English reason for rejecting an over-long line."""
    return (
        f"{what} too long: {length:,} characters or more; "
        f"the limit is {MAX_LINE_CHARS:,} characters per {what}"
    )


def bounded_lines(handle: IO[str], limit: int = MAX_LINE_CHARS) -> Iterator[str]:
    """Yield the lines of a text file, never reading more than ``limit`` characters of one.

    A line longer than ``limit`` is read past in chunks and yielded as a
    :class:`LongLine` holding only its first :data:`KEPT_CHARS` characters, so
    a single 50 MB line costs no more memory than a short one.

    Args:
        handle: A file opened in text mode.
        limit: Longest line, in characters, yielded whole.

    Yields:
        Each line with its line ending, or a :class:`LongLine` for an over-long one.
    """
    readline = handle.readline
    while True:
        line = readline(limit)
        if not line:
            return
        if len(line) < limit or line.endswith(("\n", "\r")):
            yield line
            continue
        length = len(line)
        while True:
            rest = readline(_SKIP_CHARS)
            length += len(rest)
            if not rest or rest.endswith(("\n", "\r")):
                break
        yield LongLine(line[:KEPT_CHARS], length)


def check_archive(
    path: Path,
    kind: str,
    *,
    advice: str = "split it into smaller files, or save it as CSV",
    whole: str = "a sheet",
) -> None:
    """Refuse a spreadsheet that would unpack to more than :data:`MAX_UNPACKED_BYTES`.

    The sizes the archive declares are checked first; then each member is
    unpacked in chunks and counted, because a crafted archive can declare
    small sizes and still unpack to much more. Files that are not ZIP
    archives (old .xls) are left to the spreadsheet reader.

    Args:
        path: The spreadsheet file (or Word document).
        kind: Its type as shown to the user, e.g. "XLSX".
        advice: What to do with a file that unpacks too large.
        whole: What the file should hold, for a file of too many parts.

    Raises:
        ImportFormatError: The archive is too large once unpacked, has too many
            parts, or is damaged.
    """
    if not zipfile.is_zipfile(path):
        return
    limit_text = f"{MAX_UNPACKED_BYTES // (1024 * 1024):,} MB"
    too_big = ImportFormatError(
        path,
        f"this {kind} file unpacks to more than {limit_text}, the most that can be imported; "
        f"{advice}",
    )
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > MAX_ARCHIVE_MEMBERS:
                raise ImportFormatError(path, f"this {kind} file has too many parts to be {whole}")
            if sum(member.file_size for member in members) > MAX_UNPACKED_BYTES:
                raise too_big
            total = 0
            for member in members:
                with archive.open(member) as part:
                    while chunk := part.read(_SKIP_CHARS):
                        total += len(chunk)
                        if total > MAX_UNPACKED_BYTES:
                            raise too_big
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise ImportFormatError(path, f"this {kind} file is damaged ({exc})") from exc
    except (OSError, ValueError, RuntimeError, zlib.error) as exc:
        # RuntimeError: an encrypted part; OSError/ValueError: a broken compressed stream.
        raise ImportFormatError(path, f"this {kind} file cannot be unpacked ({exc})") from exc
