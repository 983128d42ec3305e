"""Agree/disagree answers, in words or numbers, on 5- or 7-point scales, as points 0-100.

Every answer becomes a number of points from 0 (strongly disagree) to 100
(strongly agree), evenly spaced: on 5 points 0, 25, 50, 75, 100; on 7 points
0, 16.7, ... 100. An answer is *positive* when it is above the middle (agree or
strongly agree; on 7 points also "somewhat agree"). A reversed statement (one
where agreeing is bad, such as "I often feel unsafe to speak up") is turned round
before scoring, so a positive answer is always a good one.

Words are matched without regard to case, spacing or curly apostrophes;
"Don't know", "Not applicable", "Prefer not to say" and blanks count as no answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final, Literal

import numpy as np
import pandas as pd

from upstream.survey.errors import SurveyConfigError

AnswerKind = Literal["auto", "words", "numbers"]
ANSWER_KINDS: Final = ("auto", "words", "numbers")
POINT_CHOICES: Final = (5, 7)

WORDS_5: Final = {
    "strongly disagree": 1,
    "disagree": 2,
    "tend to disagree": 2,
    "neither agree nor disagree": 3,
    "neither agree or disagree": 3,
    "neutral": 3,
    "tend to agree": 4,
    "agree": 4,
    "strongly agree": 5,
}
WORDS_7: Final = {
    "strongly disagree": 1,
    "disagree": 2,
    "somewhat disagree": 3,
    "slightly disagree": 3,
    "tend to disagree": 3,
    "neither agree nor disagree": 4,
    "neither agree or disagree": 4,
    "neutral": 4,
    "somewhat agree": 5,
    "slightly agree": 5,
    "tend to agree": 5,
    "agree": 6,
    "strongly agree": 7,
}
EXPECTED_WORDS: Final = {
    5: "Strongly agree, Agree, Neither agree nor disagree, Disagree, Strongly disagree",
    7: "Strongly agree, Agree, Somewhat agree, Neither agree nor disagree, Somewhat disagree, "
    "Disagree, Strongly disagree",
}
_NO_ANSWER: Final = re.compile(
    r"^(?:|don'?t know|do not know|not applicable|n/?a|prefer not to say|-|—)$"
)
_NUMBER: Final = re.compile(r"^([1-9])(?:\.0+)?$")


def normalise(value: object) -> str:
    """An answer as compared: lower case, single spaces, straight apostrophes."""
    return " ".join(str(value).strip().lower().replace("\u2019", "'").split())


def is_blank(value: object) -> bool:
    """Whether a cell holds no answer at all (empty, NaN, or a "don't know")."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return True
    return bool(_NO_ANSWER.match(normalise(value)))


def word_level(text: str, points: int) -> int | None:
    """The level (1 to ``points``) of an answer in words, or None when not recognised."""
    return (WORDS_7 if points == 7 else WORDS_5).get(text)


def number_level(text: str, points: int) -> int | None:
    """The level of an answer given as a number 1 to ``points``, or None."""
    match = _NUMBER.match(text)
    if match is None or not 1 <= int(match.group(1)) <= points:
        return None
    return int(match.group(1))


@dataclass(frozen=True)
class AnswerScale:
    """How the answers of a respondent file are given.

    Attributes:
        kind: ``words`` ("Strongly agree" ...), ``numbers`` (1 = strongly disagree
            up to 5 or 7 = strongly agree) or ``auto`` (either).
        points: 5 or 7.
        reversed: Statements where agreeing is the unfavourable answer.
    """

    kind: AnswerKind = "auto"
    points: int = 5
    reversed: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        if self.kind not in ANSWER_KINDS:
            raise SurveyConfigError(f"answers must be given as words or numbers, not {self.kind!r}")
        if self.points not in POINT_CHOICES:
            raise SurveyConfigError(
                f"answers must be on a 5- or 7-point scale, not {self.points} points"
            )

    @property
    def expected(self) -> str:
        """What answers this scale accepts, in plain English."""
        words = f"words ({EXPECTED_WORDS[self.points]}, in any case)"
        numbers = f"numbers from 1 (strongly disagree) to {self.points} (strongly agree)"
        if self.kind == "words":
            return words
        if self.kind == "numbers":
            return numbers
        return f"{words} or {numbers}"

    def level(self, value: object) -> int | None:
        """The level of one answer (1 to ``points``); None when it is not recognised."""
        text = normalise(value)
        found = None
        if self.kind in ("auto", "words"):
            found = word_level(text, self.points)
        if found is None and self.kind in ("auto", "numbers"):
            found = number_level(text, self.points)
        return found

    def _hint(self, unknown: list[str]) -> str:
        """A suggestion when the answers fit another choice of scale."""
        texts = [normalise(v) for v in unknown]
        if all(number_level(t, 7) is not None for t in texts):
            if self.kind == "words":
                return " These look like numbers: say the answers are given as numbers."
            return " These look like a 7-point scale: say the scale has 7 points."
        if all(word_level(t, 7) is not None for t in texts):
            if self.kind == "numbers":
                return " These look like words: say the answers are given in words."
            return " These look like a 7-point scale: say the scale has 7 points."
        return ""

    def score(self, values: pd.Series, *, source: str = "") -> pd.Series:
        """Points 0-100 for each answer of one statement (NaN when unanswered).

        Args:
            values: One statement's answers; its name is the column name.
            source: The file name, for the error message.

        Raises:
            SurveyConfigError: Naming the file, the column, an example value that
                is not an answer on this scale and what was expected.
        """
        column = str(values.name)
        step = 100.0 / (self.points - 1)
        flip = column in self.reversed
        out: list[float] = []
        unknown: list[tuple[int, str]] = []
        for row, value in enumerate(values.tolist()):
            if is_blank(value):
                out.append(np.nan)
                continue
            level = self.level(value)
            if level is None:
                unknown.append((row, str(value)))
                out.append(np.nan)
                continue
            points = (level - 1) * step
            out.append(100.0 - points if flip else points)
        if unknown:
            message = unrecognised(column, unknown, self.expected, source=source)
            raise SurveyConfigError(message + self._hint([v for _, v in unknown]))
        return pd.Series(out, index=values.index, dtype=float)


def unrecognised(
    column: str, unknown: list[tuple[int, str]], expected: str, *, source: str = ""
) -> str:
    """The message for answers that are not on the chosen scale."""
    row, example = unknown[0]
    others = sorted({v for _, v in unknown} - {example})[:4]
    more = f" (also {', '.join(repr(o) for o in others)})" if others else ""
    where = f"{source}: " if source else ""
    return (
        f"{where}column {column!r}: the answer {example!r} in row {row + 2} is not recognised"
        f"{more}; {len(unknown)} answer{'s' if len(unknown) != 1 else ''} in this column "
        f"are not recognised. Expected {expected}, or a blank for no answer."
    )


__all__ = [
    "ANSWER_KINDS",
    "EXPECTED_WORDS",
    "POINT_CHOICES",
    "AnswerKind",
    "AnswerScale",
    "is_blank",
    "normalise",
    "number_level",
    "unrecognised",
    "word_level",
]
