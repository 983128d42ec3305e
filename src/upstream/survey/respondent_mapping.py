"""Say how any respondent-level file is read: statements, groups, answers and themes.

A staff survey exported from any tool has one row per person, some columns
that describe the person (team, grade, organisation, year) and one column per
agree/disagree statement. :class:`RespondentMapping` records which is which, how
the answers are given (words or numbers, 5 or 7 points), which statements are
reversed and how statements are grouped into themes: the culture themes shipped
with upstream (empowerment, outward focus, mission, risk and change) or the
user's own. :func:`suggest_mapping` guesses one from the file so a person only
corrects it; :func:`analyse_mapped` scores the file and refuses, naming what it
did not recognise, rather than produce nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Final, cast

import pandas as pd
import yaml

from upstream.survey.answers import (
    ANSWER_KINDS,
    WORDS_5,
    WORDS_7,
    AnswerKind,
    AnswerScale,
    is_blank,
    normalise,
    number_level,
)
from upstream.survey.errors import SurveyConfigError
from upstream.survey.respondents import analyse
from upstream.survey.themes import Theme, ThemeSet, load_themes

ALL_STATEMENTS: Final = "all_statements"
_MOSTLY: Final = 0.8
CULTURE_ALIASES: Final = {
    "focus": "outward_focus",
    "priorities": "mission",
    "purpose": "mission",
    "risk": "risk_change",
    "change": "risk_change",
    "attitude to risk and change": "risk_change",
    "risk and change": "risk_change",
}
_ORGANISATION: Final = re.compile(r"^(organi[sz]ation|org|council|employer|body)( name)?$")
_YEAR: Final = re.compile(r"^(survey )?year$")
_IDENTIFIER: Final = re.compile(r"(^|[ _])(id|ref|reference|respondent|response)([ _]|$)")


@dataclass(frozen=True)
class RespondentMapping:
    """How the columns of a respondent-level file are read.

    Attributes:
        statements: Columns holding agree/disagree answers, in order.
        groups: Columns to break results down by (team, grade ...).
        scale: How the answers are given, and the reversed statements.
        themes: Theme name → its statements. A name that is one of the culture
            themes (``empowerment``, ``outward_focus`` or "focus", ``mission`` or
            "priorities", ``risk_change`` or "attitude to risk and change") uses
            that theme; any other name is the user's own theme.
        organisation: Column naming each respondent's organisation, if any.
        year: Column giving the survey year, if any.
    """

    statements: tuple[str, ...]
    groups: tuple[str, ...] = ()
    scale: AnswerScale = field(default_factory=AnswerScale)
    themes: tuple[tuple[str, tuple[str, ...]], ...] = ()
    organisation: str = ""
    year: str = ""

    @property
    def reversed(self) -> frozenset[str]:
        """The reversed statements."""
        return self.scale.reversed

    def describe(self) -> str:
        """The mapping in one plain-English paragraph."""
        kind = {"auto": "words or numbers", "words": "words", "numbers": "numbers"}
        parts = [
            f"{len(self.statements)} statements answered in {kind[self.scale.kind]} "
            f"on a {self.scale.points}-point scale"
        ]
        if self.reversed:
            parts.append(f"reversed: {', '.join(sorted(self.reversed))}")
        parts.append(f"groups: {', '.join(self.groups) if self.groups else 'none'}")
        if self.themes:
            titles = {t.key: t.title for t in load_themes().themes}
            parts.append(
                "themes: "
                + "; ".join(
                    f"{titles.get(culture_key(name) or '', name)} ({len(items)})"
                    for name, items in self.themes
                )
            )
        return "; ".join(parts) + "."


def culture_key(name: str) -> str | None:
    """The culture theme a theme name stands for (key, title or alias), if any."""
    text = normalise(name).replace("_", " ")
    for theme in load_themes().themes:
        if text in {theme.key.replace("_", " "), normalise(theme.title)}:
            return theme.key
    return CULTURE_ALIASES.get(text)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", normalise(name)).strip("_") or "theme"


def theme_set(mapping: RespondentMapping) -> ThemeSet:
    """The themes a mapping scores: each named theme, then all statements together."""
    culture = {t.key: t for t in load_themes().themes}
    themes: list[Theme] = []
    for name, items in mapping.themes:
        if not items:
            continue
        key = culture_key(name)
        if key is not None:
            base = culture[key]
            themes.append(Theme(base.key, base.title, base.description, tuple(items)))
        else:
            themes.append(Theme(_slug(name), name.strip(), "", tuple(items)))
    themes.append(
        Theme(ALL_STATEMENTS, "All statements", "Every statement", tuple(mapping.statements))
    )
    return ThemeSet("mapped", "Themes", tuple(themes))


def check_mapping(frame: pd.DataFrame, mapping: RespondentMapping, *, source: str = "") -> None:
    """Refuse a mapping that does not fit the file, saying what is wrong.

    Raises:
        SurveyConfigError: Naming the file and the column not found, or saying
            that no statement was chosen.
    """
    where = f"{source}: " if source else ""
    columns = [str(c) for c in frame.columns]
    if not mapping.statements:
        raise SurveyConfigError(
            f"{where}no column was chosen as a statement, so there is nothing to score. "
            f"Columns in the file: {', '.join(columns[:40])}."
        )
    named = [
        *mapping.statements,
        *mapping.groups,
        *mapping.reversed,
        *(i for _, items in mapping.themes for i in items),
        *(c for c in (mapping.organisation, mapping.year) if c),
    ]
    missing = list(dict.fromkeys(c for c in named if c not in columns))
    if missing:
        raise SurveyConfigError(
            f"{where}column {missing[0]!r} is not in the file"
            + (f" (nor {', '.join(repr(m) for m in missing[1:4])})" if len(missing) > 1 else "")
            + f". Columns in the file: {', '.join(columns[:40])}."
        )
    both = sorted(set(mapping.statements) & set(mapping.groups))
    if both:
        raise SurveyConfigError(
            f"{where}column {both[0]!r} is chosen both as a statement and as a group."
        )
    outside = sorted(
        {i for _, items in mapping.themes for i in items} - set(mapping.statements)
        | (set(mapping.reversed) - set(mapping.statements))
    )
    if outside:
        raise SurveyConfigError(
            f"{where}column {outside[0]!r} is in a theme or reversed but not chosen as a statement."
        )


def analyse_mapped(
    frame: pd.DataFrame,
    mapping: RespondentMapping,
    *,
    by: Sequence[str] = (),
    source: str = "",
) -> dict[str, pd.DataFrame]:
    """% positive per statement, per theme and overall, for everyone or by group.

    Groups of fewer than 10 respondents are hidden, and so is any group that
    would let a hidden one be worked out from the total (see
    :mod:`upstream.survey.respondents`).

    Returns:
        ``items`` (each statement) and ``themes`` (each theme and "All statements").

    Raises:
        SurveyConfigError: If the mapping does not fit the file, an answer is not
            on the chosen scale, or no statement has any answer.
    """
    check_mapping(frame, mapping, source=source)
    for column in mapping.statements:  # name the first column with an unrecognised answer
        mapping.scale.score(frame[column], source=source)
    answered = frame[list(mapping.statements)].map(lambda v: not is_blank(v)).to_numpy().any()
    if not answered:
        where = f"{source}: " if source else ""
        raise SurveyConfigError(
            f"{where}the statement columns ({', '.join(mapping.statements[:6])}) hold no "
            f"answers at all. Expected {mapping.scale.expected}."
        )
    return analyse(frame, theme_set(mapping), by=by, scale=mapping.scale, items=mapping.statements)


def _recognised(values: Iterable[str]) -> tuple[float, float, bool]:
    texts = list(values)
    if not texts:
        return 0.0, 0.0, False
    words = sum(t in WORDS_7 for t in texts) / len(texts)
    numbers = sum(number_level(t, 7) is not None for t in texts) / len(texts)
    seven = any(t in WORDS_7 and t not in WORDS_5 for t in texts) or any(
        (number_level(t, 7) or 0) > 5 for t in texts
    )
    return words, numbers, seven


def _culture_items() -> dict[str, str]:
    """Culture statement id or wording (as compared) → its theme key."""
    out: dict[str, str] = {}
    for theme in load_themes().themes:
        for item in theme.items:
            out[normalise(item)] = theme.key
            if item in theme.texts:
                out[normalise(theme.texts[item])] = theme.key
    return out


def suggest_mapping(frame: pd.DataFrame) -> RespondentMapping:
    """Guess how a file is read, for a person to check.

    A column whose answers are mostly (four in five) agree/disagree words, or
    whole numbers from 1 to 7 with few distinct values, is a statement; a column with a
    handful of distinct values is a group; a column named like "Organisation"
    or "Year" is taken as such. Statements whose heading is one of the culture
    statements (its id or wording) are put in that culture theme.
    """
    statements: list[str] = []
    groups: list[str] = []
    word_columns = number_columns = 0
    seven = False
    organisation = year = ""
    for column in frame.columns:
        name = str(column)
        values = [normalise(v) for v in frame[column].tolist() if not is_blank(v)]
        words, numbers, wide = _recognised(values)
        heading = normalise(name)
        if _YEAR.match(heading):
            year = year or name
            continue
        # Mostly agree/disagree answers: a statement, whose odd answers are then named.
        if values and (words >= _MOSTLY or (numbers >= _MOSTLY and len(set(values)) <= 9)):
            statements.append(name)
            word_columns += words >= _MOSTLY
            number_columns += words < _MOSTLY
            seven = seven or wide
            continue
        if _ORGANISATION.match(heading):
            organisation = organisation or name
        distinct = len(set(values))
        if 2 <= distinct <= max(2, min(50, len(values) // 2)) and not _IDENTIFIER.search(heading):
            groups.append(name)
    kind: AnswerKind = "auto"
    if word_columns and not number_columns:
        kind = "words"
    elif number_columns and not word_columns:
        kind = "numbers"
    culture = _culture_items()
    themes: dict[str, list[str]] = {}
    for statement in statements:
        key = culture.get(normalise(statement))
        if key is not None:
            themes.setdefault(key, []).append(statement)
    return RespondentMapping(
        statements=tuple(statements),
        groups=tuple(groups),
        scale=AnswerScale(kind, 7 if seven else 5),
        themes=tuple((k, tuple(v)) for k, v in themes.items()),
        organisation=organisation,
        year=year,
    )


def mapping_from_options(
    frame: pd.DataFrame,
    *,
    statements: Sequence[str] = (),
    groups: Sequence[str] | None = None,
    answers: str = "",
    points: int | None = None,
    reverse: Sequence[str] = (),
    themes: Mapping[str, Sequence[str]] | None = None,
) -> RespondentMapping:
    """A mapping from explicit choices, with anything not given guessed from the file.

    Raises:
        SurveyConfigError: If ``answers`` or ``points`` is not a valid choice.
    """
    guess = suggest_mapping(frame)
    if answers and answers not in ANSWER_KINDS:
        raise SurveyConfigError(f"answers must be 'words' or 'numbers', not {answers!r}")
    chosen = tuple(statements) or guess.statements
    kind = cast("AnswerKind", answers) if answers else guess.scale.kind
    scale = AnswerScale(kind, points or guess.scale.points, frozenset(reverse))
    if themes is None:
        kept = tuple((name, tuple(i for i in items if i in chosen)) for name, items in guess.themes)
        theme_items = tuple((n, i) for n, i in kept if i)
    else:
        theme_items = tuple((name, tuple(items)) for name, items in themes.items())
    return replace(
        guess,
        statements=chosen,
        groups=tuple(g for g in (guess.groups if groups is None else groups) if g not in chosen),
        scale=scale,
        themes=theme_items,
    )


def parse_theme_options(options: Sequence[str]) -> dict[str, list[str]]:
    """``NAME=COLUMN,COLUMN`` options into theme name → statements.

    Raises:
        SurveyConfigError: If an option has no ``=`` or no columns.
    """
    themes: dict[str, list[str]] = {}
    for option in options:
        name, sep, columns = option.partition("=")
        items = [c.strip() for c in columns.split(",") if c.strip()]
        if not sep or not name.strip() or not items:
            raise SurveyConfigError(
                f"--theme {option!r}: write it as NAME=COLUMN,COLUMN, e.g. "
                "--theme Empowerment=Q1,Q2"
            )
        themes.setdefault(name.strip(), []).extend(items)
    return themes


def read_mapping_file(path: Path, frame: pd.DataFrame) -> RespondentMapping:
    """Read a mapping YAML file (as :func:`write_mapping_file` writes it).

    Raises:
        SurveyConfigError: If the file is not a valid mapping.
    """
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise SurveyConfigError(f"{path}: not a readable mapping file ({exc})") from exc
    if not isinstance(data, dict):
        raise SurveyConfigError(f"{path}: expected a mapping with a 'statements:' list")

    def strings(key: str) -> list[str]:
        raw: Any = data.get(key) or []
        if not isinstance(raw, list):
            raise SurveyConfigError(f"{path}: '{key}' must be a list of column names")
        return [str(v) for v in raw]

    raw_themes = data.get("themes")
    if raw_themes is not None and not isinstance(raw_themes, dict):
        raise SurveyConfigError(f"{path}: 'themes' must map each theme to its statements")
    points = data.get("points")
    mapping = mapping_from_options(
        frame,
        statements=strings("statements"),
        groups=strings("groups") if "groups" in data else None,
        answers=str(data.get("answers") or ""),
        points=int(points) if points else None,
        reverse=strings("reversed"),
        themes=(
            {str(k): [str(i) for i in (v or [])] for k, v in raw_themes.items()}
            if raw_themes is not None
            else None
        ),
    )
    return replace(
        mapping,
        organisation=str(data.get("organisation") or mapping.organisation),
        year=str(data.get("year") or mapping.year),
    )


def write_mapping_file(mapping: RespondentMapping, path: Path) -> None:
    """Write a mapping as YAML, to edit and use again with ``--mapping``."""
    data = {
        "statements": list(mapping.statements),
        "groups": list(mapping.groups),
        "answers": mapping.scale.kind,
        "points": mapping.scale.points,
        "reversed": sorted(mapping.reversed),
        "themes": {name: list(items) for name, items in mapping.themes},
        "organisation": mapping.organisation,
        "year": mapping.year,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


__all__ = [
    "ALL_STATEMENTS",
    "RespondentMapping",
    "analyse_mapped",
    "check_mapping",
    "culture_key",
    "mapping_from_options",
    "parse_theme_options",
    "read_mapping_file",
    "suggest_mapping",
    "theme_set",
    "write_mapping_file",
]
