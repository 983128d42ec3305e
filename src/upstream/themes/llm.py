"""An optional labeller that asks an OpenAI-compatible chat endpoint for short labels.

Off by default: nothing leaves the machine unless a user names an endpoint
(a local server such as llama.cpp or Ollama works as well as a cloud one).
The model sees only each theme's keywords and representative quotes, and
only improves the wording of the label: keywords still come from c-TF-IDF,
and when the endpoint fails or answers nonsense the extractive label is kept
and the failure is recorded in ``errors_``. It uses the standard library's
``urllib`` so it needs no extra package.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from collections.abc import Sequence

from sklearn.base import clone  # type: ignore[import-untyped]

from upstream.settings import read_setting
from upstream.themes.labels import KeyphraseLabeller, Labeller, ThemeName

__all__ = ["LLMError", "LLMLabeller"]

_SYSTEM = (
    "You name themes found in what people said about public services. "
    "Reply with one short label of 2 to 6 words, in plain English, with no quotes, "
    "no full stop and nothing else."
)


class LLMError(RuntimeError):
    """The endpoint could not be reached or gave an answer that is not a label."""


class LLMLabeller(Labeller):
    """Labels from a chat model behind any OpenAI-compatible ``/chat/completions``.

    Args:
        base_url: The API root, e.g. ``http://127.0.0.1:8080/v1``.
        model: Model name to send.
        api_key: Bearer token; default ``$UPSTREAM_LLM_API_KEY`` (none if unset).
        fallback: Labeller for keywords and for labels when the model fails.
        timeout: Seconds to wait for each answer.
        max_quotes: Quotes sent per theme.
        seed: Sent to the endpoint so servers that honour it answer reproducibly.

    Attributes:
        errors_: One message per theme whose label fell back to the extractive one.
    """

    def __init__(
        self,
        base_url: str,
        model: str,
        api_key: str | None = None,
        fallback: Labeller | None = None,
        timeout: float = 30.0,
        max_quotes: int = 5,
        seed: int = 0,
    ) -> None:
        self.base_url = base_url
        self.model = model
        self.api_key = api_key
        self.fallback = fallback
        self.timeout = timeout
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
        self, groups: Sequence[Sequence[int]], quotes: Sequence[Sequence[str]] = ()
    ) -> list[ThemeName]:
        """Ask the model to label each group from its keywords and quotes.

        Args:
            groups: Positions of each group's members.
            quotes: Representative quotes of each group.

        Returns:
            One name per group; the fallback's label wherever the model failed.
        """
        base = self.fallback_.name(groups, quotes)
        names = []
        for number, name in enumerate(base):
            said = list(quotes[number])[: self.max_quotes] if number < len(quotes) else []
            try:
                label = self.ask(name.keywords, said)
            except LLMError as exc:
                self.errors_.append(f"theme {number + 1}: {exc}")
                label = name.label
            names.append(ThemeName(label, name.keywords, name.description))
        return names

    def ask(self, keywords: Sequence[str], quotes: Sequence[str]) -> str:
        """Ask for one label.

        Args:
            keywords: The theme's keywords.
            quotes: Some of its quotes.

        Returns:
            The cleaned label.

        Raises:
            LLMError: On any network, HTTP or format problem.
        """
        prompt = "Keywords: " + ", ".join(keywords) + "\nWhat people said:\n"
        prompt += "\n".join(f"- {q}" for q in quotes) + "\nLabel:"
        body = {
            "model": self.model,
            "messages": [
                {"role": "system", "content": _SYSTEM},
                {"role": "user", "content": prompt},
            ],
            "temperature": 0,
            "max_tokens": 24,
            "seed": self.seed,
        }
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        key = self.api_key if self.api_key is not None else read_setting("llm_api_key")
        if key:
            headers["Authorization"] = f"Bearer {key}"
        request = urllib.request.Request(
            self.base_url.rstrip("/") + "/chat/completions",
            data=json.dumps(body).encode("utf-8"),
            headers=headers,
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                answer = json.loads(response.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise LLMError(f"the endpoint answered HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise LLMError(f"could not reach {self.base_url}: {exc}") from exc
        except json.JSONDecodeError as exc:
            raise LLMError("the endpoint's answer was not JSON") from exc
        try:
            content = str(answer["choices"][0]["message"]["content"])
        except (KeyError, IndexError, TypeError) as exc:
            raise LLMError("the answer had no choices[0].message.content") from exc
        return clean_label(content)


def clean_label(content: str) -> str:
    """Turn a model's reply into a label: first line, no quotes or prefix, at most 8 words.

    Raises:
        LLMError: If nothing usable is left.
    """
    line = next((part.strip() for part in content.splitlines() if part.strip()), "")
    line = re.sub(r"^(label|theme)\s*:\s*", "", line, flags=re.IGNORECASE)
    line = line.strip(" \"'“”‘’*.`")
    words = line.split()
    if not words:
        raise LLMError("the answer was empty")
    return " ".join(words[:8])[:80]
