"""Direction apart from topic: does an item tell of something that hinders or helps?

A codebook of barriers and enablers has codes on the same subject with opposite
directions ("procurement rules" against "simpler commissioning and grants").
Similarity to a code's words is mostly similarity of subject, so "contract rules
rewritten from scratch, simple grants panel under £50k" lands near the
procurement barrier, and was counted as an organisation naming it.

So the coder learns direction separately. From the codebook's own texts it fits
a classifier of the two directions on the sentence vectors: every text of the
codes under the hindering root and under the helping root, and the exclusion
notes that describe a code of the other direction ("pooled budgets helping
(enabler.pooled_budgets)"). Because both directions cover many subjects, the
classifier leans on how things are said more than on what they are about. Each
item's code probabilities are then multiplied by how likely its direction
matches each code's (twice the probability, so an undecided item is left as it
is) and renormalised.

An item may also carry the prompt it answers: a workshop board's column
("Barrier", "Enabler") or a survey's question ("What gets in the way of doing
your best work?"). Where the prompt names a direction in so many words, that is
stronger evidence than the wording of a sticky note, and it is added to the
text's evidence as log-odds. A direction that sure is also enough, by itself,
for the top-level barrier or enabler code (:meth:`DirectionModel.sure`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

from upstream.frameworks.model import Codebook

__all__ = [
    "HELPS",
    "HINDERS",
    "SURE_DIRECTION",
    "DirectionModel",
    "code_directions",
    "exclusion_examples",
    "prompt_direction",
]

HINDERS = "hinders"
HELPS = "helps"

Floats = npt.NDArray[np.float64]
Bools = npt.NDArray[np.bool_]
SURE_DIRECTION = 0.8
"""How sure an item's direction must be to stand for a top-level barrier or enabler code."""
# A top-level code whose id or title is one of these words gives its direction to
# every code below it: the conventions of drivers/barriers/enablers codebooks and
# of implementation-science frameworks (barriers and facilitators).
_ROOT_WORDS = {
    HINDERS: frozenset({"barrier", "barriers", "obstacle", "obstacles", "hindrance", "hindrances"}),
    HELPS: frozenset({"enabler", "enablers", "facilitator", "facilitators"}),
}
# Prompt wording that names a direction. A prompt counts only when it says so in
# words; anything else leaves the item's own wording to decide.
_PROMPT_CUES = {
    HINDERS: re.compile(
        r"\b(barriers?|obstacles?|gets? in the way|getting in the way|stops? you|"
        r"stopping|prevents?|hinders?|holds? (?:you |us )?back|holding (?:you |us )?back|"
        r"frustrat\w*|difficult\w*|challenges?|leave behind|worked badly|went wrong)\b",
        re.IGNORECASE,
    ),
    HELPS: re.compile(
        r"\b(enablers?|facilitators?|helps?|helped|helping|works? well|worked well|"
        r"went well|keep|make (?:the )?(?:biggest |most )?difference|succe\w*|"
        r"do differently|would improve|one change)\b",
        re.IGNORECASE,
    ),
}
# How much a prompt that names a direction counts, as log-odds (about 55 to 1). A
# prompt that names a direction is the way its answers point: a sticky note under
# "Leave behind" is something to stop, however it is worded ("Three quotes for a
# £5k grant to a village hall" was coded as simpler commissioning, an enabler). At
# 9 to 1, 13 of the demo's 213 answers to such prompts still carried a code of the
# other direction; at 55 to 1, 1 of 214 (benchmarks/barrier_items.py, 2026-12-07).
_PROMPT_WEIGHT = 4.0
_EXCLUDED_REFERENCE = re.compile(r"\(([^()]*)\)")
_CODE_ID = re.compile(r"[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)+|[A-Za-z0-9_]+")


def _root_direction(words: str) -> str | None:
    key = words.strip().lower()
    for direction, vocabulary in _ROOT_WORDS.items():
        if key in vocabulary:
            return direction
    return None


def code_directions(codebook: Codebook) -> dict[str, str]:
    """The direction of every code below a hindering or a helping top-level code.

    Args:
        codebook: Any codebook.

    Returns:
        Code id -> :data:`HINDERS` or :data:`HELPS`; codes with no direction
        (drivers, or every code of a codebook without such roots) are absent.
    """
    directions: dict[str, str] = {}
    for code in codebook.codes:
        root = ([*codebook.ancestors(code.id)] or [code])[-1]  # nearest first, root last
        direction = _root_direction(root.id) or _root_direction(root.title)
        if direction:
            directions[code.id] = direction
    return directions


@lru_cache(maxsize=1024)
def prompt_direction(prompt: str | None) -> str | None:
    """The direction a prompt names in words, or ``None`` when it names both or neither.

    Args:
        prompt: A workshop column, a survey question or any prompt an item answers.

    Returns:
        :data:`HINDERS`, :data:`HELPS` or ``None``.
    """
    # Cached: every answer to one question carries the same prompt.
    if not prompt:
        return None
    named = [d for d, cue in _PROMPT_CUES.items() if cue.search(prompt)]
    return named[0] if len(named) == 1 else None


def exclusion_examples(codebook: Codebook, directions: dict[str, str]) -> list[tuple[str, str]]:
    """Exclusion notes that describe a code with a direction, as (text, direction).

    "Pooled budgets helping (enabler.pooled_budgets)" in a barrier's notes says
    what the enabler looks like, in contrast to the barrier: the best example
    of the difference there is.

    Args:
        codebook: The codebook.
        directions: Code id -> direction (from :func:`code_directions`).

    Returns:
        Each such note without its code references, with the direction of the
        code it names (notes naming codes of both directions are left out).
    """
    found: list[tuple[str, str]] = []
    for code in codebook.codes:
        for clause in re.split(r"[;\n]", code.exclude):
            named = {
                directions[token]
                for group in _EXCLUDED_REFERENCE.findall(clause)
                for token in _CODE_ID.findall(group)
                if token in directions
            }
            phrase = _EXCLUDED_REFERENCE.sub("", clause).strip(" .,")
            if len(named) == 1 and len(phrase) >= 4:
                found.append((phrase, named.pop()))
    return found


@dataclass
class DirectionModel:
    """How likely an item tells of something that helps, given its vector and prompt.

    Attributes:
        directions: Code id -> direction, for the codes that have one.
        classifier: Logistic regression of "helps" on sentence vectors.
        roots: The top-level codes, which a sure direction may stand for.
    """

    directions: dict[str, str]
    classifier: LogisticRegression
    roots: frozenset[str] = frozenset()

    @classmethod
    def from_codebook(
        cls,
        codebook: Codebook,
        vectors: npt.NDArray[np.float32],
        owners: Sequence[str],
        embed: Callable[[list[str]], npt.NDArray[np.float32]],
        seed: int = 0,
    ) -> DirectionModel | None:
        """Learn hindering against helping from a codebook, when it has both.

        Args:
            codebook: The codebook.
            vectors: Sentence vectors of the codebook's prototype texts.
            owners: The code each prototype stands for.
            embed: Turns texts into sentence vectors in the same space.
            seed: Seed of the solver.

        Returns:
            The model, or ``None`` for a codebook without both directions.
        """
        directions = code_directions(codebook)
        if not directions:
            return None
        notes = exclusion_examples(codebook, directions)
        model = cls.fit(
            directions,
            vectors,
            owners,
            embed([text for text, _ in notes]) if notes else vectors[:0],
            [direction for _, direction in notes],
            seed=seed,
        )
        if model is not None:
            model.roots = frozenset(code.id for code in codebook.roots())
        return model

    @classmethod
    def fit(
        cls,
        directions: dict[str, str],
        vectors: npt.NDArray[np.float32],
        owners: Sequence[str],
        extra_vectors: npt.NDArray[np.float32],
        extra_directions: Sequence[str],
        seed: int = 0,
    ) -> DirectionModel | None:
        """Learn direction from the codebook's texts.

        Args:
            directions: Code id -> direction (from :func:`code_directions`).
            vectors: Sentence vectors of the codebook's prototype texts.
            owners: The code each prototype stands for.
            extra_vectors: Vectors of further texts with a known direction
                (the exclusion notes of :func:`exclusion_examples`).
            extra_directions: Their directions.
            seed: Seed of the solver.

        Returns:
            The model, or ``None`` when the codebook lacks texts of both directions.
        """
        labels = [directions.get(owner) for owner in owners] + list(extra_directions)
        rows = np.vstack([vectors, extra_vectors]) if len(extra_vectors) else vectors
        keep = np.array([label is not None for label in labels], dtype=bool)
        target = np.array([label == HELPS for label in labels], dtype=bool)[keep]
        if target.all() or not target.any():
            return None
        classifier = LogisticRegression(class_weight="balanced", max_iter=2000, random_state=seed)
        classifier.fit(rows[keep].astype(np.float64), target)
        return cls(dict(directions), classifier)

    def helps(
        self, vectors: npt.NDArray[np.float32], prompts: Sequence[str | None] | None = None
    ) -> Floats:
        """The probability that each item tells of something that helps.

        Args:
            vectors: The items' sentence vectors.
            prompts: What each item answers, or ``None``.

        Returns:
            One probability per item.
        """
        if not len(vectors):
            return np.zeros(0, dtype=np.float64)
        log_odds = self.classifier.decision_function(vectors.astype(np.float64))
        if prompts is not None:
            named = [prompt_direction(p) for p in prompts]
            log_odds = log_odds + _PROMPT_WEIGHT * np.array(
                [{HELPS: 1.0, HINDERS: -1.0}.get(d or "", 0.0) for d in named]
            )
        return np.asarray(1.0 / (1.0 + np.exp(-log_odds)), dtype=np.float64)

    def adjust(self, probabilities: Floats, classes: Sequence[str], helps: Floats) -> Floats:
        """Weigh each code's probability by how likely the item's direction matches it.

        Args:
            probabilities: ``(n, k)`` code probabilities, rows summing to 1.
            classes: The code of each column.
            helps: Each item's probability of helping (:meth:`helps`).

        Returns:
            The reweighted probabilities, rows summing to 1.
        """
        factor = np.ones((len(probabilities), len(classes)))
        for column, code in enumerate(classes):
            direction = self.directions.get(code)
            if direction == HELPS:
                factor[:, column] = 2.0 * helps
            elif direction == HINDERS:
                factor[:, column] = 2.0 * (1.0 - helps)
        weighted = probabilities * factor
        return np.asarray(weighted / weighted.sum(axis=1, keepdims=True).clip(min=1e-12))

    def opposed(self, classes: Sequence[str], sure: Bools) -> frozenset[str]:
        """The codes that point against an item's sure direction.

        Args:
            classes: The code of each column.
            sure: The item's row of :meth:`sure`.

        Returns:
            Every code of the other direction, or none when the item's direction
            is not sure.
        """
        surely = {self.directions[c] for c, s in zip(classes, sure, strict=True) if s}
        if len(surely) != 1:
            return frozenset()
        return frozenset(code for code, way in self.directions.items() if way not in surely)

    def sure(self, classes: Sequence[str], helps: Floats) -> Bools:
        """Where an item's direction is sure enough to stand for a top-level code by itself.

        A top-level barrier or enabler code says no more than a direction, so an
        item whose direction is this sure (in practice: the question it answers
        names it) may be given it, however its subject spreads over the children.

        Args:
            classes: The code of each column.
            helps: Each item's probability of helping (:meth:`helps`).

        Returns:
            ``(n, k)``: True where the item's direction matches the code's surely.
        """
        sure = np.zeros((len(helps), len(classes)), dtype=bool)
        for column, code in enumerate(classes):
            direction = self.directions.get(code) if code in self.roots else None
            if direction == HELPS:
                sure[:, column] = helps >= SURE_DIRECTION
            elif direction == HINDERS:
                sure[:, column] = 1.0 - helps >= SURE_DIRECTION
        return sure

    def named_by(self, code: str, prompt: str | None) -> bool:
        """Whether a prompt names the direction of ``code`` in words."""
        wanted = self.directions.get(code)
        return wanted is not None and prompt_direction(prompt) == wanted
