"""What passes between upstream and an optional chat model endpoint.

The domain packages (the coder, theme naming) ask a :class:`ChatClient` for
answers and read :class:`ChatReply` records; the client that speaks HTTP lives
in the adapter :mod:`upstream.endpoint`, so nothing below the workflows talks
to the network, and tests or other transports can stand in for it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

__all__ = ["ChatClient", "ChatReply", "EndpointError", "TokenChance"]


class EndpointError(RuntimeError):
    """The model endpoint could not be reached or gave an answer that cannot be used.

    The message is plain English and names the endpoint, for people to read.
    """


@dataclass(frozen=True)
class TokenChance:
    """One token the model wrote, with how likely it found it.

    Attributes:
        token: The token's text.
        logprob: Natural log of its probability.
    """

    token: str
    logprob: float


@dataclass(frozen=True)
class ChatReply:
    """The endpoint's answer to one chat request.

    Attributes:
        content: The text the model wrote.
        model: The model that answered, as the endpoint names it.
        tokens: The tokens written with their log-probabilities, when the endpoint
            gives them (empty otherwise).
    """

    content: str
    model: str
    tokens: tuple[TokenChance, ...] = ()


class ChatClient(Protocol):
    """Anything that answers chat requests like an OpenAI-compatible endpoint."""

    url: str
    model: str

    def complete(
        self,
        messages: Sequence[Mapping[str, str]],
        *,
        max_tokens: int = 512,
        logprobs: bool = False,
        seed: int | None = 0,
    ) -> ChatReply:
        """Send one chat request and return the answer.

        Args:
            messages: ``{"role": ..., "content": ...}`` messages, system first.
            max_tokens: Longest answer wanted.
            logprobs: Ask for each token's log-probability where the endpoint offers it.
            seed: Sent so that endpoints that honour it answer the same way each time.

        Raises:
            EndpointError: When no usable answer came back.
        """
        ...
