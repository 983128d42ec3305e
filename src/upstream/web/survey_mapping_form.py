"""The mapping step of a respondent-level upload, as plain form fields.

The mapping travels in the address (a GET form), so the page works without
script, can be bookmarked and needs nothing stored: ``answers`` and ``points``
say how answers are given; for column number *i*, ``c{i}`` is its role
(statement, reversed statement, group or not used), ``t{i}`` its theme (a
culture theme's key, ``own`` or nothing) and ``o{i}`` the name of the user's own
theme.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, cast

import pandas as pd

from upstream.survey.answers import ANSWER_KINDS, AnswerKind, AnswerScale, is_blank
from upstream.survey.respondent_mapping import RespondentMapping, culture_key
from upstream.survey.themes import load_themes

STATEMENT: Final = "statement"
REVERSED: Final = "reversed"
GROUP: Final = "group"
SKIP: Final = "skip"
ROLES: Final = {
    STATEMENT: "Statement",
    REVERSED: "Statement, reversed",
    GROUP: "Group (team, grade …)",
    SKIP: "Not used",
}
OWN: Final = "own"
_MAX_COLUMNS: Final = 200


def culture_choices() -> list[tuple[str, str]]:
    """The culture themes a statement can be put in: (key, title)."""
    return [(t.key, t.title) for t in load_themes().themes]


def is_mapped(params: Mapping[str, str]) -> bool:
    """Whether the address carries a mapping (the form was sent)."""
    return "answers" in params


def mapping_from_query(frame: pd.DataFrame, params: Mapping[str, str]) -> RespondentMapping:
    """The mapping the form describes; unknown values fall back to safe defaults."""
    kind = params.get("answers", "auto")
    kind = kind if kind in ANSWER_KINDS else "auto"
    points = 7 if params.get("points") == "7" else 5
    statements: list[str] = []
    groups: list[str] = []
    reverse: set[str] = set()
    themes: dict[str, list[str]] = {}
    culture = {key for key, _ in culture_choices()}
    for index, column in enumerate(str(c) for c in frame.columns[:_MAX_COLUMNS]):
        role = params.get(f"c{index}", SKIP)
        if role == GROUP:
            groups.append(column)
        if role not in (STATEMENT, REVERSED):
            continue
        statements.append(column)
        if role == REVERSED:
            reverse.add(column)
        theme = params.get(f"t{index}", "")
        name = params.get(f"o{index}", "").strip()[:80] if theme == OWN else theme
        if name and (theme == OWN or theme in culture):
            themes.setdefault(name, []).append(column)
    return RespondentMapping(
        statements=tuple(statements),
        groups=tuple(groups),
        scale=AnswerScale(cast("AnswerKind", kind), points, frozenset(reverse)),
        themes=tuple((name, tuple(items)) for name, items in themes.items()),
    )


def mapping_query(frame: pd.DataFrame, mapping: RespondentMapping) -> list[tuple[str, str]]:
    """The form fields that describe ``mapping`` (to carry it to the next page)."""
    fields = [("answers", mapping.scale.kind), ("points", str(mapping.scale.points))]
    theme_of = {item: name for name, items in mapping.themes for item in items}
    for index, column in enumerate(str(c) for c in frame.columns[:_MAX_COLUMNS]):
        role = _role(column, mapping)
        fields.append((f"c{index}", role))
        name = theme_of.get(column, "")
        if name:
            key = culture_key(name)
            fields.append((f"t{index}", key or OWN))
            if key is None:
                fields.append((f"o{index}", name))
    return fields


def _role(column: str, mapping: RespondentMapping) -> str:
    if column in mapping.reversed:
        return REVERSED
    if column in mapping.statements:
        return STATEMENT
    return GROUP if column in mapping.groups else SKIP


def column_rows(frame: pd.DataFrame, mapping: RespondentMapping) -> list[dict[str, Any]]:
    """One row per column for the mapping form: its name, examples and current choices."""
    theme_of = {item: name for name, items in mapping.themes for item in items}
    rows = []
    for index, column in enumerate(str(c) for c in frame.columns[:_MAX_COLUMNS]):
        values = [str(v) for v in frame.iloc[:, index].tolist() if not is_blank(v)]
        examples = list(dict.fromkeys(values))[:3]
        name = theme_of.get(column, "")
        key = culture_key(name) if name else None
        rows.append(
            {
                "index": index,
                "name": column,
                "examples": examples,
                "role": _role(column, mapping),
                "theme": key or (OWN if name else ""),
                "own": "" if key or not name else name,
            }
        )
    return rows


__all__ = [
    "GROUP",
    "OWN",
    "REVERSED",
    "ROLES",
    "SKIP",
    "STATEMENT",
    "column_rows",
    "culture_choices",
    "is_mapped",
    "mapping_from_query",
    "mapping_query",
]
