"""Guess how a file is written: its encoding, delimiter, header row and text column.

Every guess here is reported back to the user (``TableReader.detected``) so a
wrong one is visible and can be overridden.
"""

from __future__ import annotations

import codecs
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any

from upstream.evidence.column_questions import header_question
from upstream.evidence.errors import ImportConfigError, ImportFormatError
from upstream.records.drafts import RawRow

if TYPE_CHECKING:
    from upstream.evidence.readers import TableReader

CHUNK_BYTES = 1 << 20
SAMPLE_CHARS = 64 * 1024
TEXT_SAMPLE_ROWS = 200
SAMPLE_VALUE_CHARS = 2_000

DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}

# Bytes cp1252 leaves undefined; one of these means the file is not cp1252.
_CP1252_UNDEFINED = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")

_NUMBER = re.compile(r"^[-+(]?[£$€]?[-+]?(?:\d[\d,]*)?\.?\d+%?\)?$")
_DATE = re.compile(
    r"^(?:\d{4}-\d{1,2}-\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
    r"|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}(?: \d{1,2}:\d{2}(?::\d{2})?)?"
    r"|\d{1,2}(?:st|nd|rd|th)? [A-Za-z]{3,9},? \d{4}"
    r"|\d{1,2}:\d{2}(?::\d{2})?)$"
)
_PREFERRED_TEXT_NAMES = frozenset(
    {
        *("text", "comment", "comments", "response", "responses", "reply", "replies"),
        *("content", "note", "notes", "story", "stories", "answer", "answers"),
        *("description", "body", "feedback", "message", "quote", "verbatim"),
        *("transcript", "remarks"),
    }
)
_ID_NAMES = frozenset({"id", "ids", "uuid", "guid", "ref", "reference", "key", "identifier"})
_NAME_TOKEN = re.compile(r"[A-Za-z][a-z]*|\d+")


@dataclass(frozen=True, slots=True)
class Encoding:
    """How a text file is encoded.

    Attributes:
        codec: A Python codec name.
        damaged: The file is UTF-8 but a few of its bytes are not valid UTF-8;
            they decode to U+FFFD, and readers reject the lines holding them.
    """

    codec: str
    damaged: bool = False

    def describe(self) -> str:
        """The encoding as reported to the user."""
        if self.damaged:
            return f"{self.codec} (some lines hold bytes that are not valid UTF-8)"
        return self.codec


DAMAGED_UTF8 = (
    "not valid UTF-8: this line holds bytes that are not UTF-8 text "
    "(shown here as \ufffd); fix or retype those characters and import the line again"
)


def detect_encoding(path: Path) -> str:
    """Decide how a text file is encoded; see :func:`sniff_encoding`.

    Returns:
        A Python codec name: "utf-8-sig", "utf-8", "utf-16", "cp1252" or "latin-1".
    """
    return sniff_encoding(path).codec


def sniff_encoding(path: Path) -> Encoding:
    """Decide how a text file is encoded.

    Tries, in order: UTF-8 with a byte-order mark, UTF-8, Windows-1252 and
    Latin-1. UTF-8 is decided by decoding the whole file in binary chunks, so a
    single stray byte late in a large file is still caught; the cp1252 check
    rides on the same pass. A file that is nearly all valid UTF-8 (more valid
    accented characters than broken bytes) stays UTF-8 and is marked damaged,
    so one bad byte does not turn every accent in the file into mojibake.

    Args:
        path: The file to inspect.

    Returns:
        The codec ("utf-8-sig", "utf-8", "utf-16", "cp1252" or "latin-1") and
        whether the UTF-8 is damaged.

    Raises:
        ImportFormatError: The file holds NUL bytes, so it is binary rather than text.
    """
    utf8 = codecs.getincrementaldecoder("utf-8")()
    utf8_ok = True
    cp1252_ok = True
    with path.open("rb") as handle:
        first = handle.read(CHUNK_BYTES)
        if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            # Excel's "Unicode text" export; the BOM settles it.
            return Encoding("utf-16")
        if b"\x00" in first:
            hint = (
                " It looks like a spreadsheet (XLSX or ODS) with the wrong extension."
                if first.startswith(b"PK\x03\x04")
                else ""
            )
            raise ImportFormatError(path, "this is a binary file, not text." + hint)
        has_bom = first.startswith(codecs.BOM_UTF8)
        chunk = first
        while chunk:
            if utf8_ok:
                try:
                    utf8.decode(chunk)
                except UnicodeDecodeError:
                    utf8_ok = False
            if cp1252_ok and any(bad in chunk for bad in _CP1252_UNDEFINED):
                cp1252_ok = False
            if not utf8_ok and not cp1252_ok:
                break
            chunk = handle.read(CHUNK_BYTES)
        if utf8_ok:
            try:
                utf8.decode(b"", final=True)  # a multi-byte sequence cut off at the end
            except UnicodeDecodeError:
                utf8_ok = False
    utf8_codec = "utf-8-sig" if has_bom else "utf-8"
    if utf8_ok:
        return Encoding(utf8_codec)
    if _mostly_utf8(path):
        return Encoding(utf8_codec, damaged=True)
    return Encoding("cp1252" if cp1252_ok else "latin-1")


def _mostly_utf8(path: Path) -> bool:
    """True when valid multi-byte UTF-8 characters outnumber the invalid bytes.

    Text in cp1252 or Latin-1 almost never forms valid multi-byte UTF-8 by
    chance, so a file with many valid accents and a few broken bytes is UTF-8
    that was damaged (pasted from elsewhere, or cut mid-character).
    """
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    valid = bad = 0
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            text = decoder.decode(chunk)
            bad += text.count("\ufffd")
            # Each valid multi-byte character takes more bytes than characters.
            valid += max(len(chunk) - len(text), 0)
        bad += decoder.decode(b"", final=True).count("\ufffd")
    return valid > bad


def read_sample(path: Path, encoding: str, chars: int = SAMPLE_CHARS) -> str:
    """Return up to ``chars`` decoded characters from the start of a file."""
    with path.open(encoding=encoding, errors="replace", newline="") as handle:
        return handle.read(chars)


def sniff_delimiter(sample: str, *, suffix: str = "") -> str:
    """Choose the field delimiter among comma, semicolon, tab and pipe.

    The delimiter whose count per line is most consistent wins; quoted text is
    removed first so commas inside answers do not vote. Title lines without any
    delimiter do not count against a candidate.

    Args:
        sample: The first part of the decoded file.
        suffix: The file's extension; ".tsv" always means tab.

    Returns:
        The delimiter character (comma when nothing is conclusive).
    """
    if suffix.lower() == ".tsv":
        return "\t"
    unquoted = re.sub(r'"(?:[^"]|"")*"', '""', sample)
    lines = [line for line in re.split(r"\r\n|\r|\n", unquoted) if line.strip()]
    if len(sample) >= SAMPLE_CHARS and len(lines) > 1:
        lines = lines[:-1]  # probably cut short by the sample size
    lines = lines[:100]
    best, best_score = ",", (0.0, 0)
    for delimiter in DELIMITERS:
        counts = [line.count(delimiter) for line in lines]
        nonzero = Counter(c for c in counts if c)
        if not nonzero:
            continue
        mode, _ = max(nonzero.items(), key=lambda item: (item[1], item[0]))
        score = (sum(1 for c in counts if c == mode) / len(counts), mode)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def unique_column_names(names: Iterable[Any]) -> list[str]:
    """Make header names usable as keys: trimmed, non-blank and unique.

    A blank name becomes ``column_N``, where N is the 1-based position, so the
    user can find the column in the file. A repeated name keeps its column:
    the second "name" becomes "name (2)", the third "name (3)", and
    :func:`renamed_columns` says so.
    """
    result: list[str] = []
    seen: set[str] = set()
    occurrences: Counter[str] = Counter()
    for position, raw in enumerate(names, start=1):
        name = "" if raw is None else str(raw).strip()
        if not name:
            name = f"column_{position}"
        else:
            occurrences[name] += 1
            if name in seen:
                base, number = name, occurrences[name]
                name = f"{base} ({number})"
                while name in seen:
                    number += 1
                    name = f"{base} ({number})"
        seen.add(name)
        result.append(name)
    return result


def renamed_columns(names: Sequence[Any], columns: Sequence[str]) -> str | None:
    """Say which repeated header names were renamed, for ``detected``; None when none were."""
    renamed = [
        f"'{column}' (column {position})"
        for position, (raw, column) in enumerate(zip(names, columns, strict=False), start=1)
        if raw is not None and str(raw).strip() and str(raw).strip() != column
    ]
    if not renamed:
        return None
    return "repeated header names kept as " + ", ".join(renamed)


def looks_numeric(value: str) -> bool:
    """True for numbers, money amounts and percentages such as "1,204" or "£3.50"."""
    return bool(_NUMBER.match(value.strip()))


def looks_like_date(value: str) -> bool:
    """True for common written dates and times such as "2024-03-01" or "1 March 2024"."""
    return bool(_DATE.match(value.strip()))


def _is_label(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    text = value.strip()
    return bool(text) and not looks_numeric(text) and not looks_like_date(text)


def _filled(row: Sequence[Any]) -> int:
    return sum(1 for v in row if v is not None and str(v).strip())


def choose_header_row(rows: Sequence[Sequence[Any]]) -> int:
    """Pick which of the first rows of a table is its header.

    Spreadsheets (and some CSV exports) put a title, notes and blank rows above
    the header. Rows with at most half as many filled cells as the widest row
    count as such title rows. The first row that is not a title row is the
    header when it is the first non-blank row; when title rows were skipped it
    must also consist of labels (text, not numbers or dates), so a data row is
    never mistaken for a header. Failing that, the first non-blank row is used.

    Args:
        rows: The first rows (about 30) as cell values; blank rows allowed.

    Returns:
        Index into ``rows`` of the header, or -1 when every row is blank.
    """
    filled = [_filled(row) for row in rows]
    non_blank = [i for i, n in enumerate(filled) if n]
    if not non_blank:
        return -1
    widest = max(filled)
    wide = [i for i in non_blank if filled[i] * 2 > widest]
    first = non_blank[0]
    if wide[0] == first:
        return first
    for i in wide:
        if all(_is_label(v) for v in rows[i] if _filled([v])):
            return i
    return first


def resolve_column(name: str, columns: Sequence[str]) -> str | None:
    """Find ``name`` among ``columns``, ignoring case and outer spaces when unambiguous."""
    if name in columns:
        return name
    wanted = name.strip().casefold()
    matches = [c for c in columns if c.strip().casefold() == wanted]
    return matches[0] if len(matches) == 1 else None


def _name_tokens(name: str) -> set[str]:
    return {token.lower() for token in _NAME_TOKEN.findall(name)}


def _is_id_name(name: str) -> bool:
    # "ResponseID" splits into single letters, so catch the capitalised suffix too;
    # a plain "...id" ending would wrongly catch "said" or "paid".
    return bool(_name_tokens(name) & _ID_NAMES) or name.endswith("ID")


def guess_text_column(columns: Sequence[str], sample: Sequence[Mapping[str, Any]]) -> str | None:
    """Choose the column most likely to hold the free text.

    Columns named like text (comment, response, answer, notes, ...) win when
    their values read like sentences; otherwise the column whose values are
    longest and wordiest. Identifier columns and columns of numbers or dates are
    never chosen.

    Args:
        columns: The column names.
        sample: Some rows, as column-to-value mappings.

    Returns:
        The chosen column, or None when no column looks like text.
    """
    scored: list[tuple[float, float, str, bool]] = []
    for name in columns:
        tokens = _name_tokens(name)
        if _is_id_name(name):
            continue
        values = [str(row.get(name) or "").strip() for row in sample]
        present = [v for v in values if v]
        if not present:
            continue
        not_text = sum(1 for v in present if looks_numeric(v) or looks_like_date(v))
        if not_text * 2 >= len(present):
            continue
        rows = max(len(values), 1)
        mean_words = sum(len(v.split()) for v in present) / rows
        mean_length = sum(len(v) for v in present) / rows
        preferred = bool(tokens & _PREFERRED_TEXT_NAMES)
        scored.append((mean_length + 5 * mean_words, mean_words, name, preferred))
    if not scored:
        # No values to judge by (e.g. a header-only file): go by the name alone.
        named = (c for c in columns if _name_tokens(c) & _PREFERRED_TEXT_NAMES)
        return next((c for c in named if not _is_id_name(c)), None)
    # Preferred names win only when their content reads like sentences, so a
    # "response_type" column of single words does not beat a real answer column.
    wordy_preferred = [s for s in scored if s[3] and s[1] >= 2]
    pool = wordy_preferred or scored
    return max(pool, key=lambda s: s[0])[2]


ENGAGEMENT_NAMES = frozenset(
    {
        "like",
        "likes",
        "retweet",
        "retweets",
        "repost",
        "reposts",
        "agree",
        "agrees",
        "vote",
        "votes",
    }
    | {"reaction", "reactions"}
)
_FREE_TEXT_WORDS = 4  # a column whose values average this many words reads as free text


# Contact details a survey tool exports beside the answers: never suggested for
# keeping (a person may still choose one), since nothing here needs them.
_CONTACT_NAMES = frozenset(
    {"email", "e mail", "email address", "e mail address", "ip", "ip address",
     "first name", "last name", "surname", "full name", "name", "your name",
     "phone", "phone number", "telephone", "mobile", "address", "postal address",
     "home address", "date of birth", "dob"}
)  # fmt: skip


def guess_column_roles(
    columns: Sequence[str], sample: Sequence[Mapping[str, Any]], text_column: str | None
) -> tuple[list[str], list[str]]:
    """Suggest which columns count engagement and which to keep as attributes.

    A column named like a count of reactions (likes, retweets, reposts, agrees,
    votes, reactions; any case, e.g. "RetweetCount" or "num_likes") whose
    values are numbers is engagement ("Is there anything else you would like
    to tell us?" is not). Every other column that does not read like free text
    (short labels, numbers, dates) is kept as an attribute, so nothing in the
    file is dropped unless a person says so; but not contact details (email,
    IP address, names, phone), a column empty in every sampled row, or another
    open question's answers (a question for a name, and answers that differ).

    Args:
        columns: The column names.
        sample: Some rows, as column-to-value mappings.
        text_column: The column holding the text (never suggested).

    Returns:
        The engagement columns and the attribute columns, each in file order.
    """
    engagement: list[str] = []
    attributes: list[str] = []
    for name in columns:
        if name == text_column:
            continue
        present = [str(row.get(name) or "").strip() for row in sample]
        present = [v for v in present if v]
        numbers = sum(1 for v in present if looks_numeric(v))
        # "RetweetCount" splits on capitals; "VOTES" only once lower-cased.
        if (_name_tokens(name) | _name_tokens(name.lower())) & ENGAGEMENT_NAMES and (
            numbers * 2 >= len(present) if present else len(_name_tokens(name)) <= 3
        ):
            engagement.append(name)
            continue
        key = " ".join(name.replace("_", " ").replace("-", " ").lower().split())
        if key in _CONTACT_NAMES or (sample and not present):
            continue
        # Another open question's answers: named as a question, and each one its own.
        if (
            header_question(name)
            and len(set(present)) * 2 > len(present)
            and numbers * 2 < len(present)
        ):
            continue
        not_text = sum(1 for v in present if looks_numeric(v) or looks_like_date(v))
        wordy = bool(present) and sum(len(v.split()) for v in present) / len(present) >= (
            _FREE_TEXT_WORDS
        )
        if not wordy or not_text * 2 >= len(present):
            attributes.append(name)
    return engagement, attributes


_ID_NAMES = frozenset(
    {"id", "ref", "reference", "reply id", "response id", "record id",
     "comment id", "submission id", "case id"}
)  # fmt: skip
# Who wrote each row: a person's id, handle or name, so people can be counted.
_RESPONDENT_NAMES = frozenset(
    {"respondent", "respondent id", "respondent ref", "author", "author id", "user",
     "username", "user name", "user id", "handle", "screen name", "participant",
     "participant id", "person id", "submitted by", "posted by", "written by"}
)  # fmt: skip
_DATE_NAMES = frozenset(
    {"date", "submitted", "date submitted", "submitted at", "created", "created at",
     "timestamp", "response date", "reply date", "posted", "posted at", "when",
     # Survey tools' own columns (SurveyMonkey, Qualtrics, Microsoft Forms).
     "end date", "start date", "recorded date", "completion time", "start time"}
)  # fmt: skip
_ROLE_NAMES = frozenset({"role", "job title", "author role", "position", "job role"})


def guess_named_columns(
    columns: Sequence[str], sample: Sequence[Mapping[str, Any]]
) -> dict[str, str]:
    """Suggest the reference, date, role and "who wrote it" columns from their names.

    A column is suggested only when its name says what it holds ("id",
    "reply_id", "Date submitted", "Job title", "respondent") and, for a date,
    when every sampled value reads as a date (a date column rejects a row it
    cannot read). Any other name ending in "id" ("note_id") is the reference
    when every sampled row has a value and no two share one.

    Args:
        columns: The column names.
        sample: Some rows, as column-to-value mappings.

    Returns:
        ``{"id_column": ..., "date_column": ..., "role_column": ...,
        "respondent_column": ...}`` for the roles a column was found for.
    """
    found: dict[str, str] = {}
    for name in columns:
        key = " ".join(name.replace("_", " ").replace("-", " ").lower().split())
        if key in _ID_NAMES:
            found.setdefault("id_column", name)
        elif key in _ROLE_NAMES:
            found.setdefault("role_column", name)
        elif key in _RESPONDENT_NAMES:
            found.setdefault("respondent_column", name)
        elif key in _DATE_NAMES:
            values = [str(row.get(name) or "").strip() for row in sample]
            values = [v for v in values if v]
            # Every sampled value, not most: a date column rejects a row it cannot read.
            if values and all(looks_like_date(v) for v in values):
                found.setdefault("date_column", name)
        elif key.endswith(" id") and _distinct(name, sample):
            # "note_id", "sticky id": a row's own reference when no two rows share one
            # (an organisation's id repeats, so it is not taken).
            found.setdefault("id_column", name)
    return found


def _distinct(name: str, sample: Sequence[Mapping[str, Any]]) -> bool:
    """Whether every sampled row has a value in this column, and no two the same."""
    values = [str(row.get(name) or "").strip() for row in sample]
    return bool(values) and all(values) and len(set(values)) == len(values)


def detect_text_column(
    source: TableReader | Sequence[str], sample: Sequence[Mapping[str, Any]] | None = None
) -> str:
    """Return the text column of an opened table, or guess it from names and a sample.

    Args:
        source: A :class:`TableReader` (its ``text_column`` is used when already
            set, otherwise its first rows are sampled), or a list of column names.
        sample: Rows to judge by (for a reader, its first rows when not given).

    Returns:
        The column holding the free text.

    Raises:
        ImportConfigError: No column looks like free text; the message lists them all.
    """
    rows: list[Mapping[str, Any]]
    if isinstance(source, Sequence):
        columns = list(source)
        rows = list(sample or [])
    else:
        if source.text_column:
            return source.text_column
        columns = list(source.columns)
        rows = list(sample) if sample is not None else list(sample_rows(source))
    found = guess_text_column(columns, rows)
    if found is None:
        raise ImportConfigError(
            "could not tell which column holds the text; name it explicitly", available=columns
        )
    return found


def _shortened(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        key: value[:SAMPLE_VALUE_CHARS] if isinstance(value, str) else value
        for key, value in values.items()
    }


def sample_rows(reader: TableReader, limit: int = TEXT_SAMPLE_ROWS) -> list[dict[str, Any]]:
    """Read the values of up to ``limit`` good rows from the start of a table.

    Long values are cut to :data:`SAMPLE_VALUE_CHARS`, which is plenty to judge
    a column by, so the sample stays small however long the rows are.
    """
    rows = reader.rows()
    try:
        good = (_shortened(row.values) for row in rows if isinstance(row, RawRow))
        return list(islice(good, limit))
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()


PROMPT_ATTRIBUTES = ("question", "prompt", "column")
"""Columns (and item attributes) read as the prompt a row answers, first found first."""


def prompt_columns(columns: Sequence[str], text_column: str = "") -> list[str]:
    """A file's columns that hold the prompt each row answers, in order of preference.

    Args:
        columns: The file's column names.
        text_column: The column with the text, never a prompt.

    Returns:
        The columns named ``question``, ``prompt`` or ``column`` (any case).
    """
    by_name = {c.strip().lower(): c for c in columns if c != text_column}
    return [by_name[name] for name in PROMPT_ATTRIBUTES if name in by_name]
