"""Learning products: read uploaded files, suggest tags from their text, recommend them.

Text comes from PDF (pypdf), Word (python-docx) or Markdown and plain text.
Tags are suggested by TF-IDF closeness between the product's text and each
code's wording (title, definition, notes and examples) in the workspace's
codebooks, and by theme keywords appearing in the text; a person confirms or
edits them. :func:`recommend` finds products whose confirmed tags match the
codes someone is looking at.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]

from upstream.frameworks import builtin_names, load_codebook
from upstream.store.library_repository import LibraryStore, ProductRecord, TagRecord
from upstream.store.repository import Workspace
from upstream.store.theme_repository import ThemeStore
from upstream.store.workgroup_repository import stored_codebooks

__all__ = [
    "KINDS",
    "MAX_PRODUCT_BYTES",
    "LibraryError",
    "Recommendation",
    "extract_text",
    "media_type",
    "recommend",
    "suggest_tags",
]

KINDS = {"guide": "Guide", "tool": "Tool", "case_study": "Case study"}
MAX_PRODUCT_BYTES = 20 * 1024 * 1024
MAX_TEXT_CHARS = 500_000
SUFFIXES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".md": "text/markdown; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}
_MIN_SCORE = 0.06
_TOP_CODES = 5


class LibraryError(Exception):
    """A product file was refused; ``status_code`` is 413 or 415, the message is for people."""

    def __init__(self, status_code: int, message: str) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message


@dataclass(frozen=True)
class Recommendation:
    """A product recommended for some codes, and the tags that matched."""

    product: ProductRecord
    matched: tuple[TagRecord, ...]


def media_type(filename: str) -> str:
    """The media type a stored product file is served with."""
    return SUFFIXES.get(Path(filename).suffix.lower(), "application/octet-stream")


def extract_text(filename: str, content: bytes, *, max_bytes: int = MAX_PRODUCT_BYTES) -> str:
    """The text of an uploaded product file, after checking its size and type.

    Args:
        filename: The file's name (its extension decides how it is read).
        content: The file's bytes.
        max_bytes: Largest file accepted.

    Returns:
        The text, whitespace tidied, at most 500,000 characters.

    Raises:
        LibraryError: Too large (413), empty, of a type not accepted, not what its
            extension says, or unreadable (415).
    """
    suffix = Path(filename).suffix.lower()
    if suffix not in SUFFIXES:
        raise LibraryError(415, "Upload a PDF, a Word document (.docx), Markdown (.md) or text.")
    if len(content) > max_bytes:
        limit = (
            f"{max_bytes / (1024 * 1024):,.0f} MB"
            if max_bytes >= 1024 * 1024
            else f"{max_bytes:,} bytes"
        )
        raise LibraryError(413, f"The file is larger than {limit}.")
    if not content:
        raise LibraryError(415, "The file is empty.")
    if suffix == ".pdf":
        text = _pdf_text(content)
    elif suffix == ".docx":
        text = _docx_text(content)
    else:
        text = _plain_text(content)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(r"[ \t\f\v]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text).strip()
    if not text:
        raise LibraryError(415, "No text could be read from the file (is it a scanned image?).")
    return text[:MAX_TEXT_CHARS]


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    if not content.startswith(b"%PDF"):
        raise LibraryError(415, "The file is not really a PDF.")
    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted:
            raise LibraryError(415, "The PDF is password-protected; upload an open copy.")
        return "\n\n".join(page.extract_text() or "" for page in reader.pages[:500])
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise LibraryError(415, "The PDF could not be read; it may be damaged.") from exc


def _docx_text(content: bytes) -> str:
    import docx

    buffer = io.BytesIO(content)
    if not content.startswith(b"PK\x03\x04") or not zipfile.is_zipfile(buffer):
        raise LibraryError(415, "The file is not really a Word document.")
    with zipfile.ZipFile(buffer) as archive:
        if "word/document.xml" not in archive.namelist():
            raise LibraryError(415, "The file is not really a Word document.")
    try:
        document = docx.Document(io.BytesIO(content))
    except (ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise LibraryError(415, "The Word document could not be read.") from exc
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n\n".join(parts)


def _plain_text(content: bytes) -> str:
    head = content[:65536]
    if b"\x00" in head or head.startswith((b"%PDF", b"PK\x03\x04", b"MZ", b"\x7fELF")):
        raise LibraryError(415, "The file holds binary data, not text.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")


def _wording(parts: Iterable[str]) -> str:
    return " ".join(p for p in parts if p)


def suggest_tags(
    text: str,
    *,
    codebooks: Sequence[str] = ("dbe",),
    themes: Sequence[tuple[str, Sequence[str]]] = (),
    limit: int = _TOP_CODES,
) -> list[TagRecord]:
    """Codes and themes a product's text is about, strongest first (none confirmed).

    Args:
        text: The product's title, summary and text.
        codebooks: Keys of built-in codebooks to draw codes from.
        themes: ``(label, keywords)`` of the workspace's themes.
        limit: At most this many codes.
    """
    codes = [
        (key, code)
        for key in dict.fromkeys(codebooks)
        if key in builtin_names()
        for code in load_codebook(key).codes
        if code.parent is not None  # a top-level heading is too broad to tag with
    ]
    tags: list[TagRecord] = []
    if codes and text.strip():
        documents = [_wording([c.title, c.definition, c.include, *c.examples]) for _, c in codes]
        vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, ngram_range=(1, 2))
        matrix = vectorizer.fit_transform([text[:100_000], *documents])
        scores = (matrix[1:] @ matrix[0].T).toarray().ravel()
        ranked = sorted(range(len(codes)), key=lambda i: -scores[i])
        for index in ranked[:limit]:
            if scores[index] < _MIN_SCORE:
                break
            key, code = codes[index]
            tags.append(
                TagRecord("code", code.id, key, code.title, False, round(float(scores[index]), 3))
            )
    words = set(re.findall(r"[a-z][a-z'-]+", text.lower()))
    for label, keywords in themes:
        hits = [k for k in keywords if str(k).lower() in words]
        if len(hits) >= 2:
            tags.append(TagRecord("theme", label, "", label, False, float(len(hits))))
    return tags


def workspace_tag_sources(workspace: Workspace) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """The codebooks (always ``dbe``) and newest top-level themes tags are drawn from."""
    books = list(dict.fromkeys(["dbe", *stored_codebooks(workspace)]))
    themes = [
        (t.label, [str(k) for k in t.keywords])
        for t in ThemeStore(workspace).themes()
        if t.parent_number is None
    ]
    return books, themes


def recommend(
    workspace: Workspace, codes: Sequence[str] | str | None, limit: int = 3
) -> list[Recommendation]:
    """Learning products for the codes someone is looking at (confirmed tags only).

    Args:
        workspace: The workspace.
        codes: Code ids (or ``theme:<label>`` keys); a single id is accepted too.
        limit: At most this many.

    Returns:
        Products with the most matching tags first, then the newest.
    """
    if not codes:
        return []
    wanted = [codes] if isinstance(codes, str) else [str(c) for c in codes]
    values = _with_narrower([c.removeprefix("theme:") for c in wanted])
    found = LibraryStore(workspace).products(codes=values, limit=200)
    ranked = []
    for product in found:
        matched = tuple(t for t in product.confirmed_tags if t.value in values)
        if matched:
            ranked.append(Recommendation(product, matched))
    ranked.sort(key=lambda r: (-len(r.matched), -r.product.id))
    return ranked[: max(0, int(limit))]


def _with_narrower(codes: list[str]) -> list[str]:
    """The codes and every narrower code under them in the built-in frameworks.

    A guide tagged "devolved decisions" helps whoever is weak on "behaviours",
    the element above it, so looking at a broad code finds products tagged
    with its children too.
    """
    found = dict.fromkeys(codes)
    for name in builtin_names():
        book = load_codebook(name)
        for code in book.codes:
            if code.id not in found and any(a.id in codes for a in book.ancestors(code.id)):
                found[code.id] = None
    return list(found)
