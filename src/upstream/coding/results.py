"""What the coder says about one item: its codes, how sure it is, and why."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CodingResult", "Explanation", "Neighbour"]


@dataclass(frozen=True)
class Neighbour:
    """A labelled example (or codebook text) close to the coded item.

    Attributes:
        id: The example's id: the id given to ``fit`` for evidence, or
            ``codebook:<code id>`` for a code's own title, definition or example.
        text: The start of the example's text (a snippet for display).
        similarity: Cosine similarity to the coded item, -1 to 1.
        code: The code the example carries.
    """

    id: str
    text: str
    similarity: float
    code: str


@dataclass(frozen=True)
class Explanation:
    """Why an item received its top code.

    Attributes:
        terms: Words and phrases of the item that pushed it towards the code,
            strongest first, with their contribution (model weight x TF-IDF, or
            for zero-shot coding the term's weight shared with the code's text).
        neighbours: The most similar labelled examples, most similar first.
        quote: Words of the item a model endpoint quoted as its reason: always
            an exact part of the item ("" when there is none).
        prompt: The question or board column the item answers, when it names
            the direction of the code ("What gets in the way…" for a barrier;
            "" otherwise).
    """

    terms: tuple[tuple[str, float], ...] = ()
    neighbours: tuple[Neighbour, ...] = ()
    quote: str = ""
    prompt: str = ""


@dataclass(frozen=True)
class CodingResult:
    """The machine coding of one item.

    Attributes:
        code: The most probable code, or ``None`` when the coder abstains
            because its confidence is below the threshold ("uncoded").
        confidence: Calibrated probability of the most probable code (reported
            even when abstaining, so reviewers can see how close it was).
        codes: Every code whose probability reaches the threshold, with that
            probability; ancestors are included because a child implies them.
            Empty when abstaining.
        path: The top code's ancestors, root first, ending with the code itself
            (empty when abstaining).
        margin: Difference between the two highest probabilities (small means
            a human answer would teach the coder much).
        explanation: Contributing terms and nearest labelled examples.
        best: When abstaining, the most probable code and its probability, as
            :meth:`~upstream.coding.coder.FrameworkCoder.predict_proba` gives it
            (kept so a tentative suggestion needs no second pass); else ``None``.
    """

    code: str | None
    confidence: float
    codes: tuple[tuple[str, float], ...]
    path: tuple[str, ...]
    margin: float
    explanation: Explanation
    best: tuple[str, float] | None = None

    @property
    def uncoded(self) -> bool:
        """Whether the coder abstained."""
        return self.code is None
