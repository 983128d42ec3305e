"""The HTTP client for an optional OpenAI-compatible chat model endpoint.

Off by default and never needed: nothing leaves the machine unless a person
names an endpoint (``--endpoint`` or ``UPSTREAM_ENDPOINT``). Any server that
speaks the ``/v1/chat/completions`` protocol works: a llama.cpp server, vLLM,
Ollama's OpenAI-compatible API, or a council's approved service.

This module is the only one in upstream that talks to a model endpoint; the
coder and theme naming receive a :class:`ChatEndpoint` (any
:class:`~upstream.records.chat.ChatClient`) from the command line or the web
app. The API key is read from the environment (``UPSTREAM_LLM_API_KEY``) when
a request is sent: it is never kept in the database, in run parameters or in
messages. See ``docs/model-endpoint.md``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import httpx

from upstream.records.chat import ChatReply, EndpointError, TokenChance
from upstream.settings import read_setting

__all__ = ["ChatEndpoint", "EndpointError", "completions_url"]

# Statuses worth asking again: the server is busy, restarting or briefly broken.
_RETRY_STATUSES = frozenset({408, 409, 425, 429, 500, 502, 503, 504})


def completions_url(url: str) -> str:
    """The chat completions address for an endpoint given as its API root or in full.

    ``http://127.0.0.1:8080/v1`` and ``http://127.0.0.1:8080/v1/chat/completions``
    both give the latter.
    """
    root = url.strip().rstrip("/")
    return root if root.endswith("/chat/completions") else root + "/chat/completions"


class ChatEndpoint:
    """A chat model behind an OpenAI-compatible ``/chat/completions`` address.

    It holds only settings (no open connection), so estimators that keep it can
    be cloned and copied.

    Args:
        url: The API root, e.g. ``http://127.0.0.1:8080/v1``.
        model: The model name to ask for.
        api_key: Bearer token; when None, ``UPSTREAM_LLM_API_KEY`` is read at each request.
        timeout: Seconds to wait for an answer.
        retries: How many times to ask again after a timeout, a dropped
            connection or a busy server, waiting longer each time.
        backoff: Seconds to wait before the first retry (doubled each time).
        sleep: How to wait (tests pass a function that does not).
    """

    def __init__(
        self,
        url: str,
        model: str = "default",
        *,
        api_key: str | None = None,
        timeout: float = 30.0,
        retries: int = 2,
        backoff: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not url.strip().lower().startswith(("http://", "https://")):
            raise EndpointError(
                f"The model endpoint '{url}' is not a web address: it must start with "
                "http:// or https://, such as http://127.0.0.1:8080/v1."
            )
        self.url = url.strip()
        self.model = model
        self.api_key = api_key
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.sleep = sleep

    def _settings(self) -> tuple[object, ...]:
        return (self.url, self.model, self.api_key, self.timeout, self.retries, self.backoff)

    def __eq__(self, other: object) -> bool:
        # Equal settings make equal endpoints, so a cloned estimator keeps "the same" one.
        return isinstance(other, ChatEndpoint) and self._settings() == other._settings()

    def __hash__(self) -> int:
        return hash((self.url, self.model))

    def __repr__(self) -> str:
        # Never shows the key: this is what run records and logs see.
        return f"ChatEndpoint({self.url!r}, model={self.model!r})"

    def _headers(self) -> dict[str, str]:
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        key = self.api_key if self.api_key is not None else read_setting("llm_api_key")
        if key:
            headers["Authorization"] = f"Bearer {key}"
        return headers

    def _seconds(self) -> str:
        shown = f"{self.timeout:g}"
        return f"{shown} second" + ("" if shown == "1" else "s")

    def complete(
        self,
        messages: Sequence[Mapping[str, str]],
        *,
        max_tokens: int = 512,
        logprobs: bool = False,
        seed: int | None = 0,
    ) -> ChatReply:
        """Send one chat request, asking again after passing failures.

        Args:
            messages: ``{"role": ..., "content": ...}`` messages, system first.
            max_tokens: Longest answer wanted.
            logprobs: Ask for each token's log-probability. An endpoint that
                refuses the option is asked again without it.
            seed: Sent so that endpoints that honour it answer the same way each time.

        Returns:
            The model's answer.

        Raises:
            EndpointError: When no usable answer came back, in plain English.
        """
        body: dict[str, Any] = {
            "model": self.model,
            "messages": [dict(m) for m in messages],
            "temperature": 0,
            "max_tokens": max_tokens,
        }
        if seed is not None:
            body["seed"] = seed
        if logprobs:
            body["logprobs"] = True
        try:
            return self._send(body)
        except _Refused as refused:
            if not logprobs or refused.status != 400:
                raise EndpointError(refused.message) from None
            # Some servers reject the logprobs option: ask for the answer alone.
            body.pop("logprobs")
            try:
                return self._send(body)
            except _Refused as again:
                raise EndpointError(again.message) from None

    def _send(self, body: dict[str, Any]) -> ChatReply:
        address = completions_url(self.url)
        problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                response = httpx.post(
                    address, json=body, headers=self._headers(), timeout=self.timeout
                )
            except httpx.TimeoutException:
                problem = (
                    f"The model endpoint at {self.url} did not answer within {self._seconds()}."
                )
                continue
            except httpx.HTTPError as exc:
                problem = (
                    f"Could not reach the model endpoint at {self.url}: check that the server "
                    f"is running and the address is right ({type(exc).__name__})."
                )
                continue
            if response.status_code in _RETRY_STATUSES:
                problem = (
                    f"The model endpoint at {self.url} was not able to answer "
                    f"(HTTP {response.status_code})."
                )
                continue
            if response.status_code >= 400:
                raise _Refused(response.status_code, self._refusal(response.status_code))
            return self._reply(response)
        tries = self.retries + 1
        raise EndpointError(f"{problem} Tried {tries} time{'s' if tries != 1 else ''}.")

    def _refusal(self, status: int) -> str:
        if status in (401, 403):
            return (
                f"The model endpoint at {self.url} refused the request (HTTP {status}): "
                "check the API key in UPSTREAM_LLM_API_KEY."
            )
        if status == 404:
            return (
                f"The model endpoint at {self.url} has no chat completions address "
                f"(HTTP 404): check the address, which usually ends in /v1, and the model "
                f"name '{self.model}'."
            )
        return f"The model endpoint at {self.url} refused the request (HTTP {status})."

    def _reply(self, response: httpx.Response) -> ChatReply:
        unreadable = f"The model endpoint at {self.url} gave an answer upstream cannot read"
        try:
            answer = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise EndpointError(f"{unreadable}: it was not JSON.") from None
        try:
            choice = answer["choices"][0]
            content = choice["message"]["content"]
        except (KeyError, IndexError, TypeError):
            raise EndpointError(f"{unreadable}: it had no choices[0].message.content.") from None
        if not isinstance(content, str):
            raise EndpointError(f"{unreadable}: the message content was not text.")
        model = answer.get("model") if isinstance(answer, dict) else None
        return ChatReply(content, str(model or self.model), _tokens(choice.get("logprobs")))


class _Refused(Exception):
    """An answer that asking again will not change (HTTP 4xx other than busy)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _tokens(logprobs: Any) -> tuple[TokenChance, ...]:
    """The tokens and log-probabilities of an answer, in OpenAI's shape (empty if absent)."""
    if not isinstance(logprobs, dict) or not isinstance(logprobs.get("content"), list):
        return ()
    tokens = []
    for entry in logprobs["content"]:
        try:
            tokens.append(TokenChance(str(entry["token"]), float(entry["logprob"])))
        except (KeyError, TypeError, ValueError):
            return ()
    return tuple(tokens)
