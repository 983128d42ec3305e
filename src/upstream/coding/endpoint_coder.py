"""Coding through an optional chat model endpoint, with the built-in coder's contract.

For councils that have an approved model (or run one on their own machine),
:class:`EndpointCoder` asks it to code items against a codebook. It keeps the
promises :class:`~upstream.coding.coder.FrameworkCoder` makes:

* **Abstaining**: an item stays uncoded when the model gives no code, gives an
  id that is not a codable code of the codebook, or is less sure than
  ``threshold``. A made-up code is never stored.
* **Calibrated**: the model says how sure it is (and, where the endpoint gives
  token log-probabilities, the probability of the code it wrote is used
  instead). When people have coded some of the items, a logistic curve fitted
  on whether the model agreed with them turns that into a probability of
  being right (Platt scaling); until then the model's own figure is used and
  ``calibrated_`` is False, which the run records.
* **A short quoted reason**: the model quotes the words that show the code;
  the quote is kept only when it is an exact part of the item, so an
  invented quote never appears as evidence.

Items are sent in batches (``batch_size`` per request), after redaction
(emails, phone numbers, postcodes and the like become placeholders). The coder
never speaks HTTP itself: it is given a :class:`~upstream.records.chat.ChatClient`.
"""

from __future__ import annotations

import json
import math
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.base import BaseEstimator  # type: ignore[import-untyped]
from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

from upstream.coding.results import CodingResult, Explanation
from upstream.coding.supervised import Label
from upstream.evidence.redact import redact
from upstream.frameworks.model import Codebook
from upstream.records.chat import ChatClient, ChatReply, EndpointError

__all__ = ["Answer", "EndpointCoder", "read_answers"]

Floats = npt.NDArray[np.float64]
Progress = Callable[[int, int], None]

# Fewer decisions than this, or decisions all one way, and the model's own
# figure is used: a curve fitted on a handful of answers is noise.
_MIN_CALIBRATION = 20
_MAX_QUOTE_WORDS = 40
# Why an answer is missing, besides the endpoint's own error message.
_EMPTY = "empty"
_UNREAD = "The model's answer said nothing readable about it."

_SYSTEM = (
    "You code what people said about public services against a codebook. Use only the "
    "code ids listed. For each numbered item, reply with one JSON object per line and "
    'nothing else, like this: {"item": 1, "code": "1.2", "confidence": 80, "quote": '
    '"the exact words of the item that show the code"}. '
    "Use null for the code when no code fits or you are unsure. confidence is how likely, "
    "from 0 to 100, the code is right. The quote must be copied exactly from the item and "
    "be at most 15 words."
)


@dataclass(frozen=True)
class Answer:
    """What the model said about one item, before calibration.

    Attributes:
        code: The code id it gave (checked against the codebook later), or None.
        score: How sure it was, 0 to 1: the probability of the code's first
            token where the endpoint gives log-probabilities, else its stated
            confidence.
        quote: The words it quoted as its reason ("" when none).
        problem: Why there is no usable answer ("" when there is one).
    """

    code: str | None
    score: float
    quote: str = ""
    problem: str = ""


class EndpointCoder(BaseEstimator):  # type: ignore[misc]
    """Code texts against a codebook by asking a chat model endpoint.

    Args:
        codebook: The codes to apply.
        endpoint: The model endpoint to ask (a :class:`~upstream.records.chat.ChatClient`).
        threshold: Items whose calibrated confidence is below this are left uncoded.
        batch_size: Items sent in one request.
        max_calibration: Most decisions by people to ask the model about when
            calibrating (a random sample of them when there are more).
        seed: Seed for the calibration sample, sent to the endpoint too.

    Attributes:
        mode_: ``"endpoint"``.
        n_labelled_: Decisions by people used to calibrate.
        calibrated_: Whether confidences were calibrated on people's decisions.
        agreement_: Share of those decisions the model agreed with (None when none).
        failures_: Plain-English messages for batches the endpoint could not code.
        models_: The model names the endpoint said answered.
    """

    def __init__(
        self,
        codebook: Codebook,
        endpoint: ChatClient,
        threshold: float = 0.5,
        batch_size: int = 8,
        max_calibration: int = 200,
        seed: int = 0,
    ) -> None:
        self.codebook = codebook
        self.endpoint = endpoint
        self.threshold = threshold
        self.batch_size = batch_size
        self.max_calibration = max_calibration
        self.seed = seed

    # ----------------------------------------------------------------- fitting
    def fit(
        self,
        texts: Sequence[str] = (),
        labels: Sequence[Label] | None = None,
        documents: Sequence[str | None] | None = None,
        ids: Sequence[str] | None = None,
        progress: Progress | None = None,
    ) -> EndpointCoder:
        """Calibrate on the items people have coded, if any (the model itself is not trained).

        Args:
            texts: Evidence texts.
            labels: One label per text (a code id, several, or None); None altogether
                means no decisions yet.
            documents: Accepted for the same signature as the built-in coder; unused.
            ids: Accepted for the same signature as the built-in coder; unused.
            progress: Called with (done, total) items while asking about decisions.

        Returns:
            The fitted coder.

        Raises:
            ValueError: If ``labels`` has a different length from ``texts``.
        """
        texts = list(texts)
        if labels is not None and len(labels) != len(texts):
            raise ValueError(f"labels has {len(labels)} entries for {len(texts)} texts")
        self.mode_ = "endpoint"
        self.classes_ = [code.id for code in self.codebook.codes if code.codable]
        self.failures_: list[str] = []
        self.models_: set[str] = set()
        self._answers: dict[str, Answer] = {}
        self.calibration_: tuple[float, float] | None = None
        self.calibrated_ = False
        self.agreement_: float | None = None
        decided = [
            (text, _label_set(label))
            for text, label in zip(texts, labels or [None] * len(texts), strict=True)
            if _label_set(label) and text
        ]
        if len(decided) > self.max_calibration:
            decided = random.Random(self.seed).sample(decided, self.max_calibration)
        self.n_labelled_ = len(decided)
        if not decided:
            return self
        answers = self._ask([text for text, _ in decided], progress)
        scores, right = [], []
        for answer, (_, wanted) in zip(answers, decided, strict=True):
            if self._valid(answer.code):
                scores.append(answer.score)
                right.append(answer.code in wanted)
        self.agreement_ = sum(right) / len(decided)
        if len(scores) >= _MIN_CALIBRATION and 0 < sum(right) < len(right):
            model = LogisticRegression(C=1.0).fit(_logit(np.array(scores))[:, None], right)
            self.calibration_ = (float(model.coef_[0, 0]), float(model.intercept_[0]))
            self.calibrated_ = True
        return self

    # -------------------------------------------------------------- predicting
    def _check_fitted(self) -> None:
        if not hasattr(self, "mode_"):
            raise RuntimeError("EndpointCoder is not fitted yet: call fit() first")

    def output_codes(self) -> list[str]:
        """The codes the coder may give, in codebook order."""
        self._check_fitted()
        return list(self.classes_)

    def confidence(self, score: float) -> float:
        """The calibrated probability that a code the model gave with ``score`` is right."""
        if self.calibration_ is None:
            return float(min(max(score, 0.0), 1.0))
        slope, intercept = self.calibration_
        value = slope * float(_logit(np.array([score]))[0]) + intercept
        return 1.0 / (1.0 + math.exp(-value))

    def predict(
        self,
        texts: Sequence[str],
        documents: Sequence[str | None] | None = None,
        progress: Progress | None = None,
    ) -> list[CodingResult]:
        """Code texts, leaving uncoded what the model cannot stand behind.

        Args:
            texts: Texts to code.
            documents: Accepted for the same signature as the built-in coder; unused.
            progress: Called with (done, total) items as batches come back.

        Returns:
            One :class:`CodingResult` per text, in order.

        Raises:
            EndpointError: If the endpoint could not answer for any item at all.
        """
        self._check_fitted()
        texts = list(texts)
        answers = self._ask(texts, progress)
        asked = [a for a in answers if a.problem != _EMPTY]
        if asked and all(a.problem not in ("", _UNREAD) for a in asked):
            raise EndpointError(asked[0].problem)
        unread = sum(1 for a in asked if a.problem == _UNREAD)
        if unread:
            self.failures_.append(
                f"The model's answers about {unread:,} item{'s' if unread != 1 else ''} could "
                "not be read as the JSON asked for, so they were left uncoded."
            )
        return [self._result(text, answer) for text, answer in zip(texts, answers, strict=True)]

    def predict_proba(
        self, texts: Sequence[str], documents: Sequence[str | None] | None = None
    ) -> Floats:
        """Calibrated confidence of the code the model gave, per item (0 elsewhere).

        The model gives one code, not a distribution, so each row holds at most
        one non-zero value; a row of zeros means no usable answer.
        """
        self._check_fitted()
        answers = self._ask(list(texts), None)
        probabilities = np.zeros((len(answers), len(self.classes_)))
        for row, answer in enumerate(answers):
            if self._valid(answer.code):
                column = self.classes_.index(str(answer.code))
                probabilities[row, column] = self.confidence(answer.score)
        return probabilities

    def _valid(self, code: str | None) -> bool:
        return code is not None and code in self.classes_

    def _result(self, text: str, answer: Answer) -> CodingResult:
        if not self._valid(answer.code):
            return CodingResult(None, 0.0, (), (), 0.0, Explanation())
        code = str(answer.code)
        confidence = self.confidence(answer.score)
        margin = max(0.0, 2.0 * confidence - 1.0)
        if confidence < self.threshold:
            return CodingResult(None, confidence, (), (), margin, Explanation())
        path = (*(a.id for a in reversed(self.codebook.ancestors(code))), code)
        # A child implies its ancestors, as in the built-in coder's results.
        codes = tuple((c, round(confidence, 6)) for c in reversed(path))
        quote = answer.quote if _quoted(answer.quote, text) else ""
        return CodingResult(code, confidence, codes, path, margin, Explanation(quote=quote))

    def _ask(self, texts: list[str], progress: Progress | None) -> list[Answer]:
        """The model's answer for each text, asking only about texts not yet answered."""
        wanted = [t for t in dict.fromkeys(texts) if t.strip() and t not in self._answers]
        total = len(wanted)
        for start in range(0, total, max(1, self.batch_size)):
            batch = wanted[start : start + max(1, self.batch_size)]
            self._answers.update(zip(batch, self._ask_batch(batch), strict=True))
            if progress is not None:
                progress(min(start + len(batch), total), total)
        empty = Answer(None, 0.0, problem=_EMPTY)
        return [self._answers.get(t, empty) if t.strip() else empty for t in texts]

    def _ask_batch(self, batch: list[str]) -> list[Answer]:
        try:
            reply = self.endpoint.complete(
                self._messages(batch),
                max_tokens=80 * len(batch) + 40,
                logprobs=True,
                seed=self.seed,
            )
        except EndpointError as exc:
            self.failures_.append(str(exc))
            return [Answer(None, 0.0, problem=str(exc))] * len(batch)
        self.models_.add(reply.model)
        answers = read_answers(reply, len(batch))
        if len(batch) > 1 and all(a.problem for a in answers):
            # A whole batch unreadable: small models lose the thread on long
            # prompts, so each item is asked on its own before giving up.
            return [self._ask_batch([text])[0] for text in batch]
        return answers

    def _messages(self, batch: list[str]) -> list[dict[str, str]]:
        lines = []
        for code in self.codebook.codes:
            if not code.codable:
                continue
            definition = " ".join(code.definition.split())
            if len(definition) > 200:
                definition = definition[:199].rsplit(" ", 1)[0] + "…"
            lines.append(f"{code.id}: {code.title}" + (f" — {definition}" if definition else ""))
        items = "\n".join(
            f"[{n}] {' '.join(redact(text)[0].split())}" for n, text in enumerate(batch, start=1)
        )
        prompt = f"Codebook ({self.codebook.title}):\n" + "\n".join(lines)
        prompt += f"\n\nItems:\n{items}\n\nAnswer for items 1 to {len(batch)}."
        return [{"role": "system", "content": _SYSTEM}, {"role": "user", "content": prompt}]


def read_answers(reply: ChatReply, count: int) -> list[Answer]:
    """Read a batch reply: one JSON object per item, numbered from 1.

    Objects may come one per line, in a JSON list, or inside other text; an
    item the reply says nothing readable about gets an answer with a
    ``problem``. Where the reply carries token log-probabilities, an answer's
    score is the probability of the first token of the code it wrote.

    Args:
        reply: The endpoint's reply.
        count: How many items were asked about.

    Returns:
        One answer per item, in order.
    """
    content = reply.content
    starts = _token_starts(reply)
    found: dict[int, Answer] = {}
    for match in re.finditer(r"\{[^{}]*\}", content):
        try:
            entry = json.loads(match.group())
        except json.JSONDecodeError:
            continue
        if not isinstance(entry, dict):
            continue
        number = _number(entry.get("item", len(found) + 1))
        if number is None or not 1 <= number <= count or number in found:
            continue
        code = entry.get("code")
        code = None if code in (None, "", "null", "none") else str(code).strip()
        score = _stated(entry.get("confidence"))
        value = re.search(r'"code"\s*:\s*"', match.group())
        if code is not None and value is not None and starts:
            chance = _chance_at(reply, starts, match.start() + value.end())
            if chance is not None:
                score = chance
        quote = entry.get("quote")
        found[number] = Answer(code, score, quote.strip() if isinstance(quote, str) else "")
    unread = Answer(None, 0.0, problem=_UNREAD)
    return [found.get(n, unread) for n in range(1, count + 1)]


def _number(value: Any) -> int | None:
    try:
        return int(str(value).strip().strip("[]#"))
    except ValueError:
        return None


def _stated(value: Any) -> float:
    """A stated confidence as a probability: 80, "80%", 0.8 all give 0.8 (0 when unreadable)."""
    try:
        number = float(str(value).strip().rstrip("%"))
    except ValueError:
        return 0.0
    if number > 1.0:
        number /= 100.0
    return float(min(max(number, 0.0), 1.0)) if math.isfinite(number) else 0.0


def _token_starts(reply: ChatReply) -> list[int]:
    """Where each token starts in the content, when the tokens spell it exactly."""
    if not reply.tokens or "".join(t.token for t in reply.tokens) != reply.content:
        return []
    starts, position = [], 0
    for token in reply.tokens:
        starts.append(position)
        position += len(token.token)
    return starts


def _chance_at(reply: ChatReply, starts: list[int], offset: int) -> float | None:
    """The probability of the token that covers ``offset`` in the content."""
    for index in range(len(starts) - 1, -1, -1):
        if starts[index] <= offset:
            token = reply.tokens[index]
            if offset < starts[index] + len(token.token):
                return math.exp(token.logprob)
            return None
    return None


def _quoted(quote: str, text: str) -> bool:
    """Whether a quote is a short, exact part of the item."""
    return bool(quote) and len(quote.split()) <= _MAX_QUOTE_WORDS and quote in text


def _label_set(label: Label) -> set[str]:
    if label is None:
        return set()
    if isinstance(label, str):
        return {label} if label else set()
    return {str(code) for code in label if code}


def _logit(scores: Floats) -> Floats:
    clipped = np.clip(scores.astype(np.float64), 1e-4, 1 - 1e-4)
    return np.asarray(np.log(clipped / (1 - clipped)), dtype=np.float64)
