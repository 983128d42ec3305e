"""Optional theme names and summaries written by a chat model endpoint.

Off by default: nothing leaves the machine unless a person names an endpoint
(a local server such as llama.cpp, vLLM or Ollama works as well as an approved
service). The model sees only each theme's keywords and a few of its quotes,
redacted again before they are sent (emails, phone numbers, postcodes and the
like become placeholders). It writes a sentence-style name and a short summary
in which every sentence cites the numbered quotes it rests on; citations that
do not point to a quote of that theme are removed, and a sentence left citing
nothing is dropped. When the endpoint fails or answers nonsense, the theme
keeps upstream's own name, and the failure is recorded in ``errors_``.

The labeller does not speak HTTP itself: it is given a
:class:`~upstream.records.chat.ChatClient` (the command line and the web app
pass :class:`upstream.endpoint.ChatEndpoint`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Sequence
from typing import Any

from sklearn.base import clone  # type: ignore[import-untyped]

from upstream.evidence.redact import redact
from upstream.records.chat import ChatClient, EndpointError
from upstream.records.themes import SummarySentence
from upstream.themes.labels import KeyphraseLabeller, Labeller, ThemeName

__all__ = ["LLMError", "LLMLabeller", "clean_label", "read_naming"]

LLMError = EndpointError
"""The endpoint could not be reached or gave an answer that is not a name."""

_SYSTEM = (
    "You name themes found in what people said about public services. You are given a "
    "theme's keywords and some numbered quotes from it. Reply with JSON only, in this shape: "
    '{"name": "...", "summary": [{"sentence": "...", "quotes": [1, 2]}]}. '
    "The name is a short plain-English sentence or phrase of at most 12 words saying what "
    "people said, as a person would write it (for example: Keep the library open on "
    "Saturdays). The summary has one to three short sentences; each lists the numbers of "
    "the quotes it rests on. Say only what the quotes say."
)
_MAX_NAME_WORDS = 14
_MAX_NAME_CHARS = 120
_MAX_SENTENCES = 3


class LLMLabeller(Labeller):
    """Names and summaries from a chat model; upstream's own names whenever it fails.

    Args:
        endpoint: The model endpoint to ask (a :class:`~upstream.records.chat.ChatClient`).
        fallback: Labeller for keywords, descriptions and names when the model fails
            (default: :class:`~upstream.themes.labels.KeyphraseLabeller`).
        max_quotes: Quotes sent per theme (the ones a summary may cite).
        seed: Sent to the endpoint so servers that honour it answer reproducibly.

    Attributes:
        errors_: One message per theme whose name fell back to upstream's own.
    """

    def __init__(
        self,
        endpoint: ChatClient,
        fallback: Labeller | None = None,
        max_quotes: int = 5,
        seed: int = 0,
    ) -> None:
        self.endpoint = endpoint
        self.fallback = fallback
        self.max_quotes = max_quotes
        self.seed = seed

    def fit(self, texts: Sequence[str]) -> LLMLabeller:
        """Fit the fallback labeller on every text.

        Args:
            texts: Every text being themed.

        Returns:
            The fitted labeller.
        """
        fallback = clone(self.fallback) if self.fallback is not None else KeyphraseLabeller()
        self.fallback_ = fallback.fit(texts)
        self.errors_: list[str] = []
        return self

    def name(
        self,
        groups: Sequence[Sequence[int]],
        quotes: Sequence[Sequence[str]] = (),
        *,
        avoid: Collection[str] = (),
    ) -> list[ThemeName]:
        """Ask the model to name and summarise each group from its keywords and quotes.

        Args:
            groups: Positions of each group's members.
            quotes: Representative quotes of each group.
            avoid: Names given elsewhere, for upstream's own names where the
                model fails (the model itself is not told them).

        Returns:
            One name per group; upstream's own wherever the model failed. A
            summary's ``quotes`` are positions in that group's ``quotes``.
        """
        base = self.fallback_.name(groups, quotes, avoid=avoid)
        names = []
        for number, name in enumerate(base):
            said = list(quotes[number])[: self.max_quotes] if number < len(quotes) else []
            try:
                label, summary, model = self.ask(name.keywords, said)
            except EndpointError as exc:
                self.errors_.append(f"Theme {number + 1}: {exc}")
                names.append(name)
                continue
            names.append(ThemeName(label, name.keywords, name.description, summary, model))
        return names

    def ask(
        self, keywords: Sequence[str], quotes: Sequence[str]
    ) -> tuple[str, tuple[SummarySentence, ...], str]:
        """Ask for one theme's name and summary.

        Args:
            keywords: The theme's keywords.
            quotes: Some of its quotes (redacted again before they are sent).

        Returns:
            The cleaned name, the summary (citations are 0-based positions in
            ``quotes``) and the model that answered.

        Raises:
            EndpointError: On any network, HTTP or format problem.
        """
        prompt = "Keywords: " + ", ".join(keywords) + "\nQuotes:\n"
        prompt += "\n".join(f"[{n}] {redact(q)[0]}" for n, q in enumerate(quotes, start=1))
        reply = self.endpoint.complete(
            [{"role": "system", "content": _SYSTEM}, {"role": "user", "content": prompt}],
            max_tokens=400,
            seed=self.seed,
        )
        label, summary = read_naming(reply.content, len(quotes))
        return label, summary, reply.model


def read_naming(content: str, n_quotes: int) -> tuple[str, tuple[SummarySentence, ...]]:
    """Read a model's reply: a JSON name and cited summary, or a bare name.

    Citations are kept only when they point to one of the ``n_quotes`` quotes
    sent (numbered from 1); a sentence left citing nothing is dropped.

    Args:
        content: The model's reply.
        n_quotes: How many quotes were sent.

    Returns:
        The name, and the summary sentences with 0-based quote positions.

    Raises:
        EndpointError: If no name can be read from the reply.
    """
    found = _json_object(content)
    if found is None:
        if "{" in content:
            raise EndpointError("The model's answer was not the JSON asked for.")
        return clean_label(content), ()
    label = clean_label(str(found.get("name") or found.get("label") or ""))
    raw = found.get("summary")
    sentences: list[SummarySentence] = []
    for entry in raw if isinstance(raw, list) else []:
        sentence = _sentence(entry, n_quotes)
        if sentence is not None:
            sentences.append(sentence)
    return label, tuple(sentences[:_MAX_SENTENCES])


def _json_object(content: str) -> dict[str, Any] | None:
    start, stop = content.find("{"), content.rfind("}")
    if start < 0 or stop <= start:
        return None
    try:
        found = json.loads(content[start : stop + 1])
    except json.JSONDecodeError:
        return None
    return found if isinstance(found, dict) else None


_INLINE = re.compile(r"\s*\[(\d+(?:\s*,\s*\d+)*)\]")


def _sentence(entry: Any, n_quotes: int) -> SummarySentence | None:
    """One summary sentence with its valid citations, or None when it cites no real quote."""
    if isinstance(entry, str):
        text, cited = entry, []
    elif isinstance(entry, dict):
        text = str(entry.get("sentence") or entry.get("text") or "")
        listed = entry.get("quotes")
        cited = list(listed) if isinstance(listed, list) else []
    else:
        return None
    # Markers written into the sentence ("... on Saturdays [2]") count as citations too.
    for marker in _INLINE.findall(text):
        cited += marker.split(",")
    text = " ".join(_INLINE.sub("", text).split())
    numbers: list[int] = []
    for value in cited:
        try:
            number = int(str(value).strip().strip("[]#"))
        except ValueError:
            continue
        if 1 <= number <= n_quotes and number - 1 not in numbers:
            numbers.append(number - 1)
    if not text or not numbers:
        return None
    return SummarySentence(text, tuple(sorted(numbers)))


def clean_label(content: str) -> str:
    """Turn a model's reply into a name: first line, no quotes or prefix, at most 14 words.

    Raises:
        EndpointError: If nothing usable is left.
    """
    line = next((part.strip() for part in content.splitlines() if part.strip()), "")
    line = re.sub(r"^(label|theme|name)\s*:\s*", "", line, flags=re.IGNORECASE)
    line = line.strip(" \"'“”‘’*.`")
    words = line.split()
    if not words:
        raise EndpointError("The model's answer had no name in it.")
    return " ".join(words[:_MAX_NAME_WORDS])[:_MAX_NAME_CHARS]
