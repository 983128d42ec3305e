"""Harmonise organisation names across years: normalisation, fuzzy matching, a mapping file.

Published tables spell the same organisation differently from year to year
("HM Revenue & Customs", "HM Revenue and Customs"; "Dept for Education",
"Department for Education"). :class:`OrganisationMatcher` maps each raw name to a
canonical one: first by organisation code when the file has codes, then by the
normalised name, then by fuzzy similarity (rapidfuzz) to names already known, and
otherwise starts a new organisation. Every decision is a row of a reviewable CSV
(``raw_name, year, canonical_name, score, method``) that a user can edit and
apply again; an edited row becomes method ``manual``.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from rapidfuzz import fuzz, process

from upstream.policy import restore_cell, safe_text
from upstream.survey.errors import SurveyConfigError

MAPPING_COLUMNS: Final = ("raw_name", "year", "canonical_name", "score", "method")
DEFAULT_THRESHOLD: Final = 90.0
_WORDS: Final = (
    (r"\bdept\b", "department"),
    (r"\bdepartment (?:for|of)\b", "department"),
    (r"\bgovt\b", "government"),
    (r"\bher majesty ?s\b|\bhis majesty ?s\b", "hm"),
    (r"\bco\b", "company"),
    (r"\bltd\b", "limited"),
    (r"\bintl\b", "international"),
)
_WORDS_RE: Final = tuple((re.compile(p), r) for p, r in _WORDS)
# Words that change what a name covers: a fuzzy match must agree on all of them.
_SCOPE: Final = frozenset(
    {"including", "excluding", "hq", "headquarters", "group", "combined", "agencies", "all"}
)


def _drop_acronym(found: re.Match[str]) -> str:
    """Drop a bracketed acronym such as (DfE) or (HMRC), but keep (HQ)."""
    return f" {found[1]} " if found[1].lower() in _SCOPE else " "


def _fuzzy_key(key: str) -> str:
    """A normalised name without minor words, for fuzzy comparison ("Office of/for ...")."""
    return " ".join(w for w in key.split() if w not in _MINOR_WORDS)


def _part_key(raw: str) -> str:
    """The normalised unit name of "Parent: Unit" or "Parent - Unit" (``""`` if neither)."""
    for separator in (": ", " - "):
        if separator in raw:
            return normalise_name(raw.split(separator, 1)[1])
    return ""


def _scope(key: str) -> frozenset[str]:
    return frozenset(key.split()) & _SCOPE


def normalise_name(name: str) -> str:
    """Reduce an organisation name to a comparable key.

    Case, accents, punctuation, ``&``/``and``, ``Dept``/``Department``, "for"/"of"
    after "Department", a leading "The" and a bracketed acronym are ignored; other
    brackets are kept, because "(including agencies)" is a different scope.

    Example:
        >>> normalise_name("The Dept. for Education (DfE)")
        'department education'
    """
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"\(\s*([A-Za-z]*[A-Z][A-Za-z]*)\s*\)", _drop_acronym, text)
    text = text.lower()
    text = text.replace("&", " and ").replace("'", "").replace("’", "")
    text = " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())
    text = re.sub(r"^the ", "", text)
    for pattern, replacement in _WORDS_RE:
        text = pattern.sub(replacement, text)
    return " ".join(text.split())


@dataclass(frozen=True, slots=True)
class OrgMatch:
    """How one raw organisation name of one year was mapped.

    Attributes:
        raw_name: The name as published.
        year: The survey year (None when the mapping applies to every year).
        canonical_name: The organisation it was mapped to.
        score: Similarity 0-100 (100 for exact, code and manual matches).
        method: ``exact``, ``normalised``, ``code``, ``fuzzy``, ``new`` or ``manual``.
    """

    raw_name: str
    year: int | None
    canonical_name: str
    score: float
    method: str


class OrganisationMatcher:
    """Map raw organisation names to canonical names, remembering what it has seen.

    Args:
        known: Canonical names already in the panel (matched against first).
        overrides: Reviewed mapping rows; these win over automatic matching.
        threshold: Minimum fuzzy similarity (0-100) for a ``fuzzy`` match.
    """

    def __init__(
        self,
        known: Iterable[str] = (),
        overrides: Iterable[OrgMatch] = (),
        threshold: float = DEFAULT_THRESHOLD,
    ) -> None:
        self.threshold = threshold
        self._canonical: dict[str, str] = {}  # normalised key -> canonical name
        self._codes: dict[str, str] = {}
        self._overrides: dict[tuple[str, int | None], str] = {}
        for name in known:
            self._canonical.setdefault(normalise_name(name), name)
        for row in overrides:
            self._overrides[(row.raw_name, row.year)] = row.canonical_name

    @property
    def canonical_names(self) -> list[str]:
        """Every canonical name known so far."""
        return sorted(set(self._canonical.values()))

    def _automatic(self, raw: str, code: str, taken: set[str]) -> tuple[str, float, str]:
        key = normalise_name(raw)
        if code and code in self._codes and self._codes[code] not in taken:
            return self._codes[code], 100.0, "code"
        for candidate in (key, _part_key(raw)):
            found = self._canonical.get(candidate)
            if candidate and found is not None and found not in taken:
                return found, 100.0, "exact" if found == raw else "normalised"
        choices: dict[str, str] = {}
        for known_key, name in self._canonical.items():
            if name not in taken and _scope(known_key) == _scope(key):
                choices.setdefault(_fuzzy_key(known_key), name)
        best = process.extractOne(
            _fuzzy_key(key), list(choices), scorer=fuzz.ratio, score_cutoff=self.threshold
        )
        if best is not None:
            return choices[best[0]], round(float(best[1]), 1), "fuzzy"
        return raw, 100.0, "new"

    def match_year(self, names: Sequence[tuple[str, str]], year: int | None) -> list[OrgMatch]:
        """Map every ``(raw name, organisation code)`` of one year.

        Two different raw names of the same year never share a canonical name
        automatically (only a reviewed mapping may merge them).
        """
        taken: set[str] = set()
        matches: list[OrgMatch] = []
        for raw, code in names:
            canonical, score, method = self._automatic(raw, code, taken)
            override = self._overrides.get((raw, year)) or self._overrides.get((raw, None))
            if override is not None and override != canonical:
                canonical, score, method = override, 100.0, "manual"
            taken.add(canonical)
            self._canonical.setdefault(normalise_name(canonical), canonical)
            self._canonical.setdefault(normalise_name(raw), canonical)
            if _part_key(raw):
                self._canonical.setdefault(_part_key(raw), canonical)
            if code:
                self._codes.setdefault(code, canonical)
            matches.append(OrgMatch(raw, year, canonical, score, method))
        return matches


def read_mapping(path: Path) -> list[OrgMatch]:
    """Read a reviewed mapping CSV (``raw_name, year, canonical_name[, score, method]``).

    A blank year applies the row to every year.

    Raises:
        SurveyConfigError: If a required column is missing or a year is not a number.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = {"raw_name", "canonical_name"} - set(reader.fieldnames or [])
        if missing:
            raise SurveyConfigError(
                f"{path}: the mapping file needs columns {', '.join(MAPPING_COLUMNS)}; "
                f"missing {', '.join(sorted(missing))}"
            )
        rows = []
        for line, row in enumerate(reader, start=2):
            year_text = (row.get("year") or "").strip()
            if year_text and not year_text.isdigit():
                raise SurveyConfigError(f"{path}, line {line}: year {year_text!r} is not a year")
            raw = restore_cell((row["raw_name"] or "").strip())
            canonical = restore_cell((row["canonical_name"] or "").strip())
            if raw and canonical:
                score = float(row.get("score") or 100)
                method = (row.get("method") or "manual").strip()
                year = int(year_text) if year_text else None
                rows.append(OrgMatch(raw, year, canonical, score, method))
    return rows


def write_mapping(path: Path, matches: Iterable[OrgMatch]) -> None:
    """Write the mapping CSV for review, sorted by canonical name then year."""
    ordered = sorted(matches, key=lambda m: (m.canonical_name, m.year or 0, m.raw_name))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(MAPPING_COLUMNS)
        for m in ordered:
            writer.writerow(
                [
                    safe_text(m.raw_name),
                    m.year or "",
                    safe_text(m.canonical_name),
                    m.score,
                    m.method,
                ]
            )


_AGGREGATE: Final = re.compile(
    r"^(?P<stem>.*?)\s*(?:\bgroup\b\s*)?(?:\((?:including (?P<incl>[^)]*)|combined results)\)"
    r"|\bgroup$|\bcombined$)\s*$",
    re.I,
)
_MINOR_WORDS: Final = frozenset({"for", "of", "and", "the", "on", "in"})


def _initials(name: str) -> str:
    words = re.findall(r"[A-Za-z]+", name)
    return "".join(w[0] for w in words if w.lower() not in _MINOR_WORDS).upper()


def aggregate_names(names: Sequence[str]) -> set[str]:
    """Find rows that total other rows of the same table (group or "including" rows).

    A row such as "Home Office group (combined results)" or "Ministry of Justice
    (including agencies)" is an aggregate when other rows of the same year are its
    parts: they start with the same stem ("Home Office: Border Force"), or the
    bracket names one of them by its initials ("(including ONS)" beside "Office for
    National Statistics"). A benchmark of organisations must leave such rows out,
    or it counts the same staff twice. "Defence Support Group" is not an
    aggregate: no other row starts with "Defence Support".
    """
    lowered = [n.lower() for n in names]
    initials = {_initials(n) for n in names}
    found: set[str] = set()
    for name in names:
        match = _AGGREGATE.match(name.strip())
        if not match or not match["stem"]:
            continue
        stem = match["stem"].strip().lower()
        parts = [
            other
            for other in lowered
            if other != name.lower()
            and other.startswith(stem)
            and not other[len(stem) :][:1].isalnum()
        ]
        included = (match["incl"] or "").strip()
        acronym = bool(re.fullmatch(r"[A-Z]{2,6}", included)) and included in initials
        if parts or acronym:
            found.add(name)
    return found
